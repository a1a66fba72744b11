/**
 * Text a pipeline will run or write to (SQL, file paths, bound values), split into plain pieces and
 * marked ones so the review can show what a browser would otherwise hide: characters that render as
 * nothing or reorder the text around them (bidi controls, zero-width and other format characters,
 * control characters), spaces that are not U+0020, long runs of blank lines and of spaces. Pure: the
 * review renders the pieces and lists the warnings in words.
 */

export type MarkSort = 'direction' | 'invisible' | 'space';

export type RevealPiece =
  | { kind: 'text'; text: string }
  /** One hidden character, shown as `label` (`⟨U+202E⟩`); `name` says what it is. */
  | { kind: 'char'; label: string; name: string; sort: MarkSort }
  /** More than MAX_BLANK_LINES blank lines in a row, starting at `line` (1-based), shown as one marker. */
  | { kind: 'blankLines'; label: string; count: number; line: number }
  /** More than MAX_SPACES spaces or tabs in a row on `line`. */
  | { kind: 'spaces'; label: string; count: number; line: number; trailing: boolean };

export interface RevealedText {
  pieces: RevealPiece[];
  /** Lines as an editor counts them: one more than the line breaks. */
  lines: number;
  /** Characters (code points), hidden ones included. */
  length: number;
  /** What the user should know, each a sentence starting with `subject`. */
  warnings: string[];
}

/** Up to this many blank lines in a row are shown as they are; more are one visible marker. */
export const MAX_BLANK_LINES = 3;
/** Deeply indented SQL stays under this; a longer run of spaces is one visible marker. */
export const MAX_SPACES = 32;

const NAMES: Record<number, string> = {
  0x0000: 'NULL', 0x0008: 'BACKSPACE', 0x000d: 'CARRIAGE RETURN', 0x001b: 'ESCAPE', 0x007f: 'DELETE',
  0x00a0: 'NO-BREAK SPACE', 0x00ad: 'SOFT HYPHEN', 0x061c: 'ARABIC LETTER MARK: changes the direction of the text',
  0x115f: 'HANGUL CHOSEONG FILLER (renders as nothing)', 0x1160: 'HANGUL JUNGSEONG FILLER (renders as nothing)',
  0x1680: 'OGHAM SPACE MARK', 0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK: changes the direction of the text', 0x200f: 'RIGHT-TO-LEFT MARK: changes the direction of the text',
  0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING: reorders the text after it', 0x202b: 'RIGHT-TO-LEFT EMBEDDING: reorders the text after it',
  0x202c: 'POP DIRECTIONAL FORMATTING: ends a direction change', 0x202d: 'LEFT-TO-RIGHT OVERRIDE: reorders the text after it',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE: shows the text after it reversed', 0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE', 0x2060: 'WORD JOINER (zero width)',
  0x2066: 'LEFT-TO-RIGHT ISOLATE: reorders the text after it', 0x2067: 'RIGHT-TO-LEFT ISOLATE: reorders the text after it',
  0x2068: 'FIRST STRONG ISOLATE: reorders the text after it', 0x2069: 'POP DIRECTIONAL ISOLATE: ends a direction change',
  0x2800: 'BRAILLE PATTERN BLANK (renders as nothing)', 0x3000: 'IDEOGRAPHIC SPACE', 0x3164: 'HANGUL FILLER (renders as nothing)',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (byte order mark)', 0xffa0: 'HALFWIDTH HANGUL FILLER (renders as nothing)',
};

const DIRECTION = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
/** Letters and symbols that render as nothing although Unicode does not call them format characters. */
const BLANK_LOOKING = new Set([0x115f, 0x1160, 0x2800, 0x3164, 0xffa0]);
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u;
const ASCII_NEEDS_LOOK = new RegExp(`[^\\t\\x20-\\x7e]|[ \\t]{${MAX_SPACES + 1}}`);
const VARIATION_SELECTOR = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/** U+202E as `U+202E`. */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Whether a character must be marked, and what it is; undefined for ordinary text, `\n` and `\t`. */
export function classifyChar(char: string): { sort: MarkSort; name: string } | undefined {
  const cp = char.codePointAt(0)!;
  if (char === '\n' || char === '\t' || char === ' ') return undefined;
  if (DIRECTION.has(cp)) return { sort: 'direction', name: NAMES[cp]! };
  if (/\p{Zs}/u.test(char)) return { sort: 'space', name: NAMES[cp] ?? 'a space other than the ordinary one' };
  if (BLANK_LOOKING.has(cp)) return { sort: 'invisible', name: NAMES[cp]! };
  if (VARIATION_SELECTOR(cp)) return { sort: 'invisible', name: 'VARIATION SELECTOR (renders as nothing)' };
  if (!HIDDEN.test(char)) return undefined;
  const generic = cp >= 0xe0000 && cp <= 0xe007f ? 'TAG CHARACTER (renders as nothing)'
    : /\p{Cc}/u.test(char) ? 'a control character'
      : /\p{Cf}/u.test(char) ? 'a format character (renders as nothing)'
        : /\p{Co}/u.test(char) ? 'a private-use character'
          : /\p{Cs}/u.test(char) ? 'half of a broken character pair'
            : 'a character Unicode has not assigned';
  return { sort: 'invisible', name: NAMES[cp] ?? generic };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Splits `text` into pieces. `subject` starts each warning ("This statement", "The value of $1");
 * `singleLine` says a line break is itself unexpected (file paths).
 */
export function revealText(text: string, subject: string, { singleLine = false } = {}): RevealedText {
  const pieces: RevealPiece[] = [];
  const plain = (s: string) => {
    if (s === '') return;
    const last = pieces.at(-1);
    if (last?.kind === 'text') last.text += s;
    else pieces.push({ kind: 'text', text: s });
  };
  const marked: Extract<RevealPiece, { kind: 'char' }>[] = [];
  const gaps: string[] = [];
  const lines = text.split('\n');

  const emitLine = (line: string, lineNo: number) => {
    // Printable ASCII without a long space run needs no look at each character (a 1 MB statement).
    if (!ASCII_NEEDS_LOOK.test(line)) return plain(line);
    let run = '';
    const flushRun = (trailing: boolean) => {
      if (run.length > MAX_SPACES) {
        const what = /^ +$/.test(run) ? 'spaces' : /^\t+$/.test(run) ? 'tabs' : 'spaces and tabs';
        pieces.push({ kind: 'spaces', label: `⟨${run.length} ${what}⟩`, count: run.length, line: lineNo, trailing });
        gaps.push(`${run.length} ${what} in a row ${trailing ? 'at the end of' : 'on'} line ${lineNo}`);
      } else plain(run);
      run = '';
    };
    const chars = [...line];
    chars.forEach((char, i) => {
      if (char === ' ' || char === '\t') return void (run += char);
      flushRun(false);
      // A Windows line ending is a line break, not something hidden.
      if (char === '\r' && i === chars.length - 1 && lineNo < lines.length) return plain(char);
      const mark = classifyChar(char);
      if (mark === undefined) return plain(char);
      const piece = { kind: 'char' as const, label: `⟨${codePointLabel(char.codePointAt(0)!)}⟩`, ...mark };
      marked.push(piece);
      pieces.push(piece);
    });
    flushRun(true);
  };

  let blankStart = -1;
  const flushBlank = (end: number) => {
    if (blankStart < 0) return;
    const count = end - blankStart;
    if (count > MAX_BLANK_LINES) {
      pieces.push({ kind: 'blankLines', label: `⋯ ${count} blank lines ⋯`, count, line: blankStart + 1 });
      gaps.push(`${count} blank lines in a row at line ${blankStart + 1}`);
      if (end < lines.length) plain('\n');
    } else {
      for (let i = blankStart; i < end; i++) {
        emitLine(lines[i]!, i + 1);
        if (i < lines.length - 1) plain('\n');
      }
    }
    blankStart = -1;
  };
  lines.forEach((line, i) => {
    if (/^[ \t\r]*$/.test(line) && lines.length > 1) {
      if (blankStart < 0) blankStart = i;
      return;
    }
    flushBlank(i);
    emitLine(line, i + 1);
    if (i < lines.length - 1) plain('\n');
  });
  flushBlank(lines.length);

  const warnings: string[] = [];
  const hidden = marked.filter((m) => m.sort !== 'space');
  if (hidden.length > 0) {
    warnings.push(`${subject} holds ${plural(hidden.length, 'invisible or direction-changing character')}, shown as ${labels(hidden)}; a pipeline from someone you do not know may be hiding something.`);
  }
  const spaces = marked.filter((m) => m.sort === 'space');
  if (spaces.length > 0) {
    warnings.push(`${subject} holds ${plural(spaces.length, 'unusual space')}, shown as ${labels(spaces)}: it looks like an ordinary space but is a different character.`);
  }
  if (gaps.length > 0) warnings.push(`${subject} has ${gaps.join(', ')}: text after such a gap is easy to miss, so the gap is shown as one marker.`);
  if (singleLine && lines.length > 1) warnings.push(`${subject} spans ${lines.length} lines: it holds ${plural(lines.length - 1, 'line break')}.`);
  return { pieces, lines: lines.length, length: [...text].length, warnings };
}

/** `⟨U+202E⟩ (right-to-left override) and ⟨U+200B⟩ (zero width space)`, each once, at most four. */
function labels(marks: { label: string; name: string }[]): string {
  const named = (m: { label: string; name: string }) => `${m.label} (${m.name.split(/[:(]/)[0]!.trim().toLowerCase()})`;
  const unique = [...new Set(marks.map(named))];
  const shown = unique.length > 4 ? [...unique.slice(0, 4), `${unique.length - 4} more`] : unique;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`;
}
