// Claude Code: `claude mcp add --scope user` (the scope mcpform's claude-code target writes by
// default), `claude mcp get NAME`, which prints the entry and health-checks it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = (sb) => join(sb.home, '.claude.json');

export default {
  target: 'claude-code',
  package: '@anthropic-ai/claude-code',
  bin: 'claude',
  remote: true,
  health: true,
  env: () => ({ DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }),

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', '--scope', 'user', '--transport', 'http', name, server.url]);
    const env = Object.entries(server.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // -e takes several values: the name goes before it.
    return sb.run(bin, ['mcp', 'add', '--scope', 'user', name, ...env, '--', server.command, ...server.args]);
  },

  // Claude Code starts no user-scope stdio server in a folder the user has not trusted
  // ("Not checked"): accept its trust dialog for the project, as a user would.
  prepare(sb) {
    const config = JSON.parse(readFileSync(file(sb), 'utf8'));
    config.projects ??= {};
    config.projects[sb.project] = { ...config.projects[sb.project], hasTrustDialogAccepted: true };
    writeFileSync(file(sb), `${JSON.stringify(config, null, 2)}\n`);
  },

  read(sb, bin, names) {
    const found = {};
    for (const name of names) {
      const r = sb.run(bin, ['mcp', 'get', name]);
      if (r.code === 0) found[name] = parseGet(r.stdout);
    }
    return found;
  },

  raw: (sb) => JSON.parse(readFileSync(file(sb), 'utf8')).mcpServers ?? {},
};

/** `claude mcp get` prints `  Key: value` lines, and the environment as indented `K=V` lines. */
function parseGet(text) {
  const entry = {};
  let inEnv = false;
  for (const line of text.split('\n')) {
    const field = /^ {2}(\w[\w ]*): ?(.*)$/.exec(line);
    if (field) {
      const [, key, value] = field;
      inEnv = key === 'Environment';
      if (key === 'Command') entry.command = value;
      else if (key === 'Args') entry.args = value ? value.split(' ') : [];
      else if (key === 'URL') entry.url = value;
      else if (key === 'Type') entry.type = value;
      else if (key === 'Status') entry.status = /Connected/.test(value) ? 'connected' : value.trim();
      continue;
    }
    const kv = /^ {4}([^=]+)=(.*)$/.exec(line);
    if (inEnv && kv) (entry.env ??= {})[kv[1]] = kv[2];
  }
  return entry;
}
