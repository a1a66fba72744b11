/**
 * Pipeline documents carry `version` and are stored as written, so a pipeline saved by an older
 * Ferry keeps working: each migration lifts a document one version, and `migratePipeline` runs the
 * chain up to the current version before validation. A document from a newer Ferry is refused
 * rather than guessed at: its meaning may have changed in ways this version cannot know.
 */
import { FerryError } from '../errors/ferry-error';
import { PIPELINE_VERSION } from './schema/pipeline';

export type PipelineDocument = Record<string, unknown>;

export interface PipelineMigration {
  /** Lifts a document from `from` to `from + 1`. Receives a private copy: it may change it in place. */
  from: number;
  migrate(doc: PipelineDocument): PipelineDocument;
}

/** Ferry's migrations, oldest first. Version 1 is the first released format, so there are none yet. */
export const PIPELINE_MIGRATIONS: readonly PipelineMigration[] = [];

export interface MigrationResult {
  document: PipelineDocument;
  /** The version the document was written in. */
  fromVersion: number;
  /** True when a migration changed it (the caller may store the upgraded form). */
  migrated: boolean;
}

export function migratePipeline(input: unknown, migrations: readonly PipelineMigration[] = PIPELINE_MIGRATIONS, current = PIPELINE_VERSION): MigrationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid('(the document)', 'a pipeline object such as {"version": 1, "id": ..., "steps": [...]}');
  }
  const version = (input as PipelineDocument).version;
  if (version === undefined) throw invalid('version', `the pipeline format version (${current} for this Ferry), but it is missing`);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw invalid('version', `a whole number (the pipeline format version, ${current} for this Ferry), got ${JSON.stringify(version)}`);
  }
  if (version > current) {
    throw new FerryError(
      'PIPELINE_VERSION_UNSUPPORTED',
      `This pipeline is in format version ${version}, made by a newer Ferry; this Ferry reads versions up to ${current}. Update Ferry to use it.`,
      { version, supported: current },
    );
  }
  let doc = structuredClone(input) as PipelineDocument;
  for (let v = version; v < current; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) {
      throw new FerryError('PIPELINE_VERSION_UNSUPPORTED', `This pipeline is in format version ${v}, which this Ferry cannot upgrade (no migration from ${v} to ${v + 1}).`, {
        version: v,
        supported: current,
      });
    }
    doc = step.migrate(doc);
    doc.version = v + 1;
  }
  return { document: doc, fromVersion: version, migrated: version !== current };
}

function invalid(path: string, expected: string): FerryError {
  const message = `${path}: expected ${expected}`;
  return new FerryError('PIPELINE_INVALID', `The pipeline has a problem:\n- ${message}`, { issues: [{ path: path === '(the document)' ? '' : path, expected, message }] });
}
