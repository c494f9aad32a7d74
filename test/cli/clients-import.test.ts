import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { SERVERS, startEverythingHttp } from '../servers.js';

const NODE = process.execPath;
const put = (path: string, text: string) => (mkdirSync(dirname(path), { recursive: true }), writeFileSync(path, text));
const codexFile = (sb: Sandbox) => join(sb.home, '.codex', 'config.toml');
const gooseFile = (sb: Sandbox) => join(sb.home, '.config', 'goose', 'config.yaml');

/**
 * Three clients as people have them: `memory` the same everywhere, `github` with other args
 * in Goose, a secret in Claude Desktop's and Codex's github, hand-made settings around.
 */
function threeClients(sb: Sandbox): void {
  writeJson(sb.claudeConfig, {
    globalShortcut: 'Alt+Space',
    mcpServers: {
      memory: { command: NODE, args: [SERVERS.memory] },
      github: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_shared0123456789abcdefghij' },
      },
    },
  });
  put(
    codexFile(sb),
    [
      '# codex',
      'model = "gpt-5-codex"',
      '',
      '[mcp_servers.memory]',
      `command = ${JSON.stringify(NODE)}`,
      `args = [${JSON.stringify(SERVERS.memory)}]`,
      '',
      '[mcp_servers.github]',
      'command = "npx"',
      'args = ["-y", "@modelcontextprotocol/server-github"]',
      'startup_timeout_sec = 30',
      '',
      '[mcp_servers.github.env]',
      'GITHUB_PERSONAL_ACCESS_TOKEN = "ghp_shared0123456789abcdefghij"',
      '',
      '[profiles.fast]',
      'model = "o4-mini"',
      '',
    ].join('\r\n'),
  );
  put(
    gooseFile(sb),
    `# goose
GOOSE_PROVIDER: openai
extensions:
  developer:
    bundled: true
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  memory:
    args:
    - ${SERVERS.memory}
    cmd: ${NODE}
    enabled: true
    envs: {}
    name: memory
    timeout: 300
    type: stdio
  github:
    args:
    - -y
    - "@modelcontextprotocol/server-github@2025.4.8"
    cmd: npx
    enabled: true
    envs: {}
    name: github
    timeout: 300
    type: stdio
`,
  );
}

describe('init --import --from, then plan', () => {
  it('three clients: shared server once for all, the conflict kept aside, secrets in .env; plan says "No changes." everywhere', async () => {
    const sb = sandbox();
    threeClients(sb);
    const before = [sb.claudeConfig, codexFile(sb), gooseFile(sb)].map((f) => readFileSync(f, 'utf8'));
    const r = await runCli(['init', '--import', '--from', 'all'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported 3 servers from 3 clients');
    expect(r.stdout).toMatch(/Conflict: 'github' is defined differently in claude-desktop, codex and goose/);
    expect(r.stdout).toContain('kept as github-goose, applied nowhere yet');
    const yamlText = readFileSync(sb.path('mcp.yaml'), 'utf8');
    expect(yamlText).not.toContain('ghp_shared');
    const doc = parseYaml(yamlText);
    expect(Object.keys(doc.servers)).toEqual(['memory', 'github', 'github-goose']);
    expect(doc.servers.github.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN}' });
    // github-goose goes nowhere yet, so every target names its servers.
    expect(doc.targets).toEqual({
      'claude-desktop': { servers: ['memory', 'github'] },
      codex: { servers: ['memory', 'github'] },
      goose: { servers: ['memory'] },
    });
    expect(yamlText).toMatch(/github-goose \(this client's 'github'\)/);
    expect(readFileSync(sb.path('.env'), 'utf8')).toBe('GITHUB_PERSONAL_ACCESS_TOKEN=ghp_shared0123456789abcdefghij\n');

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    for (const t of ['claude-desktop', 'codex', 'goose']) expect(plan.stdout).toContain(`Target ${t}:`);
    // The first apply adopts without changing a byte of any file.
    const apply = await runCli(['apply', '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect([sb.claudeConfig, codexFile(sb), gooseFile(sb)].map((f) => readFileSync(f, 'utf8'))).toEqual(before);

    // clients --json: each file, its servers, who manages them.
    const c = await runCli(['clients', '--json'], { cwd: sb.path(''), env: sb.env });
    expect(c.code, c.stderr).toBe(0);
    const list = JSON.parse(c.stdout) as {
      formatVersion: number;
      clients: {
        client: string;
        path: string;
        servers: number;
        managed: { servers: string[] }[];
        unmanaged: string[];
      }[];
    };
    expect(list.formatVersion).toBe(1);
    const by = Object.fromEntries(list.clients.map((x) => [x.client, x]));
    expect(Object.keys(by)).toEqual(expect.arrayContaining(['claude-desktop', 'codex', 'goose']));
    expect(by.codex!.path).toBe(codexFile(sb));
    // `developer` is Goose's built-in extension, not a server from its config.
    expect(by.goose).toMatchObject({ servers: 2, unmanaged: ['github'] });
    expect(by.goose!.managed.flatMap((m) => m.servers)).toEqual(['memory']);
    expect(by['claude-desktop']!.managed.flatMap((m) => m.servers).sort()).toEqual(['github', 'memory']);
    expect(by.cursor).toBeUndefined();
    const text = await runCli(['clients'], { cwd: sb.path(''), env: sb.env });
    expect(text.stdout).toContain(
      `goose  ${gooseFile(sb)}\n    1 managed by ${realpathSync(sb.path('mcp.yaml'))}: memory\n    1 unmanaged: github\n`,
    );
  });

  it('--import --target codex imports that one client; an unknown name is refused with the list', async () => {
    const sb = sandbox();
    threeClients(sb);
    const r = await runCli(['init', '--import', '--target', 'codex'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(parseYaml(readFileSync(sb.path('mcp.yaml'), 'utf8')).targets).toEqual(['codex']);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // --from all passes over a file it cannot read, and says so; nothing is written to it.
    put(sb.env.MCPFORM_CURSOR_CONFIG!, '{ "mcpServers": { "x": ');
    const all = await runCli(['init', '--force', '--from', 'all'], { cwd: sb.path(''), env: sb.env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/Skipped cursor: .*mcp\.json:1:\d+ is not valid JSON/);
    expect(readFileSync(sb.env.MCPFORM_CURSOR_CONFIG!, 'utf8')).toBe('{ "mcpServers": { "x": ');
    const bad = await runCli(['init', '--force', '--from', 'codx'], { cwd: sb.path(''), env: sb.env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unsupported target 'codx' \(did you mean 'codex'\?\)/);
  });
});

describe('init --import from Codex: variables it reads by name stay variables', () => {
  it('bearer_token_env_var and env_http_headers become ${VAR} headers, no value in .env; plan says "No changes."', async () => {
    const sb = sandbox();
    put(
      codexFile(sb),
      '# mine\n[mcp_servers.docs]\nurl = "https://docs.example.test/mcp"\nbearer_token_env_var = "DOCS_TOKEN"\nenv_http_headers = { "X-Key" = "DOCS_KEY" }\nhttp_headers = { "X-Team" = "platform" }\nstartup_timeout_sec = 20\n',
    );
    const env = { ...sb.env, DOCS_TOKEN: 'tok-in-shell-1', DOCS_KEY: 'key-in-shell-2' };
    const r = await runCli(['init', '--import', '--target', 'codex'], { cwd: sb.path(''), env });
    expect(r.code, r.stderr).toBe(0);
    const doc = parseYaml(readFileSync(sb.path('mcp.yaml'), 'utf8'));
    expect(doc.servers.docs).toEqual({
      url: 'https://docs.example.test/mcp',
      headers: { 'X-Team': 'platform', 'X-Key': '${DOCS_KEY}', Authorization: 'Bearer ${DOCS_TOKEN}' },
    });
    expect(r.stdout).not.toContain('Moved');
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Will adopt (already exactly as declared');
  });
});

describe('test --live --target and doctor --target read any client through the adapter', () => {
  it('codex (stdio + a remote with env_http_headers) and goose, with real servers', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    const { url } = await startEverythingHttp('streamableHttp');
    put(
      codexFile(sb),
      `# mine\n[mcp_servers.memory]\ncommand = ${JSON.stringify(NODE)}\nargs = [${JSON.stringify(SERVERS.memory)}]\n\n[mcp_servers.everything]\nurl = "${url}"\nenv_http_headers = { "X-Api-Key" = "EVERYTHING_KEY" }\n`,
    );
    put(
      gooseFile(sb),
      `extensions:\n  memory:\n    cmd: ${NODE}\n    args: [${JSON.stringify(SERVERS.memory)}]\n    enabled: true\n    name: memory\n    type: stdio\n    timeout: 300\n`,
    );
    const env = { ...sb.env, EVERYTHING_KEY: 'k-secret-314159' };
    const codex = await runCli(['test', '--live', '--target', 'codex', '--json'], { cwd: sb.path(''), env });
    expect(codex.code, codex.stdout + codex.stderr).toBe(0);
    const results = JSON.parse(codex.stdout).results as { server: string; ok: boolean; tools: unknown[] }[];
    expect(results.map((x) => [x.server, x.ok])).toEqual([
      ['memory', true],
      ['everything', true],
    ]);
    expect(codex.stdout).not.toContain('k-secret-314159');
    const goose = await runCli(['test', '--live', '--target', 'goose'], { cwd: sb.path(''), env });
    expect(goose.code, goose.stdout + goose.stderr).toBe(0);
    expect(goose.stdout).toMatch(/memory/);

    const doc = await runCli(['doctor', '--target', 'goose', '--json'], { cwd: sb.path(''), env });
    expect(doc.code, doc.stdout + doc.stderr).toBe(0);
    expect(JSON.parse(doc.stdout)).toMatchObject({ target: 'goose', configPath: gooseFile(sb), checked: ['memory'] });
    const all = await runCli(['doctor', '--target', 'all', '--json'], { cwd: sb.path(''), env });
    const reports = JSON.parse(all.stdout).targets as { target: string; checked: string[] }[];
    expect(reports.map((x) => x.target)).toEqual(expect.arrayContaining(['claude-desktop', 'codex', 'goose']));
    expect(reports.find((x) => x.target === 'codex')!.checked).toEqual(['memory', 'everything']);
  });

  it('doctor --target codex on a broken config.toml names file:line:col', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    put(codexFile(sb), '[mcp_servers.x]\ncommand = "a"\ncommand = "b"\n');
    const r = await runCli(['doctor', '--target', 'codex', '--json'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    const f = JSON.parse(r.stdout).findings[0];
    expect(f.id).toBe('invalid-config');
    expect(f.cause).toMatch(/config\.toml:3:\d+ is not valid TOML/);
  });
});
