// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IntegrationHealth } from '../../integrations/saved/types';
import { fakeSend } from '../test-support/fake-send';
import { IntegrationsHealthCard } from './IntegrationsHealthCard';

afterEach(cleanup);

const health = (id: string, breaker: IntegrationHealth['breaker']['state'], lastTest?: Partial<IntegrationHealth['lastTest']>): IntegrationHealth => ({
  id, name: id.toUpperCase(), kind: 'rest', breaker: { state: breaker },
  ...(lastTest ? { lastTest: { ok: true, reachable: true, latencyMs: 9, detail: '', at: 1, ...lastTest } } : {}),
});

describe('popup: integrations health', () => {
  it('one line per integration: an open circuit first in words, else the last test', async () => {
    const { send } = fakeSend({ 'integrations.health': () => [health('crm', 'open'), health('db', 'closed', {}), health('gql', 'halfOpen'), health('new', 'closed'), health('x', 'closed'), health('y', 'closed')] });
    const open = vi.fn(async () => undefined);
    render(<IntegrationsHealthCard send={send} openIntegrations={open} />);
    const lines = await screen.findAllByTestId('popup-integration');
    expect(lines.map((l) => l.textContent)).toEqual(['CRMCircuit open', 'DBTest passed · 9 ms', 'GQLHalf-open', 'NEWNot tested']);
    expect(screen.getByText('and 2 more')).toBeTruthy();
    fireEvent.click(screen.getByTestId('popup-integrations-open'));
    expect(open).toHaveBeenCalled();
  });

  it('says when there are none', async () => {
    const { send } = fakeSend({ 'integrations.health': () => [] });
    render(<IntegrationsHealthCard send={send} />);
    expect((await screen.findByTestId('popup-integrations-empty')).textContent).toContain('None yet.');
  });
});
