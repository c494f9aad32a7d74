// Cline CLI: `cline mcp add --yes NAME -- CMD ARGS` / `--transport http NAME URL` (no env
// option, so no hand-made server with env). The CLI has no list or get and starts servers only
// in a model session: the one question it answers without a model is whether it finds a server
// by name, through `cline mcp remove NAME --json` ("uninstalled", or "not installed"), asked
// last since it edits the file. Fields and connections are not checked here (docs/clients-stage.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export default {
  target: 'cline',
  package: 'cline',
  bin: 'cline',
  remote: true,
  health: false,
  fields: false,
  kinds: ['stdio', 'http'],

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', '--yes', '--transport', 'http', name, server.url]);
    return sb.run(bin, ['mcp', 'add', '--yes', name, '--', server.command, ...server.args]);
  },

  read(sb, bin, names) {
    const found = {};
    for (const name of names) {
      const r = sb.run(bin, ['mcp', 'remove', name, '--json']);
      if (r.code === 0 && /"status":"uninstalled"/.test(r.stdout)) found[name] = {};
    }
    return found;
  },

  raw: (sb) =>
    JSON.parse(readFileSync(join(sb.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json'), 'utf8'))
      .mcpServers ?? {},
};
