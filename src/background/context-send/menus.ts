/**
 * The right-click menu: "Extract and send with Ferry" with one entry per saved pipeline, shown only
 * on pages its `match` patterns cover (the browser filters with `documentUrlPatterns`), for the
 * page, a selection, a link or an image. Rebuilt whenever the pipelines change and when the browser
 * starts; menus are the browser's state, so rebuilding replaces them whole.
 */
import { parsePipeline } from '../../pipeline';
import type { PipelineRow } from '../../storage/rows';

export const MENU_ROOT = 'ferry-send';
export const MENU_PREFIX = 'ferry-send:';
export const MENU_CONTEXTS = ['page', 'selection', 'link', 'image'] as const;

export interface MenuEntry {
  id: string;
  title: string;
  parentId?: string;
  contexts: [(typeof MENU_CONTEXTS)[number], ...(typeof MENU_CONTEXTS)[number][]];
  documentUrlPatterns?: string[];
}

/** The entries for these pipelines (one that no longer parses is left out rather than offered broken). */
export function menuEntries(pipelines: readonly Pick<PipelineRow, 'id' | 'name' | 'document'>[]): MenuEntry[] {
  const children = pipelines.flatMap((row): MenuEntry[] => {
    let match: string[] | undefined;
    try {
      match = parsePipeline(row.document).match;
    } catch {
      return [];
    }
    return [{ id: `${MENU_PREFIX}${row.id}`, parentId: MENU_ROOT, title: row.name, contexts: [...MENU_CONTEXTS], ...(match && match.length > 0 ? { documentUrlPatterns: match } : {}) }];
  });
  if (children.length === 0) return [];
  return [{ id: MENU_ROOT, title: 'Extract and send with Ferry', contexts: [...MENU_CONTEXTS] }, ...children];
}

export type MenusApi = Pick<typeof chrome.contextMenus, 'removeAll' | 'create'>;

/** Replaces Ferry's menu with entries for `pipelines`. */
export async function rebuildMenus(menus: MenusApi, pipelines: readonly Pick<PipelineRow, 'id' | 'name' | 'document'>[]): Promise<void> {
  await menus.removeAll();
  for (const entry of menuEntries(pipelines)) {
    await new Promise<void>((resolve) => menus.create(entry, () => resolve(void chrome.runtime.lastError)));
  }
}

/** The pipeline a clicked entry stands for, or undefined for anything else. */
export function pipelineOfMenuItem(menuItemId: string | number): string | undefined {
  const id = String(menuItemId);
  return id.startsWith(MENU_PREFIX) ? id.slice(MENU_PREFIX.length) : undefined;
}
