/**
 * CSV for the file methods, through csv-parse and csv-stringify: parsing with the seed's options
 * (delimiter, headers true/false/list, skipEmptyLines, quote, BOM, trim, relaxColumnCount), ragged
 * rows reported rather than thrown, per-column transformations, and records back to CSV text.
 * Quoted newlines and doubled quotes are csv-parse's job; a broken quote is FileParseFailed.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { CsvParseOptions, CsvTransformation } from '../../../src/protocol';
import { sandboxError } from './sandbox-error';

export interface CsvIssue {
  /** 1-based line the record ends on (csv-parse's count); 0 for a problem with no line. */
  line: number;
  /** 0-based index among the data records (header excluded). */
  record?: number;
  column?: string | number;
  kind: 'ragged' | 'transform';
  message: string;
}

export type CsvRecord = Record<string, unknown> | unknown[];

export interface CsvResult {
  /** Column names, when the CSV has headers (or was given a list). */
  columns?: string[];
  records: CsvRecord[];
  issues: CsvIssue[];
  /** Ragged rows left out (relaxColumnCount false). */
  skipped: number;
  /** The line each record ended on, parallel to `records`. */
  lines: number[];
}

interface Row {
  record: string[];
  info: { lines: number };
}

export function parseCsv(text: string, options: CsvParseOptions, path = 'inline CSV'): CsvResult {
  let rows: Row[];
  try {
    rows = parse(text, {
      delimiter: options.delimiter ?? ',',
      bom: options.bom ?? true,
      skipEmptyLines: options.skipEmptyLines ?? true,
      quote: options.quote === false ? null : (options.quote ?? '"'),
      trim: options.trim ?? false,
      relaxColumnCount: true,
      info: true,
    }) as unknown as Row[];
  } catch (error) {
    const e = error as Error & { lines?: number; code?: string };
    throw sandboxError('FileParseFailed', `${path} is not valid CSV: ${e.message}`, path, 'csv', { ...(e.lines ? { line: e.lines } : {}), ...(e.code ? { csvCode: e.code } : {}) });
  }
  const headers = options.headers ?? true;
  let columns: string[] | undefined;
  if (headers === true) {
    const first = rows.shift();
    columns = first ? dedupe(first.record) : [];
  } else if (Array.isArray(headers)) {
    columns = dedupe(headers);
  }
  const issues: CsvIssue[] = [];
  const records: CsvRecord[] = [];
  const lines: number[] = [];
  let skipped = 0;
  const width = columns?.length ?? rows[0]?.record.length ?? 0;
  for (const row of rows) {
    if (options.maxRecords !== undefined && records.length >= options.maxRecords) break;
    const fields = row.record;
    if (fields.length !== width) {
      const keep = options.relaxColumnCount === true;
      issues.push({
        line: row.info.lines,
        ...(keep ? { record: records.length } : {}),
        kind: 'ragged',
        message: `${fields.length} fields where ${width} were expected; ${keep ? 'kept (missing fields are null, extra ones dropped)' : 'skipped'}`,
      });
      if (!keep) {
        skipped++;
        continue;
      }
    }
    records.push(columns ? Object.fromEntries(columns.map((c, i) => [c, fields[i] ?? null])) : [...fields]);
    lines.push(row.info.lines);
  }
  return { ...(columns ? { columns } : {}), records, issues, skipped, lines };
}

/** Empty names become `column_N`, repeated ones get `_2`, `_3`: every field keeps a key. */
function dedupe(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/** Applies the transformations in place; a value that cannot be converted becomes null and is reported. */
export function applyTransformations(result: CsvResult, transformations: readonly CsvTransformation[]): void {
  for (const t of transformations) {
    const key = typeof t.column === 'number' && result.columns ? result.columns[t.column] : t.column;
    if (key === undefined || (result.columns && typeof key === 'string' && !result.columns.includes(key)) || (!result.columns && typeof key !== 'number')) {
      result.issues.push({ line: 0, column: t.column, kind: 'transform', message: `no column ${JSON.stringify(t.column)} to ${t.operation}` });
      continue;
    }
    result.records.forEach((record, index) => {
      const holder = record as Record<string | number, unknown>;
      const value = holder[key];
      if (value === null || value === undefined) return;
      const converted = transform(String(value), t);
      if (converted.ok) holder[key] = converted.value;
      else {
        holder[key] = null;
        result.issues.push({ line: result.lines[index] ?? 0, record: index, column: t.column, kind: 'transform', message: converted.message });
      }
    });
  }
}

type Converted = { ok: true; value: unknown } | { ok: false; message: string };

export function transform(value: string, t: Pick<CsvTransformation, 'operation' | 'dayFirst'>): Converted {
  switch (t.operation) {
    case 'trim':
      return { ok: true, value: value.trim() };
    case 'lowercase':
      return { ok: true, value: value.toLowerCase() };
    case 'uppercase':
      return { ok: true, value: value.toUpperCase() };
    case 'number': {
      const text = value.trim().replace(/[\s_]/g, '');
      if (text === '') return { ok: true, value: null };
      const n = Number(text);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `${JSON.stringify(value)} is not a number` };
    }
    case 'parseDate': {
      if (value.trim() === '') return { ok: true, value: null };
      const iso = toIsoDate(value.trim(), t.dayFirst === true);
      return iso === undefined ? { ok: false, message: `${JSON.stringify(value)} is not a date Ferry recognizes` } : { ok: true, value: iso };
    }
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * ISO 8601 from common spellings: a date alone becomes `YYYY-MM-DD`; a date with a time becomes a UTC
 * timestamp (`…T…Z`), times without a zone being taken as UTC so the answer never depends on the
 * host's time zone. Accepts ISO forms, `YYYY/MM/DD`, `MM/DD/YYYY` (`DD/MM/YYYY` with dayFirst),
 * `DD.MM.YYYY`, and epoch seconds or milliseconds.
 */
export function toIsoDate(value: string, dayFirst = false): string | undefined {
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, m[4], m[5], m[6], m[7], m[8]);
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (m) {
    const dotted = m[2] === '.';
    const [month, day] = dayFirst || dotted ? [+m[3]!, +m[1]!] : [+m[1]!, +m[3]!];
    return build(+m[4]!, month, day, m[5], m[6], m[7]);
  }
  if (/^\d{9,13}$/.test(value)) {
    const n = Number(value);
    const d = new Date(value.length <= 10 ? n * 1000 : n);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}

function build(year: number, month: number, day: number, h?: string, min?: string, s?: string, frac?: string, zone?: string): string | undefined {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  if (h === undefined) return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (+h > 23 || +min! > 59 || +(s ?? 0) > 59) return undefined;
  const z = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(+h)}:${min}:${s ?? '00'}${frac ?? ''}${z}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export interface StringifyOptions {
  delimiter?: string;
  /** true (default): a header from the records' keys; a list: these columns in this order; false: none. */
  headers?: boolean | string[];
  /** False when appending to a file that already has rows. */
  includeHeader?: boolean;
}

/** Records (objects or arrays) to CSV text; objects' columns are the union of their keys in first-seen order. */
export function stringifyCsv(records: readonly CsvRecord[], options: StringifyOptions = {}): string {
  const headers = options.headers ?? true;
  const objects = records.some((r) => !Array.isArray(r));
  let columns: string[] | undefined;
  if (Array.isArray(headers)) columns = headers;
  else if (objects) {
    const seen = new Set<string>();
    for (const r of records) if (!Array.isArray(r)) for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen];
  }
  const rows: unknown[][] = records.map((r) => (Array.isArray(r) ? r : columns!.map((c) => r[c])).map(cell));
  if (headers !== false && options.includeHeader !== false && columns !== undefined) rows.unshift(columns);
  return stringify(rows, { delimiter: options.delimiter ?? ',' });
}

/** Nested values as JSON text, null/undefined as empty, dates as ISO. */
function cell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return value instanceof Date ? value.toISOString() : JSON.stringify(value);
  return value;
}
