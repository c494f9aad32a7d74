import { SECRET_KEY } from '../util/mask.js';
import { findTokens } from '../util/token-shapes.js';

/** A secret inside an imported value: where it is, and the variable name it should get. */
export interface SecretSpan {
  start: number;
  end: number;
  /** Wanted variable name, before the importer makes it unique (`api-key`, `GITHUB_TOKEN`). */
  name: string;
  /** Prefix the name with the server's (`DOCS_TOKEN`), for generic names. */
  perServer?: boolean;
}

const SECRET_FLAG = /^--?[\w-]*(token|secret|key|password|auth|credential)[\w-]*$/i;
const SECRET_FLAG_VALUE = /^(--?[\w-]*(?:token|secret|key|password|auth|credential)[\w-]*)=(.+)$/is;
const SECRET_HEADER = /^(authorization|[\w-]*(?:token|secret|key|auth)[\w-]*)\s*:\s*(.+)$/is;
// `KEY=value` as docker -e takes it; not a shell line (`KEY=$(cmd) exec ...`), which is code.
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([^\s$`]+)$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCHEME = /^((?:bearer|basic|token|bot)\s+)(\S.*)$/is;

/** The secrets of argument `i`: after a secret flag, `--api-key=X`, an auth header, `KEY=X`, URLs, token shapes. */
export function argSpans(args: readonly string[], i: number): SecretSpan[] {
  const a = args[i]!;
  const prev = args[i - 1] ?? '';
  if (a.includes('${')) return []; // a reference the client (or mcp-remote) expands: not a value
  if (SECRET_FLAG.test(prev) && !a.startsWith('-')) return [{ start: 0, end: a.length, name: prev.replace(/^-+/, '') }];
  const flag = SECRET_FLAG_VALUE.exec(a);
  if (flag) return [{ start: flag[1]!.length + 1, end: a.length, name: flag[1]!.replace(/^-+/, '') }];
  const header = prev === '--header' ? SECRET_HEADER.exec(a) : null;
  if (header) return headerValueSpans(header[1]!, a.length - header[2]!.length, header[2]!);
  const assignment = ASSIGNMENT.exec(a);
  if (assignment && (SECRET_KEY.test(assignment[1]!) || findTokens(assignment[2]!).length))
    return [{ start: assignment[1]!.length + 1, end: a.length, name: assignment[1]! }];
  if (URL_LIKE.test(a)) return urlSpans(a);
  return tokenSpans(a, []);
}

/** An env value: all of it under a secret-looking key; else passwords in URLs and token shapes. */
export function envSpans(key: string, value: string): SecretSpan[] {
  if (value === '' || value.includes('${')) return [];
  if (SECRET_KEY.test(key)) return [{ start: 0, end: value.length, name: key }];
  return URL_LIKE.test(value) ? urlSpans(value) : tokenSpans(value, []);
}

/** A header of a remote server: the token of `Bearer X` (or the whole value) for auth headers. */
export function headerSpans(name: string, value: string): SecretSpan[] {
  if (value.includes('${')) return [];
  if (SECRET_KEY.test(name)) return headerValueSpans(name, 0, value);
  return tokenSpans(value, []);
}

function headerValueSpans(header: string, offset: number, value: string): SecretSpan[] {
  const scheme = SCHEME.exec(value);
  if (scheme)
    return [{ start: offset + scheme[1]!.length, end: offset + value.length, name: 'TOKEN', perServer: true }];
  return [{ start: offset, end: offset + value.length, name: header, perServer: /^authorization$/i.test(header) }];
}

/** `scheme://user:PASSWORD@host`, `?api_key=X`, and token shapes anywhere in a URL. */
export function urlSpans(url: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const pw = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#@]+)@/i.exec(url);
  if (pw) spans.push({ start: pw[1]!.length, end: pw[1]!.length + pw[2]!.length, name: 'PASSWORD', perServer: true });
  for (const m of url.matchAll(/[?&]([^=&#]+)=([^&#]+)/g)) {
    if (!SECRET_KEY.test(m[1]!)) continue;
    const end = m.index! + m[0].length;
    spans.push({ start: end - m[2]!.length, end, name: m[1]! });
  }
  return tokenSpans(url, spans);
}

function tokenSpans(text: string, known: SecretSpan[]): SecretSpan[] {
  const out = [...known];
  for (const t of findTokens(text)) {
    if (out.every((s) => t.end <= s.start || t.start >= s.end))
      out.push({ start: t.start, end: t.end, name: t.name, perServer: t.name === 'SECRET' || t.name === 'JWT' });
  }
  return out.sort((a, b) => a.start - b.start);
}
