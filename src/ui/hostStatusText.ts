/** Words for host states and failures, kept apart from components so both can be tested. */
import type { HostState, HostStatus } from '../messaging/contract';
import type { BadgeTone } from './Badge';
import type { CalloutTone } from './Callout';

/** A host state, or `unknown` when the background itself could not be reached. */
export type DisplayState = HostState | 'unknown';

export const stateLabel: Record<DisplayState, string> = {
  idle: 'Idle',
  connecting: 'Connecting',
  connected: 'Connected',
  disconnected: 'Disconnected',
  'not-installed': 'Not installed',
  unknown: 'Unknown',
};

export const stateTone: Record<DisplayState, BadgeTone> = {
  idle: 'neutral',
  connecting: 'blue',
  connected: 'green',
  disconnected: 'red',
  'not-installed': 'amber',
  unknown: 'neutral',
};

export const stateSummary: Record<DisplayState, string> = {
  idle: 'Not started yet.',
  connecting: 'Starting up…',
  connected: 'Running and answering.',
  disconnected: 'Not running.',
  'not-installed': 'Not installed on this computer.',
  unknown: 'Status unavailable.',
};

/** The next step to suggest when the background gives none. */
export const defaultHint: Partial<Record<DisplayState, string>> = {
  'not-installed': 'Run `npm run host:install` in the Ferry folder, then Reconnect.',
  disconnected: 'Press Reconnect to start the host again.',
  idle: 'Press Reconnect to start the host now.',
};

/** A problem to show the user: what happened and what to do next. */
export interface Problem {
  message: string;
  hint?: string;
  tone: CalloutTone;
}

/** The host's own problem, if its status reports one (or the state alone implies one). */
export function hostProblem(status: HostStatus): Problem | undefined {
  const { state, lastError } = status;
  if (state === 'connected' || state === 'connecting') return undefined;
  const tone = state === 'not-installed' ? 'warning' : 'danger';
  if (lastError) return { message: lastError.message, hint: lastError.hint ?? defaultHint[state], tone };
  if (state === 'not-installed') return { message: 'The native host is not installed on this computer.', hint: defaultHint[state], tone };
  return undefined;
}

/** Turns a failed call to the background into plain words and a next step. */
export function describeFailure(error: unknown): Problem {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (/receiving end does not exist|could not establish connection/i.test(raw)) {
    return {
      message: 'Ferry’s background service did not answer.',
      hint: 'Reload Ferry on the browser’s extensions page, then press Reconnect.',
      tone: 'danger',
    };
  }
  if (/extension context invalidated/i.test(raw)) {
    return { message: 'Ferry was reloaded or updated.', hint: 'Close this page and open it again.', tone: 'danger' };
  }
  return {
    message: raw ? `Ferry could not check the native host: ${raw}` : 'Ferry could not check the native host.',
    hint: 'Press Reconnect to try again. If it keeps failing, reload Ferry on the browser’s extensions page.',
    tone: 'danger',
  };
}
