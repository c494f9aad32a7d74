import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addServer } from '../../src/adopt/add.js';

const node = { command: 'node', args: ['/srv/x.js'] };
const add = (text: string, environment?: string, definition: Record<string, unknown> = node, name = 'x') =>
  addServer(text, { name, definition }, { environment });

describe('addServer: only the new server and its list entry are new bytes', () => {
  it.each([
    [
      'flow list kept as written',
      'version: 1\ndefaultEnvironment: dev\nservers:\n  memory: { command: npx } # mine\nenvironments:\n  dev:\n    servers: [memory, github]\n',
      undefined,
      'version: 1\ndefaultEnvironment: dev\nservers:\n  memory: { command: npx } # mine\n  x:\n    command: node\n    args: [/srv/x.js]\nenvironments:\n  dev:\n    servers: [memory, github, x]\n',
    ],
    [
      'padded flow list and flow environment',
      'servers:\n  a: {command: a}\nenvironments:\n  prod: { servers: [ a ] }\n',
      'prod',
      'servers:\n  a: {command: a}\n  x:\n    command: node\n    args: [ /srv/x.js ]\nenvironments:\n  prod: { servers: [ a, x ] }\n',
    ],
    [
      'block list, 4-space servers, CRLF, comments of the last server stay with it',
      'servers:\r\n    a:\r\n        command: a\r\n        # args: [old]\r\n\r\nenvironments:\r\n  dev:\r\n    servers:\r\n      - a\r\n',
      'dev',
      'servers:\r\n    a:\r\n        command: a\r\n        # args: [old]\r\n    x:\r\n        command: node\r\n        args: [/srv/x.js]\r\n\r\nenvironments:\r\n  dev:\r\n    servers:\r\n      - a\r\n      - x\r\n',
    ],
    [
      'servers: {} becomes a block',
      'version: 1\nservers: {}\n',
      undefined,
      'version: 1\nservers:\n  x:\n    command: node\n    args: [/srv/x.js]\n',
    ],
    [
      'no servers key, no final newline',
      'version: 1',
      undefined,
      'version: 1\nservers:\n  x:\n    command: node\n    args: [/srv/x.js]\n',
    ],
    [
      'an environment without a servers list gets one',
      'servers:\n  a: {command: a}\nenvironments:\n  prod:\n    extends: default\n',
      'prod',
      'servers:\n  a: {command: a}\n  x:\n    command: node\n    args: [/srv/x.js]\nenvironments:\n  prod:\n    extends: default\n    servers: [x]\n',
    ],
  ])('%s', (_label, before, env, after) => {
    expect(add(before, env).text).toBe(after);
  });

  it('no defaultEnvironment: the server goes into default, which is every server, and no list changes', () => {
    const before = 'servers:\n  a: {command: a}\nenvironments:\n  prod:\n    servers: [a]\n';
    const r = add(before);
    expect(r.environment).toBe('default');
    expect(r.text).toBe(before.replace('environments', '  x:\n    command: node\n    args: [/srv/x.js]\nenvironments'));
  });

  it('an explicit default environment gets the name', () => {
    const r = add('servers:\n  a: {command: a}\nenvironments:\n  default:\n    servers: [a]\n');
    expect(parse(r.text).environments.default.servers).toEqual(['a', 'x']);
  });

  it('an unknown -e is an error naming the environments and the flag', () => {
    expect(() => add('servers: {}\nenvironments:\n  dev: {}\n  prod: {}\n', 'staging')).toThrow(
      /unknown environment 'staging'; mcp.yaml defines: default \(every server\), dev, prod/,
    );
    expect(() => add('servers: {}\n', 'dev')).toThrow(/no 'environments'/);
  });

  it('a name YAML would read as something else is quoted (true, 1.0, spaces)', () => {
    for (const name of ['true', '1.0', 'my server', 'a: b', '#x']) {
      const r = addServer(
        'servers:\n  a: {command: a}\nenvironments:\n  dev:\n    servers: [a]\n',
        { name, definition: node },
        { environment: 'dev' },
      );
      const doc = parse(r.text);
      expect(doc.servers[name]).toEqual(node);
      expect(doc.environments.dev.servers).toEqual(['a', name]);
    }
  });

  it('a bare command has no args key', () => {
    expect(add('servers: {}\n', undefined, { command: 'mcp-server-memory' }).text).toBe(
      'servers:\n  x:\n    command: mcp-server-memory\n',
    );
  });

  it('odd layouts still give the right data (through the Document API)', () => {
    const r = add('{servers: {a: {command: a}}, environments: {dev: {servers: [a]}}}\n', 'dev');
    const doc = parse(r.text);
    expect(doc.servers.x).toEqual(node);
    expect(doc.environments.dev.servers).toEqual(['a', 'x']);
  });

  it('an already listed name is not listed twice (--force)', () => {
    const r = addServer(
      'servers:\n  x: {command: a}\nenvironments:\n  dev:\n    servers: [x]\n',
      { name: 'x', definition: node },
      { environment: 'dev', force: true },
    );
    expect(parse(r.text).environments.dev.servers).toEqual(['x']);
    expect(parse(r.text).servers.x).toEqual(node);
  });
});

describe('addServer: an unknown defaultEnvironment is located in mcp.yaml', () => {
  it.each([
    ['no environments', 'version: 1\ndefaultEnvironment: staging\nservers: {}\n', 'remove defaultEnvironment'],
    [
      'a typo',
      'version: 1\r\ndefaultEnvironment:   stagin\r\nservers: {}\r\nenvironments:\r\n  staging: {}\r\n',
      'fix defaultEnvironment',
    ],
  ])('%s', (_what, text, hint) => {
    let err: unknown;
    try {
      addServer(text, { name: 'x', definition: node }, { file: 'dot/mcp.yaml' });
    } catch (e) {
      err = e;
    }
    const e = err as { code: string; problems: { location: unknown }[]; hint: string };
    expect(e.code).toBe('UNKNOWN_ENVIRONMENT');
    expect(e.problems[0]!.location).toEqual({ file: 'dot/mcp.yaml', line: 2, col: text.includes('   ') ? 23 : 21 });
    expect(e.hint).toContain(hint);
  });
  it('an unknown -e is the flag, not the file: no location', () => {
    expect(() => add('version: 1\nservers: {}\n', 'prod')).toThrow(expect.objectContaining({ problems: [] }) as never);
  });
});
