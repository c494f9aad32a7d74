// npm run test:conformance [-- SCENARIO...] — every client scenario of the official MCP
// conformance suite, at each protocol era it applies to, against `mcpform test`
// (client.mjs). Prints one line per run and a summary; exits 1 if any run failed.
// --summary FILE writes the counts as JSON (for .ci/run's combined line).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { installTools } from './install.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The protocol eras mcpform speaks: a scenario runs once at each of these it applies to. */
const ERAS = ['2025-11-25', '2026-07-28'];

const args = process.argv.slice(2);
const summaryAt = args.indexOf('--summary');
const summaryFile = summaryAt >= 0 ? args.splice(summaryAt, 2)[1] : undefined;
const only = new Set(args);

const { suite, node } = installTools();
const scenarios = listScenarios();
const unknown = [...only].filter((name) => !scenarios.some((s) => s.scenario === name));
if (unknown.length)
  fail(`no client scenario named ${unknown.join(', ')}; there are: ${scenarios.map((s) => s.scenario).join(' ')}`);
const runs = planRuns(scenarios).filter((r) => !only.size || only.has(r.scenario));
const expected = loadExpected(join(HERE, 'expected-failures.yml'));

const out = mkdtempSync(join(tmpdir(), 'mcpform-conformance-results-'));
const jobs = Number(process.env.MCPFORM_CONFORMANCE_JOBS) || Math.min(2, cpus().length);
const started = Date.now();
const results = await pool(runs, jobs, (run, i) => runOne(run, join(out, String(i))));

const count = (v) => results.filter((r) => r.verdict === v).length;
const summary = { passed: count('passed'), failed: count('failed'), expected: count('expected') };
for (const r of results.filter((r) => r.verdict === 'failed')) console.log(`\n--- ${r.label} (${r.log})\n${r.tail}`);
console.log(
  `\nconformance: ${summary.passed} passed, ${summary.failed} failed, ${summary.expected} expected failures ` +
    `(scripts/conformance/expected-failures.yml) in ${Math.round((Date.now() - started) / 1000)} s`,
);
if (summaryFile) writeFileSync(summaryFile, JSON.stringify(summary));
if (!summary.failed) rmSync(out, { recursive: true, force: true });
process.exitCode = summary.failed ? 1 : 0;

/** Client scenarios with the spec versions each applies to, from the suite's own list. */
function listScenarios() {
  const listed = spawnSync(node, [suite, 'list', '--client'], { encoding: 'utf8' });
  if (listed.status !== 0) fail(`the suite could not list its scenarios: ${listed.stderr}`);
  const scenarios = [...listed.stdout.matchAll(/^\s*- (\S+) \[([^\]]*)\]/gm)].map((m) => ({
    scenario: m[1],
    tags: m[2].split(',').map((t) => t.trim()),
  }));
  if (!scenarios.length) fail(`the suite listed no client scenario:\n${listed.stdout}`);
  return scenarios;
}

/** One run per era a scenario applies to; one at the suite's own choice for the others (extensions, older revisions). */
function planRuns(scenarios) {
  return scenarios.flatMap(({ scenario, tags }) => {
    const eras = ERAS.filter((e) => tags.includes(e));
    return eras.length ? eras.map((version) => ({ scenario, version })) : [{ scenario, version: undefined }];
  });
}

/**
 * expected-failures.yml: groups of `{ why, at?, expect: [scenario | scenario:check | prefix*] }`.
 * Returns the suite's baseline entries for one run, if any.
 */
function loadExpected(file) {
  const groups = parse(readFileSync(file, 'utf8')) ?? [];
  return ({ scenario, version }) => {
    const entries = [];
    for (const g of groups) {
      if (!g.why || !Array.isArray(g.expect)) fail(`${file}: every group needs why and expect`);
      if (g.at && !g.at.includes(version ?? 'other')) continue;
      for (const e of g.expect) {
        const [name, check] = splitEntry(e);
        const hit = name.endsWith('*') ? scenario.startsWith(name.slice(0, -1)) : name === scenario;
        if (hit) entries.push(check ? `${scenario}:${check}` : scenario);
      }
    }
    return entries;
  };
}

/** 'auth/x:check-id' -> ['auth/x', 'check-id']; scenario names have no colon. */
function splitEntry(entry) {
  const i = entry.indexOf(':');
  return i < 0 ? [entry, undefined] : [entry.slice(0, i), entry.slice(i + 1)];
}

async function runOne(run, dir) {
  mkdirSync(dir, { recursive: true });
  const label = `${run.scenario}${run.version ? ` @${run.version}` : ''}`;
  const command = [process.execPath, join(HERE, 'client.mjs')].map((p) => `'${p.replaceAll("'", `'\\''`)}'`);
  const argv = [suite, 'client', '--scenario', run.scenario, '--command', command.join(' '), '-o', join(dir, 'out')];
  if (run.version) argv.push('--spec-version', run.version);
  const log = join(dir, 'log.txt');
  const { code, output } = await capture(node, argv);
  writeFileSync(log, output);
  const { verdict, why } = judge({ code, output, checks: readChecks(join(dir, 'out')) }, expected(run));
  const mark = { passed: 'ok', failed: 'FAIL', expected: 'xfail' }[verdict];
  console.log(`${mark.padEnd(5)} ${label}${verdict === 'failed' ? `: ${why}` : ''}`);
  const failedChecks = output.indexOf('Failed Checks:');
  const detail = failedChecks >= 0 ? output.slice(failedChecks) : output.split('\n').slice(-25).join('\n');
  return { label, verdict, log, tail: detail.trim() };
}

/**
 * A run's verdict. The suite's exit status counts failed checks, warnings and mcpform's own
 * exit status; on top of it, a run that exercised nothing (no check succeeded) has not
 * passed, and expected-failures.yml excuses only what it names: a whole scenario that does
 * not pass, or named checks (any other failure still fails the run). An entry that passes
 * now fails the run, so the list only shrinks.
 */
function judge({ code, output, checks }, entries) {
  const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const good = checks.some((c) => c.status === 'SUCCESS');
  const passes = code === 0 && good;
  if (entries.some((e) => !e.includes(':'))) {
    return passes
      ? { verdict: 'failed', why: 'passes now: take it out of scripts/conformance/expected-failures.yml' }
      : { verdict: 'expected' };
  }
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

function readChecks(dir) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name === 'checks.json') found.push(...JSON.parse(readFileSync(join(d, e.name), 'utf8')));
    }
  };
  try {
    walk(dir);
  } catch {
    // no results written: the run's exit status says why
  }
  return found;
}

function capture(cmd, argv) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ code: -1, output: `${output}\n${err.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function pool(items, size, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

function fail(message) {
  console.error(`conformance: ${message}`);
  process.exit(1);
}
