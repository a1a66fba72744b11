import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { parsePipeline } from '../parse-pipeline';

const doc = (step: Record<string, unknown>) => ({ version: 1, id: 'p', name: 'p', source: { type: 'supplied' }, steps: [step] });
const problems = (step: Record<string, unknown>): string[] => {
  try {
    parsePipeline(doc(step));
  } catch (error) {
    if (isFerryError(error)) return (error.details?.issues as { message: string }[]).map((i) => i.message);
    throw error;
  }
  return [];
};

describe('database steps', () => {
  it("take the seed's connection block with templates, and infer the step's kind", () => {
    const connectionConfig = { type: 'postgresql', host: '{{env.DB_HOST}}', port: 5432, database: '{{env.DB_NAME}}', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}', ssl: true, poolSize: 10 };
    const pipeline = parsePipeline(doc({ database: { operation: 'insert', table: 'extracted_data', connectionConfig, data: { url: '{{source.url}}' }, onConflict: 'update' } }));
    expect(pipeline.steps[0]).toMatchObject({ kind: 'database', database: { connectionConfig: { port: 5432 } } });
  });

  it('refuse a password written out, credentials in what is written to the table, and misplaced keys, each at its path', () => {
    expect(problems({ database: { operation: 'insert', table: 't', connectionConfig: { type: 'postgresql', password: 'hunter2' } } })).toEqual([
      expect.stringContaining('steps[0].database.connectionConfig.password: expected a credential reference such as "{{credentials.apiToken}}"'),
    ]);
    expect(problems({ database: { operation: 'insert', table: 't', data: { token: 'Bearer {{credentials.api}}' } } })).toEqual([expect.stringContaining('steps[0].database.data.token: expected no {{credentials.*}}')]);
    expect(problems({ database: { operation: 'select', query: 'SELECT $1', parameters: ['{{credentials.api}}'] } })).toEqual([expect.stringContaining('steps[0].database.parameters[0]: expected no {{credentials.*}}')]);
    expect(problems({ database: { operation: 'insert' } })).toEqual([expect.stringContaining('steps[0].database.table: expected a table name')]);
    expect(problems({ database: { operation: 'select', table: 't', query: 'SELECT 1' } })).toEqual([expect.stringContaining('steps[0].database.table: expected no "table" here')]);
    expect(problems({ database: { operation: 'insert', table: 'bad name' } })).toEqual([expect.stringContaining('steps[0].database.table: expected a table name of letters')]);
    expect(problems({ database: { operation: 'upsert', table: 't' } })).toEqual([expect.stringContaining('steps[0].database.operation: expected one of "insert", "batchInsert", "execute", "select"')]);
    expect(problems({ database: { operation: 'insert', table: 't' }, responseProcessing: {} })).toEqual([expect.stringContaining('steps[0].responseProcessing: unknown key')]);
  });
});

describe('file steps', () => {
  it("take the seed's write block as written", () => {
    const step = { file: { operation: 'write', filePath: './output/extracted-data-{{timestamp}}.json', content: '{{processedData}}', format: 'json', createDirectories: true, backup: true } };
    expect(parsePipeline(doc(step)).steps[0]).toMatchObject({ kind: 'file', file: { backup: true } });
  });

  it('refuse credentials anywhere, appending to JSON, and a missing path', () => {
    expect(problems({ file: { operation: 'write', filePath: 'out/{{credentials.key}}.json' } })).toEqual([expect.stringContaining('steps[0].file.filePath: expected a file path')]);
    expect(problems({ file: { operation: 'write', filePath: 'a.json', content: { key: '{{credentials.key}}' } } })).toEqual([expect.stringContaining('steps[0].file.content.key: expected no {{credentials.*}}: a file is an export')]);
    expect(problems({ file: { operation: 'write', filePath: 'a.json', append: true } })).toEqual([expect.stringContaining('steps[0].file.append: expected append only with "format": "csv" or "ndjson"')]);
    expect(problems({ file: { operation: 'write' } })).toEqual([expect.stringContaining('steps[0].file.filePath: expected a file path')]);
    expect(problems({ file: { operation: 'read', filePath: 'a.json' } })).toEqual([expect.stringContaining('steps[0].file.operation: expected "write"')]);
  });
});
