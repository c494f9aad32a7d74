import { describe, expect, it } from 'vitest';
import { interpolate, Secret } from '../../src/config/interpolate.js';

const ENV: Record<string, string> = { HOME: '/home/u', TOKEN: 't0k', EMPTY: '' };
const run = (input: string) => interpolate(input, (n) => ENV[n]);
const text = (v: string | Secret) => (v instanceof Secret ? v.value : v);

// ni-style: input -> output, and whether the result is sensitive.
describe('interpolate', () => {
  it.each([
    ['plain', 'plain', false],
    ['${HOME}/projects', '/home/u/projects', true],
    ['Bearer ${TOKEN}', 'Bearer t0k', true],
    ['${UNSET:-fallback}', 'fallback', true],
    ['${EMPTY:-fallback}', 'fallback', true], // empty counts as unset, as in a shell's :-
    ['${TOKEN:-fallback}', 't0k', true],
    ['$${HOME}', '${HOME}', false], // $${ is a literal ${
    ['$HOME', '$HOME', false], // only the braced form is a reference
    ['${HOME}${TOKEN}', '/home/ut0k', true],
  ])('%j -> %j (sensitive: %s)', (input, output, sensitive) => {
    const r = run(input);
    expect([text(r.value), r.value instanceof Secret, r.missing, r.invalid]).toEqual([output, sensitive, [], []]);
  });

  it.each([
    ['${UNSET}', ['UNSET'], []],
    ['${A} and ${B}', ['A', 'B'], []],
    ['${EMPTY}', [], []], // set but empty: no error, empty value
    ['${1BAD}', [], ['1BAD']],
    ['${unclosed', [], ['unclosed']],
    ['${with space}', [], ['with space']],
  ])('%j: missing %j, invalid %j', (input, missing, invalid) => {
    const r = run(input);
    expect([r.missing, r.invalid]).toEqual([missing, invalid]);
  });

  it('a secret prints as (sensitive) and keeps each variable value to mask', () => {
    const { value } = run('postgres://u:${TOKEN}@db/${HOME}');
    expect(String(value)).toBe('(sensitive)');
    expect(JSON.stringify({ v: value })).toBe('{"v":"(sensitive)"}');
    expect((value as Secret).parts).toEqual(['postgres://u:t0k@db//home/u', 't0k', '/home/u']);
  });
});
