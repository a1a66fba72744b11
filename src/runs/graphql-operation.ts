/**
 * What the run engine needs to know about a GraphQL step's document, read once per run with the
 * reference parser (plain code, no eval): whether it is a mutation (repeating a query is always safe;
 * a mutation only with its Idempotency-Key), and whether each record's payload lists application
 * errors, as the seed's `createRecord { id status errors { field message } }` does.
 */
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';

export interface GraphqlOperationInfo {
  isMutation: boolean;
  /** `errors` when every top-level field selects an `errors` list: a non-empty one fails its record. */
  payloadErrorsField?: string;
}

export function graphqlOperationInfo(query: string, operationName?: string): GraphqlOperationInfo {
  const operations = parse(query, { noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((op) => operationName === undefined || op.name?.value === operationName) ?? operations[0];
  const fields = operation?.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD) ?? [];
  const selectsErrors = fields.length > 0 && fields.every((f) => f.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'errors' && s.alias === undefined));
  return { isMutation: operation?.operation === 'mutation', ...(selectsErrors ? { payloadErrorsField: 'errors' } : {}) };
}
