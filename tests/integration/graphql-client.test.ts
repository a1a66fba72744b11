/** GraphQL attempts against a real graphql-http server: queries, mutations, errors and failures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFerryError } from '../../src/errors/ferry-error';
import { sendGraphQLRequest } from '../../src/integrations/graphql/client';
import { refusedPort } from '../support/servers/listen';
import { startGraphQLServer, type GraphQLTestServer } from '../support/servers/graphql-server';

let server: GraphQLTestServer;
beforeAll(async () => {
  server = await startGraphQLServer();
});
afterAll(() => server.close());

/** The seed's graphqlConfig, as written, with its endpoint pointed at the test server. */
const SEED_MUTATION = `
mutation CreateRecord($input: RecordInput!) {
createRecord(input: $input) {
id
status
errors {
field
message
}
}
}
`;

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.unreachable('the attempt should have failed'),
    (e: unknown) => e,
  );
  if (!isFerryError(error)) throw error;
  return error;
}

describe('GraphQL requests', () => {
  it('runs the seed mutation with its variables', async () => {
    const attempt = await sendGraphQLRequest({ endpoint: server.endpoint, query: SEED_MUTATION, variables: { input: { name: 'Ada', email: 'ada@example.test' } } });
    expect(attempt).toMatchObject({ status: 200, ok: true, errors: [], data: { createRecord: { id: expect.any(String), status: 'created', errors: [] } } });
    expect(attempt.headers['content-type']).toContain('json');
    expect(server.requests.at(-1)?.variables).toEqual({ input: { name: 'Ada', email: 'ada@example.test' } });
    expect(server.store.records.at(-1)).toMatchObject({ name: 'Ada', email: 'ada@example.test' });
  });

  it('runs a query with variables, sending auth headers', async () => {
    await sendGraphQLRequest({ endpoint: server.endpoint, query: SEED_MUTATION, variables: { input: { name: 'Grace', email: 'grace@example.test' } } });
    const attempt = await sendGraphQLRequest({
      endpoint: server.endpoint,
      query: 'query Records($first: Int) { records(first: $first) { name } whoami }',
      variables: { first: 1 },
      auth: { type: 'bearer', token: 'gq-token' },
      headers: { 'X-Client-Version': '1.0.0' },
    });
    expect(attempt.data).toEqual({ records: [{ name: 'Ada' }], whoami: 'Bearer gq-token' });
    expect(server.requests.at(-1)?.headers['x-client-version']).toBe('1.0.0');
  });

  it('puts a query API key on the endpoint', async () => {
    await sendGraphQLRequest({ endpoint: server.endpoint, query: '{ whoami }', auth: { type: 'apiKey', in: 'query', name: 'key', value: 'k1' } });
    expect(server.requests.at(-1)?.path).toBe('/graphql');
  });

  it('returns errors[] of a 200 with their paths, keeping the partial data', async () => {
    const attempt = await sendGraphQLRequest({
      endpoint: server.endpoint,
      query: 'mutation($a: RecordInput!, $b: RecordInput!) { r0: createRecord(input: $a) { id status } r1: createRecord(input: $b) { id status } }',
      variables: { a: { name: 'Lin', email: 'lin@example.test' }, b: { name: 'Bad', email: 'nope' } },
    });
    expect(attempt.status).toBe(200);
    expect(attempt.data).toEqual({ r0: { id: expect.any(String), status: 'created' }, r1: null });
    expect(attempt.errors).toEqual([{ message: 'Invalid email "nope"', path: ['r1'], extensions: { code: 'BAD_USER_INPUT', field: 'email' } }]);
  });

  it('returns an invalid query as the 400 the server answered, with its errors', async () => {
    const attempt = await sendGraphQLRequest({ endpoint: server.endpoint, query: '{ nosuchfield }' });
    expect(attempt.status).toBe(400);
    expect(attempt.ok).toBe(false);
    expect(attempt.errors[0]?.message).toMatch(/nosuchfield/);
  });

  it('returns HTTP 500 with its GraphQL body, and a 500 with a text body, as results', async () => {
    const json = await sendGraphQLRequest({ endpoint: `${server.origin}/graphql-500`, query: '{ whoami }' });
    expect(json).toMatchObject({ status: 500, ok: false, data: null, errors: [{ message: 'upstream crashed' }] });
    const text = await sendGraphQLRequest({ endpoint: `${server.origin}/graphql-500-text`, query: '{ whoami }' });
    expect(text).toMatchObject({ status: 500, ok: false, data: null, errors: [] });
  });

  it('returns 429 with Retry-After', async () => {
    const attempt = await sendGraphQLRequest({ endpoint: `${server.origin}/graphql-429`, query: '{ whoami }' });
    expect(attempt).toMatchObject({ status: 429, errors: [{ message: 'slow down' }] });
    expect(attempt.headers['retry-after']).toBe('3');
  });
});

describe('GraphQL attempt failures', () => {
  it('times out, covering a slow server', async () => {
    const error = await failure(sendGraphQLRequest({ endpoint: `${server.origin}/graphql-slow?ms=5000&key=s3cret`, query: '{ whoami }', timeout: 150 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`POST ${server.origin}/graphql-slow timed out after 150 ms`);
  });

  it('is a network error when the connection is refused', async () => {
    const port = await refusedPort();
    const error = await failure(sendGraphQLRequest({ endpoint: `http://127.0.0.1:${port}/graphql?token=s3cret`, query: '{ whoami }' }));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.details).toEqual({ method: 'POST', url: `http://127.0.0.1:${port}/graphql`, reason: 'ECONNREFUSED', durationMs: expect.any(Number) });
  });

  it('is aborted when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(sendGraphQLRequest({ endpoint: `${server.origin}/graphql-slow?ms=5000`, query: '{ whoami }', signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
  });

  it('refuses a 200 whose body is not a GraphQL response', async () => {
    const error = await failure(sendGraphQLRequest({ endpoint: `${server.origin}/graphql-html`, query: '{ whoami }' }));
    expect(error.code).toBe('GRAPHQL_INVALID_RESPONSE');
  });
});
