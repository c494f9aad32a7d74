// npm run bench: wall-clock figures for the CLI as users run it (cold processes).
// A benchmark, not a test: it prints numbers (and the start-up budgets) and never fails on them.
// `--quick`: the start-up rows only. bench/node22.sh runs it on Node 22.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.mcpform);
const quick = process.argv.includes('--quick');
const work = mkdtempSync(join(tmpdir(), 'mcpform-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: join(work, 'home'),
  MCPFORM_STATE_DIR: join(work, 'state'),
  MCPFORM_CLAUDE_DESKTOP_CONFIG: join(work, 'home', 'claude_desktop_config.json'),
  NO_COLOR: '1',
};
mkdirSync(env.HOME, { recursive: true });

// This machine is shared: its speed drifts by tens of percent within a minute. So each run of
// a command is paired with a run of bare `node -e 0` just before it, and a row's ratio is
// against the median of its own pairs, not against one figure taken at the start.
let pairedNode = 0;
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function once(args, cwd, runEnv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env: runEnv, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
function time(args, { runs = 15, cwd = root, env: runEnv = env } = {}) {
  const samples = [];
  const nodes = [];
  for (let i = 0; i < runs; i++) {
    nodes.push(once(['-e', '0'], cwd, runEnv));
    samples.push(once(args, cwd, runEnv));
  }
  pairedNode = median(nodes);
  return median(samples);
}

export function generate(servers, environments) {
  const lines = ['version: 1', 'defaultEnvironment: env0', 'servers:'];
  for (let i = 0; i < servers; i++) {
    lines.push(
      `  server${i}:`,
      '    command: npx',
      `    args: ["-y", "@example/server-${i}", "--port", "${4000 + i}"]`,
      `    env: { LOG_LEVEL: info, INDEX: "${i}" }`,
    );
  }
  lines.push('environments:');
  for (let e = 0; e < environments; e++) {
    lines.push(
      `  env${e}:`,
      e === 0
        ? `    servers: [${Array.from({ length: servers }, (_, i) => `server${i}`).join(', ')}]`
        : `    extends: env${e - 1}`,
    );
    if (e > 0) lines.push('    overrides:', `      server${e}: { env: { LOG_LEVEL: debug } }`);
  }
  return `${lines.join('\n')}\n`;
}

const rows = [];
// base: a bare-node time to compare with, or a note to print beside the figure.
// A number as base (node0) means: against the node runs paired with this row's (see time()).
// budget: the most that row may cost, in bare nodes (issue 21); printed, never enforced.
const row = (what, ms, base, budget) => {
  const ratio = ms / pairedNode;
  const verdict = budget ? `  budget ${budget}x: ${ratio <= budget ? 'ok' : 'OVER'}` : '';
  rows.push([
    what,
    `${ms.toFixed(1)} ms`,
    typeof base === 'string' ? base : base ? `${ratio.toFixed(2)}x node (${pairedNode.toFixed(1)})${verdict}` : '',
  ]);
};
const node0 = time(['-e', '0']);
row('node -e 0 (bare start)', node0);
const examples = ['simple', 'development', 'production', 'authenticated', 'team/frontend'];
for (const ex of examples)
  row(`validate examples/${ex}`, time([cli, 'validate', '-f', `examples/${ex}/mcp.yaml`]), node0);

const ten = join(work, 'ten.mcp.yaml');
writeFileSync(ten, generate(10, 2));
row('validate 10 servers', time([cli, 'validate', '-f', ten]), node0);
// Cold plan, one JSON target with a real-shaped file: reads, parses (jsonc-parser) and diffs it.
writeFileSync(env.MCPFORM_CLAUDE_DESKTOP_CONFIG, '{\n  "mcpServers": {\n    "server0": { "command": "npx" }\n  }\n}\n');
row('plan 10 servers, one target (claude-desktop)', time([cli, 'plan', '-f', ten]), node0, 2);
// What Node's compile cache buys (nothing before Node 22.1, which has none).
row(
  'plan 10 servers, one target, MCPFORM_NO_CACHE=1',
  time([cli, 'plan', '-f', ten], { env: { ...env, MCPFORM_NO_CACHE: '1' } }),
  node0,
);
// Cold plan, seven JSON/JSONC targets, each client file present (Zed's is a whole settings file).
const seven = join(work, 'seven.mcp.yaml');
writeFileSync(
  seven,
  generate(10, 2).replace(
    'version: 1\n',
    'version: 1\ntargets: [claude-desktop, claude-code, cursor, vscode, zed, opencode, gemini-cli]\n',
  ),
);
for (const [rel, text] of [
  [
    '.claude.json',
    '{ "numStartups": 1, "projects": {}, "mcpServers": { "server0": { "type": "stdio", "command": "npx" } } }',
  ],
  ['.cursor/mcp.json', '{ "mcpServers": {} }'],
  ['.config/Code/User/mcp.json', '// mine\n{ "inputs": [], "servers": {} }'],
  ['.config/zed/settings.json', '// Zed\n{ "theme": "One Dark", "buffer_font_size": 15, "context_servers": {} }'],
  ['.config/opencode/opencode.json', '{ "$schema": "https://opencode.ai/config.json", "mcp": {} }'],
  ['.gemini/settings.json', '{ "theme": "GitHub", "mcpServers": {} }'],
]) {
  mkdirSync(dirname(join(env.HOME, rel)), { recursive: true });
  writeFileSync(join(env.HOME, rel), `${text}\n`);
}
row('plan 10 servers, seven targets', time([cli, 'plan', '-f', seven]), node0, 2.5);
// The everyday case: the same plan after an apply, with ownership recorded ("No changes.").
// Local `node` servers, so apply resolves nothing from a registry; --no-test starts none. Its
// own client file and state dir: the later rows must not see these servers as another's.
{
  const applied = join(work, 'applied', 'mcp.yaml');
  const own = {
    ...env,
    MCPFORM_STATE_DIR: join(work, 'applied', 'state'),
    MCPFORM_CLAUDE_DESKTOP_CONFIG: join(work, 'applied', 'claude_desktop_config.json'),
  };
  mkdirSync(dirname(applied), { recursive: true });
  writeFileSync(
    applied,
    generate(10, 2).replace(
      /command: npx\n {4}args: \["-y", "@example\/(server-\d+)"/g,
      'command: node\n    args: ["/opt/$1.js"',
    ),
  );
  writeFileSync(own.MCPFORM_CLAUDE_DESKTOP_CONFIG, '{ "mcpServers": {} }\n');
  const r = spawnSync(process.execPath, [cli, 'apply', '--yes', '--no-test', '-f', applied], {
    env: own,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`apply for the bench exited ${r.status}: ${r.stderr}`);
  row('plan 10 servers, one target, after apply', time([cli, 'plan', '-f', applied], { env: own }), node0);
}
for (const n of quick ? [] : [1000, 2000]) {
  const f = join(work, `big${n}.mcp.yaml`);
  writeFileSync(f, generate(n, 10));
  row(`validate ${n} servers x 10 envs`, time([cli, 'validate', '-f', f], { runs: 5 }), node0);
}

for (const f of (await import('node:fs'))
  .readdirSync(join(root, 'bench'))
  .filter((f) => !quick && f.startsWith('stage-') && f.endsWith('.mjs'))
  .sort()) {
  await (await import(join(root, 'bench', f))).default({ time, row, node0, work, cli, env, generate, root });
}

const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
console.log(`mcpform bench (median wall time, cold process, ${process.version})`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c}`);
rmSync(work, { recursive: true, force: true });
