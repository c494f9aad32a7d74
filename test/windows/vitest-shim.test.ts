// The shim the platform-sensitive vitest files run on under Wine (scripts/windows/vitest-shim.mjs):
// each matcher fails when it should, so a test run through it can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expect } from '../../scripts/windows/vitest-shim.mjs';

test('the vitest shim passes what vitest passes and fails what it fails', () => {
  expect({ a: 1, b: undefined }).toEqual({ a: 1 });
  expect({ a: 1, b: { c: [1, 2] } }).toMatchObject({ b: { c: [1, 2] } });
  expect('abc').toMatch(/b/);
  expect({ s: 'hello' }).toEqual({ s: expect.stringContaining('ell') });
  expect(new Map([['k', 1]])).toEqual(new Map([['k', 1]]));
  expect(() => {
    throw new Error('boom here');
  }).toThrow(/boom/);
  const fails: (() => void)[] = [
    () => expect(1).toBe(2),
    () => expect({ a: 1 }).toEqual({ a: 1, b: 2 }),
    () => expect([1, 2]).toEqual([1, 2, 3]),
    () => expect({ a: 1 }).toMatchObject({ a: 2 }),
    () => expect('abc').toMatch(/z/),
    () => expect([1]).toContain(2),
    () => expect([1]).not.toContain(1),
    () => expect(new Map([['k', 1]])).toEqual(new Map([['k', 2]])),
    () => expect(new Set([1])).toEqual(new Map()),
    () => expect(undefined).toBeDefined(),
    () => expect({ s: 'hello' }).toEqual({ s: expect.stringContaining('xyz') }),
    () => expect(() => {}).toThrow(),
    () => expect(2).toBeLessThan(1),
  ];
  for (const f of fails) assert.throws(f, (err: Error) => err.name === 'AssertionError', String(f));
});
