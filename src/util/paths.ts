import { homedir } from 'node:os';
import { join } from 'node:path';

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
