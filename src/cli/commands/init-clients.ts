import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { importClients } from '../../adopt/import-clients.js';
import { appendEnv } from '../../adopt/import.js';
import { readImportSources } from '../../adopt/import-sources.js';
import { ignoreEnvFile } from '../../adopt/project-gitignore.js';
import { visible } from '../../util/mask-terminal.js';
import { writeFileAtomic } from '../../util/fs.js';
import { docsFor } from '../../util/package-root.js';
import type { Context } from '../context.js';
import { print } from '../output.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `init --import --from A,B|all` (and `--import --target NAME`): read, merge, write mcp.yaml and .env. */
export async function importFromClients(ctx: Context, target: string, from: string): Promise<void> {
  const dir = dirname(target);
  const { sources, unreadable } = readImportSources(from, {
    world: ctx.world,
    configDir: dir,
  });
  const envPath = join(dir, '.env');
  const envText = existsSync(envPath) ? readFileSync(envPath, 'utf8') : '';
  const existing = parseDotenv(envText);
  const result = importClients(sources, existing, dir);

  // Secrets first: if writing mcp.yaml failed after, no reference would dangle.
  const secretNames = Object.keys(result.secrets);
  if (secretNames.length) {
    await writeFileAtomic(envPath, appendEnv(envText, result.secrets, existing), { mode: 0o600 });
    chmodSync(envPath, 0o600);
  }
  await ignoreEnvFile(target, envPath);
  // The modeline assumes a local install: point it where the schema is (as plain --import does).
  const schema = docsFor(dir).schema;
  const yaml = result.yaml.replace('$schema=./node_modules/mcpform/schemas/mcp.schema.json', () => `$schema=${schema}`);
  await writeFileAtomic(target, yaml, { mode: 0o644 });

  print(`Imported ${plural(result.servers.length, 'server')} from ${plural(sources.length, 'client')} into ${target}:`);
  for (const s of sources) {
    const own = result.servers.filter((x) => x.clients.includes(s.adapter.name)).map((x) => x.name);
    print(`  ${s.adapter.name} (${visible(s.path)}): ${own.map(visible).join(', ') || '(none)'}`);
  }
  if (secretNames.length)
    print(
      `Moved ${plural(secretNames.length, 'secret value')} into ${envPath} (mode 0600, git-ignored): ${secretNames.join(', ')}.`,
    );
  for (const c of result.conflicts) {
    const [first, ...others] = c.variants;
    print(
      `Conflict: '${visible(c.server)}' is defined differently in ${first!.clients.join(', ')} and ${others.map((v) => v.clients.join(', ')).join('; ')}.`,
    );
    print(`  kept as ${first!.name} for ${first!.clients.join(', ')}`);
    for (const v of others)
      print(
        `  kept as ${visible(v.name)}, applied nowhere yet: ${v.clients.join(', ')} still call${v.clients.length === 1 ? 's' : ''} it '${visible(c.server)}'. To manage it, rename that entry to '${visible(v.name)}' in the client's file and add it to targets.${v.clients[0]}.servers.`,
      );
  }
  for (const u of unreadable) print(`Skipped ${u.client}: ${visible(u.why)}`);
  for (const s of result.skipped) print(`Skipped ${s.client} ${visible(s.name)}: ${s.why}.`);
  for (const n of result.notes) print(`Note: ${n.client} ${visible(n.name)}: ${n.note}.`);
  print(
    "Next: 'mcpform plan' should say \"No changes.\" for every client; the first 'mcpform apply' adopts these servers without changing the files.",
  );
}
