import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fingerprintOf } from '../../src/lock/fingerprint.js';
import { FIXTURES, sandbox, writeJson } from '../helpers.js';
import { SERVERS } from '../servers.js';
import { next, startWatch } from './watch-process.js';

const PY_SERVER = readFileSync(join(FIXTURES, 'dev', 'python-server.py'), 'utf8');
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();
const ZERO = `sha256:${'0'.repeat(64)}`;
/** What mcp.lock said some time ago: one tool, `gone`, that neither server has now. */
const staleDetails = { gone: { description: 'Old.', inputSchema: ZERO } };
// mcp.lock is verified: its fingerprint must be the one its own tool list gives.
const stale = { names: ['gone'], fingerprint: fingerprintOf(['gone'], staleDetails), details: staleDetails };

describe('mcpform watch and mcp.lock (rug-pull protection)', () => {
  it("records a dev server's new tools, printed; never a package's; a dev server whose entry and tools change at once is applied", async () => {
    const sb = sandbox();
    // The Python server offers a tool named by $EXTRA too, so mcp.yaml alone can change its tools.
    const script = sb.write(
      'weather/server.py',
      PY_SERVER.replace(
        /^TOOLS = \[/m,
        'TOOLS = ([{"name": os.environ["EXTRA"], "description": "Extra.", "inputSchema": {"type": "object"}}] if os.environ.get("EXTRA") else []) + [',
      ),
    );
    sb.write('weather/pyproject.toml', '[project]\nname = "weather"\n');
    const weather = (env: string) =>
      `  weather:\n    command: ${JSON.stringify(PYTHON)}\n    args: [${JSON.stringify(script)}]\n${env}`;
    // The memory server runs from node_modules: published code, whatever its path.
    const memory = `  memory:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(SERVERS.memory)}]\n`;
    sb.write('mcp.yaml', `version: 1\nservers:\n${weather('')}${memory}`);
    sb.write(
      'mcp.lock',
      `lockfileVersion: 1\nservers:\n  memory:\n    tools: ${JSON.stringify(stale)}\n  weather:\n    tools: ${JSON.stringify(stale)}\n`,
    );
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const before = readFileSync(sb.claudeConfig);
    const w = startWatch(sb);
    const { child } = w;
    const lock = () => parse(readFileSync(sb.path('mcp.lock'), 'utf8')).servers;
    try {
      const start = await next(w, /Not applied; fix the problem above and save again\./);
      expect(start).toContain('Watching the source of weather');
      expect(start).not.toMatch(/Watching the source of [^\n]*memory/);
      // The dev server: compared with mcp.lock, recorded, and said so.
      expect(start).toContain(
        'its tools changed since mcp.lock:\n    tool added: ping: Answers pong.\n    tool removed: gone',
      );
      expect(start).toContain('mcp.lock: recorded the new tools of weather');
      // The package: the apply fails on it and puts the file back; mcp.lock keeps what it had.
      expect(start).toContain('memory: its tools changed since mcp.lock recorded them');
      expect(start).not.toMatch(/recorded the (new )?tools of memory/);
      expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
      expect(lock().memory.tools.fingerprint).toBe(stale.fingerprint);
      expect(lock().weather.tools.names).toEqual(['ping']);

      // mcp.yaml changes the dev server's entry and, through it, its tools: applied.
      sb.write('mcp.yaml', `version: 1\nservers:\n${weather('    env: { EXTRA: forecast }\n')}`);
      const applied = await next(w, /\] Done\./);
      expect(applied).toContain('weather: its tools changed since mcp.lock recorded them');
      expect(applied).toContain('mcp.lock: recorded the new tools of weather (dev servers); applying again...');
      expect(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers.weather.env).toEqual({ EXTRA: 'forecast' });
      expect(lock().weather.tools.names).toEqual(['forecast', 'ping']);

      // A broken mcp.lock is reported on the next save, and watch goes on.
      const good = readFileSync(sb.path('mcp.lock'), 'utf8');
      writeFileSync(sb.path('mcp.lock'), 'lockfileVersion: [\n');
      writeFileSync(script, `${readFileSync(script, 'utf8')}\n# touched\n`);
      await next(w, /Not checked; watching for the next save\./);
      // The error itself goes to stderr, which may arrive before or after that line.
      for (let i = 0; i < 100 && !/Error: [^\n]*mcp\.lock/.test(w.out); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(w.out).toMatch(/Error: [^\n]*mcp\.lock/);
      writeFileSync(sb.path('mcp.lock'), good);
      writeFileSync(script, `${readFileSync(script, 'utf8')}\n# touched again\n`);
      expect(await next(w, /tools unchanged since the last check: forecast, ping/)).toContain('weather: ok');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
