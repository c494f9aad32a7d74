/**
 * Well-known credential shapes, found wherever they sit (a bare argument, `KEY=value`, a URL
 * query): what `init --import` moves to .env even when no key or flag says "secret".
 * Each shape carries the variable name people conventionally give it.
 */
const SHAPES: readonly { re: RegExp; name: string }[] = [
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, name: 'JWT' },
  { re: /\bgithub_pat_[A-Za-z0-9_]{22,}/g, name: 'GITHUB_TOKEN' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, name: 'GITHUB_TOKEN' },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}/g, name: 'GITLAB_TOKEN' },
  { re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g, name: 'ANTHROPIC_API_KEY' },
  { re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/g, name: 'OPENAI_API_KEY' },
  { re: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, name: 'STRIPE_API_KEY' },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, name: 'SLACK_TOKEN' },
  { re: /\bxapp-[A-Za-z0-9-]{10,}/g, name: 'SLACK_APP_TOKEN' },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, name: 'AWS_ACCESS_KEY_ID' },
  { re: /\bAIza[0-9A-Za-z_-]{35}\b/g, name: 'GOOGLE_API_KEY' },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/g, name: 'NPM_TOKEN' },
  { re: /\bhf_[A-Za-z0-9]{30,}\b/g, name: 'HF_TOKEN' },
  { re: /\blin_api_[A-Za-z0-9]{30,}\b/g, name: 'LINEAR_API_KEY' },
  { re: /\b(?:ntn_|secret_)[A-Za-z0-9]{40,}\b/g, name: 'NOTION_TOKEN' },
];

export interface TokenSpan {
  start: number;
  end: number;
  /** A conventional variable name for it (GITHUB_TOKEN, JWT, SECRET). */
  name: string;
}

/** Known token shapes in `text`, then long random-looking runs; non-overlapping, in order. */
export function findTokens(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  const free = (s: number, e: number) => spans.every((x) => e <= x.start || s >= x.end);
  for (const { re, name } of SHAPES) {
    for (const m of text.matchAll(re)) {
      const start = m.index!;
      if (free(start, start + m[0].length)) spans.push({ start, end: start + m[0].length, name });
    }
  }
  // A long run of letters and digits that looks random (an API key with no known prefix)
  // (`/` and `=` end a run: paths and KEY=value are not part of a key; base64 padding is.)
  for (const m of text.matchAll(/[A-Za-z0-9_+-]{32,}={0,2}/g)) {
    const start = m.index!;
    if (free(start, start + m[0].length) && looksRandom(m[0]))
      spans.push({ start, end: start + m[0].length, name: 'SECRET' });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * High entropy, letters and digits mixed, not a hex digest or UUID (commit ids and project
 * ids are identifiers, not credentials), not words joined by dashes (package names).
 */
export function looksRandom(s: string): boolean {
  if (/^[0-9a-f]+$/i.test(s) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s)) return false;
  if (!/[0-9]/.test(s) || !/[A-Za-z]/.test(s)) return false;
  if (/^[a-z]+(?:[-_][a-z0-9]+)+$/.test(s)) return false;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits >= 4;
}
