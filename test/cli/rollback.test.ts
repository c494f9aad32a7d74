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

describe('backups and rollback act on this project’s client files', () => {
  /** Project A (claude-desktop) and project B (cursor, another file) on one machine, one state dir. */
  async function twoProjects() {
    const sb = sandbox({
      'a/mcp.yaml': 'version: 1\nservers: {}\n',
      'b/mcp.yaml': 'version: 1\ntargets: [cursor]\nservers: {}\n',
    });
    sb.write('../home/.config/Claude/claude_desktop_config.json', '{"mcpServers": {}}\n');
    const mine = await createBackup(
      {
        target: 'claude-desktop',
        path: sb.claudeConfig,
        content: readFileSync(sb.claudeConfig),
        hash: null,
        reason: 'apply A',
      },
      sb.world,
    );
    writeFileSync(sb.claudeConfig, '{"mcpServers": {"changed": {}}}\n');
    // B's backup is the newest on the machine.
    const cursor = sb.write('../home/.cursor/mcp.json', '{"mcpServers": {"theirs": {}}}\n');
    const theirs = await createBackup(
      { target: 'cursor', path: cursor, content: readFileSync(cursor), hash: null, reason: 'apply B' },
      { ...sb.world, now: () => new Date(Date.now() + 60_000) },
    );
    writeFileSync(cursor, '{"mcpServers": {"theirs": {}, "later": {}}}\n');
    return { sb, mine, theirs, cursor };
  }
  const ids = (stdout: string) => (JSON.parse(stdout) as { backups: { id: string }[] }).backups.map((b) => b.id);

  it('backups lists only the files mcp.yaml targets; --all lists every one', async () => {
    const { sb, mine, theirs } = await twoProjects();
    const env = { ...sb.env, MCPFORM_CURSOR_CONFIG: undefined };
    expect(ids((await runInProcess(['backups', '--json'], { cwd: sb.path('a'), env })).stdout)).toEqual([mine.id]);
    expect(ids((await runInProcess(['backups', '--json', '--all'], { cwd: sb.path('a'), env })).stdout)).toEqual([
      theirs.id,
      mine.id,
    ]);
    expect(ids((await runInProcess(['backups', '--json'], { cwd: sb.path('b'), env })).stdout)).toEqual([theirs.id]);
  });

  it("a bare rollback --yes restores this project's newest backup, not another project's newer one", async () => {
    const { sb, cursor } = await twoProjects();
    const r = await runInProcess(['rollback', '--yes'], { cwd: sb.path('a'), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe('{"mcpServers": {}}\n');
    expect(readFileSync(cursor, 'utf8')).toContain('later');
  });

  it('without an mcp.yaml, rollback with no id refuses and says how; backups lists all and says so', async () => {
    const { sb, cursor } = await twoProjects();
    sb.write('elsewhere/.keep', '');
    const r = await runInProcess(['rollback', '--yes'], { cwd: sb.path('elsewhere'), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no mcp.yaml here');
    expect(r.stderr).toContain('--all');
    expect(readFileSync(cursor, 'utf8')).toContain('later');
    const list = await runInProcess(['backups'], { cwd: sb.path('elsewhere'), env: sb.env });
    expect(list.stdout).toContain('No mcp.yaml here: every backup on this machine.');
    expect(list.stdout).toContain('apply B');
  });
});
