// Builds dist/ with esbuild. Start-up time is dominated by loading modules (resolving,
// reading and parsing files), so:
// - dist/cli/main.js, the command registry, is one small file;
// - the everyday commands (validate, plan, init, add, backups, rollback) are one
//   self-contained file each: one read, one parse;
// - the commands that start servers (test, apply, doctor, lock, watch) share chunks, so the
//   MCP SDK, listr2 and npm's libraries load only when and if they are needed.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
  // jsonc-parser too: required on first use (src/targets/formats/jsonc.ts), so validate never parses it.
  external: ['pacote', '@npmcli/config', '@npmcli/config/*', 'execa', 'jsonc-parser'],
  // yaml's ESM build (the same code as its CommonJS one) bundles smaller and loads faster.
  alias: { yaml: join(root, 'node_modules', 'yaml', 'browser', 'index.js') },
  define: { __MCPFORM_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
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

/** main.ts imports './commands/NAME.js' at run time: leave those as they are. */
const commandsExternal = {
  name: 'commands-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[\w-]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

await build({
  ...common,
  entryPoints: [src('cli/main.ts')],
  outfile: join(out, 'main.js'),
  plugins: [commandsExternal],
});
await build({
  ...common,
  entryPoints: ['validate', 'plan', 'init', 'add', 'backups', 'rollback', 'clients'].map((c) =>
    src(`cli/commands/${c}.ts`),
  ),
  outdir: join(out, 'commands'),
  splitting: false,
  // Only imported when a file is written: without splitting it would be parsed on every run,
  // so it stays in node_modules until needed. (diff stays bundled: a plan with a changed list
  // needs it, and loading its many ESM files from node_modules costs more than parsing it.)
  external: [...common.external, 'write-file-atomic'],
});
await build({
  ...common,
  entryPoints: ['test', 'apply', 'doctor', 'lock', 'watch'].map((c) => src(`cli/commands/${c}.ts`)),
  outdir: join(out, 'commands'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
