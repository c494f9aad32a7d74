import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';

/**
 * Adds the env file to the .gitignore beside mcp.yaml unless a line already names it, so the
 * secrets `add` copies there are not committed by the next `git add .`. Returns whether it wrote.
 */
export async function ignoreEnvFile(mcpYaml: string, envFile: string): Promise<boolean> {
  const dir = dirname(mcpYaml);
  const rel = relative(dir, envFile).split(sep).join('/');
  if (rel.startsWith('../')) return false; // outside the project: not this .gitignore's business
  const gitignore = join(dir, '.gitignore');
  const text = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  const covered = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .some((l) => l === rel || l === `/${rel}` || (!rel.includes('/') && l === `**/${rel}`));
  if (covered) return false;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  await writeFileAtomic(gitignore, `${text}${text && !text.endsWith('\n') ? nl : ''}${rel}${nl}`);
  return true;
}
