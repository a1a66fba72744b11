import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parsePipeline } from '../pipeline';
import { planDelivery, type DatabasePlan, type FilePlan } from './delivery-plan';
import { markHostTokens, restoreHostTokens } from './host-plan';
import { pipelineShape } from './pipeline-shape';

const plan = (step: Record<string, unknown>) => planDelivery(pipelineShape(parsePipeline({ version: 1, id: 'p', name: 'p', source: { type: 'supplied' }, steps: [step] })));
const refusal = (step: Record<string, unknown>): string => {
  try {
    plan(step);
  } catch (error) {
    if (isFerryError(error, 'PIPELINE_UNSUPPORTED_SHAPE')) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('database plans', () => {
  it('pick the method and a batching that suits the operation when the step sets none', () => {
    expect(plan({ database: { operation: 'insert', table: 't' } })).toMatchObject({ kind: 'database', method: 'db.insert', batching: { mode: 'batch', size: 100 } });
    expect(plan({ database: { operation: 'batchInsert', table: 't', batchSize: 500 } })).toMatchObject({ method: 'db.batchInsert', batching: { mode: 'batch', size: 500 } });
    expect(plan({ database: { operation: 'batchInsert', table: 't', batchSize: 50_000 } })).toMatchObject({ batching: { mode: 'batch', size: 10_000 } });
    expect(plan({ database: { operation: 'batchInsert', table: 't' } })).toMatchObject({ batching: { mode: 'batch', size: 1000 } });
    expect(plan({ database: { operation: 'select', query: 'SELECT 1' } })).toMatchObject({ method: 'db.select', batching: { mode: 'record' }, batchMode: 'record' });
    expect(plan({ database: { operation: 'insert', table: 't' }, batching: { mode: 'record' } })).toMatchObject({ batching: { mode: 'record' } });
  });

  it('render an insert\'s data object per record, and a data template once per job', () => {
    const perRecord = plan({ database: { operation: 'insert', table: 't', data: { title: '{{extracted.title}}' } } }) as DatabasePlan;
    expect([perRecord.perRecord?.hasTemplates, perRecord.perJob]).toEqual([true, undefined]);
    const perJob = plan({ database: { operation: 'batchInsert', table: 't', data: '{{extractedArray}}' } }) as DatabasePlan;
    expect([perJob.perRecord, perJob.perJob?.hasTemplates]).toEqual([undefined, true]);
  });

  it('refuse SQL text with templates (values go in parameters), batching for a query, and plain text as data', () => {
    expect(refusal({ database: { operation: 'execute', query: "DELETE FROM t WHERE id = '{{extracted.id}}'" } })).toContain('steps[0].database.query: the SQL text cannot hold templates');
    expect(refusal({ database: { operation: 'select', query: 'SELECT 1' }, batching: { mode: 'batch', size: 10 } })).toContain('steps[0].batching: "select" runs its statement once per record');
    expect(refusal({ database: { operation: 'insert', table: 't', data: 'just text' } })).toContain('steps[0].database.data: text is not a record');
  });

  it('collect the env variables of the connection and of the rows', async () => {
    const p = plan({ database: { operation: 'insert', table: 't', connectionConfig: { type: 'postgresql', host: '{{env.DB_HOST}}', port: '{{env.DB_PORT}}' }, data: { tenant: '{{env.TENANT}}' } } }) as DatabasePlan;
    const { pipelineEnvReferences } = await import('./run-env');
    const shape = pipelineShape(parsePipeline({ version: 1, id: 'p', name: 'p', source: { type: 'supplied' }, steps: [p.step] }));
    expect(pipelineEnvReferences(shape, p).map((r) => [r.name, r.location])).toEqual([
      ['DB_HOST', 'steps[0].database.connectionConfig.host'],
      ['DB_PORT', 'steps[0].database.connectionConfig.port'],
      ['TENANT', 'steps[0].database.data.tenant'],
    ]);
  });
});

describe('file plans', () => {
  it('write the whole run into one file unless the path tells batches apart', () => {
    expect(plan({ file: { operation: 'write', filePath: 'out/data.json' } })).toMatchObject({ kind: 'file', singleJob: true, batching: { mode: 'batch', size: 10_000 } });
    expect(plan({ file: { operation: 'write', filePath: 'out/{{uuid}}.json' }, batching: { mode: 'batch', size: 10 } })).toMatchObject({ singleJob: false, batching: { size: 10 } });
    expect(plan({ file: { operation: 'write', filePath: 'out/{{extracted.id}}.json' }, batching: { mode: 'record' } })).toMatchObject({ singleJob: false, batchMode: 'record' });
    expect(plan({ file: { operation: 'write', filePath: 'out/a.csv', append: true } })).toMatchObject({ singleJob: false, format: 'csv', batching: { mode: 'batch', size: 1000 } });
    expect(refusal({ file: { operation: 'write', filePath: 'out/data-{{timestamp}}.json' }, batching: { mode: 'batch', size: 10 } })).toContain('replace the batch before it');
    // An env value or the page's address is the same for every batch: it tells nothing apart.
    expect(refusal({ file: { operation: 'write', filePath: '{{env.OUT_DIR}}/data.json' }, batching: { mode: 'batch', size: 10 } })).toContain('replace the batch before it');
    expect(plan({ file: { operation: 'write', filePath: '{{env.OUT_DIR}}/{{source.title}}.json' } })).toMatchObject({ singleJob: true });
  });

  it("keep the host's path tokens for the host and render Ferry's own templates", () => {
    const marked = markHostTokens('out/{{extracted.id}}-{{timestamp}}-{{ date() }}-{{uuid}}.json');
    expect(marked).not.toContain('{{timestamp}}');
    expect(marked).toContain('{{extracted.id}}');
    expect(restoreHostTokens(marked.replace('{{extracted.id}}', '42'))).toBe('out/42-{{timestamp}}-{{date}}-{{uuid}}.json');
    const p = plan({ file: { operation: 'write', filePath: './output/extracted-data-{{timestamp}}.json' } }) as FilePlan;
    expect(p.templated.hasTemplates).toBe(false);
  });
});
