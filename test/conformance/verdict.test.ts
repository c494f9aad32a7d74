import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sandbox } from '../helpers.js';
import { excusesFor, judge, parseScenarioList, planRuns, readExcuses } from '../../scripts/conformance/verdict.mjs';

// The conformance stage (npm run test:conformance) decides here what ran and what passed.

type Status = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
const checks = (...list: [string, Status][]) => list.map(([id, status]) => ({ id, status }));
const run = (code: number, list: [string, Status][], output = '') => ({ code, output, checks: checks(...list) });

describe('which runs the stage makes', () => {
  it('one per era a scenario applies to, one at the suite choice for the others', () => {
    const listed = parseScenarioList(
      'Client scenarios (test against a client):\n  - initialize [2025-06-18,2025-11-25]\n  - tools_call [2025-06-18,2025-11-25,2026-07-28]\n  - auth/old [2025-03-26]\n  - sep-2640-x [extension]\n',
    );
    expect(planRuns(listed)).toEqual([
      { scenario: 'initialize', version: '2025-11-25' },
      { scenario: 'tools_call', version: '2025-11-25' },
      { scenario: 'tools_call', version: '2026-07-28' },
      { scenario: 'auth/old', version: undefined },
      { scenario: 'sep-2640-x', version: undefined },
    ]);
  });
});

describe('what expected-failures.yml excuses', () => {
  const groups = [
    { why: 'no OAuth', expect: ['auth/*'] },
    { why: 'one check', expect: ['schema:echo'] },
    { why: 'new era only', at: ['2026-07-28'], expect: ['tools_call'] },
  ];
  it.each([
    ['auth/metadata-default', '2025-11-25', ['auth/metadata-default']],
    ['schema', '2025-11-25', ['schema:echo']],
    ['tools_call', '2025-11-25', []],
    ['tools_call', '2026-07-28', ['tools_call']],
    ['tools_call', undefined, []],
    ['authorize', '2025-11-25', []],
  ])('%s @%s', (scenario, version, entries) => {
    expect(excusesFor(groups, { scenario, version })).toEqual(entries);
  });

  it('a group without its why is refused; the shipped file reads', () => {
    const sb = sandbox();
    const file = join(sb.dir, 'x.yml');
    writeFileSync(file, '- expect: [tools_call]\n');
    expect(() => readExcuses(file)).toThrow(/needs a why/);
    expect(readExcuses(join(ROOT, 'scripts', 'conformance', 'expected-failures.yml')).length).toBeGreaterThan(0);
  });
});

describe("a run's verdict", () => {
  it.each([
    ['every check passes', run(0, [['a', 'SUCCESS']]), [], 'passed'],
    ['a check fails', run(1, [['a', 'FAILURE']]), [], 'failed'],
    [
      'a warning, and the suite says so',
      run(1, [
        ['a', 'SUCCESS'],
        ['b', 'WARNING'],
      ]),
      [],
      'failed',
    ],
    ['nothing was exercised', run(0, [['a', 'SKIPPED']]), [], 'failed'],
    ['no checks at all', run(0, []), [], 'failed'],
    ['mcpform failed a sound server', run(1, [['a', 'SUCCESS']]), [], 'failed'],
    ['excused scenario fails', run(1, [['a', 'FAILURE']]), ['s'], 'expected'],
    ['excused scenario exercises nothing', run(0, [['a', 'SKIPPED']]), ['s'], 'expected'],
    ['excused scenario passes now', run(0, [['a', 'SUCCESS']]), ['s'], 'failed'],
    [
      'excused check fails',
      run(1, [
        ['a', 'SUCCESS'],
        ['b', 'FAILURE'],
      ]),
      ['s:b'],
      'expected',
    ],
    [
      'another check fails beside it',
      run(1, [
        ['c', 'FAILURE'],
        ['b', 'FAILURE'],
      ]),
      ['s:b'],
      'failed',
    ],
    ['excused check passes now', run(0, [['b', 'SUCCESS']]), ['s:b'], 'failed'],
    [
      'excused check skipped, the rest passes',
      run(0, [
        ['a', 'SUCCESS'],
        ['b', 'SKIPPED'],
      ]),
      ['s:b'],
      'passed',
    ],
    [
      'excused check fails and mcpform exited 1',
      run(1, [['b', 'FAILURE']], 'CLIENT EXITED WITH ERROR (code 1)'),
      ['s:b'],
      'failed',
    ],
  ])('%s', (_label, result, entries, verdict) => {
    expect(judge(result, entries).verdict).toBe(verdict);
  });
});
