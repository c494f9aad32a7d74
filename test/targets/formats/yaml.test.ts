import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deleteYamlIn, parseYaml, setYamlIn } from '../../../src/targets/formats/yaml.js';

/** A Goose config.yaml as serde_yaml writes it (sequences flush with their key), plus a person's comments. */
const GOOSE = `# my goose setup
GOOSE_PROVIDER: anthropic
GOOSE_MODEL: claude-sonnet-4 # fast enough
extensions:
  developer:
    bundled: true
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  # hand-made, keep it
  github:
    args:
    - -y
    - '@modelcontextprotocol/server-github'
    cmd: npx
    enabled: false
    envs:
      GITHUB_PERSONAL_ACCESS_TOKEN: ghp_hand
    name: github
    timeout: 300
    type: stdio
GOOSE_MODE: smart_approve
`;

describe('YAML format: key-by-key edits through the Document API', () => {
  it('adds an entry in the file list style; every other line stays', () => {
    const out = setYamlIn(GOOSE, ['extensions', 'memory'], {
      enabled: true,
      type: 'stdio',
      name: 'memory',
      cmd: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
    });
    expect(out).toBe(
      GOOSE.replace(
        /^GOOSE_MODE:/m,
        '  memory:\n    enabled: true\n    type: stdio\n    name: memory\n    cmd: npx\n    args:\n    - -y\n    - "@modelcontextprotocol/server-memory"\nGOOSE_MODE:',
      ),
    );
  });

  it('changes only the keys that differ', () => {
    const out = setYamlIn(GOOSE, ['extensions', 'github'], {
      ...parse(GOOSE).extensions.github,
      cmd: 'node',
      envs: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_hand', X: '1' },
    });
    expect(out).toBe(
      GOOSE.replace('cmd: npx', 'cmd: node').replace(
        '      GITHUB_PERSONAL_ACCESS_TOKEN: ghp_hand\n',
        '      GITHUB_PERSONAL_ACCESS_TOKEN: ghp_hand\n      X: "1"\n',
      ),
    );
  });

  it('deletes one entry; comments of the others stay', () => {
    const out = deleteYamlIn(GOOSE, ['extensions', 'developer']);
    expect(out).toContain('# my goose setup\n');
    expect(out).toContain('GOOSE_MODEL: claude-sonnet-4 # fast enough\n');
    expect(out).toContain('# hand-made, keep it\n');
    expect(parse(out).extensions).toEqual({ github: parse(GOOSE).extensions.github });
  });

  it('list items by index: set, append, delete', () => {
    const block = 'name: mcpform\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: a # first\n    command: x\n';
    const appended = setYamlIn(block, ['mcpServers', 1], { name: 'b', command: 'y' });
    expect(parse(appended).mcpServers).toEqual([
      { name: 'a', command: 'x' },
      { name: 'b', command: 'y' },
    ]);
    expect(appended).toContain('  - name: a # first\n');
    expect(parse(deleteYamlIn(appended, ['mcpServers', 0])).mcpServers).toEqual([{ name: 'b', command: 'y' }]);
  });

  it('an empty or missing file gets a fresh mapping', () => {
    expect(setYamlIn('', ['extensions', 'a'], { cmd: 'x' })).toBe('extensions:\n  a:\n    cmd: x\n');
  });

  it('invalid YAML, duplicate keys and a non-mapping document are refused with file:line:col', () => {
    expect(() => parseYaml('a: 1\nb: [\n', '/h/config.yaml')).toThrow(/^\/h\/config\.yaml:\d+:\d+ is not valid YAML/);
    expect(() => parseYaml('x: 1\nx: 2\n', 'c.yaml')).toThrow(
      /^c\.yaml:2:1 is not valid YAML \(Map keys must be unique/,
    );
    expect(() => setYamlIn('- a\n', ['extensions', 'a'], {}, 'c.yaml')).toThrow(/must hold a YAML mapping/);
  });

  it('strings that look like other types stay strings', () => {
    const out = setYamlIn(GOOSE, ['extensions', 'odd'], { args: ['yes', '1', 'null', '#x', 'a: b', '- c', ''] });
    expect(parse(out).extensions.odd.args).toEqual(['yes', '1', 'null', '#x', 'a: b', '- c', '']);
  });
});
