// Gemini CLI: `gemini mcp add -s user [-e K=V] NAME CMD ARGS` / `-t http NAME URL`, and
// `gemini mcp list`, which connects to each server. It prints command and args (or the URL)
// and the state, not the env: the env is checked through the connection only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse } from 'jsonc-parser';

const settings = (sb) => join(sb.home, '.gemini', 'settings.json');

export default {
  target: 'gemini-cli',
  package: '@google/gemini-cli',
  bin: 'gemini',
  remote: true,
  health: true,

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', '-s', 'user', '-t', 'http', name, server.url]);
    const env = Object.entries(server.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    return sb.run(bin, ['mcp', 'add', '-s', 'user', ...env, name, server.command, ...server.args]);
  },

  // Gemini starts no server, user-level ones included, in a folder the user has not trusted.
  prepare(sb) {
    mkdirSync(join(sb.home, '.gemini'), { recursive: true });
    writeFileSync(join(sb.home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [sb.project]: 'TRUST_FOLDER' }));
  },

  read(sb, bin, names) {
    return parseList(sb.run(bin, ['mcp', 'list']), names);
  },

  raw: (sb) => parse(readFileSync(settings(sb), 'utf8')).mcpServers ?? {},
};

/** `✓ NAME: CMD ARGS (stdio) - Connected` / `✓ NAME: URL (http) - Connected` lines (Qwen Code's too). */
export function parseList(r, names) {
  const found = {};
  // Gemini prints the list on stderr; Qwen on stdout, in colour.
  for (const line of stripVTControlCharacters(`${r.stdout}\n${r.stderr}`).split('\n')) {
    const m = /^\S+ (\S+): (.*) \((stdio|http|sse)\) - (.*)$/.exec(line);
    if (!m || !names.includes(m[1])) continue;
    const [, name, what, type, state] = m;
    const status = state.trim() === 'Connected' ? 'connected' : state.trim();
    if (type === 'stdio') {
      const [command, ...args] = what.split(' ');
      found[name] = { command, args, envHidden: true, status };
    } else found[name] = { url: what, type, status };
  }
  return found;
}
