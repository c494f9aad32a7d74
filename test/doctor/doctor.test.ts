import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../src/doctor/checks.js';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

async function doctor(sb: Sandbox, env: NodeJS.ProcessEnv = sb.env) {
  const r = await runCli(['doctor', '--json'], { cwd: sb.path(''), env });
  return {
    code: r.code,
    report: JSON.parse(r.stdout) as {
      findings: { id: string; server?: string; severity: string; symptom: string; cause: string; fix: string }[];
    },
    stderr: r.stderr,
  };
}
const ids = (report: { findings: { id: string; server?: string }[] }) =>
  report.findings.map((f) => `${f.server ?? '-'}:${f.id}`);

describe('mcpform doctor', () => {
  it('a command installed by nvm: on the shell PATH, not on the PATH the client gives servers', async () => {
    // (A made-up name, so that a system-wide npx on this machine cannot satisfy the check.)
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    const bin = join(sb.home, '.nvm', 'versions', 'node', 'v20.20.2', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'mcp-nvm-tool'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'mcp-nvm-tool'), 0o755);
    writeJson(sb.claudeConfig, { mcpServers: { memory: { command: 'mcp-nvm-tool', args: ['serve'] } } });
    const { code, report } = await doctor(sb, { ...sb.env, PATH: `${bin}:/usr/bin:/bin` });
    expect(code).toBe(1);
    const f = report.findings.find((x) => x.id === 'command-not-on-client-path')!;
    expect(f).toBeDefined();
    expect(f.cause).toContain('installed by nvm');
    expect(f.fix).toContain(join(bin, 'mcp-nvm-tool'));
  });

  it('relative paths, a server that exits at start (with its stderr), and logs on stdout', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  chatty:\n    command: node\n    args: ["${fixture('garbage-stdout.mjs')}"]\n    test: { timeout: 2s }\n  crashy:\n    command: node\n    args: ["${fixture('exits-at-once.mjs')}"]\n`,
    });
    writeJson(sb.claudeConfig, { mcpServers: { relative: { command: 'node', args: ['./build/index.js'] } } });
    const { code, report } = await doctor(sb);
    expect(code).toBe(1);
    expect(ids(report)).toEqual(
      expect.arrayContaining(['relative:relative-path', 'chatty:logs-on-stdout', 'crashy:exits-at-start']),
    );
    const crash = report.findings.find((f) => f.id === 'exits-at-start')!;
    expect(crash.cause).toContain('GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required');
    for (const f of report.findings)
      for (const k of ['symptom', 'cause', 'fix'] as const) expect(f[k].length).toBeGreaterThan(5);
  });

  it("a server that crashes on a missing package: its error line, not its stack's end, and the dependency fix", async () => {
    const sb = sandbox();
    const script = sb.write('server/index.mjs', "import 'not-installed-pkg';\n");
    writeJson(sb.claudeConfig, { mcpServers: { crashy: { command: 'node', args: [script] } } });
    const { report } = await doctor(sb);
    const crash = report.findings.find((f) => f.id === 'exits-at-start')!;
    expect(crash.cause).toContain("It said: Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'not-installed-pkg'");
    expect(crash.cause).not.toContain('Node.js v');
    expect(crash.fix).toContain("run 'npm install' in the server's folder");
    expect(crash.fix).not.toContain('below');
  });

  it('a ~ no shell will expand, in an argument or env value, and an entry the client has turned off', async () => {
    const sb = sandbox();
    writeJson(sb.claudeConfig, {
      mcpServers: {
        notes: { command: 'node', args: [fixture('tiny-server.mjs'), '~/notes'] },
        store: { command: 'node', args: [fixture('tiny-server.mjs')], env: { DATA_DIR: '~' } },
        off: { command: 'node', args: [fixture('tiny-server.mjs')], disabled: true },
        fine: { command: 'node', args: [fixture('tiny-server.mjs'), '--name=~x'] },
      },
    });
    const { report } = await doctor(sb);
    expect(ids(report)).toEqual(
      expect.arrayContaining(['notes:tilde-not-expanded', 'store:tilde-not-expanded', 'off:disabled']),
    );
    expect(ids(report)).not.toContain('fine:tilde-not-expanded');
    const notes = report.findings.find((f) => f.server === 'notes' && f.id === 'tilde-not-expanded')!;
    expect(notes.fix).toContain(JSON.stringify(`${sb.home}/notes`));
    expect(report.findings.find((f) => f.id === 'disabled')!.severity).toBe('warning');
  });

  it('missing variables in mcp.yaml', async () => {
    const sb = sandbox({
      'mcp.yaml':
        'version: 1\nservers:\n  gh:\n    command: npx\n    env: { GITHUB_TOKEN: "${DOCTOR_TEST_UNSET_TOKEN}" }\n',
    });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const { report } = await doctor(sb);
    const f = report.findings.find((x) => x.id === 'missing-variable')!;
    expect(f.cause).toContain('mcp.yaml:5:');
    expect(f.fix).toContain('DOCTOR_TEST_UNSET_TOKEN');
  });

  it('the config file in the wrong place: a lowercase claude folder on Linux', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    const env = { ...sb.env };
    delete env.MCPFORM_CLAUDE_DESKTOP_CONFIG;
    const wrong = join(sb.home, '.config', 'claude', 'claude_desktop_config.json');
    writeJson(wrong, { mcpServers: {} });
    const { report } = await doctor(sb, env);
    const f = report.findings.find((x) => x.id === 'config-misplaced')!;
    if (process.platform === 'linux') {
      expect(f.cause).toContain(wrong);
      expect(f.fix).toContain(join(sb.home, '.config', 'Claude', 'claude_desktop_config.json'));
    }
  });

  it('invalid JSON, with line and column', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    writeJson(sb.claudeConfig, {});
    writeFileSync(sb.claudeConfig, '{\n  "mcpServers": {\n    "a": { "command": "x" },\n  }\n}\n');
    const { report } = await doctor(sb);
    expect(report.findings.find((x) => x.id === 'invalid-json')?.cause).toMatch(
      /claude_desktop_config\.json:4:\d+ is not valid JSON/,
    );
  });

  it('a healthy setup: no findings, exit 0, text output', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  tiny:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n`,
    });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const r = await runCli(['doctor'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('No problems found.');
  });
});

describe('checkEntry', () => {
  it('npx on Windows needs cmd /c', () => {
    const [f] = checkEntry(
      'gh',
      { command: 'npx', args: ['-y', 'server-github'] },
      { platform: 'win32', env: { PATH: 'C:\\Windows' } },
    );
    expect(f).toMatchObject({
      id: 'windows-npx',
      fix: expect.stringContaining('"command": "cmd", "args": ["/c", "npx", "-y", "server-github"]'),
    });
  });
  it.each([
    // A client that resolves npx.cmd itself (cross-spawn, a shell) starts bare npx.
    ['resolving', 'npx', []],
    ['plain', 'npx', ['windows-npx']],
    ['plain', 'npx.cmd', ['windows-npx']],
    [undefined, 'npm', ['windows-npx']],
  ] as const)('Windows, %s start: %s', (windowsStart, command, ids) => {
    const found = checkEntry(
      'gh',
      { command, args: ['-y', 'server-github'] },
      { platform: 'win32', env: { PATH: 'C:\\Windows' }, windowsStart },
    );
    expect(found.map((f) => f.id).filter((id) => id.startsWith('windows'))).toEqual(ids);
  });
  it('npx.cmd named in full is refused, not missing', () => {
    const [f] = checkEntry(
      'gh',
      { command: 'npx.cmd', args: ['-y', 'x'] },
      { platform: 'win32', env: {}, windowsStart: 'plain' },
    );
    expect(f).toMatchObject({
      symptom: expect.stringContaining('EINVAL'),
      cause: expect.stringContaining('npx is npx.cmd'),
    });
  });
  it('npx without -y waits for a confirmation that never comes', () => {
    expect(
      checkEntry(
        'gh',
        { command: '/usr/bin/npx', args: ['@modelcontextprotocol/server-github'] },
        { platform: 'linux', env: { PATH: '/usr/bin' } },
      ).map((f) => f.id),
    ).toContain('npx-prompt');
    expect(
      checkEntry('gh', { command: '/usr/bin/npx', args: ['-y', 'x'] }, { platform: 'linux', env: {} }).map((f) => f.id),
    ).not.toContain('npx-prompt');
  });
  it('a ${VAR} the client will not expand', () => {
    const [f] = checkEntry(
      'gh',
      { command: '/bin/sh', env: { GITHUB_TOKEN: '${GITHUB_TOKEN}' } },
      { platform: 'linux', env: {} },
    );
    expect(f).toMatchObject({ id: 'unexpanded-variable', cause: expect.stringContaining('does not expand variables') });
  });
  it('a relative command', () => {
    expect(checkEntry('x', { command: './run.sh' }, { platform: 'linux', env: {} })[0]?.id).toBe('relative-command');
  });
  it('a command that is nowhere', () => {
    expect(checkEntry('x', { command: 'nope-not-here' }, { platform: 'linux', env: { PATH: '/usr/bin' } })[0]?.id).toBe(
      'command-not-found',
    );
  });
});

describe('doctor reports everything it can', () => {
  it('an unset variable is reported, and every other server is still diagnosed: declared ones as apply would write them, and the live ones', async () => {
    const node = JSON.stringify(process.execPath);
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  gh:\n    command: npx\n    args: ["-y", "@modelcontextprotocol/server-github"]\n    env: { GITHUB_TOKEN: "\${DOCTOR_TEST_UNSET_TOKEN}" }\n  tiny:\n    command: ${node}\n    args: ["${fixture('tiny-server.mjs')}"]\n  crashy:\n    command: ${node}\n    args: ["${fixture('exits-at-once.mjs')}"]\n`,
    });
    writeJson(sb.claudeConfig, { mcpServers: { relative: { command: 'node', args: ['./build/index.js'] } } });
    const r = await runCli(['doctor', '--json'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      checked: string[];
      findings: { id: string; server?: string; symptom: string; cause: string }[];
    };
    expect(report.checked.sort()).toEqual(['crashy', 'relative', 'tiny']);
    expect(ids(report)).toEqual(
      expect.arrayContaining(['gh:missing-variable', 'crashy:exits-at-start', 'relative:relative-path']),
    );
    expect(ids(report).filter((i) => i.startsWith('tiny:'))).toEqual([]);
    const text = await runCli(['doctor'], { cwd: sb.path(''), env: sb.env });
    expect(text.stdout).toMatch(/Servers checked: .*tiny/);
    expect(text.stdout).toContain('DOCTOR_TEST_UNSET_TOKEN');
  });
});
