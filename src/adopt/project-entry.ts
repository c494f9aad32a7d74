import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { McpformError } from '../errors.js';
import { whichCommand } from '../probe/environment.js';
import {
  choosePython,
  cleanName,
  detectLaunch,
  readDotenv,
  safeRead,
  type DetectedLaunch,
  type DetectOptions,
} from './interpreter.js';
import { missingNodeDeps, missingPythonDeps } from './project-deps.js';
import { shellCommand } from '../util/shell-quote.js';

interface PyProject {
  project?: { name?: unknown; scripts?: unknown; dependencies?: unknown };
}
interface PackageJson {
  name?: unknown;
  bin?: unknown;
  main?: unknown;
  dependencies?: unknown;
  scripts?: unknown;
}

const PY_ENTRIES = ['server.py', 'main.py', '__main__.py'];

/**
 * `add DIR`: how to start the server a project folder holds, found the way its author would
 * run it. In order: `[project.scripts]` in pyproject.toml, `bin` then `main` in package.json,
 * then a `server.py` / `main.py` / `__main__.py` in the folder, `src/`, or a package folder.
 * The interpreter is the project's (venv/.venv in it or one folder up, conda, uv, node, tsx);
 * dependencies declared but not installed are a warning.
 */
export function detectProject(dir: string, opts: DetectOptions): DetectedLaunch {
  const root = resolve(dir);
  const pyproject = readToml(join(root, 'pyproject.toml'));
  const pkg = readJson(join(root, 'package.json'));
  const launch = fromPyScripts(root, pyproject, opts) ?? fromPackageJson(root, pkg, opts) ?? fromPyFile(root, opts);
  if (!launch)
    throw new McpformError('USAGE', `cannot find the server's entry point in ${dir}`, {
      hint: `looked for [project.scripts] in pyproject.toml, "bin" or "main" in package.json, and ${PY_ENTRIES.join(' / ')} in the folder, src/ and its packages; give the script's path instead (${shellCommand(['mcpform', 'add', join(dir, 'path/to/server.py')], { platform: opts.platform })})`,
    });
  return withDependencyWarnings(launch, root, pyproject, pkg);
}

/** Adds the "declared but not installed" warning for the project a launch runs from. */
export function withDependencyWarnings(
  launch: DetectedLaunch,
  root: string,
  pyproject = readToml(join(root, 'pyproject.toml')),
  pkg = readJson(join(root, 'package.json')),
): DetectedLaunch {
  const warnings = [...launch.warnings];
  const isNode = /(^|[/\\])(node|tsx|npx)(\.exe|\.cmd)?$/.test(launch.command);
  if (isNode && pkg) {
    const w = missingNodeDeps(root, pkg);
    if (w) warnings.push(w);
  } else if (!isNode) {
    const w = missingPythonDeps(root, { prefix: launch.pythonPrefix, command: launch.command }, pyproject);
    if (w) warnings.push(w);
  }
  return { ...launch, warnings };
}

function fromPyScripts(
  root: string,
  pyproject: PyProject | undefined,
  opts: DetectOptions,
): DetectedLaunch | undefined {
  const scripts = pyproject?.project?.scripts;
  if (!scripts || typeof scripts !== 'object') return undefined;
  const names = Object.keys(scripts).filter((k) => typeof (scripts as Record<string, unknown>)[k] === 'string');
  if (names.length === 0) return undefined;
  const script = pick(names, String(pyproject?.project?.name ?? basename(root)));
  const target = (scripts as Record<string, string>)[script]!; // "package.module:function"
  const py = choosePython(root, root, opts);
  const win = opts.platform === 'win32';
  const base = { name: cleanName(script), cwd: root, dotenv: readDotenv(root, root), warnings: [] as string[] };
  const also = names.length > 1 ? ` (also declared: ${names.filter((n) => n !== script).join(', ')})` : '';
  if (py.prefix) {
    const installed = win ? join(py.prefix, 'Scripts', `${script}.exe`) : join(py.prefix, 'bin', script);
    if (existsSync(installed))
      return {
        ...base,
        command: installed,
        args: [],
        how: `the [project.scripts] entry '${script}'${also}, installed in ${py.prefix}`,
        pythonPrefix: py.prefix,
      };
  }
  if (py.prefixArgs[0] === 'run')
    return {
      ...base,
      command: py.command,
      args: [...py.prefixArgs.slice(0, -1), script],
      how: `the [project.scripts] entry '${script}'${also}, through ${py.how}`,
    };
  // Not installed yet: call the function the script would call, from the project folder.
  const [mod, fn] = target.split(':').map((s) => s.trim());
  const call = fn
    ? `from ${mod} import ${fn.split('.')[0]}; sys.exit(${fn}())`
    : `import runpy; runpy.run_module('${mod}', run_name='__main__')`;
  return {
    ...base,
    command: py.command,
    args: [...py.prefixArgs, '-c', `import sys; ${call}`],
    how: `the [project.scripts] entry '${script}' (${target})${also}, with ${py.how}`,
    pythonPrefix: py.prefix,
    warnings: [
      `the project is not installed in ${py.prefix ?? 'that Python'} (no '${script}' script there); install it so its imports resolve: ${shellCommand([py.command, '-m', 'pip', 'install', '-e', root], { platform: opts.platform })}`,
    ],
  };
}

function fromPackageJson(root: string, pkg: PackageJson | undefined, opts: DetectOptions): DetectedLaunch | undefined {
  if (!pkg) return undefined;
  const pkgName = typeof pkg.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : basename(root);
  let file: string | undefined;
  let how: string;
  if (typeof pkg.bin === 'string') {
    file = pkg.bin;
    how = 'package.json "bin"';
  } else if (pkg.bin && typeof pkg.bin === 'object') {
    const bins = Object.keys(pkg.bin).filter((k) => typeof (pkg.bin as Record<string, unknown>)[k] === 'string');
    if (bins.length) {
      const b = pick(bins, pkgName);
      file = (pkg.bin as Record<string, string>)[b];
      how = `package.json "bin" '${b}'`;
    }
  }
  if (!file && typeof pkg.main === 'string') {
    file = pkg.main;
    how = 'package.json "main"';
  }
  if (!file) return undefined;
  const abs = resolve(root, file);
  const warnings: string[] = [];
  const exists = existsSync(abs);
  if (!exists) {
    const build = pkg.scripts && typeof pkg.scripts === 'object' && 'build' in pkg.scripts;
    warnings.push(`${file} does not exist yet${build ? `: run 'npm run build' in ${root}` : ''}`);
  }
  // A bin is a Node script whatever its name (`bin/server` with a `#!/usr/bin/env node` line):
  // run by the absolute node, not by the shebang's `env node` on the client's PATH. TypeScript
  // goes through detectLaunch (tsx).
  if (!exists || !/\.(ts|mts|cts)$/i.test(abs)) {
    return {
      name: cleanName(pkgName),
      command:
        whichCommand('node', { PATH: opts.env.PATH ?? '' }, { platform: opts.platform, cwd: root }) ?? process.execPath,
      args: [abs],
      cwd: root,
      how: `${how!}, with Node.js`,
      dotenv: readDotenv(root, root),
      warnings,
    };
  }
  const d = detectLaunch(abs, opts, root);
  return { ...d, name: cleanName(pkgName), cwd: root, how: `${how!}, with ${d.how}`, warnings };
}

function fromPyFile(root: string, opts: DetectOptions): DetectedLaunch | undefined {
  const dirs = [root, join(root, 'src')];
  // Package folders (with __init__.py) in the project and in src/.
  for (const base of [root, join(root, 'src')]) {
    for (const e of safeList(base)) {
      const d = join(base, e);
      if (!e.startsWith('.') && e !== 'node_modules' && existsSync(join(d, '__init__.py'))) dirs.push(d);
    }
  }
  for (const entry of PY_ENTRIES) {
    for (const d of dirs) {
      const file = join(d, entry);
      if (!existsSync(file) || !statSync(file).isFile()) continue;
      const launch = detectLaunch(file, opts, root);
      const named = { ...launch, name: cleanName(basename(root)) };
      if (entry === '__main__.py' && existsSync(join(d, '__init__.py'))) {
        // A package's __main__ runs as `python -m package`, so its relative imports work.
        const args = [...launch.args.slice(0, -1), '-m', basename(d)];
        return { ...named, args, cwd: dirname(d), how: `${launch.how}, as python -m ${basename(d)}` };
      }
      return named;
    }
  }
  return undefined;
}

/** The script named like the project, else one that says mcp or server, else the first. */
function pick(names: string[], projectName: string): string {
  return names.find((n) => n === projectName) ?? names.find((n) => /mcp|server/i.test(n)) ?? names[0]!;
}

function readToml(path: string): PyProject | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return parseToml(safeRead(path)) as PyProject;
  } catch (err) {
    throw new McpformError('USAGE', `${path} is not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
}

function readJson(path: string): PackageJson | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const v = JSON.parse(safeRead(path)) as unknown;
    return v && typeof v === 'object' ? (v as PackageJson) : undefined;
  } catch (err) {
    throw new McpformError('USAGE', `${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
