import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlanToEntries, computePlan } from '../../src/plan/compute.js';
import { mergeEntry } from '../../src/plan/diff.js';
import { entryHash } from '../../src/state/ownership.js';
import type { ClientEntry, RenderedEntry } from '../../src/targets/types.js';

const MANAGED = ['command', 'args', 'env', 'cwd'];
const target = { name: 'claude-desktop', path: '/x.json', baseHash: null, exists: true };
const r = (entry: ClientEntry, sensitive: string[] = []): RenderedEntry => ({ entry, sensitive: new Set(sensitive) });
const plan = (
  desired: Record<string, RenderedEntry>,
  live: Record<string, ClientEntry>,
  owned: Record<string, ClientEntry> = {},
  prune = false,
) =>
  computePlan({
    target,
    environment: 'dev',
    desired: new Map(Object.entries(desired)),
    live,
    owned: Object.fromEntries(Object.entries(owned).map(([k, v]) => [k, { hash: entryHash(v) }])),
    managedFields: MANAGED,
    prune,
  });

describe('computePlan', () => {
  it.each([
    ['create', { a: r({ command: 'x' }) }, {}, {}, ['create'], { add: 1, change: 0, remove: 0 }],
    [
      'no change',
      { a: r({ command: 'x' }) },
      { a: { command: 'x' } },
      { a: { command: 'x' } },
      [],
      { add: 0, change: 0, remove: 0 },
    ],
    [
      'update',
      { a: r({ command: 'y' }) },
      { a: { command: 'x' } },
      { a: { command: 'x' } },
      ['update'],
      { add: 0, change: 1, remove: 0 },
    ],
    [
      'adopt, changed',
      { a: r({ command: 'y' }) },
      { a: { command: 'x' } },
      {},
      ['adopt'],
      { add: 0, change: 1, remove: 0 },
    ],
    [
      'adopt as it is: no change to the file',
      { a: r({ command: 'x' }) },
      { a: { command: 'x' } },
      {},
      [],
      { add: 0, change: 0, remove: 0 },
    ],
    [
      'delete owned',
      {},
      { a: { command: 'x' } },
      { a: { command: 'x' } },
      ['delete'],
      { add: 0, change: 0, remove: 1 },
    ],
    ['unmanaged kept', {}, { a: { command: 'x' } }, {}, [], { add: 0, change: 0, remove: 0 }],
  ] as const)('%s', (_name, desired, live, owned, actions, summary) => {
    const p = plan(
      desired as Record<string, RenderedEntry>,
      live as Record<string, ClientEntry>,
      owned as Record<string, ClientEntry>,
    );
    expect(p.changes.map((c) => c.action)).toEqual(actions);
    expect(p.summary).toEqual(summary);
  });

  it('lists declared entries that already match as ownership-only adoptions', () => {
    expect(plan({ a: r({ command: 'x' }) }, { a: { command: 'x', extra: 1 } }).adoptions).toEqual(['a']);
  });

  it('lists unmanaged entries and removes them only with prune', () => {
    expect(plan({}, { hand: { command: 'x' } }).unmanaged).toEqual(['hand']);
    expect(plan({}, { hand: { command: 'x' } }, {}, true).changes.map((c) => c.action)).toEqual(['delete']);
  });

  it('detects drift: an owned entry edited by hand since the last apply', () => {
    const p = plan({ a: r({ command: 'y' }) }, { a: { command: 'edited' } }, { a: { command: 'x' } });
    expect(p.changes[0]).toMatchObject({ action: 'update', drift: true });
  });

  it('reports field-level changes, env key by key, secrets flagged', () => {
    const p = plan(
      { a: r({ command: 'x', env: { TOKEN: 'new', LEVEL: 'warn' } }, ['/env/TOKEN']) },
      { a: { command: 'x', env: { TOKEN: 'old', LEVEL: 'info', GONE: '1' } } },
      { a: { command: 'x' } },
    );
    expect(p.changes[0]!.fields).toEqual([
      { field: 'env.TOKEN', kind: 'change', before: 'old', after: 'new', sensitive: true },
      { field: 'env.LEVEL', kind: 'change', before: 'info', after: 'warn', sensitive: false },
      { field: 'env.GONE', kind: 'remove', before: '1', after: undefined, sensitive: false },
    ]);
  });

  it('keeps unknown fields and key order of a live entry', () => {
    expect(
      Object.keys(
        mergeEntry(
          { disabled: true, command: 'x', note: 'mine', env: { A: '1' } },
          { command: 'y', args: ['a'] },
          MANAGED,
        ),
      ),
    ).toEqual(['disabled', 'command', 'note', 'args']);
  });

  it.each([
    ['no args = args: []', { command: 'x' }, { command: 'x', args: [] }],
    ['no env = env: {}', { command: 'x', args: [] }, { command: 'x', args: [], env: {} }],
    ['an empty env the file has stays', { command: 'x', env: {} }, { command: 'x' }],
    [
      'env 3000 is the "3000" the server gets',
      { command: 'x', env: { PORT: 3000, V: true } },
      { command: 'x', env: { PORT: '3000', V: 'true' } },
    ],
  ] as const)('adopting changes no byte when the client reads it the same: %s', (_n, live, desired) => {
    const p = plan({ a: r(desired as ClientEntry) }, { a: live as ClientEntry });
    expect(p.changes).toEqual([]);
    expect(p.adoptions).toEqual(['a']);
    expect(mergeEntry(live as ClientEntry, desired as ClientEntry, MANAGED)).toEqual(live);
  });

  it('a different env value is still a change', () => {
    const p = plan({ a: r({ command: 'x', env: { PORT: '3001' } }) }, { a: { command: 'x', env: { PORT: 3000 } } });
    expect(p.changes[0]?.fields).toMatchObject([{ field: 'env.PORT', before: 3000, after: '3001' }]);
  });

  it('flags removing every owned server', () => {
    expect(plan({}, { a: { command: 'x' } }, { a: { command: 'x' } }).removesEverything).toBe(true);
    expect(plan({ b: r({ command: 'y' }) }, { a: { command: 'x' } }, { a: { command: 'x' } }).removesEverything).toBe(
      false,
    );
  });
});

// Property: whatever desired/live/owned look like, applying the plan and planning again
// yields no changes; unmanaged entries and unknown keys survive untouched.
const name = fc.constantFrom('a', 'b', 'c', 'd', 'e', '__proto__', 'constructor');
const str = fc.string({ maxLength: 5 });
const managedEntry = fc.record(
  {
    command: str,
    args: fc.array(str, { maxLength: 3 }),
    env: fc.option(fc.dictionary(fc.constantFrom('A', 'TOKEN', 'B'), str), { nil: undefined }),
  },
  { requiredKeys: ['command', 'args'] },
);
const liveEntry = fc
  .tuple(managedEntry, fc.dictionary(fc.constantFrom('disabled', 'note', 'x-extra'), fc.jsonValue({ maxDepth: 2 })))
  .map(([m, extra]) => ({ ...extra, ...m }) as ClientEntry);
const dict = <T>(v: fc.Arbitrary<T>) =>
  fc.uniqueArray(fc.tuple(name, v), { selector: (t) => t[0], maxLength: 5 }).map((pairs) => {
    const o: Record<string, T> = {};
    for (const [k, x] of pairs)
      Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
    return o;
  });

describe('computePlan property', () => {
  it('apply then re-plan: no changes; unmanaged and unknown keys survive', () => {
    fc.assert(
      fc.property(
        dict(managedEntry),
        dict(liveEntry),
        fc.array(name),
        fc.boolean(),
        (desiredRaw, live, ownedNames, prune) => {
          const desired = new Map(Object.entries(desiredRaw).map(([k, e]) => [k, r(e as ClientEntry)]));
          const owned: Record<string, { hash: string }> = {};
          for (const n of ownedNames)
            if (Object.hasOwn(live, n))
              Object.defineProperty(owned, n, {
                value: { hash: entryHash(live[n]!) },
                enumerable: true,
                configurable: true,
              });
          const input = { target, environment: 'dev', desired, live, owned, managedFields: MANAGED, prune };
          const p1 = computePlan(input);
          const next = applyPlanToEntries(live, p1);
          const nextOwned: Record<string, { hash: string }> = {};
          for (const n of Object.keys(next))
            if (desired.has(n))
              Object.defineProperty(nextOwned, n, {
                value: { hash: entryHash(next[n]!) },
                enumerable: true,
                configurable: true,
              });
          const p2 = computePlan({ ...input, live: next, owned: nextOwned });
          expect(p2.changes).toEqual([]);
          for (const n of p1.unmanaged) expect(next[n]).toBe(live[n]);
          for (const [n, e] of Object.entries(live)) {
            if (!Object.hasOwn(next, n)) continue;
            for (const k of Object.keys(e)) if (!MANAGED.includes(k)) expect(next[n]![k]).toEqual(e[k]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('an mcp-remote bridge is the remote it reaches', () => {
  const desired = {
    command: 'npx',
    args: ['-y', 'mcp-remote', 'https://h.example/mcp', '--header', 'Authorization:${MCP_HEADER_AUTHORIZATION}'],
    env: { MCP_HEADER_AUTHORIZATION: 'Bearer t1' },
  };
  const spelled = (token: string) => ({
    command: 'npx',
    args: ['mcp-remote', 'https://h.example/mcp', '--header', 'Authorization:${AUTH_HEADER}'],
    env: { AUTH_HEADER: `Bearer ${token}` },
  });
  it('spelled differently, the same URL, headers and transport: no change', () => {
    expect(plan({ a: r(desired) }, { a: spelled('t1') }).adoptions).toEqual(['a']);
  });
  it('another header value, another flag, another command: a change', () => {
    expect(plan({ a: r(desired) }, { a: spelled('t2') }).changes).toHaveLength(1);
    const flagged = { ...spelled('t1'), args: [...spelled('t1').args, '--allow-http'] };
    expect(plan({ a: r(desired) }, { a: flagged }).changes).toHaveLength(1);
    expect(plan({ a: r(desired) }, { a: { ...spelled('t1'), command: '/opt/bin/npx' } }).changes).toHaveLength(1);
  });
});
