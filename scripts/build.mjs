// Builds dist/ with esbuild: one ES module build. The entry, dist/cli/bin.js, turns on Node's
// compile cache and imports the command registry (cli/main.ts), which imports each command
// only when it runs; shared code goes into chunks, so `validate` never loads the MCP SDK.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
rmSync(join(root, 'dist'), { recursive: true, force: true });

await build({
  entryPoints: ['cli/bin.ts', 'cli/main.ts'].map((p) => join(root, 'src', p)),
  outdir: out,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm's own libraries read files next to themselves (__dirname): loaded from node_modules
  // as they are, and only when mcp.lock needs a registry.
  external: ['pacote', '@npmcli/config', '@npmcli/config/*', 'execa'],
  // The ESM builds of yaml and jsonc-parser (the same code as their CommonJS ones) bundle
  // smaller: jsonc-parser's UMD build is five modules, each wrapped.
  alias: {
    yaml: join(root, 'node_modules', 'yaml', 'browser', 'index.js'),
    'jsonc-parser': join(root, 'node_modules', 'jsonc-parser', 'lib', 'esm', 'main.js'),
  },
  define: {
    __MCPFORM_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  },
  // CommonJS dependencies inside an ES module need a real require (and __filename, which
  // write-file-atomic hashes into its temp names).
  banner: {
    js: [
      "import { createRequire as __mcpformCreateRequire } from 'node:module';",
      "import { fileURLToPath as __mcpformFileURLToPath } from 'node:url';",
      'const require = __mcpformCreateRequire(import.meta.url);',
      'const __filename = __mcpformFileURLToPath(import.meta.url);',
    ].join(' '),
  },
  // Less to read and compile on Node 20, which keeps no compiled code; names are kept so
  // MCPFORM_DEBUG stacks read.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(join(out, 'bin.js'), 0o755);
