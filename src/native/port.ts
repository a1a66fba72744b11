/**
 * The narrow slice of `runtime.Port` the client needs, so the client runs unchanged over a real
 * `connectNative` port in Chrome or Firefox, or over a Node adapter around the host's stdio in tests.
 */
import { ErrorCode } from '../protocol/errors';
import { HOST_NAME } from '../protocol/identity';

export interface PortEvent<L> {
  addListener(listener: L): void;
  removeListener(listener: L): void;
}

export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: PortEvent<(message: unknown) => void>;
  onDisconnect: PortEvent<(port: NativePort) => void>;
  /** Firefox sets this on disconnect; Chrome reports through runtime.lastError instead. */
  error?: { message?: string } | null;
}

/** Opens a port; `reasonOf` reads why it closed, in the browser's own words. */
export interface PortConnector {
  connect(): NativePort;
  reasonOf(port: NativePort): string | undefined;
}

/** The browser's connector: `runtime.connectNative` to Ferry's host. */
export function browserConnector(runtime: typeof chrome.runtime = chrome.runtime): PortConnector {
  return {
    connect: () => runtime.connectNative(HOST_NAME) as unknown as NativePort,
    // Must be read inside the onDisconnect listener: Chrome clears lastError afterwards.
    reasonOf: (port) => port.error?.message ?? runtime.lastError?.message,
  };
}

export interface DisconnectDiagnosis {
  code: number;
  message: string;
  hint: string;
}

/** Turns the browser's disconnect message into a typed error with the next step to take. */
export function diagnoseDisconnect(reason: string | undefined): DisconnectDiagnosis {
  const text = reason ?? 'The native host closed the connection.';
  if (/not found/i.test(text) || /No such native application/i.test(text)) {
    return {
      code: ErrorCode.HostNotInstalled,
      message: `The Ferry native host is not installed (${text})`,
      hint: 'Run `npm run host:install` in the Ferry folder, then reconnect.',
    };
  }
  if (/forbidden/i.test(text)) {
    return {
      code: ErrorCode.HostNotInstalled,
      message: `The installed native host does not allow this extension (${text})`,
      hint: 'Reinstall the host with `npm run host:install` so its manifest names this extension.',
    };
  }
  return {
    code: ErrorCode.HostDisconnected,
    message: `The native host disconnected: ${text}`,
    hint: 'Ferry reconnects on the next call; if this repeats, check the host log in its data folder.',
  };
}
