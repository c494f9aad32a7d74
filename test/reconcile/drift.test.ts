import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/compute.js';
import { Backoff } from '../../src/reconcile/backoff.js';
import { narrowToDrift, splitDrift } from '../../src/reconcile/drift.js';
import { entryHash, type Ownership } from '../../src/state/ownership.js';

const KEY = Buffer.alloc(32, 7);
const HERE = '/p/mcp.yaml';
const entry = (arg: string) => ({ command: 'node', args: [arg] });
const owned = (owner: string | null, e: Record<string, unknown>) => ({
  owner,
  hash: entryHash(e, KEY),
  appliedAt: '',
  environment: 'default',
});

/** A file where mcpform wrote a, b, c for this project and x for another; h is hand-made. */
function planOf(live: Record<string, Record<string, unknown>>, desired = ['a', 'b', 'c', 'd']) {
  const ownership: Ownership = {
    formatVersion: 2,
    target: 'claude-code',
    path: '/h/.claude.json',
    servers: {
      a: owned(HERE, entry('a')),
      b: owned(HERE, entry('b')),
      c: owned(HERE, entry('c')),
      x: owned('/other/mcp.yaml', entry('x')),
      z: owned(null, entry('z')),
    },
  };
  const plan = computePlan({
    target: { name: 'claude-code', path: '/h/.claude.json', baseHash: null, exists: true },
    environment: 'default',
    desired: new Map(desired.map((n) => [n, { entry: entry(n), sensitive: new Set<string>() }])),
    live,
    owned: ownership.servers,
    project: HERE,
    hashKey: KEY,
    managedFields: ['command', 'args', 'env'],
  });
  return { plan, ownership };
}

describe('drift: what the reconciler heals', () => {
  it('owned entries missing or edited are drift; a new server, a removal and an adoption are pending', () => {
    // a gone, b edited by the client, c as written; d new in mcp.yaml; z unclaimed and undeclared.
    const { plan, ownership } = planOf({ b: entry('b-edited'), c: entry('c'), x: entry('x'), h: entry('h') }, [
      'a',
      'b',
      'd',
    ]);
    expect(splitDrift(plan, ownership)).toEqual({
      drift: [
        { server: 'a', kind: 'missing' },
        { server: 'b', kind: 'changed' },
      ],
      pending: ['d', 'c'],
    });
    const narrow = narrowToDrift(plan, ownership);
    expect(narrow.changes.map((c) => [c.server, c.action])).toEqual([
      ['a', 'create'],
      ['b', 'update'],
    ]);
    expect(narrow.summary).toEqual({ add: 1, change: 1, remove: 0 });
    expect(narrow).toMatchObject({ adoptions: [], forgotten: [], removesEverything: false });
  });

  it('another project’s entry and a hand-made one are never drift, even when gone or edited', () => {
    const { plan, ownership } = planOf({ a: entry('a'), b: entry('b'), c: entry('c'), h: entry('h2') }, [
      'a',
      'b',
      'c',
      'x',
    ]);
    expect(splitDrift(plan, ownership).drift).toEqual([]);
  });

  it('a held entry stays out of the narrowed plan', () => {
    const { plan, ownership } = planOf({ x: entry('x') });
    expect(narrowToDrift(plan, ownership, (s) => s !== 'b').changes.map((c) => c.server)).toEqual(['a', 'c']);
  });
});

describe('backoff', () => {
  const opts = { heals: 3, windowMs: 10_000, holdMs: 1000, maxHoldMs: 4000 };
  it.each([
    ['heals spread wider than the window never hold', [0, 6000, 12_000, 18_000], []],
    ['the third heal within the window holds, said once', [0, 1000, 2000], [2]],
  ])('%s', (_name, times, starts) => {
    const b = new Backoff(opts);
    const said = times.flatMap((t, i) => (b.healed('k', t) ? [i] : []));
    expect(said).toEqual(starts);
  });

  it('holds, then doubles the hold quietly when the fight goes on, and forgets it once the entry stays put', () => {
    const b = new Backoff(opts);
    for (const t of [0, 100, 200]) b.healed('k', t);
    expect(b.held('k', 1100)).toBe(true);
    expect(b.held('k', 1200)).toBe(false);
    // Still fought after the hold: a longer one, not said again.
    expect([1300, 1400, 1500].map((t) => b.healed('k', t))).toEqual([undefined, undefined, undefined]);
    expect(b.held('k', 3400)).toBe(true);
    expect(b.held('k', 3600)).toBe(false);
    b.settled('k', 20_000);
    expect(b.keys()).toEqual([]);
    expect(b.healed('k', 20_100)).toBeUndefined();
  });
});
