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
    { file: { operation: 'write', filePath: FILE_PATH, format: 'csv', append: true, createDirectories: true } },
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
  await expect(options.getByTestId('reach-sql')).toHaveText(LONG_SQL, { useInnerText: true });
  await expect(options.getByTestId('reach-file-path')).toHaveText(FILE_PATH);
  await expect(options.getByTestId('reach-warning').first()).toContainText('May change the structure of the database');
  await expect(options.getByTestId('pipeline-save')).toBeDisabled();
  // Wrapped, never cut: the statement's box is as wide as the panel and shows every line.
  const sql = options.getByTestId('reach-sql');
  const overflow = await sql.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
  const review = options.getByTestId('pipeline-reach');
  await review.scrollIntoViewIfNeeded();
  await review.screenshot({ path: path.join(shots, 'chromium-options-pipeline-review.png') });
  await options.emulateMedia({ colorScheme: 'dark' });
  await review.screenshot({ path: path.join(shots, 'chromium-options-pipeline-review-dark.png') });
  await options.close();
});
