import { describe, expect, it } from 'vitest';
import { loadState } from '../../src/lock/load-state.js';
import { runCli, sandbox } from '../helpers.js';

const base = 'version: 1\nservers:\n  s: { command: node }\n';

describe("mcp.yaml's reconcile block", () => {
  it.each([
    ['', undefined],
    ['reconcile: {}\n', { selfHeal: false, intervalMs: 300_000, autoApply: false }],
    [
      'reconcile: { selfHeal: true, interval: 30s, autoApply: true }\n',
      { selfHeal: true, intervalMs: 30_000, autoApply: true },
    ],
    ['reconcile: { interval: 2m }\n', { selfHeal: false, intervalMs: 120_000, autoApply: false }],
  ])('%j', async (block, expected) => {
    const sb = sandbox({ 'mcp.yaml': base + block });
    expect((await loadState(sb.world, {})).reconcile).toEqual(expected);
  });

  it.each([
    ['reconcile: { selfheal: true }\n', "unknown key 'selfheal' in 'reconcile' (did you mean 'selfHeal'?)"],
    ['reconcile: { interval: soon }\n', "'reconcile.interval' must be a duration such as '30s', '1m' or '500ms'"],
    ['reconcile: { selfHeal: yes please }\n', "'reconcile.selfHeal' must be a boolean"],
  ])('refuses %j', async (block, message) => {
    const sb = sandbox({ 'mcp.yaml': base + block });
    const r = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });
});
