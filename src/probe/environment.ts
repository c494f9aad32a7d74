import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { SECRET_KEY } from '../util/mask.js';

/**
 * The variables a client passes on to stdio servers: the MCP SDK's
 * DEFAULT_INHERITED_ENV_VARS (test/probe/environment.test.ts keeps this list equal to the
 * SDK's). Copied rather than imported so that starting servers loads no SDK code.
 */
export const INHERITED_ENV_VARS =
  process.platform === 'win32'
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

export function defaultEnvironment(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_ENV_VARS) {
    const value = from[key];
    if (value === undefined || value.startsWith('()')) continue; // functions are a security risk
    env[key] = value;
  }
  return env;
}

/** What a client gives a stdio server: the default inherited variables plus the entry's `env`, not the whole shell. */
export function clientEnvironment(
  entryEnv: Record<string, string> = {},
  base: Record<string, string> = defaultEnvironment(),
): Record<string, string> {
  return { ...base, ...entryEnv };
}

/** Where `command` would be found with this PATH, like a shell's `command -v`. */
export function whichCommand(command: string, env: Record<string, string>, cwd?: string): string | undefined {
  if (isAbsolute(command) || command.includes('/') || command.includes('\\')) {
    const p = isAbsolute(command) ? command : join(cwd ?? process.cwd(), command);
    return isExecutable(p) ? p : undefined;
  }
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, command + ext);
      if (isExecutable(p)) return p;
    }
  }
  return undefined;
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
  shell: NodeJS.ProcessEnv,
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
