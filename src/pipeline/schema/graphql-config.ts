/**
 * `graphqlConfig`: a query or mutation sent to an endpoint with templated variables. The document is
 * parsed here with the reference parser (pure JS, no eval), so a typo is reported with its line when
 * the pipeline is loaded rather than by the server for every record.
 */
import { GraphQLError, Kind, parse, type DocumentNode } from 'graphql';
import { z } from 'zod';
import { AuthSchema } from './auth';
import { headers, milliseconds, record, strict, templatedJson, text, urlTemplate } from './common';
import { MAX_TIMEOUT_MS } from './http-request';

const QUERY = 'a GraphQL query or mutation';

function documentProblem(source: string, operationName: string | undefined): string | undefined {
  let doc: DocumentNode;
  try {
    doc = parse(source, { noLocation: true });
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    const at = err.locations?.[0];
    return `${QUERY}; ${err.message.replace(/\.$/, '')}${at ? ` at line ${at.line}, column ${at.column} of the query` : ''}`;
  }
  const operations = doc.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d] : []));
  if (operations.length === 0) return `${QUERY}; the document has no operation`;
  if (operations.some((op) => op.operation === 'subscription')) return `${QUERY}; subscriptions need a stream and are not supported in a graphql step`;
  const names = operations.map((op) => op.name?.value);
  if (operationName !== undefined && !names.includes(operationName)) return `${QUERY} containing the operation "${operationName}" named in "operationName"`;
  if (operations.length > 1 && operationName === undefined) return `${QUERY}; the document has ${operations.length} operations, so say which with "operationName"`;
  return undefined;
}

export const GraphqlConfigSchema = strict(
  {
    endpoint: urlTemplate(),
    /** Usually a backtick string in pasted configuration; kept exactly as written. */
    query: text(QUERY),
    variables: record(templatedJson(), 'an object of variable names and values, such as {"input": "{{preparedData}}"}').optional(),
    operationName: text('the name of an operation in the query').optional(),
    headers: headers().optional(),
    auth: AuthSchema.optional(),
    timeout: milliseconds(1, MAX_TIMEOUT_MS).default(30_000),
  },
  'an object with "endpoint", "query" and optionally "variables"',
).superRefine((config, ctx) => {
  const problem = documentProblem(config.query, config.operationName);
  if (problem) ctx.addIssue({ code: 'custom', path: ['query'], message: problem });
});

export type GraphqlConfig = z.output<typeof GraphqlConfigSchema>;
