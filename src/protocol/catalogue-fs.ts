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

/**
 * Where a file method reads or writes: `filePath` (the seed's spelling) or `path`, relative to the
 * default granted folder or absolute inside a granted one. Writes may use `{{timestamp}}`-style tokens.
 */
const location = {
  filePath: z.string().optional(),
  path: z.string().optional(),
};
const needsPath = <T extends { filePath?: string | undefined; path?: string | undefined }>(v: T) => v.filePath !== undefined || v.path !== undefined;
const pathRequired = { message: 'filePath (or path) is required', path: ['filePath'] };

/** Text encodings a file may be read or written in (`bytes` reads ignore it). */
/** The tokens the host renders in a write's path (`{{timestamp}}`: ms since 1970, ...): see native-host/src/fs/path-template.ts. */
export const PATH_TEMPLATE_TOKENS = ['timestamp', 'unix', 'date', 'time', 'now', 'datetime', 'uuid'] as const;

export const fileEncoding = z.enum(['utf8', 'utf-8', 'utf16le', 'latin1', 'ascii']);
export type FileEncoding = z.infer<typeof fileEncoding>;

export const readFormat = z.enum(['json', 'text', 'csv', 'ndjson', 'bytes']);
export type ReadFormat = z.infer<typeof readFormat>;
export const writeFormat = z.enum(['json', 'ndjson', 'csv', 'text']);
export type WriteFormat = z.infer<typeof writeFormat>;

/** Any JSON value, possibly absent (a default, a write's content). */
const jsonValue = z.custom<unknown>(() => true);

/** How a CSV text is cut into records (csv-parse options under the seed's names). */
export const csvParseOptions = z.object({
  /** One character (or a short string); default ",". */
  delimiter: z.string().min(1).max(8).optional(),
  /** true: the first line names the columns (default); false: records are arrays; a list: these names, every line is data. */
  headers: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).optional(),
  /** Drop lines with nothing on them (default true). */
  skipEmptyLines: z.boolean().optional(),
  /** The quote character (default `"`), or false to read quotes as plain characters. */
  quote: z.union([z.string().length(1), z.literal(false)]).optional(),
  /** Strip a leading byte order mark (default true). */
  bom: z.boolean().optional(),
  /** Keep rows whose field count differs from the header's (default false: they are skipped). Either way they are reported. */
  relaxColumnCount: z.boolean().optional(),
  /** Trim spaces around every field. */
  trim: z.boolean().optional(),
  /** Stop after this many records. */
  maxRecords: z.number().int().positive().optional(),
});
export type CsvParseOptions = z.infer<typeof csvParseOptions>;

/** Per-column conversions of processCsv, applied in order. */
export const csvTransformation = z.object({
  /** A column name, or a 0-based index when the CSV has no headers. */
  column: z.union([z.string().min(1), z.number().int().nonnegative()]),
  operation: z.enum(['parseDate', 'number', 'trim', 'lowercase', 'uppercase']),
  /** parseDate: read `01/02/2024` as 1 February (day first) rather than 2 January. */
  dayFirst: z.boolean().optional(),
});
export type CsvTransformation = z.infer<typeof csvTransformation>;

const writeOptions = {
  /** Create missing folders (default false: a missing folder answers PathNotFound). */
  createDirectories: z.boolean().optional(),
  /** Keep previous versions as `name.1` (newest) .. `name.N`: true keeps 3, a number keeps that many (0 = none). */
  backup: z.union([z.boolean(), z.number().int().min(0).max(100)]).optional(),
  /** Write a temp file in the same folder, fsync, rename over the target (default true; append mode never). */
  atomic: z.boolean().optional(),
};

/** One row of a CSV problem report (1-based `line`, 0-based `record` among the data records). */
const csvIssue = z.object({
  line: z.number().int(),
  record: z.number().int().optional(),
  column: z.union([z.string(), z.number()]).optional(),
  kind: z.enum(['ragged', 'transform']),
  message: z.string(),
});

const writeResult = z.object({
  /** The real path written (a template rendered, symlinks resolved). */
  path: z.string(),
  /** The granted folder it is in. */
  root: z.string(),
  bytesWritten: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  created: z.boolean(),
  appended: z.boolean(),
  /** Backups rotated before this write, newest first. */
  backups: z.array(z.string()),
});

const entryType = z.enum(['file', 'directory', 'symlink', 'other']);

export const fsMethods = {
  'fs.roots': {
    description: 'The folders the user granted the host (`npx ferry-host roots add <folder>`), and the size limits.',
    params: noParams,
    result: z.object({
      roots: z.array(grantedRoot),
      limits: z.object({ maxReadBytes: z.number().int().positive(), maxWriteBytes: z.number().int().positive() }),
    }),
  },
  'fs.read': {
    description: 'Reads a file inside a granted folder as json, text, csv, ndjson or bytes (base64); errorHandling "useDefault" answers `default` for a missing or unparsable file.',
    params: z
      .object({
        operation: z.literal('read').optional(),
        ...location,
        encoding: fileEncoding.optional(),
        /** Default: json for .json, ndjson for .ndjson/.jsonl, csv for .csv, text otherwise. */
        parseAs: readFormat.optional(),
        errorHandling: z.enum(['fail', 'useDefault']).optional(),
        default: jsonValue.optional(),
        /** parseAs csv: how the text is cut into records. */
        options: csvParseOptions.optional(),
      })
      .refine(needsPath, pathRequired),
    result: z.object({
      path: z.string(),
      data: jsonValue,
      parseAs: readFormat,
      /** Bytes read; 0 when the default was used. */
      size: z.number().int().nonnegative(),
      modified: z.string().optional(),
      usedDefault: z.boolean(),
      /** Why the default was used: the error's code, name and message. */
      error: z.object({ code: z.number().int(), codeName: z.string(), message: z.string() }).optional(),
      /** parseAs csv: ragged rows. */
      issues: z.array(csvIssue).optional(),
    }),
  },
  'fs.write': {
    description: 'Writes json, ndjson, csv or text to a file inside a granted folder: atomic, with backups, createDirectories, append for ndjson/csv and {{timestamp}}-style path tokens.',
    params: z
      .object({
        operation: z.literal('write').optional(),
        ...location,
        content: jsonValue,
        /** Default: from the file name's extension (.json, .ndjson/.jsonl, .csv), else text for a string and json otherwise. */
        format: writeFormat.optional(),
        encoding: fileEncoding.optional(),
        /** Add to the end instead of replacing (ndjson and csv; a csv header only when the file is new or empty). */
        append: z.boolean().optional(),
        /** json: indentation (default 2; 0 for one line). */
        indent: z.number().int().min(0).max(8).optional(),
        /** csv: delimiter and header (default true; a list picks and orders the columns). */
        options: z
          .object({ delimiter: z.string().min(1).max(8).optional(), headers: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).optional() })
          .optional(),
        ...writeOptions,
      })
      .refine(needsPath, pathRequired),
    result: writeResult,
  },
  'fs.processCsv': {
    description: 'Parses a CSV file (or inline text) into records with per-column transformations; optionally writes the records to an output file.',
    params: z
      .object({
        operation: z.literal('processCsv').optional(),
        ...location,
        /** Inline CSV text instead of a file. */
        content: z.string().optional(),
        encoding: fileEncoding.optional(),
        options: csvParseOptions.optional(),
        transformations: z.array(csvTransformation).optional(),
        /** Also write the records out (format from the file name's extension, or csv). */
        output: z
          .object({
            ...location,
            format: writeFormat.optional(),
            options: z.object({ delimiter: z.string().min(1).max(8).optional(), headers: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).optional() }).optional(),
            ...writeOptions,
          })
          .refine(needsPath, pathRequired)
          .optional(),
        /** Leave the records out of the answer (with an output file): only counts and issues come back. */
        omitRecords: z.boolean().optional(),
      })
      .refine((v) => needsPath(v) || v.content !== undefined, { message: 'filePath (or path, or inline content) is required', path: ['filePath'] }),
    result: z.object({
      path: z.string().optional(),
      columns: z.array(z.string()).optional(),
      records: z.array(jsonValue),
      recordCount: z.number().int().nonnegative(),
      skipped: z.number().int().nonnegative(),
      issues: z.array(csvIssue),
      output: writeResult.optional(),
    }),
  },
  'fs.listDirectory': {
    description: 'Lists a folder inside a granted folder: glob filter, recursive (depth-limited, symlinks never followed), sortBy name, size or modifiedDate, order, limit.',
    params: z.object({
      operation: z.literal('listDirectory').optional(),
      /** The folder; "." or omitted is the default granted folder. */
      path: z.string().optional(),
      filePath: z.string().optional(),
      /** A picomatch glob on the path relative to the folder; a pattern without "/" matches the name. */
      filter: z.string().min(1).max(1000).optional(),
      recursive: z.boolean().optional(),
      /** With recursive: levels below the folder (default 10, at most 64). */
      maxDepth: z.number().int().min(0).max(64).optional(),
      sortBy: z.enum(['name', 'size', 'modifiedDate']).optional(),
      order: z.enum(['asc', 'desc']).optional(),
      limit: z.number().int().positive().max(100_000).optional(),
      /** Which kinds to list (default all). */
      type: z.enum(['file', 'directory', 'all']).optional(),
    }),
    result: z.object({
      path: z.string(),
      root: z.string(),
      entries: z.array(
        z.object({
          /** Relative to the listed folder, with "/" separators. */
          path: z.string(),
          name: z.string(),
          type: entryType,
          size: z.number().int().nonnegative(),
          modified: z.string(),
        }),
      ),
      /** Entries that matched before `limit` cut the list. */
      total: z.number().int().nonnegative(),
      /** The walk stopped early (the scan limit) or `limit` dropped entries. */
      truncated: z.boolean(),
    }),
  },
} as const;
