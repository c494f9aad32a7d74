#!/usr/bin/env node
/**
 * mcpform's entry (dist/cli/main.cjs): loads the command registry (cli/main.ts, built to
 * program.cjs) and hands it a loader for the one command that runs.
 *
 * Most of what a `validate` or a `plan` costs is start-up, and most of start-up is V8
 * compiling mcpform's own bundles: about 500 KB of JavaScript, run dozens of times a day.
 * Node 20 cannot keep compiled code between runs (Node 22+'s module.enableCompileCache keeps
 * it only as first compiled, see below), so this file does it for the everyday bundles (the
 * registry, validate, plan, init, add, clients, backups, rollback) with V8's own code cache,
 * saved after the run, with every function the command used:
 *
 *   <cache dir>/v8/<bundle>-<content hash>-<node version>-<arch>.bin
 *
 * The key has the bundle's content hash from the build (scripts/build.mjs), so a new
 * mcpform never reads an old cache, and V8 refuses data from another V8 or other flags.
 * Each entry is checksummed and tied to the file it was made from, and only read from a
 * dir and a file the user alone can write (see HEADER below). A miss compiles
 * as usual and, at exit, saves what V8 compiled during the run (the functions the command
 * used, not only the top level). A cache that is missing, corrupt, foreign or unwritable
 * changes nothing but the speed. MCPFORM_NO_COMPILE_CACHE=1 (MCPFORM_NO_CACHE=1, every cache; or Node's own
 * NODE_DISABLE_COMPILE_CACHE=1) turns it off.
 *
 * The commands that start servers (test, apply, doctor, lock, watch) are ES modules that
 * share chunks; starting a server costs far more than compiling them.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { cacheDir } from '../state/dirs.js';
import { LENT_IMPORT } from '../util/import-esm.js';
import { privateDir, prunePrivate, readPrivate, writePrivate } from '../util/private-cache.js';
import { checksum } from './checksum.js';
import { readWorld } from './world.js';
import type { LoadCommand } from './main.js';

/** Each bundle this file loads, by path under dist/cli, with a hash of its content. */
declare const __MCPFORM_BUNDLES__: Record<string, string>;
const BUNDLES = __MCPFORM_BUNDLES__;

const env = process.env;
const cacheRoot = v8CacheDir() ?? '';
const off =
  env.MCPFORM_NO_CACHE === '1' ||
  env.MCPFORM_NO_COMPILE_CACHE === '1' ||
  Boolean(env.NODE_DISABLE_COMPILE_CACHE) ||
  cacheRoot === '';
// Node 22+'s own cache (module.enableCompileCache), for the ES modules of the commands that
// start servers. It saves code as compiled, before it runs, so the functions a command calls
// compile again every run; the everyday bundles use ours, saved after the run (measured on
// Node 22.23: plan 2.10x node without ours, 1.75x with). Node's cache runs what it finds too:
// only in a dir the user alone can write (made so here).
const native = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
if (native && !off && privateDir(join(cacheRoot, 'node'))) native(join(cacheRoot, 'node'));

// A script compiled from cached data cannot run import() (Node loses its loader there), so the
// bundles borrow this module's (util/import-esm.ts): boot is an ordinary CommonJS module.
(globalThis as Record<symbol, unknown>)[LENT_IMPORT] = (specifier: string) => import(specifier);

const saves: (() => void)[] = [];
process.once('exit', () => {
  for (const save of saves) {
    try {
      save();
    } catch {
      // A read-only or full disk: the next run compiles again, nothing else changes.
    }
  }
});

/**
 * An entry header: the checksum of the V8 data, then the size and mtime of the bundle it was
 * made from. V8 itself checks its version, its flags and the lengths of what it is given,
 * but not the bytes: a flipped bit in the data crashes the process (SIGTRAP), and data made
 * from another bundle of the same length runs that bundle's code. So the checksum
 * (cli/checksum.ts) guards the data, and the size and mtime tie it to the very file read
 * (a bundle patched in place, by patch-package or by hand, is a miss). Only entries the user
 * alone can write are read (util/private-cache.ts).
 */
const HEADER = 16;

/** The cached data for this source file, or undefined (a miss) for anything doubtful. */
function readEntry(entryName: string, source: Stats): Buffer | undefined {
  // V8 data is about the size of the source it was made from; anything far bigger is not ours.
  const entry = readPrivate(cacheRoot, entryName, 4 * source.size + (1 << 20));
  if (!entry || entry.length <= HEADER) return undefined;
  const data = entry.subarray(HEADER);
  const matches =
    entry.readUInt32LE(0) === checksum(data) &&
    entry.readUInt32LE(4) === source.size &&
    entry.readDoubleLE(8) === source.mtimeMs;
  return matches ? data : undefined;
}

/** require(), through the code cache when there is one. */
function load(bundle: string): unknown {
  const file = join(__dirname, bundle);
  const localRequire = nodeModule.createRequire(file);
  const hash = BUNDLES[bundle];
  if (off || !hash) return localRequire(file);
  const name = bundle.replace(/[\\/]/g, '-');
  const entryName = `${name}-${hash}-${process.version}-${process.arch}.bin`;
  const fd = openSync(file, 'r');
  let text: string;
  let source: Stats;
  try {
    source = fstatSync(fd);
    // latin1: the build writes ASCII only (esbuild escapes the rest; scripts/build.mjs
    // checks), so there is nothing to decode.
    text = readFileSync(fd, 'latin1');
  } finally {
    closeSync(fd);
  }
  const cachedData = readEntry(entryName, source);
  // The CommonJS wrapper on the first line, so line numbers in stacks stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
    filename: file,
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) saves.push(() => save(script, entryName, `${name}-`, source));
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    module.exports,
    module.exports,
    localRequire,
    module,
    file,
    dirname(file),
  );
  return module.exports;
}

const WEEK = 7 * 24 * 3600 * 1000;

/**
 * Atomically (util/private-cache.ts). Then this bundle's entries of other builds (another
 * install, another Node) go once a week old, so two installs in use do not evict each other.
 */
function save(script: Script, entryName: string, prefix: string, source: Stats): void {
  // A read-only or shared cache dir: no entry would be kept, so do not serialize one.
  if (!privateDir(cacheRoot)) return;
  const data = script.createCachedData();
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(checksum(data), 0);
  header.writeUInt32LE(source.size, 4);
  header.writeDoubleLE(source.mtimeMs, 8);
  if (writePrivate(cacheRoot, entryName, Buffer.concat([header, data])))
    prunePrivate(cacheRoot, WEEK, (name) => name.startsWith(prefix) && name !== entryName);
}

const loadCommand: LoadCommand = async (name) => {
  const bundle = `commands/${name}.cjs`;
  if (bundle in BUNDLES) return load(bundle) as Awaited<ReturnType<LoadCommand>>;
  // ES modules (see above); a URL esbuild leaves alone.
  return (await import(pathToFileURL(join(__dirname, 'commands', `${name}.js`)).href)) as Awaited<
    ReturnType<LoadCommand>
  >;
};

(load('program.cjs') as typeof import('./main.js')).start(process.argv, loadCommand);

/** Where the code cache lives; none without a home to put it in (the command itself may not need one). */
function v8CacheDir(): string | undefined {
  try {
    return join(cacheDir(readWorld()), 'v8');
  } catch {
    return undefined;
  }
}
