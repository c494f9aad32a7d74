import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineClient } from '../../src/targets/define.js';
import { renderStdio } from '../../src/targets/clients/render.js';
import { sandbox, testWorld } from '../helpers.js';

/** A client definition on each non-JSON format: the TOML/YAML client files only add their own knowledge. */
const client = (format: 'toml' | 'yaml', key: string) =>
  defineClient({
    name: `fake-${format}`,
    format,
    launch: 'cli',
    serverCwd: 'project',
    remote: 'mcp-remote',
    managedFields: ['command', 'args', 'env'],
    serversPath: () => [key],
    resolvePath: (ctx) => join(ctx.home, `config.${format}`),
    render: (server, pins) => renderStdio(server, pins),
  });

describe('defineClient on TOML and YAML files: the same surgical write', () => {
  it.each([
    {
      format: 'toml' as const,
      key: 'mcp_servers',
      text: [
        '# my codex config',
        'model = "o3"  # keep',
        '',
        '[mcp_servers.handmade]',
        'command = "uvx"',
        'args = ["mcp-server-git"]',
        '',
        '[mcp_servers.tiny]',
        'command = "node"',
        'args = ["old.js"]',
        'startup_timeout_sec = 20',
        '',
        '[profiles.fast]',
        'model = "o4-mini"',
        '',
      ].join('\n'),
      kept: [
        '# my codex config\nmodel = "o3"  # keep\n',
        '[mcp_servers.handmade]\ncommand = "uvx"\nargs = ["mcp-server-git"]\n',
        '[profiles.fast]\nmodel = "o4-mini"\n',
        'startup_timeout_sec = 20',
      ],
    },
    {
      format: 'yaml' as const,
      key: 'extensions',
      text: [
        '# goose',
        'GOOSE_MODEL: gpt-4o',
        'extensions:',
        '  handmade: { cmd: uvx, args: [ mcp-server-git ] } # mine',
        '  tiny:',
        '    command: node',
        '    args: [old.js]',
        '    timeout: 300',
        'other: [ a, b ]',
        '',
      ].join('\n'),
      kept: [
        '# goose\nGOOSE_MODEL: gpt-4o\n',
        '  handmade: { cmd: uvx, args: [ mcp-server-git ] } # mine\n',
        'other: [ a, b ]\n',
        '    timeout: 300',
      ],
    },
    {
      format: 'yaml' as const,
      key: 'extensions',
      text: 'extensions:\n  handmade: {cmd: uvx, args: [mcp-server-git]}\n  tiny:\n    command: node\n    args: [old.js]\n    timeout: 300\nother: [a, b]\n',
      kept: ['  handmade: {cmd: uvx, args: [mcp-server-git]}\n', 'other: [a, b]\n', '    timeout: 300'],
    },
  ])('$format', ({ format, key, text, kept }) => {
    const sb = sandbox();
    const adapter = client(format, key);
    const path = adapter.resolvePath({ name: adapter.name }, testWorld({ env: sb.env, platform: 'linux' }));
    writeFileSync(path, text);
    const live = adapter.read(path);
    expect(Object.keys(live.entries)).toEqual(['handmade', 'tiny']);
    const out = adapter.serialize(live, {
      handmade: live.entries.handmade!,
      tiny: { ...live.entries.tiny, args: ['new.js'] },
      fresh: { command: 'npx', args: ['-y', 'x'] },
    });
    for (const k of kept) expect(out).toContain(k);
    const again = adapter.read((writeFileSync(path, out), path));
    expect(again.entries.tiny).toMatchObject({ command: 'node', args: ['new.js'] });
    expect(again.entries.fresh).toEqual({ command: 'npx', args: ['-y', 'x'] });
    expect(adapter.serialize(again, { ...again.entries })).toBe(out);
    const removed = { ...again.entries };
    delete removed.tiny;
    expect(Object.keys(adapter.read((writeFileSync(path, adapter.serialize(again, removed)), path)).entries)).toEqual([
      'handmade',
      'fresh',
    ]);
  });
});

describe('defineClient: a server map below a scope key', () => {
  it('projects[DIR].mcpServers is created with its parents; the rest of the file keeps its bytes', () => {
    const sb = sandbox();
    const adapter = defineClient({
      name: 'fake-scoped',
      format: 'json',
      scopes: ['user', 'local'],
      launch: 'cli',
      serverCwd: 'project',
      remote: 'native',
      managedFields: ['command'],
      serversPath: (ctx) => (ctx.scope === 'local' ? ['projects', ctx.configDir!, 'mcpServers'] : ['mcpServers']),
      resolvePath: (ctx) => join(ctx.home, '.fake.json'),
      render: (server, pins) => renderStdio(server, pins),
    });
    const spec = { name: 'fake-scoped', scope: 'local', base: '/work/app' };
    const path = adapter.resolvePath(spec, testWorld({ env: sb.env, platform: 'linux' }));
    const text = '{\n  "projects": {\n    "/other": { "allowedTools": [] }\n  },\n  "n": 12345678901234567890\n}\n';
    writeFileSync(path, text);
    const live = adapter.read(path, spec);
    expect(live.serversPath).toEqual(['projects', '/work/app', 'mcpServers']);
    const out = adapter.serialize(live, { a: { command: 'a' } });
    expect(out).toBe(
      '{\n  "projects": {\n    "/other": { "allowedTools": [] },\n    "/work/app": {\n      "mcpServers": {\n        "a": {\n          "command": "a"\n        }\n      }\n    }\n  },\n  "n": 12345678901234567890\n}\n',
    );
    writeFileSync(path, out);
    expect(adapter.read(path, spec).entries).toEqual({ a: { command: 'a' } });
    expect(adapter.read(path).entries).toEqual({});
  });
});
