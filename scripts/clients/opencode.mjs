// opencode: `opencode mcp add NAME [--env K=V] -- CMD ARGS` / `--url URL` (it writes
// ~/.config/opencode/opencode.jsonc when there is no config yet), and `opencode mcp list`,
// which connects to each server and prints its command line (or URL), not its env.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse } from 'jsonc-parser';

export default {
  target: 'opencode',
  package: 'opencode-ai',
  bin: 'opencode',
  remote: true,
  health: true,

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', name, '--url', server.url]);
    const env = Object.entries(server.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    return sb.run(bin, ['mcp', 'add', name, ...env, '--', server.command, ...server.args]);
  },

  read(sb, bin, names) {
    const r = sb.run(bin, ['mcp', 'list']);
    const lines = stripVTControlCharacters(r.stdout).split('\n'); // colours despite NO_COLOR
    const found = {};
    lines.forEach((line, i) => {
      const m = /^●\s+\S+ (\S+) (.*)$/.exec(line);
      if (!m || !names.includes(m[1])) return;
      const status = m[2].trim() === 'connected' ? 'connected' : m[2].trim();
      const what = (lines[i + 1] ?? '').replace(/^│\s*/, '').trim();
      if (/^https?:\/\//.test(what)) found[m[1]] = { url: what, status };
      else {
        const [command, ...args] = what.split(' ');
        found[m[1]] = { command, args, envHidden: true, status };
      }
    });
    return found;
  },

  raw: (sb) => {
    const dir = join(sb.home, '.config', 'opencode');
    const file = ['opencode.jsonc', 'opencode.json'].map((f) => join(dir, f)).find(existsSync);
    return file ? (parse(readFileSync(file, 'utf8')).mcp ?? {}) : {};
  },
};
