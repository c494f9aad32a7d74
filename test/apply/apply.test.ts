import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture, SERVERS } from '../servers.js';

const LIVE = {
  globalShortcut: 'Ctrl+Space',
  mcpServers: {
    'hand-made': { command: '/usr/local/bin/mine', args: ['--flag'], 'x-unknown': { keep: [1, 2] } },
    memory: { command: 'node', args: ['/old/memory.js'], disabled: false },
  },
  zzzLast: true,
};

const project = (servers: string, environments = '') => `version: 1\nservers:\n${servers}${environments}`;
const memory = `  memory:\n    command: node\n    args: ["${SERVERS.memory}"]\n    env: { MEMORY_FILE_PATH: "/tmp/mcpform-test-memory.jsonl" }\n`;
const tiny = (name: string, env = '{}') =>
  `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: ${env}\n`;
const broken = (name: string, file: string) =>
  `  ${name}:\n    command: node\n    args: ["${fixture(file)}"]\n    test: { timeout: 3s }\n`;

function setup(yaml: string, live: unknown = LIVE): Sandbox {
  // null: no client file at all
  const sb = sandbox({ 'mcp.yaml': yaml });
  if (live !== null) writeJson(sb.claudeConfig, live);
  return sb;
}
const apply = (sb: Sandbox, args: string[] = ['--yes'], env: NodeJS.ProcessEnv = {}) =>
  runCli(['apply', ...args], { cwd: sb.path(''), env: { ...sb.env, ...env } });

describe('apply', () => {
  it('creates and adopts, keeps unknown keys, key order, hand-made entries and the file mode; then plan says No changes', async () => {
    const sb = setup(project(memory + tiny('tiny')));
    chmodSync(sb.claudeConfig, 0o640);
    const r = await apply(sb);
    expect(r.stderr).toContain('✓ memory');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete! 1 added, 1 changed, 0 removed.');
    const after = JSON.parse(readFileSync(sb.claudeConfig, 'utf8'));
    expect(Object.keys(after)).toEqual(['globalShortcut', 'mcpServers', 'zzzLast']);
    expect(Object.keys(after.mcpServers)).toEqual(['hand-made', 'memory', 'tiny']);
    expect(after.mcpServers['hand-made']).toEqual(LIVE.mcpServers['hand-made']);
    expect(after.mcpServers.memory).toEqual({
      command: 'node',
      args: [SERVERS.memory],
      disabled: false,
      env: { MEMORY_FILE_PATH: '/tmp/mcpform-test-memory.jsonl' },
    });
    expect(statSync(sb.claudeConfig).mode & 0o777).toBe(0o640);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('creates the client file (mode 0600) when there is none', async () => {
    const sb = setup(project(tiny('tiny')), null);
    const r = await apply(sb);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(sb.claudeConfig).mode & 0o777).toBe(0o600);
  });

  it('refuses on a non-interactive stdin without --yes and touches nothing', async () => {
    const sb = setup(project(tiny('tiny')));
    const before = readFileSync(sb.claudeConfig);
    const r = await apply(sb, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('re-run with --yes');
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
    expect(existsSync(join(sb.stateDir, 'backups'))).toBe(false);
  });

  it.each([
    ['exits at once', 'exits-at-once.mjs'],
    ['writes garbage to stdout', 'garbage-stdout.mjs'],
    ['never answers', 'never-answers.mjs'],
  ])('a server that %s: rolled back byte-for-byte, exit 1, the server named', async (_label, file) => {
    const sb = setup(project(tiny('good') + broken('bad', file)));
    writeFileSync(sb.claudeConfig, '{"mcpServers":{"hand-made":{"command":"x"}},   "odd spacing": [1,2,3]}');
    const before = readFileSync(sb.claudeConfig);
    const r = await apply(sb);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rolled back');
    expect(r.stderr).toMatch(/bad failed (startup|initialize)/);
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
    const plan = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(plan.stdout).toContain('Plan: 2 to add'); // nothing was recorded as owned
  });

  it('--no-test writes without health checks', async () => {
    const sb = setup(project(broken('bad', 'exits-at-once.mjs')));
    const r = await apply(sb, ['--yes', '--no-test']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers.bad).toBeDefined();
  });

  it.each([
    ['invalid JSON', (sb: Sandbox) => writeFileSync(sb.claudeConfig, '{"mcpServers": {'), /is not valid JSON/],
    ['a directory', (sb: Sandbox) => mkdirSync(sb.claudeConfig, { recursive: true }), /is a directory/],
    [
      'unreadable',
      (sb: Sandbox) => {
        if (process.getuid?.() === 0)
          symlinkSync(sb.claudeConfig, sb.claudeConfig); // ELOOP: even root cannot read it
        else {
          writeJson(sb.claudeConfig, LIVE);
          chmodSync(sb.claudeConfig, 0);
        }
      },
      /cannot be read/,
    ],
  ])('a live file that is %s: exit 1, untouched', async (_label, make, message) => {
    const sb = setup(project(tiny('tiny')), null);
    mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
    make(sb);
    const snapshot = () => {
      const st = lstatSync(sb.claudeConfig);
      if (st.isSymbolicLink()) return `link:${readlinkSync(sb.claudeConfig)}`;
      return st.isFile()
        ? `${st.mode}:${readFileSync(sb.claudeConfig).toString('base64')}`
        : `dir:${readdirSync(sb.claudeConfig).join(',')}`;
    };
    const before = snapshot();
    const r = await apply(sb);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('Internal error');
    expect(snapshot()).toBe(before);
  });

  // As root, only an immutable folder (chattr +i) refuses writes; elsewhere a 0555 folder does.
  const isRoot = process.getuid?.() === 0;
  const canMakeReadOnly = !isRoot || spawnSync('chattr', ['--help']).error === undefined;
  it.skipIf(!canMakeReadOnly)('a read-only folder: exit 1 with a clear message, file untouched', async () => {
    const sb = setup(project(tiny('tiny')));
    const dir = join(sb.claudeConfig, '..');
    const before = readFileSync(sb.claudeConfig);
    const root = process.getuid?.() === 0;
    if (root) execFileSync('chattr', ['+i', dir]);
    else chmodSync(dir, 0o555);
    try {
      const r = await apply(sb);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /cannot write .*claude_desktop_config\.json \((EACCES|EPERM|EROFS)\); the file was not changed/,
      );
      expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
    } finally {
      if (root) execFileSync('chattr', ['-i', dir]);
      else chmodSync(dir, 0o755);
    }
  });

  it('deleting every owned server needs --allow-empty', async () => {
    const sb = setup(project(tiny('tiny')));
    expect((await apply(sb)).code).toBe(0);
    sb.write('mcp.yaml', 'version: 1\nservers: {}\n');
    const refused = await apply(sb);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-empty');
    const ok = await apply(sb, ['--yes', '--allow-empty']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers).toEqual({
      'hand-made': LIVE.mcpServers['hand-made'],
      memory: LIVE.mcpServers.memory,
    });
  });

  it('--prune removes hand-made entries', async () => {
    const sb = setup(project(tiny('tiny')));
    const r = await apply(sb, ['--yes', '--prune']);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers)).toEqual(['tiny']);
  });
});

describe('saved plans', () => {
  it('applies exactly the saved plan; refuses it once the live file was edited by hand', async () => {
    const sb = setup(project(tiny('tiny')));
    const env = sb.env;
    expect((await runCli(['plan', '--out', 'plan.json'], { cwd: sb.path(''), env })).code).toBe(0);
    const stale = sb.path('stale.json');
    writeFileSync(stale, readFileSync(sb.path('plan.json')));
    const ok = await apply(sb, ['plan.json', '--yes']);
    expect(ok.code, ok.stderr).toBe(0);
    // The stale copy was computed from a file that has changed since (by that apply).
    const before = readFileSync(sb.claudeConfig);
    const refused = await apply(sb, ['stale.json', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('changed since the plan was made');
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
  });

  it('refuses when the live file is edited by hand after plan --out', async () => {
    const sb = setup(project(tiny('tiny')));
    await runCli(['plan', '--out', 'plan.json'], { cwd: sb.path(''), env: sb.env });
    const live = JSON.parse(readFileSync(sb.claudeConfig, 'utf8'));
    live.mcpServers['hand-made'].args.push('--edited');
    writeJson(sb.claudeConfig, live);
    const before = readFileSync(sb.claudeConfig);
    const r = await apply(sb, ['plan.json', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/STALE|changed since the plan was made/);
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
  });

  it('refuses when mcp.yaml changed, and when a secret differs', async () => {
    const sb = setup(project(tiny('tiny', '{ API_TOKEN: "${TOKEN}" }')));
    await runCli(['plan', '--out', 'plan.json'], { cwd: sb.path(''), env: { ...sb.env, TOKEN: 'first-secret' } });
    expect(readFileSync(sb.path('plan.json'), 'utf8')).not.toContain('first-secret');
    const secret = await apply(sb, ['plan.json', '--yes'], { TOKEN: 'another-secret' });
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('a secret value');
    sb.write('mcp.yaml', project(tiny('tiny', '{ API_TOKEN: "${TOKEN}", X: "1" }')));
    const changed = await apply(sb, ['plan.json', '--yes'], { TOKEN: 'first-secret' });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('mcp.yaml (or a file it imports) changed');
  });
});

describe('backups and rollback', () => {
  it('backs up before every change (0600), rollback restores byte-for-byte and can itself be undone', async () => {
    const sb = setup(project(tiny('tiny')));
    writeFileSync(sb.claudeConfig, '{ "mcpServers": {}, "keep": "this exact text" }\n');
    const original = readFileSync(sb.claudeConfig);
    expect((await apply(sb)).code).toBe(0);
    const applied = readFileSync(sb.claudeConfig);
    const list = await runCli(['backups', '--json'], { cwd: sb.path(''), env: sb.env });
    const [backup] = JSON.parse(list.stdout).backups;
    expect(statSync(join(sb.stateDir, 'backups', backup.id, 'content')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(sb.stateDir, 'backups', backup.id, 'content')).equals(original)).toBe(true);

    const refused = await runCli(['rollback'], { cwd: sb.path(''), env: sb.env });
    expect(refused.code).toBe(1);
    const rb = await runCli(['rollback', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(rb.code, rb.stderr).toBe(0);
    expect(readFileSync(sb.claudeConfig).equals(original)).toBe(true);
    const plan = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(plan.stdout).toContain('Plan: 1 to add'); // ownership went back too

    const undo = await runCli(['rollback', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(undo.code, undo.stderr).toBe(0);
    expect(readFileSync(sb.claudeConfig).equals(applied)).toBe(true);
  });

  it('keeps the last 20 backups', async () => {
    const sb = setup(project(tiny('tiny')));
    for (let i = 0; i < 11; i++) {
      expect((await apply(sb, ['--yes', '--no-test'])).code).toBe(0);
      expect((await runCli(['rollback', '--yes'], { cwd: sb.path(''), env: sb.env })).code).toBe(0);
    }
    expect(readdirSync(join(sb.stateDir, 'backups'))).toHaveLength(20);
  });
});

describe('remote servers', () => {
  it('a url server is written through mcp-remote and health-checked at its URL', async () => {
    const { startEverythingHttp } = await import('../servers.js');
    const { url } = await startEverythingHttp('streamableHttp');
    const sb = setup(
      `version: 1\nservers:\n  remote:\n    url: ${url}\n    headers: { Authorization: "Bearer \${REMOTE_TOKEN}" }\n    test: { expectTools: [echo] }\n`,
    );
    const r = await apply(sb, ['--yes'], { REMOTE_TOKEN: 'remote-secret-1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/✓ remote: ok \(20\d\d-\d\d-\d\d, \d+ tools/);
    const entry = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers.remote;
    expect(entry).toEqual({
      command: 'npx',
      args: ['-y', 'mcp-remote', url, '--header', 'Authorization:${MCP_HEADER_AUTHORIZATION}'],
      env: { MCP_HEADER_AUTHORIZATION: 'Bearer remote-secret-1' },
    });
    expect(r.stdout + r.stderr).not.toContain('remote-secret-1');
  });
});
