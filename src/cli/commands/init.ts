import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { McpformError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import type { Context } from '../context.js';
import { print } from '../output.js';

export const STARTER = `# yaml-language-server: $schema=./node_modules/mcpform/schemas/mcp.schema.json
# The MCP servers this setup should have. Preview changes with 'mcpform plan',
# make them with 'mcpform apply'. Format: https://www.npmjs.com/package/mcpform
version: 1
defaultEnvironment: dev

servers:
  memory:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-memory"]

  # filesystem:
  #   package: npm:@modelcontextprotocol/server-filesystem@^2026.8.0
  #   args: ["\${HOME}/projects"]

  # github:
  #   command: npx
  #   args: ["-y", "@modelcontextprotocol/server-github"]
  #   env:
  #     GITHUB_PERSONAL_ACCESS_TOKEN: \${GITHUB_TOKEN}   # from your shell or .env; never stored

environments:
  dev:
    servers: [memory]
`;

export default async function init(ctx: Context, opts: { force?: boolean }): Promise<void> {
  const target = ctx.opts.file ? ctx.opts.file : join(ctx.cwd, 'mcp.yaml');
  if (existsSync(target) && !opts.force) {
    throw new McpformError('CONFIG_EXISTS', `${target} already exists; nothing written`, { hint: 'use --force to overwrite it' });
  }
  await writeFileAtomic(target, STARTER, { mode: 0o644 });
  print(`Wrote ${target}. Next: 'mcpform plan' to see what it would change.`);
}
