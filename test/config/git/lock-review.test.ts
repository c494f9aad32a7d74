import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, sandbox } from '../../helpers.js';
import { SERVERS } from '../../servers.js';
import { gitEnv, makeRepo } from './repo-fixture.js';

const memory = `  memory:\n    command: node\n    args: ["${SERVERS.memory}"]\n`;
// A server that leaves a mark when it starts, then is the memory server.
const marking = (marker: string) =>
  `  notes:\n    command: node\n    args: ["-e", "require('fs').writeFileSync(process.argv[1], 'ran'); import(process.argv[2])", "${marker}", "${SERVERS.memory}"]\n`;

function setup() {
  const sb = sandbox();
  const env = gitEnv(sb);
  const repo = makeRepo(sb, 'team', { 'base.mcp.yaml': `version: 1\nservers:\n${memory}` });
  repo.git('tag', 'v1');
  sb.write(
    'mcp.yaml',
    `version: 1\nimports:\n  - { git: "${repo.url}", ref: v1, path: base.mcp.yaml }\nservers:\n  mine: { command: node, args: ["${SERVERS.memory}"] }\n`,
  );
  const cli = (...args: string[]) => runCli(args, { cwd: sb.path(''), env });
  return { sb, env, repo, cli, key: `${repo.url}#base.mcp.yaml`, marker: join(sb.dir, 'notes-ran') };
}

// util-linux `script` gives the command a terminal, and passes it what we type.
const hasScript = spawnSync('script', ['--version']).status === 0;
const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
function typeInto(args: string[], answer: string, cwd: string, env: NodeJS.ProcessEnv) {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd,
    env,
    input: answer,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('lock --update IMPORT: the review comes before anything of the new profile runs', () => {
  it('shows the diff summary and what would start; without a terminal or --yes it runs and writes nothing', async () => {
    const { sb, repo, cli, key, marker } = setup();
    expect((await cli('lock')).code).toBe(0);
    const lockBefore = readFileSync(sb.path('mcp.lock'), 'utf8');
    const first = repo.git('rev-parse', 'HEAD');
    const second = repo.commit({ 'base.mcp.yaml': `version: 1\nservers:\n${memory}${marking(marker)}` });
    repo.git('tag', '-f', 'v1');

    const refused = await cli('lock', '--update', key);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('stdin is not a terminal');
    expect(refused.stderr).toContain('--yes');
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toBe(lockBefore);
    // The review, printed before the refusal: what moved, the diff summary, what would run.
    expect(refused.stdout).toContain(
      `moved ${key}: 'v1' ${first.slice(0, 12)} -> ${second.slice(0, 12)}\n  + notes: added\n`,
    );
    expect(refused.stdout).toContain('\n  base.mcp.yaml | 3 +++\n  1 file changed, 3 insertions(+)\n');
    expect(refused.stdout).toContain(
      `What environment 'default' would start:\n  + notes: new, runs ["node", "-e", "require('fs').writeFileSync(process.argv[1], 'ran'); import(process.argv[2])", "${marker}", "${SERVERS.memory}"]\n`,
    );

    const accepted = await cli('lock', '--update', key, '--yes');
    expect(accepted.stderr).not.toContain('Error');
    expect(accepted.code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('ran');
    expect(accepted.stdout).toContain('recorded the tools of notes');
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toContain(`commit: ${second}`);
  });

  it('an update that overrides a local server is refused at the profile line; nothing runs or is written', async () => {
    const { sb, repo, cli, key, marker } = setup();
    expect((await cli('lock')).code).toBe(0);
    const lockBefore = readFileSync(sb.path('mcp.lock'), 'utf8');
    repo.commit({
      'base.mcp.yaml': `version: 1\nservers:\n${memory}environments:\n  default:\n    overrides:\n      mine: { args: ["-e", "require('fs').writeFileSync('${marker}', 'ran')"] }\n`,
    });
    repo.git('tag', '-f', 'v1');
    const r = await cli('lock', '--update', key, '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${repo.url}@v1:base.mcp.yaml:9:7 environment 'default' overrides server 'mine', which mcp.yaml:5:3 defines`,
    );
    expect(r.stdout).not.toContain('no server changed');
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toBe(lockBefore);
  });

  it('a change in an override of the profile’s own server is named, though its servers map did not change', async () => {
    const { repo, cli, key } = setup();
    expect((await cli('lock')).code).toBe(0);
    repo.commit({
      'base.mcp.yaml': `version: 1\nservers:\n${memory}environments:\n  default:\n    servers: [memory, mine]\n    overrides:\n      memory: { args: ["/tmp/other.js"] }\n`,
    });
    repo.git('tag', '-f', 'v1');
    const r = await cli('lock', '--update', key);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  no server changed');
    expect(r.stdout).toContain(
      `What environment 'default' would start:\n  ~ memory: args changed, runs ["node", "/tmp/other.js"]\n`,
    );
  });

  it.skipIf(!hasScript)('on a terminal it asks: anything but yes runs and writes nothing; yes goes on', async () => {
    const { sb, env, repo, cli, key, marker } = setup();
    expect((await cli('lock')).code).toBe(0);
    const lockBefore = readFileSync(sb.path('mcp.lock'), 'utf8');
    repo.commit({ 'base.mcp.yaml': `version: 1\nservers:\n${memory}${marking(marker)}` });
    repo.git('tag', '-f', 'v1');

    const no = typeInto(['lock', '--update', key], 'no\n', sb.path(''), env);
    expect(no.stdout).toContain('+ notes: new, runs');
    expect(no.stdout).toContain("Only 'yes' will be accepted");
    expect(no.stdout).toContain('cancelled; nothing was changed');
    expect(no.status).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toBe(lockBefore);

    const yes = typeInto(['lock', '--update', key], 'yes\n', sb.path(''), env);
    expect(yes.stdout).toContain('recorded the tools of notes');
    expect(yes.status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('ran');
  });
});
