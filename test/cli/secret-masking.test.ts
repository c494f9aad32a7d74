import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const LEAKY = fixture('leaky-server.mjs');
const SECRETS = { PW: 'pw-Zq81xx', KEY: 'key-Rt55yy', TOKEN: 'tok-Mn27zz' };

/** A server whose args and env carry three secrets, each inside a longer string. */
function project(mode: 'exit' | 'stateless', extra = ''): Sandbox {
  const sb = sandbox({
    'mcp.yaml': [
      'version: 1',
      'servers:',
      '  leaky:',
      '    command: node',
      `    args: ["${LEAKY}", "postgres://u:\${PW}@h/db", "--api-key=\${KEY}"]`,
      `    env: { AUTH_HEADER: "Bearer \${TOKEN}", LEAK_MODE: ${mode} }`,
      '    test: { timeout: 10s }',
      extra,
      '',
    ].join('\n'),
  });
  Object.assign(sb.env, SECRETS);
  return sb;
}

function expectNoSecret(...outputs: string[]): void {
  for (const out of outputs) for (const s of Object.values(SECRETS)) expect(out).not.toContain(s);
}

const cli = (sb: Sandbox, args: string[], env = sb.env) => runCli(args, { cwd: sb.path(''), env });

describe('secrets never reach an output', () => {
  it('test: text, --json and the Markdown report mask each interpolated part', async () => {
    const sb = project('exit');
    const text = await cli(sb, ['test', '--report', 'report.md']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('(sensitive)');
    const json = await cli(sb, ['test', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).results[0].stderrTail).toContain('(sensitive)');
    expectNoSecret(text.stdout, text.stderr, json.stdout, json.stderr, readFileSync(sb.path('report.md'), 'utf8'));
  });

  it('apply: the failed health check that rolls back prints no secret', async () => {
    const sb = project('exit');
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const r = await cli(sb, ['apply', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stderr');
    expectNoSecret(r.stdout, r.stderr);
    const json = await cli(sb, ['apply', '--yes', '--json']);
    expect(json.code).toBe(1);
    expectNoSecret(json.stdout, json.stderr);
  });

  it('apply: a secret only interpolation marks (no secret-looking key, flag or URL) is masked too', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  leaky:\n    command: node\n    args: ["${LEAKY}", "--region=\${REGION}"]\n    env: { SUFFIX: "x-\${SUFFIX}", LEAK_MODE: exit }\n    test: { timeout: 10s }\n`,
    });
    Object.assign(sb.env, { REGION: 'region-Hk44qq', SUFFIX: 'suffix-Jw93pp' });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    for (const args of [
      ['apply', '--yes'],
      ['apply', '--yes', '--json'],
    ]) {
      const r = await cli(sb, args);
      expect(r.code).toBe(1);
      if (args.length === 2) expect(r.stderr).toContain('(sensitive)'); // the stderr tail, masked
      for (const s of ['region-Hk44qq', 'suffix-Jw93pp']) expect(r.stdout + r.stderr).not.toContain(s);
    }
  });

  it('the stateless (server/discover) path: server name, tool description and stderr', async () => {
    const sb = project('stateless');
    const r = await cli(sb, ['test', '--json']);
    const result = JSON.parse(r.stdout).results[0];
    expect(result.lifecycle).toBe('discover');
    expect(result.tools[0].description).toContain('(sensitive)');
    expectNoSecret(r.stdout, r.stderr);
  });

  it('doctor and test --live mask secrets of the live file: env keys, --token X, --api-key=X', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    writeJson(sb.claudeConfig, {
      mcpServers: {
        handmade: {
          command: 'node',
          args: [LEAKY, '--token', 'live-flag-secret', '--api-key=live-eq-secret'],
          env: { SERVICE_PASSWORD: 'live-env-secret', LEAK_MODE: 'exit' },
        },
      },
    });
    const live = await cli(sb, ['test', '--live']);
    const liveJson = await cli(sb, ['test', '--live', '--json']);
    const doctor = await cli(sb, ['doctor']);
    const doctorJson = await cli(sb, ['doctor', '--json']);
    expect(live.code).toBe(1);
    expect(doctor.code).toBe(1);
    expect(live.stdout).toContain('(sensitive)');
    for (const out of [live, liveJson, doctor, doctorJson])
      for (const s of ['live-flag-secret', 'live-eq-secret', 'live-env-secret']) {
        expect(out.stdout).not.toContain(s);
        expect(out.stderr).not.toContain(s);
      }
  });

  it('server text with escape sequences is shown, never interpreted', async () => {
    const sb = project('exit');
    const r = await cli(sb, ['test', '--report', 'report.md']);
    expect(r.stdout).toContain('\\e[8mHIDDEN-BY-SGR');
    expect(r.stdout).toContain('\\rOVERWRITE');
    expect(r.stdout + r.stderr).not.toContain('\x1b');
    expect(readFileSync(sb.path('report.md'), 'utf8')).not.toContain('\x1b');
  });

  it('the shell-variable diagnosis never hands the server a secret-looking variable it did not name', async () => {
    const sb = sandbox();
    const dump = sb.path('env-names.txt');
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  picky:\n    command: node\n    args: ["${LEAKY}"]\n    env: { LEAK_MODE: needs-var, ENV_DUMP_FILE: "${dump}" }\n    test: { timeout: 10s }\n`,
    );
    const r = await cli(sb, ['test'], {
      ...sb.env,
      AWS_SECRET_ACCESS_KEY: 'aws-shell-secret',
      SHELL_ONLY_SETTING: 'on',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('${SHELL_ONLY_SETTING}');
    const seen = readFileSync(dump, 'utf8');
    expect(seen).toContain('SHELL_ONLY_SETTING');
    expect(seen).not.toContain('AWS_SECRET_ACCESS_KEY');
  });
});
