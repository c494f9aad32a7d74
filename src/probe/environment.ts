import { accessSync, constants, statSync } from 'node:fs';
import { SECRET_KEY } from '../util/mask.js';
import { pathOf } from '../targets/launch-env.js';
import type { WindowsStart } from '../targets/windows-start.js';
import { pathsOf, type World } from '../world.js';

/**
 * The variables a client on this platform passes on to stdio servers: the MCP SDK's
 * DEFAULT_INHERITED_ENV_VARS (test/probe/environment.test.ts keeps these lists equal to the
 * SDK's). Copied rather than imported so that starting servers loads no SDK code.
 */
export function inheritedEnvVars(platform: NodeJS.Platform): readonly string[] {
  return platform === 'win32'
    ? [
        'APPDATA',
        'HOMEDRIVE',
        'HOMEPATH',
        'LOCALAPPDATA',
        'PATH',
        'PROCESSOR_ARCHITECTURE',
        'SYSTEMDRIVE',
        'SYSTEMROOT',
        'TEMP',
        'USERNAME',
        'USERPROFILE',
        'PROGRAMFILES',
      ]
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];
}

/** The SDK's default environment for a stdio server: the inherited variables of the World's. */
export function defaultEnvironment(world: Pick<World, 'env' | 'platform'>): Record<string, string> {
  const from = world.env;
  const env: Record<string, string> = {};
  for (const key of inheritedEnvVars(world.platform)) {
    const value = from[key];
    if (value === undefined || value.startsWith('()')) continue; // functions are a security risk
    env[key] = value;
  }
  return env;
}

/** What a client gives a stdio server: the default inherited variables plus the entry's `env`, not the whole shell. */
export function clientEnvironment(
  entryEnv: Record<string, string>,
  base: Record<string, string>,
): Record<string, string> {
  return { ...base, ...entryEnv };
}

/**
 * Where `command` would be found with this PATH, like a shell's `command -v`, by the rules of
 * `platform` (PATHEXT on Windows; a `plain` start, Node's spawn without a shell, tries only
 * `.com` and `.exe`); a relative path is relative to `cwd` (none: not found).
 * `isFile` is the file check (tests give a win32 World a fake one on a POSIX host).
 */
export function whichCommand(
  command: string,
  env: Record<string, string>,
  where: { platform: NodeJS.Platform; cwd?: string; windowsStart?: WindowsStart },
  isFile: (path: string) => boolean = isExecutable,
): string | undefined {
  const { delimiter, isAbsolute, join } = pathsOf(where);
  if (isAbsolute(command) || command.includes('/') || command.includes('\\')) {
    if (isAbsolute(command)) return isFile(command) ? command : undefined;
    return where.cwd !== undefined && isFile(join(where.cwd, command)) ? join(where.cwd, command) : undefined;
  }
  const exts =
    where.platform !== 'win32'
      ? ['']
      : where.windowsStart === 'plain'
        ? spawnSuffixes(command)
        : windowsSuffixes(command, env);
  for (const dir of (pathOf(env) ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, command + ext);
      if (isFile(p)) return p;
    }
  }
  return undefined;
}

/**
 * What Windows tries after a bare name: each PATHEXT extension; and first the name as it is
 * when it already has an extension (`npx.cmd`, `node.exe`), as cmd and node-which do.
 */
function windowsSuffixes(command: string, env: Record<string, string>): string[] {
  const pathExt = Object.entries(env).find(([k]) => k.toUpperCase() === 'PATHEXT')?.[1];
  const exts = (pathExt ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  return /\.[^.\\/]+$/.test(command) ? ['', ...exts] : exts;
}

/**
 * What Node's spawn (libuv's search_path) tries on Windows without a shell: the name as it is
 * when it has an extension, then `.com` and `.exe` appended; PATHEXT is not read. A batch
 * file found that way (`npx.cmd` named in full) is still refused (EINVAL): see isBatchFile.
 */
function spawnSuffixes(command: string): string[] {
  return /\.[^.\\/]+$/.test(command) ? ['', '.com', '.exe'] : ['.com', '.exe'];
}

/** A `.cmd`/`.bat` file: only cmd.exe runs it (Node's spawn without a shell refuses it since CVE-2024-27980). */
export function isBatchFile(path: string): boolean {
  return /\.(cmd|bat)$/i.test(path);
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The shell variables worth retrying a failing server with (the "works in my terminal"
 * diagnosis): not set already, not npm's, not shell functions, and never a secret-looking one
 * (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`) unless the server's own output names it: the
 * server may be anything, and handing it every credential of the shell to see what happens
 * is how they leak.
 */
export function shellCandidates(
  shell: World['env'],
  launchEnv: Readonly<Record<string, string>>,
  serverOutput: string,
): string[] {
  return Object.keys(shell).filter((k) => {
    const v = shell[k];
    if (v === undefined || k in launchEnv || k.startsWith('npm_') || v.startsWith('()')) return false;
    return !SECRET_KEY.test(k) || mentions(serverOutput, k);
  });
}

export function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(text);
}
