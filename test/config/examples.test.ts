import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { runInProcess } from '../cli/run-in-process.js';

function findExamples(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return findExamples(p);
    return n === 'mcp.yaml' ? [relative(ROOT, p)] : [];
  });
}

const examples = findExamples(join(ROOT, 'examples'));

describe('examples/', () => {
  it('covers the scenarios users meet', () => {
    for (const name of [
      'simple',
      'development',
      'production',
      'python-venv',
      'authenticated',
      'team/frontend',
      'team/oncall',
    ]) {
      expect(examples).toContain(join('examples', name, 'mcp.yaml'));
    }
  });

  it.each(examples)('%s validates (exit 0)', async (file) => {
    const r = await runInProcess(['validate', '-f', file], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is valid');
  });

  it('the project mcp.yaml validates', async () => {
    const r = await runInProcess(['validate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home' },
    });
    expect(r.code, r.stderr).toBe(0);
  });
});
