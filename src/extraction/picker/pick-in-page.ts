/**
 * The element picker that runs inside the tab. Like the extractor, `chrome.scripting.executeScript`
 * sends this function's source text, so it is self-contained (the imports are types) and returns at
 * once; the picker then lives in the isolated world until the user picks, cancels (Esc) or picks again.
 *
 * The overlay sits in a closed shadow root on a custom element, styled from inside only (`all:
 * initial`, no page stylesheet applies), built with DOM calls (no innerHTML, so a Trusted Types page
 * cannot refuse it) and with no remote resources. Only trusted (user) events drive it: a page script
 * dispatching synthetic clicks cannot pick for the user. The page's own handlers see no clicks while
 * picking, so a link is not followed when the user picks it.
 *
 * On click it derives a rule for the element and its siblings: the item is the nearest ancestor that
 * repeats under its parent (a table row rather than a cell), its selector is the item's tag and shared
 * classes under a short path of ancestors (up to one with an id), and fields are the item's text
 * leaves, links (href) and images (src), each with the shortest selector that finds it inside the item.
 * Fields are plain `"css"` / `"css@attr"` strings, so a picked rule is also a valid pipeline `page`
 * source. The overlay previews the count and the first records; Enter (or "Use") sends the rule to the
 * background as `picker.picked`, which checks the sender and the session before accepting it.
 */
import type { JsonRecord } from '../types';

export interface PickerOptions {
  /** Names the picker session in every message; the background accepts nothing without it. */
  sessionId: string;
  /** How many records the overlay previews (and sends along with the rule). */
  previewCount: number;
}

export type PickerStart = { ok: true } | { ok: false; message: string };

export function pickInPage(options: PickerOptions): PickerStart {
  type Rule = { itemSelector: string; fields: Record<string, string> };
  const KEY = '__ferryPicker';
  const slot = globalThis as unknown as Record<string, { stop(): void } | undefined>;
  // Injecting again (the user started the picker twice) replaces the running picker.
  slot[KEY]?.stop();
  if (!document.documentElement) return { ok: false, message: 'the page has no document to pick from' };

  const el = (tag: string, className = '', content = ''): HTMLElement => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  };
  const host = document.createElement('ferry-picker');
  host.setAttribute('style', 'all: initial !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; pointer-events: none !important; display: block !important;');
  const root = host.attachShadow({ mode: 'closed' });
  const style = el(
    'style',
    '',
    `:host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
    .box { position: fixed; pointer-events: none; border: 2px solid #0f766e; background: rgba(20, 184, 166, .18); border-radius: 3px; display: none; }
    .sibling { position: fixed; pointer-events: none; border: 1px dashed #0f766e; background: rgba(20, 184, 166, .07); }
    .panel { position: fixed; right: 16px; bottom: 16px; width: 380px; max-height: 60vh; overflow: auto; pointer-events: auto; background: #fff; color: #0f172a;
      border: 1px solid #cbd5e1; border-radius: 10px; box-shadow: 0 10px 30px rgba(15, 23, 42, .25); padding: 12px 14px; font-size: 13px; line-height: 1.4; }
    .title { font-weight: 600; font-size: 14px; margin: 0 0 4px; color: #0f766e; }
    .muted { color: #475569; margin: 0 0 8px; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; background: #f1f5f9; padding: 1px 4px; border-radius: 4px; word-break: break-all; }
    table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 8px 0; font-size: 12px; }
    th, td { border: 1px solid #e2e8f0; padding: 3px 5px; text-align: left; vertical-align: top; max-width: 140px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    th { background: #f8fafc; font-weight: 600; }
    .buttons { display: flex; gap: 8px; margin-top: 8px; }
    button { all: unset; cursor: pointer; padding: 5px 10px; border-radius: 6px; border: 1px solid #cbd5e1; font-size: 13px; }
    button.primary { background: #0f766e; border-color: #0f766e; color: #fff; }
    .error { color: #b91c1c; }`,
  );
  const box = el('div', 'box');
  const siblings = el('div');
  const panel = el('div', 'panel');
  root.append(style, siblings, box, panel);
  document.documentElement.appendChild(host);

  const STATE_CLASS = /^(is-|has-)|active|hover|focus|selected|current|open|ng-|css-|sc-|jsx-|\d{3,}/i;
  const classesOf = (element: Element): string[] => Array.from(element.classList).filter((c) => !STATE_CLASS.test(c) && c.length < 40);
  const similar = (a: Element, b: Element): boolean => {
    if (a.localName !== b.localName) return false;
    const ca = classesOf(a);
    return ca.length === 0 || classesOf(b).some((c) => ca.includes(c));
  };
  const siblingsLike = (element: Element): Element[] => (element.parentElement ? Array.from(element.parentElement.children).filter((s) => similar(element, s)) : [element]);

  /** The repeated thing the user means: the nearest ancestor that repeats, or a much more repeated one just above. */
  const itemFor = (target: Element): Element => {
    let best: Element | undefined;
    let bestCount = 1;
    let above = 0;
    for (let node: Element | null = target; node && node !== document.body && node !== document.documentElement; node = node.parentElement) {
      const count = siblingsLike(node).length;
      if (!best && count >= 2) [best, bestCount] = [node, count];
      else if (best && count >= bestCount * 2) [best, bestCount, above] = [node, count, 0];
      if (best && (above += 1) > 4) break;
    }
    const row = best && (best.localName === 'td' || best.localName === 'th') ? best.closest('tr') : null;
    return row ?? best ?? target;
  };

  const part = (element: Element, classes: string[]): string => element.localName + classes.map((c) => `.${CSS.escape(c)}`).join('');
  const itemSelectorFor = (item: Element): string => {
    const peers = siblingsLike(item);
    const shared = classesOf(item).filter((c) => peers.every((p) => p.classList.contains(c)));
    const steps = [part(item, shared)];
    let node = item.parentElement;
    for (let depth = 0; node && node !== document.body && node !== document.documentElement && depth < 4; depth += 1, node = node.parentElement) {
      if (node.id && !/\d{3,}/.test(node.id)) {
        steps.unshift(`#${CSS.escape(node.id)}`);
        break;
      }
      steps.unshift(part(node, classesOf(node).slice(0, 1)));
    }
    return steps.join(' > ');
  };

  const camel = (label: string): string => {
    const words = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => w.toLowerCase());
    const name = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
    return /^\p{L}/u.test(name) ? name.slice(0, 40) : '';
  };
  const ownText = (element: Element): boolean => Array.from(element.childNodes).some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');

  /** The shortest selector that finds `leaf` first inside `item`: a class, the tag, else a path of nth-of-type steps. */
  const relativeSelector = (item: Element, leaf: Element): string => {
    if (leaf === item) return '';
    for (const candidate of [...classesOf(leaf).map((c) => part(leaf, [c])), leaf.localName]) {
      if (item.querySelector(candidate) === leaf) return candidate;
    }
    const steps: string[] = [];
    for (let node: Element | null = leaf; node && node !== item; node = node.parentElement) {
      const index = Array.from(node.parentElement?.children ?? []).filter((s) => s.localName === node!.localName).indexOf(node) + 1;
      steps.unshift(`${node.localName}:nth-of-type(${index})`);
    }
    return `:scope > ${steps.join(' > ')}`;
  };

  /** A column's header text, for a cell of a table row. */
  const headerName = (item: Element, leaf: Element): string => {
    const cell = leaf.closest('td, th');
    const table = item.closest('table');
    if (!cell || !table || cell.parentElement !== item) return '';
    const header = table.querySelector('thead tr') ?? Array.from(table.querySelectorAll('tr')).find((r) => r.children.length > 0 && Array.from(r.children).every((c) => c.localName === 'th'));
    const index = Array.from(item.children).indexOf(cell);
    return header && header !== item ? camel(header.children[index]?.textContent ?? '') : '';
  };

  const fieldsFor = (item: Element): Record<string, string> => {
    const fields: Record<string, string> = {};
    const used = new Set<string>();
    const add = (base: string, selector: string): void => {
      if (Object.keys(fields).length >= 20 || Object.values(fields).includes(selector)) return;
      let name = base || 'field';
      for (let n = 2; used.has(name); n += 1) name = `${base}${n}`;
      used.add(name);
      fields[name] = selector;
    };
    const nameOf = (leaf: Element, fallback: string): string => {
      const heading = /^h[1-6]$/.test(leaf.localName) ? 'title' : '';
      return headerName(item, leaf) || classesOf(leaf).map(camel).find(Boolean) || heading || (leaf.parentElement !== item && leaf.parentElement ? classesOf(leaf.parentElement).map(camel).find(Boolean) : '') || fallback;
    };
    const leaves = [item, ...Array.from(item.querySelectorAll('*')).slice(0, 400)];
    for (const leaf of leaves) {
      const selector = relativeSelector(item, leaf);
      if (leaf.localName === 'img') {
        const attr = leaf.hasAttribute('src') ? 'src' : leaf.hasAttribute('data-src') ? 'data-src' : '';
        if (attr) add(nameOf(leaf, 'image'), `${selector}@${attr}`);
      } else if (leaf.localName === 'a' && leaf.hasAttribute('href')) {
        const base = nameOf(leaf, 'link');
        if ((leaf.textContent ?? '').trim() !== '') add(base, selector);
        add(`${base}Url`.replace(/^linkUrl$/, 'url'), `${selector}@href`);
      } else if (ownText(leaf) && !leaf.closest('a') && leaf.localName !== 'script' && leaf.localName !== 'style') {
        add(nameOf(leaf, 'text'), selector);
      }
    }
    if (Object.keys(fields).length === 0) add('text', '');
    return fields;
  };

  const readField = (item: Element, value: string): string | null => {
    const at = value.lastIndexOf('@');
    const [selector, attribute] = at === -1 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
    const node = selector === '' ? item : item.querySelector(selector);
    if (!node) return null;
    if (!attribute) return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    const raw = node.getAttribute(attribute);
    if (raw === null) return null;
    try {
      return new URL(raw.trim(), document.baseURI).href;
    } catch {
      return raw.trim();
    }
  };

  let hovered: Element | undefined;
  let picked: { rule: Rule; item: Element; items: Element[]; preview: JsonRecord[] } | undefined;
  let frame = 0;

  const place = (node: HTMLElement, target: Element): void => {
    const r = target.getBoundingClientRect();
    node.style.cssText = `display: block; left: ${r.left - 2}px; top: ${r.top - 2}px; width: ${r.width + 4}px; height: ${r.height + 4}px;`;
  };
  const outline = (items: Element[]): void => {
    siblings.replaceChildren(...items.slice(0, 300).map((item) => {
      const node = el('div', 'sibling');
      place(node, item);
      return node;
    }));
  };

  const show = (...children: (HTMLElement | string)[]): void => panel.replaceChildren(...children);
  const button = (label: string, primary: boolean, onClick: () => void): HTMLElement => {
    const node = el('button', primary ? 'primary' : '', label);
    node.addEventListener('click', (event) => (event.isTrusted ? onClick() : undefined));
    return node;
  };
  const hint = (): void => show(el('p', 'title', 'Ferry: pick an element'), el('p', 'muted', 'Hover the data you want and click one of the items (a row, a card). Esc cancels.'));

  const previewTable = (records: JsonRecord[]): HTMLElement => {
    const table = el('table');
    const names = Object.keys(records[0] ?? {});
    const head = el('tr');
    for (const name of names) head.append(el('th', '', name));
    table.append(head);
    for (const record of records) {
      const row = el('tr');
      for (const name of names) {
        const cell = el('td', '', String(record[name] ?? '—'));
        cell.title = String(record[name] ?? '');
        row.append(cell);
      }
      table.append(row);
    }
    return table;
  };

  const pick = (target: Element): void => {
    const item = itemFor(target);
    const itemSelector = itemSelectorFor(item);
    const fields = fieldsFor(item);
    const items = Array.from(document.querySelectorAll(itemSelector));
    const preview = items.slice(0, options.previewCount).map((i) => Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, readField(i, value)])) as JsonRecord);
    picked = { rule: { itemSelector, fields }, item, items, preview };
    place(box, item);
    outline(items);
    const selector = el('p', 'muted');
    selector.append('Items: ', el('code', '', itemSelector));
    show(
      el('p', 'title', `${items.length} record${items.length === 1 ? '' : 's'} with ${Object.keys(fields).length} field${Object.keys(fields).length === 1 ? '' : 's'}`),
      selector,
      previewTable(preview),
      el('div', 'buttons'),
    );
    panel.lastElementChild!.append(button(`Use this rule (Enter)`, true, confirm), button('Pick again', false, again), button('Cancel (Esc)', false, cancel));
  };

  const send = (type: 'picker.picked' | 'picker.cancelled', data: Record<string, unknown>): Promise<{ ok: boolean; error?: { message?: string } } | undefined> =>
    chrome.runtime.sendMessage({ ferry: 1, type, data: { sessionId: options.sessionId, ...data } }).catch((error: unknown) => ({ ok: false, error: { message: error instanceof Error ? error.message : String(error) } }));

  const confirm = (): void => {
    if (!picked) return;
    const { rule, items, preview } = picked;
    show(el('p', 'title', 'Sending the rule to Ferry…'));
    void send('picker.picked', { rule, matched: items.length, preview }).then((reply) => {
      if (reply?.ok) {
        show(el('p', 'title', 'Rule sent to Ferry'), el('p', 'muted', `${items.length} records. You can close this message (Esc).`));
        setTimeout(stop, 1500);
      } else {
        show(el('p', 'title', 'Ferry did not take the rule'), el('p', 'error', reply?.error?.message ?? 'no answer'), el('div', 'buttons'));
        panel.lastElementChild!.append(button('Pick again', true, again), button('Close', false, cancel));
      }
    });
  };
  const again = (): void => {
    picked = undefined;
    siblings.replaceChildren();
    hint();
  };
  const cancel = (): void => {
    void send('picker.cancelled', {});
    stop();
  };

  const onMove = (event: MouseEvent): void => {
    if (picked || !event.isTrusted || !(event.target instanceof Element) || event.target === host) return;
    hovered = event.target;
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!hovered || picked) return;
      place(box, hovered);
      const item = itemFor(hovered);
      const selector = itemSelectorFor(item);
      const count = document.querySelectorAll(selector).length;
      outline(count > 1 ? Array.from(document.querySelectorAll(selector)) : []);
      const line = el('p', 'muted');
      line.append(`${count} like this: `, el('code', '', selector));
      show(el('p', 'title', 'Ferry: click to pick'), line, el('p', 'muted', 'Esc cancels.'));
    });
  };
  // The page sees none of the user's presses while picking: a picked link is not followed.
  const swallow = (event: Event): void => {
    if (event.target === host) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const onClick = (event: MouseEvent): void => {
    if (event.target === host) return;
    swallow(event);
    if (!event.isTrusted || !(event.target instanceof Element)) return;
    if (picked) return again();
    pick(event.target);
  };
  const onKey = (event: KeyboardEvent): void => {
    if (!event.isTrusted) return;
    if (event.key === 'Escape') {
      swallow(event);
      cancel();
    } else if (event.key === 'Enter' && picked) {
      swallow(event);
      confirm();
    }
  };
  const onScroll = (): void => {
    if (picked) {
      outline(picked.items);
      place(box, picked.item);
    } else box.style.display = 'none';
  };

  const listeners: [string, EventListener][] = [
    ['mousemove', onMove as EventListener],
    ['click', onClick as EventListener],
    ['mousedown', swallow],
    ['mouseup', swallow],
    ['pointerdown', swallow],
    ['pointerup', swallow],
    ['auxclick', swallow],
    ['keydown', onKey as EventListener],
  ];
  for (const [type, listener] of listeners) window.addEventListener(type, listener, true);
  window.addEventListener('scroll', onScroll, { capture: true, passive: true });
  function stop(): void {
    for (const [type, listener] of listeners) window.removeEventListener(type, listener, true);
    window.removeEventListener('scroll', onScroll, true);
    if (frame) cancelAnimationFrame(frame);
    host.remove();
    if (slot[KEY]?.stop === stop) delete slot[KEY];
  }
  slot[KEY] = { stop };
  hint();
  return { ok: true };
}

/** Removes a running picker from the page (injected by `picker.cancel`); self-contained like the picker. */
export function stopPickerInPage(): boolean {
  const slot = globalThis as unknown as Record<string, { stop(): void } | undefined>;
  const running = slot.__ferryPicker;
  running?.stop();
  return running !== undefined;
}
