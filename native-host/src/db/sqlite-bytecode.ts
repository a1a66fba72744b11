/**
 * What a prepared SQLite statement will do, read from SQLite's own bytecode (`EXPLAIN <statement>`,
 * which lists the program of the statement and of every trigger it fires). better-sqlite3 12 does
 * not expose SQLite's authorizer (sqlite3_set_authorizer), so this listing is the closest thing to
 * asking SQLite what a statement touches; `stmt.readonly` / `stmt.reader` answer the rest.
 *
 * Facts read here, each checked on better-sqlite3 12.9.0 (SQLite 3.53):
 * - `Vacuum` P2 is the register of the INTO file name, 0 for a plain VACUUM;
 * - `Function` / `PureFunc` / `AggStep` / `AggValue` / `AggFinal` P4 is `name(nArg)`: ATTACH and
 *   DETACH compile to the internal functions `sqlite_attach` / `sqlite_detach`;
 * - `AutoCommit` (BEGIN, COMMIT, END, ROLLBACK) and `Savepoint` (SAVEPOINT, RELEASE) are
 *   transaction control;
 * - `ParseSchema` P4 names what a CREATE adds: `type='trigger' ...`, `name='i' AND type='index'`,
 *   `tbl_name='t' AND type!='trigger'` (a table, or a view when no `CreateBtree` comes with it);
 *   `VCreate` creates a virtual table; `CreateBtree`, `Destroy`, `DropTable`, `DropIndex`,
 *   `DropTrigger`, `LoadAnalysis`, `SetCookie` change the schema or the file's header (not
 *   `Clear`: a plain `DELETE FROM t` compiles to it);
 * - `Transaction` P1 is the database index (0 main, 1 temp) and P2 is non-zero for a write: a
 *   statement that creates or writes anything in the `temp` schema opens a write transaction on 1.
 */
import type { SqliteDatabase } from './connections';

export interface Opcode {
  opcode: string;
  p1: number;
  p2: number;
  p3: number;
  p4: string | null;
}

export interface BytecodeFacts {
  /** Names of the SQL functions the program calls, lower-case. */
  functions: Set<string>;
  vacuumInto: boolean;
  vacuum: boolean;
  transactionControl: boolean;
  /** The program writes the `temp` schema (database 1): creates a TEMP table, view, trigger or index, or writes one. */
  writesTempSchema: boolean;
  createsTrigger: boolean;
  createsIndex: boolean;
  createsView: boolean;
  createsVirtualTable: boolean;
  /** Opcodes that change the schema (tables, indexes, triggers, statistics) or the file's header. */
  schemaOpcodes: Set<string>;
}

const FUNCTION_OPCODES = new Set(['Function', 'PureFunc', 'AggStep', 'AggStep1', 'AggInverse', 'AggValue', 'AggFinal']);
const SCHEMA_OPCODES = new Set(['ParseSchema', 'CreateBtree', 'Destroy', 'DropTable', 'DropIndex', 'DropTrigger', 'LoadAnalysis', 'SetCookie', 'VCreate', 'VDestroy', 'Vacuum', 'IncrVacuum', 'JournalMode']);

/** The program SQLite compiled for `sql`, bound with the call's own values (EXPLAIN needs every parameter). */
export function explain(db: SqliteDatabase, sql: string, values: unknown[] | Record<string, unknown>): Opcode[] {
  const statement = db.prepare(`EXPLAIN ${sql}`);
  return (Array.isArray(values) ? statement.all(...values) : statement.all(values)) as Opcode[];
}

export function bytecodeFacts(ops: readonly Opcode[]): BytecodeFacts {
  const facts: BytecodeFacts = {
    functions: new Set(),
    vacuumInto: false,
    vacuum: false,
    transactionControl: false,
    writesTempSchema: false,
    createsTrigger: false,
    createsIndex: false,
    createsView: false,
    createsVirtualTable: false,
    schemaOpcodes: new Set(),
  };
  let createsBtree = false;
  let tableSchema = false;
  for (const op of ops) {
    const p4 = op.p4 ?? '';
    if (FUNCTION_OPCODES.has(op.opcode)) {
      const name = /^([^(]+)\(/.exec(p4)?.[1];
      if (name) facts.functions.add(name.toLowerCase());
    }
    if (op.opcode === 'Vacuum') {
      facts.vacuum = true;
      if (op.p2 !== 0) facts.vacuumInto = true;
    }
    if (op.opcode === 'AutoCommit' || op.opcode === 'Savepoint') facts.transactionControl = true;
    if (op.opcode === 'Transaction' && op.p1 === 1 && op.p2 !== 0) facts.writesTempSchema = true;
    if (op.opcode === 'CreateBtree') createsBtree = true;
    if (op.opcode === 'VCreate') facts.createsVirtualTable = true;
    if (op.opcode === 'ParseSchema') {
      if (/type='trigger'/.test(p4)) facts.createsTrigger = true;
      else if (/type='index'/.test(p4)) facts.createsIndex = true;
      else if (/^tbl_name=/.test(p4)) tableSchema = true;
    }
    // JournalMode with P3 = -1 only asks for the mode (CREATE TABLE IF NOT EXISTS of an existing table compiles to that).
    if (SCHEMA_OPCODES.has(op.opcode) && !(op.opcode === 'JournalMode' && op.p3 === -1)) facts.schemaOpcodes.add(op.opcode);
  }
  facts.createsView = tableSchema && !createsBtree;
  return facts;
}
