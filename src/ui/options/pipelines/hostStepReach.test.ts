import { describe, expect, it } from 'vitest';
import { databaseStepReach } from './hostStepReach';

type Block = Parameters<typeof databaseStepReach>[0];

describe('the review of a database step', () => {
  const select = { operation: 'select', query: 'SELECT id FROM items WHERE id = $1', parameters: ['{{extracted.id}}'] } as Block;

  it('warns in words when the connection lets its SQL run through a privileged login', () => {
    const plain = databaseStepReach({ ...select, connectionConfig: { type: 'postgresql', host: 'db', database: 'crm' } } as Block, 0, 'PostgreSQL db:5432/crm');
    expect(plain.warnings).toEqual([]);
    const allowed = databaseStepReach({ ...select, connectionConfig: { type: 'postgresql', host: 'db', database: 'crm', allowPrivilegedRole: true } } as Block, 0, 'PostgreSQL db:5432/crm');
    expect(allowed.warnings).toEqual([expect.stringMatching(/superuser or can reach the server’s files \(allowPrivilegedRole\).*Save only if you trust this pipeline’s SQL/)]);
    expect(allowed.sql).toBe('SELECT id FROM items WHERE id = $1');
  });
});
