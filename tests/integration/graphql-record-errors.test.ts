/** errors[] of batched mutations mapped to the records that caused them, partial data kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendGraphQLRequest } from '../../src/integrations/graphql/client';
import { inferRecordLayout, recordResults } from '../../src/integrations/graphql/record-results';
import { startGraphQLServer, type GraphQLTestServer } from '../support/servers/graphql-server';

let server: GraphQLTestServer;
beforeAll(async () => {
  server = await startGraphQLServer();
});
afterAll(() => server.close());

const records = [
  { name: 'Ada', email: 'ada@example.test' },
  { name: 'Bad', email: 'not-an-email' },
  { name: 'Grace', email: 'grace@example.test' },
];

/** One aliased mutation per record, r0..r(n-1), each with its own variable. */
function aliasedMutation(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$in${i}: RecordInput!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `r${i}: createRecord(input: $in${i}) { id status }`).join('\n  ');
  return `mutation Batch(${vars}) {\n  ${fields}\n}`;
}

describe('per-record results of a batched GraphQL mutation', () => {
  it('list input: the error at createRecords.1 fails record 1 only; records 0 and 2 keep their data', async () => {
    const query = 'mutation Create($input: [RecordInput!]!) { createRecords(input: $input) { id name status } }';
    const before = server.store.records.length;
    const attempt = await sendGraphQLRequest({ endpoint: server.endpoint, query, variables: { input: records } });
    const layout = inferRecordLayout(query, records.length);
    expect(layout).toEqual({ kind: 'list', field: 'createRecords' });
    const results = recordResults(attempt, records.length, layout);
    expect(results).toEqual([
      { index: 0, ok: true, data: { id: expect.any(String), name: 'Ada', status: 'created' } },
      { index: 1, ok: false, data: null, reason: 'Invalid email "not-an-email" (at createRecords.1)', errors: [expect.objectContaining({ path: ['createRecords', 1] })] },
      { index: 2, ok: true, data: { id: expect.any(String), name: 'Grace', status: 'created' } },
    ]);
    expect(server.store.records.slice(before).map((r) => r.name)).toEqual(['Ada', 'Grace']);
  });

  it('aliases: the error at r1 fails record 1 only', async () => {
    const query = aliasedMutation(3);
    const variables = Object.fromEntries(records.map((r, i) => [`in${i}`, r]));
    const attempt = await sendGraphQLRequest({ endpoint: server.endpoint, query, variables });
    const layout = inferRecordLayout(query, 3);
    expect(layout).toEqual({ kind: 'aliases', prefix: 'r' });
    const results = recordResults(attempt, 3, layout);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ reason: 'Invalid email "not-an-email" (at r1)', data: null });
    expect(results[2]).toMatchObject({ data: { status: 'created' } });
  });

  it('non-null items: one error nulls the whole list, so no record counts as delivered', async () => {
    const query = 'mutation($input: [RecordInput!]!) { createRecordsStrict(input: $input) { id } }';
    const attempt = await sendGraphQLRequest({ endpoint: server.endpoint, query, variables: { input: records } });
    expect(attempt.data).toEqual({ createRecordsStrict: null });
    const results = recordResults(attempt, 3, inferRecordLayout(query, 3));
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results[0]).toMatchObject({ reason: 'no result for this record: it was nulled by an error elsewhere in the response' });
    expect(results[1]).toMatchObject({ reason: 'Invalid email "not-an-email" (at createRecordsStrict.1)' });
  });

  it("the seed's payload errors { field message } fail the record when asked to", async () => {
    const query = 'mutation CreateRecord($input: RecordInput!) { createRecord(input: $input) { id status errors { field message } } }';
    const attempt = await sendGraphQLRequest({ endpoint: server.endpoint, query, variables: { input: { name: ' ', email: 'x@example.test' } } });
    const layout = inferRecordLayout(query, 1);
    expect(layout).toEqual({ kind: 'single', field: 'createRecord' });
    expect(recordResults(attempt, 1, layout)[0]!.ok).toBe(true);
    expect(recordResults(attempt, 1, layout, { payloadErrorsField: 'errors' })[0]).toMatchObject({
      ok: false,
      reason: 'name: is required',
      data: { id: null, status: 'rejected', errors: [{ field: 'name', message: 'is required' }] },
    });
  });

  it('HTTP 500 fails every record with the status in the reason', async () => {
    const attempt = await sendGraphQLRequest({ endpoint: `${server.origin}/graphql-500`, query: aliasedMutation(2), variables: { in0: records[0], in1: records[2] } });
    const results = recordResults(attempt, 2, { kind: 'aliases', prefix: 'r' });
    expect(results.map((r) => [r.ok, r.ok ? '' : r.reason])).toEqual([
      [false, 'HTTP 500: upstream crashed'],
      [false, 'HTTP 500: upstream crashed'],
    ]);
  });
});
