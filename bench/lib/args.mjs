/** Command-line numbers the benchmarks share the checking of. */

/** `opts[name]` as a positive number (a whole one unless `integer` is false); a clear error otherwise. */
export function positiveOption(opts, name, { integer = true } = {}) {
  const n = Number(opts[name]);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${opts[name]}`);
  return n;
}
