import { describe, expect, it } from 'vitest';
import { FerryError, isFerryError } from './ferry-error';

describe('FerryError', () => {
  it('carries a code, a message and details, and serializes without the stack', () => {
    const e = new FerryError('TEMPLATE_MISSING_PATH', 'extracted.title is missing', { template: '{{extracted.title}}' });
    expect(isFerryError(e)).toBe(true);
    expect(isFerryError(e, 'TEMPLATE_MISSING_PATH')).toBe(true);
    expect(isFerryError(e, 'OTHER')).toBe(false);
    expect(isFerryError(new Error('x'))).toBe(false);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ name: 'FerryError', code: 'TEMPLATE_MISSING_PATH', message: 'extracted.title is missing', details: { template: '{{extracted.title}}' } });
  });
});
