/**
 * File content ↔ bytes for fs.read and fs.write: decoding (encoding, byte order mark), parsing as
 * json, ndjson, csv, text or bytes, and serializing content as json, ndjson, csv or text. Failures
 * are FileParseFailed (reading) or InvalidParams on `params.content` (writing content that does not fit
 * its format).
 */
import { extname } from 'node:path';
import { ErrorCode, RpcError, type CsvParseOptions, type FileEncoding, type ReadFormat, type WriteFormat } from '../../../src/protocol';
import { parseCsv, stringifyCsv, type CsvIssue } from './csv';
import { sandboxError } from './sandbox-error';

export function bufferEncoding(encoding: FileEncoding | undefined): BufferEncoding {
  return encoding === undefined || encoding === 'utf-8' ? 'utf8' : encoding;
}

/** Decodes text, dropping a leading byte order mark. */
export function decodeText(bytes: Buffer, encoding: FileEncoding | undefined): string {
  const text = bytes.toString(bufferEncoding(encoding));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readFormatOf(path: string): ReadFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv') return 'csv';
  return 'text';
}

export function writeFormatOf(path: string, content: unknown): WriteFormat {
  const byName = readFormatOf(path);
  if (byName !== 'text' && byName !== 'bytes') return byName;
  return typeof content === 'string' ? 'text' : 'json';
}

export interface Parsed {
  data: unknown;
  issues?: CsvIssue[];
}

/** Parses a file's bytes as `parseAs`. */
export function parseContent(bytes: Buffer, parseAs: ReadFormat, path: string, encoding?: FileEncoding, csv?: CsvParseOptions): Parsed {
  if (parseAs === 'bytes') return { data: bytes.toString('base64') };
  const text = decodeText(bytes, encoding);
  if (parseAs === 'text') return { data: text };
  if (parseAs === 'json') {
    try {
      return { data: JSON.parse(text) };
    } catch (error) {
      throw sandboxError('FileParseFailed', `${path} is not valid JSON: ${(error as Error).message}`, path, 'json');
    }
  }
  if (parseAs === 'ndjson') {
    const out: unknown[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue;
      try {
        out.push(JSON.parse(lines[i]!));
      } catch (error) {
        throw sandboxError('FileParseFailed', `${path}, line ${i + 1}, is not valid JSON: ${(error as Error).message}`, path, 'ndjson', { line: i + 1 });
      }
    }
    return { data: out };
  }
  const result = parseCsv(text, csv ?? {}, path);
  return { data: result.records, issues: result.issues };
}

function badContent(message: string): RpcError {
  return new RpcError(ErrorCode.InvalidParams, message, { issues: [{ path: 'params.content', message }] });
}

export interface EncodeOptions {
  indent?: number;
  delimiter?: string;
  headers?: boolean | string[];
  /** Appending to a file that already has content: no csv header, and ndjson/csv start on a new line. */
  appendingToNonEmpty?: boolean;
}

/** Serializes content in a write format. */
export function encodeContent(content: unknown, format: WriteFormat, options: EncodeOptions = {}): string {
  if (format === 'text') {
    if (typeof content !== 'string') throw badContent('format "text" writes a string: content is not one');
    return content;
  }
  if (format === 'json') {
    const text = JSON.stringify(content, null, options.indent ?? 2);
    if (text === undefined) throw badContent('content is missing: there is nothing to write as JSON');
    return `${text}\n`;
  }
  const items = Array.isArray(content) ? content : [content];
  if (format === 'ndjson') {
    if (content === undefined) throw badContent('content is missing: ndjson writes a record or a list of records');
    return items.map((item) => `${JSON.stringify(item)}\n`).join('');
  }
  if (!items.every((r) => r !== null && typeof r === 'object')) {
    throw badContent('format "csv" writes records: content must be an object or a list of objects (or of arrays)');
  }
  return stringifyCsv(items as (Record<string, unknown> | unknown[])[], {
    delimiter: options.delimiter,
    headers: options.headers,
    includeHeader: !options.appendingToNonEmpty,
  });
}
