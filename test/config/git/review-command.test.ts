import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../../helpers.js';
import { SERVERS } from '../../servers.js';
import { gitEnv, makeRepo } from './repo-fixture.js';

/** A file name the profile chooses: pasted unquoted, it would run `touch pwned`. */
const NAME = "it's $(touch pwned) `touch pwned2`.mcp.yaml";

describe('the review command lock --update prints is safe to paste', () => {
  it('a profile file named $(touch pwned) stays a file name when the command runs in sh', async () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const server = (arg: string) =>
      `version: 1\nservers:\n  memory:\n    command: node\n    args: ["${SERVERS.memory}", "${arg}"]\n`;
    const repo = makeRepo(sb, 'team', {
      'base.mcp.yaml': `version: 1\nimports: ["${NAME.replace(/"/g, '\\"')}"]\n`,
      [NAME]: server('one'),
    });
    repo.git('tag', 'v1');
    sb.write('mcp.yaml', `version: 1\nimports:\n  - { git: "${repo.url}", ref: v1, path: base.mcp.yaml }\n`);
    const cli = (...args: string[]) => runCli(args, { cwd: sb.path(''), env });
    expect((await cli('plan')).code).toBe(0); // pins v1
    repo.commit({ [NAME]: server('two') });
    repo.git('tag', '-f', 'v1');

    const update = await cli('lock', '--update', 'base.mcp.yaml');
    const line = (update.stdout + update.stderr).split('\n').find((l) => l.startsWith('  review: '));
    expect(line, update.stdout + update.stderr).toBeDefined();
    const command = line!.slice('  review: '.length);

    const elsewhere = join(sb.dir, 'paste-here');
    mkdirSync(elsewhere);
    const diff = execFileSync('sh', ['-c', command], { cwd: elsewhere, env, encoding: 'utf8' });
    expect(existsSync(join(elsewhere, 'pwned'))).toBe(false);
    expect(existsSync(join(elsewhere, 'pwned2'))).toBe(false);
    // The file was named exactly: its change is in the diff.
    expect(diff).toContain(`+++ b/${NAME}`);
    expect(diff).toContain('+    args: ["' + SERVERS.memory + '", "two"]');
  });
});
