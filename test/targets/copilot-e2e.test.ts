import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../helpers.js';
import { SERVERS } from '../servers.js';

/** The sandbox env without the path overrides: each client at its own place (in the temp HOME). */
function ownPaths(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of Object.keys(out)) if (/^MCPFORM_.*_CONFIG$/.test(k)) delete out[k];
  return out;
}

describe('copilot end to end (real health checks)', () => {
  it('qwen-code (user) + .mcp.json read by claude-code and copilot: apply checks memory, then "No changes."', async () => {
    const sb = sandbox();
    sb.write(
      'mcp.yaml',
      `version: 1
targets: { qwen-code: null, claude-code: { scope: project }, copilot: { scope: project } }
servers:
  memory:
    command: ${JSON.stringify(process.execPath)}
    args: [${JSON.stringify(SERVERS.memory)}]
    env: { MEMORY_FILE_PATH: ${JSON.stringify(join(sb.dir, 'memory.jsonl'))} }
`.replace('copilot-project: null', 'qwen-code: { scope: project }'),
    );
    // Qwen Code's settings, with a comment and a hand-made server.
    const userFile = sb.write(
      '../home/.qwen/settings.json',
      '{\n  // mine\n  "ui": { "theme": "Default" },\n  "mcpServers": {\n    "mine": { "httpUrl": "https://git.example/mcp" }\n  }\n}\n',
    );
    const env = ownPaths(sb.env);
    const cwd = sb.path('');
    const r = await runCli(['apply', '--yes'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('✓ memory');
    expect(r.stdout).toContain('Apply complete! 2 added');

    const userText = readFileSync(userFile, 'utf8');
    expect(userText).toContain('  // mine\n  "ui": { "theme": "Default" },');
    expect(userText).toContain('"mine": { "httpUrl": "https://git.example/mcp" }');
    const project = JSON.parse(readFileSync(sb.path('.mcp.json'), 'utf8')).mcpServers;
    expect(project.memory).toMatchObject({ type: 'stdio', command: process.execPath, tools: ['*'] });

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd, env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Target claude-code + copilot:');
    expect(plan.stdout).toContain('Target qwen-code:');
    expect(plan.stdout).not.toContain('to add');

    const clients = await runCli(['clients'], { cwd, env });
    expect(clients.code, clients.stderr).toBe(0);
    expect(clients.stdout).toContain('copilot');
    expect(clients.stdout).toContain('qwen-code');
    expect(clients.stdout).toContain(userFile);
  });
});
