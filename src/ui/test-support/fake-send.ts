/** A fake background for component tests: answers from handlers, records every call, refuses the rest. */
import { vi } from 'vitest';
import type { MessageType, RequestOf, ResponseOf } from '../../messaging/contract';
import type { RunSummary } from '../../runs/run-service';
import type { RunCounts, RunRow, RunStatus } from '../../storage/rows';
import type { BackgroundSend } from '../background';
import { isFinished } from '../popup/runStatusText';

export type Handlers = { [T in MessageType]?: (data: RequestOf<T>) => ResponseOf<T> | Promise<ResponseOf<T>> };

export function fakeSend(handlers: Handlers) {
  const calls: Array<{ type: MessageType; data: unknown }> = [];
  const send = vi.fn(async (type: MessageType, data: unknown) => {
    calls.push({ type, data });
    const handler = handlers[type] as ((d: unknown) => unknown) | undefined;
    if (!handler) throw new Error(`unexpected message ${type}`);
    return handler(data);
  }) as unknown as BackgroundSend;
  const callsOf = (type: MessageType) => calls.filter((c) => c.type === type).map((c) => c.data);
  return { send, calls, callsOf };
}

export function runRow(i: number, status: RunStatus = 'succeeded', counts: Partial<RunCounts> = {}): RunRow {
  const at = Date.UTC(2025, 0, 1, 12, 0, 0) + i * 60_000;
  return {
    id: `run-${String(i).padStart(4, '0')}`,
    pipelineId: i % 2 === 0 ? 'demo' : 'orders',
    status,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    ...(isFinished(status) ? { finishedAt: at + 1500 } : {}),
    counts: { extracted: 10, sent: 9, rejected: 1, failed: 0, retried: 0, ...counts },
  };
}

export function runSummary(row: RunRow, extra: Partial<RunSummary> = {}): RunSummary {
  return { ...row, jobs: { pending: 0, inFlight: 0, done: 9, failed: 0, deadLettered: 0, total: 9 }, deadLetters: 0, ...extra };
}

export const PIPELINES = [
  { id: 'demo', name: 'Demo: page → local API', updatedAt: 0 },
  { id: 'orders', name: 'Orders', updatedAt: 0 },
];
