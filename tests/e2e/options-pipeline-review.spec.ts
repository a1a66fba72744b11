/**
 * The review an imported pipeline gets before it is saved, in the built options page in real
 * Chromium: every SQL statement and file path the pipeline will use, verbatim and wrapped (issue 11).
 * Screenshots in artifacts/e2e/chromium-options-pipeline-review*.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS } from '../support/paths';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';

const LONG_SQL = `WITH recent AS (
  SELECT id, email, "Display Name", created_at FROM crm.customers WHERE created_at > now() - interval '30 days' AND note NOT LIKE '%<script>%' AND region IN ('north-east', 'south-west', 'central-and-eastern-europe')
)
UPDATE crm.customers AS c SET last_seen = $1, tags = array_append(c.tags, 'ferry & co') FROM recent r WHERE c.id = r.id AND c.email = $2 -- keep "quotes" as written
RETURNING c.id;`;
const FILE_PATH = '{{env.EXPORTS}}/customers/{{date}}/export-{{extracted.id}}.csv';
/** A statement hiding a direction change, a zero-width space and a payload 50 blank lines down. */
const HIDING_SQL = `SELECT id FROM crm.customers WHERE note = 'ok \u202E' -- \u200Bread only${'\n'.repeat(51)}DROP TABLE crm.customers;`;
const HIDING_SHOWN = "SELECT id FROM crm.customers WHERE note = 'ok ⟨U+202E⟩' -- ⟨U+200B⟩read only\n⋯ 50 blank lines ⋯\nDROP TABLE crm.customers;";
const HIDING_PATH = '/exports/\u2066report.csv';

const PIPELINE = {
  version: 1,
  id: 'crm-sync-review',
  name: 'CRM sync',
  source: { type: 'supplied' },
  steps: [
    {
      database: {
        operation: 'execute',
        connectionConfig: { type: 'postgresql', host: 'db.example.com', port: 5432, database: 'crm', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}' },
        query: LONG_SQL,
        parameters: ['{{now()}}', '{{extracted.email}}'],
        allowSchemaChanges: true,
      },
    },
    {
      database: {
        operation: 'select',
        query: HIDING_SQL,
        parameters: ['north\u00A0east'],
      },
    },
    { file: { operation: 'write', filePath: FILE_PATH, format: 'csv', append: true, createDirectories: true } },
    { file: { operation: 'write', filePath: HIDING_PATH, format: 'ndjson', append: true } },
  ],
};

let ferry: FerryChromium;
const shots = path.join(ARTIFACTS, 'e2e');

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ferry = await launchFerryChromium({ installHost: false });
});
test.afterAll(async () => {
  await ferry?.close();
});

async function importPipeline(options: Page): Promise<void> {
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/pipelines/import`);
  await options.getByTestId('pipeline-file').setInputFiles({ name: 'crm-sync.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PIPELINE, null, 2)) });
  await expect(options.getByTestId('pipeline-reach')).toBeVisible();
}

test('an imported pipeline shows its SQL and file path verbatim before it can be saved', async () => {
  const options = await ferry.openPage('options.html', { width: 1280, height: 900 });
  await importPipeline(options);
  await expect(options.getByTestId('reach-sql').first()).toHaveText(LONG_SQL, { useInnerText: true });
  await expect(options.getByTestId('reach-file-path').first()).toHaveText(FILE_PATH);
  await expect(options.getByTestId('reach-warning').filter({ hasText: 'May change the structure of the database' })).toHaveCount(1);
  // The hiding statement: every hidden character a marker, the gap one line, the payload on screen.
  const hiding = options.getByTestId('reach-sql').nth(1);
  await expect(hiding).toHaveText(HIDING_SHOWN, { useInnerText: true });
  // The whole statement is laid out: no scroll box hides its end.
  const box = await hiding.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
  expect(box.scroll).toBeLessThanOrEqual(box.client);
  const step = options.getByTestId('reach-database-step').nth(1);
  await expect(step.getByTestId('reach-warning')).toContainText([
    'This statement holds 2 invisible or direction-changing characters, shown as ⟨U+202E⟩ (right-to-left override) and ⟨U+200B⟩ (zero width space); a pipeline from someone you do not know may be hiding something.',
    'This statement has 50 blank lines in a row at line 2: text after such a gap is easy to miss, so the gap is shown as one marker.',
    'The value of $1 holds 1 unusual space, shown as ⟨U+00A0⟩ (no-break space): it looks like an ordinary space but is a different character.',
  ]);
  await expect(options.getByTestId('reach-file-path').nth(1)).toHaveText('/exports/⟨U+2066⟩report.csv');
  await expect(options.getByTestId('pipeline-save')).toBeDisabled();
  // Wrapped, never cut: the statement's box is as wide as the panel and shows every line.
  const sql = options.getByTestId('reach-sql').first();
  const overflow = await sql.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
  const review = options.getByTestId('pipeline-reach');
  await review.scrollIntoViewIfNeeded();
  await review.screenshot({ path: path.join(shots, 'chromium-options-pipeline-review.png') });
  await options.emulateMedia({ colorScheme: 'dark' });
  await review.screenshot({ path: path.join(shots, 'chromium-options-pipeline-review-dark.png') });
  await options.close();
});
