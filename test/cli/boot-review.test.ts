import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checksum } from '../../src/cli/checksum.js';
import { ROOT, runCli } from '../helpers.js';
import { entries, project } from './cache-project.js';

/**
 * Review of the Node 20 compile cache (cli/boot.ts): entries that are not what boot wrote
 * must only ever be a miss: never a hang, never a leak, never someone else's code.
 */
const programEntry = (sb: { cache: string }) => {
  const name = entries(sb.cache).find((f) => f.startsWith('program.cjs-') && f.endsWith('.bin'));
  if (!name) throw new Error('no program.cjs entry');
  return join(sb.cache, name);
};

describe('the compile cache, against entries it did not write', () => {
  it('a FIFO at an entry path is a miss, not a hang', async () => {
    const sb = project();
    const expected = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    const entry = programEntry(sb);
    rmSync(entry);
    execFileSync('mkfifo', [entry]);
    const r = await runCli(['validate'], { cwd: sb.path(''), env: sb.env, timeoutMs: 10_000 });
    expect(r.signal).toBeNull();
    expect(r).toEqual(expected);
  }, 20_000);

  it('a symlink to /dev/zero at an entry path is a miss, not a hang', async () => {
    const sb = project();
    const expected = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    const entry = programEntry(sb);
    rmSync(entry);
    symlinkSync('/dev/zero', entry);
    const r = await runCli(['validate'], { cwd: sb.path(''), env: sb.env, timeoutMs: 10_000 });
    expect(r.signal).toBeNull();
    expect(r).toEqual(expected);
  }, 20_000);

  it('a save that cannot be renamed into place leaves no temp file behind', async () => {
    const sb = project();
    await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    const entry = programEntry(sb);
    rmSync(entry);
    mkdirSync(entry); // rename(tmp, entry) fails with EISDIR
    for (let i = 0; i < 3; i++) expect((await runCli(['validate'], { cwd: sb.path(''), env: sb.env })).code).toBe(0);
    expect(entries(sb.cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a bundle edited in place (same length) runs as edited, not from the stale cache', async () => {
    const sb = project();
    const install = join(sb.dir, 'install');
    cpSync(join(ROOT, 'dist'), join(install, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(install, 'node_modules'));
    const cli = join(install, 'dist', 'cli', 'main.cjs');
    const run = () =>
      execFileSync(process.execPath, [cli, 'plan'], { cwd: sb.path(''), env: sb.env, encoding: 'utf8' });
    expect(run()).toContain('will be created');
    const bundle = join(install, 'dist', 'cli', 'commands', 'plan.cjs');
    writeFileSync(bundle, readFileSync(bundle, 'latin1').replaceAll('will be created', 'will be ADDED!!'), 'latin1');
    expect(run()).toContain('will be ADDED!!');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'an entry another user planted (same-length source, valid checksum) is not run',
    async () => {
      const sb = project();
      await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
      const entry = programEntry(sb);
      const file = join(ROOT, 'dist', 'cli', 'program.cjs');
      const real = readFileSync(file, 'latin1');
      const banner = real.slice(0, real.indexOf('\n'));
      const evil = "var __mcpformImportMetaUrl=require('url').pathToFileURL(__filename).href;console.error('PWNED')";
      expect(evil.length).toBeLessThanOrEqual(banner.length);
      const forged = evil.padEnd(banner.length, ' ') + real.slice(banner.length);
      const data = new Script(`(function (exports, require, module, __filename, __dirname) {${forged}\n})`, {
        filename: file,
      }).createCachedData();
      // boot's header (src/cli/boot.ts): checksum, then the size and mtime of the bundle.
      const header = Buffer.alloc(16);
      header.writeUInt32LE(checksum(data), 0);
      header.writeUInt32LE(statSync(file).size, 4);
      header.writeDoubleLE(statSync(file).mtimeMs, 8);
      writeFileSync(entry, Buffer.concat([header, data]));
      // The forgery is good: owned by the user, it would run (a user may tamper with their own cache).
      expect((await runCli(['validate'], { cwd: sb.path(''), env: sb.env })).stderr).toContain('PWNED');
      writeFileSync(entry, Buffer.concat([header, data]));
      chownSync(entry, 65534, 65534); // nobody's
      const r = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('PWNED');
      // Nor from a dir another user can write.
      writeFileSync(entry, Buffer.concat([header, data])); // ours again, forged again
      chmodSync(sb.cache, 0o777);
      const shared = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
      expect(shared.stderr).not.toContain('PWNED');
      chmodSync(sb.cache, 0o700);
    },
  );
});
