import { describe, expect, it } from 'vitest';
import { encodeWriteParams } from './write-params';

describe('encodeWriteParams', () => {
  const records = [{ id: 1, name: 'a' }, { id: 2, name: 'b' }];

  it('sends records with the same fields to db.batchInsert and db.insert as a record table, keeping the other params', () => {
    const params = { table: 't', data: records, batchSize: 500, connection: 'default' };
    const sent = encodeWriteParams('db.batchInsert', params);
    expect(sent).toEqual({ table: 't', data: { columns: ['id', 'name'], rows: [[1, 'a'], [2, 'b']] }, batchSize: 500, connection: 'default' });
    expect(params.data).toBe(records);
    expect(encodeWriteParams('db.insert', { table: 't', data: records })).toMatchObject({ data: { columns: ['id', 'name'] } });
  });

  it('leaves everything else as it is', () => {
    const mixed = { table: 't', data: [{ id: 1 }, { id: 2, extra: true }] };
    expect(encodeWriteParams('db.batchInsert', mixed)).toBe(mixed);
    const one = { table: 't', data: { id: 1 } };
    expect(encodeWriteParams('db.insert', one)).toBe(one);
    const echo = { payload: records, data: records };
    expect(encodeWriteParams('system.echo', echo)).toBe(echo);
    const positional = [records];
    expect(encodeWriteParams('db.batchInsert', positional)).toBe(positional);
  });
});
