import { describe, expect, it } from 'vitest';
import { loadDesired, validateProject } from '../../src/config/load.js';
import { McpformError } from '../../src/errors.js';
import { sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';

const load = (files: Record<string, string>, opts: { environment?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const sb = sandbox(files);
  return loadDesired(sb.path('mcp.yaml'), {
    clients: clientCatalog,
    environment: opts.environment,
    world: testWorld({ env: opts.env ?? {}, cwd: sb.path('') }),
  });
};

const TEAM = {
  'base.mcp.yaml': `version: 1
servers:
  memory: { command: npx, args: ["-y", "server-memory"] }
  github:
    command: npx
    env: { GITHUB_TOKEN: "\${GH}", LOG_LEVEL: info, DEBUG: "1" }
environments:
  base: { servers: [memory, github] }
`,
  'mcp.yaml': `version: 1
imports: [./base.mcp.yaml]
defaultEnvironment: dev
servers:
  memory: { command: node, args: [local-memory.js] }
environments:
  dev: { extends: base }
  prod:
    extends: dev
    exclude: [memory]
    overrides:
      github: { env: { LOG_LEVEL: warn, DEBUG: null } }
`,
};

describe('loadDesired', () => {
  it('local definitions win over imports', () => {
    const s = load(TEAM, { env: { GH: 't0ken' } });
    expect(s.environment).toBe('dev');
    expect(s.servers.map((x) => x.name)).toEqual(['memory', 'github']);
    expect(s.servers[0]).toMatchObject({ command: 'node', args: ['local-memory.js'] });
    expect(s.sources).toHaveLength(2);
  });

  it('extends, exclude and merge-patch overrides (null deletes)', () => {
    const s = load(TEAM, { environment: 'prod', env: { GH: 't0ken' } });
    expect(s.servers.map((x) => x.name)).toEqual(['github']);
    expect(s.servers[0]!.env).toEqual({ GITHUB_TOKEN: 't0ken', LOG_LEVEL: 'warn' });
  });

  it('marks interpolated and secret-named values sensitive', () => {
    const s = load(
      {
        'mcp.yaml': `version: 1
servers:
  x:
    command: run
    args: ["--dir", "\${HOME_DIR:-/tmp}", plain]
    env: { API_KEY: literal, COLOR: blue, URL: "\${U}" }
`,
      },
      { env: { U: 'http://u' } },
    );
    const x = s.servers[0]!;
    // `${HOME_DIR:-/tmp}` with HOME_DIR unset is mcp.yaml's own text: not sensitive.
    expect([...x.sensitive].sort()).toEqual(['/env/API_KEY', '/env/URL']);
    expect(x.args).toEqual(['--dir', '/tmp', 'plain']);
    expect(x.secrets).not.toContain('/tmp');
  });

  it('a default stays plain; the same reference with the variable set is sensitive', () => {
    const yaml = 'version: 1\nservers:\n  x:\n    command: run\n    args: ["${HOME_DIR:-/tmp}"]\n';
    expect([...load({ 'mcp.yaml': yaml }, { env: {} }).servers[0]!.sensitive]).toEqual([]);
    const set = load({ 'mcp.yaml': yaml }, { env: { HOME_DIR: '/home/me/private' } }).servers[0]!;
    expect([...set.sensitive]).toEqual(['/args/0']);
    expect(set.secrets).toContain('/home/me/private');
  });

  it('reads the env file; the process environment wins', () => {
    const files = {
      'mcp.yaml': 'version: 1\nenvFile: local.env\nservers:\n  x: { command: run, env: { A: "${A}", B: "${B}" } }\n',
      'local.env': 'A=from-file\nB="quoted b"\n',
    };
    expect(load(files).servers[0]!.env).toEqual({ A: 'from-file', B: 'quoted b' });
    expect(load(files, { env: { A: 'from-env' } }).servers[0]!.env.A).toBe('from-env');
  });

  it('no environments key: one environment "default" with every server', () => {
    const s = load({ 'mcp.yaml': 'version: 1\nservers:\n  a: { command: a }\n  b: { url: "https://x.test/mcp" }\n' });
    expect(s.environments).toEqual(['default']);
    expect(s.servers.map((x) => [x.name, x.kind])).toEqual([
      ['a', 'command'],
      ['b', 'url'],
    ]);
  });

  it('an unknown environment is an error naming the ones that exist', () => {
    expect(() => load(TEAM, { environment: 'staging', env: { GH: 'x' } })).toThrow(
      /unknown environment 'staging'.*base, dev, prod/,
    );
  });

  it('missing variables are reported all at once, with the server and field', () => {
    try {
      load({ 'mcp.yaml': 'version: 1\nservers:\n  a: { command: "${X1}", args: ["${X2}"] }\n' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(McpformError);
      expect((e as McpformError).problems.map((p) => p.message)).toEqual([
        expect.stringContaining("server 'a' field 'command': variable ${X1} is not set"),
        expect.stringContaining("server 'a' field 'args.0': variable ${X2} is not set"),
      ]);
    }
  });

  it('parses package specs and durations', () => {
    const s = load({
      'mcp.yaml':
        'version: 1\nservers:\n  fs: { package: "npm:@scope/pkg@^1.2.0", test: { timeout: 1m } }\n  m: { package: "npm:plain", test: { timeout: 1500ms } }\n',
    });
    expect(s.servers[0]).toMatchObject({
      kind: 'package',
      package: { name: '@scope/pkg', range: '^1.2.0' },
      test: { timeoutMs: 60000 },
    });
    expect(s.servers[1]).toMatchObject({ package: { name: 'plain', range: 'latest' }, test: { timeoutMs: 1500 } });
  });

  it('returns a frozen state', () => {
    const s = load({ 'mcp.yaml': 'version: 1\nservers:\n  a: { command: a }\n' });
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.servers[0]!.args)).toBe(true);
  });
});

describe('schema and "did you mean" stay in step', () => {
  it('the known keys used for suggestions are exactly the schema properties', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ROOT } = await import('../helpers.js');
    const { KNOWN_KEYS } = await import('../../src/config/schema.js');
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'mcp.schema.json'), 'utf8'));
    expect(KNOWN_KEYS.top).toEqual(Object.keys(schema.properties));
    expect(KNOWN_KEYS.server).toEqual(Object.keys(schema.definitions.server.properties));
    expect(KNOWN_KEYS.environment).toEqual(Object.keys(schema.definitions.environment.properties));
    expect(KNOWN_KEYS.test).toEqual(Object.keys(schema.definitions.test.properties));
  });
});

describe('validateProject', () => {
  it('reports every problem of the files in one run, in file order: schema, names, environment references', () => {
    const sb = sandbox({
      'mcp.yaml': [
        'version: 1',
        'servers:',
        '  a:',
        '    command: node',
        '    args: [x.js, "${MISSING_VAR}"]',
        '    bogus: 1',
        '  b:',
        '    url: 12',
        '  e/f:',
        '    command: x',
        'environments:',
        '  dev:',
        '    servers: [a, b, nope]',
        '',
      ].join('\n'),
    });
    let err: unknown;
    try {
      validateProject(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: {}, cwd: sb.path('') }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(McpformError);
    const problems = (err as McpformError).problems;
    expect(
      problems.map(
        (p: { location?: { line: number }; message: string }) => `${p.location?.line}: ${p.message.split(';')[0]}`,
      ),
    ).toEqual([
      "6: unknown key 'bogus' in server 'a' (allowed: description, command, package, url, args, env, cwd, verbatim, headers, transport, test)",
      "8: server 'b' field 'url' must be a string",
      "9: server name 'e/f' must not contain '/' or '\\'",
      "13: environment 'dev' refers to unknown server 'nope'",
    ]);
  });

  it('checks variables once the definitions are sound', () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  a:\n    command: node\n    args: ["${MISSING_VAR}"]\n' });
    expect(() =>
      validateProject(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: {}, cwd: sb.path('') }) }),
    ).toThrow(/1 problem/);
  });
});
