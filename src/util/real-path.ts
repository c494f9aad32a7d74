import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeTarget } from './fs.js';

/**
 * The one name of a file however it is reached (a symlinked ~/.claude.json, a dotfiles
 * folder linked into HOME): what the mutex, the ownership records and same-file detection
 * key on. The file's own chain of links is followed even when it dangles (as a write would
 * follow it), then the closest folder that exists is resolved and the rest appended, so the
 * name is the same before and after the file is created.
 */
export function realPathOf(path: string): string {
  const target = writeTarget(path);
  const rest: string[] = [];
  for (let dir = target; ;) {
    try {
      return join(realpathSync(dir), ...rest);
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return target;
      rest.unshift(basename(dir));
      dir = parent;
    }
  }
}
