/** API keys with rotation reminders and validation (the seed's `apiKeyConfig`). Import from here. */
export { ApiKeys, type ApiKeySummary, type ApiKeysOptions, type SaveApiKeyInput } from './api-keys';
export { parseApiKeyAuth, parseBaseUrl } from './auth';
export { ApiKeyConfigSchema, durationMs, parseApiKeyConfig, type ApiKeyConfig } from './config';
export { subsetMismatch } from './match';
export { reminderText, rotationSchedule, rotationState, type RotationSchedule, type RotationState } from './schedule';
export { validateApiKey, validationUrl, type ValidationResult } from './validate';
