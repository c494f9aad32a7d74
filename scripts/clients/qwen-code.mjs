// Qwen Code (a Gemini CLI fork): `qwen mcp add -s user [-e K=V] NAME CMD ARGS` / `-t http NAME
// URL`, and `qwen mcp list`, which connects to each server (printed as Gemini CLI prints it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { parseList } from './gemini-cli.mjs';

export default {
  target: 'qwen-code',
  package: '@qwen-code/qwen-code',
  bin: 'qwen',
  remote: true,
  health: true,

  add(sb, bin, name, server) {
    if (server.url) return sb.run(bin, ['mcp', 'add', '-s', 'user', '-t', 'http', name, server.url]);
    const env = Object.entries(server.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    return sb.run(bin, ['mcp', 'add', '-s', 'user', ...env, name, server.command, ...server.args]);
  },

  read: (sb, bin, names) => parseList(sb.run(bin, ['mcp', 'list']), names),

  raw: (sb) => parse(readFileSync(join(sb.home, '.qwen', 'settings.json'), 'utf8')).mcpServers ?? {},
};
