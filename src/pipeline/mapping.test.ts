import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from './config-text';
import { compileTransformation, mapRecord, resolveTransformationCredentials } from './mapping';
import { DataTransformationSchema } from './schema/data-transformation';
import { CredentialValues } from './template/credentials';

const NOW = Date.UTC(2025, 0, 15, 9, 0, 0);
const seedBlock = () => {
  const text = readFileSync(join(__dirname, '../../tests/fixtures/seed/data-transformation.txt'), 'utf8');
  return DataTransformationSchema.parse((parseConfigText(text) as { dataTransformation: unknown }).dataTransformation);
};

describe('mapRecord with the seed block', () => {
  const compiled = compileTransformation(seedBlock(), 'steps[0].dataTransformation');

  it('maps a good record', () => {
    expect(mapRecord(compiled, { extracted: { field1: 'Widget', field2: 'buyer@example.com' } }, { now: NOW })).toEqual({
      record: { apiField1: 'Widget', apiField2: 'buyer@example.com', timestamp: '2025-01-15T09:00:00.000Z' },
      credentialsUsed: new Set(),
    });
  });

  it('keeps a record that fails validation, with its reasons', () => {
    const result = mapRecord(compiled, { extracted: { field1: '', field2: 'not-an-email' } }, { now: NOW });
    expect(result.record).toEqual({ apiField1: '', apiField2: 'not-an-email', timestamp: '2025-01-15T09:00:00.000Z' });
    expect(result.rejected).toEqual([
      { field: 'apiField1', rule: 'required', message: 'apiField1 is required, got ""' },
      { field: 'apiField2', rule: 'format', message: 'apiField2 must be an email address, got "not-an-email"' },
    ]);
  });

  it('a path missing from the record rejects it, naming the template and the record, without repeating the field under its rules', () => {
    const result = mapRecord(compiled, { extracted: { field1: 'Widget' } }, { now: NOW, record: { index: 7, id: 'row-7' } });
    expect(result.record).toEqual({ apiField1: 'Widget', timestamp: '2025-01-15T09:00:00.000Z' });
    expect(result.rejected).toEqual([
      {
        field: 'apiField2',
        rule: 'template',
        message:
          '{{extracted.field2}} in steps[0].dataTransformation.mapping.apiField2 for record 7 (id "row-7"): extracted has no "field2". If the value is optional, give a default: {{extracted.field2 | default: null}}.',
      },
    ]);
  });
});

describe('mapRecord', () => {
  it('whole templates keep their type and nested mappings are rendered', () => {
    const compiled = compileTransformation({ mapping: { tags: '{{extracted.tags}}', price: '{{extracted.price | default: 0}}', nested: { url: '{{source.url}}', label: '#{{extracted.n}}' } } });
    expect(mapRecord(compiled, { extracted: { tags: ['a'], n: 3 }, source: { url: 'https://shop.example.com/' } }).record).toEqual({
      tags: ['a'],
      price: 0,
      nested: { url: 'https://shop.example.com/', label: '#3' },
    });
  });

  it('every now() in one record agrees', () => {
    const compiled = compileTransformation({ mapping: { a: '{{now()}}', b: '{{timestamp}}' } });
    const { record } = mapRecord(compiled, {});
    expect(record.a).toBe(record.b);
  });

  it('credentials: resolved once by the caller, tracked, and never quoted in reasons', async () => {
    const compiled = compileTransformation({ mapping: { key: '{{credentials.partnerKey}}', email: '{{extracted.email}}' }, validation: { formats: { key: 'uuid' } } });
    expect([...compiled.credentials]).toEqual(['partnerKey']);
    const calls: string[] = [];
    const credentials = await resolveTransformationCredentials(compiled, async (name) => (calls.push(name), 'pk-secret'));
    expect(calls).toEqual(['partnerKey']);
    const result = mapRecord(compiled, { extracted: { email: 'a@example.com' } }, credentials ? { credentials } : {});
    expect(result.record.key).toBe('pk-secret');
    expect([...result.credentialsUsed]).toEqual(['partnerKey']);
    expect(result.rejected).toEqual([{ field: 'key', rule: 'format', message: 'key must be a UUID' }]);
    expect(await resolveTransformationCredentials(compileTransformation({ mapping: { a: '{{x}}' } }), async () => 'never')).toBeUndefined();
  });

  it('without resolved credentials a credential mapping fails the run, not the record', () => {
    const compiled = compileTransformation({ mapping: { key: '{{credentials.partnerKey}}' } });
    expect(() => mapRecord(compiled, {})).toThrow(expect.objectContaining({ code: 'TEMPLATE_CREDENTIALS_UNAVAILABLE' }));
    expect(() => mapRecord(compiled, {}, { credentials: CredentialValues.of([]) })).toThrow(expect.objectContaining({ code: 'TEMPLATE_MISSING_CREDENTIAL' }));
  });

  it('maps 10,000 records with one compiled block (sanity, not timed)', () => {
    const compiled = compileTransformation(seedBlock());
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const result = mapRecord(compiled, { extracted: { field1: `w${i}`, field2: i % 100 === 0 ? 'bad' : `u${i}@example.com` } }, { now: NOW, record: { index: i } });
      if (result.rejected) rejected++;
    }
    expect(rejected).toBe(100);
  });
});
