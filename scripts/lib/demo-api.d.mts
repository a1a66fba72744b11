export interface DemoContact {
  id: string;
  createdAt: string;
  idempotencyKey?: string;
  contact: Record<string, unknown>;
  metadata?: unknown;
}
export interface DemoApiStats {
  /** POSTs to /v1/contacts, repeats included. */
  requests: number;
  created: number;
  /** Repeats of an Idempotency-Key answered from the store. */
  replayed: number;
  refused: number;
}
export interface DemoApi {
  url: string;
  contacts: DemoContact[];
  stats: DemoApiStats;
  close(): Promise<void>;
}
export declare function startDemoApi(options?: { port?: number; allowedOrigins?: string[]; delayMs?: number }): Promise<DemoApi>;
