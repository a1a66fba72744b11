/**
 * The one way into a `Pipeline`: text as pasted (comments, backtick strings, trailing commas) or an
 * already-parsed value, migrated to the current version, then validated. Every problem is reported
 * at once, each with its JSON path and what is expected there.
 */
import type { z } from 'zod';
import { parseConfigText } from './config-text';
import { validateConfig } from './issues';
import { migratePipeline } from './migrations';
import { PipelineSchema, type Pipeline } from './schema/pipeline';

/**
 * Returns the typed pipeline (defaults filled in). Throws FerryError `CONFIG_SYNTAX` (text that is
 * not valid configuration), `PIPELINE_VERSION_UNSUPPORTED` (a newer format), or `PIPELINE_INVALID`
 * with `details.issues: { path, expected, got?, message }[]`.
 */
export function parsePipeline(input: string | unknown): Pipeline {
  const value = typeof input === 'string' ? parseConfigText(input) : input;
  const { document } = migratePipeline(value);
  return validateConfig(PipelineSchema, document, 'pipeline', 'PIPELINE_INVALID');
}

/** Validates one seed block (e.g. a `circuitBreaker` object) on its own; throws FerryError `CONFIG_INVALID`. */
export function parseBlock<S extends z.ZodType>(schema: S, input: string | unknown, what: string): z.output<S> {
  return validateConfig(schema, typeof input === 'string' ? parseConfigText(input) : input, what);
}
