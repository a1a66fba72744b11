import type { z } from 'zod';

export interface IssueSummary {
  /** JSON path of the offending value, e.g. `params.payload` or `params.items[2].name`. */
  path: string;
  message: string;
  code: string;
}

/** Turns zod issues into the `data` of an InvalidParams error: paths a person can read. */
export function summarizeIssues(error: z.ZodError, root = 'params'): IssueSummary[] {
  return error.issues.map((issue) => ({
    path: formatPath(root, issue.path),
    message: issue.message,
    code: issue.code,
  }));
}

export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
