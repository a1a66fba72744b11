/**
 * `file`: the seed's file write block as a delivery step, run by the native host (`fs.write`) inside
 * the folders the user granted. `content` defaults to the job's records (one record, or the batch's
 * list in batch mode); `"{{processedData}}"` and its synonyms say the same. The path may use the
 * record's fields and `{{env.*}}`, and the host's own tokens (`{{timestamp}}`, `{{date}}`, `{{uuid}}`,
 * ...) which the host renders when it writes. Nothing in a file step may read a credential: a file
 * is an export, and secrets never reach one.
 */
import { z } from 'zod';
import { boolean, integer, list, oneOf, strict, templatedJsonWithoutCredentials, templateTextWithoutCredentials, text } from './common';

export const FILE_FORMATS = ['json', 'ndjson', 'csv', 'text'] as const;
export const FILE_ENCODINGS = ['utf8', 'utf-8', 'utf16le', 'latin1', 'ascii'] as const;

const NO_SECRET = 'no {{credentials.*}}: a file is an export, and secrets never reach one';
const PATH = 'a file path inside a granted folder, such as "./output/extracted-data-{{timestamp}}.json"';

export const FileBlockSchema = strict(
  {
    operation: z.literal('write', { error: '"write" (reading files is done by the host methods fs.read and fs.processCsv, not by a delivery step)' }),
    filePath: templateTextWithoutCredentials(PATH).optional(),
    path: templateTextWithoutCredentials(PATH).optional(),
    content: templatedJsonWithoutCredentials(NO_SECRET).optional(),
    format: oneOf(FILE_FORMATS).optional(),
    encoding: oneOf(FILE_ENCODINGS).optional(),
    append: boolean().optional(),
    indent: integer(0, 8, 'a number of spaces from 0 to 8').optional(),
    options: strict(
      {
        delimiter: text('a delimiter of 1 to 8 characters').max(8, { error: 'a delimiter of 1 to 8 characters' }).optional(),
        headers: z.union([boolean(), list(text('a column name'), 'a list of column names').min(1)], { error: 'true, false or a list of column names' }).optional(),
      },
      'CSV options such as {"delimiter": ";", "headers": true}',
    ).optional(),
    createDirectories: boolean().optional(),
    backup: z.union([boolean(), integer(0, 100, 'a number of versions from 0 to 100')], { error: 'true (keep 3 versions) or a number of versions to keep' }).optional(),
    atomic: boolean().optional(),
  },
  'a file write such as {"operation": "write", "filePath": "./output/data.csv", "format": "csv", "append": true}',
).superRefine((block, ctx) => {
  if (block.filePath === undefined && block.path === undefined) ctx.addIssue({ code: 'custom', path: ['filePath'], message: PATH });
  if (block.filePath !== undefined && block.path !== undefined) ctx.addIssue({ code: 'custom', path: ['path'], message: 'either "filePath" or "path", not both' });
  const format = block.format ?? formatOfPath(block.filePath ?? block.path ?? '');
  if (block.append === true && format !== 'csv' && format !== 'ndjson') {
    ctx.addIssue({ code: 'custom', path: ['append'], message: 'append only with "format": "csv" or "ndjson" (a .csv, .ndjson or .jsonl file): a JSON document cannot be appended to' });
  }
});

/** The format the host infers from a file name when none is given. */
export function formatOfPath(path: string): (typeof FILE_FORMATS)[number] | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

export type FileBlock = z.output<typeof FileBlockSchema>;
