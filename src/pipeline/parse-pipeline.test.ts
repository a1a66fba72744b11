import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { ConfigIssue } from './issues';
import { parsePipeline } from './parse-pipeline';

function base(): Record<string, unknown> & { steps: Record<string, unknown>[] } {
  return {
    version: 1,
    id: 'orders',
    name: 'Orders',
    source: { type: 'supplied' },
    steps: [
      { dataTransformation: { mapping: { apiField1: '{{extracted.field1}}', apiField2: '{{extracted.field2}}' }, validation: { required: ['apiField1'], formats: { apiField2: 'email' } } } },
      { http: { method: 'POST', url: 'https://api.example.com/v1/data', body: { data: '{{transformedData}}' } } },
    ],
  };
}

/** Parses and returns the issues, failing the test if the pipeline was accepted. */
function issuesOf(doc: unknown): ConfigIssue[] {
  try {
    parsePipeline(doc);
  } catch (e) {
    if (isFerryError(e, 'PIPELINE_INVALID')) return (e.details as { issues: ConfigIssue[] }).issues;
    throw e;
  }
  throw new Error('expected PIPELINE_INVALID');
}

function withStep(i: number, patch: (step: Record<string, unknown>) => void) {
  const doc = base();
  patch(doc.steps[i]!);
  return doc;
}

describe('parsePipeline: accepted documents', () => {
  it('fills in defaults and infers step kinds', () => {
    const p = parsePipeline(base());
    expect(p.steps[0]?.kind).toBe('transform');
    const http = p.steps[1];
    expect(http?.kind === 'http' && http.http).toEqual({ method: 'POST', url: 'https://api.example.com/v1/data', body: { data: '{{transformedData}}' }, timeout: 30_000, followRedirects: true });
    expect(http?.kind === 'http' && http.batching).toEqual({ mode: 'record' });
  });

  it('accepts an explicit kind, a lower-case method, auth, query, pagination, match patterns and a page source', () => {
    const doc = base();
    doc.match = ['https://*.example.com/*', '<all_urls>', 'http://localhost:8080/*'];
    doc.source = { type: 'page', itemSelector: '.product', fields: { title: 'h2', link: { selector: 'a', attribute: 'href' } } };
    doc.steps[1] = {
      kind: 'http',
      http: {
        method: 'get',
        url: '{{env.API_BASE}}/items',
        query: { q: '{{extracted.term}}', limit: 10, tags: ['a', 'b'] },
        auth: { type: 'apiKey', in: 'query', name: 'api_key', value: '{{credentials.key}}' },
        pagination: { type: 'cursor', cursorPath: 'meta.next', itemsPath: 'data' },
      },
    };
    const p = parsePipeline(doc);
    const step = p.steps[1];
    expect(step?.kind === 'http' && step.http.method).toBe('GET');
    expect(step?.kind === 'http' && step.http.pagination).toEqual({ type: 'cursor', cursorPath: 'meta.next', itemsPath: 'data', param: 'cursor' });
  });

  it('does not change the document it was given', () => {
    const doc = base();
    const copy = structuredClone(doc);
    parsePipeline(doc);
    expect(doc).toEqual(copy);
  });
});

describe('parsePipeline: every problem, with its JSON path and what is expected in plain words', () => {
  it('a duration written as text', () => {
    const doc = withStep(1, (s) => ((s.http as Record<string, unknown>).timeout = '30s'));
    expect(issuesOf(doc)).toEqual([
      { path: 'steps[1].http.timeout', expected: 'a number of milliseconds from 1 to 300000', got: '"30s"', message: 'steps[1].http.timeout: expected a number of milliseconds from 1 to 300000, got "30s"' },
    ]);
  });

  it('lists every issue at once, and the error message shows them', () => {
    const doc = base();
    doc.version = 1;
    delete doc.name;
    doc.steps[1] = { http: { method: 'FETCH', url: 'ftp://x', timeout: 0 }, retryStrategy: { maxAttempts: 0, backoffType: 'random' } };
    try {
      parsePipeline(doc);
      expect.unreachable();
    } catch (e) {
      expect(isFerryError(e, 'PIPELINE_INVALID')).toBe(true);
      const issues = (e as { details: { issues: ConfigIssue[] } }).details.issues;
      expect(issues.map((i) => i.message)).toEqual([
        'name: expected a pipeline name, but it is missing',
        'steps[1].http.method: expected one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", got "FETCH"',
        'steps[1].http.url: expected an absolute http or https URL such as "https://api.example.com/v1/data" (templates allowed), got "ftp://x"',
        'steps[1].http.timeout: expected a number of milliseconds from 1 to 300000, got 0',
        'steps[1].retryStrategy.maxAttempts: expected a whole number of attempts from 1 to 20, got 0',
        'steps[1].retryStrategy.backoffType: expected one of "exponential", "linear", "fixed", got "random"',
      ]);
      expect((e as Error).message).toBe(`The pipeline has 6 problems:\n${issues.map((i) => `- ${i.message}`).join('\n')}`);
    }
  });

  it('an unknown key, with a suggestion', () => {
    const [issue] = issuesOf(withStep(1, (s) => ((s.http as Record<string, unknown>).timout = 5000)));
    expect(issue?.path).toBe('steps[1].http.timout');
    expect(issue?.message).toMatch(/^steps\[1\]\.http\.timout: unknown key \(did you mean "timeout"\?\); expected one of the keys "method", "url", /);
  });

  it('a step with no block', () => {
    const doc = base();
    doc.steps[1] = { request: {} };
    expect(issuesOf(doc)).toEqual([
      {
        path: 'steps[1]',
        expected: 'a step containing one of "dataTransformation", "http", "graphqlConfig", "database" or "file"',
        got: 'an object',
        message: 'steps[1]: expected a step containing one of "dataTransformation", "http", "graphqlConfig", "database" or "file", got an object',
      },
    ]);
  });

  it('a step with two blocks', () => {
    const doc = base();
    doc.steps[0] = { ...doc.steps[0], graphqlConfig: {} };
    expect(issuesOf(doc).map((i) => i.path)).toEqual(['steps[0].graphqlConfig']);
  });

  it('template syntax, at the path of the string', () => {
    const doc = withStep(0, (s) => ((s.dataTransformation as { mapping: Record<string, unknown> }).mapping.apiField1 = '{{extracted.field1'));
    expect(issuesOf(doc)[0]?.message).toBe(
      'steps[0].dataTransformation.mapping.apiField1: expected a valid template: a closing "}}" for the "{{" here at position 1, got "{{extracted.field1"',
    );
    const nested = withStep(1, (s) => ((s.http as Record<string, unknown>).body = { items: [{ x: 'a {{uuid()}}' }] }));
    expect(issuesOf(nested)[0]?.path).toBe('steps[1].http.body.items[0].x');
  });

  it('validation rules for fields the mapping does not produce', () => {
    const doc = withStep(0, (s) => {
      (s.dataTransformation as { validation: unknown }).validation = { required: ['apiFeld1'], formats: { apiFeld2: 'email' } };
    });
    expect(issuesOf(doc).map((i) => i.message)).toEqual([
      'steps[0].dataTransformation.validation.required[0]: expected a field the mapping produces (apiField1, apiField2), got "apiFeld1"',
      'steps[0].dataTransformation.validation.formats.apiFeld2: expected a field the mapping produces (apiField1, apiField2), got "apiFeld2"',
    ]);
  });

  it('an invalid regular expression is a configuration error', () => {
    const doc = withStep(0, (s) => {
      (s.dataTransformation as { validation: unknown }).validation = { pattern: { apiField1: '([a-z' } };
    });
    expect(issuesOf(doc)[0]?.message).toMatch(/^steps\[0\]\.dataTransformation\.validation\.pattern\.apiField1: expected a regular expression .*; this one does not compile: .*, got "\(\[a-z"$/);
  });

  it('a literal secret in auth is refused, and not quoted back', () => {
    const doc = withStep(1, (s) => ((s.http as Record<string, unknown>).auth = { type: 'bearer', token: 'sk_live_123' }));
    expect(issuesOf(doc)).toEqual([
      expect.objectContaining({ path: 'steps[1].http.auth.token', got: 'a value (not shown)', expected: expect.stringContaining('a credential reference such as "{{credentials.apiToken}}"') }),
    ]);
  });

  it('a GET with a body, a form body that is not flat, a text body that is not text', () => {
    const get = withStep(1, (s) => ((s.http as Record<string, unknown>).method = 'GET'));
    expect(issuesOf(get)[0]?.message).toBe('steps[1].http.body: expected no body: a GET request sends its data in "query" (or use POST), got an object');
    const form = withStep(1, (s) => ((s.http as Record<string, unknown>).bodyType = 'form'));
    expect(() => parsePipeline(form)).not.toThrow();
    const nested = withStep(1, (s) => Object.assign(s.http as object, { bodyType: 'form', body: { a: { b: 1 } } }));
    expect(issuesOf(nested)[0]?.path).toBe('steps[1].http.body');
    const textBody = withStep(1, (s) => ((s.http as Record<string, unknown>).bodyType = 'text'));
    expect(issuesOf(textBody)[0]?.expected).toBe('text, because "bodyType" is "text"');
  });

  it('GraphQL syntax errors name the line in the query', () => {
    const doc = base();
    doc.steps[1] = { graphqlConfig: { endpoint: 'https://api.example.com/graphql', query: 'mutation {\n  create(input: $input) {\n}' } };
    expect(issuesOf(doc)[0]?.message).toMatch(/^steps\[1\]\.graphqlConfig\.query: expected a GraphQL query or mutation; Syntax Error: .* at line 3, column 1 of the query, got /);
    doc.steps[1] = { graphqlConfig: { endpoint: 'https://api.example.com/graphql', query: 'subscription { x }' } };
    expect(issuesOf(doc)[0]?.expected).toContain('subscriptions need a stream');
  });

  it('policies: maxDelay below baseDelay, a batch without a size, an unknown fallback', () => {
    const doc = withStep(1, (s) => {
      s.retryStrategy = { baseDelay: 5000, maxDelay: 1000 };
      s.batching = { mode: 'batch' };
      s.circuitBreaker = { fallbackAction: 'retry' };
    });
    expect(issuesOf(doc).map((i) => i.message)).toEqual([
      'steps[1].retryStrategy.maxDelay: expected a number of milliseconds no smaller than baseDelay (5000), got 1000',
      'steps[1].circuitBreaker.fallbackAction: expected one of "useCache", "fail", "queue", got "retry"',
      'steps[1].batching.size: expected a whole number of records per request from 1 to 10000, but it is missing',
    ]);
  });

  it('responseProcessing: status keys, and statuses that are both success and error', () => {
    const doc = withStep(1, (s) => (s.responseProcessing = { successCodes: [200], errorHandling: { '200': 'odd', '4xx': 'client_error', teapot: 'x', '500': 'Server Error' } }));
    expect(issuesOf(doc).map((i) => i.message)).toEqual([
      'steps[1].responseProcessing.errorHandling["500"]: expected an outcome label in snake_case, such as "rate_limit_exceeded", got "Server Error"',
      'steps[1].responseProcessing.errorHandling["200"]: expected a status that is not also in "successCodes", got "200"',
      'steps[1].responseProcessing.errorHandling.teapot: expected a status such as "404", a class such as "5xx", or "default", got "teapot"',
    ]);
  });

  it('header names, match patterns, duplicate step ids, empty steps', () => {
    const doc = withStep(1, (s) => ((s.http as Record<string, unknown>).headers = { 'Bad Header': 'x' }));
    doc.match = ['example.com'];
    doc.steps[0]!.id = 'a';
    doc.steps[1]!.id = 'a';
    expect(issuesOf(doc).map((i) => i.message)).toEqual([
      'match[0]: expected a URL match pattern such as "https://*.example.com/*" or "<all_urls>", got "example.com"',
      'steps[1].http.headers["Bad Header"]: expected a header name (letters, digits and -, no spaces), got "Bad Header"',
    ]);
    doc.match = [];
    delete (doc.steps[1]!.http as Record<string, unknown>).headers;
    expect(issuesOf(doc).map((i) => i.message)).toEqual(['steps[1].id: expected a step id used once ("a" is already taken), got "a"']);
    expect(issuesOf({ ...base(), steps: [] }).map((i) => i.message)).toEqual(['steps: expected a list of at least one step, got a list of 0 items']);
  });

  it('resultProcessing: duplicate names, transformations of fields not extracted, format only for parseDate', () => {
    const doc = withStep(1, (s) => {
      s.resultProcessing = { extractFields: ['id', 'data.id'], transformations: [{ field: 'createdAt', operation: 'trim', format: 'ISO8601' }] };
    });
    expect(issuesOf(doc).map((i) => i.message)).toEqual([
      'steps[1].resultProcessing.transformations[0].format: expected no "format": it only applies to parseDate, got "ISO8601"',
      'steps[1].resultProcessing.extractFields[1]: expected paths whose last field names differ ("id" is already extracted), got "data.id"',
      'steps[1].resultProcessing.transformations[0].field: expected an extracted field (id), got "createdAt"',
    ]);
  });

  it('resultProcessing: a storage key may not read a credential (results are stored and shown)', () => {
    const doc = withStep(1, (s) => {
      s.resultProcessing = { extractFields: ['id'], storage: { type: 'local', key: 'r_{{id}}_{{credentials.apiToken}}' } };
    });
    expect(issuesOf(doc)).toEqual([
      expect.objectContaining({ path: 'steps[1].resultProcessing.storage.key', got: '"r_{{id}}_{{credentials.apiToken}}"' }),
    ]);
    expect(issuesOf(doc)[0]!.message).toContain('without {{credentials.*}} (results are stored and shown, so a secret must never be rendered into them)');
    // env values are not secret: allowed.
    const env = withStep(1, (s) => {
      s.resultProcessing = { storage: { type: 'local', key: '{{env.TENANT}}_{{id}}' } };
    });
    expect(() => parsePipeline(env)).not.toThrow();
  });

  it('pagination rules', () => {
    const page = withStep(1, (s) => ((s.http as Record<string, unknown>).pagination = { type: 'page', completeWhen: { emptyItems: true, hasMore: false } }));
    expect(issuesOf(page)[0]?.message).toMatch(/^steps\[1\]\.http\.pagination\.completeWhen\.hasMore: unknown key; expected one of the keys "emptyItems", "truePath", /);
    const path = withStep(1, (s) => ((s.http as Record<string, unknown>).pagination = { type: 'nextLink', nextPath: 'links..next' }));
    expect(issuesOf(path)[0]).toMatchObject({ path: 'steps[1].http.pagination.nextPath', got: '"links..next"' });
    const bad = withStep(1, (s) => ((s.http as Record<string, unknown>).pagination = { type: 'offset' }));
    expect(issuesOf(bad)[0]).toMatchObject({ path: 'steps[1].http.pagination.type', got: '"offset"' });
    const cursor = withStep(1, (s) => ((s.http as Record<string, unknown>).pagination = { type: 'cursor' }));
    expect(issuesOf(cursor)[0]?.message).toBe('steps[1].http.pagination.cursorPath: expected a field path such as "id" or "data.items[0].id", but it is missing');
  });

  it('multipart bodies may hold files; form bodies may not', () => {
    const file = { filename: 'a.csv', contentType: 'text/csv', data: 'YQ==' };
    const multipart = withStep(1, (s) => Object.assign(s.http as object, { bodyType: 'multipart', body: { file, note: '{{extracted.note}}' } }));
    expect(() => parsePipeline(multipart)).not.toThrow();
    const form = withStep(1, (s) => Object.assign(s.http as object, { bodyType: 'form', body: { file } }));
    expect(issuesOf(form)[0]?.expected).toBe('an object of field names and text, number or true/false values, because "bodyType" is "form"');
  });

  it('policy blocks are kept as written, without defaults, for the retry and breaker layers to merge', () => {
    const doc = withStep(1, (s) => {
      s.responseProcessing = { retryConfig: { maxRetries: 2 } };
      s.retryStrategy = { jitter: false };
      s.circuitBreaker = { failureThreshold: 0.5 };
    });
    const step = parsePipeline(doc).steps[1];
    expect(step?.kind === 'http' && [step.responseProcessing, step.retryStrategy, step.circuitBreaker]).toEqual([{ retryConfig: { maxRetries: 2 } }, { jitter: false }, { failureThreshold: 0.5 }]);
    const bad = withStep(1, (s) => (s.circuitBreaker = { failureThreshold: 1.5 }));
    expect(issuesOf(bad)[0]?.expected).toBe('a whole number of failures from 1 to 1000, or a failure ratio between 0 and 1 such as 0.5');
  });

  it('the document itself', () => {
    expect(() => parsePipeline('[1, 2]')).toThrow(expect.objectContaining({ code: 'PIPELINE_INVALID' }));
    expect(issuesOf({ version: 1 }).map((i) => i.path)).toEqual(['id', 'name', 'source', 'steps']);
  });

  it('text that is not configuration is a syntax error, not a validation error', () => {
    expect(() => parsePipeline('{"version": 1,, }')).toThrow(expect.objectContaining({ code: 'CONFIG_SYNTAX' }));
  });
});
