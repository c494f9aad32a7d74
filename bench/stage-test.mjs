// test: 8 real MCP servers checked together vs one after another (MCPFORM_TEST_CONCURRENCY=1).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function ({ row, work, cli, env, root }) {
  const mcp = join(root, 'node_modules', '@modelcontextprotocol');
  const dir = join(work, 'fs');
  mkdirSync(dir, { recursive: true });
  const servers = [
    ['memory1', 'server-memory', []], ['memory2', 'server-memory', []], ['memory3', 'server-memory', []],
    ['everything1', 'server-everything', ['stdio']], ['everything2', 'server-everything', ['stdio']], ['everything3', 'server-everything', ['stdio']],
    ['filesystem1', 'server-filesystem', [dir]], ['filesystem2', 'server-filesystem', [dir]],
  ];
  const yaml = ['version: 1', 'servers:', ...servers.flatMap(([name, pkg, args]) => [`  ${name}:`, '    command: node', `    args: ${JSON.stringify([join(mcp, pkg, 'dist', 'index.js'), ...args])}`, `    env: { MEMORY_FILE_PATH: "${join(work, name)}.jsonl" }`])].join('\n');
  const file = join(work, 'test8.mcp.yaml');
  writeFileSync(file, `${yaml}\n`);
  const run = (extra) => {
    const samples = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, 'test', '-f', file], { env: { ...env, ...extra }, encoding: 'utf8' });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) throw new Error(`mcpform test failed: ${r.stdout}${r.stderr}`);
    }
    return samples.sort((a, b) => a - b)[2];
  };
  const seq = run({ MCPFORM_TEST_CONCURRENCY: '1' });
  const par = run({});
  row('test 8 real servers, one after another', seq);
  row('test 8 real servers, together', par, `${(par / seq).toFixed(2)}x sequential (aim <= 0.5)`);
}
