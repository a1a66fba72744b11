/**
 * Per-record mapping and validation cost, measured in the same service worker as the HTTP rounds:
 * esbuild bundles Ferry's own src/pipeline (and the run engine's prepareRecords, which start() calls)
 * into a script that the bench evaluates in the worker. The extension's bundle does not expose these
 * functions, so this is a second copy of the same source, run by the same engine on the same records.
 * It leaves `globalThis.__ferryMapping.measure(pipelineText, records)` behind.
 */
import { build } from 'esbuild';

const ENTRY = `
import { z } from 'zod';
import { parsePipeline, compileTransformation, mapRecord, validateRecord } from './src/pipeline';
import { pipelineShape } from './src/runs/pipeline-shape';
import { prepareRecords } from './src/runs/prepare-records';

// As the background does: zod never probes \`new Function\` under the extension's CSP.
z.config({ jitless: true });

const perRecord = (ms, n) => (ms * 1000) / n;
const ONCE_REPS = 50;

globalThis.__ferryMapping = {
  /** Times each phase over all records, \`reps\` times, and keeps each phase's fastest repetition. */
  measure(pipelineText, records, reps = 3) {
    const n = records.length;
    const source = { url: 'https://shop.test/list' };
    const best = { parseMs: Infinity, compileMs: Infinity, mapRecordUs: Infinity, validateUs: Infinity, prepareUs: Infinity };
    let accepted = 0;
    for (let rep = 0; rep < reps; rep++) {
      // Once per run, and below the worker's 0.1 ms clock step: timed over ONCE_REPS calls.
      let t = performance.now();
      let shape;
      for (let i = 0; i < ONCE_REPS; i++) shape = pipelineShape(parsePipeline(pipelineText));
      best.parseMs = Math.min(best.parseMs, (performance.now() - t) / ONCE_REPS);

      const block = shape.transforms[0].step.dataTransformation;
      t = performance.now();
      let compiled;
      for (let i = 0; i < ONCE_REPS; i++) compiled = compileTransformation(block, 'steps[0].dataTransformation');
      best.compileMs = Math.min(best.compileMs, (performance.now() - t) / ONCE_REPS);

      // mapRecord: render the mapping's templates, then validate (what one record costs at start).
      const now = Date.now();
      const mapped = new Array(n);
      t = performance.now();
      for (let i = 0; i < n; i++) {
        const record = records[i];
        mapped[i] = mapRecord(compiled, { extracted: record, transformedData: record, preparedData: record, source }, { now, record: { index: i } });
      }
      best.mapRecordUs = Math.min(best.mapRecordUs, perRecord(performance.now() - t, n));

      // Validation alone, on the mapped records: mapping ≈ mapRecord − this.
      t = performance.now();
      let ok = 0;
      for (let i = 0; i < n; i++) if (validateRecord(compiled.validation, mapped[i].record, { hiddenFields: compiled.secretFields }).ok) ok++;
      best.validateUs = Math.min(best.validateUs, perRecord(performance.now() - t, n));

      // prepareRecords: exactly what start() runs before it writes anything (compile + map + validate).
      t = performance.now();
      const prepared = prepareRecords(shape, records, { source, now });
      best.prepareUs = Math.min(best.prepareUs, perRecord(performance.now() - t, n));
      accepted = prepared.accepted.length;
      if (ok !== accepted) throw new Error(\`validateRecord accepted \${ok} records, prepareRecords \${accepted}\`);
    }
    return { ...best, mappingOnlyUs: Math.max(0, best.mapRecordUs - best.validateUs), accepted, records: n, reps };
  },
};
`;

/** @param {string} root repository root  @returns {Promise<string>} a script for worker.evaluate */
export async function buildMappingProbe(root) {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'bench-http-mapping-entry.js', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // Same as the extension's production build: no dev-only branches.
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.env.DEV': 'false' },
  });
  return result.outputFiles[0].text;
}
