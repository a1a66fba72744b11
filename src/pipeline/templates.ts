/**
 * `{{...}}` templates, compiled once and rendered per record without eval. See template/parse.ts for
 * the grammar, template/render.ts for how values are looked up, template/value.ts for templates
 * inside whole JSON values, and template/credentials.ts for how secrets stay in the background.
 */
export type { CompiledTemplate, PathSegment, Placeholder, TemplateExpression } from './template/ast';
export { compileTemplate, hasTemplate } from './template/parse';
export { renderTemplate, renderTemplateString, toText, type RecordRef, type RenderOptions, type TemplateScope } from './template/render';
export { compileValue, joinPath, renderValue, renderValueWithCredentials, type CompiledValue, type CompileValueOptions, type RenderedValue } from './template/value';
export { compileUrlTemplate, renderUrl, urlPlaces, urlValueProblem, type CompiledUrl, type UrlPlace, type UrlValueProblem } from './template/url';
export { templateEnvReferences, type EnvReference } from './template/env-refs';
export { CredentialValues, redactCredentials, resolveCredentials, type CredentialResolver } from './template/credentials';
