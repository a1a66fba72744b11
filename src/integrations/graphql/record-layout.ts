import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { FerryError } from '../../errors/ferry-error';

/**
 * Where each record's result sits in a batched GraphQL response:
 * - `single`: one record per request; its result is `data[field]` (or all of `data`).
 * - `list`: the variables carry an array (`input: [...]`) and `data[field][i]` is record i.
 * - `aliases`: one aliased field per record (`r0: createRecord(...)`, `r1: ...`); `data[prefix + i]`.
 */
export type RecordLayout = { kind: 'single'; field?: string } | { kind: 'list'; field: string } | { kind: 'aliases'; prefix: string };

const INDEXED = /^(.*?[^\d])(\d+)$/;

/**
 * Works the layout out from the operation's top-level fields: n fields named prefix0..prefix(n-1)
 * are aliases; one field carries a list when there are several records, or the single record.
 * Parsing with graphql-js is plain code (no eval), fine in an MV3 worker.
 */
export function inferRecordLayout(query: string, recordCount: number): RecordLayout {
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw new FerryError('INVALID_REQUEST', `query is not valid GraphQL: ${(error as Error).message}`, { field: 'query' });
  }
  if (!operation) throw new FerryError('INVALID_REQUEST', 'query has no operation', { field: 'query' });
  const keys = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.alias?.value ?? s.name.value] : []));

  const indexed = keys.map((key) => INDEXED.exec(key));
  const prefix = indexed[0]?.[1];
  if (prefix !== undefined && keys.length === recordCount && indexed.every((m, i) => m?.[1] === prefix && Number(m[2]) === i)) {
    return { kind: 'aliases', prefix };
  }
  if (keys.length === 1) return recordCount === 1 ? { kind: 'single', field: keys[0]! } : { kind: 'list', field: keys[0]! };
  if (recordCount === 1) return { kind: 'single' };
  throw new FerryError(
    'GRAPHQL_RECORD_LAYOUT',
    `cannot tell which part of the response belongs to which of ${recordCount} records: use one list field, or aliases named like r0..r${recordCount - 1}`,
    { fields: keys },
  );
}
