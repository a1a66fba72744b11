import { describe, expect, it } from 'vitest';
import { pipelineIdFromName, uniquePipelineId } from './pipeline-id';
import { withPipelineId } from './pipeline-text-id';

describe('pipeline ids from names', () => {
  it('is lower-case letters, digits and hyphens', () => {
    expect(pipelineIdFromName('Page → REST API')).toBe('page-rest-api');
    expect(pipelineIdFromName('  Crème brûlée  v2 ')).toBe('creme-brulee-v2');
    expect(pipelineIdFromName('Orders_to.CRM')).toBe('orders-to-crm');
    expect(pipelineIdFromName('→ ✓')).toBe('pipeline');
    expect(pipelineIdFromName('a'.repeat(100))).toHaveLength(60);
    expect(pipelineIdFromName(`${'a'.repeat(59)} b`)).toBe('a'.repeat(59));
  });

  it('is made unique with -2, -3, …', () => {
    expect(uniquePipelineId('orders', new Set())).toBe('orders');
    expect(uniquePipelineId('orders', new Set(['orders']))).toBe('orders-2');
    expect(uniquePipelineId('orders', new Set(['orders', 'orders-2', 'orders-4']))).toBe('orders-3');
  });

  it('changes only the top-level id of configuration text', () => {
    const text = '{\n  // keep me\n  "version": 1,\n  "id": "page-to-api", "name": "A",\n  "steps": [{ "id": "send" }],\n}\n';
    expect(withPipelineId(text, 'a-2')).toBe(text.replace('"id": "page-to-api"', '"id": "a-2"'));
    expect(withPipelineId('{"id"  :  `x`, "name": "A"}', 'b')).toBe('{"id": "b", "name": "A"}');
    expect(JSON.parse(withPipelineId('{"name": "A"}', 'c'))).toEqual({ name: 'A', id: 'c' });
  });
});
