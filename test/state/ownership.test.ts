import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { ensureHashKey, readHashKey } from '../../src/state/hash-key.js';
import { nextOwnership } from '../../src/apply/next-ownership.js';
import { entryHash, entryMatches, readOwnership, writeOwnership } from '../../src/state/ownership.js';
import { sha256 } from '../../src/util/hash.js';
import { sandbox, testWorld } from '../helpers.js';

const SECRET_ENTRY = { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: 'ghp_secretsecret' } };

describe('the entry-hash key', () => {
  it('is made once, 32 random bytes, mode 0600, and plan-time reads never make it', () => {
    const sb = sandbox();
    expect(readHashKey(sb.world)).toBeUndefined();
    expect(readdirSync(sb.dir)).not.toContain('state');
    const key = ensureHashKey(sb.world);
    expect(key.length).toBe(32);
    expect(ensureHashKey(sb.world).equals(key)).toBe(true);
    const file = join(sb.stateDir, 'entry-hash.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(sb.stateDir)).toEqual(['entry-hash.key']); // no temp file left behind
  });

  it('two machines (state dirs) hash the same entry differently; neither is its plain sha256', () => {
    const a = entryHash(SECRET_ENTRY, ensureHashKey(testWorld({ env: sandbox().env })));
    const b = entryHash(SECRET_ENTRY, ensureHashKey(testWorld({ env: sandbox().env })));
    expect(a).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a.slice(12)).not.toBe(sha256(JSON.stringify(SECRET_ENTRY)).slice(7));
  });

  it('a hash matches its entry under its key only', () => {
    const key = ensureHashKey(testWorld({ env: sandbox().env }));
    const h = entryHash(SECRET_ENTRY, key);
    expect(entryMatches(SECRET_ENTRY, h, key)).toBe(true);
    expect(entryMatches({ ...SECRET_ENTRY, args: [] }, h, key)).toBe(false);
    expect(entryMatches(SECRET_ENTRY, h, Buffer.alloc(32))).toBe(false);
    expect(entryMatches(SECRET_ENTRY, h, undefined)).toBe(false);
  });
});

describe('ownership records', () => {
  const path = '/home/me/.config/Claude/claude_desktop_config.json';

  it('a format-1 record reads as format 2 with owner: null (nobody in particular)', () => {
    const sb = sandbox();
    mkdirSync(join(sb.stateDir, 'targets'), { recursive: true });
    const file = join(sb.stateDir, 'targets', `claude-desktop-${sha256(path).slice(7, 23)}.json`);
    const legacyHash = entryHash(SECRET_ENTRY);
    writeFileSync(
      file,
      JSON.stringify({
        formatVersion: 1,
        target: 'claude-desktop',
        path,
        servers: { github: { hash: legacyHash, appliedAt: '2026-01-01T00:00:00Z', environment: 'dev' } },
      }),
    );
    expect(readOwnership('claude-desktop', path, sb.world)).toEqual({
      formatVersion: 2,
      target: 'claude-desktop',
      path,
      servers: { github: { owner: null, hash: legacyHash, appliedAt: '2026-01-01T00:00:00Z', environment: 'dev' } },
    });
  });

  it('after apply: this project owns what it wrote, other projects keep theirs, legacy hashes are rekeyed', async () => {
    const sb = sandbox();
    const key = ensureHashKey(sb.world);
    const live = {
      github: SECRET_ENTRY,
      theirs: { command: 'x' },
      old: { command: 'legacy' },
      edited: { command: 'e2' },
    };
    const prev = {
      formatVersion: 2 as const,
      target: 'claude-desktop',
      path,
      servers: {
        theirs: { owner: '/team/mcp.yaml', hash: entryHash(live.theirs, key), appliedAt: 't0', environment: 'base' },
        old: { owner: null, hash: entryHash(live.old), appliedAt: 't0', environment: 'dev' },
        edited: { owner: null, hash: entryHash({ command: 'e1' }), appliedAt: 't0', environment: 'dev' },
      },
    };
    const plan = {
      target: { name: 'claude-desktop', path, baseHash: null, exists: true },
      environment: 'dev',
      project: '/home/me/dotfiles/mcp.yaml',
      changes: [{ server: 'github', action: 'create', sensitive: ['/env/GITHUB_TOKEN'], fields: [], drift: false }],
      unchanged: [],
      adoptions: [],
      unmanaged: [],
      forgotten: [],
      sensitiveFields: { github: ['/env/GITHUB_TOKEN'] },
      removesEverything: false,
      summary: { add: 1, change: 0, remove: 0 },
    } as Plan;
    const next = nextOwnership(prev, plan, live, { key, now: new Date('2026-12-01T00:00:00Z') });
    expect(next.servers.github).toEqual({
      owner: '/home/me/dotfiles/mcp.yaml',
      hash: entryHash(SECRET_ENTRY, key),
      appliedAt: '2026-12-01T00:00:00.000Z',
      environment: 'dev',
      sensitive: ['/env/GITHUB_TOKEN'],
    });
    expect(next.servers.theirs).toEqual(prev.servers.theirs);
    expect(next.servers.old).toMatchObject({ owner: null, hash: entryHash(live.old, key) });
    expect(next.servers.edited).toMatchObject({ owner: null, hash: 'unknown' });
    await writeOwnership(next, sb.world);
    const dir = join(sb.stateDir, 'targets');
    const text = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8');
    expect(text).not.toMatch(/"sha256:/);
    expect(text).not.toContain('ghp_secretsecret');
    expect(statSync(join(dir, readdirSync(dir)[0]!)).mode & 0o777).toBe(0o600);
    expect(readOwnership('claude-desktop', path, sb.world)).toEqual(next);
  });
});

describe('a damaged key file', () => {
  it('is a clear error, not a crash', () => {
    const sb = sandbox();
    mkdirSync(sb.stateDir, { recursive: true });
    writeFileSync(join(sb.stateDir, 'entry-hash.key'), 'short');
    expect(() => ensureHashKey(sb.world)).toThrow(/entry-hash\.key is damaged/);
  });
});
