import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

/** `~/x` -> `$HOME/x`; users write it in mcp.yaml as they would in a shell. */
export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return join(homedir(), p.slice(2));
  return p;
}

/** `path.join` for the OS a client file belongs to (tests resolve Windows paths on Linux). */
export function joinFor(platform: NodeJS.Platform): (...parts: string[]) => string {
  return platform === 'win32' ? win32.join : posix.join;
}
