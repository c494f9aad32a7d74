import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson } from '../helpers.js';
import { fixture, SERVERS } from '../servers.js';

/** The sandbox env without the path overrides: each client at its own place (in the temp HOME). */
function ownPaths(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of Object.keys(out)) if (/^MCPFORM_.*_CONFIG$/.test(k)) delete out[k];
  return out;
}

const memory = (dir: string, command = process.execPath) => `  memory:
    command: ${JSON.stringify(command)}
    args: [${JSON.stringify(SERVERS.memory)}]
    env: { MEMORY_FILE_PATH: ${JSON.stringify(join(dir, 'memory.jsonl'))} }
`;

describe('JSON clients end to end (real health checks)', () => {
  it('vscode + zed + claude-code (project): apply checks memory, plan is "No changes." for each, test --live reads vscode', async () => {
    const sb = sandbox();
    sb.write(
      'mcp.yaml',
      `version: 1\ntargets: { vscode: null, zed: null, claude-code: { scope: project } }\nservers:\n${memory(sb.dir)}`,
    );
    // Zed's whole settings file, with comments: everything but context_servers stays.
    const zedFile = sb.write(
      '../home/.config/zed/settings.json',
      '// Zed\n{\n  "theme": "One Dark", // mine\n  "context_servers": {}\n}\n',
    );
    const env = ownPaths(sb.env);
    const cwd = sb.path('');
    const r = await runCli(['apply', '--yes'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('✓ memory');
    expect(r.stdout).toContain('Apply complete! 3 added');

    const vscodeFile = join(sb.home, '.config', 'Code', 'User', 'mcp.json');
    expect(JSON.parse(readFileSync(vscodeFile, 'utf8')).servers.memory).toMatchObject({
      type: 'stdio',
      command: process.execPath,
    });
    const zedText = readFileSync(zedFile, 'utf8');
    expect(zedText.startsWith('// Zed\n{\n  "theme": "One Dark", // mine\n  "context_servers": {\n')).toBe(true);
    expect(JSON.parse(readFileSync(sb.path('.mcp.json'), 'utf8')).mcpServers.memory.type).toBe('stdio');

    for (const target of ['vscode', 'zed', 'claude-code']) {
      const plan = await runCli(['plan', '--target', target, '--detailed-exitcode'], { cwd, env });
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain(`Target ${target}:`);
      expect(plan.stdout).toContain('No changes.');
    }

    const live = await runCli(['test', '--live', '--target', 'vscode'], { cwd, env });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toContain(`live entries in ${vscodeFile}`);
    expect(live.stdout).toContain('memory');
  });

  it('two targets in one file (claude-code local + a target on ~/.claude.json): no self-deadlock; a failure restores it byte for byte', async () => {
    const sb = sandbox();
    // `node` by name: found on the shell's PATH (claude-code, a CLI) but not on the GUI PATH
    // below (cursor, a GUI app), so the second target's check fails after both wrote.
    sb.write(
      'mcp.yaml',
      `version: 1\ntargets: { claude-code: { scope: local }, cursor: null }\nservers:\n${memory(sb.dir, 'node')}`,
    );
    const claudeJson = join(sb.home, '.claude.json');
    writeJson(claudeJson, { numStartups: 7, projects: { '/else': { mcpServers: {} } }, mcpServers: {} });
    const before = readFileSync(claudeJson);
    const env = { ...ownPaths(sb.env), MCPFORM_CURSOR_CONFIG: claudeJson, MCPFORM_LOCK_TIMEOUT_MS: '3000' };
    const cwd = sb.path('');

    const failed = await runCli(['apply', '--yes'], { cwd, env: { ...env, MCPFORM_GUI_PATH: join(sb.dir, 'none') } });
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain('memory failed');
    expect(failed.stderr).toContain('rolled back');
    expect(failed.stderr).not.toContain('is locked by');
    expect(readFileSync(claudeJson).equals(before)).toBe(true);

    const ok = await runCli(['apply', '--yes'], { cwd, env: { ...env, MCPFORM_GUI_PATH: process.env.PATH } });
    expect(ok.code, ok.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(claudeJson, 'utf8'));
    expect(Object.keys(doc.mcpServers)).toEqual(['memory']);
    expect(doc.projects[cwd.replace(/\/$/, '')].mcpServers.memory.type).toBe('stdio');
    expect(doc.projects['/else']).toEqual({ mcpServers: {} });
    expect(doc.numStartups).toBe(7);
    // One ownership record per server map, though one file holds both.
    expect(readdirSync(join(sb.stateDir, 'targets')).sort()).toHaveLength(2);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd, env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('vscode, secrets: reference: the file holds ${env:TOKEN}; the check expands it from the environment, as VS Code will', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\ntargets: { vscode: { secrets: reference } }\nservers:\n  tiny:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(fixture('tiny-server.mjs'))}]\n    env: { API_TOKEN: "\${TOKEN}", REQUIRE_VAR: API_TOKEN }\n`,
      // Known to mcpform, but not to VS Code: the server would start without it.
      '.env': 'TOKEN=from-dotenv-5150\n',
    });
    const env = ownPaths(sb.env);
    const cwd = sb.path('');
    const vscodeFile = join(sb.home, '.config', 'Code', 'User', 'mcp.json');
    const onlyDotenv = await runCli(['apply', '--yes'], { cwd, env });
    expect(onlyDotenv.code, onlyDotenv.stderr).toBe(1);
    expect(onlyDotenv.stderr).toContain('API_TOKEN is not set');
    expect(() => readFileSync(vscodeFile)).toThrow(); // created, then removed by the rollback

    const r = await runCli(['apply', '--yes'], { cwd, env: { ...env, TOKEN: 'from-shell-6160' } });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(vscodeFile, 'utf8');
    expect(JSON.parse(text).servers.tiny.env).toEqual({ API_TOKEN: '${env:TOKEN}', REQUIRE_VAR: 'API_TOKEN' });
    expect(text).not.toContain('from-');
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd, env: { ...env, TOKEN: 'changed' } });
    expect(plan.code, plan.stdout).toBe(0); // the value is not in the file: a new one changes nothing
  });
});
