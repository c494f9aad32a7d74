import { describe, expect, it } from 'vitest';
import { computePlan, type OwnedRef } from '../../src/plan/compute.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { entryHash } from '../../src/state/ownership.js';
import type { ClientEntry, RenderedEntry } from '../../src/targets/types.js';

const KEY = Buffer.alloc(32, 7);
const HERE = '/home/me/fresh/mcp.yaml';
const DOTFILES = '/home/me/dotfiles/mcp.yaml';
const target = { name: 'claude-desktop', path: '/x.json', baseHash: null, exists: true };
const r = (entry: ClientEntry, sensitive: string[] = []): RenderedEntry => ({ entry, sensitive: new Set(sensitive) });
const own = (entry: ClientEntry, owner: string | null, sensitive?: string[]): OwnedRef => ({
  hash: entryHash(entry, KEY),
  owner,
  ...(sensitive ? { sensitive } : {}),
});
const plan = (
  desired: Record<string, RenderedEntry>,
  live: Record<string, ClientEntry>,
  owned: Record<string, OwnedRef>,
  opts: { prune?: boolean; gone?: string[] } = {},
) =>
  computePlan({
    target,
    environment: 'dev',
    desired: new Map(Object.entries(desired)),
    live,
    owned,
    project: HERE,
    goneOwners: new Set(opts.gone ?? []),
    hashKey: KEY,
    managedFields: ['command', 'args', 'env', 'cwd'],
    prune: opts.prune,
  });
const colors = new Proxy({}, { get: () => (s: string) => s }) as Parameters<typeof renderPlanText>[1];

describe('several projects share one client file', () => {
  const dotfiles = { github: { command: 'gh-mcp' }, notes: { command: 'notes-mcp' } };
  const owned = { github: own(dotfiles.github, DOTFILES), notes: own(dotfiles.notes, DOTFILES) };

  it('a fresh project plans to remove none of the dotfiles servers, with or without --prune', async () => {
    for (const prune of [false, true]) {
      const p = plan({ memory: r({ command: 'mem' }) }, dotfiles, owned, { prune });
      expect(p.changes.map((c) => `${c.action} ${c.server}`)).toEqual(['create memory']);
      expect(p.managedElsewhere).toEqual([
        { server: 'github', owner: DOTFILES },
        { server: 'notes', owner: DOTFILES },
      ]);
      expect(p.removesEverything).toBe(false);
    }
    const text = await renderPlanText([plan({}, dotfiles, owned)], colors);
    expect(text).toContain(`Managed by ${DOTFILES} (left alone, --prune included): github, notes`);
    expect(text).toContain('No changes.');
  });

  it('the same name declared by two projects is a conflict naming the owner', () => {
    const p = plan({ github: r({ command: 'other' }) }, dotfiles, owned);
    expect(p.conflicts).toEqual([{ server: 'github', owner: DOTFILES }]);
    expect(p.changes).toEqual([]);
  });

  it("the owner's own plan still updates and removes its entries", () => {
    const mine = { github: own(dotfiles.github, HERE), notes: own(dotfiles.notes, HERE) };
    const p = plan({ github: r({ command: 'gh-mcp', args: ['--v2'] }) }, dotfiles, mine);
    expect(p.changes.map((c) => `${c.action} ${c.server}`)).toEqual(['update github', 'delete notes']);
    expect(p.changes[0]!.drift).toBe(false);
  });

  it('format-1 entries (owner not recorded) are taken over when declared and left alone when not', () => {
    const legacy = { github: own(dotfiles.github, null), notes: own(dotfiles.notes, null) };
    const p = plan({ github: r({ command: 'gh-mcp' }) }, dotfiles, legacy);
    expect(p.changes).toEqual([]);
    expect(p.adoptions).toEqual(['github']); // apply records this project as the owner
    expect(p.unmanaged).toEqual(['notes']);
    expect(p.unclaimed).toEqual(['notes']);
    expect(plan({}, dotfiles, legacy, { prune: true }).changes.map((c) => c.server)).toEqual(['github', 'notes']);
  });

  it("a project whose mcp.yaml is gone owns nothing any more: its entries are nobody's", () => {
    const p = plan({ github: r({ command: 'gh-mcp' }) }, dotfiles, owned, { gone: [DOTFILES] });
    expect(p.conflicts).toEqual([]);
    expect(p.adoptions).toEqual(['github']);
    expect(p.unclaimed).toEqual(['notes']);
  });

  it('drift is told by the keyed hash; a legacy plain sha256 is still understood', () => {
    const edited = { github: { command: 'gh-mcp', args: ['--by-hand'] } };
    const mine = { github: own(dotfiles.github, HERE) };
    expect(plan({ github: r({ command: 'gh-mcp' }) }, edited, mine).changes[0]!.drift).toBe(true);
    const legacy = { github: { hash: entryHash(dotfiles.github), owner: HERE } };
    expect(legacy.github.hash).toMatch(/^sha256:/);
    expect(plan({ github: r({ command: 'gh-mcp', args: ['x'] }) }, dotfiles, legacy).changes[0]!.drift).toBe(false);
  });
});

describe('remembered sensitivity', () => {
  it('a value mcpform wrote as a secret stays (sensitive) when mcp.yaml no longer marks it', async () => {
    const live = {
      api: { command: 'api-mcp', env: { API: 'the-old-secret-value' }, args: ['--key', 'old-arg-secret'] },
    };
    const owned = { api: own(live.api, HERE, ['/env/API', '/args/1']) };
    const p = plan({ api: r({ command: 'api-mcp', env: { API: 'plain' }, args: ['--verbose'] }) }, live, owned);
    expect(p.changes[0]!.fields.map((f) => [f.field, f.sensitive])).toEqual([
      ['env.API', true],
      ['args', true],
    ]);
    const text = await renderPlanText([p], colors);
    expect(text).not.toContain('the-old-secret-value');
    expect(text).not.toContain('old-arg-secret');
  });

  it('and when the field goes', async () => {
    const live = { api: { command: 'api-mcp', env: { API: 'the-old-secret-value', MODE: 'x' } } };
    const owned = { api: own(live.api, HERE, ['/env/API']) };
    const p = plan({ api: r({ command: 'api-mcp', env: { MODE: 'x' } }) }, live, owned);
    expect(p.changes[0]!.fields).toMatchObject([{ field: 'env.API', kind: 'remove', sensitive: true }]);
    expect(await renderPlanText([p], colors)).not.toContain('the-old-secret-value');
  });

  it('each declared server carries the pointers apply remembers', () => {
    const p = plan({ a: r({ command: 'a', env: { T: 'v' } }, ['/env/T']) }, {}, {});
    expect(p.sensitiveFields).toEqual({ a: ['/env/T'] });
  });
});

describe('what other projects and the state dir say is shown, never interpreted', () => {
  it('an owner path with escape sequences is printed with them visible', async () => {
    const evil = '/home/me/\x1b[8mhidden/mcp.yaml';
    const p = plan({}, { x: { command: 'x' } }, { x: own({ command: 'x' }, evil) });
    const text = await renderPlanText([p], colors);
    expect(text).not.toContain('\x1b');
    expect(text).toContain('\\e[8mhidden');
  });
});

describe('remembered sensitivity in the JSON plan', () => {
  it('the old value of a remembered secret is sealed, never in clear', async () => {
    const { renderPlanJson } = await import('../../src/plan/render-json.js');
    const live = { api: { command: 'api-mcp', env: { API: 'the-old-secret-value' } } };
    const p = plan({ api: r({ command: 'api-mcp', env: { API: 'plain' } }) }, live, {
      api: own(live.api, HERE, ['/env/API']),
    });
    const doc = renderPlanJson([p], {
      version: '0',
      file: HERE,
      sourceHash: 'sha256:0',
      environment: 'dev',
      salt: '0'.repeat(32),
      createdAt: 'now',
    });
    expect(JSON.stringify(doc)).not.toContain('the-old-secret-value');
  });
});
