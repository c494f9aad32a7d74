import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { entries, project, YAML } from './cache-project.js';

/**
 * dist/cli/main.cjs (src/cli/boot.ts) runs the everyday bundles through V8's code cache on
 * Node 20. A cache is only ever a speed-up: a missing, corrupt, stale or unwritable one must
 * give the same output and exit code, and never a stack trace.
 */

describe('the compile cache (ours, in the cache dir)', () => {
  it('a first run saves one entry per bundle it loaded; the next run reads them and gives the same output', async () => {
    const sb = project();
    const first = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(first.code).toBe(0);
    const saved = entries(sb.cache);
    expect(saved).toHaveLength(2);
    expect(saved[0]).toMatch(/^commands-plan\.cjs-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin$/);
    expect(saved[1]).toMatch(/^program\.cjs-[0-9a-f]{16}-/);
    for (const f of saved) expect(statSync(join(sb.cache, f)).mode & 0o777).toBe(0o600);
    const mtimes = saved.map((f) => statSync(join(sb.cache, f)).mtimeMs);

    const second = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(second).toEqual(first);
    // A hit is not written again.
    expect(saved.map((f) => statSync(join(sb.cache, f)).mtimeMs)).toEqual(mtimes);
  });

  it.each([
    ['garbage', () => Buffer.from('not a code cache at all\n'.repeat(100))],
    ['an empty file', () => Buffer.alloc(0)],
    ['a truncated cache', (real: Buffer) => real.subarray(0, real.length >> 1)],
    ['flipped bytes', (real: Buffer) => Buffer.from(real.map((b, i) => (i % 97 === 50 ? b ^ 0xff : b)))],
  ])('%s in place of an entry: the same output, and the entry is rewritten', async (_, corrupt) => {
    const sb = project();
    const good = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    for (const f of entries(sb.cache)) writeFileSync(join(sb.cache, f), corrupt(readFileSync(join(sb.cache, f))));
    const again = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(again).toEqual(good);
    const third = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(third).toEqual(good);
    for (const f of entries(sb.cache)) expect(readFileSync(join(sb.cache, f)).length).toBeGreaterThan(1000);
  });

  it("another build's entries go when a week old (two installs in use keep theirs), a dead run's temp file after a minute", async () => {
    const sb = project();
    mkdirSync(sb.cache, { recursive: true, mode: 0o700 });
    const put = (name: string, ageMs: number) => {
      writeFileSync(join(sb.cache, name), 'from another mcpform');
      const t = (Date.now() - ageMs) / 1000;
      utimesSync(join(sb.cache, name), t, t);
    };
    const day = 24 * 3600 * 1000;
    put('commands-plan.cjs-0123456789abcdef-v20.0.0-x64.bin', 8 * day);
    put('commands-plan.cjs-fedcba9876543210-v20.20.2-x64.bin', 1 * day);
    put('commands-plan.cjs-0123456789abcdef-v20.0.0-x64.bin.4242.tmp', 5 * 60_000);
    put('commands-validate.cjs-0123456789abcdef-v20.0.0-x64.bin', 30 * day); // not loaded: not looked at
    expect((await runCli(['plan'], { cwd: sb.path(''), env: sb.env })).code).toBe(0);
    const now = entries(sb.cache);
    expect(now).not.toContain('commands-plan.cjs-0123456789abcdef-v20.0.0-x64.bin');
    expect(now).not.toContain('commands-plan.cjs-0123456789abcdef-v20.0.0-x64.bin.4242.tmp');
    expect(now).toContain('commands-plan.cjs-fedcba9876543210-v20.20.2-x64.bin');
    expect(now).toContain('commands-validate.cjs-0123456789abcdef-v20.0.0-x64.bin');
    expect(now.filter((f) => f.startsWith('commands-plan.cjs-'))).toHaveLength(2);
  });

  it('an unusable cache dir (a file, or read-only) changes nothing but the speed', async () => {
    const sb = project();
    const expected = await runCli(['validate'], {
      cwd: sb.path(''),
      env: { ...sb.env, MCPFORM_NO_COMPILE_CACHE: '1' },
    });
    expect(expected.code).toBe(0);
    writeFileSync(sb.path('not-a-dir'), 'x');
    const onFile = await runCli(['validate'], {
      cwd: sb.path(''),
      env: { ...sb.env, MCPFORM_CACHE_DIR: sb.path('not-a-dir') },
    });
    expect(onFile).toEqual(expected);
    const ro = sb.path('ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const readOnly = await runCli(['validate'], { cwd: sb.path(''), env: { ...sb.env, MCPFORM_CACHE_DIR: ro } });
    chmodSync(ro, 0o700);
    expect(readOnly).toEqual(expected);
  });

  it('MCPFORM_NO_COMPILE_CACHE=1 (or NODE_DISABLE_COMPILE_CACHE) writes no cache', async () => {
    const sb = project();
    for (const v of ['MCPFORM_NO_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) {
      const r = await runCli(['plan'], { cwd: sb.path(''), env: { ...sb.env, [v]: '1' } });
      expect(r.code).toBe(0);
      expect(entries(sb.cache)).toEqual([]);
    }
  });

  it('a failing command from a cached bundle still reports located errors, no stack trace', async () => {
    const sb = project();
    sb.write('mcp.yaml', 'version: 1\nservers:\n  memory:\n    comand: npx\n');
    const first = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    const cached = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(cached).toEqual(first);
    expect(cached.code).toBe(1);
    expect(cached.stderr).toMatch(/mcp\.yaml:4:5/);
    expect(cached.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('output is written to the descriptors (cli/output.ts)', () => {
  it('a reader that waits still gets every byte of a large document, in order', async () => {
    const servers = Array.from(
      { length: 1500 },
      (_, i) => `  s${i}:\n    command: npx\n    args: ["-y", "pkg-${i}"]\n`,
    );
    const sb = sandbox({ 'mcp.yaml': `version: 1\nservers:\n${servers.join('')}` });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const child = spawn(process.execPath, [CLI, 'plan', '--json'], { cwd: sb.path(''), env: sb.env });
    // Nothing is read for a while: the pipe fills (64 KiB) and the writer has to wait.
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 500));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.length).toBeGreaterThan(256 * 1024);
    const doc = JSON.parse(text) as { targets: { changes: unknown[] }[] };
    expect(doc.targets[0]!.changes).toHaveLength(1500);
  });

  it('stdout and stderr keep the order they were written in (one descriptor for both)', async () => {
    const sb = project();
    sb.write('mcp.yaml', `${YAML}  broken:\n    command: npx\n    env: { TOKEN: "\${UNSET_FOR_ORDER_TEST}" }\n`);
    const child = spawn('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" plan 2>&1`], {
      cwd: sb.path(''),
      env: sb.env,
    });
    let both = '';
    child.stdout.on('data', (d) => (both += d));
    await new Promise((r) => child.on('close', r));
    expect(both).toMatch(/UNSET_FOR_ORDER_TEST/);
    expect(both.trim().split('\n').at(-1)).toMatch(/Hint|UNSET_FOR_ORDER_TEST|Error/);
  });
});

describe('the parse cache, end to end (config/parse-cache.ts)', () => {
  const yamlDir = (sb: Sandbox) => join(sb.home, '.cache', 'mcpform', 'yaml');

  it('the second run reads mcp.yaml from the cache, with the same output; an edit of the same length is read anew', async () => {
    const sb = project();
    const first = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(entries(yamlDir(sb))).toHaveLength(1);
    expect(await runCli(['plan'], { cwd: sb.path(''), env: sb.env })).toEqual(first);
    sb.write('mcp.yaml', YAML.replace('server-memory', 'server-mem0ry'));
    const edited = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(edited.stdout).toContain('server-mem0ry');
    expect(edited.stdout).not.toContain('server-memory');
  });

  it('a schema error is located the same from a cached file (the document is parsed for the message)', async () => {
    const sb = project();
    sb.write('mcp.yaml', `${YAML}    colour: blue\n`);
    const first = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/mcp\.yaml:6:5/);
    expect(entries(yamlDir(sb))).toHaveLength(1); // valid YAML: kept, though the config is wrong
    expect(await runCli(['validate'], { cwd: sb.path(''), env: sb.env })).toEqual(first);
    expect(await runCli(['plan'], { cwd: sb.path(''), env: sb.env })).toMatchObject({ code: 1 });
  });

  it('MCPFORM_NO_CACHE=1 keeps nothing, neither parsed YAML nor compiled code', async () => {
    const sb = project();
    expect((await runCli(['plan'], { cwd: sb.path(''), env: { ...sb.env, MCPFORM_NO_CACHE: '1' } })).code).toBe(0);
    expect(existsSync(join(sb.home, '.cache', 'mcpform'))).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'an entry someone else wrote is not read (it would change the servers)',
    async () => {
      const sb = project();
      await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
      const [name] = entries(yamlDir(sb));
      const file = join(yamlDir(sb), name!);
      const forged = JSON.parse(readFileSync(file, 'utf8')) as { value: { servers: Record<string, unknown> } };
      forged.value.servers.evil = { command: 'curl', args: ['https://attacker.example'] };
      writeFileSync(file, JSON.stringify(forged));
      // The user's own entry is theirs to change (as their own mcp.yaml is).
      expect((await runCli(['plan'], { cwd: sb.path(''), env: sb.env })).stdout).toContain('evil');
      writeFileSync(file, JSON.stringify(forged));
      chownSync(file, 65534, 65534);
      expect((await runCli(['plan'], { cwd: sb.path(''), env: sb.env })).stdout).not.toContain('evil');
      writeFileSync(join(yamlDir(sb), name!), JSON.stringify(forged)); // ours again, forged again
      chmodSync(yamlDir(sb), 0o777);
      expect((await runCli(['plan'], { cwd: sb.path(''), env: sb.env })).stdout).not.toContain('evil');
    },
  );
});
