/** Small statistics helpers for the benchmark (percentiles of possibly quantized samples, medians). */

/**
 * Percentile p in (0, 100] of unsorted samples. With `resolution` > 0 the samples are taken to be
 * clock readings quantized to that step (Chrome clamps performance.now() to 100 µs with a random
 * threshold per step, so each reading is unbiased but coarse): the percentile is interpolated within
 * its step, treating each step's samples as spread evenly over [value - step/2, value + step/2].
 * Without it this is the nearest-rank percentile.
 */
export function percentile(samples, p, resolution = 0) {
  const n = samples.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  if (!(resolution > 0)) return sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1];
  const target = (p / 100) * n;
  let below = 0;
  for (let i = 0; i < n; ) {
    const step = Math.round(sorted[i] / resolution);
    let j = i;
    while (j < n && Math.round(sorted[j] / resolution) === step) j++;
    const count = j - i;
    if (below + count >= target) return (step - 0.5 + (target - below) / count) * resolution;
    below += count;
    i = j;
  }
  return sorted[n - 1];
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The clock step the samples are quantized to (0 when they are not): the largest of the candidate
 * steps that divides every sample, e.g. 0.1 ms for Chrome's coarsened performance.now().
 */
export function detectResolution(samples) {
  for (const step of [1, 0.1, 0.02, 0.005]) {
    if (samples.every((s) => Math.abs(s / step - Math.round(s / step)) < 1e-6)) return step;
  }
  return 0;
}
