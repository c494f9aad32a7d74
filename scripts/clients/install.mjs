// Installs the pinned clients (scripts/clients/package.json and its lock) into a cache folder
// outside the repository, once per pin set: later runs reuse it. A version bump is one line
// in package.json (then `npm install --package-lock-only` here to refresh the lock).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the clients live: MCPFORM_CLIENTS_CACHE, else ~/.cache/mcpform-dev/clients (XDG_CACHE_HOME honoured). */
export function cacheRoot(env = process.env) {
  if (env.MCPFORM_CLIENTS_CACHE) return env.MCPFORM_CLIENTS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mcpform-dev', 'clients');
}

/** The pinned versions, by package name. */
export function pins() {
  return JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')).dependencies;
}

/** The folder holding the installed clients (node_modules/.bin/<bin>), installing them on first use. */
export function installClients(log = (line) => process.stderr.write(`${line}\n`)) {
  const key = createHash('sha256')
    .update(readFileSync(join(HERE, 'package.json')))
    .update(readFileSync(join(HERE, 'package-lock.json')))
    .digest('hex');
  const dir = join(cacheRoot(), key.slice(0, 16));
  if (!existsSync(join(dir, '.installed'))) {
    log(`clients: installing the pinned clients into ${dir}`);
    // A half-finished install (killed run) is never taken for a finished one: build aside, then rename.
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    copyFileSync(join(HERE, 'package.json'), join(partial, 'package.json'));
    copyFileSync(join(HERE, 'package-lock.json'), join(partial, 'package-lock.json'));
    // `npm install`, not `ci`: the lock pins every package, but `ci` refuses it for optional
    // platform packages of other OSes the registry does not serve ("Missing: X@ from lock file").
    // Install scripts stay on: @openai/codex and @github/copilot pick their platform binaries there.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: partial,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, npm_config_engine_strict: 'false' },
    });
    writeFileSync(join(partial, '.installed'), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return dir;
}
