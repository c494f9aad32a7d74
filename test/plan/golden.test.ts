import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { projectId } from '../../src/plan/build.js';
import { ensureHashKey } from '../../src/state/hash-key.js';
import { entryHash, writeOwnership, type OwnedEntry } from '../../src/state/ownership.js';
import { claudeDesktop } from '../../src/targets/clients/claude-desktop.js';
import { ROOT, sandbox, writeJson, type Sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';
import { runInProcess } from '../cli/run-in-process.js';

const EXAMPLES = [
  'simple',
  'development',
  'production',
  'python-venv',
  'authenticated',
  'team/frontend',
  'team/oncall',
];
const SECRETS = { GITHUB_TOKEN: 'ghp_SUPERSECRET_value_123', DOCS_TOKEN: 'docs_SUPERSECRET_456' };

/**
 * A live Claude Desktop file for an example that exercises every kind of change: the first
 * declared server is owned but edited (update, with drift), the second exists unmanaged
 * (adopt), an owned server no longer declared (delete), a hand-made one (unmanaged), and
 * the rest are new (create). Unknown keys at every level must survive.
 */
async function scenario(sb: Sandbox, example: string): Promise<void> {
  const file = join(ROOT, 'examples', example, 'mcp.yaml');
  const state = loadDesired(file, { clients: clientCatalog, world: testWorld({ env: { ...sb.env, ...SECRETS } }) });
  const entries: Record<string, Record<string, unknown>> = {};
  const owned: Record<string, OwnedEntry> = {};
  const key = ensureHashKey(sb.world);
  const owner = projectId(file);
  const [first, second] = state.servers;
  if (first) {
    const rendered = claudeDesktop.render(first, new Map(), undefined, 'linux').entry;
    const lastWritten = { ...rendered, args: [...(rendered.args as string[]), '--old-flag'] };
    owned[first.name] = {
      owner,
      hash: entryHash(lastWritten, key),
      appliedAt: '2026-01-01T00:00:00Z',
      environment: state.environment,
    };
    const env: Record<string, string> = {
      ...(rendered.env as Record<string, string> | undefined),
      EDITED_BY_HAND: '1',
    };
    for (const k of Object.keys(env)) if (/TOKEN/.test(k)) env[k] = 'an-old-secret-value';
    entries[first.name] = { disabled: false, ...lastWritten, env };
  }
  if (second) entries[second.name] = { command: 'node', args: ['/opt/old/index.js'], env: { LOG_LEVEL: 'info' } };
  entries['retired'] = { command: 'npx', args: ['-y', 'retired-server'] };
  owned['retired'] = {
    owner,
    hash: entryHash(entries['retired'], key),
    appliedAt: '2026-01-01T00:00:00Z',
    environment: state.environment,
  };
  entries['hand-made'] = { command: '/usr/local/bin/my-server', 'x-custom': { keep: true } };
  writeJson(sb.claudeConfig, { globalShortcut: 'Ctrl+Space', mcpServers: entries, preferences: { theme: 'dark' } });
  await writeOwnership({ formatVersion: 2, target: 'claude-desktop', path: sb.claudeConfig, servers: owned }, sb.world);
}

const normalise = (text: string, sb: Sandbox) => text.split(sb.dir).join('<SANDBOX>').split(ROOT).join('<ROOT>');

describe('plan golden output', () => {
  it.each(EXAMPLES)('%s', async (example) => {
    const sb = sandbox();
    await scenario(sb, example);
    const r = await runInProcess(['plan', '-f', join(ROOT, 'examples', example, 'mcp.yaml'), '--detailed-exitcode'], {
      cwd: sb.path(''),
      env: { ...sb.env, ...SECRETS },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    await expect(normalise(r.stdout, sb)).toMatchFileSnapshot(`golden/${example.replace('/', '-')}.txt`);
  });

  it('no changes: exit 0 with --detailed-exitcode and "No changes."', async () => {
    const sb = sandbox();
    const file = join(ROOT, 'examples', 'simple', 'mcp.yaml');
    const state = loadDesired(file, { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    const entry = claudeDesktop.render(state.servers[0]!, new Map(), undefined, 'linux').entry;
    writeJson(sb.claudeConfig, { mcpServers: { memory: entry } });
    await writeOwnership(
      {
        formatVersion: 1,
        target: 'claude-desktop',
        path: sb.claudeConfig,
        servers: { memory: { hash: entryHash(entry), appliedAt: 'x', environment: 'default' } },
      },
      sb.world,
    );
    const r = await runInProcess(['plan', '-f', file, '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  it('a live file that is not JSON: exit 1 with line and column, file untouched', async () => {
    const sb = sandbox();
    sb.write('mcp.yaml', 'version: 1\nservers:\n  a: { command: x }\n');
    const broken = '{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}\n';
    writeJson(sb.claudeConfig, {});
    (await import('node:fs')).writeFileSync(sb.claudeConfig, broken);
    const r = await runInProcess(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/claude_desktop_config\.json:3:\d+ is not valid JSON/);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(broken);
  });
});

describe('plan secrets and JSON', () => {
  it('no secret value appears in text, JSON or a saved plan; changed secrets still show', async () => {
    const sb = sandbox();
    await scenario(sb, 'authenticated');
    const file = join(ROOT, 'examples', 'authenticated', 'mcp.yaml');
    const env = { ...sb.env, ...SECRETS };
    const text = await runInProcess(['plan', '-f', file], { cwd: sb.path(''), env });
    const json = await runInProcess(['plan', '-f', file, '--json'], { cwd: sb.path(''), env });
    const out = await runInProcess(['plan', '-f', file, '--out', 'plan.json'], { cwd: sb.path(''), env });
    const saved = readFileSync(sb.path('plan.json'), 'utf8');
    for (const output of [text.stdout, text.stderr, json.stdout, out.stdout, saved]) {
      for (const secret of [...Object.values(SECRETS), 'an-old-secret-value']) expect(output).not.toContain(secret);
    }
    expect(text.stdout).toMatch(/~ env\.GITHUB_PERSONAL_ACCESS_TOKEN\s+= \(sensitive\) -> \(sensitive\)/);
    expect(JSON.parse(saved)).toMatchObject({ formatVersion: 1, environment: 'default' });
  });

  it.each(EXAMPLES)('--json for %s validates against schemas/plan.schema.json', async (example) => {
    const sb = sandbox();
    await scenario(sb, example);
    const r = await runInProcess(['plan', '-f', join(ROOT, 'examples', example, 'mcp.yaml'), '--json'], {
      cwd: sb.path(''),
      env: { ...sb.env, ...SECRETS },
    });
    expect(r.code).toBe(0);
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'plan.schema.json'), 'utf8')));
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.targets[0].target).toMatchObject({ path: sb.claudeConfig, baseHash: expect.stringMatching(/^sha256:/) });
  });
});
