/**
 * Checks pipeline text as the user types, in the page itself (the same parser and schema the
 * background uses when it saves), and places every problem on the line it is about: a syntax error
 * where it stands, a validation issue at its JSON path's key.
 */
import { isFerryError } from '../../../errors/ferry-error';
import { parseConfigTextWithPositions, parsePipeline, positionOf, type ConfigIssue, type Pipeline } from '../../../pipeline';

export interface PlacedIssue {
  /** `steps[1].http.url`; empty for the document or a syntax error. */
  path: string;
  message: string;
  /** 1-based; the line the path's key (or the syntax error) is on. */
  line: number;
  column: number;
}

export type PipelineCheck =
  | { ok: true; pipeline: Pipeline; document: unknown }
  | { ok: false; issues: PlacedIssue[]; document?: unknown };

export function checkPipelineText(text: string): PipelineCheck {
  let parsed: ReturnType<typeof parseConfigTextWithPositions>;
  try {
    parsed = parseConfigTextWithPositions(text);
  } catch (error) {
    if (!isFerryError(error, 'CONFIG_SYNTAX')) throw error;
    const { line, column } = error.details as { line: number; column: number };
    return { ok: false, issues: [{ path: '', message: error.message, line, column }] };
  }
  try {
    return { ok: true, pipeline: parsePipeline(parsed.value), document: parsed.value };
  } catch (error) {
    if (!isFerryError(error)) throw error;
    const issues = (error.details?.issues as ConfigIssue[] | undefined) ?? [{ path: '', expected: '', message: error.message }];
    return { ok: false, document: parsed.value, issues: issues.map((issue) => place(issue, text, parsed.positions)) };
  }
}

/** The nearest position known for the path: the key itself, or the closest enclosing one (a missing key is reported at its object). */
function place(issue: ConfigIssue, text: string, positions: Map<string, number>): PlacedIssue {
  let path = issue.path;
  let at = positions.get(path);
  while (at === undefined && path !== '') {
    const parent = path.replace(/(\.[A-Za-z_$][\w$]*|\[[^\]]*\])$/, '');
    // A first segment without a dot or bracket (`name`) leaves the document itself.
    path = parent === path ? '' : parent;
    at = positions.get(path);
  }
  const { line, column } = positionOf(text, at ?? 0);
  return { path: issue.path, message: issue.message, line, column };
}
