import { describe, expect, it } from 'vitest';
import type { NativeClient } from '../native/client';
import type { HostMonitor } from '../native/host-monitor';
import type { RunEngine } from './run-engine';
import { createRoutes } from './routes';

describe('createRoutes', () => {
  it('answers only Ferry\'s own pages for everything that starts runs or reads tabs', () => {
    const routes = createRoutes({} as NativeClient, {} as HostMonitor, {} as RunEngine);
    // A content script runs inside a web page: it must never start a run, least of all with a pipeline it chose.
    expect(routes['runs.start'].allow).toEqual(['extension-page']);
    expect(routes['runs.startFromTab'].allow).toEqual(['extension-page']);
    for (const [type, route] of Object.entries(routes)) expect(route.allow, type).not.toContain('foreign');
  });
});
