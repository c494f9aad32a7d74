import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { appendEnv, importEntries } from '../../src/adopt/import.js';
import { loadDesired } from '../../src/config/load.js';
import { buildPlans } from '../../src/plan/build.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import { runCli, sandbox, testWorld } from '../helpers.js';
import { SECRET_VALUES, SHAPES, type Client } from './client-entries.js';

/** One client file holding `entries`, imported, then planned: what the user would see. */
function roundTrip(client: Client, entries: Record<string, unknown>) {
  const sb = sandbox();
  const adapter = adapterFor(client);
  const file = adapter.resolvePath({ name: client }, sb.world);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ mcpServers: entries }, null, 2)}\n`);
  const result = importEntries(
    adapter.read(file).entries,
    {},
    { adapter, baseDir: sb.path(''), platform: sb.world.platform },
  );
  sb.write('mcp.yaml', `${result.yaml}targets: [${client}]\n`);
  sb.write('.env', appendEnv('', result.secrets, {}));
  const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
  const plan = buildPlans(state, sb.world)[0]!.plan;
  return { result, plan: plan! };
}

const cases = (Object.entries(SHAPES) as [Client, Record<string, Record<string, unknown>>][]).flatMap(
  ([client, shapes]) => Object.entries(shapes).map(([name, entry]) => [client, name, entry] as const),
);

describe(`init --import round-trips ${cases.length} real-world entry shapes`, () => {
  it.each(cases)('%s: %s imports to an mcp.yaml whose plan is "No changes."', (client, name, entry) => {
    const { result, plan } = roundTrip(client, { [name]: entry });
    expect(result.skipped).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(plan.changes).toEqual([]);
    expect(plan.adoptions).toEqual([name]);
    for (const secret of SECRET_VALUES) expect(result.yaml).not.toContain(secret);
  });

  it('all of them in one file per client, too', () => {
    for (const [client, shapes] of Object.entries(SHAPES) as [Client, Record<string, Record<string, unknown>>][]) {
      const { plan, result } = roundTrip(client, shapes);
      expect(plan.changes, client).toEqual([]);
      expect(plan.adoptions.length, client).toBe(Object.keys(shapes).length);
      for (const v of Object.values(result.secrets)) expect(result.yaml).not.toContain(v);
    }
  });

  it.each([
    ['a literal ${HOME} stays literal', 'literal-home', /"\$\$\{HOME\}\/projects"/],
    ['a relative cwd is kept as written', 'relative-cwd', /cwd: \.\/mcp_tools\/python\n\s+verbatim: true/],
    ['a ~ cwd is kept as written', 'tilde-cwd', /verbatim: true/],
    [
      'a Windows path needs no marker: it is absolute everywhere',
      'windows-venv',
      /cwd: C:\\Users\\me\\Documents\\ppt\n/,
    ],
    [
      'an mcp-remote bridge written as mcpform writes one becomes a url server',
      'remote-mcpform-style',
      /url: https:\/\/docs\.example\.com\/mcp\n\s+headers:\n\s+Authorization: Bearer \$\{REMOTE_MCPFORM_STYLE_TOKEN\}\n\s+transport: http/,
    ],
    [
      'a bridge with its header through another variable: the same remote, a url server',
      'remote-auth-env',
      /url: https:\/\/hf\.example\.co\/mcp\n\s+headers:\n\s+Authorization: Bearer \$\{REMOTE_AUTH_ENV_TOKEN\}/,
    ],
    [
      'a bridge with an option a url server cannot say stays a command',
      'remote-allow-http',
      /command: npx\n\s+args: \[ mcp-remote, http:\/\/10\.0\.0\.5:8001\/mcp\/, --allow-http \]/,
    ],
    ['a token inside KEY=value', 'docker-inline', /SLACK_BOT_TOKEN=\$\{SLACK_BOT_TOKEN\}/],
    ['a URL password', 'postgres', /postgresql:\/\/app:\$\{POSTGRES_PASSWORD\}@localhost/],
    ['a bare JWT', 'jwt-positional', /\$\{JWT_POSITIONAL_JWT\}/],
    ['a bare AWS key', 'aws-positional', /\$\{AWS_ACCESS_KEY_ID\}/],
    ['a high-entropy bare argument', 'entropy-positional', /\$\{ENTROPY_POSITIONAL_SECRET\}/],
    ['a commit id is no secret', 'git-sha', /#3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c/],
    ['a shell line is code, not a secret', 'sh-c-secret-manager', /BEEPER_ACCESS_TOKEN=\$\(fnox get/],
    ['a literal ${...} inside a flag stays literal', 'wsl-distro', /--base-dir=\$\$\{projectRoot\}/],
  ])('%s', (_what, name, expected) => {
    const { result } = roundTrip('claude-desktop', { [name]: SHAPES['claude-desktop'][name]! });
    expect(result.yaml).toMatch(expected);
  });

  it('mcp-remote bridges become url servers when nothing they do is lost', () => {
    const { result } = roundTrip('claude-desktop', SHAPES['claude-desktop']);
    const doc = parseYaml(result.yaml) as { servers: Record<string, { url?: string }> };
    const remote = Object.keys(doc.servers).filter((n) => doc.servers[n]!.url);
    expect(remote).toEqual([
      'remote-canonical',
      'remote-no-y',
      'remote-auth-env',
      'remote-inline-header',
      'remote-mcpform-style',
      'remote-query-key',
    ]);
    expect(result.yaml).toMatch(/url: https:\/\/mcp\.example\.org\/sse\?api_key=\$\{API_KEY\}\n/);
  });

  it('a remote entry with a type the adapter spells otherwise is imported, and the note says what plan will show', () => {
    const { result, plan } = roundTrip('claude-code', {
      hardfire: { type: 'streamable-http', url: 'http://127.0.0.1:8765/mcp' },
    });
    expect(result.servers).toEqual(['hardfire']);
    expect(result.notes).toEqual([{ name: 'hardfire', note: 'the first plan will show type as changed' }]);
    expect(plan.changes.map((c) => c.fields.map((f) => `${f.field}: ${f.before} -> ${f.after}`))).toEqual([
      ['type: streamable-http -> http'],
    ]);
  });

  it('remote entries of Cursor and Claude Code become url servers with headers, secrets in .env', () => {
    const cur = roundTrip('cursor', { a: SHAPES.cursor['cursor-url-headers']! });
    expect(cur.result.yaml).toMatch(
      /url: https:\/\/mcp\.example\.com\/mcp\n\s+headers:\n\s+Authorization: Bearer \$\{A_TOKEN\}/,
    );
    expect(cur.result.secrets).toEqual({ A_TOKEN: 'cur-secret-token-123' });
    const cc = roundTrip('claude-code', { s: SHAPES['claude-code']['cc-sse']! });
    expect(cc.result.yaml).toMatch(/transport: sse/);
  });
});

describe('init --import on a real-shaped file: CRLF, BOM, tabs, big numbers, other settings', () => {
  it('plan says No changes., apply changes no byte, the next plan adopts nothing', async () => {
    const sb = sandbox();
    const body = JSON.stringify(
      { globalShortcut: 'Ctrl+Space', mcpServers: SHAPES['claude-desktop'], preferences: { quickEntry: true } },
      null,
      '\t',
    ).replace('"globalShortcut"', '"bigNumber": 12345678901234567890,\n\t"globalShortcut"');
    const bytes = Buffer.from(`\uFEFF${body.replace(/\n/g, '\r\n')}`, 'utf8');
    mkdirSync(dirname(sb.claudeConfig), { recursive: true });
    writeFileSync(sb.claudeConfig, bytes);
    const init = await runCli(['init', '--import'], { cwd: sb.path(''), env: sb.env });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).not.toContain('Note:');
    const env = parseDotenv(readFileSync(sb.path('.env')));
    expect(Object.keys(env).length).toBeGreaterThan(10);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    for (const secret of SECRET_VALUES) expect(plan.stdout).not.toContain(secret);
    const apply = await runCli(['apply', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(sb.claudeConfig).equals(bytes)).toBe(true);
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('Will adopt');
  });
});
