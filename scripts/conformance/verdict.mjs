// The conformance stage's decisions, apart from running anything: which runs to make, what
// expected-failures.yml excuses for one run, and each run's verdict.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The protocol eras mcpform speaks: a scenario runs once at each of these it applies to. */
export const ERAS = ['2025-11-25', '2026-07-28'];

/** `conformance list --client` output -> [{ scenario, tags }] ("  - name [2025-11-25,2026-07-28]"). */
export function parseScenarioList(text) {
  return [...text.matchAll(/^\s*- (\S+) \[([^\]]*)\]/gm)].map((m) => ({
    scenario: m[1],
    tags: m[2].split(',').map((t) => t.trim()),
  }));
}

/** One run per era a scenario applies to; one at the suite's own choice for the others (extensions, older revisions). */
export function planRuns(scenarios) {
  return scenarios.flatMap(({ scenario, tags }) => {
    const eras = ERAS.filter((e) => tags.includes(e));
    return eras.length ? eras.map((version) => ({ scenario, version })) : [{ scenario, version: undefined }];
  });
}

/** expected-failures.yml: groups of `{ why, at?, expect: [scenario | scenario:check | prefix*] }`, each with its why. */
export function readExcuses(file) {
  const groups = parse(readFileSync(file, 'utf8')) ?? [];
  for (const g of groups)
    if (typeof g?.why !== 'string' || !g.why.trim() || !Array.isArray(g.expect) || !g.expect.length)
      throw new Error(`${file}: every group needs a why and a non-empty expect list`);
  return groups;
}

/** What the groups excuse in one run: `scenario` (all of it) or `scenario:check-id` entries. */
export function excusesFor(groups, { scenario, version }) {
  const entries = [];
  for (const g of groups) {
    if (g.at && !g.at.includes(version)) continue;
    for (const e of g.expect) {
      const i = e.indexOf(':'); // scenario names have no colon
      const [name, check] = i < 0 ? [e, undefined] : [e.slice(0, i), e.slice(i + 1)];
      const hit = name.endsWith('*') ? scenario.startsWith(name.slice(0, -1)) : name === scenario;
      if (hit) entries.push(check ? `${scenario}:${check}` : scenario);
    }
  }
  return entries;
}

/**
 * A run's verdict. The suite's exit status counts failed checks, warnings and mcpform's own
 * exit status; on top of it, a run that exercised nothing (no check succeeded) has not
 * passed, and the excuses cover only what they name: a whole scenario that does not pass, or
 * named checks (any other failure still fails the run). An excuse that is no longer needed
 * fails the run, so the list only shrinks.
 */
export function judge({ code, output, checks }, entries) {
  const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const good = checks.some((c) => c.status === 'SUCCESS');
  if (entries.some((e) => !e.includes(':')))
    return code === 0 && good
      ? { verdict: 'failed', why: 'passes now: take it out of scripts/conformance/expected-failures.yml' }
      : { verdict: 'expected' };
  const named = new Set(entries.map((e) => e.slice(e.indexOf(':') + 1)));
  const unexpected = [...new Set(bad.filter((c) => !named.has(c.id)).map((c) => c.id))];
  if (unexpected.length)
    return { verdict: 'failed', why: `${unexpected.join(', ')} ${unexpected.length > 1 ? 'fail' : 'fails'}` };
  const stale = [...named].filter(
    (id) => checks.some((c) => c.id === id && c.status === 'SUCCESS') && !bad.some((c) => c.id === id),
  );
  if (stale.length)
    return { verdict: 'failed', why: `${stale.join(', ')} passes now: take it out of expected-failures.yml` };
  if (/CLIENT EXITED WITH ERROR|CLIENT TIMED OUT/.test(output))
    return { verdict: 'failed', why: 'mcpform test failed' };
  if (bad.length) return { verdict: 'expected' };
  if (code !== 0) return { verdict: 'failed', why: `the suite exited with ${code}` };
  return good ? { verdict: 'passed' } : { verdict: 'failed', why: 'no check was exercised' };
}
