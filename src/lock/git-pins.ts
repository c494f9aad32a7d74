import type { GitImportPin } from '../config/git/reader.js';
import { lockPathFor } from './paths.js';

/**
 * mcp.lock's git import pins for the mcp.yaml at `configFile`: the GitPinsReader config/'s
 * loader takes. Called only when the project has git imports, so mcp.lock's reader (and its
 * schema) is loaded only then.
 */
export async function readGitPins(configFile: string): Promise<Readonly<Record<string, GitImportPin>>> {
  const { readLock } = await import('./file.js');
  return readLock(lockPathFor(configFile)).lock.imports ?? {};
}
