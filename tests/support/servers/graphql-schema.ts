/**
 * A real schema for the GraphQL test server. Records are kept in memory, so tests can check what
 * was created. Some inputs fail on purpose, the ways real servers fail:
 * - an email without "@" throws: a field error with a path (r1, createRecords.1, ...)
 * - an empty name is an application error in the payload (the seed's `errors { field message }`)
 * - createRecordsStrict's items are non-null, so one failure nulls the whole list
 */
import { createRequire } from 'node:module';

// graphql-http runs as plain Node ESM and gets graphql's CommonJS build (graphql 16 has no
// "exports" map), while Vite would hand this file the .mjs build: two graphql instances, and
// graphql-js refuses a schema from "another module or realm". Loading graphql the same way
// graphql-http does keeps one instance.
const { GraphQLError, buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const typeDefs = /* GraphQL */ `
  input RecordInput {
    name: String!
    email: String!
  }
  type FieldError {
    field: String!
    message: String!
  }
  type Record {
    id: ID!
    name: String!
    email: String!
    status: String!
  }
  type CreateRecordPayload {
    id: ID
    status: String!
    errors: [FieldError!]!
  }
  type Query {
    records(first: Int): [Record!]!
    record(id: ID!): Record
    whoami: String
  }
  type Mutation {
    createRecord(input: RecordInput!): CreateRecordPayload
    createRecords(input: [RecordInput!]!): [Record]
    createRecordsStrict(input: [RecordInput!]!): [Record!]
  }
`;

interface RecordInput {
  name: string;
  email: string;
}
interface StoredRecord extends RecordInput {
  id: string;
  status: string;
}

export interface GraphQLStore {
  records: StoredRecord[];
}

export const schema = buildSchema(typeDefs);

/** Root resolvers over a store; `whoami` reports the Authorization header it was called with. */
export function rootValue(store: GraphQLStore) {
  const create = ({ name, email }: RecordInput): StoredRecord | Error => {
    if (!email.includes('@')) {
      return new GraphQLError(`Invalid email "${email}"`, { extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
    }
    const record = { id: String(store.records.length + 1), name, email, status: 'created' };
    store.records.push(record);
    return record;
  };
  return {
    records: ({ first }: { first?: number }) => store.records.slice(0, first ?? undefined),
    record: ({ id }: { id: string }) => store.records.find((r) => r.id === id) ?? null,
    whoami: (_args: unknown, context: { authorization?: string }) => context.authorization ?? null,
    createRecord: ({ input }: { input: RecordInput }) => {
      if (input.name.trim() === '') return { id: null, status: 'rejected', errors: [{ field: 'name', message: 'is required' }] };
      const result = create(input);
      // Thrown (not returned) so graphql-js reports it at this field's path, e.g. ['r1'].
      if (result instanceof Error) throw result;
      return { id: result.id, status: result.status, errors: [] };
    },
    // A returned Error in a list becomes a field error at [field, index]; its siblings stay.
    createRecords: ({ input }: { input: RecordInput[] }) => input.map(create),
    createRecordsStrict: ({ input }: { input: RecordInput[] }) => input.map(create),
  };
}
