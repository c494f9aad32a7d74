import { writeFileSync } from 'node:fs';
import { createColors } from '../../src/util/colors.js';
import { describe, expect, it } from 'vitest';
import { verifySavedPlan } from '../../src/apply/saved-plan.js';
import { loadDesired } from '../../src/config/load.js';
import { McpformError } from '../../src/errors.js';
import { buildPlans } from '../../src/plan/build.js';
import { renderPlanJson } from '../../src/plan/render-json.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { sandbox, writeJson, type Sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';

// In-process: mcp.yaml and the client file on disk in a sandbox, everything else in memory.
const YAML = `version: 1
servers:
  github:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-github"]
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GH}", LOG_LEVEL: info }
  memory:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-memory"]
`;
const SALT = '00112233445566778899aabbccddeeff';
const SECRET = 'ghp_do_not_show_me_0123456789';

function world(gh = SECRET): {
  sb: Sandbox;
  plans: () => ReturnType<typeof buildPlans>;
  state: (token?: string) => ReturnType<typeof loadDesired>;
} {
  const sb = sandbox({ 'mcp.yaml': YAML });
  writeJson(sb.claudeConfig, { mcpServers: { memory: { command: 'node', args: ['old.js'] }, mine: { command: 'x' } } });
  const state = (token = gh) =>
    loadDesired(sb.path('mcp.yaml'), {
      clients: clientCatalog,
      world: testWorld({ env: { GH: token }, cwd: sb.path('') }),
    });
  return { sb, state, plans: () => buildPlans(state(), sb.world) };
}
const doc = (targets: ReturnType<typeof buildPlans>, state: ReturnType<typeof loadDesired>) =>
  renderPlanJson(
    targets.map((t) => t.plan),
    {
      version: '1.2.3',
      file: state.file,
      sourceHash: state.sourceHash,
      environment: state.environment,
      salt: SALT,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  );

describe('renderPlanText', () => {
  it('Terraform-like: create, adopt with the field changes, unmanaged entries listed, the summary line; secrets masked', async () => {
    const { plans } = world();
    const text = await renderPlanText(
      plans().map((t) => t.plan),
      createColors(false),
    );
    expect(text).toContain('+ github');
    expect(text).toMatch(/adopt.*memory|memory.*adopt/);
    expect(text).toContain('mine');
    expect(text).toContain('(sensitive)');
    expect(text).not.toContain(SECRET);
    expect(text).toMatch(/Plan: 1 to add, 1 to change, 0 to remove\.$/m);
  });
});

describe('renderPlanJson sealing and verifySavedPlan', () => {
  it('seals every secret (no value, no fast hash), and the same world verifies', () => {
    const { plans, state } = world();
    const saved = doc(plans(), state());
    const text = JSON.stringify(saved);
    expect(text).not.toContain(SECRET);
    expect(text).toMatch(/"hash":"scrypt:[0-9a-f]{64}"/);
    expect(() => verifySavedPlan(saved, state(), plans(), '1.2.3')).not.toThrow();
  });

  it.each([
    ['the live file changed', 'STALE_PLAN', (sb: Sandbox) => writeJson(sb.claudeConfig, { mcpServers: {} })],
    [
      'mcp.yaml changed',
      'STALE_PLAN',
      (sb: Sandbox) => writeFileSync(sb.path('mcp.yaml'), YAML.replace('LOG_LEVEL: info', 'LOG_LEVEL: warn')),
    ],
  ])('refuses when %s: %s', (_what, code, change) => {
    const { sb, plans, state } = world();
    const saved = doc(plans(), state());
    change(sb);
    expect(() => verifySavedPlan(saved, state(), plans(), '1.2.3')).toThrow(
      expect.objectContaining({ code }) as unknown as Error,
    );
  });

  it('says SECRET_CHANGED when only a secret value differs', () => {
    const { sb, plans, state } = world();
    const saved = doc(plans(), state());
    const other = state('ghp_another_value_9876543210');
    let err: unknown;
    try {
      verifySavedPlan(saved, other, buildPlans(other, sb.world), '1.2.3');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(McpformError);
    expect((err as McpformError).code).toBe('SECRET_CHANGED');
    expect((err as McpformError).message).not.toContain('ghp_');
  });
});
