import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * The environment a client gives a stdio server: the SDK's default inherited variables
 * (HOME, PATH, USER, ...) plus the entry's `env`, not the user's whole shell.
 */
export function clientEnvironment(entryEnv: Record<string, string> = {}, base: Record<string, string> = getDefaultEnvironment()): Record<string, string> {
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
