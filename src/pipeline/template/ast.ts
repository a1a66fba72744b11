/**
 * The compiled form of a `{{...}}` template. Templates are parsed once into this tree and then
 * evaluated per record by walking it: no eval, no `new Function` (MV3 forbids both), and no parsing
 * on the hot path.
 */
import type { JsonValue } from '../../protocol/jsonrpc';

/** A property name or an array index (negative counts from the end). */
export type PathSegment = string | number;

export type TemplateExpression =
  /** A value from the scope: `extracted.items[0].name`, `source.url`, `transformedData`. */
  | { kind: 'path'; root: string; segments: readonly PathSegment[] }
  /** `env.NAME`: read from the env map the caller provides. */
  | { kind: 'env'; name: string }
  /** `credentials.name`: only resolvable where the caller passes resolved credentials (the background). */
  | { kind: 'credential'; name: string }
  /** `now()`, `timestamp`: the render time as an ISO 8601 string. `yesterday`: 24 hours before it. */
  | { kind: 'now' }
  | { kind: 'yesterday' }
  /** `generateId()`: a fresh UUID v4 per evaluation. */
  | { kind: 'generateId' };

export interface Placeholder {
  /** The placeholder as written, braces included: `{{extracted.price | default: 0}}`. */
  readonly source: string;
  /** The expression without braces or filter, as a person would name it: `extracted.price`. */
  readonly name: string;
  readonly expression: TemplateExpression;
  /** From `| default: <JSON>`: used when the value is missing or null. */
  readonly fallback?: { readonly value: JsonValue };
  /**
   * How the value is written into a URL's path, query or fragment (template/url.ts); text elsewhere
   * ignores it. Absent: encoded as one path segment, one query name or value, or fragment text.
   * `raw` (`| raw`): inserted as written, allowed only on the author's own values (env, credentials,
   * the clock). `segments` (`| segments`): a path of several segments, each encoded on its own.
   */
  readonly urlEncoding?: 'raw' | 'segments';
}

export interface CompiledTemplate {
  /** The whole string as written. */
  readonly source: string;
  /** Where the template sits in its configuration, for messages: `mapping.apiField2`. */
  readonly location: string;
  /** Set when the string is exactly one placeholder: its value keeps its type (list, object, number). */
  readonly whole: Placeholder | undefined;
  /** Literal text and placeholders in order; placeholders inside longer text render as text. */
  readonly parts: readonly (string | Placeholder)[];
  /** Names of the credentials this template reads, so callers know before rendering. */
  readonly credentials: readonly string[];
}
