// Builds dist/ with esbuild: one bundle for the CLI's start-up path and lazily loaded
// chunks for each command. Start-up is dominated by module resolution, so bundling our
// dependencies (yaml, commander) matters more than anything else for `mcpform validate`.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outdir: join(root, 'dist', 'cli'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // npm's own libraries read files next to themselves (__dirname): load them from
  // node_modules as they are, only when mcp.lock needs a registry.
  external: ['pacote', '@npmcli/config', '@npmcli/config/*'],
  // yaml's ESM build (the same code as its CommonJS one) bundles smaller and loads faster.
  alias: { yaml: join(root, 'node_modules', 'yaml', 'browser', 'index.js') },
  // CommonJS dependencies inside an ESM bundle need a real require.
  // (and __filename, which write-file-atomic hashes into its temp names).
  banner: {
    js: [
      "import { createRequire as __mcpformCreateRequire } from 'node:module';",
      "import { fileURLToPath as __mcpformFileURLToPath } from 'node:url';",
      'const require = __mcpformCreateRequire(import.meta.url);',
      'const __filename = __mcpformFileURLToPath(import.meta.url);',
    ].join(' '),
  },
  define: { __MCPFORM_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  // Parse time is proportional to source size; names are kept so MCPFORM_DEBUG stacks read.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
