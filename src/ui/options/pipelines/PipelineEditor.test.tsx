// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { IntegrationRow, PipelineRow } from '../../../storage/rows';
import { checkPipelineText } from './pipelineCheck';
import { pipelineReach } from './pipelineReach';
import type { PickerClient } from './pickerClient';
import { PipelineEditor } from './PipelineEditor';
import type { PipelinesClient } from './pipelinesClient';
import { STARTERS } from './starters';

z.config({ jitless: true });
afterEach(cleanup);

function fakeClient(overrides: Partial<PipelinesClient> = {}): PipelinesClient {
  return {
    list: vi.fn(async () => []),
    get: vi.fn(async () => null),
    save: vi.fn(async (input) => ({ id: 'saved', name: input.name, updatedAt: 0, document: {}, text: input.text }) as PipelineRow),
    remove: vi.fn(async () => true),
    sendFromTab: vi.fn(async () => ({ runId: 'run-9' })),
    env: vi.fn(async () => ({ API_BASE: 'https://crm.example.com' })),
    allowedOrigins: vi.fn(async () => []),
    requestOrigins: vi.fn(async () => true),
    ...overrides,
  };
}

const noPicker: PickerClient = {
  tabs: async () => [],
  openForPicking: async () => Promise.reject(new Error('no')),
  start: async () => Promise.reject(new Error('no')),
  result: async () => null,
  cancel: async () => undefined,
  preview: async () => Promise.reject(new Error('no')),
  focus: async () => undefined,
};

const text = () => screen.getByTestId('pipeline-text') as HTMLTextAreaElement;
const type = (value: string) => fireEvent.change(text(), { target: { value } });

describe('checkPipelineText', () => {
  it('places a validation issue on the line of its key, a missing key on its object, and a syntax error where it stands', () => {
    const bad = '{\n  "version": 1,\n  "id": "x",\n  "name": "x",\n  "source": { "type": "supplied" },\n  "steps": [\n    { "http": { "method": "POST", "url": "ftp://nope" } }\n  ]\n}';
    const check = checkPipelineText(bad);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.issues.map((i) => [i.path, i.line])).toEqual([['steps[0].http.url', 7]]);
    const missing = checkPipelineText('{\n  "version": 1,\n  "id": "x",\n  "source": { "type": "supplied" },\n  "steps": []\n}');
    if (!missing.ok) expect(missing.issues.map((i) => [i.path, i.line])).toEqual([['name', 1], ['steps', 5]]);
    const syntax = checkPipelineText('{\n  "version": 1,\n  "id": \'x\'\n}');
    if (!syntax.ok) expect(syntax.issues[0]).toMatchObject({ line: 3, column: 9 });
  });

  it('every starter parses as it is', () => {
    for (const starter of STARTERS) expect(checkPipelineText(starter.text).ok, starter.id).toBe(true);
  });
});

describe('pipelineReach', () => {
  it('names hosts (env resolved), databases, files, credentials and pages', () => {
    const check = checkPipelineText(`{"version":1,"id":"r","name":"r","match":["https://shop.example/*"],"source":{"type":"supplied"},"steps":[{"http":{"method":"POST","url":"{{env.API_BASE}}/v1","headers":{"Authorization":"Bearer {{credentials.crmToken}}"}}}]}`);
    if (!check.ok) throw new Error('expected a valid pipeline');
    expect(pipelineReach(check.pipeline, { API_BASE: 'https://crm.example.com' })).toEqual({
      hosts: ['https://crm.example.com'], origins: ['https://crm.example.com/*'], databases: [], files: [], databaseSteps: [], fileSteps: [], credentials: ['crmToken'], env: ['API_BASE'], pages: ['https://shop.example/*'],
    });
  });
});

/** A pipeline whose database step runs a long statement with odd characters, and whose file step writes a templated path. */
const LONG_SQL = `WITH recent AS (
  SELECT id, email, "Display Name", created_at FROM crm.customers WHERE created_at > now() - interval '30 days' AND note NOT LIKE '%<script>%'
)
UPDATE crm.customers AS c SET last_seen = $1, tags = array_append(c.tags, 'ferry & co') FROM recent r WHERE c.id = r.id AND c.email = $2 -- keep "quotes" and $3 as written
RETURNING c.id;`;
const FILE_PATH = '{{env.EXPORTS}}/customers/{{date}}/export-{{extracted.id}}.csv';

function hostStepsPipeline(): string {
  return JSON.stringify({
    version: 1, id: 'crm-sync', name: 'CRM sync', source: { type: 'supplied' },
    steps: [
      {
        database: {
          operation: 'execute', connectionConfig: { type: 'postgresql', host: 'db.example.com', port: 5432, database: 'crm', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}' },
          query: LONG_SQL, parameters: ['{{now()}}', '{{extracted.email}}'], allowSchemaChanges: true,
        },
      },
      { database: { operation: 'insert', table: 'crm.visits', onConflict: 'update', conflictTarget: ['id'], createTable: true } },
      { file: { operation: 'write', filePath: FILE_PATH, format: 'csv', append: true, createDirectories: true } },
      { file: { operation: 'write', filePath: '/exports/latest.json' } },
    ],
  }, null, 2);
}

describe('the review of database and file steps', () => {
  it.each([
    ['an import', true],
    ['an edit', false],
  ])('shows every SQL statement and file path verbatim in %s', async (_name, confirmReach) => {
    render(<PipelineEditor client={fakeClient({ env: vi.fn(async () => ({ EXPORTS: '/home/me/exports' })) })} picker={noPicker} initialText={hostStepsPipeline()} title="Review" confirmReach={confirmReach} onSaved={vi.fn()} onCancel={vi.fn()} />);
    const sql = await screen.findAllByTestId('reach-sql');
    expect(sql.map((el) => el.textContent)).toEqual([LONG_SQL]);
    expect(sql[0]!.tagName).toBe('PRE');
    expect(sql[0]!.className).toContain('whitespace-pre-wrap');
    const steps = screen.getAllByTestId('reach-database-step').map((el) => el.textContent);
    expect(steps[0]).toContain('Step 1 · execute · PostgreSQL db.example.com:5432/crm');
    expect(screen.getByTestId('reach-parameters').querySelector('dl')!.textContent).toBe('$1{{now()}}9 characters$2{{extracted.email}}19 characters');
    expect(screen.getAllByTestId('reach-size')[0]!.textContent).toBe(`5 lines · ${LONG_SQL.length} characters`);
    expect(screen.queryAllByTestId('reveal-mark')).toEqual([]);
    expect(steps[0]).toContain('May change the structure of the database (allowSchemaChanges): this statement is allowed to create, alter or drop tables');
    expect(steps[1]).toContain('Step 2 · insert · the host\'s SQLite database "default"');
    expect(steps[1]).toContain('Table: crm.visits');
    expect(steps[1]).toContain('Duplicates: a row whose key already exists is updated with the new values (key: id)');
    expect(steps[1]).toContain('Creates the table "crm.visits" in this database if it does not exist yet (createTable).');
    expect(screen.getAllByTestId('reach-file-path').map((el) => el.textContent)).toEqual([FILE_PATH, '/exports/latest.json']);
    const files = screen.getAllByTestId('reach-file-step').map((el) => el.textContent);
    await waitFor(() => expect(screen.getAllByTestId('reach-file-step')[0]!.textContent).toContain('With your variables: /home/me/exports/customers/{{date}}/export-{{extracted.id}}.csv'));
    expect(files[0]).toContain('(the parts in {{ }} are filled in for each write)');
    expect(files[0]).toContain('Appends to the file if it exists');
    expect(files[0]).toContain('Creates missing folders on the way');
    expect(files[1]).toContain('Replaces the file if it exists, without keeping a backup.');
    expect(screen.getAllByTestId('reach-warning')).toHaveLength(3);
    expect((screen.getByTestId('pipeline-save') as HTMLButtonElement).disabled).toBe(confirmReach);
  });

  it('shows hidden and direction-changing characters as markers, and a long run of blank lines as one, with warnings in words', async () => {
    const hiding = `SELECT id FROM crm.customers WHERE note = 'ok \u202E' -- \u200Bfine${'\n'.repeat(51)}DROP TABLE crm.customers;`;
    const doc = JSON.parse(hostStepsPipeline());
    doc.steps[0].database.query = hiding;
    doc.steps[0].database.parameters = ['a\u00A0b', '{{extracted.email}}'];
    doc.steps[2].file.filePath = '/exports/\u2066a.csv';
    render(<PipelineEditor client={fakeClient()} picker={noPicker} initialText={JSON.stringify(doc, null, 2)} title="Review" confirmReach onSaved={vi.fn()} onCancel={vi.fn()} />);
    const sql = await screen.findByTestId('reach-sql');
    expect(sql.textContent).toBe("SELECT id FROM crm.customers WHERE note = 'ok ⟨U+202E⟩' -- ⟨U+200B⟩fine\n⋯ 50 blank lines ⋯\nDROP TABLE crm.customers;");
    expect(sql.textContent).not.toMatch(/[\u202E\u200B]/);
    const marks = [...sql.querySelectorAll('[data-testid="reveal-mark"]')];
    expect(marks.map((m) => m.getAttribute('title'))).toEqual([
      'U+202E RIGHT-TO-LEFT OVERRIDE: shows the text after it reversed, hidden in the text',
      'U+200B ZERO WIDTH SPACE, hidden in the text',
      '50 blank lines from line 2, collapsed',
    ]);
    expect(screen.getAllByTestId('reach-size')[0]!.textContent).toBe(`52 lines · ${hiding.length} characters`);
    const warnings = screen.getAllByTestId('reach-warning').map((el) => el.textContent);
    expect(warnings).toEqual(expect.arrayContaining([
      '⚠This statement holds 2 invisible or direction-changing characters, shown as ⟨U+202E⟩ (right-to-left override) and ⟨U+200B⟩ (zero width space); a pipeline from someone you do not know may be hiding something.',
      '⚠This statement has 50 blank lines in a row at line 2: text after such a gap is easy to miss, so the gap is shown as one marker.',
      '⚠The value of $1 holds 1 unusual space, shown as ⟨U+00A0⟩ (no-break space): it looks like an ordinary space but is a different character.',
      '⚠This path holds 1 invisible or direction-changing character, shown as ⟨U+2066⟩ (left-to-right isolate); a pipeline from someone you do not know may be hiding something.',
    ]));
    expect(screen.getAllByTestId('reach-file-path')[0]!.textContent).toBe('/exports/⟨U+2066⟩a.csv');
  });

  it('follows the text as it is edited: a changed statement is shown as changed', async () => {
    render(<PipelineEditor client={fakeClient()} picker={noPicker} initialText={hostStepsPipeline()} title="Edit" onSaved={vi.fn()} onCancel={vi.fn()} />);
    await screen.findAllByTestId('reach-sql');
    type(text().value.replace('RETURNING c.id;', 'RETURNING c.id; DROP TABLE crm.customers;'));
    await waitFor(() => expect(screen.getByTestId('reach-sql').textContent).toBe(LONG_SQL.replace('RETURNING c.id;', 'RETURNING c.id; DROP TABLE crm.customers;')));
  });
});

describe('PipelineEditor', () => {
  it('marks each problem on its line, lists it, and keeps Save disabled until the text is valid', async () => {
    const client = fakeClient();
    render(<PipelineEditor client={client} picker={noPicker} initialText={STARTERS[0]!.text} title="New" onSaved={vi.fn()} onCancel={vi.fn()} />);
    expect((screen.getByTestId('pipeline-save') as HTMLButtonElement).disabled).toBe(false);
    type(text().value.replace('"https://api.example.com/v1/items"', '"not a url"'));
    const issues = await screen.findByTestId('pipeline-issues');
    expect(issues.textContent).toMatch(/line \d+steps\[1\]\.http\.url: expected an absolute http or https URL/);
    expect(document.querySelectorAll('[data-issue-line]')).toHaveLength(1);
    expect((screen.getByTestId('pipeline-save') as HTMLButtonElement).disabled).toBe(true);
    expect(text().getAttribute('aria-invalid')).toBe('true');
  });

  it('edits the same document from the form and saves the text', async () => {
    const onSaved = vi.fn();
    const client = fakeClient();
    render(<PipelineEditor client={client} picker={noPicker} initialText={STARTERS[0]!.text} title="New" onSaved={onSaved} onCancel={vi.fn()} />);
    fireEvent.change(screen.getByTestId('pf-url'), { target: { value: '{{env.API_BASE}}/v1/leads' } });
    fireEvent.change(screen.getByTestId('pf-name'), { target: { value: 'Leads to CRM' } });
    expect(JSON.parse(text().value)).toMatchObject({ name: 'Leads to CRM', steps: [{}, { http: { url: '{{env.API_BASE}}/v1/leads' } }] });
    await waitFor(() => expect(screen.getByTestId('pipeline-reach').textContent).toContain('https://crm.example.com'));
    fireEvent.click(screen.getByTestId('pipeline-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('saved'));
    expect(client.save).toHaveBeenCalledWith({ name: 'Leads to CRM', text: text().value });
  });

  it("asks for an API's origin only on Allow, and an import saves only after the user confirms what it touches", async () => {
    const client = fakeClient();
    render(<PipelineEditor client={client} picker={noPicker} initialText={STARTERS[0]!.text} title="Import" confirmReach onSaved={vi.fn()} onCancel={vi.fn()} />);
    expect((screen.getByTestId('pipeline-save') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(await screen.findByTestId('allow-origins'));
    expect(client.requestOrigins).toHaveBeenCalledWith(['https://api.example.com/*']);
    fireEvent.click(screen.getByTestId('confirm-reach'));
    expect((screen.getByTestId('pipeline-save') as HTMLButtonElement).disabled).toBe(false);
  });

  it('fills the delivery step from a saved integration (a copy: url with the path kept, headers, auth; or the connection)', async () => {
    const integrations = [
      { id: 'local', name: 'Local API', kind: 'rest', config: { baseUrl: 'http://127.0.0.1:9999/v1', headers: { 'X-Client': 'ferry' }, auth: { type: 'bearer', token: '{{credentials.localToken}}' } }, createdAt: 1, updatedAt: 1 },
      { id: 'crm', name: 'CRM', kind: 'rest', config: { baseUrl: '{{env.CRM_BASE}}' }, createdAt: 1, updatedAt: 1 },
      { id: 'wh', name: 'Warehouse', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'wh.sqlite' } }, createdAt: 1, updatedAt: 1 },
    ] as IntegrationRow[];
    const client = fakeClient({ integrations: vi.fn(async () => integrations) });
    render(<PipelineEditor client={client} picker={noPicker} initialText={STARTERS[0]!.text} title="New" onSaved={vi.fn()} onCancel={vi.fn()} />);
    const select = () => screen.getByTestId('pf-integration') as HTMLSelectElement;
    await waitFor(() => expect(select().options).toHaveLength(3)); // none, and the two REST ones
    expect(screen.getByTestId('pipeline-form').textContent).toContain('Copied into this pipeline, which stays self-contained and exportable.');
    fireEvent.change(select(), { target: { value: 'local' } });
    expect(JSON.parse(text().value).steps[1].http).toMatchObject({ url: 'http://127.0.0.1:9999/v1/items', headers: { 'Content-Type': 'application/json', 'X-Client': 'ferry' }, auth: { type: 'bearer', token: '{{credentials.localToken}}' } });
    expect(select().value).toBe('local');
    fireEvent.change(select(), { target: { value: 'crm' } });
    const http = JSON.parse(text().value).steps[1].http;
    expect(http).toMatchObject({ url: '{{env.CRM_BASE}}/items', headers: { 'Content-Type': 'application/json' } });
    expect(http.headers).not.toHaveProperty('X-Client');
    expect(http).not.toHaveProperty('auth');
    expect(checkPipelineText(text().value).ok).toBe(true);
    cleanup();

    render(<PipelineEditor client={client} picker={noPicker} initialText={STARTERS.find((s) => s.id === 'sqlite')!.text} title="New" onSaved={vi.fn()} onCancel={vi.fn()} />);
    await waitFor(() => expect(select().options).toHaveLength(2));
    fireEvent.change(select(), { target: { value: 'wh' } });
    expect(JSON.parse(text().value).steps.at(-1).database.connectionConfig).toEqual({ type: 'sqlite', database: 'wh.sqlite' });
    expect(checkPipelineText(text().value).ok).toBe(true);
  });

  it("shows the background's refusal when saving fails", async () => {
    const client = fakeClient({ save: vi.fn(async () => Promise.reject(new Error('The pipeline has a problem: steps[1].http.url ...'))) });
    render(<PipelineEditor client={client} picker={noPicker} initialText={STARTERS[1]!.text} title="New" onSaved={vi.fn()} onCancel={vi.fn()} />);
    fireEvent.click(screen.getByTestId('pipeline-save'));
    expect((await screen.findByTestId('pipeline-save-error')).textContent).toContain('steps[1].http.url');
  });

  it('puts a picked rule into the source and previews what it yields', async () => {
    const rule = { itemSelector: '.card', fields: { title: 'h2' } };
    const picker: PickerClient = {
      ...noPicker,
      tabs: async () => [{ id: 7, title: 'Shop', url: 'https://shop.example/' }],
      start: vi.fn(async () => ({ sessionId: 's1', tabId: 7 })),
      result: vi.fn(async () => ({ sessionId: 's1', tabId: 7, status: 'picked' as const, rule })),
      preview: vi.fn(async () => ({ tabId: 7, mode: 'selector' as const, count: 10_000, records: Array.from({ length: 20 }, (_, i) => ({ title: `Item ${i}` })), source: { url: 'https://shop.example/', title: 'Shop' }, warnings: [] })),
    };
    render(<PipelineEditor client={fakeClient()} picker={picker} initialText={STARTERS[1]!.text} title="New" onSaved={vi.fn()} onCancel={vi.fn()} />);
    await waitFor(() => expect((screen.getByTestId('pick-on-tab') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('pick-on-tab'));
    expect((await screen.findByTestId('preview-count', {}, { timeout: 3000 })).textContent).toBe('10,000');
    expect(JSON.parse(text().value).source).toEqual({ type: 'page', extractor: rule });
    expect(screen.getByTestId('record-preview').querySelectorAll('tbody tr')).toHaveLength(20);
    expect(picker.preview).toHaveBeenCalledWith(7, rule);
  });
});
