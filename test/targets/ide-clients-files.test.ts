import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { applyPlanToEntries } from '../../src/plan/compute.js';
import { renderPlanJson } from '../../src/plan/render-json.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import { sandbox, testWorld } from '../helpers.js';

/**
 * Each client's file as that client leaves it (its own fields, its defaults, its odd forms):
 * plan -> write -> "No changes.", and what belongs to the client keeps its bytes.
 */
function setup(yaml: string, text: string) {
  const sb = sandbox({ 'mcp.yaml': yaml });
  const state = loadDesired(sb.path('mcp.yaml'), {
    clients: clientCatalog,
    world: testWorld({ env: { ...sb.env, TOKEN: 'tok-1' } }),
  });
  const plan = () => buildPlans(state, sb.world)[0]!;
  const file = plan().live.path;
  expect(file.startsWith(sb.dir)).toBe(true);
  sb.write('../' + file.slice(sb.dir.length + 1), text);
  const write = () => {
    const tp = plan();
    const out = tp.adapter.serialize(tp.live, applyPlanToEntries(tp.live.entries, tp.plan));
    writeFileSync(file, out);
    return out;
  };
  const changes = () => plan().plan.changes.map((c) => `${c.action} ${c.server}`);
  const entries = () => JSON.parse(readFileSync(file, 'utf8')).mcpServers;
  return { sb, file, plan, write, changes, entries };
}

const CLINE_OAUTH = `"oauth": {"tokens": {"access_token": "oauth-at-5517", "refresh_token": "oauth-rt-5518", "expires_at": 1799999999},  "clientInformation": {"client_id": "c-9"}}`;

describe('client files as the clients write them', () => {
  it('Cline: a CLI-written nested entry is rewritten flat, its inline OAuth tokens byte for byte; an untyped url entry is sse', () => {
    const text = `{
\t"mcpServers": {
\t\t"linear": {"transport": {"type": "streamableHttp", "url": "https://old.linear.test/mcp"}, "disabled": false, "timeout": 90, ${CLINE_OAUTH}, "metadata": {"source": "cli"}},
\t\t"legacy-sse": {"url": "https://sse.example.test/sse", "autoApprove": ["search"]},
\t\t"remote-config": {"type": "sse", "url": "https://org.example.test/sse", "remoteConfigured": true}
\t}
}`;
    const yaml = `version: 1
targets: [cline]
servers:
  linear: { url: "https://mcp.linear.test/mcp", headers: { Authorization: "Bearer \${TOKEN}" } }
  legacy-sse: { url: "https://sse.example.test/sse", transport: sse }
`;
    const c = setup(yaml, text);
    expect(c.changes()).toEqual(['adopt linear']); // legacy-sse already is what is declared
    // plan --json / --out show the entry as it will be written: the tokens only as hashes.
    const meta = {
      version: '0',
      file: 'mcp.yaml',
      sourceHash: 'h',
      environment: 'default',
      salt: 's',
      createdAt: 'now',
    };
    const json = JSON.stringify(renderPlanJson([c.plan().plan], meta));
    expect(json).toContain('"clientInformation":{"client_id":"c-9"}');
    expect(json).not.toMatch(/oauth-at-5517|oauth-rt-5518/);
    const after = c.write();
    expect(after).toContain(CLINE_OAUTH);
    expect(after).toContain(`\t\t"legacy-sse": {"url": "https://sse.example.test/sse", "autoApprove": ["search"]},`);
    expect(after).toContain(
      `\t\t"remote-config": {"type": "sse", "url": "https://org.example.test/sse", "remoteConfigured": true}`,
    );
    expect(c.entries().linear).toEqual({
      disabled: false,
      timeout: 90,
      oauth: {
        tokens: { access_token: 'oauth-at-5517', refresh_token: 'oauth-rt-5518', expires_at: 1799999999 },
        clientInformation: { client_id: 'c-9' },
      },
      metadata: { source: 'cli' },
      type: 'streamableHttp',
      url: 'https://mcp.linear.test/mcp',
      headers: { Authorization: 'Bearer tok-1' },
    });
    expect(c.changes()).toEqual([]);
  });

  it('Cline: an http server over an untyped url entry gets `type: streamableHttp` (Cline would read it as sse)', () => {
    const c = setup(
      'version: 1\ntargets: [cline]\nservers:\n  api: { url: "https://api.example.test/mcp" }\n',
      '{"mcpServers": {"api": {"url": "https://api.example.test/mcp"}}}',
    );
    // The plan shows what Cline reads today: sse.
    const fields = c.plan().plan.changes[0]!.fields;
    expect(fields.map((f) => [f.field, f.before, f.after])).toEqual([['type', 'sse', 'streamableHttp']]);
    c.write();
    expect(c.entries().api).toEqual({ url: 'https://api.example.test/mcp', type: 'streamableHttp' });
    expect(c.changes()).toEqual([]);
  });

  it('Amazon Q: entries as Q saves them (every serde default written) are "No changes."; an edit keeps Q\'s fields', () => {
    const text = JSON.stringify(
      {
        mcpServers: {
          fetch: {
            type: 'stdio',
            url: '',
            headers: {},
            oauthScopes: ['openid', 'email'],
            command: 'uvx',
            args: ['mcp-server-fetch'],
            timeout: 120000,
            disabled: false,
          },
          docs: {
            type: 'http',
            url: 'https://docs.example.test/mcp',
            headers: {},
            oauthScopes: ['openid'],
            command: '',
            args: [],
            timeout: 60000,
            disabled: true,
          },
        },
      },
      null,
      2,
    );
    const yaml = `version: 1
targets: { amazon-q: { scope: workspace } }
servers:
  fetch: { command: uvx, args: [mcp-server-fetch] }
  docs: { url: "https://docs.example.test/mcp" }
`;
    const c = setup(yaml, text);
    expect(c.file.endsWith('/project/.amazonq/mcp.json')).toBe(true);
    expect(c.changes()).toEqual([]);
    const c2 = setup(yaml.replace('[mcp-server-fetch]', '[mcp-server-fetch, --raw]'), text);
    expect(c2.changes()).toEqual(['adopt fetch']);
    c2.write();
    expect(c2.entries().fetch).toEqual({
      type: 'stdio',
      oauthScopes: ['openid', 'email'],
      command: 'uvx',
      args: ['mcp-server-fetch', '--raw'],
      timeout: 120000,
      disabled: false,
    });
    expect(c2.entries().docs).toEqual(JSON.parse(text).mcpServers.docs);
    expect(c2.changes()).toEqual([]);
  });

  it('Amazon Q: a server with cwd is refused, located in mcp.yaml (Q has no cwd)', () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\ntargets: [amazon-q]\nservers:\n  s: { command: x, cwd: /tmp }\n' });
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    expect(() => buildPlans(state, sb.world)).toThrow(/sets cwd, which Amazon Q's MCP entries do not have/);
  });

  it('Roo Code, project scope: alwaysAllow, disabledTools, watchPaths kept; a stdio entry turned remote loses every stdio field', () => {
    const text = `{
    "mcpServers": {
        "search": {
            "command": "node",
            "args": ["search.js"],
            "env": {"LEVEL": "1"},
            "alwaysAllow": ["query"],
            "disabledTools": ["admin"],
            "watchPaths": ["dist/index.js"],
            "timeout": 300
        }
    }
}`;
    const yaml = `version: 1
targets: { roo-code: { scope: project } }
servers:
  search: { url: "https://search.example.test/mcp" }
`;
    const c = setup(yaml, text);
    expect(c.file.endsWith('/project/.roo/mcp.json')).toBe(true);
    const after = c.write();
    expect(after).toContain(
      '            "alwaysAllow": ["query"],\n            "disabledTools": ["admin"],\n            "watchPaths": ["dist/index.js"],',
    );
    expect(c.entries().search).toEqual({
      alwaysAllow: ['query'],
      disabledTools: ['admin'],
      watchPaths: ['dist/index.js'],
      timeout: 300,
      type: 'streamable-http',
      url: 'https://search.example.test/mcp',
    });
    expect(c.changes()).toEqual([]);
  });

  it('Kiro, workspace scope: autoApprove and disabledTools kept, disabled servers left alone', () => {
    const text = `{"mcpServers":{"aws-docs":{"command":"uvx","args":["awslabs.aws-documentation-mcp-server@latest"],"env":{"FASTMCP_LOG_LEVEL":"ERROR"},"disabled":false,"autoApprove":["search_documentation"],"disabledTools":["recommend"]},"off":{"command":"x","disabled":true}}}`;
    const yaml = `version: 1
targets: { kiro: { scope: workspace } }
servers:
  aws-docs: { command: uvx, args: ["awslabs.aws-documentation-mcp-server@1.0.0"], env: { FASTMCP_LOG_LEVEL: ERROR } }
`;
    const c = setup(yaml, text);
    expect(c.file.endsWith('/project/.kiro/settings/mcp.json')).toBe(true);
    expect(c.changes()).toEqual(['adopt aws-docs']);
    const after = c.write();
    expect(after).toBe(text.replace('@latest', '@1.0.0'));
    expect(c.changes()).toEqual([]);
  });

  it('Windsurf: a `url` entry becomes `serverUrl` (no entry with both), its other fields kept', () => {
    const text =
      '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example.test/mcp", "disabled": false }\n  }\n}\n';
    const c = setup(
      'version: 1\ntargets: [windsurf]\nservers:\n  docs: { url: "https://docs.example.test/mcp" }\n',
      text,
    );
    expect(c.changes()).toEqual(['adopt docs']);
    c.write();
    expect(c.entries().docs).toEqual({ disabled: false, serverUrl: 'https://docs.example.test/mcp' });
    expect(c.changes()).toEqual([]);
  });

  it('LM Studio: the file in the folder the home pointer names', () => {
    const sb = sandbox();
    const lmsHome = `${sb.dir}/elsewhere/lms`;
    sb.write('../home/.lmstudio-home-pointer', lmsHome);
    sb.write('../elsewhere/lms/mcp.json', '{\n  "mcpServers": {}\n}');
    sb.write('mcp.yaml', 'version: 1\ntargets: [lm-studio]\nservers:\n  t: { command: node, args: [t.js] }\n');
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    const tp = buildPlans(state, sb.world)[0]!;
    expect(tp.live.path).toBe(`${lmsHome}/mcp.json`);
    expect(tp.live.exists).toBe(true);
  });

  it.each(['windsurf', 'cline', 'roo-code', 'kiro', 'amazon-q', 'lm-studio'])(
    '%s: a comment in its strict-JSON file is refused at read, located; nothing is written',
    (client) => {
      const text = '{\n  "mcpServers": {\n    // mine\n    "a": { "command": "x" }\n  }\n}\n';
      const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets: [${client}]\nservers:\n  a: { command: y }\n` });
      const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
      const file = adapterFor(client).resolvePath(state.targets[0]!, testWorld({ env: sb.env, platform: 'linux' }));
      sb.write('../' + file.slice(sb.dir.length + 1), text);
      expect(() => buildPlans(state, sb.world)).toThrow(/:3:5 is not valid JSON \(comments are not allowed/);
      expect(readFileSync(file, 'utf8')).toBe(text);
    },
  );
});
