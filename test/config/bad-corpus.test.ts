import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProject } from '../../src/config/load.js';
import { McpformError } from '../../src/errors.js';
import { FIXTURES, sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';
import { runInProcess } from '../cli/run-in-process.js';

const BAD = join(FIXTURES, 'bad');
const cases = readdirSync(BAD)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.part.yaml'))
  .map((f) => {
    // First line: `# expect: [FILE:]LINE:COL text`
    const m = /^# expect: (?:(\S+\.yaml):)?(\d+):(\d+) ?(.*)$/.exec(readFileSync(join(BAD, f), 'utf8').split('\n')[0]!);
    if (!m) throw new Error(`${f}: first line must be '# expect: LINE:COL text'`);
    return { file: f, where: `${m[1] ?? f}:${m[2]}:${m[3]}`, text: m[4]! };
  });

describe('malformed mcp.yaml corpus', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('$file fails with a located message', ({ file, where, text }) => {
    let err: unknown;
    try {
      validateProject(join(BAD, file), { clients: clientCatalog, world: testWorld({ env: {}, cwd: BAD }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(McpformError);
    const lines = (err as McpformError).problems.map(
      (p) => `${p.location?.file}:${p.location?.line}:${p.location?.col} ${p.message}`,
    );
    expect(
      lines.some((l) => l.startsWith(`${where} `) && l.includes(text)),
      lines.join('\n'),
    ).toBe(true);
  });

  it('the CLI exits 1 with file:line:col and no stack trace, for every case', async () => {
    for (const c of cases) {
      const r = await runInProcess(['validate', '-f', c.file], { cwd: BAD, env: { PATH: process.env.PATH } });
      expect(r.code, c.file).toBe(1);
      expect(r.stderr, c.file).toContain(`${c.where} `);
      expect(r.stderr, c.file).not.toMatch(/\n\s+at /);
      expect(r.stdout, c.file).toBe('');
    }
  });

  it('10 MB of junk is refused quickly, without reading it as YAML', async () => {
    const sb = sandbox();
    const junk = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 251;
    writeFileSync(sb.path('mcp.yaml'), junk);
    const r = await runInProcess(['validate'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mcp\.yaml:1:1 .*over 1 MiB/);
  });

  it('binary junk under the size limit gets a located parse error', async () => {
    const sb = sandbox();
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) % 256));
    writeFileSync(sb.path('mcp.yaml'), junk);
    const r = await runInProcess(['validate'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mcp\.yaml:\d+:\d+ /);
    expect(r.stderr).not.toContain('Internal error');
  });

  it('a stack trace appears only with MCPFORM_DEBUG=1', async () => {
    const r = await runInProcess(['validate', '-f', '04-typo-command.yaml'], {
      cwd: BAD,
      env: { PATH: process.env.PATH, MCPFORM_DEBUG: '1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
