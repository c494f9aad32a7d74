import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { DesiredServer, DesiredState } from '../config/types.js';

/**
 * A server whose code is the user's own, on disk: watch re-checks it when its source is
 * saved, and records its new tools in mcp.lock (docs/reference.md, "watch": dev servers).
 */
export interface DevSource {
  server: string;
  /** The files the entry runs (script, console script), absolute. */
  scripts: string[];
  /** The folder to watch: the project (package.json / pyproject.toml / .venv above the script). */
  root: string;
  /** false when no project was found: only the script's own folder, not its subfolders. */
  recursive: boolean;
}

const CODE = /\.(py|pyi|js|mjs|cjs|jsx|ts|mts|cts|tsx)$/i;
/** Files whose change means the server may behave differently: code and manifests, not its data. */
const MANIFEST =
  /^(package(-lock)?\.json|pyproject\.toml|setup\.(py|cfg)|requirements[\w.-]*\.txt|tsconfig[\w.-]*\.json|uv\.lock)$/i;
/** Folders never watched: installed dependencies, VCS, caches. */
export const IGNORED_DIRS = new Set([
  'node_modules',
  '.venv',
  'venv',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.cache',
  '.next',
  '.turbo',
  '.parcel-cache',
  'coverage',
  '.eggs',
]);
/** Build output: not watched, unless the entry runs from there (`dist/index.js` is then the source). */
const BUILD_DIRS = new Set(['dist', 'build', 'out']);
const PROJECT_MARKERS = ['package.json', 'pyproject.toml', '.venv', 'venv', 'requirements.txt', 'setup.py'];
/** Installed code: a published package, even when it runs from a local path. */
const INSTALLED = /[\\/](node_modules|site-packages|dist-packages|_npx)[\\/]/;
/** Commands that fetch and run a package: the first positional argument is the package. */
const RUNNERS = new Set(['npx', 'pnpx', 'bunx', 'uvx', 'pipx', 'pnpm', 'yarn', 'npm']);
/** Packages that only run the script after them (`npx -y tsx ./server.ts`). */
const SCRIPT_RUNNERS = /^(tsx|ts-node|node|esno|jiti)(@[^/]*)?$/;
const INTERPRETER = /^(node|nodejs|bun|deno|tsx|ts-node|uv|python[\d.]*w?|py|pypy[\d.]*)$/i;

/** The dev servers of an environment: those whose entry runs a local script. */
export function devSources(state: DesiredState, home?: string): DevSource[] {
  const base = dirname(state.file);
  const out: DevSource[] = [];
  for (const s of state.servers) {
    const d = devSourceOf(s, base, home);
    if (d) out.push(d);
  }
  return out;
}

export function devSourceOf(server: DesiredServer, base: string, home?: string): DevSource | undefined {
  if (server.kind !== 'command' || !server.command) return undefined;
  const cwd = server.cwd ? resolve(base, server.cwd) : base;
  const scripts = scriptsOf(server.command, server.args, cwd);
  if (!scripts || scripts.length === 0 || scripts.some((s) => INSTALLED.test(s))) return undefined;
  const project = projectRoot(scripts[0]!, home);
  // An executable without a code extension is the user's only inside a project of theirs:
  // `/bin/sh -c ...` or a tool installed in /usr/local/bin is not a server under development.
  if (!project.recursive && !CODE.test(scripts[0]!)) return undefined;
  return { server: server.name, scripts, ...project };
}

function scriptsOf(command: string, args: readonly string[], cwd: string): string[] | undefined {
  const name = basename(command)
    .replace(/\.(exe|cmd|bat)$/i, '')
    .toLowerCase();
  if (RUNNERS.has(name)) {
    const positional = args.filter((a) => !a.startsWith('-'));
    let i = 0;
    if ((name === 'pnpm' || name === 'yarn' || name === 'npm') && ['dlx', 'exec', 'x'].includes(positional[0] ?? ''))
      i = 1;
    else if (name === 'pnpm' || name === 'yarn' || name === 'npm') return undefined;
    const first = positional[i];
    if (!first) return undefined;
    const direct = codeFile(first, cwd);
    if (direct) return [direct];
    if (!SCRIPT_RUNNERS.test(first)) return undefined; // a package: published code
    const after = positional.slice(i + 1).map((a) => codeFile(a, cwd));
    const f = after.find(Boolean);
    return f ? [f] : undefined;
  }
  if (INTERPRETER.test(name)) {
    if (/^(python|py|pypy)/i.test(name)) {
      const m = args.indexOf('-m');
      if (m >= 0 && args[m + 1]) return localModule(args[m + 1]!, cwd);
      const c = args.indexOf('-c');
      if (c >= 0 && args[c + 1]) {
        const mod = /(?:from\s+([\w.]+)\s+import|run_module\(\s*['"]([\w.]+)['"])/.exec(args[c + 1]!);
        return mod ? localModule((mod[1] ?? mod[2])!, cwd) : undefined;
      }
    }
    const f = args.map((a) => codeFile(a, cwd)).find(Boolean);
    return f ? [f] : undefined;
  }
  // The command itself: an executable script of the user's, or a venv console script of
  // their own project. Anything else on PATH (mcp-server-foo) is an installed package.
  if (!/[\\/]/.test(command)) return undefined;
  const abs = resolve(cwd, command);
  if (!isFile(abs)) return undefined;
  const bin = dirname(abs);
  if (['bin', 'scripts'].includes(basename(bin).toLowerCase()) && ['.venv', 'venv'].includes(basename(dirname(bin)))) {
    const project = dirname(dirname(bin));
    return declaresScript(project, basename(abs).replace(/\.exe$/i, '')) ? [abs] : undefined;
  }
  return [abs];
}

/** `python -m pkg` / `from pkg.server import main`: dev when `pkg` is source in the folder (or its src/). */
function localModule(module: string, cwd: string): string[] | undefined {
  const top = module.split('.')[0]!;
  for (const dir of [cwd, join(cwd, 'src')]) {
    for (const p of [join(dir, top, '__init__.py'), join(dir, top, '__main__.py'), join(dir, `${top}.py`)])
      if (isFile(p)) return [p];
  }
  return undefined;
}

function declaresScript(project: string, script: string): boolean {
  try {
    const doc = parseToml(readFileSync(join(project, 'pyproject.toml'), 'utf8')) as {
      project?: { scripts?: Record<string, unknown> };
    };
    return typeof doc.project?.scripts?.[script] === 'string';
  } catch {
    return false;
  }
}

function codeFile(arg: string, cwd: string): string | undefined {
  if (!CODE.test(arg)) return undefined;
  const abs = isAbsolute(arg) ? arg : resolve(cwd, arg);
  return isFile(abs) ? abs : undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The project a script belongs to. The home folder or the file-system root is never a
 * project (a stray package.json in ~ must not mean "watch everything"): the script's own
 * folder then, without subfolders.
 */
function projectRoot(script: string, home?: string): { root: string; recursive: boolean } {
  // A console script in .venv/bin finds the project that holds the venv.
  for (let d = dirname(script); ; d = dirname(d)) {
    if (d === home || d === parse(d).root) break;
    if (PROJECT_MARKERS.some((m) => existsSync(join(d, m)))) return { root: d, recursive: true };
  }
  return { root: dirname(script), recursive: false };
}

/**
 * Whether a path under a watched root is left alone: inside a dependency or cache folder, or
 * in build output the entry does not run from.
 */
export function isIgnoredPath(path: string, source: Pick<DevSource, 'root' | 'scripts'>): boolean {
  if (!path.startsWith(source.root + sep)) return false;
  const parts = path.slice(source.root.length + 1).split(/[\\/]/);
  let prefix = source.root;
  for (const part of parts) {
    prefix = join(prefix, part);
    if (IGNORED_DIRS.has(part)) return true;
    if (BUILD_DIRS.has(part) && !source.scripts.some((s) => s.startsWith(prefix + sep))) return true;
  }
  return false;
}

/** Whether a changed file is source of this server: its scripts, code, or a manifest. */
export function isSourceFile(path: string, source: DevSource): boolean {
  if (source.scripts.includes(path)) return true;
  // Editors' lock and backup files (Emacs `.#server.py`, `server.py~`) are not saves.
  if (/^\.#|~$/.test(basename(path)) || isIgnoredPath(path, source)) return false;
  const inside = source.recursive ? path.startsWith(source.root + sep) : dirname(path) === source.root;
  if (!inside) return false;
  if (MANIFEST.test(basename(path))) return true;
  // An entry that runs built code (dist/index.js) changes when the build writes, not when
  // src/ is saved: reacting to src/ would check the old build.
  const built = buildOutputOf(source);
  return CODE.test(path) && (!built || path.startsWith(built + sep));
}

/** The build folder the entry runs from (`<root>/dist` for `dist/index.js`), if it does. */
export function buildOutputOf(source: Pick<DevSource, 'root' | 'scripts'>): string | undefined {
  for (const script of source.scripts) {
    if (!script.startsWith(source.root + sep)) continue;
    let prefix = source.root;
    for (const part of script
      .slice(source.root.length + 1)
      .split(/[\\/]/)
      .slice(0, -1)) {
      prefix = join(prefix, part);
      if (BUILD_DIRS.has(part)) return prefix;
    }
  }
  return undefined;
}

/** The servers a changed file belongs to: those with the deepest root that holds it. */
export function serversForChange(path: string, sources: readonly DevSource[]): string[] {
  const hits = sources.filter((s) => isSourceFile(path, s));
  const deepest = Math.max(...hits.map((s) => (s.scripts.includes(path) ? Infinity : s.root.length)));
  return hits.filter((s) => s.scripts.includes(path) || s.root.length === deepest).map((s) => s.server);
}

/** chokidar's `ignored`: a path no dev server would react to, so its folder is not even scanned. */
export function ignoredFor(
  sources: readonly DevSource[],
): (path: string, stats?: { isDirectory(): boolean }) => boolean {
  return (path, stats) => {
    const holders = sources.filter((s) => path.startsWith(s.root + sep));
    // A root itself, or a script watched on its own.
    if (holders.length === 0) return false;
    return holders.every(
      (s) =>
        !s.scripts.includes(path) &&
        (isIgnoredPath(path, s) ||
          // Outside a project (a script in ~): that folder's files, not one watch per subfolder.
          (!s.recursive && (dirname(path) !== s.root || stats?.isDirectory() === true))),
    );
  };
}
