// Codex CLI: `codex mcp add NAME [--env K=V] -- CMD ARGS` / `--url URL`, and `codex mcp list
// --json`, which reads config.toml as Codex runs it but connects to nothing (no health column).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';

export default {
  target: 'codex',
  package: '@openai/codex',
  bin: 'codex',
  remote: true,
  health: false,

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', name, '--url', server.url]);
    const env = Object.entries(server.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    return sb.run(bin, ['mcp', 'add', name, ...env, '--', server.command, ...server.args]);
  },

  read(sb, bin, names) {
    const r = sb.run(bin, ['mcp', 'list', '--json']);
    if (r.code !== 0) return {};
    const found = {};
    for (const { name, transport: t } of JSON.parse(r.stdout)) {
      if (!names.includes(name)) continue;
      found[name] =
        t.type === 'stdio'
          ? { command: t.command, args: t.args, ...(t.env ? { env: t.env } : {}) }
          : { url: t.url, type: t.type };
    }
    return found;
  },

  raw: (sb) => parse(readFileSync(join(sb.home, '.codex', 'config.toml'), 'utf8')).mcp_servers ?? {},
};
