import { createHash } from 'node:crypto';
import { sha256 as jsSha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/** Up to this many bytes, hashed in JavaScript (see sha256). */
const SHORT = 4096;

/**
 * `sha256:<hex>`, the spelling mcp.lock, saved plans and the state dir use.
 * Short input (a path, a name: every plan hashes one to find its state file) is hashed by
 * @noble/hashes, so a plan never loads node:crypto, which costs a cold start 4-5 ms, more
 * than the hashing of a whole plan. Anything longer (file contents) goes to OpenSSL, which
 * is faster once loaded. Both are SHA-256: the same digest (test/util/hash.test.ts).
 */
export function sha256(data: string | Buffer): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const hex = bytes.length <= SHORT ? bytesToHex(jsSha256(bytes)) : createHash('sha256').update(bytes).digest('hex');
  return `sha256:${hex}`;
}

/** JSON with sorted keys at every level: equal values, equal text (for hashing and comparing). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
