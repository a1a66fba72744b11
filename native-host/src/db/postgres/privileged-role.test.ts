import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../../../src/protocol';
import type { PgRoleReport } from './pools';
import { assertPipelineSqlAllowed } from './privileged-role';

const server = { host: '127.0.0.1', port: 5432, database: 'test' };
const plain: PgRoleReport = { role: 'ferry_writer', superuser: false, readServerFiles: false, writeServerFiles: false, executeServerProgram: false, createRole: false, bypassRls: false, standardConformingStrings: true, serverVersionNum: 150020 };

function refusal(role: PgRoleReport | undefined, allow = false): RpcError | undefined {
  try {
    assertPipelineSqlAllowed(role, allow, server);
    return undefined;
  } catch (error) {
    return error as RpcError;
  }
}

function assertRefusal(run: () => void): RpcError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as RpcError;
  }
}

describe('a pipeline’s own SQL and the login role', () => {
  it('runs on a role with no rights beyond its tables (BYPASSRLS is warned about, not refused)', () => {
    expect(refusal(plain)).toBeUndefined();
    expect(refusal({ ...plain, bypassRls: true })).toBeUndefined();
  });

  it('is refused on a superuser or a role that reaches the server’s files or programs, saying what to do', () => {
    const superuser = refusal({ ...plain, role: 'postgres', superuser: true });
    expect(superuser).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { reason: 'privilegedRole', role: 'postgres', risks: ['superuser'] } });
    expect(superuser?.message).toMatch(/“postgres”, which is a superuser/);
    expect(superuser?.message).toMatch(/"allowPrivilegedRole": true/);
    expect(refusal({ ...plain, readServerFiles: true })?.message).toMatch(/which can read files on the database server/);
    expect(refusal({ ...plain, executeServerProgram: true })?.message).toMatch(/which can run programs on the database server/);
    expect(refusal({ ...plain, writeServerFiles: true, executeServerProgram: true })?.message).toMatch(/which can write files and run programs on the database server/);
  });

  it('counts CREATEROLE as reaching the server before PostgreSQL 16 (it can grant itself those roles), and only warns about it from 16 on', () => {
    expect(refusal({ ...plain, createRole: true })).toMatchObject({ data: { reason: 'privilegedRole', risks: ['createRole'] } });
    expect(refusal({ ...plain, createRole: true })?.message).toMatch(/CREATEROLE.*PostgreSQL 15 and older/);
    expect(refusal({ ...plain, createRole: true, serverVersionNum: 160004 })).toBeUndefined();
  });

  it('says why the role could not be checked', () => {
    expect(assertRefusal(() => assertPipelineSqlAllowed(undefined, false, server, 'function pg_has_role does not exist'))).toMatchObject({ data: { reason: 'roleUnchecked', roleError: 'function pg_has_role does not exist' } });
  });

  it('runs on such a role when the connection allows it', () => {
    expect(refusal({ ...plain, superuser: true }, true)).toBeUndefined();
  });

  it('is refused when the role could not be checked, or strings are read the old way, whatever the connection allows', () => {
    expect(refusal(undefined, true)).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { reason: 'roleUnchecked' } });
    expect(refusal({ ...plain, standardConformingStrings: false }, true)).toMatchObject({ data: { reason: 'standardConformingStringsOff' } });
  });
});
