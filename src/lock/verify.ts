import validVersion from 'semver/functions/valid.js';
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import type { Problem } from '../errors.js';
import { locate, type SourceFile } from '../config/source.js';
import { fingerprintOf } from './fingerprint.js';
import type { LockFile } from './types.js';

/*
 * mcp.lock is verified, not trusted: it is committed, so anyone with push access (or a bad
 * merge) can edit it, and what it says is what gets installed and what the rug-pull review
 * compares against. Each check here needs only the file itself.
 */

const DIGEST_BYTES: Record<string, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** Why `s` is not a Subresource Integrity string npm would accept, or undefined if it is. */
export function sriProblem(s: string): string | undefined {
  const parts = s.trim().split(/\s+/);
  if (s.trim() === '') return 'is empty';
  for (const part of parts) {
    const m = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(part);
    if (!m) return `'${part}' is not ALGORITHM-BASE64 with sha512, sha384, sha256 or sha1`;
    if (Buffer.from(m[2]!, 'base64').length !== DIGEST_BYTES[m[1]!] || m[2]!.length % 4 !== 0)
      return `'${part}' does not hold a ${m[1]} digest (wrong length)`;
  }
  return undefined;
}

/** npm's dist-tag rule: a tag is anything URL-safe that is not itself a range. */
const DIST_TAG = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Every problem of a lock file that its own content shows, each located in it. */
export function verifyLock(lock: LockFile, source: SourceFile): Problem[] {
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string) =>
    problems.push({ message, location: locate(source, ['servers', ...path]) });
  for (const [server, entry] of Object.entries(lock.servers)) {
    const p = entry.package;
    if (p) {
      const range = validRange(p.requested) !== null;
      if (!range && !DIST_TAG.test(p.requested))
        at(
          [server, 'package', 'requested'],
          `server '${server}': requested '${p.requested}' is neither a semver range nor a dist-tag`,
        );
      if (validVersion(p.version) !== p.version)
        at(
          [server, 'package', 'version'],
          `server '${server}': version '${p.version}' is not an exact version (such as 1.2.3); a pin must name one published version`,
        );
      else if (range && !satisfies(p.version, p.requested))
        at(
          [server, 'package', 'version'],
          `server '${server}': version ${p.version} does not satisfy the requested range '${p.requested}'`,
        );
      const sri = sriProblem(p.integrity);
      if (sri) at([server, 'package', 'integrity'], `server '${server}': integrity ${sri}`);
    }
    const t = entry.tools;
    if (t) {
      const sorted = [...new Set(t.names)].sort();
      const detailed = Object.keys(t.details).sort();
      if (sorted.length !== t.names.length || sorted.some((n, i) => n !== t.names[i]))
        at([server, 'tools', 'names'], `server '${server}': tool names must be sorted and unique`);
      else if (detailed.length !== sorted.length || detailed.some((n, i) => n !== sorted[i]))
        at([server, 'tools', 'details'], `server '${server}': the tools in 'details' are not the tools in 'names'`);
      else if (fingerprintOf(t.names, t.details) !== t.fingerprint)
        at(
          [server, 'tools', 'fingerprint'],
          `server '${server}': the fingerprint does not match the recorded tools (edited by hand?); mcpform cannot tell which of them is true`,
        );
    }
  }
  return problems;
}
