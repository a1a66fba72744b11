/** What the background exposes on its global for tests that evaluate inside the service worker. */
import type { NativeClient } from '../../../src/native/client';
import type { HostMonitor } from '../../../src/native/host-monitor';
import type { RunEngine } from '../../../src/background/run-engine';

export interface FerryGlobal {
  ferry: { client: NativeClient; monitor: HostMonitor; runs: RunEngine };
  [key: string]: unknown;
}
