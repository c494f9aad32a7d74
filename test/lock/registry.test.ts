import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, sandbox, type Sandbox } from '../helpers.js';
import { startRegistry, type Registry } from '../npm-registry.js';

let registry: Registry;
const integrity: Record<string, string> = {};

beforeAll(async () => {
  registry = await startRegistry();
  for (const v of ['1.0.0', '1.1.0', '2.0.0']) integrity[v] = registry.publish(v);
}, 120_000);

function project(range: string): Sandbox {
  const sb = sandbox({
    'mcp.yaml': `version: 1\nservers:\n  tiny:\n    package: npm:@mcpform-test/tiny-mcp@${range}\n`,
    // The user's npm config, as npm reads it: here a project .npmrc.
    '.npmrc': registry.npmrc,
  });
  // The same in the user's ~/.npmrc: the client's npx starts in its own folder (Claude Desktop:
  // `/`), where the project's .npmrc is not read; the checks start servers there too.
  writeFileSync(join(sb.home, '.npmrc'), registry.npmrc);
  sb.env.npm_config_cache = `${sb.dir}/npm-cache`;
  delete sb.env.npm_config_registry; // the project .npmrc says where the registry is
  return sb;
}
const lockOf = (sb: Sandbox) => parse(readFileSync(sb.path('mcp.lock'), 'utf8'));
const cli = (sb: Sandbox, args: string[]) => runCli(args, { cwd: sb.path(''), env: sb.env, timeoutMs: 120_000 });

describe('mcp.lock against a real registry on loopback', () => {
  it('plan resolves a range to the highest match, records the integrity and renders the pin', async () => {
    const sb = project('^1.0.0');
    const r = await cli(sb, ['plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"@mcpform-test/tiny-mcp@1.1.0"');
    expect(lockOf(sb).servers.tiny.package).toEqual({
      name: '@mcpform-test/tiny-mcp',
      requested: '^1.0.0',
      version: '1.1.0',
      integrity: integrity['1.1.0'],
    });
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).not.toContain(registry.url.replace(/\/$/, ''));
  });

  it('existing pins change only with lock --update; a re-run rewrites nothing', async () => {
    const sb = project('^1.0.0');
    const first = await cli(sb, ['plan']);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(sb.path('mcp.lock'));
    integrity['1.2.0'] = registry.publish('1.2.0');
    expect((await cli(sb, ['plan'])).code).toBe(0);
    expect(readFileSync(sb.path('mcp.lock')).equals(before)).toBe(true);

    const up = await cli(sb, ['lock', '--update', 'tiny']);
    expect(up.code, up.stderr + up.stdout).toBe(0);
    expect(up.stdout).toContain('pinned tiny: @mcpform-test/tiny-mcp@1.2.0');
    const lock = lockOf(sb).servers.tiny;
    expect(lock.package).toMatchObject({ version: '1.2.0', integrity: integrity['1.2.0'] });
    // The handshake ran the real package through npx, from this registry.
    expect(lock.tools.details.hello.description).toBe('Says hello (tiny-mcp 1.2.0).');
    const again = readFileSync(sb.path('mcp.lock'));
    expect((await cli(sb, ['lock'])).stdout).toContain('is up to date');
    expect(readFileSync(sb.path('mcp.lock')).equals(again)).toBe(true);
  });

  it('--frozen-lockfile fails instead of writing', async () => {
    const sb = project('^2.0.0');
    const r = await cli(sb, ['plan', '--frozen-lockfile']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--frozen-lockfile');
    expect(() => readFileSync(sb.path('mcp.lock'))).toThrow();
    expect((await cli(sb, ['plan'])).code).toBe(0);
    // A changed range is a missing pin too.
    writeFileSync(
      sb.path('mcp.yaml'),
      'version: 1\nservers:\n  tiny:\n    package: npm:@mcpform-test/tiny-mcp@~1.0.0\n',
    );
    const before = readFileSync(sb.path('mcp.lock'));
    const frozen = await cli(sb, ['apply', '--yes', '--frozen-lockfile']);
    expect(frozen.code).toBe(1);
    expect(frozen.stderr).toContain("'tiny' (npm:@mcpform-test/tiny-mcp@~1.0.0)");
    expect(readFileSync(sb.path('mcp.lock')).equals(before)).toBe(true);
  });

  it('an apply that is refused (no --yes on a non-interactive stdin) writes no mcp.lock either', async () => {
    const sb = project('^1.0.0');
    const r = await cli(sb, ['apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--yes');
    expect(() => readFileSync(sb.path('mcp.lock'))).toThrow();
  });

  it('a range nothing matches is a clear error', async () => {
    const sb = project('^9.0.0');
    const r = await cli(sb, ['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot resolve @mcpform-test/tiny-mcp@^9.0.0 for server 'tiny' from ${registry.url}`);
  });
});
