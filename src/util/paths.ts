import { homedir } from 'node:os';
import { join } from 'node:path';

/** `~/x` -> `$HOME/x`; users write it in mcp.yaml as they would in a shell. */
export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return join(homedir(), p.slice(2));
  return p;
}
