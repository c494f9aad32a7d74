// npm run test:clients [-- CLIENT...] — real MCP clients, pinned in scripts/clients/package.json,
// read what mcpform writes (docs/clients-stage.md). Per client, two sandboxes:
//  apply:  the client's own `mcp add` makes hand-* servers, then `mcpform apply` writes mf-*
//          (stdio, stdio with env, streamable HTTP on loopback); the client is asked for every
//          one: present, fields, connected (where it checks), hand-made ones kept;
//  import: the client's own `mcp add` makes hand-*; `mcpform init --import` then `plan` must
//          say "No changes.".
// Prints one line per client and a summary; exits 1 if any check failed. --summary FILE
// writes the counts as JSON (for .ci/run's combined line).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { fieldDifferences, scenario, shapeDifferences } from './checks.mjs';
import { installClients, pins } from './install.mjs';
import { makeSandbox, MCPFORM } from './sandbox.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const MEMORY = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
// In the order the stage runs them; each file says how its client is driven (or why it is not).
const CLIENTS = ['claude-code', 'codex', 'gemini-cli', 'opencode', 'cline', 'continue', 'qwen-code', 'copilot'];
const CHECKS = ['present', 'fields', 'connected', 'kept', 'import'];

const args = process.argv.slice(2);
const summaryAt = args.indexOf('--summary');
const summaryFile = summaryAt >= 0 ? args.splice(summaryAt, 2)[1] : undefined;
const unknown = args.filter((a) => !CLIENTS.includes(a));
if (unknown.length) fail(`no client named ${unknown.join(', ')}; there are: ${CLIENTS.join(' ')}`);
if (!existsSync(MCPFORM)) fail(`${MCPFORM} is missing: run npm run build first`);
const chosen = args.length ? CLIENTS.filter((c) => args.includes(c)) : CLIENTS;

const started = Date.now();
const installed = installClients();
const versions = pins();
const work = mkdtempSync(join(tmpdir(), 'mcpform-clients-'));
const http = await startHttpServer();
const counts = { passed: 0, failed: 0, skipped: 0 };
try {
  for (const name of chosen) {
    const { default: client } = await import(`./${name}.mjs`);
    const version = versions[client.package];
    if (client.unsupported) {
      counts.skipped += CHECKS.length;
      console.log(`skip  ${name} ${version}: ${client.unsupported}`);
      continue;
    }
    const bin = join(installed, 'node_modules', '.bin', client.bin);
    const row = checkClient(name, client, bin);
    for (const check of CHECKS)
      counts[row[check].ok === true ? 'passed' : row[check].ok === false ? 'failed' : 'skipped']++;
    const failed = CHECKS.filter((c) => row[c].ok === false);
    const cell = (c) => `${c} ${row[c].ok === true ? 'ok' : row[c].ok === false ? 'FAIL' : 'n/a'}`;
    console.log(`${failed.length ? 'FAIL' : 'ok'}    ${name} ${version}: ${CHECKS.map(cell).join(', ')}`);
    for (const c of CHECKS) if (row[c].ok !== true && row[c].detail) console.log(`        ${c}: ${row[c].detail}`);
    for (const [kind, diff] of Object.entries(row.shape))
      console.log(`        its own mcp add, ${kind}: ${diff.length ? diff.join(', ') : 'same shape as mcpform'}`);
    if (failed.length) console.log(`        logs: ${row.logs}`);
  }
} finally {
  http.child.kill();
}
console.log(
  `\nclients: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (not applicable) ` +
    `in ${Math.round((Date.now() - started) / 1000)} s`,
);
if (summaryFile) {
  mkdirSync(dirname(summaryFile), { recursive: true });
  writeFileSync(summaryFile, JSON.stringify(counts));
}
if (!counts.failed && !process.env.MCPFORM_CLIENTS_KEEP) rmSync(work, { recursive: true, force: true });
process.exitCode = counts.failed ? 1 : 0;

function checkClient(name, client, bin) {
  const row = { shape: {} };
  const env = client.env ?? (() => ({}));

  // The client's own servers first, then mcpform's beside them.
  const a = makeSandbox(work, `${name}-apply`, env);
  const { managed, hand } = scenario({ memoryServer: MEMORY, url: http.url, dir: a.dir, ...client });
  const addFailures = addAll(client, a, bin, hand);
  client.prepare?.(a);
  writeFileSync(join(a.project, 'mcp.yaml'), stringify({ version: 1, targets: [client.target], servers: managed }));
  const applied = a.mcpform(['apply', '--yes']);
  const names = [...Object.keys(managed), ...Object.keys(hand)];
  // The file as written, before the client is asked (Cline's only question edits its file).
  const raw = applied.code === 0 ? client.raw(a) : {};
  for (const kind of Object.keys(hand).map((n) => n.slice('hand-'.length)))
    if (raw[`hand-${kind}`] && raw[`mf-${kind}`])
      row.shape[kind] = shapeDifferences(raw[`hand-${kind}`], raw[`mf-${kind}`]);
  const got = applied.code === 0 ? client.read(a, bin, names) : {};
  const missing = Object.keys(managed).filter((n) => !got[n]);
  row.present =
    applied.code !== 0
      ? { ok: false, detail: `mcpform apply failed (exit ${applied.code}): ${lastLines(applied)}` }
      : verdict(missing.map((n) => `${n} not listed`));
  // A client that cannot print its entries (fields: false) vouches for their presence only.
  const fieldsOf = (want, n) =>
    client.fields === false ? [] : fieldDifferences(want, got[n]).map((d) => `${n}: ${d}`);
  row.fields =
    client.fields === false
      ? { ok: null }
      : verdict(
          Object.entries(managed).flatMap(([n, want]) => (got[n] ? fieldsOf(want, n) : [])),
          !missing.length || Object.keys(got).length > 0,
        );
  row.connected = client.health
    ? verdict(
        names.filter((n) => got[n] && got[n].status !== 'connected').map((n) => `${n}: ${got[n].status}`),
        Object.keys(got).length > 0,
      )
    : { ok: null };
  row.kept = verdict([
    ...addFailures,
    ...Object.entries(hand).flatMap(([n, want]) => (got[n] ? fieldsOf(want, n) : [`${n} not listed after apply`])),
  ]);

  // The reverse: what the client wrote imports, and plans as nothing to do.
  const b = makeSandbox(work, `${name}-import`, env);
  const own = scenario({ memoryServer: MEMORY, url: http.url, dir: b.dir, ...client }).hand;
  const importFailures = addAll(client, b, bin, own);
  const init = b.mcpform(['init', '--import', '--target', client.target]);
  const imported =
    init.code === 0 ? Object.keys(parse(readFileSync(join(b.project, 'mcp.yaml'), 'utf8'))?.servers ?? {}) : [];
  const plan = init.code === 0 ? b.mcpform(['plan', '--detailed-exitcode']) : undefined;
  row.import = verdict([
    ...importFailures,
    ...(init.code !== 0 ? [`init --import failed (exit ${init.code}): ${lastLines(init)}`] : []),
    ...Object.keys(own)
      .filter((n) => init.code === 0 && !imported.includes(n))
      .map((n) => `${n} not imported`),
    ...(plan && !(plan.code === 0 && /No changes\./.test(plan.stdout))
      ? [`plan is not a no-op (exit ${plan.code}): ${lastLines(plan, 12)}`]
      : []),
  ]);

  row.logs = join(work, `${name}.log`);
  writeFileSync(row.logs, [...a.log, ...b.log].join('\n'));
  return row;
}

function addAll(client, sb, bin, servers) {
  return Object.entries(servers).flatMap(([n, server]) => {
    const r = client.add(sb, bin, n, server);
    return r.code === 0 ? [] : [`its own mcp add ${n} failed (exit ${r.code}): ${lastLines(r)}`];
  });
}

/** ok when there is no problem; a check that could not run at all (`ran` false) fails too. */
function verdict(problems, ran = true) {
  if (!ran) return { ok: false, detail: 'nothing to check: the client listed no server' };
  return problems.length ? { ok: false, detail: problems.join('; ') } : { ok: true };
}

function lastLines(r, n = 4) {
  return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-n).join(' | ');
}

/** The loopback streamable-HTTP server every client is pointed at, in its own process. */
function startHttpServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'http-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.setEncoding('utf8').on('data', (line) => {
      const m = /^listening (\S+)/.exec(line);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`the HTTP server exited (${code}) before listening`)));
  });
}

function fail(message) {
  console.error(`clients: ${message}`);
  process.exit(1);
}
