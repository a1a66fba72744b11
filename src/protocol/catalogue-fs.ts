/**
 * `fs.*` methods of the catalogue: the folders the user granted the host (the sandbox). Spread into
 * `methods` in catalogue.ts; kept apart so each namespace's declarations merge independently.
 */
import { z } from 'zod';

const noParams = z.union([z.object({}).strict(), z.array(z.never()).length(0)]).optional();

export const grantedRoot = z.object({
  /** Short name chosen at `ferry-host roots add` (defaults to the folder's name). */
  name: z.string(),
  /** Absolute, symlink-free path. */
  path: z.string(),
  /** Relative paths resolve inside the default root. */
  default: z.boolean(),
  /** Writes are refused with RootReadOnly. */
  readOnly: z.boolean(),
  /** False when the folder is gone (or was replaced by a symlink) since it was granted. */
  exists: z.boolean(),
});
export type GrantedRootInfo = z.infer<typeof grantedRoot>;

export const fsMethods = {
  'fs.roots': {
    description: 'The folders the user granted the host (`npx ferry-host roots add <folder>`), and the size limits.',
    params: noParams,
    result: z.object({
      roots: z.array(grantedRoot),
      limits: z.object({ maxReadBytes: z.number().int().positive(), maxWriteBytes: z.number().int().positive() }),
    }),
  },
} as const;
