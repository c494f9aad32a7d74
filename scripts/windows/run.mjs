// npm run test:windows: the platform-sensitive tests and the built CLI on Windows Node under
// Wine (CONTRIBUTING.md). Node's own runner there: vitest cannot start under Wine.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { setUp, WINE, wineEnv, winePath } from './setup.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The platform-sensitive unit tests (paths, PATH lookup, rendering, launch forms, %VAR%), as
// they are: the host's path rules must not leak into what a World's platform decides.
const UNIT_TESTS = [
  'test/targets/claude-desktop.test.ts',
  'test/targets/ide-clients.test.ts',
  'test/targets/json-clients.test.ts',
  'test/targets/toml-yaml-clients.test.ts',
  'test/targets/windows-start.test.ts',
  'test/targets/windows-vars.test.ts',
  'test/probe/environment.test.ts',
  'test/doctor/darwin.test.ts',
];
const started = Date.now();
// The binary package.json names, as users get it.
const BIN = join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.mcpform);
const dirs = setUp();
const work = mkdtempSync(join(tmpdir(), 'mcpform-windows-'));
let status;
try {
  // The test files, bundled: node.exe runs them as they are.
  // `node scripts/windows/run.mjs unit dirs`: only those files (names without .test.ts), for a quicker round.
  const only = process.argv.slice(2);
  const tests = [
    ...readdirSync(join(ROOT, 'test', 'windows'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/windows/${f}`),
    ...UNIT_TESTS,
  ].filter((f) => only.length === 0 || only.includes(basename(f, '.test.ts')));
  if (tests.length === 0) throw new Error(`windows: no test file matches ${only.join(', ')}`);
  await build({
    entryPoints: tests.map((f) => join(ROOT, f)),
    outdir: join(work, 'tests'),
    outbase: join(ROOT, 'test'),
    // The vitest files run on node:test (vitest cannot start under Wine).
    alias: { vitest: join(ROOT, 'scripts', 'windows', 'vitest-shim.mjs') },
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    // ES module builds first: jsonc-parser's UMD one requires its parts by relative name.
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'node20',
    banner: {
      // As scripts/build.mjs: a real require, and __filename (write-file-atomic hashes it into its temp names).
      js: [
        "import { createRequire as __mcpformRequire } from 'node:module';",
        "import { fileURLToPath as __mcpformFileURLToPath } from 'node:url';",
        'const require = __mcpformRequire(import.meta.url);',
        'const __filename = __mcpformFileURLToPath(import.meta.url);',
      ].join(' '),
    },
    logLevel: 'warning',
  });
  // The project the CLI test applies, locked here (the registry is out of reach inside Wine): a
  // client that starts commands without a shell (Claude Desktop) and one that resolves npx.cmd
  // itself through cross-spawn (Gemini CLI).
  const project = join(work, 'project');
  mkdirSync(project);
  const [server] = JSON.parse(readFileSync(join(ROOT, 'scripts', 'windows', 'pins.json'), 'utf8')).servers;
  const at = server.lastIndexOf('@');
  writeFileSync(
    join(project, 'mcp.yaml'),
    `version: 1\nservers:\n  memory:\n    package: npm:${server.slice(0, at)}@${server.slice(at + 1)}\n    test:\n      timeout: 600s\ntargets: [claude-desktop, gemini-cli]\n`,
  );
  const home = join(work, 'lock-home');
  // Kept apart from npx's cache: both ask for the same URL (mcpform the abbreviated document,
  // npx the full one) and npm's cache keeps one answer per URL.
  const pinCache = join(work, 'pin-cache');
  execFileSync(process.execPath, [BIN, 'lock'], {
    cwd: project,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      MCPFORM_STATE_DIR: join(home, 'state'),
      // mcpform checks a pin against the registry on each run: its answers, for the runs in Wine.
      npm_config_cache: pinCache,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  rmSync(home, { recursive: true, force: true });
  // Wine quirk: node.exe cannot use a Unix pipe as stdin/stdout/stderr (EBADF): files instead.
  const out = join(work, 'out.txt');
  const err = join(work, 'err.txt');
  const files = readdirSync(join(work, 'tests'), { recursive: true })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => winePath(join(work, 'tests', f)));
  const run = spawnSync(
    'sh',
    [
      '-c',
      `exec "$0" "$@" <"${'/dev/null'}" >"${out}" 2>"${err}"`,
      WINE,
      join(dirs.nodejs, 'node.exe'),
      '--test',
      '--test-reporter=spec',
      ...files,
    ],
    {
      cwd: work,
      stdio: 'inherit',
      env: wineEnv(dirs, {
        MCPFORM_WIN_CLI: winePath(BIN),
        MCPFORM_WIN_PROJECT: winePath(project),
        MCPFORM_WIN_NPM_CACHE: winePath(dirs.npmCache),
        MCPFORM_WIN_PIN_CACHE: winePath(pinCache),
        // What the bundled tests load lazily (smol-toml, as src/targets/formats/toml.ts does).
        NODE_PATH: winePath(join(ROOT, 'node_modules')),
      }),
    },
  );
  process.stdout.write(readFileSync(out, 'utf8'));
  process.stderr.write(readFileSync(err, 'utf8'));
  status = run.status ?? 1;
  const summary = /ℹ pass (\d+)\s+ℹ fail (\d+)/.exec(readFileSync(out, 'utf8'));
  mkdirSync(join(ROOT, 'coverage'), { recursive: true });
  writeFileSync(
    join(ROOT, 'coverage', 'windows.json'),
    JSON.stringify({
      passed: Number(summary?.[1] ?? 0),
      failed: status === 0 ? Number(summary?.[2] ?? 0) : Math.max(1, Number(summary?.[2] ?? 1)),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`windows: ${status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(status);
