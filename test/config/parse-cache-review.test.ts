import { testWorld } from '../helpers.js';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/config/load.js';
import { ParseCache } from '../../src/config/parse-cache.js';
import { parseSource, toPlain, useParseCache } from '../../src/config/source.js';
import { McpformError } from '../../src/errors.js';
import { fingerprintOf } from '../../src/lock/fingerprint.js';
import { readLock } from '../../src/lock/file.js';
import { clientCatalog } from '../../src/targets/index.js';

/*
 * Review of the parse cache (HEAD f33e9c4): a cached run must read every file exactly as an
 * uncached one. Each case runs the same read with the cache off, then twice with it on (a
 * miss that stores the entry, then a hit), and expects the same outcome every time.
 */

const dirs: string[] = [];
afterEach(() => {
  useParseCache(undefined);
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const HASH = `sha256:${'0'.repeat(64)}`;
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'mcpform-parse-cache-review-'));
  dirs.push(d);
  return d;
}

/** The outcome of `run` with the cache off, then on (miss), then on (hit). */
function threeWays<T>(run: () => T): { off: T; miss: T; hit: T; entries: number } {
  const cache = join(tmp(), 'yaml');
  useParseCache(undefined);
  const off = run();
  useParseCache(new ParseCache(cache));
  const miss = run();
  const hit = run();
  useParseCache(undefined);
  let entries = 0;
  try {
    entries = readdirSync(cache).length;
  } catch {
    // none
  }
  return { off, miss, hit, entries };
}

const outcome = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    return [err.message, ...err.problems.map((p) => `${p.location?.line}:${p.location?.col} ${p.message}`)].join('\n');
  }
};

describe('parse cache review: a hit reads as a parse', () => {
  // Defect 1: under `%YAML 1.1` an unquoted date is a timestamp, toJS gives a Date (no tag on
  // the node, so strictNodes lets it through), and JSON.stringify stores its toJSON() string.
  it('a %YAML 1.1 timestamp is refused on the second run too (not turned into an ISO string)', () => {
    const dir = tmp();
    const file = join(dir, 'mcp.yaml');
    writeFileSync(
      file,
      '%YAML 1.1\n---\nversion: 1\nservers:\n  a:\n    command: node\n    args: ["--since", 2024-01-01]\n',
    );
    const r = threeWays(() =>
      outcome(() => validateProject(file, { clients: clientCatalog, world: testWorld({ env: {}, cwd: dir }) })),
    );
    expect(r.off).toContain("field 'args.1' must be a string");
    expect(r.miss).toBe(r.off);
    expect(r.hit).toBe(r.off); // fails at f33e9c4: 'ok'
  });

  it('the value of a cached file is the value of the parsed one, whatever the YAML version', () => {
    const text = '%YAML 1.1\n---\nwhen: 2001-12-14\n';
    const r = threeWays(() => {
      const { source } = parseSource(text, 'x.yaml', '/review/x.yaml');
      return toPlain(source!).value as { when: unknown };
    });
    expect(r.off.when).toBeInstanceOf(Date);
    expect(r.hit).toEqual(r.off); // fails at f33e9c4: { when: '2001-12-14T00:00:00.000Z' }
  });

  it('mcp.lock with a %YAML 1.1 date where a string belongs: refused by every run, not only the first', () => {
    const dir = tmp();
    const path = join(dir, 'mcp.lock');
    // The fingerprint is made over the ISO string the cache would store.
    const details = { t: { description: '2024-01-01T00:00:00.000Z', inputSchema: HASH } };
    writeFileSync(
      path,
      `%YAML 1.1\n---\nlockfileVersion: 1\nservers:\n  a:\n    tools:\n      names: [t]\n      fingerprint: ${fingerprintOf(['t'], details)}\n      details:\n        t: { description: 2024-01-01, inputSchema: "${HASH}" }\n`,
    );
    const r = threeWays(() => outcome(() => readLock(path, dir)));
    expect(r.off).not.toBe('ok');
    expect(r.miss).toBe(r.off);
    expect(r.hit).toBe(r.off); // fails at f33e9c4: 'ok' (the lock is accepted from the second run on)
  });

  // Defect 2: toJS gives one object for an anchor and its aliases; JSON gives copies. lock/sync.ts
  // edits entries in place (Object.assign), so `lock --update a` also rewrites an aliased `b`
  // without the cache, and not with it.
  it('aliased mcp.lock entries: the same sharing with and without the cache', () => {
    const dir = tmp();
    const path = join(dir, 'mcp.lock');
    const details = { ping: { description: 'Answers pong.', inputSchema: HASH } };
    writeFileSync(
      path,
      `lockfileVersion: 1\nservers:\n  a: &a\n    tools:\n      names: [ping]\n      fingerprint: ${fingerprintOf(['ping'], details)}\n      details:\n        ping: { description: Answers pong., inputSchema: "${HASH}" }\n  b: *a\n`,
    );
    const r = threeWays(() => {
      const { lock } = readLock(path, dir);
      return lock.servers.a === lock.servers.b;
    });
    expect(r.entries).toBe(0); // a document with aliases is not kept: JSON cannot share
    expect(r.miss).toBe(r.off);
    expect(r.hit).toBe(r.off); // failed at f33e9c4: true off, false on a hit
  });
});
