/** Words and colours for an integration's health, shared by the options page and the popup. */
import type { BreakerHealthState, IntegrationHealth } from '../integrations/saved/types';
import type { BadgeTone } from './Badge';

export function breakerBadge(state: BreakerHealthState): { tone: BadgeTone; label: string; title: string } {
  switch (state) {
    case 'closed':
      return { tone: 'green', label: 'Circuit closed', title: 'Runs send to it normally.' };
    case 'open':
      return { tone: 'red', label: 'Circuit open', title: 'Recent runs failed against it, so runs wait before sending again.' };
    case 'halfOpen':
      return { tone: 'amber', label: 'Half-open', title: 'The next run sends one probe; its outcome closes or reopens the circuit.' };
    default:
      return { tone: 'neutral', label: 'Circuit unknown', title: 'Its address reads a variable that is not set, so its circuit cannot be found.' };
  }
}

/** The overall verdict: an open circuit or a failed last test is a problem; untested is neutral. */
export function healthTone(health: Pick<IntegrationHealth, 'breaker' | 'lastTest'>): BadgeTone {
  if (health.breaker.state === 'open' || (health.lastTest && !health.lastTest.reachable)) return 'red';
  if (health.breaker.state === 'halfOpen' || (health.lastTest && !health.lastTest.ok)) return 'amber';
  if (health.lastTest?.ok) return 'green';
  return 'neutral';
}

export function lastTestLabel(test: IntegrationHealth['lastTest']): string {
  if (!test) return 'Not tested';
  if (test.ok) return `${test.warning ? 'Passed, with a warning' : 'Test passed'} · ${test.latencyMs} ms`;
  if (test.reachable) return 'Credentials refused';
  return 'Test failed';
}
