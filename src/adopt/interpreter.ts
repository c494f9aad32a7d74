import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, parse, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { McpformError } from '../errors.js';
import { whichCommand } from '../probe/environment.js';

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
}

export interface DetectOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

const GENERIC = new Set(['server', 'main', 'index', '__main__', 'app', 'mcp', 'mcp_server', 'mcp-server']);

/**
 * Interpreter for a script: Python from a venv/.venv beside or above it, else the active
 * conda env, else `uv run` for a uv project, else the system python3; node for .js/.mjs;
 * tsx for .ts. Every path absolute: the client starts servers from its own directory.
 */
export function detectLaunch(script: string, opts: DetectOptions = {}): DetectedLaunch {
  const env = opts.env ?? process.env;
  const win = (opts.platform ?? process.platform) === 'win32';
  const abs = resolve(script);
  if (!existsSync(abs) || !statSync(abs).isFile())
    throw new McpformError('USAGE', `${script} is not a file`, {
      hint: 'give the path of the server script, or use: mcpform add NAME -- COMMAND ARGS...',
    });
  const ext = extname(abs).toLowerCase();
  const project = findUp(dirname(abs), ['pyproject.toml', 'package.json', 'uv.lock', '.git']) ?? dirname(abs);
  const shellPath = { PATH: env.PATH ?? '' };
  const which = (cmd: string) => whichCommand(cmd, shellPath);
  const base = { name: serverName(abs, project), cwd: project, dotenv: readDotenv(dirname(abs), project) };

  if (ext === '.py') {
    for (let dir = dirname(abs); ; dir = dirname(dir)) {
      for (const venv of ['.venv', 'venv']) {
        const py = win ? join(dir, venv, 'Scripts', 'python.exe') : join(dir, venv, 'bin', 'python');
        if (existsSync(py))
          return { ...base, command: py, args: [abs], how: `the virtual environment ${join(dir, venv)}` };
      }
      if (dir === project || dir === parse(dir).root) break;
    }
    if (env.CONDA_PREFIX) {
      const py = win ? join(env.CONDA_PREFIX, 'python.exe') : join(env.CONDA_PREFIX, 'bin', 'python');
      if (existsSync(py))
        return { ...base, command: py, args: [abs], how: `the active conda environment ${env.CONDA_PREFIX}` };
    }
    if (existsSync(join(project, 'uv.lock')) || /\[tool\.uv\]/.test(safeRead(join(project, 'pyproject.toml')))) {
      return {
        ...base,
        command: which('uv') ?? 'uv',
        args: ['run', '--project', project, 'python', abs],
        how: `the uv project ${project}`,
      };
    }
    const py = which(win ? 'python' : 'python3') ?? which('python');
    if (!py)
      throw new McpformError(
        'USAGE',
        `no Python found for ${script}: no venv/.venv beside it, no conda environment active, no uv project, no python3 on PATH`,
      );
    return { ...base, command: py, args: [abs], how: 'the system Python' };
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

/** The nearest folder at or above `dir` that contains one of `markers`. */
function findUp(dir: string, markers: string[]): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (markers.some((m) => existsSync(join(d, m)))) return d;
    if (d === parse(d).root) return undefined;
  }
}

function readDotenv(scriptDir: string, project: string): Record<string, string> {
  for (const d of [scriptDir, project]) {
    const p = join(d, '.env');
    if (existsSync(p)) return parseDotenv(safeRead(p));
  }
  return {};
}

function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
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
  return pick.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
}
