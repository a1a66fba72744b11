/**
 * Runs every record through the pipeline's transform steps (map, then validate) when the run starts.
 * The mapped records are what the queue stores and the delivery step sends; a record any transform
 * rejects is kept aside with every reason and never sent.
 *
 * Transforms are chained: in each one `{{extracted.*}}` is the record as extracted, and
 * `{{transformedData.*}}` / `{{preparedData.*}}` the previous transform's output (the extracted
 * record for the first).
 */
import { FerryError } from '../errors/ferry-error';
import { compileTransformation, mapRecord, type CompiledTransformation } from '../pipeline';
import type { NewReject } from '../storage/rejects';
import type { PipelineShape } from './pipeline-shape';
import type { RunSource } from './types';

export interface PreparedRecords {
  accepted: unknown[];
  /** Each accepted record's position in the records given, so messages can name it. */
  acceptedIndexes: number[];
  rejected: NewReject[];
}

export interface PrepareOptions {
  source: RunSource;
  env?: Readonly<Record<string, string | undefined>>;
  /** One clock reading for the whole start, so `{{now()}}` agrees across the run's records. */
  now: number;
  /** A last check of each mapped record (the delivery URL's values: url-rejects.ts); a reason rejects it. */
  checkRecord?: (mapped: unknown, index: number) => NewReject['reasons'][number] | undefined;
}

export function prepareRecords(shape: PipelineShape, records: readonly unknown[], options: PrepareOptions): PreparedRecords {
  const transforms = shape.transforms.map(({ step, index }) => compileTransform(step.dataTransformation, index));
  const accepted: unknown[] = [];
  const acceptedIndexes: number[] = [];
  const rejected: NewReject[] = [];
  const render = { now: options.now, ...(options.env ? { env: options.env } : {}) };
  records.forEach((record, index) => {
    let current: unknown = record;
    for (const compiled of transforms) {
      const scope = { extracted: record, transformedData: current, preparedData: current, source: options.source };
      const mapped = mapRecord(compiled, scope, { ...render, record: { index } });
      if (mapped.rejected) {
        // The record as extracted, which is what the user can correct; the mapped one adds nothing.
        rejected.push({ record, reasons: mapped.rejected.map((r) => ({ path: r.field, rule: r.rule, message: r.message })) });
        return;
      }
      current = mapped.record;
    }
    const problem = options.checkRecord?.(current, index);
    if (problem) {
      rejected.push({ record, reasons: [problem] });
      return;
    }
    accepted.push(current);
    acceptedIndexes.push(index);
  });
  return { accepted, acceptedIndexes, rejected };
}

/**
 * Mapped records are stored in IndexedDB until they are sent, so a mapping may not read a credential:
 * its plaintext would sit in the queue, the dead letters and the reject list. Credentials belong in
 * the delivery step (headers, auth), which is rendered at send time and never stored.
 */
function compileTransform(block: Parameters<typeof compileTransformation>[0], index: number): CompiledTransformation {
  const location = `steps[${index}].dataTransformation`;
  const compiled = compileTransformation(block, location);
  if (compiled.credentials.size > 0) {
    throw new FerryError(
      'PIPELINE_UNSUPPORTED_SHAPE',
      `${location}.mapping reads ${[...compiled.credentials].map((c) => `{{credentials.${c}}}`).join(', ')}; mapped records are stored until they are sent, so credentials belong in the delivery step's headers or auth instead.`,
      { location, credentials: [...compiled.credentials] },
    );
  }
  return compiled;
}
