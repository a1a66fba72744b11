import { describe, expect, it } from 'vitest';
import { cancelRequest } from './cancel';
import { roleRisks, roleWarning, type PgRoleFacts } from './role';

const plain: PgRoleFacts = { role: 'ferry_writer', superuser: false, readServerFiles: false, writeServerFiles: false, executeServerProgram: false, createRole: false, bypassRls: false, standardConformingStrings: true, serverVersionNum: 150020 };

describe('the login role’s rights beyond its tables', () => {
  it('says nothing for a role with none of them', () => {
    expect(roleRisks(plain)).toEqual([]);
    expect(roleWarning(plain)).toBeUndefined();
  });

  it('names a superuser alone (it holds every other right anyway) and says what to do', () => {
    const warning = roleWarning({ ...plain, role: 'postgres', superuser: true, readServerFiles: true, writeServerFiles: true, executeServerProgram: true, createRole: true, bypassRls: true });
    expect(warning).toMatchObject({ role: 'postgres', risks: ['superuser'] });
    expect(warning!.message).toMatch(/^Ferry logs in to PostgreSQL as “postgres”, which is a superuser: SQL in a pipeline can read and write any file on the database server, run programs there/);
    expect(warning!.message).toMatch(/Connect with a role that has only the rights the pipeline needs/);
  });

  it('lists each server-reaching right in words, the most serious first', () => {
    const warning = roleWarning({ ...plain, readServerFiles: true, executeServerProgram: true, createRole: true });
    expect(warning!.risks).toEqual(['executeServerProgram', 'readServerFiles', 'createRole']);
    expect(warning!.message).toContain('which can run programs on the database server (member of pg_execute_server_program); can read files on the database server (member of pg_read_server_files); and can create roles');
    expect(roleWarning({ ...plain, writeServerFiles: true })!.message).toContain('which can write files on the database server (member of pg_write_server_files). Connect with');
    expect(roleRisks({ ...plain, bypassRls: true })).toEqual(['bypassRls']);
  });
});

describe('cancelRequest', () => {
  it('is PostgreSQL’s 16-byte CancelRequest: length, code 80877102, process id, secret key', () => {
    const message = cancelRequest(4242, -123456789);
    expect(message.length).toBe(16);
    expect([message.readInt32BE(0), message.readInt32BE(4), message.readInt32BE(8), message.readInt32BE(12)]).toEqual([16, 80877102, 4242, -123456789]);
  });
});
