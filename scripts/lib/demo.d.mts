import type { DemoApi } from './demo-api.mjs';

export declare const DEMO_PIPELINE: { id: string; name: string };
interface DemoRun {
  status: string;
  counts: { extracted: number; rejected: number; sent: number; failed: number; retried: number };
  error?: { message: string };
}
interface DemoReject {
  record: unknown;
  reasons: { message: string }[];
}
export interface DemoResult {
  started: { runId: string; extracted: number; warnings: string[] };
  run: DemoRun;
  rejects: DemoReject[];
  deadLetters: { lastOutcome: { message?: string } }[];
  check: { ok: boolean; problems: string[] };
}
export declare function installDemo(send: (type: string, data: unknown) => Promise<unknown>, options: { pipelineFile: string; apiUrl: string }): Promise<unknown>;
export declare function runDemo(options: { context: unknown; extensionId: string; page: unknown; api: DemoApi }): Promise<DemoResult>;
export declare function checkDelivery(run: DemoRun, rejects: DemoReject[], api: Pick<DemoApi, 'contacts'>): { ok: boolean; problems: string[] };
export declare function describeDemo(result: DemoResult, where: { pageUrl: string; api: Pick<DemoApi, 'url' | 'contacts' | 'stats'> }): string[];
