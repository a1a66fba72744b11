import type { HttpAuth } from '../http/types';

/** One GraphQL request after templating: the seed's graphqlConfig (endpoint, query, variables) and more. */
export interface GraphQLRequestOptions {
  endpoint: string;
  /** A query or a mutation (mutations are always POSTed). */
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Resolved credentials, applied as for HTTP (bearer, basic, API key in a header or the query). */
  auth?: HttpAuth;
  /** Milliseconds for the whole attempt, body included. Default 30 000. */
  timeout?: number;
  signal?: AbortSignal;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** An entry of the response's `errors[]`, as the GraphQL spec shapes it. */
export interface GraphQLErrorEntry {
  message: string;
  /** Response path of the field that failed: names and list indexes, e.g. ['createRecords', 2, 'email']. */
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * What one GraphQL attempt produced. `errors` inside a 200 are results, not exceptions, and `data`
 * keeps whatever the server resolved next to them (partial data). A non-2xx status is returned too,
 * with whatever GraphQL body came with it.
 */
export interface GraphQLAttempt {
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  data: Record<string, unknown> | null;
  errors: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
  durationMs: number;
}
