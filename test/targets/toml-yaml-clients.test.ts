import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { applyPlanToEntries } from '../../src/plan/compute.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import { sandbox, testWorld } from '../helpers.js';

const YAML = (target: string) => `version: 1
targets: [${target}]
servers:
  tiny: { command: node, args: [new.js], env: { LOG: debug } }
  fresh: { command: npx, args: ["-y", "some-server"] }
  docs:
    url: https://docs.example.test/mcp
    headers: { Authorization: "Bearer \${DOCS_TOKEN}", X-Team: platform, X-Key: "\${DOCS_KEY}" }
`;

/** Codex's config.toml as people have it: comments, other tables, a hand-made server, a sub-table. */
const CODEX = (eol: string) =>
  [
    '# Codex settings',
    'model = "gpt-5-codex"',
    'approval_policy = "on-request"',
    '',
    '[features]',
    'web_search = true',
    '',
    '# my git server, by hand',
    '[mcp_servers.handmade]',
    'command = "uvx"',
    'args = ["mcp-server-git"]',
    'startup_timeout_sec = 20',
    '',
    '[mcp_servers.tiny]',
    'command = "node"',
    'args = ["old.js"]',
    'enabled_tools = ["read"]   # only this',
    '',
    '[mcp_servers.tiny.env]',
    'LOG = "info"',
    '',
    '[profiles.fast]',
    'model = "o4-mini"',
    '',
  ].join(eol);

/** Goose's config.yaml as Goose writes it (serde_yaml: flush dashes), plus a user's comment. */
const GOOSE = `# goose config
GOOSE_PROVIDER: openai
GOOSE_MODEL: gpt-4o   # my model
extensions:
  developer:
    bundled: true
    display_name: Developer
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  handmade:
    args:
    - mcp-server-git
    cmd: uvx
    enabled: false # off for now
    envs: {}
    name: handmade
    timeout: 300
    type: stdio
  tiny:
    args:
    - old.js
    cmd: node
    description: my tiny server
    enabled: true
    envs:
      LOG: info
    name: tiny
    timeout: 60
    type: stdio
GOOSE_MODE: smart_approve
`;

const CONTINUE = `name: mcpform
version: 0.0.1
schema: v1
mcpServers:
  - name: handmade # mine
    command: uvx
    args: [mcp-server-git]
  - name: tiny
    command: node
    args: [old.js]
    connectionTimeout: 5000
`;

function setup(client: string, text: string | undefined) {
  const sb = sandbox({ 'mcp.yaml': YAML(client) });
  const env = { ...sb.env, DOCS_TOKEN: 'tok-123', DOCS_KEY: 'key-456' };
  const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env }) });
  const adapter = adapterFor(client);
  const file = adapter.resolvePath(state.targets[0]!, testWorld({ env }));
  if (text !== undefined) sb.write('../' + file.slice(sb.dir.length + 1), text);
  const plan = () => buildPlans(state, testWorld({ env }))[0]!;
  const write = () => {
    const tp = plan();
    const out = tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out);
    return out;
  };
  const actions = () => plan().plan.changes.map((c) => `${c.action} ${c.server}`);
  return { file, plan, write, actions };
}

describe('codex: config.toml edited by table, comments and other tables kept', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('%s: adopt + create, then "No changes."; every other byte as it was', (_, eol) => {
    const before = CODEX(eol);
    const { write, actions, plan } = setup('codex', before);
    expect(actions()).toEqual(['adopt tiny', 'create fresh', 'create docs']);
    const after = write();
    // Everything before the changed table, and the table after the servers.
    expect(after.startsWith(before.slice(0, before.indexOf('[mcp_servers.tiny]')))).toBe(true);
    expect(after.endsWith(`[profiles.fast]${eol}model = "o4-mini"${eol}`)).toBe(true);
    expect(after).toContain(`enabled_tools = ["read"]   # only this${eol}`);
    expect(after).toContain(`[mcp_servers.tiny.env]${eol}LOG = "debug"${eol}`);
    expect(after).toContain(`${eol}[mcp_servers.fresh]${eol}command = "npx"${eol}args = ["-y", "some-server"]${eol}`);
    expect(after.replace(/\r\n/g, '').includes('\n')).toBe(eol === '\n');
    // New servers are tables among the other servers, not inline tables or keys at the top.
    expect(after.indexOf('[mcp_servers.docs]')).toBeLessThan(after.indexOf('[profiles.fast]'));
    expect(after).not.toMatch(/^mcp_servers\s*=|^type\s*=/m);
    const parsed = parseToml(after) as { mcp_servers: Record<string, Record<string, unknown>> };
    expect(parsed.mcp_servers.docs).toEqual({
      url: 'https://docs.example.test/mcp',
      bearer_token_env_var: 'DOCS_TOKEN',
      http_headers: { 'X-Team': 'platform' },
      env_http_headers: { 'X-Key': 'DOCS_KEY' },
    });
    // No secret value in the file: Codex reads the variables itself.
    expect(after).not.toContain('tok-123');
    expect(after).not.toContain('key-456');
    expect(plan().plan.changes).toEqual([]);
  });

  it('a literal secret header is written as its value in http_headers, and masked in the plan', () => {
    const sb = sandbox({
      'mcp.yaml':
        'version: 1\ntargets: [codex]\nservers:\n  docs: { url: "https://d.test/mcp", headers: { X-Api-Key: literal-secret-9 } }\n',
    });
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    const tp = buildPlans(state, sb.world)[0]!;
    const change = tp.plan.changes[0]!;
    expect(change.after).toEqual({ url: 'https://d.test/mcp', http_headers: { 'X-Api-Key': 'literal-secret-9' } });
    expect(change.fields.find((f) => f.field === 'http_headers.X-Api-Key')?.sensitive).toBe(true);
  });

  it('toCanonical: variable names resolved from the environment only when one is given', () => {
    const entry = { url: 'https://d.test', bearer_token_env_var: 'T', env_http_headers: { 'X-K': 'K' } };
    expect(adapterFor('codex').toCanonical(entry)).toEqual({
      type: 'http',
      url: 'https://d.test',
      headers: { 'X-K': '${K}', Authorization: 'Bearer ${T}' },
    });
    expect(adapterFor('codex').toCanonical(entry, { T: 't', K: 'k' }).headers).toEqual({
      'X-K': 'k',
      Authorization: 'Bearer t',
    });
  });

  it('paths: $CODEX_HOME, else ~/.codex (Windows %USERPROFILE%\\.codex)', () => {
    const codex = adapterFor('codex');
    expect(codex.resolvePath({ name: 'codex' }, testWorld({ env: { HOME: '/h' }, platform: 'linux' }))).toBe(
      '/h/.codex/config.toml',
    );
    expect(
      codex.resolvePath({ name: 'codex' }, testWorld({ env: { HOME: '/h', CODEX_HOME: '/c' }, platform: 'darwin' })),
    ).toBe('/c/config.toml');
    expect(
      codex.resolvePath({ name: 'codex' }, testWorld({ env: { USERPROFILE: 'C:\\Users\\a' }, platform: 'win32' })),
    ).toBe('C:\\Users\\a\\.codex\\config.toml');
  });
});

describe('goose: extensions edited through the yaml Document API', () => {
  it('adopt + create; enabled/timeout of existing entries are the user\'s; then "No changes."', () => {
    const { write, actions, plan, file } = setup('goose', GOOSE);
    expect(actions()).toEqual(['adopt tiny', 'create fresh', 'create docs']);
    const after = write();
    // Lines the edit did not touch keep their bytes, a comment's spacing included.
    expect(
      after.startsWith('# goose config\nGOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o   # my model\nextensions:\n'),
    ).toBe(true);
    expect(GOOSE.split('\n').filter((l) => !after.split('\n').includes(l))).toEqual([
      '    - old.js',
      '      LOG: info',
    ]);
    expect(after).toContain('    enabled: false # off for now\n');
    expect(after).toContain('  developer:\n    bundled: true\n');
    expect(after.endsWith('GOOSE_MODE: smart_approve\n')).toBe(true);
    const ext = (parseYaml(readFileSync(file, 'utf8')) as { extensions: Record<string, Record<string, unknown>> })
      .extensions;
    expect(ext.tiny).toEqual({
      args: ['new.js'],
      cmd: 'node',
      description: 'my tiny server',
      enabled: true,
      envs: { LOG: 'debug' },
      name: 'tiny',
      timeout: 60,
      type: 'stdio',
    });
    expect(ext.fresh).toEqual({
      type: 'stdio',
      name: 'fresh',
      cmd: 'npx',
      args: ['-y', 'some-server'],
      enabled: true,
      timeout: 300,
    });
    expect(ext.docs).toMatchObject({ type: 'streamable_http', uri: 'https://docs.example.test/mcp', enabled: true });
    expect(after).not.toMatch(/type: sse/);
    expect(plan().plan.changes).toEqual([]);
  });

  it("Goose's built-in extensions are not servers: never unmanaged, never pruned, never replaced", () => {
    const { plan } = setup('goose', GOOSE);
    const p = plan();
    expect(p.plan.unmanaged).toEqual(['handmade']);
    expect(Object.keys(p.live.entries)).not.toContain('developer');
    const sb = sandbox({ 'mcp.yaml': 'version: 1\ntargets: [goose]\nservers:\n  developer: { command: node }\n' });
    const goosePath = adapterFor('goose').resolvePath({ name: 'goose' }, sb.world);
    sb.write('../' + goosePath.slice(sb.dir.length + 1), GOOSE);
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: sb.world });
    expect(() => buildPlans(state, sb.world)).toThrow(/built-in extension/);
  });

  it('an SSE server goes through mcp-remote (Goose dropped SSE); cwd is refused with what to do', () => {
    const sb = sandbox({
      'mcp.yaml':
        'version: 1\ntargets: [goose]\nservers:\n  old: { url: "https://o.test/sse", transport: sse }\n  here: { command: node, cwd: /tmp }\n',
    });
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    const goose = adapterFor('goose');
    expect(goose.render(state.servers[0]!, new Map(), undefined, 'linux').entry).toMatchObject({
      type: 'stdio',
      cmd: 'npx',
      args: ['-y', 'mcp-remote', 'https://o.test/sse', '--transport', 'sse-only'],
    });
    expect(() => goose.render(state.servers[1]!, new Map(), undefined, 'linux')).toThrow(
      /cwd.*Goose extensions cannot/,
    );
  });

  it('paths: XDG, GOOSE_PATH_ROOT, Windows %APPDATA%\\Block\\goose\\config', () => {
    const goose = adapterFor('goose');
    expect(goose.resolvePath({ name: 'goose' }, testWorld({ env: { HOME: '/h' }, platform: 'darwin' }))).toBe(
      '/h/.config/goose/config.yaml',
    );
    expect(
      goose.resolvePath(
        { name: 'goose' },
        testWorld({ env: { HOME: '/h', GOOSE_PATH_ROOT: '/g' }, platform: 'linux' }),
      ),
    ).toBe('/g/config/config.yaml');
    expect(goose.resolvePath({ name: 'goose' }, testWorld({ env: { APPDATA: 'C:\\A' }, platform: 'win32' }))).toBe(
      'C:\\A\\Block\\goose\\config\\config.yaml',
    );
  });
});

describe("continue: mcpform's own block file, a list of named entries", () => {
  it('a new block file gets name, version, schema and the list', () => {
    const { write, actions, plan, file } = setup('continue', undefined);
    expect(file.endsWith(join('home', '.continue', 'mcpServers', 'mcpform.yaml'))).toBe(true);
    expect(actions()).toEqual(['create tiny', 'create fresh', 'create docs']);
    write();
    const block = parseYaml(readFileSync(file, 'utf8'));
    expect(block).toMatchObject({ name: 'mcpform', version: '0.0.1', schema: 'v1' });
    expect(block.mcpServers).toEqual([
      { name: 'tiny', type: 'stdio', command: 'node', args: ['new.js'], env: { LOG: 'debug' } },
      { name: 'fresh', type: 'stdio', command: 'npx', args: ['-y', 'some-server'] },
      {
        name: 'docs',
        type: 'streamable-http',
        url: 'https://docs.example.test/mcp',
        requestOptions: { headers: { Authorization: 'Bearer tok-123', 'X-Team': 'platform', 'X-Key': 'key-456' } },
      },
    ]);
    expect(plan().plan.changes).toEqual([]);
  });

  it('an existing block: the hand-made entry and its comment stay, tiny is edited in place, then "No changes."', () => {
    const { write, actions, plan } = setup('continue', CONTINUE);
    expect(actions()).toEqual(['adopt tiny', 'create fresh', 'create docs']);
    const after = write();
    expect(
      after.startsWith('name: mcpform\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: handmade # mine\n'),
    ).toBe(true);
    expect(after).toContain('    connectionTimeout: 5000\n');
    expect(after.indexOf('name: fresh')).toBeGreaterThan(after.indexOf('name: tiny'));
    expect(plan().plan.changes).toEqual([]);
    // Removing an entry cuts it out of the list; the others keep their places.
    const tp = plan();
    const entries = { ...tp.live.entries };
    delete entries.tiny;
    const out = tp.adapter.serialize(tp.live, entries);
    expect((parseYaml(out).mcpServers as { name: string }[]).map((e) => e.name)).toEqual(['handmade', 'fresh', 'docs']);
  });

  it('a list item without a name, or a name twice, is refused at read', () => {
    const { plan } = setup('continue', 'mcpServers:\n  - name: a\n    command: x\n  - name: a\n    command: y\n');
    expect(() => plan()).toThrow(/mcpServers\[1\] repeats the name 'a'; mcpform will not overwrite it/);
  });
});

describe('hostile server names round-trip through every non-JSON client', () => {
  const NAMES = ['a.b', 'with space', 'quo"te', "it's", 'ünï', '[x]', '#hash', 'key = 1', '- dash', 'true', '123'];
  it.each(['codex', 'goose', 'continue'])(
    '%s: written, read back as the same entries, rewritten to the same bytes',
    (client) => {
      const sb = sandbox();
      const adapter = adapterFor(client);
      const spec = { name: client, base: sb.path('') };
      const file = adapter.resolvePath(spec, testWorld({ env: sb.env }));
      mkdirSync(dirname(file), { recursive: true });
      const entries: Record<string, Record<string, unknown>> = {};
      for (const n of NAMES) entries[n] = { ...stdioEntry(client, n), args: [`--name=${n}`, '${NOT_EXPANDED}'] };
      writeFileSync(file, adapter.serialize(adapter.read(file, spec), entries));
      const live = adapter.read(file, spec);
      // (JavaScript lists an integer-like key such as '123' first: compare as sets.)
      expect(Object.keys(live.entries).sort()).toEqual([...NAMES].sort());
      expect(live.entries).toEqual(client === 'continue' ? withType(entries) : entries);
      expect(adapter.serialize(live, { ...live.entries })).toBe(readFileSync(file, 'utf8'));
    },
  );
});

function stdioEntry(client: string, name: string): Record<string, unknown> {
  if (client === 'goose') return { type: 'stdio', name, cmd: 'node', enabled: true, timeout: 300 };
  if (client === 'continue') return { type: 'stdio', command: 'node' };
  return { command: 'node' };
}

function withType(entries: Record<string, Record<string, unknown>>) {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { type: 'stdio', ...v }]));
}
