/**
 * Text mcpform did not write — server and tool names, descriptions, error text, stderr, names
 * read from client files and mcp.yaml — is untrusted: printed raw, `\e[8m` hides what follows
 * on a real terminal, `\r` overwrites the line, bidi overrides reorder it, and zero-width or
 * Unicode tag characters carry instructions a person cannot see but a model reads. Every such
 * character is spelled out here, for the terminal, for JSON and for Markdown.
 */

/**
 * Controls (C0, DEL, C1), format characters (bidi embeddings, overrides, isolates and marks,
 * zero-width characters, BOM, Unicode tag characters), line and paragraph separators, lone
 * surrogates, and whatever else Unicode says renders as nothing (Default_Ignorable_Code_Point:
 * fillers, variation selectors).
 */
export const HIDDEN_CLASS = '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Default_Ignorable_Code_Point}]';
const HIDDEN = new RegExp(HIDDEN_CLASS, 'gu');

const HIDDEN_ONE = new RegExp(HIDDEN.source, 'u');

const NAMED: Record<string, string> = { '\x1b': '\\e', '\r': '\\r', '\n': '\\n', '\t': '\\t', '\0': '\\0' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0)!;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

const isSelector = (code: number) => code >= 0xfe00 && code <= 0xfe0f;

/**
 * An emoji's variation selector (`⚠️` is U+26A0 U+FE0F) right after a visible character is
 * part of how it looks, and stays; a run of them, or one after nothing, carries data instead.
 */
function keptSelector(c: string, offset: number, text: string): boolean {
  if (!isSelector(c.codePointAt(0)!) || offset === 0) return false;
  const prevStart = offset >= 2 && /[\udc00-\udfff]/.test(text[offset - 1]!) ? offset - 2 : offset - 1;
  const prev = text.codePointAt(prevStart)!;
  return !isSelector(prev) && !HIDDEN_ONE.test(String.fromCodePoint(prev));
}

/** Whether `text` holds any character `visible` would spell out (an emoji's variation selector counts). */
export function hasHidden(text: string): boolean {
  return HIDDEN_ONE.test(text);
}

/** One line of untrusted text, safe for a terminal: every hidden character spelled out (`\e`, `\u202e`, `\u{e0041}`). */
export function visible(text: string): string {
  return text.replace(HIDDEN, (c, offset: number, all: string) => (keptSelector(c, offset, all) ? c : escapeChar(c)));
}

/** Like `visible`, but keeps line breaks (`\n`, and `\r\n` as `\n`) and tabs: for multi-line text such as stderr tails. */
export function visibleLines(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) =>
      l
        .split('\t')
        .map((part) => visible(part))
        .join('\t'),
    )
    .join('\n');
}

/** Untrusted text inside Markdown prose or a table cell: visible, and no markup or HTML of its own. */
export function markdownText(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/^[#+!=-]/, '\\$&');
}

/** Untrusted text as a fenced code block, with a fence longer than any backtick run inside. */
export function markdownCode(text: string): string {
  const body = visibleLines(text);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body}\n${fence}`;
}

/**
 * JSON text with every hidden character as a `\uXXXX` escape: what a program parses is the
 * exact value, what a person sees (`mcpform test --json` in a terminal, a config file in a
 * diff) holds nothing invisible. Only for JSON text: outside a string, JSON has no such
 * characters to escape.
 */
export function escapeHiddenInJson(json: string): string {
  return json.replace(HIDDEN, (c) => {
    if (c === '\n' || c === '\r' || c === '\t') return c; // JSON.stringify escapes these in strings: left here, they are layout
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/**
 * How many characters of `text` a reader cannot see: everything `visible` escapes except
 * line breaks and tabs, which a multi-line description may hold for layout.
 */
export function countHidden(text: string): number {
  let n = 0;
  text.replace(HIDDEN, (c, offset: number, all: string) => {
    const layout = c === '\n' || c === '\t' || (c === '\r' && all[offset + 1] === '\n');
    if (!layout && !keptSelector(c, offset, all)) n++;
    return c;
  });
  return n;
}

/**
 * What Unicode tag characters (U+E0020-U+E007E) spell: each mirrors a printable ASCII
 * character, which is how instructions are smuggled past a reader into a model.
 */
export function tagText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xe0020 && code <= 0xe007e) out += String.fromCharCode(code - 0xe0000);
  }
  return out;
}
