/**
 * Extraction of records from the current tab: an extractor config (validated in the background),
 * a self-contained function injected into the page, and a re-check of its untrusted answer.
 */
export { ExtractorConfigSchema, extractorFromSource, parseExtractorConfig, splitFieldSelector, MAX_RECORDS, DEFAULT_MAX_BYTES, MAX_BYTES, type ExtractorConfig } from './config';
export { extractInPage } from './extract-in-page';
export { extractFromTab, runExtractorInTab, DEFAULT_EXTRACTION_TIMEOUT_MS, type ExtractionApis, type ExtractFromTabOptions, type TabExtraction } from './extract-from-tab';
export { readPageResult } from './page-result';
export { settleExtraction, type ExtractedRecords } from './outcome';
export { describeInjectionFailure, refuseUnscriptable, resolveTab, type TabsApi } from './tab-access';
export type * from './types';
export { previewFromTab, DEFAULT_PREVIEW_RECORDS, MAX_PREVIEW_RECORDS, type PreviewRequest, type PreviewResponse } from './preview';
export { pickInPage, stopPickerInPage, type PickerOptions } from './picker/pick-in-page';
export { startPicker, pickerResult, cancelPicker, acceptPicked, acceptCancelled, type PickerApis, type PickerResult } from './picker/picker-service';
export { PickerSessions, type PickerSession, type SessionArea } from './picker/sessions';
