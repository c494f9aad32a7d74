// Builds dist/ with esbuild. Start-up time is dominated by loading modules (resolving,
// reading and compiling files), so:
// - dist/cli/main.cjs, the entry, is a small file that loads the others through V8's code
//   cache (src/cli/boot.ts); program.cjs is the command registry;
// - the everyday commands (validate, plan, init, add, clients, backups, rollback) are one
//   self-contained file each: one read, one compile, then cached;
// - the commands that start servers (test, apply, doctor, lock, watch) share chunks, so the
//   MCP SDK, listr2 and npm's libraries load only when and if they are needed.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = (p) => join(root, 'src', p);
const out = join(root, 'dist', 'cli');
rmSync(join(root, 'dist'), { recursive: true, force: true });

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm's own libraries read files next to themselves (__dirname): load them from
  // node_modules as they are, only when mcp.lock needs a registry.
  // execa too: only a git import needs it, and the everyday bundles would parse it on every run.
  external: ['pacote', '@npmcli/config', '@npmcli/config/*', 'execa'],
  // The ESM builds of yaml and jsonc-parser (the same code as their CommonJS ones) bundle
  // smaller and load faster: jsonc-parser's UMD build is five files, required one by one.
  alias: {
    yaml: join(root, 'node_modules', 'yaml', 'browser', 'index.js'),
    'jsonc-parser': join(root, 'node_modules', 'jsonc-parser', 'lib', 'esm', 'main.js'),
  },
  define: {
    __MCPFORM_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
    // The parse cache's key (src/config/parse-cache.ts): the dependencies, the parser and the cache.
    __MCPFORM_BUILD__: JSON.stringify(
      createHash('sha256')
        .update(readFileSync(join(root, 'package-lock.json')))
        .update(readFileSync(join(root, 'src', 'config', 'source.ts')))
        .update(readFileSync(join(root, 'src', 'config', 'parse-cache.ts')))
        .update(readFileSync(join(root, 'src', 'util', 'private-cache.ts')))
        .digest('hex')
        .slice(0, 16),
    ),
  },
  // CommonJS dependencies inside an ESM bundle need a real require (and __filename, which
  // write-file-atomic hashes into its temp names).
  banner: {
    js: [
      "import { createRequire as __mcpformCreateRequire } from 'node:module';",
      "import { fileURLToPath as __mcpformFileURLToPath } from 'node:url';",
      'const require = __mcpformCreateRequire(import.meta.url);',
      'const __filename = __mcpformFileURLToPath(import.meta.url);',
    ].join(' '),
  },
  // Parse time is proportional to source size; names are kept so MCPFORM_DEBUG stacks read.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * The everyday bundles are CommonJS scripts, so that cli/boot.ts can run them through V8's
 * code cache on Node 20 (see there). 'use strict' keeps the semantics of the ES modules they
 * were, and import() of an external becomes require() (a cached script cannot import()).
 */
const script = {
  ...common,
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: { ...common.define, 'import.meta.url': '__mcpformImportMetaUrl' },
  banner: { js: "'use strict'; const __mcpformImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const outputs = [];
const hashed = (result) => {
  for (const f of result.outputFiles) {
    // boot.ts reads these as latin1 (no decoding): esbuild's default charset is ASCII.
    if (f.contents.some((b) => b > 0x7f)) throw new Error(`${f.path}: not ASCII; boot.ts reads it as latin1`);
    writeFileSync(f.path, f.contents);
    outputs.push([
      relative(out, f.path).split(sep).join('/'),
      createHash('sha256').update(f.contents).digest('hex').slice(0, 16),
    ]);
  }
};
mkdirSync(join(out, 'commands'), { recursive: true });

/**
 * Node's builtins that cost a cold start most, and that a `validate` or `plan` often never
 * calls: node:crypto (4-5 ms: all of OpenSSL's bindings; a plan hashes only for ownership and
 * saved plans) and node:child_process (commander requires it for executable subcommands,
 * which mcpform does not have; it pulls in net, dgram and the stream machinery). In the
 * everyday bundles each is a stand-in with the same exports, each a getter that requires the
 * real module on first use.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(crypto|child_process)$/ }, (args) =>
      // The stand-in's own require is of the real module.
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => {
      const names = Object.keys(createRequire(import.meta.url)(`node:${path}`)).filter((n) => n !== 'default');
      return {
        loader: 'js',
        contents: [
          `let real; const load = () => (real ??= require('node:${path}'));`,
          `for (const name of ${JSON.stringify(names)})`,
          '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });',
        ].join('\n'),
      };
    });
  },
};

// The registry (commander and the command list).
hashed(
  await build({
    ...script,
    entryPoints: [src('cli/main.ts')],
    outfile: join(out, 'program.cjs'),
    plugins: [lazyBuiltins],
    write: false,
  }),
);
hashed(
  await build({
    ...script,
    entryPoints: ['validate', 'plan', 'init', 'add', 'backups', 'rollback', 'clients'].map((c) =>
      src(`cli/commands/${c}.ts`),
    ),
    outdir: join(out, 'commands'),
    outExtension: { '.js': '.cjs' },
    plugins: [lazyBuiltins],
    write: false,
    // Only needed when a file is written: without splitting it would be parsed on every run,
    // so it stays in node_modules until then. (diff stays bundled: a plan with a changed list
    // needs it, and loading its many ESM files from node_modules costs more than parsing it.)
    external: [...common.external, 'write-file-atomic'],
  }),
);
await build({
  ...common,
  entryPoints: ['test', 'apply', 'doctor', 'lock', 'watch'].map((c) => src(`cli/commands/${c}.ts`)),
  outdir: join(out, 'commands'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// Last: the entry knows each bundle's hash (the key of its code cache).
await build({
  ...common,
  format: 'cjs',
  banner: undefined,
  entryPoints: [src('cli/boot.ts')],
  outfile: join(out, 'main.cjs'),
  define: { ...common.define, __MCPFORM_BUNDLES__: JSON.stringify(Object.fromEntries(outputs)) },
});
chmodSync(join(out, 'main.cjs'), 0o755);
