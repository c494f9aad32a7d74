import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackup, listBackups } from '../../src/apply/backups.js';
import { acquireFileMutex, mutexPathFor } from '../../src/state/file-mutex.js';
import { runApply, type ApplyUi } from '../../src/apply/run.js';
import { McpformError } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import { sandbox, testWorld, type Sandbox } from '../helpers.js';

const FIXED = new Date('2026-02-03T04:05:06.000Z');
const fixedClock = (sb: Sandbox, at = FIXED) => ({ ...sb.world, now: () => new Date(at) });

describe("backups and the file mutex keep the World's time", () => {
  it('a backup is dated and named by world.now()', async () => {
    const sb = sandbox();
    const world = fixedClock(sb);
    const b = await createBackup(
      { target: 'claude-desktop', path: sb.claudeConfig, content: null, hash: null, reason: 'test' },
      world,
    );
    expect(b.createdAt).toBe('2026-02-03T04:05:06.000Z');
    expect(b.id).toMatch(/^20260203T040506000Z-[0-9a-f]{4}$/);
    expect(listBackups(world)[0]).toMatchObject({ id: b.id, createdAt: '2026-02-03T04:05:06.000Z' });
  });

  it("a file mutex names its holder's start by world.now()", async () => {
    const sb = sandbox();
    const world = fixedClock(sb);
    const held = await acquireFileMutex(sb.claudeConfig, { world, command: 'test' });
    try {
      const holder = JSON.parse(readFileSync(mutexPathFor(sb.claudeConfig, world), 'utf8')) as { since: string };
      expect(holder.since).toBe('2026-02-03T04:05:06.000Z');
    } finally {
      await held.release();
    }
  });

  it("a file mutex is stale by the World's clock: 11 s later it is taken over, at once", async () => {
    const sb = sandbox();
    const now = sb.world;
    const path = mutexPathFor(sb.claudeConfig, now);
    // Held on another host (its pid cannot be checked here), its heartbeat fresh a moment ago.
    const first = await acquireFileMutex(sb.claudeConfig, { world: now, command: 'first' });
    await first.release();
    const other = { pid: 1, host: 'another-host', command: 'apply', since: FIXED.toISOString(), token: 'x' };
    writeFileSync(path, JSON.stringify(other));
    utimesSync(path, new Date(), new Date());
    // By the real clock it is alive: a short wait, then LOCK_HELD naming it.
    const refused = await acquireFileMutex(sb.claudeConfig, { world: now, command: 'second', waitMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'LOCK_HELD', message: expect.stringContaining('another-host') });
    // By a clock 11 s on, it stopped beating: recovered.
    const later = { ...sb.world, now: () => new Date(Date.now() + 11_000) };
    const taken = await acquireFileMutex(sb.claudeConfig, { world: later, command: 'third', waitMs: 0 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ command: 'third', pid: process.pid });
    await taken.release();
  });
});

describe("apply resolves the client files by the World's platform", () => {
  it('a Windows World plans (under its file mutex) %APPDATA%\\Claude\\claude_desktop_config.json; refused, nothing written', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  tiny: { command: node }\n' });
    const { MCPFORM_CLAUDE_DESKTOP_CONFIG: _, ...env } = sb.env;
    const win = testWorld({
      env: { ...env, USERPROFILE: 'C:\\Users\\me', APPDATA: 'C:\\Users\\me\\AppData\\Roaming' },
      platform: 'win32',
      cwd: sb.path(''),
    });
    const path = 'C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json';
    const shown: Plan[] = [];
    let locked = false;
    const ui: ApplyUi = {
      on: (event) => {
        if (event.type !== 'planned') return;
        shown.push(...event.plans);
        locked = existsSync(mutexPathFor(path, win)); // the plan is shown under the file's mutex
      },
      confirm: async () => {
        throw new McpformError('NOT_CONFIRMED', 'no');
      },
    };
    await expect(runApply(win, { test: false, version: '0' }, ui)).rejects.toMatchObject({
      code: 'NOT_CONFIRMED',
    });
    expect(shown.map((p) => p.target.path)).toEqual([path]);
    expect(locked).toBe(true);
    expect(listBackups(win)).toEqual([]);
  });
});
