/**
 * Which dead letters a replay or discard message means: `{ ids }` or `{ runId }`, exactly one.
 * Messages reach the background unchecked, so the shape is checked here, before any storage call,
 * with an error that says what to send.
 */
import { FerryError } from '../errors/ferry-error';

export type DeadLetterTarget = readonly number[] | { runId: string };

export function deadLetterTarget(input: unknown, message: string): DeadLetterTarget {
  const request = (typeof input === 'object' && input !== null ? input : {}) as { ids?: unknown; runId?: unknown };
  const hasIds = request.ids !== undefined;
  const hasRun = request.runId !== undefined;
  if (hasIds !== hasRun) {
    if (hasRun && typeof request.runId === 'string' && request.runId !== '') return { runId: request.runId };
    if (hasIds && Array.isArray(request.ids) && request.ids.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) return request.ids as number[];
  }
  throw new FerryError(
    'DEAD_LETTER_TARGET_INVALID',
    `${message} needs either "ids" (a list of dead-letter ids, as runs.deadLetters lists them) or "runId" (all of that run's dead letters), not both.`,
    { message },
  );
}
