/**
 * The routes of extraction previews and the element picker. Ferry's pages start and read; only the
 * picker itself (a content script in the session's tab) may deliver a pick, and it reaches nothing
 * else: `picker.picked` and `picker.cancelled` are the only routes open to content scripts.
 */
import { previewFromTab } from '../extraction/preview';
import { acceptCancelled, acceptPicked, cancelPicker, pickerResult, startPicker, type PickerApis } from '../extraction/picker/picker-service';
import { PickerSessions } from '../extraction/picker/sessions';
import type { Routes } from '../messaging/router';

type PickerRouteNames = 'extraction.preview' | 'picker.start' | 'picker.result' | 'picker.cancel' | 'picker.picked' | 'picker.cancelled';

export function pickerRoutes(apis: () => PickerApis = browserPickerApis): Pick<Routes, PickerRouteNames> {
  return {
    'extraction.preview': { allow: ['extension-page'], handle: (request) => previewFromTab(apis(), request) },
    'picker.start': { allow: ['extension-page'], handle: (request) => startPicker(apis(), request) },
    'picker.result': { allow: ['extension-page'], handle: (request) => pickerResult(apis(), request) },
    'picker.cancel': { allow: ['extension-page'], handle: (request) => cancelPicker(apis(), request) },
    'picker.picked': { allow: ['content-script'], handle: (data, sender) => acceptPicked(apis(), data, sender) },
    'picker.cancelled': { allow: ['content-script'], handle: (data, sender) => acceptCancelled(apis(), data, sender) },
  };
}

let sessions: PickerSessions | undefined;

function browserPickerApis(): PickerApis {
  sessions ??= new PickerSessions(chrome.storage.session);
  return { tabs: chrome.tabs, scripting: chrome.scripting, sessions };
}
