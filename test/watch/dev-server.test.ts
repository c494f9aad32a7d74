import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, sandbox, writeJson, until, isAlive } from '../helpers.js';
import { next, startWatch, type Watch } from './watch-process.js';

const NODE_SERVER = readFileSync(join(FIXTURES, 'dev', 'node-server.mjs'), 'utf8');
const PY_SERVER = readFileSync(join(FIXTURES, 'dev', 'python-server.py'), 'utf8');
// The interpreter itself, not a pyenv shim: the client's PATH has no shims.
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();

async function interrupt(w: Watch): Promise<void> {
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGINT');
  await exited;
}

function stop(child: ChildProcess) {
  if (child.exitCode === null) child.kill('SIGKILL');
}

const tool = (name: string, description: string) =>
  `{ name: '${name}', description: '${description}', inputSchema: { type: 'object', properties: {} } },`;
const pyTool = (name: string, description: string) =>
  `{"name": "${name}", "description": "${description}", "inputSchema": {"type": "object"}},`;

describe('mcpform watch: a local Node server under development', () => {
  it('reports the new tool after a save, a syntax error with its stderr, the recovery; Ctrl-C mid-check leaves no server behind', async () => {
    const sb = sandbox();
    const pids = join(sb.dir, 'pids');
    mkdirSync(pids);
    const script = sb.write('notes/server.mjs', NODE_SERVER);
    sb.write('notes/package.json', JSON.stringify({ name: 'notes', type: 'module', bin: 'server.mjs' }));
    symlinkSync(join(ROOT, 'node_modules'), sb.path('notes/node_modules'));
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  notes:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(script)}]\n    env: { PID_DIR: ${JSON.stringify(pids)} }\n`,
    );
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const w = startWatch(sb);
    try {
      const start = await next(w, /Done\./);
      expect(start).toContain(`Watching the source of notes (${sb.path('notes')})`);
      expect(start).toMatch(/notes: ok \(.*1 tool,/);

      const saved = Date.now();
      writeFileSync(script, NODE_SERVER.replace('const TOOLS = [', `const TOOLS = [\n  ${tool('echo', 'Echoes.')}`));
      const added = await next(w, /Claude Desktop starts servers only when it starts[^\n]*\n/);
      console.log(`node: save to report ${Date.now() - saved} ms`);
      expect(added).toContain('source of notes changed');
      expect(added).toMatch(/notes: ok \(.*2 tools.*s after the save/);
      expect(added).toContain('its tools changed since the last check:\n    tool added: echo: Echoes.');
      expect(added).toContain('mcp.lock: recorded the new tools of notes');
      expect(added).toContain('restart it to load the new notes (or run watch with --restart-client)');
      expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toContain('echo');

      writeFileSync(script, NODE_SERVER.replace('const TOOLS = [', 'const TOOLS = [;'));
      const broken = await next(w, /Not reloaded in the client: [^\n]* fails its check; watching for the next save\./);
      expect(broken).toMatch(/notes: FAIL at (startup|initialize)/);
      expect(broken).toContain('stderr (last lines):');
      expect(broken).toContain('SyntaxError');

      writeFileSync(
        script,
        NODE_SERVER.replace('const TOOLS = [', `const TOOLS = [\n  ${tool('echo', 'Echoes the text.')}`),
      );
      const recovered = await next(w, /restart it to load the new notes[^\n]*\n/);
      expect(recovered).toMatch(/notes: ok \(.*2 tools/);
      // Against the last passing check, not the broken one.
      expect(recovered).toContain('description changed: echo: Echoes {+the text+}.');

      // A save that hangs at start, then a fix: the stale check is cut short, not waited out.
      const hanging = NODE_SERVER.replace(
        'const server =',
        'await new Promise((r) => setTimeout(r, 30_000));\nconst server =',
      );
      let count = readdirSync(pids).length;
      writeFileSync(script, hanging);
      await until('the hanging server to start', () => readdirSync(pids).length > count);
      writeFileSync(script, NODE_SERVER);
      const fixed = await next(w, /restart it to load the new notes[^\n]*\n/, 20_000);
      expect(fixed).toContain('notes: check cut short by a newer save');
      expect(fixed).toContain('tool removed: echo');

      // A save whose check is still running when Ctrl-C comes.
      count = readdirSync(pids).length;
      writeFileSync(script, hanging);
      await until('the slow server to start', () => readdirSync(pids).length > count);
      await interrupt(w);
      const started = readdirSync(pids).map(Number);
      expect(started.length).toBeGreaterThanOrEqual(6);
      await until('every server process to be gone', () => started.every((p) => !isAlive(p)), 5000);
    } finally {
      stop(w.child);
    }
  });
});

describe('mcpform watch: a local Python server under development, --restart-client', () => {
  it('reports the new tool, restarts the client only after passing checks, recovers from a syntax error', async () => {
    const sb = sandbox();
    const pids = join(sb.dir, 'pids');
    mkdirSync(pids);
    const script = sb.write('weather/server.py', PY_SERVER);
    sb.write('weather/pyproject.toml', '[project]\nname = "weather"\nversion = "0.1.0"\n');
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  weather:\n    command: ${JSON.stringify(PYTHON)}\n    args: [${JSON.stringify(script)}]\n    env: { PID_DIR: ${JSON.stringify(pids)} }\n`,
    );
    writeJson(sb.claudeConfig, { mcpServers: {} });
    // A stand-in for the OS commands that quit and reopen Claude Desktop: a real program that
    // records how it was called (and, as ps, lists no running app).
    const calls = join(sb.dir, 'client-calls.log');
    const fake = join(sb.dir, 'fake-client');
    writeFileSync(fake, `#!/bin/sh\necho "$*" >> '${calls}'\nexit 0\n`);
    chmodSync(fake, 0o755);
    const recorded = () => {
      try {
        return readFileSync(calls, 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    };
    const w = startWatch(sb, ['--restart-client'], { MCPFORM_CLIENT_EXEC: fake });
    try {
      const start = await next(w, /Done\./);
      expect(start).toContain(`Watching the source of weather (${sb.path('weather')})`);
      expect(start).toMatch(/weather: ok \(.*1 tool,/);
      expect(recorded()).toEqual([]); // nothing changed yet: no restart at start

      const saved = Date.now();
      writeFileSync(
        script,
        PY_SERVER.replace('TOOLS = [', `TOOLS = [\n    ${pyTool('forecast', 'Tells the weather.')}`),
      );
      const added = await next(w, /Restarted Claude Desktop[^\n]*\n/);
      console.log(`python: save to report ${Date.now() - saved} ms`);
      expect(added).toContain('tool added: forecast: Tells the weather.');
      await until('the reopened app', () => recorded().length === 3);
      const ps = 'ps -A -o pid= -o uid= -o ucomm=';
      expect(recorded()).toEqual([ps, ps, 'claude-desktop']);

      writeFileSync(script, PY_SERVER.replace('TOOLS = [', 'TOOLS = [[\ndef broken(:'));
      const broken = await next(w, /Not reloaded in the client: [^\n]* fails its check; watching for the next save\./);
      expect(broken).toMatch(/weather: FAIL at (startup|initialize)/);
      expect(broken).toContain('SyntaxError');
      expect(recorded()).toHaveLength(3); // never restarted after a failing check

      // Saved the way many editors save: a new file renamed over the old one.
      writeFileSync(`${script}.tmp`, PY_SERVER);
      renameSync(`${script}.tmp`, script);
      const recovered = await next(w, /Restarted Claude Desktop[^\n]*\n/);
      expect(recovered).toContain('tool removed: forecast');
      await until('the second restart', () => recorded().length === 6);

      await interrupt(w);
      const started = readdirSync(pids).map(Number);
      expect(started.length).toBeGreaterThanOrEqual(3);
      await until('every server process to be gone', () => started.every((p) => !isAlive(p)), 5000);
    } finally {
      stop(w.child);
    }
  });
});
