/**
 * The workloads, run inside the extension's service worker. `installWorkloads` is serialized by
 * Playwright and evaluated there, so it must be self-contained: it may use only its argument and the
 * worker's globals (`chrome`, `performance`, `globalThis.ferry.client`). It leaves
 * `globalThis.__ferryBench` behind; later `worker.evaluate` calls run single measurements through it.
 *
 * Every timing is taken with performance.now() in the worker, so the Playwright/CDP hop is never timed.
 */

/* global chrome */

/** @param {{ bareHostName: string, echoBytes: number, recordBytes: number, pieceBytes: number }} config */
export function installWorkloads(config) {
  const client = globalThis.ferry.client;
  const LONG = { timeoutMs: 300_000 };

  // ~recordBytes of JSON per record, distinct contents so nothing is shared or interned.
  const records = [];
  let seed = 12345;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ';
  const filler = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += alphabet[seed % alphabet.length];
    }
    return s;
  };
  const textLength = config.recordBytes - 60;
  let total = 2;
  while (total < config.echoBytes) {
    const record = { id: records.length, title: `Record ${records.length}`, price: records.length * 1.25, text: filler(textLength) };
    records.push(record);
    total += JSON.stringify(record).length + 1;
  }
  const payloadBytes = JSON.stringify(records).length;
  // The bare host can return nothing above Chrome's 1 MiB host→browser limit: the same records in pieces.
  const pieces = [];
  for (let start = 0, size = 2; start < records.length; ) {
    let end = start;
    size = 2;
    while (end < records.length && size + JSON.stringify(records[end]).length + 1 <= config.pieceBytes) {
      size += JSON.stringify(records[end]).length + 1;
      end += 1;
    }
    pieces.push(records.slice(start, end));
    start = end;
  }

  const sameRecords = (got) => {
    if (!Array.isArray(got) || got.length !== records.length) return false;
    for (let i = 0; i < records.length; i++) {
      const a = records[i];
      const b = got[i];
      if (!b || a.id !== b.id || a.title !== b.title || a.price !== b.price || a.text !== b.text) return false;
    }
    return true;
  };

  // The bare port: minimal correlation, message {i} resolves waiter i.
  let bare;
  const bareConnect = () =>
    new Promise((resolve, reject) => {
      const port = chrome.runtime.connectNative(config.bareHostName);
      const waiters = new Map();
      let nextId = 0;
      port.onMessage.addListener((message) => {
        const waiter = waiters.get(message.i);
        if (waiter) {
          waiters.delete(message.i);
          waiter.resolve(message);
        }
      });
      port.onDisconnect.addListener(() => {
        const error = new Error(`bare echo host disconnected: ${chrome.runtime.lastError?.message ?? 'closed'}`);
        bare = undefined;
        for (const waiter of waiters.values()) waiter.reject(error);
        waiters.clear();
        reject(error);
      });
      const send = (extra) =>
        new Promise((resolveOne, rejectOne) => {
          const i = nextId++;
          waiters.set(i, { resolve: resolveOne, reject: rejectOne });
          port.postMessage(extra ? { i, ...extra } : { i });
        });
      bare = { port, send };
      // The first echo proves the host started.
      send().then(() => resolve(), reject);
    });

  async function sequential(call, n) {
    const samples = new Array(n);
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await call();
      samples[i] = performance.now() - t;
    }
    return samples;
  }

  /**
   * Both sides' sequential round trips, alternating in blocks (and alternating who goes first), so a
   * burst of load from elsewhere on a shared machine hits both sides alike.
   */
  async function sequentialPair(n, block, first) {
    const samples = { ferry: [], bare: [] };
    for (let done = 0, b = 0; done < n; done += block, b++) {
      const size = Math.min(block, n - done);
      const order = (b % 2 === 0) === (first === 'ferry') ? ['ferry', 'bare'] : ['bare', 'ferry'];
      for (const side of order) samples[side].push(...(await sequential(side === 'ferry' ? ferryPing : barePing, size)));
    }
    return samples;
  }

  async function pipelined(call, n) {
    const t = performance.now();
    const calls = new Array(n);
    for (let i = 0; i < n; i++) calls[i] = call();
    await Promise.all(calls);
    return performance.now() - t;
  }

  const ferryPing = () => client.call('system.ping', undefined, LONG);
  const barePing = () => bare.send();

  globalThis.__ferryBench = {
    payload: { bytes: payloadBytes, records: records.length, barePieces: pieces.length },
    async connect() {
      const info = await client.call('system.info', undefined, LONG);
      await bareConnect();
      return { hostVersion: info.version, hostNode: info.node, protocolVersion: info.protocolVersion };
    },
    ferrySequential: (n) => sequential(ferryPing, n),
    bareSequential: (n) => sequential(barePing, n),
    sequentialPair: ({ n, block, first }) => sequentialPair(n, block, first),
    ferryPipelined: (n) => pipelined(ferryPing, n),
    barePipelined: (n) => pipelined(barePing, n),
    async ferryEcho() {
      const t = performance.now();
      const result = await client.call('system.echo', { payload: records }, LONG);
      const ms = performance.now() - t;
      if (!sameRecords(result.payload)) throw new Error('Ferry system.echo returned a different payload');
      return ms;
    },
    async bareEcho() {
      const t = performance.now();
      const echoed = await Promise.all(pieces.map((piece) => bare.send({ piece })));
      const ms = performance.now() - t;
      if (!sameRecords(echoed.flatMap((m) => m.piece))) throw new Error('the bare host returned a different payload');
      return ms;
    },
  };
  return globalThis.__ferryBench.payload;
}
