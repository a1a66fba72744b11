import { defineBackground } from 'wxt/utils/define-background';
import { z } from 'zod';
import { mirrorHostStateOnBadge } from '../src/background/badge';
import { createRoutes } from '../src/background/routes';
import { createContextSend } from '../src/background/context-send';
import { createRunEngine } from '../src/background/run-engine';
import { listen } from '../src/messaging/router';
import { NativeClient } from '../src/native/client';
import { HostMonitor } from '../src/native/host-monitor';
import { browserConnector } from '../src/native/port';

export default defineBackground(() => {
  // MV3 pages forbid eval; zod must never probe `new Function`.
  z.config({ jitless: true });
  const client = new NativeClient({ connector: browserConnector() });
  const monitor = new HostMonitor(client);
  mirrorHostStateOnBadge(client);
  const runs = createRunEngine(client);
  // Registered synchronously: a stopped worker woken by a message must find its listener.
  const contextSend = createContextSend(runs);
  listen(createRoutes(client, monitor, runs, contextSend));
  // Every start of the worker resumes unfinished runs (jobs its predecessor held are released).
  runs.kick();
  // Reachable only from this extension's own contexts (tests evaluate in the worker through it).
  Object.assign(globalThis, { ferry: { client, monitor, runs, contextSend } });
});
