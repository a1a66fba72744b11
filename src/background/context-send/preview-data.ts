/**
 * What the preview window shows for a pending send: the pipeline, how many records were taken, the
 * mapped payload of the first ones (what the delivery step will send, after the pipeline's
 * transforms) and the rejected ones with their reasons. Computed with the same preparation the run
 * will do, so the preview cannot disagree with what is sent.
 */
import { FerryError } from '../../errors/ferry-error';
import { parsePipeline } from '../../pipeline';
import { pipelineShape } from '../../runs/pipeline-shape';
import { prepareRecords } from '../../runs/prepare-records';
import type { RunEngine } from '../run-engine';
import type { PendingSends } from './pending-sends';

export const PREVIEW_MAPPED = 10;
export const PREVIEW_REJECTED = 20;

export interface SendPreview {
  id: string;
  pipelineId: string;
  pipelineName: string;
  /** What the delivery step is: "POST https://…", "insert into extracted_data", "write ./out.csv". */
  destination: string;
  context: string;
  source: { url?: string; title?: string };
  total: number;
  accepted: number;
  rejected: number;
  mapped: unknown[];
  rejects: { record: unknown; reasons: { path: string; message: string }[] }[];
  warnings: string[];
  skipPreview: boolean;
}

export async function sendPreview(deps: { engine: Pick<RunEngine, 'pipelines' | 'repos'>; pending: PendingSends; now?: () => number }, id: string): Promise<SendPreview> {
  const send = await deps.pending.get(id);
  if (!send) throw new FerryError('SEND_NOT_FOUND', 'This preview has expired or was already answered. Send the page again from the right-click menu.', { id });
  const row = await (await deps.engine.pipelines()).get(send.pipelineId);
  if (!row) throw new FerryError('PIPELINE_NOT_FOUND', `The pipeline "${send.pipelineId}" was deleted since.`, { pipelineId: send.pipelineId });
  const shape = pipelineShape(parsePipeline(row.document));
  const env = Object.fromEntries((await (await deps.engine.repos()).env.list()).map((v) => [v.name, v.value]));
  const { accepted, rejected } = prepareRecords(shape, send.records, { source: send.source, env, now: (deps.now ?? Date.now)() });
  return {
    id, pipelineId: send.pipelineId, pipelineName: row.name, destination: describeDelivery(shape.delivery), context: send.context, source: send.source,
    total: send.records.length, accepted: accepted.length, rejected: rejected.length,
    mapped: accepted.slice(0, PREVIEW_MAPPED),
    rejects: rejected.slice(0, PREVIEW_REJECTED).map((r) => ({ record: r.record, reasons: r.reasons.map(({ path, message }) => ({ path, message })) })),
    warnings: send.warnings,
    skipPreview: await deps.pending.skipsPreview(send.pipelineId),
  };
}

function describeDelivery(step: ReturnType<typeof pipelineShape>['delivery']): string {
  switch (step.kind) {
    case 'http':
      return `${step.http.method} ${step.http.url}`;
    case 'graphql':
      return `GraphQL ${step.graphqlConfig.endpoint}`;
    case 'database':
      return step.database.table ? `${step.database.operation} into ${step.database.table}` : `${step.database.operation} on the database`;
    case 'file':
      return `write ${step.file.filePath ?? step.file.path ?? ''}`;
  }
}
