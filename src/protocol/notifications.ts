/**
 * Protocol-level notifications (the `$/` prefix marks them as transport, not application, traffic;
 * the convention comes from the Language Server Protocol).
 */
import { z } from 'zod';

const requestId = z.union([z.string(), z.number()]);

/** Host → client: progress of a long call, correlated by the request's id. */
export const PROGRESS = '$/progress';
export const progressParams = z.object({
  id: requestId,
  message: z.string().optional(),
  done: z.number().nonnegative().optional(),
  total: z.number().nonnegative().optional(),
});
export type ProgressParams = z.infer<typeof progressParams>;

/** Client → host: abort an in-flight call; the host answers it with RequestCancelled. */
export const CANCEL_REQUEST = '$/cancelRequest';
export const cancelParams = z.object({ id: requestId });
export type CancelParams = z.infer<typeof cancelParams>;

/** Either direction: one piece of a message too large for a single frame (see chunking.ts). */
export const CHUNK = '$/chunk';
export const chunkParams = z.object({
  stream: z.string().min(1),
  seq: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  data: z.string(),
});
export type ChunkParams = z.infer<typeof chunkParams>;
