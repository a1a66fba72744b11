/** Thin wrappers over chrome.runtime for pages, tolerant of running outside an extension (tests). */

export function extensionVersion(): string | undefined {
  return globalThis.chrome?.runtime?.getManifest?.().version;
}

/** Opens the options page in a tab; from the popup, closes the popup afterwards. */
export async function openSettings(closeWindow = false): Promise<void> {
  await chrome.runtime.openOptionsPage();
  if (closeWindow) window.close();
}
