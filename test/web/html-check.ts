// A strict, cheap HTML check for the web pages: doctype, <html lang>, <title>, balanced and properly nested
// elements (void elements never closed, SVG children self-closed), quoted attributes, unique ids, and nothing the
// CSP forbids (inline script, style attributes, on* handlers). Returns the problems found.
// SPDX-License-Identifier: Apache-2.0

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SVG_LEAVES = new Set(['rect', 'polygon', 'path', 'circle']);
/** Elements whose end tag HTML lets one leave out; we never do, so they are checked like the rest. */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/y;
const ATTR = /\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'))?/g;

/** Problems of `html` (empty when it passes). */
export function checkHtml(html: string): string[] {
  const problems: string[] = [];
  if (!/^<!DOCTYPE html>\n/.test(html)) problems.push('missing <!DOCTYPE html> at the start');
  if (!/<html lang="[a-z]{2}(-[A-Za-z]+)?">/.test(html)) problems.push('missing <html lang>');
  if (!/<title>[^<]+<\/title>/.test(html)) problems.push('missing or empty <title>');
  const stack: string[] = [];
  const ids = new Set<string>();
  let i = html.indexOf('<html');
  while (i >= 0 && i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      i = html.indexOf('-->', lt) + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      problems.push(`malformed tag at ${lt}: ${JSON.stringify(html.slice(lt, lt + 40))}`);
      i = lt + 1;
      continue;
    }
    const [whole, close, rawName, attrs = '', selfClose] = m;
    const name = (rawName ?? '').toLowerCase();
    i = lt + whole.length;
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    for (const a of attrs.matchAll(ATTR)) {
      const attr = (a[1] ?? '').toLowerCase();
      if (attr === 'style' || attr.startsWith('on')) problems.push(`<${name} ${attr}> is forbidden by the CSP`);
      if (attr === 'id') {
        const id = (a[2] ?? '').slice(1, -1);
        if (ids.has(id)) problems.push(`duplicate id "${id}"`);
        ids.add(id);
      }
    }
    if (name === 'script' && !/\ssrc="/.test(attrs)) problems.push('inline <script>');
    if (VOID.has(name)) {
      if (selfClose) problems.push(`void <${name}/> written self-closing`);
      continue;
    }
    if (selfClose) {
      if (!SVG_LEAVES.has(name)) problems.push(`<${name}/> self-closed outside SVG`);
      continue;
    }
    if (name === 'script' || name === 'textarea' || name === 'title') {
      // Raw text: skip to the end tag.
      const end = html.toLowerCase().indexOf(`</${name}>`, i);
      if (end < 0) problems.push(`<${name}> never closed`);
      if (name === 'textarea' && html.slice(i, end).includes('<')) problems.push('unescaped < in textarea');
      i = end < 0 ? html.length : end + name.length + 3;
      continue;
    }
    stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  for (const [, label] of html.matchAll(/<label for="([^"]+)"/g)) {
    if (!new RegExp(`id="${label}"`).test(html)) problems.push(`label for missing id "${label}"`);
  }
  return problems;
}
