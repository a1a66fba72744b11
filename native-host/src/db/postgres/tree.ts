/**
 * Reading libpg-query's JSON parse tree. A node held in a field of type `Node *` is wrapped as
 * `{ "FuncCall": { ...fields } }` (node type names start with an upper-case letter, field names never
 * do); fields of a fixed struct type (`relation`, `withClause`, `intoClause`, ...) are inlined. So every
 * node of a given type, wherever it sits (subqueries, CTEs, defaults, function arguments, VALUES rows,
 * RETURNING, ON CONFLICT, MERGE actions, CREATE SCHEMA elements), is a key of that name somewhere.
 */

export type Fields = Record<string, unknown>;

export interface TreeNode {
  type: string;
  fields: Fields;
}

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Every object under `root` with the key that holds it, depth first: wrapped nodes come with their
 * node type (`FuncCall`), inlined structs with their field name (`relation`, `intoClause`). Iterative,
 * with an explicit stack: the server's grammar accepts expressions nested far deeper than a recursive
 * walk's call stack would.
 */
export function* objectsOf(root: unknown): Generator<{ key: string; fields: Fields }> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push(value[i]);
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) {
        const child = value[key];
        if (isObject(child)) yield { key, fields: child };
        stack.push(child);
      }
    }
  }
}

/** Every wrapped node under `root` (node type names start with an upper-case letter, field names never do). */
export function* nodesOf(root: unknown): Generator<TreeNode> {
  for (const { key, fields } of objectsOf(root)) if (/^[A-Z]/.test(key)) yield { type: key, fields };
}

/** The single wrapped node of `value` (`{ SelectStmt: {...} }` → SelectStmt), if it is one. */
export function unwrap(value: unknown): TreeNode | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !/^[A-Z]/.test(keys[0]!)) return undefined;
  const fields = value[keys[0]!];
  return isObject(fields) ? { type: keys[0]!, fields } : undefined;
}

/** The `sval`s of a list of String nodes (a qualified name such as `pg_catalog.pg_read_file`). */
export function stringsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => unwrap(item)).filter((n): n is TreeNode => n?.type === 'String').map((n) => String(n.fields.sval ?? ''));
}

export function fieldsOf(value: unknown): Fields | undefined {
  return isObject(value) ? value : undefined;
}
