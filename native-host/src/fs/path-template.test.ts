import { describe, expect, it } from 'vitest';
import { SandboxErrorCode } from '../../../src/protocol';
import { renderPathTemplate } from './path-template';

const NOW = new Date('2024-06-10T15:30:12.345Z');

describe('renderPathTemplate', () => {
  it('renders the fixed tokens, with or without () and spaces', () => {
    expect(renderPathTemplate('./output/extracted-data-{{timestamp}}.json', NOW)).toBe(`./output/extracted-data-${NOW.getTime()}.json`);
    expect(renderPathTemplate('{{date}}/{{time}}-{{ now() }}-{{datetime}}-{{unix}}.txt', NOW)).toBe('2024-06-10/153012-2024-06-10T153012Z-2024-06-10T153012Z-1718033412.txt');
    expect(renderPathTemplate('{{uuid}}.json', NOW)).toMatch(/^[0-9a-f-]{36}\.json$/);
    expect(renderPathTemplate('plain/name.json', NOW)).toBe('plain/name.json');
  });

  it('refuses anything else between braces, and stray braces, with PathTemplateInvalid', () => {
    for (const bad of ['{{processedData}}.json', '{{constructor}}', '{{__proto__}}', '{{process.env.HOME}}', '{{require("fs")}}', '{{ timestamp + 1 }}', 'a{{date}', 'a}}b']) {
      try {
        renderPathTemplate(bad, NOW);
        expect.unreachable(bad);
      } catch (error) {
        expect((error as { code: number }).code, bad).toBe(SandboxErrorCode.PathTemplateInvalid);
      }
    }
  });

  it('never produces separators or colons from a token', () => {
    expect(renderPathTemplate('{{now}}{{date}}{{time}}', NOW)).not.toMatch(/[/:\\]/);
  });
});
