import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, RpcError } from '../protocol/errors';
import type { Reply } from './contract';
import { listen, type Routes } from './router';
import { classifySender } from './sender';

const ID = 'kpgehfcbmnmkpndeefdgcjbnpjhdbdkj';
const ORIGIN = `chrome-extension://${ID}/`;

type Listener = (message: unknown, sender: chrome.runtime.MessageSender, sendResponse: (r: unknown) => void) => boolean;

function fakeRuntime() {
  let listener: Listener | undefined;
  const runtime = {
    id: ID,
    getURL: (p: string) => `${ORIGIN}${p}`,
    onMessage: { addListener: (l: Listener) => (listener = l) },
  } as unknown as typeof chrome.runtime;
  const send = (message: unknown, sender: chrome.runtime.MessageSender) =>
    new Promise<{ keptOpen: boolean; reply: Reply<'host.status'> | undefined }>((resolve) => {
      let keptOpen = false;
      const done = (reply: unknown) => resolve({ keptOpen, reply: reply as Reply<'host.status'> });
      keptOpen = listener!(message, sender, done);
      if (!keptOpen) setTimeout(() => resolve({ keptOpen, reply: undefined }), 20);
    });
  return { runtime, send };
}

const status = { state: 'connected' as const, checkedAt: 'now' };
// Only the routes these tests send to; the real table (src/background/routes.ts) has them all.
const routes = (handle = vi.fn(async () => status)): Routes =>
  ({
    'host.status': { allow: ['extension-page'], handle },
    'host.reconnect': { allow: ['extension-page'], handle },
    'host.call': { allow: ['extension-page'], handle: async () => ({ ok: true, result: null }) },
  }) as Partial<Routes> as Routes;

describe('classifySender', () => {
  it('tells extension pages, content scripts and strangers apart', () => {
    expect(classifySender({ id: ID, url: `${ORIGIN}popup.html` }, ID, ORIGIN)).toBe('extension-page');
    expect(classifySender({ id: ID, url: 'https://shop.test/p', tab: { id: 1 } as chrome.tabs.Tab }, ID, ORIGIN)).toBe('content-script');
    expect(classifySender({ id: 'someone-else', url: `${ORIGIN}popup.html` }, ID, ORIGIN)).toBe('foreign');
    expect(classifySender({ id: ID, url: 'https://evil.test/' }, ID, ORIGIN)).toBe('foreign');
  });
});

describe('listen', () => {
  it('answers an extension page through the matching route', async () => {
    const { runtime, send } = fakeRuntime();
    listen(routes(), runtime);
    const { reply } = await send({ ferry: 1, type: 'host.status' }, { id: ID, url: `${ORIGIN}popup.html` });
    expect(reply).toEqual({ ok: true, value: status });
  });

  it('refuses a content script for a page-only message without running the handler', async () => {
    const { runtime, send } = fakeRuntime();
    const handle = vi.fn(async () => status);
    listen(routes(handle), runtime);
    const { reply } = await send({ ferry: 1, type: 'host.status' }, { id: ID, url: 'https://shop.test/', tab: { id: 3 } as chrome.tabs.Tab });
    expect(reply?.ok).toBe(false);
    expect(!reply?.ok && reply?.error.code).toBe(ErrorCode.InvalidRequest);
    expect(handle).not.toHaveBeenCalled();
  });

  it('ignores messages that are not Ferry envelopes', async () => {
    const { runtime, send } = fakeRuntime();
    listen(routes(), runtime);
    const { keptOpen, reply } = await send({ hello: 'world' }, { id: ID, url: `${ORIGIN}popup.html` });
    expect(keptOpen).toBe(false);
    expect(reply).toBeUndefined();
  });

  it('turns a thrown RpcError into a serialized error with its code name', async () => {
    const { runtime, send } = fakeRuntime();
    listen(routes(vi.fn(async () => Promise.reject(new RpcError(ErrorCode.HostNotInstalled, 'not installed')))), runtime);
    const { reply } = await send({ ferry: 1, type: 'host.status' }, { id: ID, url: `${ORIGIN}options.html` });
    expect(reply).toEqual({ ok: false, error: { code: ErrorCode.HostNotInstalled, codeName: 'HostNotInstalled', message: 'not installed', data: undefined } });
  });

  it('answers an unknown message type with MethodNotFound', async () => {
    const { runtime, send } = fakeRuntime();
    listen(routes(), runtime);
    const { reply } = await send({ ferry: 1, type: 'pipelines.nuke' }, { id: ID, url: `${ORIGIN}popup.html` });
    expect(!reply?.ok && reply?.error.code).toBe(ErrorCode.MethodNotFound);
  });

  // Names Object.prototype carries: an index into a plain object would find them and throw a TypeError.
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'])(
    'answers the message type %s with MethodNotFound, not a TypeError',
    async (type) => {
      const { runtime, send } = fakeRuntime();
      listen(routes(), runtime);
      const { keptOpen, reply } = await send({ ferry: 1, type }, { id: ID, url: `${ORIGIN}popup.html` });
      expect(keptOpen).toBe(false);
      expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.MethodNotFound, message: `Unknown message "${type}"` }) });
    },
  );
});

describe('serializeError', () => {
  it('keeps a FerryError\'s string code and details for the page', async () => {
    const { serializeError } = await import('./router');
    const { FerryError } = await import('../errors/ferry-error');
    const out = serializeError(new FerryError('PIPELINE_INVALID', 'steps[0].http.timeout: expected a number', { issues: 1 }));
    expect(out.codeName).toBe('PIPELINE_INVALID');
    expect(out.message).toContain('steps[0].http.timeout');
    expect(out.data).toEqual({ name: 'FerryError', code: 'PIPELINE_INVALID', message: 'steps[0].http.timeout: expected a number', details: { issues: 1 } });
  });
});
