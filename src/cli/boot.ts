#!/usr/bin/env node
/**
 * mcpform's entry (dist/cli/main.cjs): loads the command registry (cli/main.ts, built to
 * program.cjs) and hands it a loader for the one command that runs.
 *
 * Most of what a `validate` or a `plan` costs is start-up, and most of start-up is V8
 * compiling mcpform's own bundles: about 500 KB of JavaScript, run dozens of times a day.
 * Node 22+ keeps compiled code between runs itself (module.enableCompileCache). Node 20
 * has no such API, so this file does the same for the everyday bundles (the registry,
 * validate, plan, init, add, clients, backups, rollback) with V8's own code cache:
 *
 *   <cache dir>/v8/<bundle>-<content hash>-<node version>-<arch>.bin
 *
 * The key has the bundle's content hash from the build (scripts/build.mjs), so a new
 * mcpform never reads an old cache, and V8 refuses data from another V8 or other flags.
 * A miss compiles as usual and, at exit, saves what V8 compiled during the run (the
 * functions the command used, not only the top level). A cache that cannot be read or
 * written changes nothing but the speed. MCPFORM_NO_COMPILE_CACHE=1 (or Node's own
 * NODE_DISABLE_COMPILE_CACHE=1) turns it off.
 *
 * The commands that start servers (test, apply, doctor, lock, watch) are ES modules that
 * share chunks; starting a server costs far more than compiling them.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { cacheDir } from '../state/dirs.js';
import { LENT_IMPORT } from '../util/import-esm.js';
import { checksum } from './checksum.js';
import type { LoadCommand } from './main.js';

/** Each bundle this file loads, by path under dist/cli, with a hash of its content. */
declare const __MCPFORM_BUNDLES__: Record<string, string>;
const BUNDLES = __MCPFORM_BUNDLES__;

const env = process.env;
const off = env.MCPFORM_NO_COMPILE_CACHE === '1' || Boolean(env.NODE_DISABLE_COMPILE_CACHE);
const cacheRoot = join(cacheDir(env), 'v8');
const native = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
if (native && !off) native(cacheRoot);
/** Node 20: our own cache, for the bundles the build hashed. */
const own = !native && !off;

// A script compiled from cached data cannot run import() on Node 20, so the bundles borrow
// this module's (util/import-esm.ts): boot is an ordinary CommonJS module.
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

/** require(), through the code cache when there is one. */
function load(bundle: string): unknown {
  const file = join(__dirname, bundle);
  const localRequire = nodeModule.createRequire(file);
  const hash = BUNDLES[bundle];
  if (!own || !hash) return localRequire(file);
  const name = bundle.replace(/[\\/]/g, '-');
  const cacheFile = join(cacheRoot, `${name}-${hash}-${process.version}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = checked(readFileSync(cacheFile));
  } catch {
    // first run of this build (or no cache dir): compile, and save at exit
  }
  // The CommonJS wrapper on the first line, so line numbers in stacks stay the bundle's.
  // latin1: the build writes ASCII only (esbuild escapes the rest; scripts/build.mjs checks),
  // so there is nothing to decode.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) saves.push(() => save(script, cacheFile, `${name}-`));
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

/**
 * The data V8 will trust, or undefined. V8 checks the version, the flags and the lengths of
 * what it is given, but not its bytes: a flipped bit in the payload crashes the process
 * (SIGTRAP). So every entry starts with a checksum of the rest (cli/checksum.ts), as Node's
 * own compile cache keeps one.
 */
function checked(entry: Buffer): Buffer | undefined {
  if (entry.length <= 4) return undefined;
  const data = entry.subarray(4);
  return checksum(data) === entry.readUInt32LE(0) ? data : undefined;
}

/** Atomically (a reader never sees half a file), dropping this bundle's older entries. */
function save(script: Script, cacheFile: string, prefix: string): void {
  const data = script.createCachedData();
  const header = Buffer.alloc(4);
  header.writeUInt32LE(checksum(data));
  mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([header, data]), { mode: 0o600 });
  renameSync(tmp, cacheFile);
  for (const old of readdirSync(cacheRoot))
    if (old.startsWith(prefix) && join(cacheRoot, old) !== cacheFile && !old.endsWith('.tmp'))
      rmSync(join(cacheRoot, old), { force: true });
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
