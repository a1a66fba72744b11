/**
 * Gives pipeline configuration text another id while keeping the rest as the user wrote it: a saved
 * pipeline keeps its text (and so its comments), so the id is changed in place rather than by
 * printing the document again.
 */
import { parseConfigTextWithPositions } from '../pipeline';

/** The top-level `"id": "…"` from its key to the end of its value. */
const ID_ENTRY = /"id"\s*:\s*(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`)/y;

/** `text` with its top-level "id" set to `id` (added when missing); plain JSON when the entry is written in a shape not recognised. */
export function withPipelineId(text: string, id: string): string {
  const { value, positions } = parseConfigTextWithPositions(text);
  const at = positions.get('id');
  if (at !== undefined) {
    ID_ENTRY.lastIndex = at;
    const entry = ID_ENTRY.exec(text);
    if (entry) return `${text.slice(0, at)}"id": ${JSON.stringify(id)}${text.slice(at + entry[0].length)}`;
  }
  return `${JSON.stringify({ ...(value as Record<string, unknown>), id }, null, 2)}\n`;
}
