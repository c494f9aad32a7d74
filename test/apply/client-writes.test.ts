import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, sandbox, until, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

/*
 * The client writes its own file while apply runs (Claude Code rewrites ~/.claude.json:
 * counters, per-project state). Here the test is that client: it edits a key mcpform does not
 * manage while the health check of a real server is under way, then lets the server go on.
 */

const LIVE = '{"mcpServers":{"hand-made":{"command":"keep-me"}},  "other": [1, 2, 3]}\n';
/** The client's write: an unrelated key changes, another appears. */
const clientEdit = (text: string) => text.replace('"other": [1, 2, 3]', '"other": [1, 2, 3, 4], "numStartups": 7');

function setup(env: Record<string, string>, extra = ''): { sb: Sandbox; go: string; pidFile: string } {
  const scratch = sandbox().dir;
  const go = join(scratch, 'go');
  const pidFile = join(scratch, 'server.pid');
  const sb = sandbox({
    'mcp.yaml': `version: 1\n${extra}servers:\n  t:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: ${JSON.stringify({ WAIT_FOR: go, PID_FILE: pidFile, ...env })}\n`,
  });
  mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
  writeFileSync(sb.claudeConfig, LIVE);
  return { sb, go, pidFile };
}

/** Starts `apply --yes`; resolves once the first file is written and its server is being checked. */
async function applyUntilChecking(sb: Sandbox, pidFile: string, before = LIVE) {
  const child = spawn(process.execPath, [CLI, 'apply', '--yes'], { cwd: sb.path(''), env: sb.env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  await until('the write', () => readFileSync(sb.claudeConfig, 'utf8') !== before);
  await until('the server', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
  return { child, exited, out: () => ({ stdout, stderr }) };
}

describe('a rollback keeps what the client wrote during the check', () => {
  it("a failed check: mcpform's entry is taken out of the client's file, the client's keys stay, and it says so", async () => {
    const { sb, go, pidFile } = setup({ CRASH_ON_TOOLS: '1' });
    const run = await applyUntilChecking(sb, pidFile);
    const written = readFileSync(sb.claudeConfig, 'utf8');
    expect(JSON.parse(written).mcpServers.t).toBeDefined();
    writeFileSync(sb.claudeConfig, clientEdit(written));
    writeFileSync(go, '');
    expect(await run.exited, run.out().stderr).toBe(1);
    const { stderr } = run.out();
    // Exactly the client's file without mcpform's entry: the undo is as surgical as the write.
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(clientEdit(LIVE));
    expect(stderr).toContain(`${sb.claudeConfig}: undid mcpform's edits, kept the client's changes (backup `);
    expect(stderr).not.toContain('byte-for-byte');
  });

  it('a signal: the same', async () => {
    const { sb, pidFile } = setup({});
    const run = await applyUntilChecking(sb, pidFile);
    writeFileSync(sb.claudeConfig, clientEdit(readFileSync(sb.claudeConfig, 'utf8')));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(clientEdit(LIVE));
    expect(run.out().stderr).toContain("undid mcpform's edits, kept the client's changes");
  });

  it('a file nobody else wrote is still restored byte-for-byte', async () => {
    const { sb, go, pidFile } = setup({ CRASH_ON_TOOLS: '1' });
    const run = await applyUntilChecking(sb, pidFile);
    writeFileSync(go, '');
    expect(await run.exited).toBe(1);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(run.out().stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
  });
});

describe('the undo, attacked', () => {
  it("a server the run removed comes back; the client's keys stay", async () => {
    const { sb, go, pidFile } = setup({ CRASH_ON_TOOLS: '1' });
    const tiny = fixture('tiny-server.mjs');
    sb.write('mcp.yaml', `version: 1\nservers:\n  old:\n    command: node\n    args: ["${tiny}"]\n`);
    const first = await runCli(['apply', '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
    expect(first.code, first.stderr).toBe(0);
    const withOld = readFileSync(sb.claudeConfig, 'utf8');
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  t:\n    command: node\n    args: ["${tiny}"]\n    env: ${JSON.stringify({ WAIT_FOR: go, PID_FILE: pidFile, CRASH_ON_TOOLS: '1' })}\n`,
    );
    const run = await applyUntilChecking(sb, pidFile, withOld);
    writeFileSync(sb.claudeConfig, clientEdit(readFileSync(sb.claudeConfig, 'utf8')));
    writeFileSync(go, '');
    expect(await run.exited).toBe(1);
    expect(JSON.parse(readFileSync(sb.claudeConfig, 'utf8'))).toEqual(JSON.parse(clientEdit(withOld)));
    expect(run.out().stderr).toContain("undid mcpform's edits, kept the client's changes");
  });

  it('a client write that is not valid JSON is not overwritten: NOT restored, with the backup to restore', async () => {
    const { sb, go, pidFile } = setup({ CRASH_ON_TOOLS: '1' });
    const run = await applyUntilChecking(sb, pidFile);
    writeFileSync(sb.claudeConfig, '{"mcpServers": {');
    writeFileSync(go, '');
    expect(await run.exited).toBe(1);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe('{"mcpServers": {');
    expect(run.out().stderr).toMatch(/NOT restored \(.*\); its previous content is backup \S+/);
  });
});

describe('a multi-target apply reads each file right before its own write', () => {
  const CURSOR = '{\n  "mcpServers": {},\n  "theme": "dark"\n}\n';

  it("the client's write to the second file during the first file's check is kept", async () => {
    const { sb, go, pidFile } = setup({}, 'targets: [claude-desktop, cursor]\n');
    const cursor = sb.env.MCPFORM_CURSOR_CONFIG!;
    mkdirSync(join(cursor, '..'), { recursive: true });
    writeFileSync(cursor, CURSOR);
    const run = await applyUntilChecking(sb, pidFile);
    expect(readFileSync(cursor, 'utf8')).toBe(CURSOR); // not written yet: the first check is running
    writeFileSync(cursor, CURSOR.replace('"dark"', '"light",\n  "fontSize": 14'));
    writeFileSync(go, '');
    expect(await run.exited, run.out().stderr).toBe(0);
    const after = JSON.parse(readFileSync(cursor, 'utf8'));
    expect(after).toMatchObject({ theme: 'light', fontSize: 14 });
    expect(Object.keys(after.mcpServers)).toEqual(['t']);
  });

  it('refused (and the first file restored) when the client wrote an entry of the same name meanwhile', async () => {
    const { sb, go, pidFile } = setup({}, 'targets: [claude-desktop, cursor]\n');
    const cursor = sb.env.MCPFORM_CURSOR_CONFIG!;
    mkdirSync(join(cursor, '..'), { recursive: true });
    writeFileSync(cursor, CURSOR);
    const run = await applyUntilChecking(sb, pidFile);
    writeJson(cursor, { mcpServers: { t: { command: 'the-clients-own' } }, theme: 'dark' });
    const clients = readFileSync(cursor, 'utf8');
    writeFileSync(go, '');
    expect(await run.exited).toBe(1);
    const { stderr } = run.out();
    expect(stderr).toMatch(/changed since the plan was made, and 't' is no longer as planned/);
    expect(readFileSync(cursor, 'utf8')).toBe(clients);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
  });
});
