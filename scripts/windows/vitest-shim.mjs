// The part of vitest's API that the platform-sensitive unit tests use, on node:test, so those
// same files run on Windows Node under Wine, where vitest itself cannot start (run.mjs bundles
// them with `vitest` aliased to this file). A matcher missing here fails loudly, never passes.
import assert from 'node:assert/strict';
import { format } from 'node:util';
import { afterEach as nodeAfterEach, describe as nodeDescribe, test } from 'node:test';

const ASYMMETRIC = Symbol('asymmetric');
const asymmetric = (describe, matches) => ({ [ASYMMETRIC]: true, matches, toString: () => describe });

/** vitest's equality: asymmetric matchers, and a key whose value is undefined counts as absent. */
function equals(a, b, partial = false) {
  if (b && b[ASYMMETRIC]) return b.matches(a);
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Set || b instanceof Set)
    return a instanceof Set && b instanceof Set && a.size === b.size && [...b].every((x) => a.has(x));
  if (a instanceof Map || b instanceof Map)
    return a instanceof Map && b instanceof Map && equals([...a], [...b], partial);
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (Array.isArray(b) && a.length !== b.length) return false;
  const keys = (o) => Object.keys(o).filter((k) => o[k] !== undefined);
  if (!partial && !Array.isArray(b) && keys(a).length !== keys(b).length) return false;
  return keys(b).every((k) => equals(a[k], b[k], partial));
}

function matchers(actual, negate) {
  const check = (ok, message) => {
    if (ok === negate) assert.fail(`${negate ? 'not ' : ''}${message}\n  actual: ${format('%o', actual)}`);
  };
  return {
    toBe: (want) => check(Object.is(actual, want), `toBe ${format('%o', want)}`),
    toEqual: (want) => check(equals(actual, want), `toEqual ${format('%o', want)}`),
    toStrictEqual: (want) => check(equals(actual, want), `toStrictEqual ${format('%o', want)}`),
    toMatchObject: (want) => check(equals(actual, want, true), `toMatchObject ${format('%o', want)}`),
    toMatch: (want) => check(typeof want === 'string' ? actual.includes(want) : want.test(actual), `toMatch ${want}`),
    toContain: (want) => check(actual.includes(want), `toContain ${format('%o', want)}`),
    toHaveLength: (n) => check(actual.length === n, `toHaveLength ${n}`),
    toHaveProperty: (key) => check(Object.hasOwn(actual, key), `toHaveProperty ${key}`),
    toBeLessThan: (n) => check(actual < n, `toBeLessThan ${n}`),
    toBeGreaterThan: (n) => check(actual > n, `toBeGreaterThan ${n}`),
    toBeUndefined: () => check(actual === undefined, 'toBeUndefined'),
    toBeDefined: () => check(actual !== undefined, 'toBeDefined'),
    toBeNull: () => check(actual === null, 'toBeNull'),
    toBeTruthy: () => check(Boolean(actual), 'toBeTruthy'),
    toBeFalsy: () => check(!actual, 'toBeFalsy'),
    toBeInstanceOf: (type) => check(actual instanceof type, `toBeInstanceOf ${type.name}`),
    toThrow: (want) => {
      let thrown;
      try {
        actual();
      } catch (err) {
        thrown = err ?? new Error('(nothing)');
      }
      const text = thrown instanceof Error ? thrown.message : String(thrown);
      const ok =
        thrown !== undefined &&
        (want === undefined || (typeof want === 'string' ? text.includes(want) : want.test(text)));
      check(ok, `toThrow ${want ?? ''}`);
    },
  };
}

export function expect(actual) {
  return { ...matchers(actual, false), not: matchers(actual, true) };
}
expect.stringContaining = (s) => asymmetric(`stringContaining ${s}`, (a) => typeof a === 'string' && a.includes(s));
expect.stringMatching = (re) => asymmetric(`stringMatching ${re}`, (a) => typeof a === 'string' && re.test(a));
expect.objectContaining = (o) => asymmetric('objectContaining', (a) => equals(a, o, true));
expect.arrayContaining = (xs) =>
  asymmetric('arrayContaining', (a) => Array.isArray(a) && xs.every((x) => a.some((y) => equals(y, x))));
expect.any = (type) => asymmetric(`any ${type.name}`, (a) => a instanceof type || typeof a === type.name.toLowerCase());

/** vitest's test names for `each`: printf-style %s %j %i %d %o %#, or $field of an object row. */
function title(name, row, i) {
  if (!Array.isArray(row) && typeof row === 'object' && row !== null)
    return name.replace(/\$([A-Za-z_]\w*)/g, (_m, k) => format('%o', row[k]));
  let n = 0;
  const args = Array.isArray(row) ? row : [row];
  return name.replace(/%[sjidfo#%]/g, (spec) => {
    if (spec === '%%') return '%';
    if (spec === '%#') return String(i);
    const v = args[n++];
    return spec === '%j' ? JSON.stringify(v) : spec === '%s' ? String(v) : format(spec, v);
  });
}

function withEach(run) {
  const fn = (name, body) => run(name, body);
  fn.each = (rows) => (name, body) =>
    rows.forEach((row, i) => run(title(name, row, i), () => (Array.isArray(row) ? body(...row) : body(row))));
  fn.skip = (name) => run(name, undefined, { skip: true });
  fn.runIf = (cond) => (cond ? fn : fn.skip);
  fn.skipIf = (cond) => (cond ? fn.skip : fn);
  return fn;
}

export const it = withEach((name, body, opts) => test(name, opts ?? {}, body));
export const describe = withEach((name, body, opts) => nodeDescribe(name, opts ?? {}, body));
export const afterEach = (fn) => nodeAfterEach(fn);
