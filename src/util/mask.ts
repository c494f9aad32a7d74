/** Keys of env/headers whose values are secrets, whatever their origin (PRODUCT.md). */
export const SECRET_KEY = /token|secret|key|password|auth|credential/i;

/** What a secret is replaced with in text meant for people (and in JSON). */
export const MASK = '(sensitive)';

// Shorter values would blank out ordinary words ("on", "dev") everywhere; a secret that
// short is no secret. A 4-digit PIN is still masked.
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of every secret by (sensitive), also inside longer text
 * (`postgres://u:PW@h/db`, `Bearer TOKEN`), and in the spellings a server or a message is
 * likely to use for it: JSON-escaped and URL-encoded. Occurrences that overlap are masked
 * together, so no tail of one secret survives next to another.
 */
export function masker(secrets: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
  }
  const list = [...forms].filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (list.length === 0) return (text) => text;
  return (text) => {
    // A replacement can, in theory, form a secret with its neighbours; repeat until stable.
    for (let i = 0; i < 4; i++) {
      const next = maskOnce(text, list);
      if (next === text) return text;
      text = next;
    }
    return text;
  };
}

function maskOnce(text: string, secrets: readonly string[]): string {
  const spans: [number, number][] = [];
  for (const s of secrets) {
    for (let at = text.indexOf(s); at !== -1; at = text.indexOf(s, at + 1)) spans.push([at, at + s.length]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  let [start, end] = spans[0]!;
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) end = Math.max(end, e);
    else {
      out += text.slice(pos, start) + MASK;
      pos = end;
      [start, end] = [s, e];
    }
  }
  return out + text.slice(pos, start) + MASK + text.slice(end);
}

/** Every string inside a value (a probe result, a JSON document) masked; other values kept. */
export function maskDeep<T>(value: T, mask: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mask(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The secrets in a client entry as a client file has it, whatever mcp.yaml declared: values
 * of secret-looking env keys and headers, the value after a secret-looking flag
 * (`--token X`, `--api-key=X`), the token of `Bearer X`, and the password and
 * secret-looking query parameters of a URL.
 */
export function secretsOfEntry(entry: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const fromMap = (m: unknown) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return;
    for (const [k, v] of Object.entries(m)) if (typeof v === 'string' && SECRET_KEY.test(k)) out.push(...valueParts(v));
  };
  fromMap(entry.env);
  fromMap(entry.headers);
  if (Array.isArray(entry.args)) out.push(...secretsOfArgs(entry.args.map(String)));
  for (const k of ['url', 'serverUrl', 'httpUrl'])
    if (typeof entry[k] === 'string') out.push(...secretsOfUrl(entry[k]));
  return out;
}

/** `--token X`, `--token=X`, `-api-key=X`; also URLs among the arguments. */
export function secretsOfArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  args.forEach((arg, i) => {
    const withValue = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)$/s.exec(arg);
    if (withValue) {
      if (SECRET_KEY.test(withValue[1]!)) out.push(...valueParts(withValue[2]!));
    } else if (/^--?[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(arg) && SECRET_KEY.test(arg)) {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) out.push(...valueParts(next));
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) out.push(...secretsOfUrl(arg));
  });
  return out;
}

/** The password of `scheme://user:PASSWORD@host` and the values of `?api_key=...`. */
export function secretsOfUrl(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (u.password) out.push(u.password, safeDecode(u.password));
  for (const [k, v] of u.searchParams) if (SECRET_KEY.test(k) && v) out.push(v);
  return out;
}

// `Bearer abc` or `Basic abc`: the token alone may be what a server echoes.
function valueParts(v: string): string[] {
  const scheme = /^[A-Za-z][A-Za-z0-9_-]*\s+(\S.*)$/s.exec(v);
  return scheme ? [v, scheme[1]!] : [v];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
