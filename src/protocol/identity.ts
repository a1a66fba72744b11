/**
 * Identities both sides agree on. The extension id is derived from the public key in
 * `EXTENSION_PUBLIC_KEY` (sha256 of the DER key, first 32 hex digits mapped 0-f → a-p), so it is the
 * same on every machine; only the public half is committed.
 */
export const HOST_NAME = 'dev.ferry.host';
export const HOST_DESCRIPTION = 'Ferry native host: files, databases and desktop apps for the Ferry extension';
export const EXTENSION_ID = 'kpgehfcbmnmkpndeefdgcjbnpjhdbdkj';
export const GECKO_ID = 'ferry@ferry.dev';
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlhut7jARA629TG4OwFpjk4K3c0nZGJI3Rj65Hy7gbnBfkPbKQOwKT7QoVr39rEuJrZFy3h508++GFXiIa1/8AZAi1s/Pe7neS7Z3DdpWHqb8GHvug4u8ZXR9qSYMUMPhr1stmWAY7lKyR1wvkfO8Bb6A1fAaLQYNPeuuYfFC3O2ciBaghlG9DjOHkueQNSB55lPeziJcvYKP67ZfugyYHuT2iog0eSgChvtRGk5dBTqCVewuE5KwhYzNxd7Lo1XSJ8LTQTy3zC5H/wV1nahv48cZyYpXzpTlD5OM5oj8mTJCChBDoOwoxAajKeflRd76EJI7wAJh/8xLsMXXPflmAwIDAQAB';

/** Chromium-family origin allowed to start the host. */
export const CHROME_EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

/** Bumped when a breaking change is made to the wire protocol; `system.info` reports it. */
export const PROTOCOL_VERSION = 1;
