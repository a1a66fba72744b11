import type { DemoApi } from './demo-api.mjs';

interface DemoPipeline {
  id: string;
  name: string;
  file: string;
}
export declare const DEMO_PIPELINE: DemoPipeline;
export declare const DEMO_SQLITE_PIPELINE: DemoPipeline & { table: string };
export declare const DEMO_CSV_PIPELINE: DemoPipeline & { csvFile: string };
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
  sqlite?: DemoPipelineRun & { database: string; check: { ok: boolean; problems: string[]; rows: number } };
  csv?: DemoPipelineRun & { file: string; check: { ok: boolean; problems: string[]; lines: number } };
}
interface DemoPipelineRun {
  started: { runId: string; extracted: number; warnings: string[] };
  run: DemoRun;
  rejects: DemoReject[];
  deadLetters: { lastOutcome: { message?: string } }[];
}
export declare function installDemo(send: (type: string, data: unknown) => Promise<unknown>, options: { demoDir: string; apiUrl: string; exportsDir?: string }): Promise<void>;
export declare function runDemo(options: { context: unknown; extensionId: string; page: unknown; api: DemoApi; dataDir?: string; exportsDir?: string }): Promise<DemoResult>;
export declare function checkSqlite(run: DemoRun, emails: string[]): { ok: boolean; problems: string[]; rows: number };
export declare function checkCsv(run: DemoRun, lines: string[]): { ok: boolean; problems: string[]; lines: number };
export declare function checkDelivery(run: DemoRun, rejects: DemoReject[], api: Pick<DemoApi, 'contacts'>): { ok: boolean; problems: string[] };
export declare function describeDemo(result: DemoResult, where: { pageUrl: string; api: Pick<DemoApi, 'url' | 'contacts' | 'stats'> }): string[];
