// The conformance suite's client under test: `node client.mjs <server-url>`. It writes the
// mcp.yaml a user would write for that server (what the scenario wants called, as test.call)
// and runs `mcpform test` on it in a sandbox: its own HOME, XDG dirs and state dir.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { serversFor } from './scenarios.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The binary as package.json names it, so a moved build output needs no change here. */
function mcpformBin() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.mcpform;
  return join(ROOT, bin);
}

const url = process.argv.at(-1);
if (!url || !/^https?:\/\//.test(url)) {
  console.error('usage: client.mjs <server-url> (the conformance suite appends it)');
  process.exit(2);
}
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};

const dir = mkdtempSync(join(tmpdir(), 'mcpform-conformance-'));
try {
  const home = join(dir, 'home');
  const project = join(dir, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'mcp.yaml'), stringify({ version: 1, servers: serversFor(scenario, url, context) }));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    MCPFORM_STATE_DIR: join(dir, 'state'),
    NO_COLOR: '1',
  };
  const run = spawnSync(process.execPath, [mcpformBin(), 'test'], { cwd: project, env, stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
