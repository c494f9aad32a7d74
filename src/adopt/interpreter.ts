import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, parse, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { McpformError } from '../errors.js';
import { whichCommand } from '../probe/environment.js';
import type { World } from '../world.js';

/** How a client should start a local server script, decided the way its author would. */
export interface DetectedLaunch {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** Which rule decided it, for the message ("the project's .venv", "uv project", ...). */
  how: string;
  /** Variables from a .env beside the script (or its project): referenced, not copied into mcp.yaml. */
  dotenv: Record<string, string>;
  /** The Python environment chosen (venv or conda prefix), to check installed dependencies against. */
  pythonPrefix?: string;
  /** Things the user should know: dependencies not installed, an entry point not built, ... */
  warnings: string[];
}

export interface DetectOptions {
  env: World['env'];
  platform: NodeJS.Platform;
}

/** A Python to run a project's code with: the interpreter plus the arguments before the script. */
export interface PythonChoice {
  command: string;
  /** `uv run --project P python` puts four arguments before the script; a venv none. */
  prefixArgs: string[];
  how: string;
  /** venv or conda prefix (for the dependency check); absent for uv and the system Python. */
  prefix?: string;
}

const GENERIC = new Set(['server', 'main', 'index', '__main__', 'app', 'mcp', 'mcp_server', 'mcp-server']);
const PROJECT_MARKERS = ['pyproject.toml', 'package.json', 'uv.lock', '.git'];

/**
 * Interpreter for a script: Python from a venv/.venv beside or above it, else the active
 * conda env, else `uv run` for a uv project, else the system python3; node for .js/.mjs;
 * tsx for .ts. Every path absolute: the client starts servers from its own directory.
 * `knownProject`: the project folder when the caller knows it (add DIR), else found upward.
 */
export function detectLaunch(script: string, opts: DetectOptions, knownProject?: string): DetectedLaunch {
  const win = opts.platform === 'win32';
  const abs = resolve(script);
  if (!existsSync(abs) || !statSync(abs).isFile())
    throw new McpformError('USAGE', `${script} is not a file`, {
      hint: 'give the path of the server script or its project folder, or use: mcpform add NAME -- COMMAND ARGS...',
    });
  const ext = extname(abs).toLowerCase();
  const project = knownProject ?? findUp(dirname(abs), PROJECT_MARKERS) ?? dirname(abs);
  const which = (cmd: string) =>
    whichCommand(cmd, { PATH: opts.env.PATH ?? '' }, { platform: opts.platform, cwd: project });
  const base = {
    name: serverName(abs, project),
    cwd: project,
    dotenv: readDotenv(dirname(abs), project),
    warnings: [] as string[],
  };

  if (ext === '.py') {
    const py = choosePython(dirname(abs), project, opts);
    return { ...base, command: py.command, args: [...py.prefixArgs, abs], how: py.how, pythonPrefix: py.prefix };
  }
  if (['.js', '.mjs', '.cjs'].includes(ext)) {
    return { ...base, command: which('node') ?? process.execPath, args: [abs], how: 'Node.js' };
  }
  if (['.ts', '.mts', '.cts'].includes(ext)) {
    const tsx = findUp(dirname(abs), [join('node_modules', '.bin', win ? 'tsx.cmd' : 'tsx')]);
    if (tsx)
      return {
        ...base,
        command: join(tsx, 'node_modules', '.bin', win ? 'tsx.cmd' : 'tsx'),
        args: [abs],
        how: "the project's tsx",
      };
    return { ...base, command: which('npx') ?? 'npx', args: ['-y', 'tsx', abs], how: 'tsx through npx' };
  }
  if (!win && (statSync(abs).mode & 0o111) !== 0)
    return { ...base, command: abs, args: [], how: 'the executable itself' };
  throw new McpformError('USAGE', `cannot tell how to run ${script} (not .py, .js, .mjs or .ts, and not executable)`, {
    hint: 'use: mcpform add NAME -- COMMAND ARGS...',
  });
}

/**
 * The Python a project's author runs it with. A venv/.venv is looked for from `startDir` up to
 * the project, and one folder above it: people keep one venv for a folder of small servers,
 * often with no pyproject.toml or .git to mark the project (the system python3 then lacks
 * the `mcp` package, and the server dies with "No module named 'mcp'").
 */
export function choosePython(startDir: string, project: string, opts: DetectOptions): PythonChoice {
  const win = opts.platform === 'win32';
  const env = opts.env;
  const dirs: string[] = [];
  for (let dir = startDir; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dir === project || dir === parse(dir).root) break;
  }
  if (dirname(project) !== project) dirs.push(dirname(project));
  for (const dir of dirs) {
    for (const venv of ['.venv', 'venv']) {
      const py = venvPython(join(dir, venv), win);
      if (existsSync(py))
        return {
          command: py,
          prefixArgs: [],
          how: `the virtual environment ${join(dir, venv)}`,
          prefix: join(dir, venv),
        };
    }
  }
  if (env.CONDA_PREFIX) {
    const py = win ? join(env.CONDA_PREFIX, 'python.exe') : join(env.CONDA_PREFIX, 'bin', 'python');
    if (existsSync(py))
      return {
        command: py,
        prefixArgs: [],
        how: `the active conda environment ${env.CONDA_PREFIX}`,
        prefix: env.CONDA_PREFIX,
      };
  }
  const which = (cmd: string) => whichCommand(cmd, { PATH: env.PATH ?? '' }, { platform: opts.platform, cwd: project });
  if (existsSync(join(project, 'uv.lock')) || /\[tool\.uv\]/.test(safeRead(join(project, 'pyproject.toml')))) {
    return {
      command: which('uv') ?? 'uv',
      prefixArgs: ['run', '--project', project, 'python'],
      how: `the uv project ${project}`,
    };
  }
  const py = which(win ? 'python' : 'python3') ?? which('python');
  if (!py)
    throw new McpformError(
      'USAGE',
      `no Python found for ${project}: no venv/.venv in it or one folder up, no conda environment active, no uv project, no python3 on PATH`,
    );
  return { command: py, prefixArgs: [], how: 'the system Python' };
}

function venvPython(venv: string, win: boolean): string {
  return win ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

/** The nearest folder at or above `dir` that contains one of `markers`. */
export function findUp(dir: string, markers: string[]): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (markers.some((m) => existsSync(join(d, m)))) return d;
    if (d === parse(d).root) return undefined;
  }
}

export function readDotenv(scriptDir: string, project: string): Record<string, string> {
  for (const d of [scriptDir, project]) {
    const p = join(d, '.env');
    if (existsSync(p)) return parseDotenv(safeRead(p));
  }
  return {};
}

export function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

export function cleanName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
}

function serverName(abs: string, project: string): string {
  const stem = basename(abs, extname(abs));
  const parent = basename(dirname(abs));
  // notes-mcp/src/server.py is "notes-mcp", not "server" or "src".
  const pick = !GENERIC.has(stem.toLowerCase())
    ? stem
    : ['src', 'lib', 'app', 'server'].includes(parent)
      ? basename(project)
      : parent;
  return cleanName(pick);
}
