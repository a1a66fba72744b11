/**
 * `npm start`'s demo: the demo page's contacts go through a saved pipeline to the local demo API.
 * `installDemo` saves the pipeline into Ferry (with the API's address as the env variable
 * DEMO_API); `runDemo` does what a user does in the browser — clicks Ferry's toolbar button on the
 * demo page, starts the run from the popup, waits for it — and checks the result against what the
 * demo API itself received.
 */
import { readFile } from 'node:fs/promises';
import { popupMessenger } from './ferry-messages.mjs';
import { clickToolbarButton } from './toolbar-action.mjs';

export const DEMO_PIPELINE = { id: 'demo-page-to-api', name: 'Demo: page → local API' };
const RUN_TIMEOUT_MS = 60_000;

/** Saves the demo pipeline through `send` (Ferry messages from an extension page) and points DEMO_API at `apiUrl`. */
export async function installDemo(send, { pipelineFile, apiUrl }) {
  await send('env.set', { name: 'DEMO_API', value: apiUrl });
  const text = await readFile(pipelineFile, 'utf8');
  return send('pipelines.save', { name: DEMO_PIPELINE.name, text });
}

/**
 * Clicks Ferry's toolbar button on the demo page's tab (which grants Ferry that tab, as a click
 * does), starts the demo pipeline from the popup, and waits for the run to finish.
 */
export async function runDemo({ context, extensionId, page, api }) {
  const popup = await clickToolbarButton(context, extensionId, page);
  const send = popupMessenger(popup);
  try {
    // No tabId: the run reads the popup's tab, exactly as the popup's Send button does.
    const started = await send('runs.startFromTab', { pipelineId: DEMO_PIPELINE.id });
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    let run = await send('runs.get', { runId: started.runId });
    while (!['succeeded', 'failed', 'cancelled'].includes(run?.status)) {
      if (Date.now() > deadline) throw new Error(`The demo run did not finish within ${RUN_TIMEOUT_MS / 1000} s (status: ${run?.status ?? 'unknown'}).`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      run = await send('runs.get', { runId: started.runId });
    }
    const rejects = run.counts.rejected > 0 ? await send('runs.rejects', { runId: started.runId, limit: 10 }) : [];
    const deadLetters = run.counts.failed > 0 ? await send('runs.deadLetters', { runId: started.runId }) : [];
    return { started, run, rejects, deadLetters, check: checkDelivery(run, rejects, api) };
  } finally {
    await popup.close();
  }
}

/**
 * What the demo API received must match the run: one contact per record Ferry counts as sent (a
 * retried request answered from the Idempotency-Key store is fine, a second insert is not), and
 * no rejected record among them.
 */
export function checkDelivery(run, rejects, api) {
  const problems = [];
  const emails = api.contacts.map((c) => c.contact.email);
  const duplicates = emails.filter((email, i) => emails.indexOf(email) !== i);
  if (api.contacts.length !== run.counts.sent) problems.push(`the run counts ${run.counts.sent} sent, but the demo API stored ${api.contacts.length} contacts`);
  if (duplicates.length > 0) problems.push(`the demo API stored ${[...new Set(duplicates)].join(', ')} more than once`);
  const rejected = new Set(rejects.map((r) => r.record?.email));
  const leaked = emails.filter((email) => rejected.has(email));
  if (leaked.length > 0) problems.push(`rejected records reached the API: ${leaked.join(', ')}`);
  if (run.status !== 'succeeded') problems.push(`the run ended ${run.status}${run.error ? `: ${run.error.message}` : ''}`);
  return { ok: problems.length === 0, problems };
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lines `npm start --headless` prints about the demo. */
export function describeDemo({ started, run, rejects, deadLetters, check }, { pageUrl, api }) {
  const { counts } = run;
  const once = check.ok ? ' (each once)' : '';
  const firstReason = rejects[0]?.reasons.map((r) => r.message).join('; ');
  const rejected = counts.rejected > 0 ? `, ${counts.rejected} rejected${firstReason ? `: ${firstReason}` : ''}` : '';
  const failed = counts.failed > 0 ? `, ${counts.failed} failed${deadLetters[0]?.lastOutcome.message ? `: ${deadLetters[0].lastOutcome.message}` : ''}` : '';
  const lines = [
    `Demo: ${plural(started.extracted, 'record')} extracted from ${pageUrl}, ${counts.sent} delivered to ${api.url}/v1/contacts${once}${rejected}${failed}`,
    `Demo API: ${plural(api.contacts.length, 'contact')} stored from ${plural(api.stats.requests, 'request')} (${plural(api.stats.replayed, 'repeat')} answered from the Idempotency-Key store)`,
  ];
  if (!check.ok) lines.push(`Demo check FAILED: ${check.problems.join('; ')}`);
  return lines;
}
