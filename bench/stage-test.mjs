// test: 8 real MCP servers checked together vs one after another (MCPFORM_TEST_CONCURRENCY=1).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export default async function ({ row, work, cli, env, root }) {
  const mcp = join(root, 'node_modules', '@modelcontextprotocol');
  const dir = join(work, 'fs');
  mkdirSync(dir, { recursive: true });
  const servers = [
    ['memory1', 'server-memory', []],
    ['memory2', 'server-memory', []],
    ['memory3', 'server-memory', []],
    ['everything1', 'server-everything', ['stdio']],
    ['everything2', 'server-everything', ['stdio']],
    ['everything3', 'server-everything', ['stdio']],
    ['filesystem1', 'server-filesystem', [dir]],
    ['filesystem2', 'server-filesystem', [dir]],
  ];
  const yaml = [
    'version: 1',
    'servers:',
    ...servers.flatMap(([name, pkg, args]) => [
      `  ${name}:`,
      '    command: node',
      `    args: ${JSON.stringify([join(mcp, pkg, 'dist', 'index.js'), ...args])}`,
      `    env: { MEMORY_FILE_PATH: "${join(work, name)}.jsonl" }`,
    ]),
  ].join('\n');
  const file = join(work, 'test8.mcp.yaml');
  writeFileSync(file, `${yaml}\n`);
  const run = (extra, args = []) => {
    const samples = [];
    const cpu = [];
    for (let i = 0; i < 5; i++) {
      const c0 = childCpuMs();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, 'test', '-f', file, ...args], {
        env: { ...env, ...extra },
        encoding: 'utf8',
      });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      cpu.push(childCpuMs() - c0);
      if (r.status !== 0) throw new Error(`mcpform test failed: ${r.stdout}${r.stderr}`);
    }
    return { ms: samples.sort((a, b) => a - b)[2], cpu: cpu.sort((a, b) => a - b)[2] };
  };
  const seq = run({ MCPFORM_TEST_CONCURRENCY: '1' });
  const par = run({});
  // The same checks as 8 separate invocations, as a script checking one server at a time would.
  let separate = 0;
  for (const [name] of servers) separate += run({}, [name]).ms;
  row('test 8 real servers, one after another', seq.ms);
  row('test 8 real servers, 8 separate runs', separate);
  row(
    'test 8 real servers, together',
    par.ms,
    `${(par.ms / seq.ms).toFixed(2)}x one after another, ${(par.ms / separate).toFixed(2)}x separate runs (aim <= 0.5)`,
  );
  if (par.cpu > 0) {
    const cores = availableParallelism();
    row(
      '  CPU time of the run together (all processes)',
      par.cpu,
      `floor on ${cores} cores: ${(par.cpu / cores).toFixed(0)} ms = ${(par.cpu / cores / seq.ms).toFixed(2)}x one after another`,
    );
  }
}

/** CPU time of this process's waited-for children so far (Linux /proc), in ms; 0 elsewhere. */
function childCpuMs() {
  if (!existsSync('/proc/self/stat')) return 0;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // Fields 16 and 17 (cutime, cstime), counted from 3 after the ") ", in clock ticks (100 Hz).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}
