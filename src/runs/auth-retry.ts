/**
 * Once on a 401: a request that carried credentials a refresher can renew (an OAuth connection's
 * access token) and was answered 401 has them renewed, is rendered again and sent once more, within
 * the same attempt. The user's retry policy and audit see one attempt with the final response. A
 * renewal that cannot happen throws its own error (OAUTH_RECONNECT_NEEDED dead-letters the batch,
 * OAUTH_REFRESH_UNAVAILABLE postpones it).
 */
import type { RenderedDelivery } from './render-delivery';

/** True when the credential was renewed (or already had been since `renderedAt`). */
export type CredentialRefresher = (name: string, renderedAt: number) => Promise<boolean>;

export function retryOnceOnUnauthorized(
  first: RenderedDelivery,
  options: { credentials: readonly string[]; renderedAt: number; refresh: CredentialRefresher; rerender: () => Promise<RenderedDelivery> },
): RenderedDelivery {
  let second: RenderedDelivery | undefined;
  let refreshed = false;
  return {
    ...first,
    // A server may echo either token back: scrub both renderings' values.
    scrub: (text) => (second ? second.scrub(first.scrub(text)) : first.scrub(text)),
    send: async (signal) => {
      const response = await (second ?? first).send(signal);
      if (refreshed || !('status' in response) || response.status !== 401) return response;
      refreshed = true;
      let renewed = false;
      for (const name of options.credentials) if (await options.refresh(name, options.renderedAt)) renewed = true;
      if (!renewed) return response;
      second = await options.rerender();
      return second.send(signal);
    },
  };
}
