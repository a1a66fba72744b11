/** The package version, inlined by native-host/build.mjs (esbuild `define`). */
declare const __FERRY_HOST_VERSION__: string | undefined;

export const HOST_VERSION: string =
  typeof __FERRY_HOST_VERSION__ === 'string' ? __FERRY_HOST_VERSION__ : '0.0.0-dev';
