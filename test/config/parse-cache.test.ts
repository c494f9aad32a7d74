import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { ParseCache } from '../../src/config/parse-cache.js';
import { locate, parseSource, toPlain, useParseCache, type PathSegment } from '../../src/config/source.js';

const dirs: string[] = [];
afterEach(() => {
  useParseCache(undefined);
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mcpform-parse-cache-'));
  dirs.push(d);
  return join(d, 'yaml');
}

/** Every path to every value of a plain value, for locate(). */
function paths(v: unknown, at: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

/** What the loader gets from a file: its value, and where each value is. */
function read(text: string, path = '/project/mcp.yaml') {
  const { source, problems } = parseSource(text, 'mcp.yaml', path);
  if (!source) return { problems };
  const plain = toPlain(source);
  const where = paths(plain.value).map((p) => [locate(source, p), locate(source, p, true)]);
  return { value: plain.value, where, problems: [...problems, ...plain.problems] };
}

const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '__proto__');
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noDefaultInfinity: false }),
  fc.boolean(),
  fc.constant(null),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  ),
})).node;

describe('the parse cache (config/parse-cache.ts)', () => {
  it('a cached file reads exactly as a parsed one: the same value, every location the same', () => {
    const dir = cacheDir();
    fc.assert(
      fc.property(tree, fc.constantFrom<'block' | 'flow'>('block', 'flow'), (value, style) => {
        const text = stringify({ version: 1, data: value }, style === 'flow' ? { collectionStyle: 'flow' } : {});
        useParseCache(undefined);
        const parsed = read(text);
        useParseCache(new ParseCache(dir));
        const first = read(text); // a miss: parsed, then kept (if JSON carries it)
        const second = read(text); // a hit
        expect(first).toEqual(parsed);
        expect(second).toEqual(parsed);
      }),
      { numRuns: 150 },
    );
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  it('a hit is a hit: the value without the document, which is parsed only when a location is asked', () => {
    const dir = cacheDir();
    useParseCache(new ParseCache(dir));
    const text = 'version: 1\nservers:\n  memory:\n    command: npx\n';
    read(text);
    const { source } = parseSource(text, 'mcp.yaml', '/project/mcp.yaml');
    expect(typeof Object.getOwnPropertyDescriptor(source, 'doc')?.get).toBe('function');
    expect(toPlain(source!).value).toEqual({ version: 1, servers: { memory: { command: 'npx' } } });
    expect(locate(source!, ['servers', 'memory', 'command'])).toEqual({ file: 'mcp.yaml', line: 4, col: 14 });
  });

  it('keeps a file only when it parsed with no problem, and only for the very same text', () => {
    const dir = cacheDir();
    useParseCache(new ParseCache(dir));
    expect(read('version: 1\nservers: {\n').problems.length).toBeGreaterThan(0);
    expect(read('a: !!binary aGk=\n').problems.length).toBeGreaterThan(0);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);

    expect(read('version: 1\nname: one\n').value).toEqual({ version: 1, name: 'one' });
    const [entry] = readdirSync(dir);
    expect(statSync(join(dir, entry!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // Same path, same length, other text: parsed again.
    expect(read('version: 1\nname: two\n').value).toEqual({ version: 1, name: 'two' });
    expect(read('version: 1\nname: one\n').value).toEqual({ version: 1, name: 'one' });
  });

  it('values JSON cannot carry (.inf, .nan, -0) are parsed every time, never rounded', () => {
    const dir = cacheDir();
    useParseCache(new ParseCache(dir));
    for (let i = 0; i < 2; i++) {
      const v = read('a: .inf\nb: -.inf\nc: .nan\nd: -0\n').value as Record<string, number>;
      expect(v.a).toBe(Infinity);
      expect(v.b).toBe(-Infinity);
      expect(v.c).toBeNaN();
      expect(Object.is(v.d, -0)).toBe(true);
    }
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});

describe('the parse cache keeps itself small', () => {
  it('entries not parsed anew for a month go, and a dead run’s temp file after a minute', () => {
    const dir = cacheDir();
    useParseCache(new ParseCache(dir));
    read('version: 1\nname: old\n');
    const [old] = readdirSync(dir);
    const month = (Date.now() - 31 * 24 * 3600 * 1000) / 1000;
    utimesSync(join(dir, old!), month, month);
    writeFileSync(join(dir, 'x.json.999.tmp'), '');
    utimesSync(join(dir, 'x.json.999.tmp'), Date.now() / 1000 - 120, Date.now() / 1000 - 120);
    read('version: 1\nname: new\n', '/project/other.yaml');
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)).not.toContain(old);
  });

  it('a document with aliases is parsed every time (JSON would copy what toJS shares), and stops serializing at the first alias', () => {
    const dir = cacheDir();
    useParseCache(new ParseCache(dir));
    const big = `a: &a [${'"x", '.repeat(20_000)}"x"]\n${Array.from({ length: 90 }, (_, i) => `k${i}: *a`).join('\n')}\n`;
    const { source } = parseSource(big, 'mcp.yaml', '/project/big.yaml');
    expect(toPlain(source!).problems).toEqual([]);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
