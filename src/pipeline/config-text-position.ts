/**
 * Where a syntax error is and what stands there, in words a person who pasted the text can act on.
 * Kept apart from the parser because the hints (typographic quotes, single quotes, unquoted keys) are
 * about how text goes wrong when copied from a web page, not about the grammar.
 */

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors report for everything but astral characters). */
  column: number;
}

export function positionOf(text: string, index: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */ || (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

export interface FoundDescription {
  /** What stands at the position: `"x"`, `the word undefined`, `the end of the text`. */
  text: string;
  hint?: string;
}

const HINTS: Record<string, string> = {
  '\u201c': 'Typographic quotes come from word processors: use straight double quotes (").',
  '\u201d': 'Typographic quotes come from word processors: use straight double quotes (").',
  '\u2018': 'Use straight double quotes (") for strings.',
  '\u2019': 'Use straight double quotes (") for strings.',
  "'": 'Strings use double quotes ("), or backticks (`) for multi-line text.',
  '/': 'Only // line comments are allowed.',
};

export function describeFound(text: string, at: number): FoundDescription {
  if (at >= text.length) return { text: 'the end of the text', hint: 'Is a closing } or ] missing?' };
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(at, at + 40));
  if (word) {
    const hint =
      word[0] === 'undefined' || word[0] === 'NaN' || word[0] === 'Infinity'
        ? 'Only JSON values are allowed: use null, or leave the key out.'
        : text.slice(at + word[0].length).trimStart().startsWith(':')
          ? `Keys are written in double quotes: "${word[0]}".`
          : 'Text values are written in double quotes.';
    return { text: `the word ${word[0]}`, hint };
  }
  const ch = String.fromCodePoint(text.codePointAt(at) ?? 0);
  const shown = ch === '\n' || ch === '\r' ? 'the end of the line' : JSON.stringify(ch);
  const hint = HINTS[ch];
  return hint === undefined ? { text: shown } : { text: shown, hint };
}
