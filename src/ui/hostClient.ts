import type { HostStatus } from '../messaging/contract';
import { sendToBackground } from '../messaging/send';

/** What the UI needs from the background; components take it as a prop so tests can pass a fake. */
export interface HostClient {
  status(): Promise<HostStatus>;
  reconnect(): Promise<HostStatus>;
}

export const backgroundHostClient: HostClient = {
  status: () => sendToBackground('host.status', undefined),
  reconnect: () => sendToBackground('host.reconnect', undefined),
};
