/**
 * Text that comes from a server (tool descriptions, names, stderr) is untrusted: printed raw,
 * `\e[8m` hides what follows on a real terminal, `\r` overwrites the line, and bidi
 * overrides reorder it. These helpers make every such character visible instead.
 */

// C0 and C1 controls, DEL, and the invisible format characters that change how text reads:
// bidi embeddings/overrides/isolates, zero-width and line/paragraph separators, BOM.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\x1b': '\\e', '\r': '\\r', '\n': '\\n', '\t': '\\t', '\0': '\\0' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of server text, safe for a terminal: every control and format character spelled out. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, escapeChar);
}

/** Like `visible`, but keeps line breaks (`\n`, and `\r\n` as `\n`): for stderr tails. */
export function visibleLines(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => visible(l))
    .join('\n');
}

/** Server text inside Markdown prose or a table cell: visible, and no markup or HTML of its own. */
export function markdownText(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/^[#+!=-]/, '\\$&');
}

/** Server text as a fenced code block, with a fence longer than any backtick run inside. */
export function markdownCode(text: string): string {
  const body = visibleLines(text);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body}\n${fence}`;
}
