// npm run test:conformance [-- SCENARIO...] — every client scenario of the official MCP
// conformance suite, at each protocol era it applies to, against `mcpform test`
// (client.mjs). Prints one line per run and a summary; exits 1 if any run failed.
// --summary FILE writes the counts as JSON (for .ci/run's combined line).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTools } from './install.mjs';
import { excusesFor, judge, parseScenarioList, planRuns, readExcuses } from './verdict.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

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
const groups = readExcuses(join(HERE, 'expected-failures.yml'));

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
if (summaryFile) {
  mkdirSync(dirname(summaryFile), { recursive: true });
  writeFileSync(summaryFile, JSON.stringify(summary));
}
if (!summary.failed) rmSync(out, { recursive: true, force: true });
process.exitCode = summary.failed ? 1 : 0;

/** Client scenarios with the spec versions each applies to, from the suite's own list. */
function listScenarios() {
  const listed = spawnSync(node, [suite, 'list', '--client'], { encoding: 'utf8' });
  if (listed.status !== 0) fail(`the suite could not list its scenarios: ${listed.stderr}`);
  const scenarios = parseScenarioList(listed.stdout);
  if (!scenarios.length) fail(`the suite listed no client scenario:\n${listed.stdout}`);
  return scenarios;
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
  const { verdict, why } = judge({ code, output, checks: readChecks(join(dir, 'out')) }, excusesFor(groups, run));
  const mark = { passed: 'ok', failed: 'FAIL', expected: 'xfail' }[verdict];
  console.log(`${mark.padEnd(5)} ${label}${verdict === 'failed' ? `: ${why}` : ''}`);
  const failedChecks = output.indexOf('Failed Checks:');
  const detail = failedChecks >= 0 ? output.slice(failedChecks) : output.split('\n').slice(-25).join('\n');
  return { label, verdict, log, tail: detail.trim() };
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
