import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../src/apply/backups.js';
import { sandbox, type Sandbox } from '../helpers.js';
import { runInProcess } from './run-in-process.js';

/** A backup of `file` holding `text` (the file is then changed, so rollback has work to do). */
async function backup(sb: Sandbox, target: string, file: string, text: string | null, serversPath?: string[]) {
  const path = sb.path(file);
  if (text !== null) writeFileSync(path, text);
  const content = text === null ? null : readFileSync(path);
  const ownership = serversPath && { formatVersion: 2 as const, target, path, serversPath, servers: {} };
  const meta = await createBackup(
    { target, path, content, hash: null, reason: 'apply: 1 to add, 0 to change, 0 to remove', ownership },
    sb.world,
  );
  writeFileSync(path, 'changed since');
  return meta;
}

/** The line of rollback's preview that says what the backup holds. */
async function preview(sb: Sandbox, id: string): Promise<string> {
  const r = await runInProcess(['rollback', id, '--yes'], { cwd: sb.path(''), env: sb.env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.split('\n')[2]!.trim();
}

describe("rollback's preview reads the backup as its own client does", () => {
  const project = '/home/me/work/app';
  it.each([
    ['claude-desktop', 'JSON, mcpServers', 'c.json', '{"mcpServers": {"memory": {"command": "npx"}, "fs": {}}}'],
    [
      'claude-code',
      'JSON, a project map inside ~/.claude.json',
      '.claude.json',
      JSON.stringify({ mcpServers: { global: {} }, projects: { [project]: { mcpServers: { memory: {}, fs: {} } } } }),
      ['projects', project, 'mcpServers'],
    ],
    [
      'vscode',
      "VS Code's servers",
      'mcp.json',
      '{\n  "servers": {"memory": {"type": "stdio"}, "fs": {}},\n  "inputs": []\n}',
    ],
    [
      'zed',
      'JSONC: comments, trailing commas',
      'settings.json',
      '// Zed\n{\n  "context_servers": {\n    "memory": {}, // mine\n    "fs": {},\n  },\n}',
    ],
    [
      'codex',
      'TOML tables',
      'config.toml',
      'model = "o3"\n\n[mcp_servers.memory]\ncommand = "npx"\n\n[mcp_servers.fs]\ncommand = "node"\n',
    ],
    ['goose', 'YAML extensions', 'config.yaml', 'extensions:\n  memory:\n    cmd: npx\n  fs:\n    cmd: node\n'],
    [
      'continue',
      'a YAML list named by its items',
      'mcp.yaml',
      'name: mine\nmcpServers:\n  - name: memory\n    command: npx\n  - name: fs\n    command: node\n',
    ],
  ])('%s (%s)', async (target, _family, file, text, serversPath?: string[]) => {
    const sb = sandbox();
    const meta = await backup(sb, target, file, text, serversPath);
    expect(await preview(sb, meta.id)).toBe('servers then: memory, fs');
    expect(readFileSync(sb.path(file), 'utf8')).toBe(text);
  });

  it.each([
    ['vscode', 'mcp.json', '{"servers": {}}', 'no servers then'],
    ['codex', 'config.toml', 'model = "o3"\n', 'no servers then'],
    ['continue', 'mcp.yaml', '', 'no servers then'],
    ['claude-desktop', 'c.json', null, 'the file did not exist then: it will be removed'],
    ['codex', 'config.toml', '[mcp_servers.a\n', 'the file then could not be read: CONFIG:1:15 is not valid TOML'],
    ['goose', 'config.yaml', 'extensions: [a', 'the file then could not be read: CONFIG:1:15 is not valid YAML'],
    [
      'vscode',
      'mcp.json',
      '{"servers": []}',
      'the file then could not be read: CONFIG: "servers" must be a map of server entries',
    ],
    [
      'continue',
      'mcp.yaml',
      'mcpServers:\n  - command: x\n',
      "the file then could not be read: CONFIG: mcpServers[0] has no 'name'",
    ],
    ['no-such-client', 'x.json', '{}', "the file then could not be read: no client named 'no-such-client' to read it"],
  ])('%s: %j -> %s', async (target, file, text, expected) => {
    const sb = sandbox();
    const meta = await backup(sb, target, file, text);
    const line = (await preview(sb, meta.id)).replace(sb.path(file), 'CONFIG');
    expect(line.startsWith(expected), line).toBe(true);
    expect(line).not.toContain('will not overwrite');
    // Whatever it held, the backup is put back as it was.
    if (text === null) expect(existsSync(sb.path(file))).toBe(false);
    else expect(readFileSync(sb.path(file), 'utf8')).toBe(text);
  });

  it('a server name from the backup is shown, never obeyed by the terminal', async () => {
    const sb = sandbox();
    const meta = await backup(sb, 'claude-desktop', 'c.json', '{"mcpServers": {"evil\\u001b[2J": {}}}');
    expect(await preview(sb, meta.id)).toBe('servers then: evil\\e[2J');
  });
});
