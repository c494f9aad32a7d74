import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { applyPlanToEntries } from '../../src/plan/compute.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import type { TargetSpec } from '../../src/config/types.js';
import { sandbox, testWorld } from '../helpers.js';

const at = (name: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, spec: Partial<TargetSpec> = {}) =>
  adapterFor(name).resolvePath({ name, base: '/p', ...spec }, testWorld({ env: { HOME: '/h', ...env }, platform }));

describe('copilot and qwen-code paths per OS and scope', () => {
  const WIN = { USERPROFILE: 'C:\\Users\\me' };
  it.each([
    ['copilot', 'linux', {}, {}, '/h/.copilot/mcp-config.json'],
    ['copilot', 'darwin', {}, {}, '/h/.copilot/mcp-config.json'],
    ['copilot', 'linux', { COPILOT_HOME: '/c' }, {}, '/c/mcp-config.json'],
    ['copilot', 'linux', { XDG_CONFIG_HOME: '/x' }, {}, '/h/.copilot/mcp-config.json'],
    ['copilot', 'win32', WIN, {}, 'C:\\Users\\me\\.copilot\\mcp-config.json'],
    ['copilot', 'linux', {}, { scope: 'project' }, '/p/.mcp.json'],
    ['qwen-code', 'linux', {}, {}, '/h/.qwen/settings.json'],
    ['qwen-code', 'linux', { QWEN_HOME: '/q' }, {}, '/q/settings.json'],
    ['qwen-code', 'win32', WIN, {}, 'C:\\Users\\me\\.qwen\\settings.json'],
    ['qwen-code', 'linux', {}, { scope: 'workspace' }, '/p/.qwen/settings.json'],
    ['qwen-code', 'linux', {}, { scope: 'local' }, '/p/.qwen/settings.local.json'],
    ['qwen-code', 'linux', {}, { scope: 'project' }, '/p/.mcp.json'],
  ] as const)('%s on %s %j %j: %s', (name, platform, env, spec, expected) => {
    expect(at(name, platform, env, spec)).toBe(expected);
  });
});

/** Exactly what `copilot mcp add` (Copilot CLI 1.0.102) wrote, plus a hand-made entry. */
const COPILOT_MADE = `{
  "mcpServers": {
    "memory": {
      "tools": [
        "*"
      ],
      "type": "local",
      "command": "node",
      "args": [
        "/x/server.js"
      ],
      "env": {
        "A": "1"
      }
    },
    "remote": {
      "tools": [
        "*"
      ],
      "type": "http",
      "url": "https://example.com/mcp",
      "headers": {
        "Authorization": "Bearer x"
      }
    },
    "mine": { "type": "stdio", "command": "uvx", "args": ["mcp-server-git"], "tools": ["git_status"], "timeout": 30000 },
    "slack": { "type": "http", "url": "https://mcp.slack.com/mcp", "oauthClientId": "abc" }
  }
}
`;

const IMPORTED = `servers:
  memory: { command: node, args: [/x/server.js], env: { A: "1" } }
  remote: { url: https://example.com/mcp, headers: { Authorization: Bearer x } }
`;

function setUp(targets: string, servers: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets: ${targets}\n${servers}`, ...files });
  const world = testWorld({ env: { ...sb.env, MCPFORM_CLAUDE_CODE_CONFIG: undefined, ...env }, home: sb.home });
  const state = () => loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world });
  const plans = (target?: string) => buildPlans(state(), world, { target });
  const write = () => {
    for (const tp of plans()) {
      writeFileSync(tp.live.path, tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan)));
    }
  };
  return { sb, world, plans, write };
}

describe('copilot: its own files', () => {
  it('a file `copilot mcp add` wrote, imported: "No changes."; a new server is written as Copilot writes it; the rest keeps its bytes', () => {
    const { sb, plans, write } = setUp('[copilot]', IMPORTED);
    const file = join(sb.home, '.copilot', 'mcp-config.json');
    sb.write('../home/.copilot/mcp-config.json', COPILOT_MADE);
    const [tp] = plans();
    expect(tp!.plan.changes).toEqual([]);
    expect(tp!.plan.adoptions).toEqual(['memory', 'remote']);
    expect(tp!.plan.unmanaged).toEqual(['mine', 'slack']);

    // Adding one: type local, all tools; a changed arg keeps the entry's other fields.
    const yaml = IMPORTED.replace('/x/server.js', '/x/v2.js') + '  fresh: { command: node, args: [f.js] }\n';
    sb.write('mcp.yaml', `version: 1\ntargets: [copilot]\n${yaml}`);
    const changes = plans()[0]!.plan.changes.map((c) => `${c.action} ${c.server} ${c.fields.map((f) => f.field)}`);
    expect(changes).toEqual(['adopt memory args', 'create fresh type,command,args,tools']);
    write();
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text);
    expect(doc.mcpServers.fresh).toEqual({ type: 'local', command: 'node', args: ['f.js'], tools: ['*'] });
    expect(doc.mcpServers.memory).toEqual({
      tools: ['*'],
      type: 'local',
      command: 'node',
      args: ['/x/v2.js'],
      env: { A: '1' },
    });
    expect(text).toContain(
      '"mine": { "type": "stdio", "command": "uvx", "args": ["mcp-server-git"], "tools": ["git_status"], "timeout": 30000 },',
    );
    expect(text).toContain('"slack": { "type": "http", "url": "https://mcp.slack.com/mcp", "oauthClientId": "abc" }');
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it('hand-written spellings Copilot reads the same: no type, `stdio`, no tools; an edit keeps `stdio`', () => {
    const { sb, plans, write } = setUp(
      '[copilot]',
      'servers:\n  a: { command: node, args: [a.js] }\n  b: { command: node, args: [b.js] }\n',
    );
    sb.write(
      '../home/.copilot/mcp-config.json',
      '{ "mcpServers": { "a": { "command": "node", "args": ["a.js"] }, "b": { "type": "stdio", "command": "node", "args": ["old.js"] } } }\n',
    );
    expect(plans()[0]!.plan.changes.map((c) => `${c.action} ${c.server} ${c.fields.map((f) => f.field)}`)).toEqual([
      'adopt b args',
    ]);
    write();
    const text = readFileSync(join(sb.home, '.copilot', 'mcp-config.json'), 'utf8');
    expect(text).toContain('"a": { "command": "node", "args": ["a.js"] }');
    expect(text).toContain('"b": { "type": "stdio", "command": "node", "args": ["b.js"] }');
  });

  it('secrets: reference writes ${VAR} (Copilot expands it)', () => {
    const { plans } = setUp(
      '{ copilot: { secrets: reference } }',
      'servers:\n  s: { url: https://s.example/mcp, headers: { Authorization: "Bearer ${TOKEN}" } }\n',
      {},
      { TOKEN: 't' },
    );
    expect(plans()[0]!.plan.changes[0]!.after).toEqual({
      type: 'http',
      url: 'https://s.example/mcp',
      headers: { Authorization: 'Bearer ${TOKEN}' },
      tools: ['*'],
    });
  });

  it('a comment in .mcp.json is refused: Copilot skips such a file as malformed', () => {
    const { plans } = setUp('{ copilot: { scope: project } }', 'servers:\n  s: { command: node }\n', {
      '.mcp.json': '// mine\n{ "mcpServers": {} }\n',
    });
    expect(() => plans()).toThrow(/\.mcp\.json:1:1 is not valid JSON/);
  });
});

const THREE = '{ claude-code: { scope: project }, copilot: { scope: project }, qwen-code: { scope: project } }';
const MIXED = `servers:
  tool: { command: node, args: [t.js] }
  web: { url: https://w.example/mcp }
  events: { url: https://e.example/sse, transport: sse }
`;

describe('.mcp.json: one file, several readers, one plan', () => {
  it('claude-code + copilot + qwen-code: one target, each entry what all three read as declared', () => {
    const { sb, plans, write } = setUp(THREE, MIXED, {
      '.mcp.json': '{\n  "mcpServers": {\n    "hand": { "command": "uvx", "args": ["x"] }\n  },\n  "other": true\n}\n',
    });
    const tps = plans();
    expect(tps).toHaveLength(1);
    expect(tps[0]!.plan.target.readers).toEqual(['claude-code', 'copilot', 'qwen-code']);
    expect(tps[0]!.plan.target.name).toBe('claude-code'); // its ownership record, its strict JSON
    write();
    const doc = JSON.parse(readFileSync(sb.path('.mcp.json'), 'utf8'));
    expect(doc.other).toBe(true);
    expect(doc.mcpServers).toEqual({
      hand: { command: 'uvx', args: ['x'] },
      // Claude Code skips type `local`; Copilot reads `stdio` as local; Qwen ignores a command's type.
      tool: { type: 'stdio', command: 'node', args: ['t.js'], tools: ['*'] },
      // Claude Code skips `tools: ["*"]` on a remote (Copilot reads none as all); old Qwen reads `url` as SSE.
      web: { type: 'http', url: 'https://w.example/mcp', httpUrl: 'https://w.example/mcp' },
      events: { type: 'sse', url: 'https://e.example/sse' },
    });
    expect(plans()[0]!.plan.changes).toEqual([]);
    // --target names one reader: the file is still planned for all of them.
    for (const t of ['copilot', 'qwen-code', 'claude-code']) {
      const [one] = plans(t);
      expect(one!.plan.target.readers).toEqual(['claude-code', 'copilot', 'qwen-code']);
      expect(one!.plan.changes).toEqual([]);
    }
  });

  it('a Claude Code project file, with copilot added as a reader: only what Copilot lacks is written', () => {
    const claudeMade =
      '{\n  "mcpServers": {\n    "tool": { "type": "stdio", "command": "node", "args": ["t.js"] },\n    "web": { "type": "http", "url": "https://w.example/mcp" }\n  }\n}\n';
    const { sb, plans, write } = setUp(
      '{ claude-code: { scope: project }, copilot: { scope: project } }',
      'servers:\n  tool: { command: node, args: [t.js] }\n  web: { url: https://w.example/mcp }\n',
      { '.mcp.json': claudeMade },
    );
    // Copilot reads an absent `tools` as all tools: nothing to add, so nothing changes.
    expect(plans()[0]!.plan.changes).toEqual([]);
    expect(plans()[0]!.plan.adoptions).toEqual(['tool', 'web']);
    write();
    expect(readFileSync(sb.path('.mcp.json'), 'utf8')).toBe(claudeMade);
  });

  it("a reader's own entry another reader skips: a plan error naming the readers", () => {
    // Made by Copilot: `tools: ["*"]` on a remote server, which Claude Code skips; `tools` is the user's to keep.
    const { plans } = setUp(
      '{ claude-code: { scope: project }, copilot: { scope: project } }',
      'servers:\n  web: { url: https://w.example/mcp }\n',
      {
        '.mcp.json':
          '{ "mcpServers": { "web": { "type": "http", "url": "https://w.example/mcp", "tools": ["*"] } } }\n',
      },
    );
    expect(() => plans()).toThrow(
      /'web' cannot be written to .*\.mcp\.json as one entry that claude-code, copilot all read as declared: claude-code skips an entry with tools \["\*"\] on a remote server/,
    );
  });

  it('servers: lists: the file holds the union, each entry for every reader (a file hides no entry from a reader)', () => {
    const { sb, plans, write } = setUp(
      '{ claude-code: { scope: project }, copilot: { scope: project, servers: [tool] } }',
      MIXED,
    );
    write();
    const doc = JSON.parse(readFileSync(sb.path('.mcp.json'), 'utf8'));
    expect(doc.mcpServers.tool).toEqual({ type: 'stdio', command: 'node', args: ['t.js'], tools: ['*'] });
    expect(doc.mcpServers.web).toEqual({ type: 'http', url: 'https://w.example/mcp' }); // tools ["*"] would be skipped by Claude Code
    expect(plans()[0]!.plan.changes).toEqual([]);
  });

  it('elsewhere, two targets on one server map are still refused (not a shared scope)', () => {
    const { plans } = setUp(
      '{ copilot: null, claude-code: null }',
      'servers:\n  s: { command: node }\n',
      {},
      {
        MCPFORM_CLAUDE_CODE_CONFIG: '/dev/null/none',
      },
    );
    expect(plans()).toHaveLength(2);
  });
});
