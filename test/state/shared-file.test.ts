import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryHash } from '../../src/state/ownership.js';
import { runCli, sandbox, writeJson } from '../helpers.js';
import { SERVERS } from '../servers.js';

const server = (name: string) =>
  `  ${name}:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(SERVERS.memory)}]\n`;

describe('several projects share one Claude Desktop file', () => {
  it('dotfiles and a fresh project: each changes only its own entries, --prune included; same name = conflict', async () => {
    const sb = sandbox();
    writeJson(sb.claudeConfig, { mcpServers: { 'hand-made': { command: '/usr/local/bin/mine' } } });
    mkdirSync(join(sb.dir, 'dotfiles'));
    mkdirSync(join(sb.dir, 'fresh'));
    // Owners are recorded by real path (a dotfiles repo behind a symlink is one project).
    const dotfiles = realpathSync(join(sb.dir, 'dotfiles'));
    const fresh = realpathSync(join(sb.dir, 'fresh'));
    const cli = (cwd: string, ...args: string[]) => runCli(args, { cwd, env: sb.env });
    sb.write('../dotfiles/mcp.yaml', `version: 1\nservers:\n${server('notes')}${server('github')}`);
    const applied = await cli(dotfiles, 'apply', '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    const afterDotfiles = readFileSync(sb.claudeConfig);

    // mkdir fresh && cd fresh && mcpform init && mcpform plan
    expect((await cli(fresh, 'init')).code).toBe(0);
    for (const flags of [[], ['--prune']]) {
      const plan = await cli(fresh, 'plan', ...flags);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).not.toMatch(/- (notes|github) +will be removed/);
      expect(plan.stdout).toContain(
        `Managed by ${join(dotfiles, 'mcp.yaml')} (left alone, --prune included): notes, github`,
      );
      expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, [01] to remove\./); // memory; --prune: hand-made
      const json = JSON.parse((await cli(fresh, 'plan', '--json', ...flags)).stdout);
      expect(json.targets[0].managedElsewhere).toEqual([
        { server: 'notes', owner: join(dotfiles, 'mcp.yaml') },
        { server: 'github', owner: join(dotfiles, 'mcp.yaml') },
      ]);
    }

    // A second project declaring one of the dotfiles' names: a clear conflict, nothing written.
    sb.write('../fresh/mcp.yaml', `version: 1\nservers:\n${server('github')}${server('mine')}`);
    for (const args of [['plan'], ['apply', '--yes']]) {
      const r = await cli(fresh, ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(join(fresh, 'mcp.yaml'));
      expect(r.stderr).toContain(`'github' (managed by ${join(dotfiles, 'mcp.yaml')})`);
      expect(readFileSync(sb.claudeConfig).equals(afterDotfiles)).toBe(true);
    }

    // Its own servers: applied (with --prune) next to the dotfiles' ones, which stay as they were.
    sb.write('../fresh/mcp.yaml', `version: 1\nservers:\n${server('mine')}`);
    const own = await cli(fresh, 'apply', '--yes', '--prune');
    expect(own.code, own.stderr).toBe(0);
    const entries = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers;
    expect(Object.keys(entries)).toEqual(['notes', 'github', 'mine']);
    const back = await cli(dotfiles, 'plan', '--detailed-exitcode');
    expect(back.code, back.stdout).toBe(0);
    expect(back.stdout).toContain(`Managed by ${join(fresh, 'mcp.yaml')} (left alone, --prune included): mine`);
  });

  it('two projects applying at the same moment: both land, each owns its own', async () => {
    const sb = sandbox();
    const dirs = ['a', 'b'].map((n) => {
      mkdirSync(join(sb.dir, n));
      sb.write(`../${n}/mcp.yaml`, `version: 1\nservers:\n${server(`${n}1`)}${server(`${n}2`)}`);
      return realpathSync(join(sb.dir, n));
    });
    const runs = await Promise.all(dirs.map((cwd) => runCli(['apply', '--yes'], { cwd, env: sb.env })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers).sort()).toEqual([
      'a1',
      'a2',
      'b1',
      'b2',
    ]);
    for (const [i, cwd] of dirs.entries()) {
      const plan = await runCli(['plan', '--detailed-exitcode'], { cwd, env: sb.env });
      expect(plan.code, plan.stdout).toBe(0);
      const other = dirs[1 - i]!;
      expect(plan.stdout).toContain(`Managed by ${join(other, 'mcp.yaml')}`);
    }
  });

  it('upgrading: a record without owners makes no project remove the servers of another', async () => {
    const sb = sandbox();
    mkdirSync(join(sb.dir, 'dotfiles'));
    mkdirSync(join(sb.dir, 'fresh'));
    const dotfiles = realpathSync(join(sb.dir, 'dotfiles'));
    const fresh = realpathSync(join(sb.dir, 'fresh'));
    sb.write('../dotfiles/mcp.yaml', `version: 1\nservers:\n${server('notes')}`);
    expect((await runCli(['apply', '--yes'], { cwd: dotfiles, env: sb.env })).code).toBe(0);
    // What an earlier mcpform left: the same record in format 1 (no owners, plain sha256).
    const dir = join(sb.stateDir, 'targets');
    const file = join(dir, readdirSync(dir)[0]!);
    const v2 = JSON.parse(readFileSync(file, 'utf8'));
    const entry = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers.notes;
    writeFileSync(
      file,
      JSON.stringify({
        formatVersion: 1,
        target: v2.target,
        path: v2.path,
        servers: { notes: { hash: entryHash(entry), appliedAt: 'then', environment: 'default' } },
      }),
    );
    sb.write('../fresh/mcp.yaml', `version: 1\nservers:\n${server('mine')}`);
    const plan = await runCli(['plan'], { cwd: fresh, env: sb.env });
    expect(plan.stdout).not.toContain('will be removed');
    expect(plan.stdout).toMatch(/Unmanaged servers .*: notes/);
    // The project that declares it takes it over without a change; then fresh sees its owner.
    const adopt = await runCli(['plan', '--detailed-exitcode'], { cwd: dotfiles, env: sb.env });
    expect(adopt.code, adopt.stdout).toBe(0);
    expect(adopt.stdout).toContain('Will adopt');
    const before = readFileSync(sb.claudeConfig);
    expect((await runCli(['apply', '--yes'], { cwd: dotfiles, env: sb.env })).code).toBe(0);
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('"sha256:');
    const after = await runCli(['plan'], { cwd: fresh, env: sb.env });
    expect(after.stdout).toContain(`Managed by ${join(dotfiles, 'mcp.yaml')} (left alone, --prune included): notes`);
  });
});
