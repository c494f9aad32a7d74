import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpformError } from '../errors.js';
import { sha256 } from '../util/hash.js';
import type { World } from '../world.js';
import { STATE_DIR_HINT, stateDir } from './dirs.js';
import { makeOwnDir } from '../util/make-dir.js';

/**
 * Entry hashes in the state dir are keyed: an entry holds secrets, and a plain sha256 of it
 * lets anyone who can read the state dir confirm a guessed token offline. The key is random,
 * one per machine (per state dir), mode 0600 beside the records it protects.
 */
const KEY_FILE = 'entry-hash.key';

/** The key, or undefined when none was made yet (plan never writes the state dir). */
export function readHashKey(world: World): Buffer | undefined {
  try {
    const key = readFileSync(join(stateDir(world), KEY_FILE));
    return key.length >= 32 ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key, made on first use. Written to a temp file and hard-linked into place, so two
 * applies starting at once agree on one key (the loser of the race reads the winner's).
 */
export function ensureHashKey(world: World): Buffer {
  const existing = readHashKey(world);
  if (existing) return existing;
  const dir = stateDir(world);
  makeOwnDir(dir, 'the state dir', STATE_DIR_HINT);
  const tmp = join(dir, `${KEY_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, randomBytes(32), { mode: 0o600 });
  try {
    linkSync(tmp, join(dir, KEY_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  const key = readHashKey(world);
  if (!key)
    throw new McpformError('UNREADABLE', `mcpform's key file ${join(dir, KEY_FILE)} is damaged (too short)`, {
      hint: 'move it aside: mcpform makes a new one, and shows the entries it owns as changed outside mcpform once',
    });
  return key;
}

/** `hmac-sha256:` with the key; without one, the legacy plain `sha256:` (tests, old records). */
export function keyedHash(text: string, key: Buffer | undefined): string {
  if (!key) return sha256(text);
  return `hmac-sha256:${createHmac('sha256', key).update(text).digest('hex')}`;
}
