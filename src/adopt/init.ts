import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { McpformError } from '../errors.js';
import { projectId } from '../plan/build.js';
import { readOwnership } from '../state/ownership.js';
import type { ClientEntry } from '../targets/types.js';
import { adapterFor } from '../targets/index.js';
import { writeFileAtomic } from '../util/fs.js';
import { docsFor } from '../util/package-root.js';
import type { World } from '../world.js';
import type { ClientsImport, ImportSource } from './import-clients.js';
import type { ImportResult } from './import.js';

/** `mcpform init [--import] [--from A,B|all] [--force]`: what to write. */
export interface InitRequest {
  /** `-f`: where mcp.yaml goes (else the cwd's mcp.yaml). */
  file?: string;
  force?: boolean;
  /** Turn a client's live file into mcp.yaml (Claude Desktop's, or `target`'s). */
  import?: boolean;
  /** Import from these clients (`A,B` or `all`): one mcp.yaml for all of them. */
  from?: string;
  /** `--target NAME` with `--import`: that client's file. */
  target?: string;
}

/** What init wrote; `path` is mcp.yaml as the user named it. */
export type InitResult =
  | { kind: 'starter'; path: string }
  | {
      kind: 'claude-desktop';
      path: string;
      envPath: string;
      source: string;
      imported: ImportResult;
      elsewhere: ManagedElsewhere[];
    }
  | {
      kind: 'clients';
      path: string;
      envPath: string;
      sources: ImportSource[];
      unreadable: { client: string; why: string }[];
      imported: ClientsImport;
      elsewhere: ManagedElsewhere[];
    };

/** An entry another project's mcp.yaml manages: not imported (an entry has one owner). */
export interface ManagedElsewhere {
  client: string;
  name: string;
  /** That project's mcp.yaml. */
  owner: string;
}

/**
 * Writes a starter mcp.yaml, or imports what clients already run: their entries become
 * servers (that render back to exactly those entries), their secret values move to a
 * git-ignored .env (mode 0600) as ${VAR} references. Never over an existing mcp.yaml
 * without `force`. The modeline points where the schema is (the project's install, else
 * this copy's).
 */
export async function runInit(world: World, req: InitRequest): Promise<InitResult> {
  const path = req.file ?? join(world.cwd, 'mcp.yaml');
  const file = resolve(world.cwd, path);
  if (existsSync(file) && !req.force) {
    throw new McpformError('CONFIG_EXISTS', `${path} already exists; nothing written`, {
      hint: 'use --force to overwrite it',
    });
  }
  const dir = dirname(file);
  const docs = docsFor(dir);
  if (req.from === undefined && !req.import) {
    await writeFileAtomic(file, starter(docs), { mode: 0o644 });
    return { kind: 'starter', path };
  }
  const envPath = join(dirname(path), '.env');
  const envFile = resolve(world.cwd, envPath);
  const envText = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  const existing = parseDotenv(envText);
  let result: InitResult;
  // --from A,B|all, or --import --target NAME: one mcp.yaml from those clients' files.
  if (req.from !== undefined || req.target) {
    const { readImportSources } = await import('./import-sources.js');
    const { importClients } = await import('./import-clients.js');
    const read = readImportSources(req.from ?? req.target!, { world, configDir: dir });
    const elsewhere: ManagedElsewhere[] = [];
    const sources = read.sources.map((src) => {
      const { entries, left } = withoutOthers(src.entries, src.adapter.name, src.path, src.serversPath, file, world);
      elsewhere.push(...left);
      return { ...src, entries };
    });
    const imported = importClients(sources, existing, dir, world.platform, docs.schema);
    result = { kind: 'clients', path, envPath, sources, unreadable: read.unreadable, imported, elsewhere };
  } else {
    const adapter = adapterFor('claude-desktop');
    const source = adapter.resolvePath({ name: 'claude-desktop' }, world);
    const live = adapter.read(source);
    if (!live.exists) {
      throw new McpformError('CONFIG_NOT_FOUND', `there is no Claude Desktop config at ${source} to import`, {
        hint: "run 'mcpform doctor' to look for it elsewhere, or 'mcpform init' for a starter file",
      });
    }
    const { importEntries } = await import('./import.js');
    const { entries, left } = withoutOthers(live.entries, adapter.name, source, live.serversPath, file, world);
    const imported = importEntries(entries, existing, {
      adapter,
      baseDir: dir,
      schema: docs.schema,
      platform: world.platform,
    });
    result = { kind: 'claude-desktop', path, envPath, source, imported, elsewhere: left };
  }
  // Secrets first: if writing mcp.yaml failed after, no reference would dangle.
  if (Object.keys(result.imported.secrets).length) {
    const { appendEnv } = await import('./import.js');
    await writeFileAtomic(envFile, appendEnv(envText, result.imported.secrets, existing), { mode: 0o600 });
    chmodSync(envFile, 0o600);
  }
  // Always: the .env that holds (or will hold) this project's secrets must never be committed.
  const { ignoreEnvFile } = await import('./project-gitignore.js');
  await ignoreEnvFile(file, envFile);
  await writeFileAtomic(file, result.imported.yaml, { mode: 0o644 });
  return result;
}

/**
 * The entries of a client file less those another project's mcp.yaml manages there (its
 * ownership record names it, and it still exists): importing one would make this project's
 * first plan stop at OWNERSHIP_CONFLICT, so it is left out and said.
 */
function withoutOthers(
  all: Readonly<Record<string, ClientEntry>>,
  client: string,
  path: string,
  serversPath: readonly (string | number)[] | undefined,
  self: string,
  world: World,
): { entries: Record<string, ClientEntry>; left: ManagedElsewhere[] } {
  const owned = readOwnership(client, path, world, serversPath).servers;
  const me = projectId(self);
  const entries: Record<string, ClientEntry> = {};
  const left: ManagedElsewhere[] = [];
  for (const [name, entry] of Object.entries(all)) {
    const owner = Object.hasOwn(owned, name) ? owned[name]!.owner : undefined;
    if (typeof owner === 'string' && owner !== me && existsSync(owner)) left.push({ client, name, owner });
    else Object.defineProperty(entries, name, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return { entries, left };
}

const starter = (docs: { schema: string; reference: string }) => `# yaml-language-server: $schema=${docs.schema}
# The MCP servers this setup should have. Preview changes with 'mcpform plan',
# make them with 'mcpform apply'. Format: ${docs.reference}
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
