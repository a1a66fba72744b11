import { useEffect, useRef, useState } from 'react';
import { Button } from './Button';

export interface ConfirmButtonProps {
  /** The first button's text ("Delete"). */
  label: string;
  /** Its accessible name when the text alone is ambiguous in a list ("Delete apiToken"). */
  ariaLabel?: string;
  /** Asked before acting ("Delete apiToken for good?"). */
  question: string;
  /** The confirming button's text. */
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
  'data-testid'?: string;
}

/**
 * A destructive action that asks first, in place: the button turns into a question with the
 * confirming button (focused) and Cancel. Escape cancels and gives focus back.
 */
export function ConfirmButton({ label, ariaLabel, question, confirmLabel, busy = false, onConfirm, 'data-testid': testId }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking && !busy) {
    return (
      <Button ref={openerRef} variant="secondary" onClick={() => setAsking(true)} aria-label={ariaLabel} data-testid={testId}>
        {label}
      </Button>
    );
  }
  return (
    <div
      role="group"
      aria-label={question}
      className="flex flex-wrap items-center justify-end gap-2"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <span className="text-xs font-medium text-zinc-700 dark:text-zinc-300">{question}</span>
      <Button
        ref={confirmRef}
        variant="danger"
        busy={busy}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
        data-testid={testId && `${testId}-confirm`}
      >
        {confirmLabel}
      </Button>
      {!busy && (
        <Button variant="secondary" onClick={() => setAsking(false)} data-testid={testId && `${testId}-cancel`}>
          Cancel
        </Button>
      )}
    </div>
  );
}
