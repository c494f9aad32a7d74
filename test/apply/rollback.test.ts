import { existsSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackup, listBackups } from '../../src/apply/backups.js';
import { runRollback, type BackupServers } from '../../src/apply/rollback.js';
import { sha256 } from '../../src/util/hash.js';
import { sandbox, testWorld } from '../helpers.js';

/** These tests name their backup by id: every backup is in reach. */
const ANY = { kind: 'all', why: 'asked' } as const;

// In-process: backups and rollback against a sandbox state dir, with a recording UI.
const ui = (answer = true) => {
  const seen: string[] = [];
  return {
    seen,
    preview: (b: { id: string }, then: BackupServers) =>
      seen.push(`${b.id}:${then === null ? 'absent' : JSON.stringify(then)}`),
    confirm: async () => {
      if (!answer) throw Object.assign(new Error('no'), { code: 'NOT_CONFIRMED' });
    },
  };
};

async function backupOf(path: string, env: NodeJS.ProcessEnv) {
  const content = existsSync(path) ? readFileSync(path) : null;
  return createBackup(
    { target: 'claude-desktop', path, content, hash: content && sha256(content), reason: 'test' },
    testWorld({ env }),
  );
}

describe('restore, in-process', () => {
  it.each([
    ['CRLF, a BOM and no final newline', Buffer.from('\ufeff{\r\n  "mcpServers": {}\r\n}', 'utf8')],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d])],
    ['an empty file', Buffer.alloc(0)],
  ])('puts back %s byte for byte, keeps its mode, and backs up what it replaced', async (_what, bytes) => {
    const sb = sandbox();
    const file = sb.write('client.json', '');
    writeFileSync(file, bytes);
    chmodSync(file, 0o640);
    const taken = await backupOf(file, sb.env);
    writeFileSync(file, '{"mcpServers":{"changed":{}}}\n');
    const r = await runRollback(taken.id, sb.world, ui(), ANY);
    expect(r.changed).toBe(true);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(listBackups(sb.world).map((b) => b.id)).toContain(r.undo!.id);
    // and the undo backup undoes it
    await runRollback(r.undo!.id, sb.world, ui(), ANY);
    expect(readFileSync(file, 'utf8')).toBe('{"mcpServers":{"changed":{}}}\n');
  });

  it('a backup of a file that did not exist removes it; the same content again changes nothing', async () => {
    const sb = sandbox();
    const file = sb.path('client.json');
    const absent = await backupOf(file, sb.env);
    writeFileSync(file, '{}');
    const u = ui();
    expect((await runRollback(absent.id, sb.world, u, ANY)).changed).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(u.seen).toEqual([`${absent.id}:absent`]);
    expect((await runRollback(absent.id, sb.world, ui(), ANY)).changed).toBe(false);
  });

  it('a refusal at the prompt changes nothing and makes no backup', async () => {
    const sb = sandbox();
    const file = sb.write('client.json', 'old');
    const taken = await backupOf(file, sb.env);
    writeFileSync(file, 'new');
    await expect(runRollback(taken.id, sb.world, ui(false), ANY)).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(listBackups(sb.world)).toHaveLength(1);
  });
});
