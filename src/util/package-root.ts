import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the running mcpform package (its package.json), wherever this module was
 * bundled to: the schemas and the reference (docs/) that a starter mcp.yaml points at live there.
 */
export function packageRoot(from: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mcpform') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * What a new mcp.yaml in `projectDir` links to: the project's own install of mcpform when it
 * has one (a path that works for everyone who clones it), else this running copy (a global
 * install or a clone), so the editor schema and the format reference always exist.
 */
export function docsFor(projectDir: string): { schema: string; reference: string } {
  const local = 'node_modules/mcpform';
  if (existsSync(join(projectDir, local, 'schemas', 'mcp.schema.json')))
    return { schema: `./${local}/schemas/mcp.schema.json`, reference: `${local}/docs/reference.md` };
  const root = packageRoot();
  if (!root) return { schema: `./${local}/schemas/mcp.schema.json`, reference: `${local}/docs/reference.md` };
  return { schema: join(root, 'schemas', 'mcp.schema.json'), reference: join(root, 'docs', 'reference.md') };
}
