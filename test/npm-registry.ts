import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FIXTURES, ROOT } from './helpers.js';
import { freePort } from './servers.js';

export interface Registry {
  url: string;
  /** Publishes the tiny-mcp fixture at `version`; returns the tarball's integrity. `variant` changes its bytes. */
  publish(version: string, variant?: string): string;
  /** Removes a published version (so it can be published again with other content). */
  unpublish(version: string): void;
  /** An npmrc that points npm (and mcpform) at this registry only. */
  npmrc: string;
}

const running: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of running) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A real npm registry (verdaccio) on a loopback port, with no uplinks: nothing here can
 * reach the public registry. Packages are published to it with the real npm CLI.
 */
export async function startRegistry(): Promise<Registry> {
  // Its own temp dir, not a per-test sandbox: it must outlive each test.
  const dir = mkdtempSync(join(tmpdir(), 'mcpform-registry-'));
  dirs.push(dir);
  const sb = { dir, home: join(dir, 'home') };
  mkdirSync(sb.home, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  writeFileSync(
    join(sb.dir, 'verdaccio.yaml'),
    `storage: ./storage\nauth:\n  htpasswd:\n    file: ./htpasswd\n    max_users: 10\nuplinks: {}\npackages:\n  '**':\n    access: $all\n    publish: $authenticated\nlog: { type: stdout, format: pretty, level: error }\n`,
  );
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
      '-c',
      join(sb.dir, 'verdaccio.yaml'),
      '-l',
      `127.0.0.1:${port}`,
    ],
    {
      cwd: sb.dir,
      env: { PATH: process.env.PATH, HOME: sb.home },
      stdio: 'ignore',
    },
  );
  running.push(child);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 200) throw new Error('verdaccio did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const res = await fetch(`${url}-/user/org.couchdb.user:tester`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'tester', password: 'tester-password' }),
  });
  const { token } = (await res.json()) as { token: string };
  const host = url.replace(/^http:/, '');
  const npmrc = `registry=${url}\n${host}:_authToken=${token}\n`;
  const userconfig = join(sb.dir, 'publish.npmrc');
  writeFileSync(userconfig, npmrc);

  return {
    url,
    npmrc: `registry=${url}\n`,
    unpublish(version: string): void {
      const r = spawnSync('npm', ['unpublish', `@mcpform-test/tiny-mcp@${version}`, '--force', '--registry', url], {
        env: { PATH: process.env.PATH, HOME: sb.home, npm_config_userconfig: userconfig },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`npm unpublish failed: ${r.stderr}`);
    },
    publish(version: string, variant?: string): string {
      const dir = join(sb.dir, 'pkg', variant ? `${version}-${variant}` : version);
      mkdirSync(dir, { recursive: true });
      cpSync(join(FIXTURES, 'registry', 'tiny-mcp'), dir, { recursive: true });
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ ...pkg, version, ...(variant ? { description: variant } : {}) }, null, 2),
      );
      const env = {
        PATH: process.env.PATH,
        HOME: sb.home,
        npm_config_userconfig: userconfig,
        npm_config_cache: join(sb.dir, 'npm-cache'),
      };
      const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: dir, env, encoding: 'utf8' });
      if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
      const tarball = join(dir, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
      const pub = spawnSync('npm', ['publish', tarball, '--registry', url, '--tag', 'latest'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      if (pub.status !== 0) throw new Error(`npm publish failed: ${pub.stderr}`);
      return `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    },
  };
}
