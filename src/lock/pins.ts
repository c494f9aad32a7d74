import type { DesiredState } from '../config/types.js';
import type { Pins } from '../targets/types.js';
import { ensurePins, openLock, pinsFor, saveLock, type OpenLock } from './sync.js';

/**
 * The versions plan and apply render: mcp.lock's pins, with missing ones resolved and
 * written first (with --frozen-lockfile: an error instead).
 */
export async function lockedPins(state: DesiredState, frozen = false, open: OpenLock = openLock(state)): Promise<Pins> {
  await ensurePins(open, state, { frozen });
  await saveLock(open, state, frozen);
  return pinsFor(open, state);
}
