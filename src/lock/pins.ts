import { existsSync } from 'node:fs';
import type { DesiredState } from '../config/types.js';
import type { Pins } from '../targets/types.js';
import { lockPathFor } from './paths.js';
import type { World } from '../world.js';

/**
 * The versions plan and apply render: mcp.lock's pins, with missing ones resolved and
 * written first (with --frozen-lockfile: an error instead). With no package server and no
 * mcp.lock there is nothing to do, and the lock code is not even loaded.
 */
export async function lockedPins(state: DesiredState, frozen: boolean, world: World): Promise<Pins> {
  if (!state.servers.some((s) => s.package) && !state.gitImports && !existsSync(lockPathFor(state.file)))
    return new Map();
  const { ensurePins, openLock, pinsFor, saveLock } = await import('./sync.js');
  const lock = openLock(state);
  await ensurePins(lock, state, { frozen, world });
  await saveLock(lock, state, frozen, { world });
  return pinsFor(lock, state);
}
