import { describe, expect, it } from 'vitest';
import { classifyChar, revealText } from './revealText';

/** The pieces as one string, each marker as its label, so a test reads like the screen. */
const shown = (text: string) =>
  revealText(text, 'This statement').pieces.map((p) => (p.kind === 'text' ? p.text : `[${p.label}]`)).join('');

describe('revealText', () => {
  it('leaves ordinary SQL as one plain piece, with its size and no warning', () => {
    const sql = "SELECT id, \"Name\"\n\tFROM t\r\nWHERE note = 'été 東京';\n\n\n";
    const r = revealText(sql, 'This statement');
    expect(r.pieces).toEqual([{ kind: 'text', text: sql }]);
    expect(r).toMatchObject({ lines: 6, length: [...sql].length, warnings: [] });
  });

  it('marks direction changes and zero-width characters where they stand and counts them in words', () => {
    const r = revealText("SELECT 1 /*\u202E } \u2066*/ -- x\u200By\uFEFF", 'This statement');
    expect(shown("SELECT 1 /*\u202E } \u2066*/ -- x\u200By\uFEFF")).toBe('SELECT 1 /*[⟨U+202E⟩] } [⟨U+2066⟩]*/ -- x[⟨U+200B⟩]y[⟨U+FEFF⟩]');
    expect(r.pieces.find((p) => p.kind === 'char')).toEqual({ kind: 'char', label: '⟨U+202E⟩', name: 'RIGHT-TO-LEFT OVERRIDE: shows the text after it reversed', sort: 'direction' });
    expect(r.warnings).toEqual(['This statement holds 4 invisible or direction-changing characters, shown as ⟨U+202E⟩ (right-to-left override), ⟨U+2066⟩ (left-to-right isolate), ⟨U+200B⟩ (zero width space) and ⟨U+FEFF⟩ (zero width no-break space); a pipeline from someone you do not know may be hiding something.']);
    expect(r.length).toBe(26);
  });

  it('marks control and other format characters but not line breaks and tabs', () => {
    expect(shown('a\u0000b\u001Bc\u00ADd\u{E0041}e\rf\u2028g\tz\n')).toBe('a[⟨U+0000⟩]b[⟨U+001B⟩]c[⟨U+00AD⟩]d[⟨U+E0041⟩]e[⟨U+000D⟩]f[⟨U+2028⟩]g\tz\n');
    expect(classifyChar('\u{E0041}')?.name).toBe('TAG CHARACTER (renders as nothing)');
    expect(classifyChar('\uFE0F')?.sort).toBe('invisible');
    expect(classifyChar('é')).toBeUndefined();
    expect(classifyChar('😀')).toBeUndefined();
  });

  it('marks spaces that are not U+0020 apart from hidden characters', () => {
    const r = revealText('DROP\u00A0TABLE\u3000x', 'The value of $1');
    expect(r.pieces.filter((p) => p.kind === 'char').map((p) => p.kind === 'char' && [p.label, p.sort])).toEqual([['⟨U+00A0⟩', 'space'], ['⟨U+3000⟩', 'space']]);
    expect(r.warnings).toEqual(['The value of $1 holds 2 unusual spaces, shown as ⟨U+00A0⟩ (no-break space) and ⟨U+3000⟩ (ideographic space): it looks like an ordinary space but is a different character.']);
  });

  it('collapses more than three blank lines into one marker and says where', () => {
    const sql = `SELECT 1;\n\n\n\nSELECT 2;\n${'  \n'.repeat(40)}DROP TABLE users;`;
    expect(shown(sql)).toBe('SELECT 1;\n\n\n\nSELECT 2;\n[⋯ 40 blank lines ⋯]\nDROP TABLE users;');
    const r = revealText(sql, 'This statement');
    expect(r.lines).toBe(46);
    expect(r.warnings).toEqual(['This statement has 40 blank lines in a row at line 6: text after such a gap is easy to miss, so the gap is shown as one marker.']);
    expect(shown(`SELECT 1;${'\n'.repeat(10)}`)).toBe('SELECT 1;\n[⋯ 10 blank lines ⋯]');
  });

  it('collapses long runs of spaces, trailing or not, and keeps indentation', () => {
    const sql = `SELECT 1;${' '.repeat(200)}DROP TABLE users;\n${' '.repeat(8)}x${'\t'.repeat(40)}`;
    expect(shown(sql)).toBe(`SELECT 1;[⟨200 spaces⟩]DROP TABLE users;\n${' '.repeat(8)}x[⟨40 tabs⟩]`);
    expect(revealText(sql, 'This statement').warnings).toEqual(['This statement has 200 spaces in a row on line 1, 40 tabs in a row at the end of line 2: text after such a gap is easy to miss, so the gap is shown as one marker.']);
  });

  it('a line break in a file path is a warning of its own', () => {
    expect(revealText('/exports/a.csv\n/etc/passwd', 'This path', { singleLine: true }).warnings).toEqual(['This path spans 2 lines: it holds 1 line break.']);
    expect(revealText('/exports/a.csv', 'This path', { singleLine: true }).warnings).toEqual([]);
  });
});
