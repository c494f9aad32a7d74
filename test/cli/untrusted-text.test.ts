import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

/**
 * Text mcpform did not write, in every place it comes from, through every output: nothing a
 * terminal would act on or hide may come out raw. (The sandbox sets NO_COLOR: mcpform's own
 * output holds no escape sequence either.)
 */
const RAW =
  // eslint-disable-next-line no-control-regex -- raw controls are what must never come out
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\u{e0000}-\u{e007f}]/u;

/** What mcp.yaml lets a name hold (no C0 control): bidi, zero-width, a C1 CSI, tag characters. */
const YAML_NAME = 'srv\u202eevil\u200b\u009b31m\u{e0041}';
/** What a client file or a server may send: anything, ESC included. */
const WILD = 'x\x1b[8mhidden\x1b[0m\u202e\r\u{e0049}';

function project(): Sandbox {
  const sb = sandbox();
  const tools = sb.path('tools.json');
  writeFileSync(
    tools,
    JSON.stringify([{ name: `read${WILD}`, description: `Reads.${WILD}`, inputSchema: { type: 'object' } }]),
  );
  // A server that dies with hostile stderr (its text, as JS escapes: the file itself is plain).
  const crashy = sb.write(
    'crashy.mjs',
    `process.stderr.write(${JSON.stringify(`boom${WILD}\n`)});\nprocess.exit(3);\n`,
  );
  sb.write(
    'mcp.yaml',
    [
      'version: 1',
      'servers:',
      `  "${YAML_NAME}":`,
      '    command: node',
      `    args: ["${fixture('tiny-server.mjs')}"]`,
      `    env: { TOOLS_FILE: "${tools}", "KEY\\u202e": "v\\u200b" }`,
      '  crashy:',
      '    command: node',
      `    args: ["${crashy}"]`,
      'environments:',
      `  "env\\u202e": { servers: ["${YAML_NAME}"] }`,
      '',
    ].join('\n'),
  );
  writeJson(sb.claudeConfig, {
    mcpServers: { [`hand${WILD}`]: { command: `cmd${WILD}`, args: [WILD], env: { [`K${WILD}`]: WILD } } },
  });
  return sb;
}

const cli = (sb: Sandbox, ...args: string[]) => runCli(args, { cwd: sb.path(''), env: sb.env });

function expectClean(what: string, ...texts: string[]): void {
  for (const t of texts) {
    const m = RAW.exec(t);
    expect(m, `${what}: raw U+${m?.[0].codePointAt(0)?.toString(16)} in\n${t}`).toBeNull();
  }
}

describe('untrusted text reaches no output raw', () => {
  it('plan, apply, test, doctor, clients, backups, rollback, lock and errors: text, JSON and Markdown', async () => {
    const sb = project();
    const runs: [string, string[]][] = [
      ['plan', ['plan']],
      ['plan --json', ['plan', '--json']],
      ['test', ['test', '--report', 'report.md']],
      ['test --json', ['test', '--json']],
      ['test --live', ['test', '--live']],
      ['test --live --json', ['test', '--live', '--json']],
      ['doctor', ['doctor']],
      ['doctor --json', ['doctor', '--json']],
      ['clients', ['clients']],
      ['clients --json', ['clients', '--json']],
      ['apply (health check fails: crashy)', ['apply', '--yes']],
      ['apply --json', ['apply', '--yes', '--json']],
      ['apply the tiny server', ['apply', '--yes', '-e', 'env\u202e']],
      ['lock (the handshake fails: crashy)', ['lock']],
      ['lock the tiny server', ['lock', '-e', 'env\u202e']],
      ['lock --json', ['lock', '--json', '-e', 'env\u202e']],
      ['backups', ['backups']],
      ['backups --json', ['backups', '--json']],
      ['rollback', ['rollback', '--yes']],
      ['rollback --json', ['rollback', '--yes', '--json']],
      ['an unknown server', ['test', 'nope']],
      ['an unknown server --json', ['test', 'nope', '--json']],
      ['an unknown environment', ['plan', '-e', 'nope']],
      ['an unknown environment --json', ['plan', '-e', 'nope', '--json']],
      ['validate', ['validate']],
    ];
    const out: Record<string, string> = {};
    for (const [what, args] of runs) {
      const r = await cli(sb, ...args);
      out[what] = r.stdout + r.stderr;
      expectClean(what, r.stdout, r.stderr);
      if (args.includes('--json') && r.stdout) expect(() => JSON.parse(r.stdout), what).not.toThrow();
    }
    expectClean('the Markdown report', readFileSync(sb.path('report.md'), 'utf8'));
    // Each source reached its output, escaped.
    expect(out['plan']).toContain('srv\\u202eevil\\u200b\\x9b31m\\u{e0041}');
    expect(out['plan']).toContain('handx\\e[8mhidden\\e[0m\\u202e\\r\\u{e0049}');
    expect(out['test']).toContain('boomx\\e[8mhidden');
    expect(out['test']).toContain('suspicious: tool readx\\e[8mhidden');
    expect(out['rollback']).toContain('servers then: handx\\e[8m');
    expect(out['an unknown environment']).toContain('env\\u202e');
  });

  it('init --import: names and keys read from a client file', async () => {
    const sb = sandbox();
    writeJson(sb.claudeConfig, {
      mcpServers: { [`hand${WILD}`]: { command: 'node', args: [WILD], env: { [`API_TOKEN${WILD}`]: 'sekret-98765' } } },
    });
    for (const args of [['init', '--import'], ['plan']]) {
      const r = await cli(sb, ...args);
      expectClean(args.join(' '), r.stdout, r.stderr);
    }
  });

  it('JSON output keeps the exact values: escaped in the text, not changed', async () => {
    const sb = project();
    const r = await cli(sb, 'test', '--live', '--json');
    const names = JSON.parse(r.stdout).results.map((x: { server: string }) => x.server);
    expect(names).toContain(`hand${WILD}`);
    expect(r.stdout).toContain('handx\\u001b[8mhidden\\u001b[0m\\u202e\\r\\udb40\\udc49');
  });
});
