import type { RevealPiece, RevealedText } from './revealText';

/**
 * Reviewed text (SQL, a path, a bound value) with what `revealText` found made visible: each hidden
 * character as an amber `⟨U+202E⟩` badge titled with its name, long gaps as one amber marker. The
 * badges are set in the sans font on a filled background so text typed to look like one stays plain.
 */
export function Revealed({ revealed }: { revealed: RevealedText }) {
  return <>{revealed.pieces.map((piece, i) => <Piece key={i} piece={piece} />)}</>;
}

const mark = 'mx-px rounded-sm px-1 py-px font-sans text-[11px] font-semibold whitespace-nowrap';

function Piece({ piece }: { piece: RevealPiece }) {
  if (piece.kind === 'text') return <>{piece.text}</>;
  const title = piece.kind === 'char' ? `${piece.label.slice(1, -1)} ${piece.name}, hidden in the text`
    : piece.kind === 'blankLines' ? `${piece.count} blank lines from line ${piece.line}, collapsed`
      : `${piece.count} blank characters ${piece.trailing ? 'at the end of' : 'on'} line ${piece.line}, collapsed`;
  const tone = piece.kind === 'char'
    ? 'bg-amber-200 text-amber-950 ring-1 ring-amber-600 ring-inset dark:bg-amber-400/30 dark:text-amber-100 dark:ring-amber-400'
    : 'border border-dashed border-amber-500 bg-amber-50 text-amber-800 dark:bg-amber-400/10 dark:text-amber-200';
  return (
    <span data-testid="reveal-mark" data-kind={piece.kind} title={title} aria-label={title} className={`${mark} ${tone}`}>
      {piece.label}
    </span>
  );
}

/** "12 lines · 480 characters", or just the characters for one line. */
export function sizeWords({ lines, length }: RevealedText): string {
  const chars = `${length} ${length === 1 ? 'character' : 'characters'}`;
  return lines > 1 ? `${lines} lines · ${chars}` : chars;
}
