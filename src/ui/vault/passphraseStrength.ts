/** A rough strength estimate for the hint under a new passphrase; the background enforces only the length. */
import { MIN_PASSPHRASE_LENGTH } from '../../storage/vault-lock';

export { MIN_PASSPHRASE_LENGTH };

export interface Strength {
  /** 0: too short, 1: weak, 2: fair, 3: strong. */
  level: 0 | 1 | 2 | 3;
  label: string;
  hint: string;
}

/** Length times the bits of the character classes used; words separated by spaces count as such. */
export function passphraseStrength(passphrase: string): Strength {
  const length = Array.from(passphrase).length;
  if (length < MIN_PASSPHRASE_LENGTH) {
    const more = MIN_PASSPHRASE_LENGTH - length;
    return { level: 0, label: 'Too short', hint: `At least ${MIN_PASSPHRASE_LENGTH} characters (${more} more). A few unrelated words are easy to remember and hard to guess.` };
  }
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(passphrase)) pool += 33;
  const distinct = new Set(passphrase).size;
  // Repeats ("aaaaaaaa") count for less than their length.
  const bits = Math.min(length, distinct * 2) * Math.log2(Math.max(pool, 2));
  if (bits < 50) return { level: 1, label: 'Weak', hint: 'Easy to guess: add a word or two, or make it longer.' };
  if (bits < 75) return { level: 2, label: 'Fair', hint: 'Good enough for most; one more word makes it strong.' };
  return { level: 3, label: 'Strong', hint: 'Hard to guess. Keep it somewhere safe: Ferry cannot recover it.' };
}
