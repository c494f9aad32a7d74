import { posix, win32 } from 'node:path';

/** `path.join` for the OS a client file belongs to (tests resolve Windows paths on Linux). */
export function joinFor(platform: NodeJS.Platform): (...parts: string[]) => string {
  return platform === 'win32' ? win32.join : posix.join;
}
