import { homedir } from 'node:os';
import { join, posix, resolve, win32 } from 'node:path';

/** The user's home as the given environment names it (HOME, Windows USERPROFILE), else the OS's. */
export function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** `~/x` -> `$HOME/x`; users write it in mcp.yaml as they would in a shell. */
export function expandHome(p: string, home: string = homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return join(home, p.slice(2));
  return p;
}

/**
 * How mcp.yaml's `command` and `cwd` become what the client file gets (unless the server is
 * `verbatim`): a `./` or `../` command and a relative cwd are resolved against the folder of
 * the file that declares them, `~` in cwd is the home folder. A Windows absolute path
 * (`C:\srv`, `\\host\share`) is absolute on every OS, so a shared mcp.yaml keeps it.
 */
export function resolveDeclaredCommand(baseDir: string, command: string): string {
  return /^\.\.?[/\\]/.test(command) ? resolve(baseDir, command) : command;
}

export function resolveDeclaredCwd(baseDir: string, cwd: string): string {
  if (win32.isAbsolute(cwd) && !posix.isAbsolute(cwd)) return cwd;
  return resolve(baseDir, expandHome(cwd));
}
