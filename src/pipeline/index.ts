/**
 * The pipeline definition layer: configuration text, schemas, migrations, templates, mapping,
 * validation and result processing. Import from here; the files behind it may move.
 */
export { parseConfigText, parseConfigTextWithPositions } from './config-text';
export { positionOf, type TextPosition } from './config-text-position';
export { parseBlock, parsePipeline } from './parse-pipeline';
export { describeIssues, validateConfig, type ConfigIssue } from './issues';
export { migratePipeline, PIPELINE_MIGRATIONS, type MigrationResult, type PipelineDocument, type PipelineMigration } from './migrations';
export * from './schema';
export * from './templates';
export { compileValidation, validateRecord, type CompiledValidation, type RejectionReason, type RejectionRule, type ValidateOptions, type ValidationResult } from './validation';
export { compileTransformation, mapRecord, resolveTransformationCredentials, type CompiledTransformation, type MappedRecord } from './mapping';
export { compileResultProcessing, processResult, type CompiledResultProcessing, type ProcessedResult, type ResultProblem } from './result-processing';
export { parseDate } from './result-values';
export { getAtPath, lastFieldName, parseDataPath } from './data-path';
