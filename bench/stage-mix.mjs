// test on a mix of real servers, side by side with mcporter (a peer tool, devDependency):
// Node stdio (server-memory, server-everything), a Python stdio server, streamable HTTP and
// SSE (server-everything on loopback, started once for both tools) and one that fails at
// start. The same servers in both tools' configs; runs alternate so both see the same load.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_MIX_RUNS) || 5;

export default async function ({ row, work, cli, env, root }) {
  const mcporter = join(root, 'node_modules', '.bin', 'mcporter');
  if (!existsSync(mcporter)) return row('test mix vs mcporter list', 0, 'skipped: mcporter is not installed');
  const python = pythonExecutable();
  if (!python) return row('test mix vs mcporter list', 0, 'skipped: no python3');
  const mcp = join(root, 'node_modules', '@modelcontextprotocol');
  const everything = join(mcp, 'server-everything', 'dist', 'index.js');
  const servers = [];
  try {
    const http = await startHttp(everything, 'streamableHttp', servers);
    const sse = await startHttp(everything, 'sse', servers);
    const fixtures = join(root, 'test', 'fixtures', 'servers');
    const stdio = {
      memory: {
        command: process.execPath,
        args: [join(mcp, 'server-memory', 'dist', 'index.js')],
        env: { MEMORY_FILE_PATH: join(work, 'mix-memory.jsonl') },
      },
      everything: { command: process.execPath, args: [everything, 'stdio'], env: {} },
      python: { command: python, args: [join(fixtures, 'py-server.py')], env: {} },
      broken: { command: process.execPath, args: [join(fixtures, 'exits-at-once.mjs')], env: {} },
    };
    const yaml = ['version: 1', 'servers:'];
    for (const [name, s] of Object.entries(stdio))
      yaml.push(
        `  ${name}:`,
        `    command: ${JSON.stringify(s.command)}`,
        `    args: ${JSON.stringify(s.args)}`,
        `    env: ${JSON.stringify(s.env)}`,
      );
    yaml.push('  http:', `    url: ${http}`, '  sse:', `    url: ${sse}`, '    transport: sse');
    const mcpYaml = join(work, 'mix.mcp.yaml');
    writeFileSync(mcpYaml, `${yaml.join('\n')}\n`);
    const porterConfig = join(work, 'mcporter.json');
    writeFileSync(
      porterConfig,
      JSON.stringify(
        { mcpServers: { ...stdio, http: { baseUrl: http }, sse: { baseUrl: sse } }, imports: [] },
        null,
        2,
      ),
    );
    const porterHome = join(work, 'mcporter-home');
    mkdirSync(porterHome, { recursive: true });

    const ours = [];
    const theirs = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(
        timed(
          process.execPath,
          [cli, 'test', '-f', mcpYaml, '--json'],
          { ...env, CI: '1' },
          (r) => r.status === 1 && JSON.parse(r.stdout).results.filter((x) => x.ok).length === 5,
        ),
      );
      theirs.push(
        timed(
          mcporter,
          ['list', '--config', porterConfig],
          { PATH: env.PATH, HOME: porterHome, NO_COLOR: '1', CI: '1' },
          (r) => /5 healthy; 1 offline/.test(r.stdout + r.stderr),
        ),
      );
    }
    const a = median(ours);
    const b = median(theirs);
    // On a shared machine one run can be slowed by anything: the fastest runs say the same
    // more steadily.
    const best = `fastest ${Math.min(...ours).toFixed(0)} vs ${Math.min(...theirs).toFixed(0)} ms = ${(Math.min(...ours) / Math.min(...theirs)).toFixed(2)}x`;
    row(`test mix: mcporter list (6 servers, median of ${RUNS})`, b);
    row(`test mix: mcpform test (same 6 servers)`, a, `${(a / b).toFixed(2)}x mcporter (aim <= 0.6); ${best}`);
  } finally {
    for (const child of servers) child.kill('SIGKILL');
  }
}

function timed(command, args, env, ok) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, encoding: 'utf8', timeout: 120_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!ok(r))
    throw new Error(`${command} ${args.join(' ')} did not check the mix as expected:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** The interpreter itself, not a version manager's shim (pyenv's costs both tools a shell start). */
function pythonExecutable() {
  try {
    return (
      execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

async function startHttp(entry, mode, started) {
  const port = await freePort();
  const child = spawn(process.execPath, [entry, mode], {
    env: { PATH: process.env.PATH, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.push(child);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`everything ${mode} did not start`)), 30_000);
    child.stderr.on('data', (d) => {
      if (/listening|running/i.test(String(d))) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`everything ${mode} exited ${code}`)));
  });
  return `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
