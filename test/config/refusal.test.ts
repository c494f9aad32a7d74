import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

/** Input that must be refused: exit 1, located, no stack trace, nothing written. */
const tiny = `command: node\n    args: ["${fixture('tiny-server.mjs')}"]`;

async function refused(sb: Sandbox, args: string[], where: RegExp): Promise<string> {
  // A hang (a FIFO read waits for a writer forever) would be killed at 20 s and fail here.
  const r = await runCli(args, { cwd: sb.path(''), env: sb.env, timeoutMs: 20_000 });
  expect(r.signal, 'the command hung').toBeNull();
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(where);
  expect(r.stderr).not.toContain('Internal error');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr;
}

function nothingWritten(sb: Sandbox, before: Buffer | null): void {
  if (before === null) expect(existsSync(sb.claudeConfig)).toBe(false);
  else expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
  expect(existsSync(sb.stateDir)).toBe(false);
  expect(existsSync(sb.path('mcp.lock'))).toBe(false);
}

describe('files that are not regular files are refused, never read', () => {
  it.each([
    [
      'an import that is a FIFO',
      'imports: [./pipe.yaml]',
      /mcp\.yaml:2:11 cannot import: pipe\.yaml is a named pipe \(FIFO\)/,
    ],
    [
      'an envFile that is a FIFO',
      'envFile: ./pipe.yaml',
      /mcp\.yaml:2:10 the env file .*pipe\.yaml is a named pipe \(FIFO\)/,
    ],
    [
      'an import that is a device',
      'imports: [/dev/zero]',
      /mcp\.yaml:2:11 cannot import: \/dev\/zero is a character device/,
    ],
    [
      'an envFile that is a device',
      'envFile: /dev/zero',
      /mcp\.yaml:2:10 the env file \/dev\/zero is a character device/,
    ],
    ['an envFile that is a directory', 'envFile: ./dir', /mcp\.yaml:2:10 the env file .*dir is a directory/],
  ])('%s: a clear error, no hang, on validate and apply', async (_label, line, where) => {
    const sb = sandbox({ 'mcp.yaml': `version: 1\n${line}\nservers:\n  t:\n    ${tiny}\n` });
    execFileSync('mkfifo', [sb.path('pipe.yaml')]);
    mkdirSync(sb.path('dir'));
    await refused(sb, ['validate'], where);
    await refused(sb, ['apply', '--yes'], where);
    nothingWritten(sb, null);
  });

  it('the default .env being a FIFO is named too (not silently skipped, not waited on)', async () => {
    const sb = sandbox({ 'mcp.yaml': `version: 1\nservers:\n  t:\n    ${tiny}\n` });
    execFileSync('mkfifo', [sb.path('.env')]);
    await refused(sb, ['plan'], /\.env:1:1 the env file .*\.env is a named pipe \(FIFO\)/);
  });
});

describe('a live client config that is not a regular file', () => {
  it('a FIFO: plan and apply fail naming it, no hang, nothing written', async () => {
    const sb = sandbox({ 'mcp.yaml': `version: 1\nservers:\n  t:\n    ${tiny}\n` });
    mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
    execFileSync('mkfifo', [sb.claudeConfig]);
    const where = /claude_desktop_config\.json is a named pipe \(FIFO\), not a config file; nothing was changed/;
    await refused(sb, ['plan'], where);
    await refused(sb, ['apply', '--yes'], where);
    await refused(sb, ['test', '--live'], /claude_desktop_config\.json is a named pipe \(FIFO\), not a config file/);
    // Only the lock was taken (and released): no backup, no ownership.
    expect(existsSync(join(sb.stateDir, 'backups'))).toBe(false);
    expect(existsSync(join(sb.stateDir, 'targets'))).toBe(false);
  });
});

describe('size limits', () => {
  it('an import over 1 MiB is refused, located at the import', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nimports: [./big.yaml]\nservers: {}\n`,
      'big.yaml': `version: 1\n# ${'x'.repeat(1024 * 1024)}\n`,
    });
    await refused(sb, ['validate'], /big\.yaml:1:1 big\.yaml is over 1 MiB/);
  });

  it('an env file over 1 MiB is refused, located at envFile', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nenvFile: ./big.env\nservers:\n  t:\n    ${tiny}\n`,
      'big.env': `A=${'x'.repeat(1024 * 1024)}\n`,
    });
    await refused(sb, ['validate'], /mcp\.yaml:2:10 the env file .*big\.env is over 1 MiB/);
  });
});

describe('bad bytes never reach a process or a file', () => {
  it('a NUL byte in an argument: apply refuses it before anything is written (spawn would throw)', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  t:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}\\0--evil"]\n`,
    });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const before = readFileSync(sb.claudeConfig);
    await refused(
      sb,
      ['apply', '--yes'],
      /mcp\.yaml:5:12 server 't' field 'args\.0' contains a control character \(U\+0000/,
    );
    nothingWritten(sb, before);
  });

  it('a control character brought in by a variable from .env is refused, without printing the value', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  t:\n    ${tiny}\n    env: { TOKEN: "\${TOKEN}" }\n`,
      '.env': 'TOKEN="s3cret\u001b[8mvalue"\n',
    });
    const stderr = await refused(
      sb,
      ['apply', '--yes'],
      /mcp\.yaml:6:19 server 't' field 'env\.TOKEN' contains a control character \(U\+001B at position 7\) once its variables are filled in/,
    );
    expect(stderr).not.toContain('s3cret');
    nothingWritten(sb, null);
  });

  it('tabs and line breaks stay allowed where real values carry them (a PEM key, a script)', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  t:\n    ${tiny}\n    env: { KEY: "-----BEGIN KEY-----\\nabc\\n-----END KEY-----\\n", T: "a\\tb" }\n`,
    });
    const r = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('every environment is checked after its overrides are merged', () => {
  const yaml = (override: string) =>
    `version: 1\ndefaultEnvironment: dev\nservers:\n  t:\n    ${tiny}\nenvironments:\n  dev:\n    servers: [t]\n  prod:\n    extends: dev\n    overrides:\n      t: ${override}\n`;

  it.each([
    ['args: notalist', '{ args: notalist }', /mcp\.yaml:13:18 server 't' field 'args' must be a list/],
    [
      'timeout: forever',
      '{ test: { timeout: forever } }',
      /mcp\.yaml:13:29 server 't' field 'test\.timeout' must be a duration/,
    ],
    ['__proto__', '{ __proto__: { command: evil } }', /mcp\.yaml:13:12 '__proto__' is a reserved word/],
  ])(
    '%s in an override: validate, plan and apply -e prod refuse it, located; nothing written',
    async (_l, ov, where) => {
      const sb = sandbox({ 'mcp.yaml': yaml(ov) });
      writeJson(sb.claudeConfig, { mcpServers: {} });
      const before = readFileSync(sb.claudeConfig);
      // validate checks prod although dev is the default environment.
      await refused(sb, ['validate'], where);
      await refused(sb, ['plan', '-e', 'prod'], where);
      await refused(sb, ['apply', '-e', 'prod', '--yes'], where);
      nothingWritten(sb, before);
      writeFileSync(sb.path('mcp.yaml'), yaml('{ env: { LOG_LEVEL: warn } }'));
      const ok = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
      expect(ok.code, ok.stderr).toBe(0);
    },
  );
});
