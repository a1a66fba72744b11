/**
 * Identities both sides agree on, read from identity.json so that plain-JS scripts (npm start, the
 * benchmarks) share the very same values. The extension id is derived from the public key (sha256 of
 * the DER key, first 32 hex digits mapped 0-f → a-p), so it is the same on every machine; only the
 * public half is committed. identity.test.ts checks that derivation.
 */
import identity from './identity.json' with { type: 'json' };

export const HOST_NAME = identity.hostName;
export const HOST_DESCRIPTION = 'Ferry native host: files, databases and desktop apps for the Ferry extension';
export const EXTENSION_ID = identity.extensionId;
export const GECKO_ID = identity.geckoId;
export const EXTENSION_PUBLIC_KEY = identity.publicKey;

/** Chromium-family origin allowed to start the host. */
export const CHROME_EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

/** Bumped when a breaking change is made to the wire protocol; `system.info` reports it. */
export const PROTOCOL_VERSION = 1;
