import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

/** Names a profile, a client file or a hand-written mcp.yaml may hold: pasted unquoted, they run `touch pwned`. */
const HOSTILE = '$(touch pwned) `touch pwned`';
const NAMES = [HOSTILE, `it's ${HOSTILE}`];

/**
 * Runs a command mcpform printed, as a user pasting it into sh would, in a folder of its own;
 * `mcpform` there is a stub that prints the words it was given. Returns those words.
 */
function paste(sb: Sandbox, command: string): string[] {
  const dir = join(sb.dir, 'paste');
  mkdirSync(dir, { recursive: true });
  const out = execFileSync('sh', ['-c', `mcpform() { printf '%s\\0' "$@"; }\n${command}`], {
    cwd: dir,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  expect(existsSync(join(dir, 'pwned'))).toBe(false);
  return out.split('\0').slice(0, -1);
}

/** The command inside `'...'` after `lead` in the output (mcpform quotes a command it suggests). */
function quotedAfter(text: string, lead: string): string {
  const at = text.indexOf(lead);
  expect(at, text).toBeGreaterThanOrEqual(0);
  const line = text.slice(at + lead.length).split('\n')[0]!;
  return line.slice(line.indexOf("'") + 1, line.lastIndexOf("'"));
}

const cli = (sb: Sandbox, args: string[], env = sb.env) => runCli(args, { cwd: sb.path(''), env });

describe('every command mcpform prints to copy is quoted', () => {
  it("test's rug-pull hint: 'mcpform lock --update NAME' for a server named $(touch pwned)", async () => {
    const sb = sandbox();
    const payload = sb.path('payload.txt');
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  "${HOSTILE}":\n    command: node\n    args: ["${fixture('hidden-instructions.mjs')}"]\n    env: { PAYLOAD_FILE: "${payload}" }\n`,
    );
    expect((await cli(sb, ['test'])).code).toBe(0);
    writeFileSync(payload, 'x');
    const r = await cli(sb, ['test']);
    expect(r.code).toBe(1);
    expect(paste(sb, quotedAfter(r.stdout, 'accept it with '))).toEqual(['lock', '--update', HOSTILE]);
  });

  it.each(NAMES)("add's hint for an unknown environment: 'mcpform -e NAME add ...' (%s)", async (HOSTILE) => {
    const sb = sandbox({ 'mcp.yaml': `version: 1\nservers: {}\nenvironments:\n  "${HOSTILE}": { servers: [] }\n` });
    const r = await cli(sb, ['-e', 'nope', 'add', 'x', '--', 'echo']);
    expect(r.code).toBe(1);
    const command = quotedAfter(r.stderr, 'e.g. ').replace(/ add \.\.\.$/, '');
    expect(paste(sb, command)).toEqual(['-e', HOSTILE]);
  });

  it.each(NAMES)("plan --out FILE: 'mcpform apply FILE' (%s)", async (HOSTILE) => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  a: { command: echo }\n' });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const file = sb.path(`${HOSTILE}.json`);
    const r = await cli(sb, ['plan', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const command = r.stdout.split('Apply exactly this plan with: ')[1]!.trim();
    expect(paste(sb, command)).toEqual(['apply', file]);
  });

  it.each(NAMES)('a read-only client file: chmod u+w PATH (%s)', async (HOSTILE) => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  a: { command: echo }\n' });
    const dir = join(sb.home, HOSTILE);
    const file = join(dir, 'claude.json');
    writeJson(file, { mcpServers: {} });
    chmodSync(file, 0o444);
    const r = await cli(sb, ['apply', '--yes'], { ...sb.env, MCPFORM_CLAUDE_DESKTOP_CONFIG: file });
    expect(r.code).toBe(1);
    const command = /make it writable \((chmod .*)\) if mcpform/.exec(r.stderr)?.[1];
    expect(command, r.stderr).toBeDefined();
    paste(sb, command!);
    expect(statSync(file).mode & 0o200).toBe(0o200);
  });

  it.each(NAMES)("doctor's fix for a misplaced Claude Desktop config: mv FROM TO (%s)", async (HOSTILE) => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    const home = join(sb.dir, HOSTILE);
    const env: Record<string, string | undefined> = { ...sb.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
    delete env.MCPFORM_CLAUDE_DESKTOP_CONFIG;
    const wrong = join(home, '.config', 'claude', 'claude_desktop_config.json');
    const right = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    writeJson(wrong, { mcpServers: {} });
    mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
    const r = await cli(sb, ['doctor'], env);
    const command = /fix: {3}move it: (.*)/.exec(r.stdout)?.[1];
    expect(command, r.stdout).toBeDefined();
    paste(sb, command!);
    expect(existsSync(right)).toBe(true);
    expect(existsSync(wrong)).toBe(false);
  });
});
