// GitHub Copilot CLI: `copilot mcp add NAME [--env K=V] -- CMD ARGS` / `--transport http NAME
// URL`, and `copilot mcp get NAME --json --show-secrets`, which prints the entry as Copilot
// reads it (it connects to nothing: its Status is enabled or disabled).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export default {
  target: 'copilot',
  package: '@github/copilot',
  bin: 'copilot',
  remote: true,
  health: false,

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', '--transport', 'http', name, server.url]);
    const env = Object.entries(server.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    return sb.run(bin, ['mcp', 'add', name, ...env, '--', server.command, ...server.args]);
  },

  read(sb, bin, names) {
    const found = {};
    for (const name of names) {
      const r = sb.run(bin, ['mcp', 'get', name, '--json', '--show-secrets']);
      if (r.code !== 0) continue;
      const entry = JSON.parse(r.stdout)[name];
      if (entry?.enabled) found[name] = entry;
    }
    return found;
  },

  raw: (sb) => JSON.parse(readFileSync(join(sb.home, '.copilot', 'mcp-config.json'), 'utf8')).mcpServers ?? {},
};
