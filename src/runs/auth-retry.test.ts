import { describe, expect, it, vi } from 'vitest';
import type { HttpAttempt } from '../integrations';
import { retryOnceOnUnauthorized } from './auth-retry';
import type { RenderedDelivery } from './render-delivery';

function rendered(token: string, statuses: number[]): RenderedDelivery & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    url: 'https://api.test/items', target: { method: 'POST', host: 'api.test', path: '/items' }, retryRequest: { method: 'POST', headers: {} }, idempotencyKey: 'k',
    scrub: (text) => text.split(token).join('[redacted]'),
    send: async () => {
      sent.push(token);
      return { status: statuses.shift() ?? 200, ok: true, headers: {}, body: null, durationMs: 1 } as unknown as HttpAttempt;
    },
  };
}

describe('retryOnceOnUnauthorized', () => {
  it('renews, renders again and sends once more after a 401; later 401s are returned as they are', async () => {
    const first = rendered('old-token', [401]);
    const second = rendered('new-token', [200, 401]);
    const refresh = vi.fn(async () => true);
    const rerender = vi.fn(async () => second);
    const delivery = retryOnceOnUnauthorized(first, { credentials: ['svc.accessToken'], renderedAt: 5, refresh, rerender });
    expect(await delivery.send(new AbortController().signal)).toMatchObject({ status: 200 });
    expect(refresh).toHaveBeenCalledWith('svc.accessToken', 5);
    expect([first.sent, second.sent]).toEqual([['old-token'], ['new-token']]);
    // A retry of the same job (the user's policy) uses the new rendering, and a 401 now is final.
    expect(await delivery.send(new AbortController().signal)).toMatchObject({ status: 401 });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(rerender).toHaveBeenCalledTimes(1);
    expect(delivery.scrub('old-token new-token')).toBe('[redacted] [redacted]');
  });

  it('returns the 401 when nothing could be renewed, and leaves other statuses alone', async () => {
    const refresh = vi.fn(async () => false);
    const rerender = vi.fn();
    const delivery = retryOnceOnUnauthorized(rendered('t', [401]), { credentials: ['apiToken'], renderedAt: 0, refresh, rerender });
    expect(await delivery.send(new AbortController().signal)).toMatchObject({ status: 401 });
    expect(rerender).not.toHaveBeenCalled();
    const ok = retryOnceOnUnauthorized(rendered('t', [403]), { credentials: ['apiToken'], renderedAt: 0, refresh, rerender });
    expect(await ok.send(new AbortController().signal)).toMatchObject({ status: 403 });
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
