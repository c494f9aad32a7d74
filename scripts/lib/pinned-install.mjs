// One pinned install outside the repository, shared by the CI stages (conformance, clients):
// a folder's package.json and package-lock.json are installed into
// <cache>/mcpform-dev/<stage>/<hash of the two>, once per pin set; later runs reuse it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `override` (the stage's own variable) when set, else ~/.cache/mcpform-dev/<stage> (XDG_CACHE_HOME honoured). */
export function stageCache(stage, override, env = process.env) {
  if (override) return override;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mcpform-dev', stage);
}

/**
 * The installed folder for the pins in `from`, installing them with `npm <npmArgs>` first if
 * no finished install is there. A half-finished install (a killed run) is never taken for a
 * finished one: it is built aside, then renamed into place.
 */
export function installPinned({ from, root, npmArgs, log, what }) {
  const key = createHash('sha256')
    .update(readFileSync(join(from, 'package.json')))
    .update(readFileSync(join(from, 'package-lock.json')))
    .digest('hex');
  const dir = join(root, key.slice(0, 16));
  if (existsSync(join(dir, '.installed'))) return dir;
  log(`${what} into ${dir}`);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  copyFileSync(join(from, 'package.json'), join(partial, 'package.json'));
  copyFileSync(join(from, 'package-lock.json'), join(partial, 'package-lock.json'));
  execFileSync('npm', [...npmArgs, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: partial,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Pinned tools may declare a newer engine than the Node npm itself runs on.
    env: { ...process.env, npm_config_engine_strict: 'false' },
  });
  writeFileSync(join(partial, '.installed'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}
