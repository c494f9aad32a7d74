import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { deleteTomlTable, parseToml, setTomlTable } from '../../../src/targets/formats/toml.js';

/** A config.toml as people keep it: comments everywhere, other tables, hand-made servers. */
const CODEX = `# Codex configuration
model = "gpt-5-codex" # the default model
approval_policy = "on-request"

[features]
rmcp_client = true

# MCP servers --------------------------------------------------------------
[mcp_servers.memory]
command = "npx" # from npm
args = ["-y", "@modelcontextprotocol/server-memory"]
startup_timeout_sec = 20

[mcp_servers.memory.env]
# the store lives here
MEMORY_FILE_PATH = "/tmp/memory.json"
LOG = "1"

# written by hand, not by mcpform
[mcp_servers.mine]
command = "python3"
args = [
  "server.py", # the entry point
  '--literal',
]
enabled_tools = ["open"]

[mcp_servers.mine.tools.open]
approval_mode = "approve"

[profiles.fast]
model = "o4-mini"
date = 1979-05-27 07:32:00Z
notes = """
[mcp_servers.fake]
not a table"""
`;

const servers = (text: string) => (parse(text) as { mcp_servers?: Record<string, unknown> }).mcp_servers;

/** Every comment line of `before` is still in `after`, byte for byte. */
function commentsKept(before: string, after: string, except: string[] = []): void {
  for (const line of before.split('\n').filter((l) => /#/.test(l) && !except.some((e) => l.includes(e)))) {
    expect(after).toContain(line);
  }
}

describe('TOML format: surgical edits of [mcp_servers.NAME] tables', () => {
  it('adds a server as [mcp_servers.NAME] + [mcp_servers.NAME.env] after the last server, the rest byte for byte', () => {
    const out = setTomlTable(CODEX, ['mcp_servers', 'github'], {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_1' },
    });
    const at = out.indexOf('[mcp_servers.github]');
    expect(out.slice(0, at)).toBe(CODEX.slice(0, CODEX.indexOf('[profiles.fast]')));
    expect(out.slice(at)).toBe(
      '[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-github"]\n\n' +
        '[mcp_servers.github.env]\nGITHUB_PERSONAL_ACCESS_TOKEN = "ghp_1"\n\n' +
        CODEX.slice(CODEX.indexOf('[profiles.fast]')),
    );
    expect(servers(out)!.github).toEqual({
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_1' },
    });
  });

  it('updates only the keys that changed: comments on them and around them stay', () => {
    const out = setTomlTable(CODEX, ['mcp_servers', 'memory'], {
      command: 'node',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      startup_timeout_sec: 20,
      env: { MEMORY_FILE_PATH: '/var/m.json', LOG: '1', EXTRA: 'x' },
      cwd: '/srv',
    });
    expect(out).toContain('command = "node" # from npm\n');
    expect(out).toContain('startup_timeout_sec = 20\ncwd = "/srv"\n');
    expect(out).toContain('# the store lives here\nMEMORY_FILE_PATH = "/var/m.json"\nLOG = "1"\nEXTRA = "x"\n');
    commentsKept(CODEX, out, ['from npm']);
    expect(out.split('\n').length).toBe(CODEX.split('\n').length + 2);
  });

  it('removes a key and a whole env sub-table when the server no longer has them', () => {
    const out = setTomlTable(CODEX, ['mcp_servers', 'memory'], { command: 'npx', args: [] });
    expect(servers(out)!.memory).toEqual({ command: 'npx', args: [] });
    expect(out).not.toContain('MEMORY_FILE_PATH');
    expect(out).toContain('# written by hand, not by mcpform\n[mcp_servers.mine]');
  });

  it('deletes a server and its sub-tables; its leading comment, the other servers and tables stay', () => {
    const out = deleteTomlTable(CODEX, ['mcp_servers', 'mine']);
    expect(servers(out)).toEqual({ memory: servers(CODEX)!.memory });
    expect(out).toContain('# written by hand, not by mcpform\n[profiles.fast]');
    expect(out).toContain('notes = """\n[mcp_servers.fake]\nnot a table"""');
    commentsKept(CODEX, out, ['the entry point']);
  });

  it('a table-looking line inside a multi-line string is not a table', () => {
    const out = setTomlTable(CODEX, ['mcp_servers', 'fake'], { command: 'x' });
    expect((parse(out) as { profiles: { fast: { notes: string } } }).profiles.fast.notes).toContain(
      '[mcp_servers.fake]',
    );
    expect(servers(out)!.fake).toEqual({ command: 'x' });
  });

  it('a new file, and a file without servers: the table goes at the end', () => {
    expect(setTomlTable('', ['mcp_servers', 'a'], { command: 'x', args: ['1'] })).toBe(
      '[mcp_servers.a]\ncommand = "x"\nargs = ["1"]\n',
    );
    expect(setTomlTable('model = "o3"', ['mcp_servers', 'a'], { command: 'x' })).toBe(
      'model = "o3"\n\n[mcp_servers.a]\ncommand = "x"\n',
    );
  });

  it('servers written as dotted keys or inline under [mcp_servers] are rewritten as their own table', () => {
    const text = '[mcp_servers]\na = { command = "y" } # inline\nb.command = "z"\n';
    const out = setTomlTable(text, ['mcp_servers', 'a'], { command: 'x' });
    expect(out).toBe('[mcp_servers]\nb.command = "z"\n\n[mcp_servers.a]\ncommand = "x"\n');
    expect(deleteTomlTable(out, ['mcp_servers', 'b'])).toBe('[mcp_servers]\n\n[mcp_servers.a]\ncommand = "x"\n');
  });

  it('refuses an inline mcp_servers table it cannot edit line by line', () => {
    expect(() => setTomlTable('mcp_servers = { a = { command = "y" } }\n', ['mcp_servers', 'b'], {})).toThrow(
      /inline table/,
    );
  });

  it('quotes names and values TOML needs quoted; CRLF files stay CRLF', () => {
    const text = 'model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "x"\r\n';
    const out = setTomlTable(text, ['mcp_servers', 'my.server'], {
      command: 'a "b"\\c',
      args: ['tab\there', 'nl\n', 'del\u007f', 'ü😀'],
    });
    expect(out).toContain('[mcp_servers."my.server"]\r\n');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(servers(out)!['my.server']).toEqual({
      command: 'a "b"\\c',
      args: ['tab\there', 'nl\n', 'del\u007f', 'ü😀'],
    });
  });

  it('setting what is already there returns the same text', () => {
    expect(setTomlTable(CODEX, ['mcp_servers', 'memory'], servers(CODEX)!.memory as Record<string, unknown>)).toBe(
      CODEX,
    );
  });

  it('invalid TOML is an error at file:line:col', () => {
    expect(() => parseToml('a = 1\nb = = 2\n', '/x/config.toml')).toThrow(
      /^\/x\/config\.toml:2:5 is not valid TOML \(invalid value\)/,
    );
    expect(() => setTomlTable('[a]\nx=1\n[a]\n', ['mcp_servers', 'b'], {}, 'c.toml')).toThrow(/c\.toml:3:/);
  });

  it('a key named like an Object property (constructor, toString) is a key, not an inherited function', () => {
    const once = setTomlTable(CODEX, ['mcp_servers', 'mine'], { command: 'a', constructor: 'x', toString: ['y'] });
    expect(servers(once)!.mine).toEqual({ command: 'a', constructor: 'x', toString: ['y'] });
    const twice = setTomlTable(once, ['mcp_servers', 'mine'], { command: 'a' });
    expect(servers(twice)!.mine).toEqual({ command: 'a' });
  });

  it('property: any server value round-trips, and the rest of the file parses the same', () => {
    const str = fc.string({ unit: 'binary', maxLength: 12 });
    const key = fc.oneof(
      fc.constantFrom('command', 'args', 'env', 'cwd', 'url'),
      str.filter((s) => s.length > 0),
    );
    const scalar = fc.oneof(str, fc.boolean(), fc.integer());
    const value = fc.dictionary(
      key,
      fc.oneof(scalar, fc.array(str, { maxLength: 4 }), fc.dictionary(key, str, { maxKeys: 3 })),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(fc.constantFrom('memory', 'mine', 'new', 'a b', 'x.y'), value, value, (name, v1, v2) => {
        const once = setTomlTable(CODEX, ['mcp_servers', name], v1);
        expect(servers(once)![name]).toEqual(v1);
        const twice = setTomlTable(once, ['mcp_servers', name], v2);
        expect(servers(twice)![name]).toEqual(v2);
        const gone = deleteTomlTable(twice, ['mcp_servers', name]);
        expect(servers(gone)?.[name]).toBeUndefined();
        expect(gone).toContain('# Codex configuration\nmodel = "gpt-5-codex" # the default model\n');
        expect(gone).toContain('[profiles.fast]\nmodel = "o4-mini"\n');
      }),
      { numRuns: 80 },
    );
  });
});
