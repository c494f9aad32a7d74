import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { McpformError } from '../../errors.js';
import { adapterFor } from '../../targets/index.js';
import { writeFileAtomic } from '../../util/fs.js';
import { docsFor } from '../../util/package-root.js';
import type { Context } from '../context.js';
import { print } from '../output.js';

const starter = (docs: { schema: string; readme: string }) => `# yaml-language-server: $schema=${docs.schema}
# The MCP servers this setup should have. Preview changes with 'mcpform plan',
# make them with 'mcpform apply'. Format: ${docs.readme}
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

export default async function init(
  ctx: Context,
  opts: { force?: boolean; import?: boolean; from?: string },
): Promise<void> {
  const target = ctx.opts.file ? ctx.opts.file : join(ctx.world.cwd, 'mcp.yaml');
  if (existsSync(target) && !opts.force) {
    throw new McpformError('CONFIG_EXISTS', `${target} already exists; nothing written`, {
      hint: 'use --force to overwrite it',
    });
  }
  // --from A,B|all, or --import --target NAME: one mcp.yaml from those clients' files.
  if (opts.from !== undefined || (opts.import && ctx.opts.target)) {
    const { importFromClients } = await import('./init-clients.js');
    return importFromClients(ctx, target, opts.from ?? ctx.opts.target!);
  }
  const docs = docsFor(dirname(target));
  if (!opts.import) {
    await writeFileAtomic(target, starter(docs), { mode: 0o644 });
    print(`Wrote ${target}. Next: 'mcpform plan' to see what it would change.`);
    return;
  }

  const adapter = adapterFor('claude-desktop');
  const path = adapter.resolvePath({ name: 'claude-desktop' }, ctx.world);
  const live = adapter.read(path);
  if (!live.exists) {
    throw new McpformError('CONFIG_NOT_FOUND', `there is no Claude Desktop config at ${path} to import`, {
      hint: "run 'mcpform doctor' to look for it elsewhere, or 'mcpform init' for a starter file",
    });
  }
  const dir = join(target, '..');
  const envPath = join(dir, '.env');
  const envText = existsSync(envPath) ? readFileSync(envPath, 'utf8') : '';
  const existing = parseDotenv(envText);
  const { importEntries, appendEnv } = await import('../../adopt/import.js');
  const result = importEntries(live.entries, existing, { adapter, baseDir: dir });
  // The modeline importEntries writes assumes a local install: point it where the schema is.
  const yaml = result.yaml.replace(
    '$schema=./node_modules/mcpform/schemas/mcp.schema.json',
    () => `$schema=${docs.schema}`,
  );

  // Secrets first: if writing mcp.yaml failed after, no reference would dangle.
  const secretCount = Object.keys(result.secrets).length;
  if (secretCount) {
    await writeFileAtomic(envPath, appendEnv(envText, result.secrets, existing), { mode: 0o600 });
    chmodSync(envPath, 0o600);
  }
  // Always: the .env that holds (or will hold) this project's secrets must never be committed.
  const { ignoreEnvFile } = await import('../../adopt/project-gitignore.js');
  await ignoreEnvFile(target, envPath);
  await writeFileAtomic(target, yaml, { mode: 0o644 });

  print(
    `Imported ${result.servers.length} server${result.servers.length === 1 ? '' : 's'} from ${path} into ${target}: ${result.servers.join(', ') || '(none)'}.`,
  );
  if (secretCount)
    print(
      `Moved ${secretCount} secret value${secretCount === 1 ? '' : 's'} into ${envPath} (mode 0600, git-ignored): ${Object.keys(result.secrets).join(', ')}.`,
    );
  for (const s of result.skipped) print(`Skipped ${s.name}: ${s.why}.`);
  for (const n of result.notes) print(`Note: ${n.name}: ${n.note}.`);
  print(
    "Next: 'mcpform plan' should say \"No changes.\"; the first 'mcpform apply' adopts these servers without changing the file.",
  );
}
