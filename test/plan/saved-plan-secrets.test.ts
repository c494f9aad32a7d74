import { createHash, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sealSecret } from '../../src/plan/render-json.js';
import { runCli, sandbox, writeJson } from '../helpers.js';

describe('secrets in a saved plan', () => {
  it('are sealed with scrypt (memory-hard), not a fast hash a 6-digit PIN falls to', () => {
    const salt = '0123456789abcdef0123456789abcdef';
    const { hash } = sealSecret('123456', salt);
    const fast = createHash('sha256').update(salt).update('\0').update('"123456"').digest('hex');
    expect(hash).not.toContain(fast);
    const slow = scryptSync('"123456"', `mcpform-plan:${salt}`, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 << 20 });
    expect(hash).toBe(`scrypt:${slow.toString('hex')}`);
    expect(sealSecret('123456', salt).hash).toBe(hash);
    expect(sealSecret('123457', salt).hash).not.toBe(hash);
  });

  it('plan --out holds no secret and no fast hash of it; apply FILE still verifies it', async () => {
    const sb = sandbox({
      'mcp.yaml':
        'version: 1\nservers:\n  bank:\n    command: node\n    args: ["srv.js"]\n    env: { PIN: "${PIN}" }\n',
    });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const cli = (args: string[], pin: string) =>
      runCli(args, { cwd: sb.path(''), env: { ...sb.env, PIN: pin }, timeoutMs: 60_000 });
    const plan = await cli(['plan', '--out', 'plan.json'], '483920');
    expect(plan.code, plan.stderr).toBe(0);
    const saved = readFileSync(sb.path('plan.json'), 'utf8');
    expect(saved).not.toContain('483920');
    expect(saved).toMatch(/"hash": "scrypt:[0-9a-f]{64}"/);
    expect(saved).not.toContain('sha256:' + createHash('sha256').update('483920').digest('hex'));

    const changed = await cli(['apply', 'plan.json', '--yes', '--no-test'], '111111');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('a secret value');
    const same = await cli(['apply', 'plan.json', '--yes', '--no-test'], '483920');
    expect(same.code, same.stderr).toBe(0);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toContain('483920');
  });
});
