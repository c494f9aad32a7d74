import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { applyPlanToEntries } from '../../src/plan/compute.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import type { TargetSpec } from '../../src/config/types.js';
import { sandbox, testWorld } from '../helpers.js';

const at = (name: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, spec: Partial<TargetSpec> = {}) =>
  adapterFor(name).resolvePath({ name, base: '/p', ...spec }, testWorld({ env: { HOME: '/h', ...env }, platform }));

describe('new clients: paths per OS and scope', () => {
  const WIN = { USERPROFILE: 'C:\\Users\\me' };
  it.each([
    ['crush', 'linux', {}, {}, '/h/.config/crush/crush.json'],
    ['crush', 'darwin', {}, {}, '/h/.config/crush/crush.json'],
    ['crush', 'linux', { XDG_CONFIG_HOME: '/x' }, {}, '/x/crush/crush.json'],
    ['crush', 'win32', { ...WIN, LOCALAPPDATA: 'D:\\Local' }, {}, 'D:\\Local\\crush\\crush.json'],
    ['crush', 'win32', WIN, {}, 'C:\\Users\\me\\AppData\\Local\\crush\\crush.json'],
    ['crush', 'linux', {}, { scope: 'project' }, '/p/crush.json'],
    ['kilo', 'linux', {}, {}, '/h/.config/kilo/kilo.jsonc'],
    ['kilo', 'darwin', {}, {}, '/h/.config/kilo/kilo.jsonc'],
    ['kilo', 'linux', { XDG_CONFIG_HOME: '/x' }, {}, '/x/kilo/kilo.jsonc'],
    ['kilo', 'win32', WIN, {}, 'C:\\Users\\me\\.config\\kilo\\kilo.jsonc'],
    ['kilo', 'linux', {}, { scope: 'project' }, '/p/kilo.jsonc'],
    ['amp', 'linux', {}, {}, '/h/.config/amp/settings.json'],
    ['amp', 'darwin', {}, {}, '/h/.config/amp/settings.json'],
    ['amp', 'win32', WIN, {}, 'C:\\Users\\me\\.config\\amp\\settings.json'],
    ['amp', 'linux', {}, { scope: 'workspace' }, '/p/.amp/settings.json'],
    ['visual-studio', 'win32', WIN, {}, 'C:\\Users\\me\\.mcp.json'],
    ['visual-studio', 'win32', WIN, { scope: 'project', base: 'C:\\src\\app' }, 'C:\\src\\app\\.mcp.json'],
    ['visual-studio', 'linux', {}, {}, '/h/.mcp.json'],
    ['visual-studio', 'linux', {}, { scope: 'project' }, '/p/.mcp.json'],
    ['warp', 'linux', {}, {}, '/h/.warp/.mcp.json'],
    ['warp', 'darwin', {}, {}, '/h/.warp/.mcp.json'],
    ['warp', 'win32', WIN, {}, 'C:\\Users\\me\\.warp\\.mcp.json'],
    ['warp', 'linux', {}, { scope: 'project' }, '/p/.warp/.mcp.json'],
    ['factory', 'linux', {}, {}, '/h/.factory/mcp.json'],
    ['factory', 'darwin', {}, {}, '/h/.factory/mcp.json'],
    ['factory', 'win32', WIN, {}, 'C:\\Users\\me\\.factory\\mcp.json'],
    ['factory', 'linux', {}, { scope: 'project' }, '/p/.factory/mcp.json'],
    ['jetbrains', 'linux', {}, {}, '/h/.junie/mcp/mcp.json'],
    ['jetbrains', 'darwin', {}, {}, '/h/.junie/mcp/mcp.json'],
    ['jetbrains', 'win32', WIN, {}, 'C:\\Users\\me\\.junie\\mcp\\mcp.json'],
    ['jetbrains', 'linux', {}, { scope: 'project' }, '/p/.junie/mcp/mcp.json'],
    ['antigravity', 'linux', {}, {}, '/h/.gemini/config/mcp_config.json'],
    ['antigravity', 'darwin', {}, {}, '/h/.gemini/config/mcp_config.json'],
    ['antigravity', 'win32', WIN, {}, 'C:\\Users\\me\\.gemini\\config\\mcp_config.json'],
    ['antigravity', 'linux', {}, { scope: 'project' }, '/p/.agents/mcp_config.json'],
    ['augment', 'linux', {}, {}, '/h/.augment/settings.json'],
    ['augment', 'darwin', {}, {}, '/h/.augment/settings.json'],
    ['augment', 'win32', WIN, {}, 'C:\\Users\\me\\.augment\\settings.json'],
    ['augment', 'linux', {}, { scope: 'project' }, '/p/.augment/settings.json'],
    ['augment', 'linux', {}, { scope: 'local' }, '/p/.augment/settings.local.json'],
  ] as const)('%s on %s %j %j: %s', (name, platform, env, spec, expected) => {
    expect(at(name, platform, env, spec)).toBe(expected);
  });

  it("the project's other spelling is used when it is the only one there (.crush.json, .kilo/kilo.jsonc)", () => {
    const sb = sandbox({ '.crush.json': '{}\n', '.kilo/kilo.jsonc': '{}\n' });
    const world = testWorld({ env: sb.env, home: sb.home });
    const base = sb.path('');
    expect(adapterFor('crush').resolvePath({ name: 'crush', scope: 'project', base }, world)).toBe(
      join(base, '.crush.json'),
    );
    expect(adapterFor('kilo').resolvePath({ name: 'kilo', scope: 'project', base }, world)).toBe(
      join(base, '.kilo', 'kilo.jsonc'),
    );
    sb.write('crush.json', '{}\n');
    expect(adapterFor('crush').resolvePath({ name: 'crush', scope: 'project', base }, world)).toBe(
      join(base, 'crush.json'),
    );
  });
});

function setUp(targets: string, servers: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets: ${targets}\n${servers}`, ...files });
  const world = testWorld({ env: { ...sb.env, MCPFORM_CLAUDE_CODE_CONFIG: undefined, ...env }, home: sb.home });
  const state = () => loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world });
  const plans = () => buildPlans(state(), world, {});
  /** Each target's edit in turn, each read after the one before (two targets may share a file). */
  const write = () => {
    for (let i = 0; i < plans().length; i++) {
      const tp = plans()[i]!;
      mkdirSync(dirname(tp.live.path), { recursive: true });
      writeFileSync(tp.live.path, tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan)));
    }
  };
  const yaml = (more: string) => sb.write('mcp.yaml', `version: 1\ntargets: ${targets}\n${servers}${more}`);
  return { sb, plans, write, yaml };
}

const summary = (tp: ReturnType<typeof buildPlans>[number]) =>
  tp.plan.changes.map((c) => `${c.action} ${c.server} ${c.fields.map((f) => f.field)}`);

/** A crush.json as Charm's docs show it: $schema, lsp, options, typed entries with Crush's own fields. */
const CRUSH = `{
  "$schema": "https://charm.land/crush.json",
  "options": { "debug": false },
  "lsp": { "go": { "command": "gopls" } },
  "mcp": {
    "filesystem": {
      "type": "stdio",
      "command": "node",
      "args": ["/srv/fs.js"],
      "timeout": 120,
      "disabled": false,
      "disabled_tools": ["write_file"],
      "env": { "NODE_ENV": "production" }
    },
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/",
      "headers": { "Authorization": "Bearer $GH_PAT" }
    },
    "events": { "type": "sse", "url": "https://events.example.com/mcp/sse" },
    "bare": { "command": "uvx", "args": ["mcp-server-git"] }
  }
}
`;

describe('crush', () => {
  const IMPORTED = `servers:
  filesystem: { command: node, args: [/srv/fs.js], env: { NODE_ENV: production } }
  events: { url: https://events.example.com/mcp/sse, transport: sse }
  bare: { command: uvx, args: [mcp-server-git] }
`;

  it('its own entries, imported: "No changes."; a new server is typed; the hand-made one and the rest keep their bytes', () => {
    const { sb, plans, write, yaml } = setUp('[crush]', IMPORTED);
    const file = sb.write('../home/.config/crush/crush.json', CRUSH);
    const [tp] = plans();
    expect(tp!.live.path).toBe(file);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['filesystem', 'events', 'bare']);
    expect(tp!.plan.unmanaged).toEqual(['github']);

    yaml(
      '  fresh: { command: node, args: [f.js], env: { K: v } }\n  web: { url: https://w.example/mcp, headers: { X-Team: a } }\n',
    );
    expect(summary(plans()[0]!)).toEqual([
      'create fresh type,command,args,env.K',
      'create web type,url,headers.X-Team',
    ]);
    write();
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text);
    expect(doc.mcp.fresh).toEqual({ type: 'stdio', command: 'node', args: ['f.js'], env: { K: 'v' } });
    expect(doc.mcp.web).toEqual({ type: 'http', url: 'https://w.example/mcp', headers: { 'X-Team': 'a' } });
    // Everything mcpform did not add is byte for byte what it was.
    expect(text.startsWith(CRUSH.slice(0, CRUSH.indexOf('    "bare"')))).toBe(true);
    expect(text).toContain('"bare": { "command": "uvx", "args": ["mcp-server-git"] }');
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it('a changed arg keeps the entry its other fields (timeout, disabled, disabled_tools)', () => {
    const { sb, plans, write } = setUp('[crush]', IMPORTED.replace('/srv/fs.js', '/srv/fs2.js'));
    const file = sb.write('../home/.config/crush/crush.json', CRUSH);
    expect(summary(plans()[0]!)).toEqual(['adopt filesystem args']);
    write();
    expect(JSON.parse(readFileSync(file, 'utf8')).mcp.filesystem).toEqual({
      type: 'stdio',
      command: 'node',
      args: ['/srv/fs2.js'],
      timeout: 120,
      disabled: false,
      disabled_tools: ['write_file'],
      env: { NODE_ENV: 'production' },
    });
  });

  it('project scope writes crush.json beside mcp.yaml; a server with cwd is refused (no such field)', () => {
    const { sb, write } = setUp(
      '{ crush: { scope: project } }',
      'servers:\n  s: { url: https://s.example/sse, transport: sse }\n',
    );
    write();
    expect(JSON.parse(readFileSync(sb.path('crush.json'), 'utf8'))).toEqual({
      mcp: { s: { type: 'sse', url: 'https://s.example/sse' } },
    });
    const bad = setUp('[crush]', 'servers:\n  s: { command: node, args: [a.js], cwd: /tmp }\n');
    expect(() => bad.plans()).toThrow(/sets cwd, which Crush's MCP entries cannot/);
  });

  it('strict JSON: a comment is refused, not overwritten', () => {
    const { sb, plans } = setUp('[crush]', 'servers:\n  s: { command: node }\n');
    sb.write('../home/.config/crush/crush.json', '// mine\n{ "mcp": {} }\n');
    expect(() => plans()).toThrow(/crush\.json:1:1 is not valid JSON/);
  });
});

/** A kilo.jsonc as Kilo and opencode write it: comments, $schema, other settings, opencode's `mcp`. */
const KILO = `{
  // Kilo Code CLI
  "$schema": "https://app.kilo.ai/config.json",
  "model": "anthropic/claude-sonnet-4",
  "mcp": {
    "memory": {
      "type": "local",
      "command": ["node", "/srv/memory.js"],
      "environment": { "MEMORY_FILE_PATH": "/tmp/m.jsonl" },
      "enabled": true
    },
    // added by hand
    "context7": { "type": "remote", "url": "https://mcp.context7.com/mcp", "headers": { "X-Key": "{env:CTX_KEY}" } },
  },
}
`;

describe('kilo', () => {
  it('opencode-format entries, imported: "No changes."; comments, trailing commas and the hand-made entry kept', () => {
    const { sb, plans, write, yaml } = setUp(
      '[kilo]',
      'servers:\n  memory: { command: node, args: [/srv/memory.js], env: { MEMORY_FILE_PATH: /tmp/m.jsonl } }\n',
    );
    const file = sb.write('../home/.config/kilo/kilo.jsonc', KILO);
    const [tp] = plans();
    expect(tp!.live.path).toBe(file);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['memory']);
    expect(tp!.plan.unmanaged).toEqual(['context7']);

    yaml('  web: { url: https://w.example/mcp }\n  tool: { command: uvx, args: [mcp-server-git] }\n');
    write();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('  // Kilo Code CLI\n');
    expect(text).toContain(
      '    // added by hand\n    "context7": { "type": "remote", "url": "https://mcp.context7.com/mcp", "headers": { "X-Key": "{env:CTX_KEY}" } },',
    );
    const doc = adapterFor('kilo').parse(Buffer.from(text), file).entries;
    expect(doc.web).toEqual({ type: 'remote', url: 'https://w.example/mcp' });
    expect(doc.tool).toEqual({ type: 'local', command: ['uvx', 'mcp-server-git'] });
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it('secrets: reference writes {env:VAR}, as opencode', () => {
    const { plans } = setUp(
      '{ kilo: { secrets: reference } }',
      'servers:\n  s: { url: https://s.example/mcp, headers: { Authorization: "Bearer ${TOKEN}" } }\n',
      {},
      { TOKEN: 't' },
    );
    expect(plans()[0]!.plan.changes[0]!.after).toEqual({
      type: 'remote',
      url: 'https://s.example/mcp',
      headers: { Authorization: 'Bearer {env:TOKEN}' },
    });
  });

  it('a server with cwd is refused, naming kilo', () => {
    const { plans } = setUp('[kilo]', 'servers:\n  s: { command: node, args: [a.js], cwd: /tmp }\n');
    expect(() => plans()).toThrow(/Kilo's local servers do not have/);
  });
});

/** Amp's settings.json: other `amp.*` settings, a flat `amp.mcpServers` key, a disabled hand-made server. */
const AMP = `{
  // Amp
  "amp.notifications.enabled": true,
  "amp.mcpServers": {
    "playwright": {
      "command": "npx",
      "args": ["-y", "@playwright/mcp@latest", "--headless"]
    },
    "linear": { "url": "https://mcp.linear.app/sse", "disabled": true }
  },
  "amp.tools.disable": ["browser_navigate"]
}
`;

describe('amp', () => {
  it('its entries, imported: "No changes."; a new one lands in the flat amp.mcpServers key, nothing else moves', () => {
    const { sb, plans, write, yaml } = setUp(
      '[amp]',
      'servers:\n  playwright: { command: npx, args: [-y, "@playwright/mcp@latest", --headless] }\n',
    );
    const file = sb.write('../home/.config/amp/settings.json', AMP);
    const [tp] = plans();
    expect(tp!.live.path).toBe(file);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['playwright']);
    expect(tp!.plan.unmanaged).toEqual(['linear']);

    yaml('  web: { url: https://w.example/mcp, headers: { X-Team: a } }\n');
    write();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('  // Amp\n  "amp.notifications.enabled": true,');
    expect(text).toContain('"linear": { "url": "https://mcp.linear.app/sse", "disabled": true }');
    expect(text).not.toMatch(/"amp":\s*\{/); // not a nested `amp` object
    const entries = adapterFor('amp').parse(Buffer.from(text), file).entries;
    expect(entries.web).toEqual({ url: 'https://w.example/mcp', headers: { 'X-Team': 'a' } });
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it('workspace scope: .amp/settings.json beside mcp.yaml', () => {
    const { sb, write } = setUp('{ amp: { scope: workspace } }', 'servers:\n  s: { command: node, args: [s.js] }\n');
    write();
    expect(JSON.parse(readFileSync(sb.path('.amp/settings.json'), 'utf8'))).toEqual({
      'amp.mcpServers': { s: { command: 'node', args: ['s.js'] } },
    });
  });
});

/** A solution's .mcp.json as Visual Studio's docs show it (`servers`, a url without `type`). */
const VS = `{
  "servers": {
    "github": {
      "url": "https://api.githubcopilot.com/mcp/"
    },
    "azure": { "type": "stdio", "command": "npx", "args": ["-y", "@azure/mcp@latest", "server", "start"] }
  }
}
`;

describe('visual-studio', () => {
  it("its entries, imported: 'No changes.' (an untyped url is http); a new one is typed; the rest keeps its bytes", () => {
    const { sb, plans, write, yaml } = setUp(
      '{ visual-studio: { scope: project } }',
      'servers:\n  github: { url: "https://api.githubcopilot.com/mcp/" }\n',
      { '.mcp.json': VS },
    );
    const [tp] = plans();
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['github']);
    expect(tp!.plan.unmanaged).toEqual(['azure']);
    yaml('  tool: { command: node, args: [t.js] }\n');
    write();
    const text = readFileSync(sb.path('.mcp.json'), 'utf8');
    expect(text).toContain('"github": {\n      "url": "https://api.githubcopilot.com/mcp/"\n    },');
    expect(JSON.parse(text).servers.tool).toEqual({ type: 'stdio', command: 'node', args: ['t.js'] });
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it(".mcp.json beside Claude Code's and Copilot's map: each target keeps its own map, the other's entries untouched", () => {
    const { sb, write, plans } = setUp(
      '{ visual-studio: { scope: project }, claude-code: { scope: project } }',
      'servers:\n  tool: { command: node, args: [t.js] }\n',
      { '.mcp.json': '{\n  "mcpServers": {\n    "hand": { "command": "uvx", "args": ["x"] }\n  }\n}\n' },
    );
    write();
    const doc = JSON.parse(readFileSync(sb.path('.mcp.json'), 'utf8'));
    expect(doc.mcpServers).toEqual({
      hand: { command: 'uvx', args: ['x'] },
      tool: { type: 'stdio', command: 'node', args: ['t.js'] },
    });
    expect(doc.servers).toEqual({ tool: { type: 'stdio', command: 'node', args: ['t.js'] } });
    expect(plans().every((tp) => tp.plan.changes.length === 0)).toBe(true);
  });

  it('a remote SSE server is typed sse; user scope is %USERPROFILE%\\.mcp.json', () => {
    const { sb, write } = setUp('[visual-studio]', 'servers:\n  e: { url: https://e.example/sse, transport: sse }\n');
    write();
    expect(JSON.parse(readFileSync(join(sb.home, '.mcp.json'), 'utf8'))).toEqual({
      servers: { e: { type: 'sse', url: 'https://e.example/sse' } },
    });
  });
});

/** Warp's global file: a server with `working_directory`, a remote one with a `${VAR}` header. */
const WARP = `{
  "mcpServers": {
    "repo": {
      "command": "node",
      "args": ["server.js"],
      "working_directory": "/srv/repo",
      "env": { "LOG": "1" }
    },
    "linear": { "url": "https://mcp.linear.app/sse", "headers": { "Authorization": "Bearer \${LINEAR_TOKEN}" } }
  }
}
`;

describe('warp', () => {
  it("working_directory is cwd: imported, 'No changes.'; a server with cwd is written with working_directory", () => {
    const { sb, plans, write, yaml } = setUp(
      '[warp]',
      'servers:\n  repo: { command: node, args: [server.js], cwd: /srv/repo, env: { LOG: "1" } }\n',
    );
    const file = sb.write('../home/.warp/.mcp.json', WARP);
    const [tp] = plans();
    expect(tp!.live.path).toBe(file);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['repo']);
    expect(tp!.plan.unmanaged).toEqual(['linear']);
    yaml('  other: { command: node, args: [o.js], cwd: /srv/other }\n');
    write();
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(WARP.slice(0, WARP.lastIndexOf('\n  }\n}')))).toBe(true);
    expect(JSON.parse(text).mcpServers.other).toEqual({
      command: 'node',
      args: ['o.js'],
      working_directory: '/srv/other',
    });
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it('secrets: reference writes ${VAR} (Warp substitutes it before parsing)', () => {
    const { plans } = setUp(
      '{ warp: { secrets: reference } }',
      'servers:\n  s: { url: https://s.example/mcp, headers: { Authorization: "Bearer ${TOKEN}" } }\n',
      {},
      { TOKEN: 't' },
    );
    expect(plans()[0]!.plan.changes[0]!.after).toEqual({
      url: 'https://s.example/mcp',
      headers: { Authorization: 'Bearer ${TOKEN}' },
    });
  });
});

/** What `droid mcp add` writes (typed entries), with Droid's own fields on a hand-made one. */
const FACTORY = `{
  "mcpServers": {
    "sentry": { "type": "http", "url": "https://mcp.sentry.dev/mcp" },
    "playwright": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@playwright/mcp@0.0.41"],
      "disabled": false,
      "disabledTools": ["browser_install"],
      "timeoutMs": 30000
    }
  }
}
`;

describe('factory', () => {
  it("droid's entries, imported: 'No changes.'; new ones typed; an SSE server goes through mcp-remote; cwd is refused", () => {
    const { sb, plans, write, yaml } = setUp('[factory]', 'servers:\n  sentry: { url: https://mcp.sentry.dev/mcp }\n');
    const file = sb.write('../home/.factory/mcp.json', FACTORY);
    const [tp] = plans();
    expect(tp!.live.path).toBe(file);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['sentry']);
    expect(tp!.plan.unmanaged).toEqual(['playwright']);
    yaml('  tool: { command: node, args: [t.js] }\n  events: { url: https://e.example/sse, transport: sse }\n');
    write();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"disabledTools": ["browser_install"],\n      "timeoutMs": 30000');
    const doc = JSON.parse(text).mcpServers;
    expect(doc.tool).toEqual({ type: 'stdio', command: 'node', args: ['t.js'] });
    expect(doc.events).toEqual({
      type: 'stdio',
      command: 'npx',
      args: ['-y', 'mcp-remote', 'https://e.example/sse', '--transport', 'sse-only'],
    });
    expect(plans()[0]!.plan.changes).toEqual([]);
    const bad = setUp('[factory]', 'servers:\n  s: { command: node, args: [a.js], cwd: /tmp }\n');
    expect(() => bad.plans()).toThrow(/sets cwd, which Droid's mcp.json does not document/);
  });
});

/** Junie's project file as its docs' example shapes it: stdio entries only. */
const JUNIE = `{
  "mcpServers": {
    "postgres": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-postgres", "postgresql://localhost/mydb"]
    }
  }
}
`;

describe('jetbrains (Junie)', () => {
  it("stdio entries, imported: 'No changes.'; a remote server goes through mcp-remote (Junie has stdio only)", () => {
    const { sb, plans, write, yaml } = setUp(
      '{ jetbrains: { scope: project } }',
      'servers:\n  postgres: { command: npx, args: [-y, "@modelcontextprotocol/server-postgres", "postgresql://localhost/mydb"] }\n',
      { '.junie/mcp/mcp.json': JUNIE },
    );
    const [tp] = plans();
    expect(tp!.live.path).toBe(sb.path('.junie/mcp/mcp.json'));
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['postgres']);
    yaml('  web: { url: https://w.example/mcp }\n');
    write();
    const text = readFileSync(sb.path('.junie/mcp/mcp.json'), 'utf8');
    expect(text.startsWith(JUNIE.slice(0, JUNIE.indexOf('\n  }\n}')))).toBe(true);
    expect(JSON.parse(text).mcpServers.web).toEqual({
      command: 'npx',
      args: ['-y', 'mcp-remote', 'https://w.example/mcp'],
    });
    expect(plans()[0]!.plan.changes).toEqual([]);
  });
});

/** Antigravity's file: a `serverUrl` remote with headers, a `url` one as 2.0's setup docs write it, a stdio one. */
const AGY = `{
  "mcpServers": {
    "chrome-devtools": { "command": "npx", "args": ["chrome-devtools-mcp@0.8.1", "-y"], "disabled": false },
    "linear": { "serverUrl": "https://mcp.linear.app/mcp", "headers": { "X-Team": "a" } },
    "looker": { "url": "https://x.looker.app/mcp", "oauth": { "clientId": "c" } }
  }
}
`;

describe('antigravity', () => {
  it("serverUrl and url entries, imported: 'No changes.'; a new remote is serverUrl; the 1.x file when it is the only one", () => {
    const { sb, plans, write, yaml } = setUp(
      '[antigravity]',
      'servers:\n  linear: { url: https://mcp.linear.app/mcp, headers: { X-Team: a } }\n  looker: { url: https://x.looker.app/mcp }\n',
    );
    const legacy = sb.write('../home/.gemini/antigravity/mcp_config.json', AGY);
    const [tp] = plans();
    expect(tp!.live.path).toBe(legacy);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['linear', 'looker']);
    expect(tp!.plan.unmanaged).toEqual(['chrome-devtools']);
    yaml('  web: { url: https://w.example/mcp }\n');
    write();
    const text = readFileSync(legacy, 'utf8');
    expect(text).toContain('"looker": { "url": "https://x.looker.app/mcp", "oauth": { "clientId": "c" } }');
    expect(JSON.parse(text).mcpServers.web).toEqual({ serverUrl: 'https://w.example/mcp' });
    expect(plans()[0]!.plan.changes).toEqual([]);
    // Once the 2.0 file exists, it is the one.
    const current = sb.write('../home/.gemini/config/mcp_config.json', '{}\n');
    expect(plans()[0]!.live.path).toBe(current);
  });
});

/** Auggie's settings: other settings, an untyped url entry, a typed stdio one with disabled. */
const AUGGIE = `{
  // Auggie
  "model": "sonnet4.5",
  "mcpServers": {
    "sentry": { "url": "https://mcp.sentry.dev/mcp" },
    "fs": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."], "disabled": true },
  },
  "toolPermissions": [{ "toolName": "launch-process", "permission": { "type": "ask-user" } }]
}
`;

describe('augment', () => {
  it("typed and untyped entries, imported: 'No changes.'; new ones typed; comments and trailing commas kept", () => {
    const { sb, plans, write, yaml } = setUp('[augment]', 'servers:\n  sentry: { url: https://mcp.sentry.dev/mcp }\n');
    const file = sb.write('../home/.augment/settings.json', AUGGIE);
    const [tp] = plans();
    expect(tp!.live.path).toBe(file);
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['sentry']);
    expect(tp!.plan.unmanaged).toEqual(['fs']);
    yaml(
      '  tool: { command: node, args: [t.js], cwd: /srv }\n  events: { url: https://e.example/sse, transport: sse }\n',
    );
    write();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('  // Auggie\n  "model": "sonnet4.5",');
    expect(text).toContain('"sentry": { "url": "https://mcp.sentry.dev/mcp" },');
    const entries = adapterFor('augment').parse(Buffer.from(text), file).entries;
    expect(entries.tool).toEqual({ type: 'stdio', command: 'node', args: ['t.js'], cwd: '/srv' });
    expect(entries.events).toEqual({ type: 'sse', url: 'https://e.example/sse' });
    expect(plans()[0]!.plan.changes).toEqual([]);
  });
});
