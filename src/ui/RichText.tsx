import { Fragment } from 'react';

/**
 * Renders plain text, turning `backtick spans` into <code>. Hints from the background use backticks
 * for commands the user should type; everything else stays text (never HTML).
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 && i < parts.length - 1 ? (
          <code
            key={i}
            className="rounded bg-black/5 px-1 py-px font-semibold whitespace-nowrap dark:bg-white/10"
          >
            {part}
          </code>
        ) : (
          <Fragment key={i}>{i % 2 === 1 ? `\`${part}` : part}</Fragment>
        ),
      )}
    </>
  );
}
