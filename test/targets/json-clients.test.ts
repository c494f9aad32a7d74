import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { applyPlanToEntries } from '../../src/plan/compute.js';
import { expandReferences } from '../../src/probe/specs.js';
import { readOwnership } from '../../src/state/ownership.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import type { TargetSpec } from '../../src/config/types.js';
import { sandbox, testWorld } from '../helpers.js';

/** The clients of this file, with no MCPFORM_*_CONFIG override: their own paths. */
const HOME = '/h';
const at = (name: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, spec: Partial<TargetSpec> = {}) =>
  adapterFor(name).resolvePath(
    { name, base: '/p', ...spec },
    testWorld({ env: { HOME, USERPROFILE: HOME, ...env }, platform }),
  );

describe('paths per OS and scope', () => {
  const WIN = { USERPROFILE: 'C:\\Users\\me', APPDATA: 'C:\\Users\\me\\AppData\\Roaming' };
  it.each([
    ['claude-code', 'linux', {}, {}, '/h/.claude.json'],
    ['claude-code', 'darwin', { CLAUDE_CONFIG_DIR: '/c' }, {}, '/c/.claude.json'],
    ['claude-code', 'linux', {}, { scope: 'local' }, '/h/.claude.json'],
    ['claude-code', 'linux', {}, { scope: 'project' }, '/p/.mcp.json'],
    ['vscode', 'darwin', {}, {}, '/h/Library/Application Support/Code/User/mcp.json'],
    ['vscode', 'win32', WIN, {}, 'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\mcp.json'],
    ['vscode', 'linux', {}, {}, '/h/.config/Code/User/mcp.json'],
    ['vscode', 'linux', { XDG_CONFIG_HOME: '/x' }, {}, '/x/Code/User/mcp.json'],
    ['vscode', 'linux', { VSCODE_PORTABLE: '/usb/code' }, {}, '/usb/code/user-data/User/mcp.json'],
    ['vscode', 'linux', {}, { scope: 'workspace' }, '/p/.vscode/mcp.json'],
    ['zed', 'darwin', { XDG_CONFIG_HOME: '/x' }, {}, '/h/.config/zed/settings.json'],
    ['zed', 'win32', WIN, {}, 'C:\\Users\\me\\AppData\\Roaming\\Zed\\settings.json'],
    ['zed', 'linux', { XDG_CONFIG_HOME: '/x' }, {}, '/x/zed/settings.json'],
    ['zed', 'linux', { FLATPAK_XDG_CONFIG_HOME: '/f', XDG_CONFIG_HOME: '/x' }, {}, '/f/zed/settings.json'],
    ['opencode', 'linux', { XDG_CONFIG_HOME: '/x' }, {}, '/x/opencode/opencode.json'],
    ['opencode', 'darwin', {}, {}, '/h/.config/opencode/opencode.json'],
    ['gemini-cli', 'darwin', {}, {}, '/h/.gemini/settings.json'],
    ['gemini-cli', 'linux', {}, {}, '/h/.gemini/settings.json'],
    ['gemini-cli', 'linux', { GEMINI_CLI_HOME: '/g' }, {}, '/g/.gemini/settings.json'],
    ['vscode', 'linux', {}, { path: '/mine.json' }, '/mine.json'],
  ] as const)('%s on %s %j %j: %s', (name, platform, env, spec, expected) => {
    expect(at(name, platform, env, spec)).toBe(expected);
  });

  it('opencode: opencode.jsonc when that is the file there', () => {
    const sb = sandbox();
    sb.write('../home/.config/opencode/opencode.jsonc', '{}');
    expect(
      adapterFor('opencode').resolvePath(
        { name: 'opencode' },
        testWorld({ env: { HOME: sb.home }, platform: 'linux' }),
      ),
    ).toBe(`${sb.home}/.config/opencode/opencode.jsonc`);
  });
});

const SERVERS = `servers:
  pkg: { package: "npm:@modelcontextprotocol/server-memory@^1" }
  tool:
    command: node
    args: [server.js, "--key=\${TOKEN}", "\${MISSING:-dflt}"]
    env: { API_TOKEN: "\${TOKEN}", PLAIN: "x", LOOKS_SECRET_KEY: "literal" }
  docs:
    url: https://docs.example.test/mcp
    transport: sse
    headers: { Authorization: "Bearer \${TOKEN}" }
`;

function load(targets: string) {
  const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets: ${targets}\n${SERVERS}` });
  return {
    sb,
    state: loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: { TOKEN: 'tok-1' } }) }),
  };
}

describe('render', () => {
  const rendered = (name: string, secrets: 'value' | 'reference' = 'value') => {
    const { state } = load(`{ ${name}: { secrets: ${secrets} } }`);
    const spec = state.targets[0]!;
    const a = adapterFor(name);
    return Object.fromEntries(
      state.servers.map((s) => [s.name, a.render(s, new Map([['pkg', '1.2.3']]), spec, 'linux')]),
    );
  };
  const stdio = { command: 'node', args: ['server.js', '--key=tok-1', 'dflt'] };
  const env = { API_TOKEN: 'tok-1', PLAIN: 'x', LOOKS_SECRET_KEY: 'literal' };
  const remote = { url: 'https://docs.example.test/mcp', headers: { Authorization: 'Bearer tok-1' } };

  it.each([
    ['vscode', { type: 'stdio', ...stdio, env }, { type: 'sse', ...remote }],
    ['claude-code', { type: 'stdio', ...stdio, env }, { type: 'sse', ...remote }],
    ['zed', { ...stdio, env }, remote],
    ['gemini-cli', { ...stdio, env }, { type: 'sse', ...remote }],
    ['opencode', { type: 'local', command: ['node', ...stdio.args], environment: env }, { type: 'remote', ...remote }],
  ])('%s: stdio, package (pinned) and url entries as the client spells them', (name, tool, docs) => {
    const r = rendered(name);
    expect(r.tool!.entry).toEqual(tool);
    expect(r.docs!.entry).toEqual(docs);
    const pkg = r.pkg!.entry;
    const argv = name === 'opencode' ? pkg.command : [pkg.command, ...(pkg.args as string[])];
    expect(argv).toEqual(['npx', '-y', '@modelcontextprotocol/server-memory@1.2.3']);
    // Secret pointers follow the fields to where the client keeps them; `${MISSING:-dflt}`
    // (unset, so mcp.yaml's own default) is not one.
    const sensitive = [...r.tool!.sensitive].sort();
    expect(sensitive).toEqual(
      name === 'opencode'
        ? ['/command/2', '/environment/API_TOKEN', '/environment/LOOKS_SECRET_KEY']
        : ['/args/1', '/env/API_TOKEN', '/env/LOOKS_SECRET_KEY'],
    );
  });

  it.each([
    ['vscode', '${env:TOKEN}'],
    ['claude-code', '${TOKEN}'],
    ['cursor', '${env:TOKEN}'],
    ['gemini-cli', '${TOKEN}'],
    ['opencode', '{env:TOKEN}'],
  ])('%s, secrets: reference: the variable mcp.yaml used, as %s; no value written', (name, ref) => {
    const r = rendered(name, 'reference');
    const text = JSON.stringify(r);
    expect(text).not.toContain('tok-1');
    const tool = adapterFor(name).toCanonical(r.tool!.entry);
    expect(tool.args).toEqual(['server.js', `--key=${ref}`, 'dflt']); // a ${X:-default} keeps its value
    expect(tool.env).toEqual({ API_TOKEN: ref, PLAIN: 'x', LOOKS_SECRET_KEY: 'literal' });
    expect(adapterFor(name).toCanonical(r.docs!.entry).headers).toEqual({ Authorization: `Bearer ${ref}` });
    // References are not secret (they are shown in plans); a literal under a secret-looking key
    // still is. A default used as written is mcp.yaml's own text, shown as it is written.
    expect([...r.tool!.sensitive].sort()).toEqual(
      name === 'opencode' ? ['/environment/LOOKS_SECRET_KEY'] : ['/env/LOOKS_SECRET_KEY'],
    );
    // What the checks start: the reference expanded as the client expands it.
    const expanded = expandReferences(tool, adapterFor(name).variableReference!, { TOKEN: 'tok-2' });
    expect(expanded.env).toMatchObject({ API_TOKEN: 'tok-2' });
  });

  it('secrets: reference keeps the value where the client would read the literal differently ($${ escapes)', () => {
    const sb = sandbox({
      'mcp.yaml':
        'version: 1\ntargets: { vscode: { secrets: reference } }\nservers:\n  s:\n    command: node\n    args: ["$${keep}-${TOKEN}", "a-${TOKEN}-${TOKEN}"]\n',
    });
    const state = loadDesired(sb.path('mcp.yaml'), {
      clients: clientCatalog,
      world: testWorld({ env: { TOKEN: 't9' } }),
    });
    const r = adapterFor('vscode').render(state.servers[0]!, new Map(), state.targets[0], 'linux');
    expect(r.entry.args).toEqual(['${keep}-t9', 'a-${env:TOKEN}-${env:TOKEN}']);
    expect([...r.sensitive]).toEqual(['/args/0']);
  });

  it('secrets: reference on a client that does not expand variables is refused at load, located', () => {
    for (const name of ['zed', 'claude-desktop']) {
      let problems: { message: string; location: { line: number } }[] = [];
      try {
        load(`{ ${name}: { secrets: reference } }`);
      } catch (e) {
        problems = (e as { problems: typeof problems }).problems;
      }
      expect(problems[0]?.message).toMatch(new RegExp(`${name} does not expand variables`));
      expect(problems[0]?.location.line).toBe(2);
    }
  });

  it('opencode: a cwd it cannot express is an error naming the server, not a silent drop', () => {
    const sb = sandbox({
      'mcp.yaml': 'version: 1\ntargets: [opencode]\nservers:\n  s: { command: node, cwd: /tmp }\n',
    });
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: {} }) });
    expect(() => adapterFor('opencode').render(state.servers[0]!, new Map(), undefined, 'linux')).toThrow(
      /'s' sets cwd/,
    );
  });
});

describe('toCanonical: render, then read back in the common vocabulary', () => {
  it.each(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'zed', 'gemini-cli', 'opencode'])('%s', (name) => {
    const { state } = load(`[${name}]`);
    const a = adapterFor(name);
    const tool = state.servers.find((s) => s.name === 'tool')!;
    const docs = state.servers.find((s) => s.name === 'docs')!;
    expect(a.toCanonical(a.render(tool, new Map(), undefined, 'linux').entry)).toEqual({
      command: 'node',
      args: ['server.js', '--key=tok-1', 'dflt'],
      env: { API_TOKEN: 'tok-1', PLAIN: 'x', LOOKS_SECRET_KEY: 'literal' },
    });
    if (a.remote === 'native') {
      const { type, ...rest } = a.toCanonical(a.render(docs, new Map(), undefined, 'linux').entry);
      expect(rest).toEqual({ url: 'https://docs.example.test/mcp', headers: { Authorization: 'Bearer tok-1' } });
      expect([undefined, 'sse']).toContain(type);
    }
  });

  it('hand-made spellings: gemini httpUrl, zed legacy command object, entries without type', () => {
    expect(adapterFor('gemini-cli').toCanonical({ httpUrl: 'https://x/mcp', timeout: 5 })).toEqual({
      url: 'https://x/mcp',
      type: 'http',
      timeout: 5,
    });
    expect(adapterFor('zed').toCanonical({ command: { path: 'node', args: ['a'], env: { A: '1' } } })).toEqual({
      command: 'node',
      args: ['a'],
      env: { A: '1' },
    });
    expect(adapterFor('vscode').toCanonical({ url: 'https://x/mcp' })).toEqual({ type: 'http', url: 'https://x/mcp' });
    expect(adapterFor('opencode').toCanonical({ type: 'local', command: ['uvx', 'git'], enabled: false })).toEqual({
      command: 'uvx',
      args: ['git'],
      enabled: false,
    });
  });
});

/** The JSONC clients' files as people have them: comments, trailing commas, other settings. */
const JSONC: Record<string, string> = {
  vscode: `// my MCP servers
{
  "inputs": [{ "type": "promptString", "id": "gh", "password": true }],
  "servers": {
    // hand-made, with an input
    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "Authorization": "Bearer \${input:gh}" } },
    "tiny": { "command": "node", "args": ["old.js"], "dev": { "watch": "**/*.js" } }, // odd: no type
  },
}
`,
  zed: `// Zed settings
{
  "theme": "One Dark",
  "buffer_font_size": 15, /* big */
  "context_servers": {
    "mine": { "command": "uvx", "args": ["mcp-server-git"], "enabled": false },
    "tiny": { "command": { "path": "node", "args": ["old.js"] }, "source": "custom" },
  },
  "languages": { "Python": { "tab_size": 4 } },
}
`,
  'gemini-cli': `{
  // gemini
  "theme": "GitHub",
  "mcpServers": {
    "old": { "httpUrl": "https://old.example/mcp", "trust": true },
    "tiny": { "command": "node", "args": ["old.js"], "timeout": 30000 },
  },
  "mcp": { "allowed": ["tiny", "fresh"] },
}
`,
  opencode: `{
  "$schema": "https://opencode.ai/config.json",
  // servers
  "mcp": {
    "git": { "type": "local", "command": ["uvx", "mcp-server-git"], "enabled": false },
    "tiny": { "type": "local", "command": ["node", "old.js"], "timeout": 9000 },
  },
  "theme": "opencode",
}
`,
};

function planner(
  name: string,
  text: string,
  yaml = 'tiny: { command: node, args: [new.js] }\n  fresh: { url: https://f.example/mcp }',
) {
  const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets: [${name}]\nservers:\n  ${yaml}\n` });
  const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
  const file = adapterFor(name).resolvePath(state.targets[0]!, testWorld({ env: sb.env }));
  sb.write('../' + file.slice(sb.dir.length + 1), text);
  const plan = () => buildPlans(state, sb.world)[0]!;
  const write = () => {
    const tp = plan();
    writeFileSync(file, tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan)));
    return readFileSync(file, 'utf8');
  };
  return { sb, file, plan, write };
}

describe('JSONC clients: comments and every other setting survive; plan after write is "No changes."', () => {
  it.each(Object.keys(JSONC))('%s', (name) => {
    const before = JSONC[name]!;
    const { plan, write } = planner(name, before);
    expect(plan().plan.changes.map((c) => `${c.action} ${c.server}`)).toEqual(['adopt tiny', 'create fresh']);
    const after = write();
    const comments = before.match(/\/\/[^\n]*|\/\*.*?\*\//g)!;
    for (const c of comments) expect(after).toContain(c);
    expect(plan().plan.changes).toEqual([]);
    // The untouched hand-made entry keeps its bytes.
    const handmade = before.split('\n').find((l) => /"(github|mine|old|git)":/.test(l))!;
    expect(after).toContain(handmade);
  });

  it('zed: the legacy command object becomes the current shape on an edit; `source` is left as the user had it', () => {
    const after = planner('zed', JSONC.zed!).write();
    expect(after).toContain('"tiny": { "command": "node", "source": "custom", "args": ["new.js"] },');
  });

  it('gemini-cli: remote entries are url + type, never the deprecated httpUrl', () => {
    const after = planner('gemini-cli', JSONC['gemini-cli']!).write();
    expect(after).toContain('"fresh": {');
    expect(after).toMatch(/"fresh": \{\s*"type": "http",\s*"url": "https:\/\/f.example\/mcp"\s*\}/);
  });
});

describe('opencode layouts', () => {
  const V2 = `{
  "mcp": {
    "timeout": { "startup": 9000 },
    "servers": {
      "tiny": { "type": "local", "command": ["node", "old.js"], "disabled": false },
    },
  },
}
`;
  it('V2 (`mcp.servers`) is detected and written there', () => {
    const { plan, write } = planner('opencode', V2);
    expect(plan().live.serversPath).toEqual(['mcp', 'servers']);
    const after = write();
    expect(after).toContain('"timeout": { "startup": 9000 },');
    expect(after).toMatch(
      /"servers": \{\s*"tiny": \{ "type": "local", "command": \["node", "new.js"\], "disabled": false \},\s*"fresh"/,
    );
    expect(plan().plan.changes).toEqual([]);
  });

  it('a V1 server that is named "servers" stays a V1 server', () => {
    const v1 = '{ "mcp": { "servers": { "type": "local", "command": ["x"] } } }';
    const { plan } = planner('opencode', v1);
    expect(plan().live.serversPath).toEqual(['mcp']);
    expect(Object.keys(plan().live.entries)).toEqual(['servers']);
  });
});

describe('Claude Code scopes', () => {
  const claudeJson = (dir: string) =>
    `{\n  "numStartups": 3,\n  "mcpServers": { "top": { "type": "stdio", "command": "x" } },\n  "projects": {\n    "/else": { "mcpServers": { "other": { "command": "y" } } },\n    ${JSON.stringify(dir)}: { "allowedTools": [], "history": [{ "display": "hi" }] }\n  }\n}\n`;

  it('local: projects["<mcp.yaml folder>"].mcpServers; the user map and other projects keep their bytes', () => {
    const sb = sandbox({
      'mcp.yaml': 'version: 1\ntargets: { claude-code: { scope: local } }\nservers:\n  tiny: { command: node }\n',
    });
    // Claude Code files a Windows project under its path with forward slashes (claude-code.ts).
    const dir = sb
      .path('')
      .replace(/[/\\]$/, '')
      .replace(/\\/g, '/');
    const text = claudeJson(dir);
    writeFileSync(sb.env.MCPFORM_CLAUDE_CODE_CONFIG!, text);
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    const tp = buildPlans(state, sb.world)[0]!;
    expect(tp.live.serversPath).toEqual(['projects', dir, 'mcpServers']);
    expect(Object.keys(tp.live.entries)).toEqual([]);
    const out = tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan));
    const doc = JSON.parse(out);
    expect(doc.projects[dir]).toEqual({
      allowedTools: [],
      history: [{ display: 'hi' }],
      mcpServers: { tiny: { type: 'stdio', command: 'node', args: [] } },
    });
    expect(out.startsWith(text.slice(0, text.indexOf(JSON.stringify(dir))))).toBe(true);
    // Its ownership is its own record, not the user scope's (same file, another map).
    expect(tp.ownership.serversPath).toEqual(['projects', dir, 'mcpServers']);
    const user = readOwnership('claude-code', tp.live.path, sb.world);
    expect(user.serversPath).toBeUndefined();
  });

  it('ownership records: a top-level map keeps the record it always had; a nested one has its own', async () => {
    const sb = sandbox();
    const { writeOwnership } = await import('../../src/state/ownership.js');
    const servers = { s: { hash: 'h', appliedAt: 'now', environment: 'default' } };
    await writeOwnership({ formatVersion: 1, target: 'claude-code', path: '/f.json', servers }, sb.world);
    // A format-1 record is read as format 2 with no owner recorded (src/state/ownership.ts).
    expect(readOwnership('claude-code', '/f.json', sb.world, ['mcpServers']).servers).toEqual({
      s: { owner: null, ...servers.s },
    });
    expect(readOwnership('claude-code', '/f.json', sb.world, ['projects', '/p', 'mcpServers']).servers).toEqual({});
  });

  it('project: .mcp.json beside mcp.yaml, strict JSON', () => {
    const sb = sandbox({
      'mcp.yaml': 'version: 1\ntargets: { claude-code: { scope: project } }\nservers:\n  tiny: { command: node }\n',
      '.mcp.json': '{ "mcpServers": {} } // no\n',
    });
    const env = { ...sb.env, MCPFORM_CLAUDE_CODE_CONFIG: undefined };
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env }) });
    expect(() => buildPlans(state, testWorld({ env }))).toThrow(/\.mcp\.json:1:22 is not valid JSON/);
  });

  it('two targets on one server map are refused', () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\ntargets: { claude-code: null, cursor: null }\nservers:\n  tiny: { command: node }\n`,
    });
    const env = { ...sb.env, MCPFORM_CURSOR_CONFIG: sb.env.MCPFORM_CLAUDE_CODE_CONFIG };
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env }) });
    expect(() => buildPlans(state, testWorld({ env }))).toThrow(
      /targets claude-code and cursor both manage "mcpServers"/,
    );
  });
});
