import 'fake-indexeddb/auto';
/** GraphQL delivery steps in a run: per-record results, partial failures, keys, result storage. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../../src/runs';
import { startGraphQLServer, type GraphQLTestServer } from '../../support/servers/graphql-server';
import { driveUntilIdle, harness } from './harness';
import { seedBlock } from './seed-pipeline';

let server: GraphQLTestServer;
beforeAll(async () => {
  server = await startGraphQLServer();
});
afterAll(() => server.close());

const mapping = { dataTransformation: { mapping: { name: '{{extracted.name}}', email: '{{extracted.email}}' } } };
const people = {
  ada: { name: 'Ada', email: 'ada@example.test' },
  badEmail: { name: 'Bad', email: 'not-an-email' }, // the server throws a field error
  noName: { name: '', email: 'nobody@example.test' }, // the server answers with errors in the payload
  grace: { name: 'Grace', email: 'grace@example.test' },
};

function pipeline(id: string, step: Record<string, unknown>) {
  return { version: 1, id, name: id, source: { type: 'supplied' }, steps: [mapping, step] };
}

const keysSent = (from: number) => server.requests.slice(from).map((r) => r.headers['idempotency-key']);

describe('a GraphQL delivery step', () => {
  it("the seed's mutation, one record per request: field errors and payload errors dead-letter their record with the reason, the rest are stored", async () => {
    const h = await harness();
    const before = server.requests.length;
    const stored = server.store.records.length;
    const step = {
      ...seedBlock('graphql-config', server.origin),
      resultProcessing: { extractFields: ['id', 'status'], storage: { type: 'local', key: 'gql_{{id}}' } },
    };
    const runId = await startRun(h.deps, { pipeline: pipeline('seed-graphql', step), records: [people.ada, people.badEmail, people.noName, people.grace] });
    await driveUntilIdle(h);

    expect(keysSent(before)).toEqual([0, 1, 2, 3].map((i) => `${runId}:${i}`));
    expect(server.requests[before]!.variables).toEqual({ input: people.ada });
    expect(server.store.records.slice(stored).map((r) => r.name)).toEqual(['Ada', 'Grace']);

    const letters = await h.repos.deadLetters.list({ runId });
    expect(letters.map((l) => [l.idempotencyKey, l.records, l.lastOutcome.label, l.lastOutcome.message])).toEqual([
      // Each names the record's place in the run, not its place in its one-record request (always 0).
      [`${runId}:1`, [people.badEmail], 'graphql_error', 'record 1: Invalid email "not-an-email" (at createRecord)'],
      [`${runId}:2`, [people.noName], 'graphql_error', 'record 2: name: is required'],
    ]);
    const results = await h.repos.results.list('gql_');
    expect(results.map((r) => r.value)).toEqual([{ id: expect.any(String), status: 'created' }, { id: expect.any(String), status: 'created' }]);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'failed', counts: { sent: 2, failed: 2 }, error: { code: 'RUN_COMPLETED_WITH_FAILURES' } });
  });

  it('a batched list mutation with one bad record: the others are done, the bad one gets a dead letter of its own with a derived key that a replay keeps', async () => {
    const h = await harness();
    const before = server.requests.length;
    const step = {
      graphqlConfig: {
        endpoint: server.endpoint,
        query: 'mutation Create($input: [RecordInput!]!) { createRecords(input: $input) { id name status } }',
        variables: { input: '{{transformedData}}' },
      },
      batching: { mode: 'batch', size: 3 },
    };
    const runId = await startRun(h.deps, { pipeline: pipeline('graphql-batch', step), records: [people.ada, people.badEmail, people.grace] });
    await driveUntilIdle(h);

    expect(keysSent(before)).toEqual([`${runId}:0`]);
    expect(server.requests[before]!.variables).toEqual({ input: [people.ada, people.badEmail, people.grace] });
    const [job] = await h.repos.jobs.listByRun(runId);
    expect(job).toMatchObject({ status: 'done', lastOutcome: { label: 'success' } });
    const [letter] = await h.repos.deadLetters.list({ runId });
    expect(letter).toMatchObject({ idempotencyKey: `${runId}:0:failed`, records: [people.badEmail], lastOutcome: { label: 'graphql_error', message: 'record 1: Invalid email "not-an-email" (at createRecords.1)' } });
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'failed', counts: { sent: 2, failed: 1 }, error: { code: 'RUN_COMPLETED_WITH_FAILURES' } });

    // Replayed, it is sent alone under its own key (and fails again: the input is still bad).
    await h.service('w2').replayDeadLetters([letter!.id]);
    await driveUntilIdle(h, 'w2');
    expect(keysSent(before + 1)).toEqual([`${runId}:0:failed`]);
    expect(server.requests.at(-1)!.variables).toEqual({ input: [people.badEmail] });
    const [again] = await h.repos.deadLetters.list({ runId });
    expect(again).toMatchObject({ idempotencyKey: `${runId}:0:failed`, recordIndexes: [1] });
    // Alone in its request it is that request's record 0; it is still the run's record 1.
    expect(again!.lastOutcome.message).toBe('record 1: Invalid email "not-an-email" (at createRecords.0)');
  });
});
