import { cx } from '../cx';
import { passphraseStrength } from './passphraseStrength';

const colors = ['bg-zinc-300 dark:bg-zinc-700', 'bg-red-500', 'bg-amber-500', 'bg-emerald-500'] as const;

/** Three bars and a word for a new passphrase; silent until something is typed. */
export function StrengthMeter({ passphrase, id }: { passphrase: string; id?: string }) {
  if (passphrase === '') return null;
  const strength = passphraseStrength(passphrase);
  return (
    <div id={id} className="mt-1.5" data-testid="passphrase-strength" data-level={strength.level}>
      <div className="flex gap-1" aria-hidden="true">
        {[1, 2, 3].map((i) => (
          <span key={i} className={cx('h-1 flex-1 rounded-full', strength.level >= i ? colors[strength.level] : colors[0])} />
        ))}
      </div>
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="font-medium">{strength.label}.</span> {strength.hint}
      </p>
    </div>
  );
}
