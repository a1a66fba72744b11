/**
 * The pipeline document: a versioned JSON object that names the pipeline, the pages it applies to,
 * where its records come from, and its steps in order. Stored as written; `parsePipeline` migrates
 * older versions and validates it into the `Pipeline` type.
 */
import { z } from 'zod';
import { list, strict, text } from './common';
import { SourceSchema } from './source';
import { StepSchema } from './step';

export const PIPELINE_VERSION = 1;

const MATCH = 'a URL match pattern such as "https://*.example.com/*" or "<all_urls>"';
/** The browser's match-pattern grammar (scheme://host/path), so a pattern is refused here rather than by the permissions API. */
const MATCH_PATTERN = /^(?:<all_urls>|(?:\*|https?|wss?|ftp):\/\/(?:\*|(?:\*\.)?[^/*:]+)(?::\d+)?\/.*|file:\/\/\/.*)$/;

export const PipelineSchema = strict(
  {
    version: z.literal(PIPELINE_VERSION, { error: `${PIPELINE_VERSION} (the pipeline format version)` }),
    id: text('a pipeline id').regex(/^[A-Za-z0-9][\w.-]*$/, { error: 'a pipeline id of letters, digits, ".", "_" and "-", such as "orders-to-crm"' }),
    name: text('a pipeline name'),
    description: z.string({ error: 'text' }).optional(),
    /** Pages the pipeline is offered on; everywhere it is started explicitly when absent. */
    match: list(text(MATCH).regex(MATCH_PATTERN, { error: MATCH }), `a list of ${MATCH}s`).optional(),
    source: SourceSchema,
    steps: list(StepSchema, 'a list of steps').min(1, { error: 'a list of at least one step' }),
  },
  'a pipeline: {"version": 1, "id": ..., "name": ..., "source": {...}, "steps": [...]}',
).superRefine((pipeline, ctx) => {
  const seen = new Set<string>();
  pipeline.steps.forEach((step, i) => {
    if (step.id === undefined) return;
    if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `a step id used once ("${step.id}" is already taken)` });
    seen.add(step.id);
  });
});

export type Pipeline = z.output<typeof PipelineSchema>;
/** The document as written (defaults not yet applied). */
export type PipelineInput = z.input<typeof PipelineSchema>;
