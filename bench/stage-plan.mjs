// plan: cold `mcpform plan` against a live Claude Desktop file holding the same servers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function ({ time, row, node0, work, cli, env, generate }) {
  for (const n of [10, 1000, 2000]) {
    const f = join(work, `plan${n}.mcp.yaml`);
    writeFileSync(f, generate(n, 10));
    // Half the servers already present (and a few hand-made ones) so the plan has work to do.
    const servers = {};
    for (let i = 0; i < n; i += 2) servers[`server${i}`] = { command: 'npx', args: ['-y', `@example/server-${i}`] };
    for (let i = 0; i < 5; i++) servers[`hand${i}`] = { command: 'x' };
    writeFileSync(env.MCPFORM_CLAUDE_DESKTOP_CONFIG, JSON.stringify({ mcpServers: servers }));
    row(`plan ${n} servers x 10 envs`, time([cli, 'plan', '-f', f], { runs: n > 10 ? 5 : 15 }), node0);
  }
}
