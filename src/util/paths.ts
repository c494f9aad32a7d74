import { posix, resolve, win32 } from 'node:path';
import { pathsOf, requireHome, type World } from '../world.js';

/** `~`, `~/x` or `~\x`: a path users write in mcp.yaml as they would in a shell. */
export function isHomePath(p: string): boolean {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\');
}

/** `~/x` -> `<home>/x` (the World's home: NO_HOME when there is none); any other path as it is. */
export function expandHome(p: string, world: Pick<World, 'home' | 'platform'>): string {
  if (!isHomePath(p)) return p;
  const home = requireHome(world);
  return p === '~' ? home : pathsOf(world).join(home, p.slice(2));
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

export function resolveDeclaredCwd(baseDir: string, cwd: string, world: Pick<World, 'home' | 'platform'>): string {
  if (windowsOnlyAbsolute(cwd)) return cwd;
  return resolve(baseDir, expandHome(cwd, world));
}

/** Whether mcp.yaml writes this cwd as it is (absolute, no `~`): what import need not mark `verbatim`. */
export function keepsDeclaredCwd(baseDir: string, cwd: string): boolean {
  if (isHomePath(cwd)) return false;
  return windowsOnlyAbsolute(cwd) || resolve(baseDir, cwd) === cwd;
}

function windowsOnlyAbsolute(p: string): boolean {
  return win32.isAbsolute(p) && !posix.isAbsolute(p);
}
