import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { sameJson } from '../../src/util/equal.js';
import { canonicalJson, sha256 } from '../../src/util/hash.js';
import { escapePointer, pointer, splitPointer, unescapePointer } from '../../src/util/pointer.js';
import { expandHome } from '../../src/util/paths.js';
import { homeFromEnv } from '../../src/world.js';
import { totalSummary } from '../../src/util/summary.js';
import { renderColumns } from '../../src/util/table.js';

// ni-style tables: one line per case.
describe('JSON pointer segments (RFC 6901)', () => {
  it.each([
    ['plain', 'plain'],
    ['a/b', 'a~1b'],
    ['a~b', 'a~0b'],
    ['~1', '~01'], // unescaping ~01 must give ~1, not /
    ['', ''],
  ])('%j <-> %j', (key, segment) => {
    expect(escapePointer(key)).toBe(segment);
    expect(unescapePointer(segment)).toBe(key);
  });
  it.each([
    ['', []],
    ['/servers/a~1b/0', ['servers', 'a/b', '0']],
    ['/x~0y', ['x~y']],
  ])('split %j', (ptr, parts) => expect(splitPointer(ptr)).toEqual(parts));
  it('pointer() joins escaped segments', () => expect(pointer('servers', 'a/b', 0)).toBe('/servers/a~1b/0'));
});

describe('canonicalJson / sha256', () => {
  it.each([
    [{ b: 1, a: [2, { d: 1, c: 0 }] }, '{"a":[2,{"c":0,"d":1}],"b":1}'],
    [[], '[]'],
    [null, 'null'],
    [undefined, 'null'],
    ['x', '"x"'],
  ])('%j -> %s', (value, text) => expect(canonicalJson(value)).toBe(text));
  it('equal values hash equal, whatever the key order', () =>
    expect(sha256(canonicalJson({ a: 1, b: 2 }))).toBe(sha256(canonicalJson({ b: 2, a: 1 }))));
  it('spells sha256:<64 hex>', () => expect(sha256('')).toMatch(/^sha256:e3b0c442[0-9a-f]{56}$/));
});

describe('sameJson', () => {
  it.each([
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [[1, 2], [2, 1], false],
    [{ a: [] }, { a: {} }, false],
    ['1', 1, false],
    [null, {}, false],
  ])('%j vs %j: %s', (a, b, same) => expect(sameJson(a, b)).toBe(same));
  it('a smol-toml table (null prototype) equals the plain object it spells', () =>
    expect(sameJson(parseToml('[x]\ncommand = "npx"\nargs = ["-y"]\n').x, { command: 'npx', args: ['-y'] })).toBe(
      true,
    ));
});

describe('totalSummary', () => {
  it.each([
    [[], { add: 0, change: 0, remove: 0 }],
    [[{ add: 1, change: 2, remove: 3 }], { add: 1, change: 2, remove: 3 }],
    [
      [
        { add: 1, change: 0, remove: 0 },
        { add: 2, change: 1, remove: 4 },
      ],
      { add: 3, change: 1, remove: 4 },
    ],
  ])('%j -> %j', (summaries, total) => expect(totalSummary(summaries.map((summary) => ({ summary })))).toEqual(total));
});

describe('renderColumns', () => {
  it.each([
    [[['A', 'B']], 'A  B'],
    [
      [
        ['ID', 'FILE'],
        ['1', '/a/long/path'],
        ['12345', 'x'],
      ],
      'ID     FILE\n1      /a/long/path\n12345  x',
    ],
    [
      [
        ['NAME', 'NOTE'],
        ['a', ''],
      ],
      'NAME  NOTE\na',
    ],
  ])('%j', (rows, text) => expect(renderColumns(rows)).toBe(text));
});

describe('homeFromEnv / expandHome', () => {
  it.each([
    [{ HOME: '/h', USERPROFILE: 'C:\\U' }, '/h'],
    [{ USERPROFILE: 'C:\\U' }, 'C:\\U'],
    [{ HOME: '', USERPROFILE: 'C:\\U' }, 'C:\\U'],
  ])('%j -> %s', (env, home) => expect(homeFromEnv(env, 'linux')).toBe(home));
  it.each([
    ['~', '/h'],
    ['~/x', '/h/x'],
    ['a/~/b', 'a/~/b'],
    ['~user/x', '~user/x'],
  ])('expandHome(%j) -> %s', (p, out) => expect(expandHome(p, { home: '/h', platform: 'linux' })).toBe(out));
});
