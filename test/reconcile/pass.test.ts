import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileOnce, ReconcileFailure } from '../../src/reconcile/pass.js';
import { readStatus } from '../../src/reconcile/record.js';
import { runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const tiny = (name: string, env = '{}') =>
  `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: ${env}\n`;
const SECRET = 'sk-live-0123456789abcdef';
const yaml = (reconcile = '', extra = '') =>
  `version: 1\ntargets: [claude-code]\n${reconcile}servers:\n${tiny('t1', `{ API_TOKEN: "${SECRET}" }`)}${tiny('t2')}${extra}`;
const CLIENT = {
  numStartups: 7,
  mcpServers: { 'hand-made': { command: '/usr/bin/mine', args: ['--x'] } },
  tipsHistory: { a: 1 },
};
const ui = { on: () => undefined, confirm: async () => undefined };
const claudeJson = (sb: Sandbox) => join(sb.home, '.claude.json');
const read = (sb: Sandbox) => JSON.parse(readFileSync(claudeJson(sb), 'utf8'));

async function applied(reconcile = ''): Promise<Sandbox> {
  const sb = sandbox({ 'mcp.yaml': yaml(reconcile) });
  writeJson(claudeJson(sb), CLIENT);
  const r = await runCli(['apply', '--yes'], { cwd: sb.path(''), env: sb.env });
  expect(r.code, r.stderr).toBe(0);
  return sb;
}

/** What a client that rewrites its file from its own copy does: our entries gone or changed, its keys moved on. */
function clientRewrites(sb: Sandbox, edit: (servers: Record<string, unknown>) => void): void {
  const j = read(sb);
  j.numStartups += 1;
  edit(j.mcpServers);
  writeFileSync(claudeJson(sb), JSON.stringify(j));
}

describe('reconcile: one pass', () => {
  it('reports drift of owned entries without touching the file when selfHeal is off', async () => {
    const sb = await applied();
    clientRewrites(sb, (s) => {
      delete s.t1;
      (s.t2 as { args: string[] }).args.push('--changed');
    });
    const before = readFileSync(claudeJson(sb), 'utf8');
    const r = await reconcileOnce(sb.world, { version: 'test' }, ui);
    expect(r.selfHeal).toBe(false);
    expect(r.targets[0]!.drift).toEqual([
      { server: 't1', kind: 'missing' },
      { server: 't2', kind: 'changed' },
    ]);
    expect(r.targets[0]!.healed).toEqual([]);
    expect(readFileSync(claudeJson(sb), 'utf8')).toBe(before);
    expect(readStatus(sb.world).projects[0]!.targets[0]).toMatchObject({ state: 'drifted', healed: 0 });
  });

  it('heals only the drifted owned entries: hand-made entries, other keys and other projects stay as the client left them', async () => {
    const sb = await applied('reconcile: { selfHeal: true }\n');
    // Another project owns `other` in the same file.
    sb.write('../other/mcp.yaml', `version: 1\ntargets: [claude-code]\nservers:\n${tiny('other')}`);
    expect((await runCli(['apply', '--yes'], { cwd: join(sb.dir, 'other'), env: sb.env })).code).toBe(0);
    clientRewrites(sb, (s) => {
      delete s.t1;
      delete s.other;
      (s['hand-made'] as { args: string[] }).args.push('--client-edit');
    });
    const r = await reconcileOnce(sb.world, { version: 'test' }, ui);
    expect(r.targets[0]!.healed).toEqual(['t1']);
    const after = read(sb);
    expect(after.numStartups).toBe(8);
    expect(after.tipsHistory).toEqual({ a: 1 });
    expect(after.mcpServers['hand-made']).toEqual({ command: '/usr/bin/mine', args: ['--x', '--client-edit'] });
    expect(after.mcpServers.t1.env.API_TOKEN).toBe(SECRET);
    // The other project's entry is its own business: not put back by this one.
    expect(after.mcpServers.other).toBeUndefined();
    const again = await reconcileOnce(sb.world, { version: 'test' }, ui);
    expect(again.targets[0]!.drift).toEqual([]);
    const status = readStatus(sb.world).projects[0]!.targets[0]!;
    expect(status).toMatchObject({ state: 'in-sync', healed: 1 });
    expect(status.lastHealedAt).toBeTruthy();
  });

  it('--heal heals once without selfHeal; a change mcp.yaml makes is pending for apply, never applied by the loop', async () => {
    const sb = await applied();
    sb.write('mcp.yaml', yaml('', tiny('t3')));
    clientRewrites(sb, (s) => delete s.t2);
    const r = await reconcileOnce(sb.world, { heal: true, version: 'test' }, ui);
    expect(r.targets[0]!.healed).toEqual(['t2']);
    expect(r.targets[0]!.pending).toEqual(['t3']);
    expect(read(sb).mcpServers.t3).toBeUndefined();
  });

  it('a held entry is reported, not healed', async () => {
    const sb = await applied('reconcile: { selfHeal: true }\n');
    clientRewrites(sb, (s) => {
      delete s.t1;
      delete s.t2;
    });
    const r = await reconcileOnce(sb.world, { version: 'test', hold: (_t, s) => s === 't1' }, ui);
    expect(r.targets[0]!.healed).toEqual(['t2']);
    expect(r.targets[0]!.held).toEqual(['t1']);
    expect(read(sb).mcpServers.t1).toBeUndefined();
    expect(readStatus(sb.world).projects[0]!.targets[0]).toMatchObject({ state: 'backing-off' });
  });

  it('a client file that does not parse is never written; the error is recorded under its project', async () => {
    const sb = await applied('reconcile: { selfHeal: true }\n');
    writeFileSync(claudeJson(sb), '{"mcpServers": {');
    const err = await reconcileOnce(sb.world, { version: 'test' }, ui).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReconcileFailure);
    expect(readFileSync(claudeJson(sb), 'utf8')).toBe('{"mcpServers": {');
    const project = readStatus(sb.world).projects[0]!;
    expect(project.file).toBe(realpathSync(sb.path('mcp.yaml')));
    expect(project.lastError).toContain('INVALID_LIVE_CONFIG');
  });

  it('a heal that fails its health check is rolled back and recorded with the secret masked', async () => {
    const sb = await applied('reconcile: { selfHeal: true }\n');
    clientRewrites(sb, (s) => delete s.t1);
    const wiped = readFileSync(claudeJson(sb), 'utf8');
    // The server now fails to start: the heal must not leave a broken entry behind.
    sb.write(
      'mcp.yaml',
      yaml('reconcile: { selfHeal: true }\n').replace(fixture('tiny-server.mjs'), fixture('exits-at-once.mjs')),
    );
    const err = await reconcileOnce(sb.world, { version: 'test' }, ui).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReconcileFailure);
    expect(readFileSync(claudeJson(sb), 'utf8')).toBe(wiped);
    const status = readStatus(sb.world).projects[0]!.targets[0]!;
    expect(status.state).toBe('error');
    const log = readFileSync(join(sb.stateDir, 'reconcile', 'events.log'), 'utf8');
    expect(log + JSON.stringify(status)).not.toContain(SECRET);
  });
});
