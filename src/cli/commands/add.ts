import { relative } from 'node:path';
import type { Context } from '../context.js';
import { print, printErr } from '../output.js';
import { visible } from '../../util/sanitize.js';

export interface AddFlags {
  package?: string;
  name?: string;
  force?: boolean;
}

/** `add NAME -- COMMAND ARGS...`, `add NAME --package npm:PKG[@RANGE]`, `add PATH` (a script or a project folder). */
export default async function add(ctx: Context, target: string, command: string[], flags: AddFlags): Promise<void> {
  const { runAdd } = await import('../../adopt/run-add.js');
  const r = await runAdd(ctx.world, { file: ctx.opts.file, target, command, ...flags, environment: ctx.environment });
  const where = r.environment ? `, in environment '${r.environment}'${r.everyServer ? ' (every server)' : ''}` : '';
  print(`Added server '${visible(r.name)}' to ${visible(r.file)} (${visible(r.how)})${visible(where)}.`);
  if (r.copied.length)
    print(
      `Copied ${r.copied.join(', ')} from the script's .env into ${relative(ctx.world.cwd, r.envPath) || r.envPath} ` +
        `(mode 0600${r.gitignored ? ', added to .gitignore' : ''}); mcp.yaml references them as \${VAR}.`,
    );
  for (const w of r.warnings) printErr(`Warning: ${visible(w)}.`);
  print("Next: 'mcpform plan' to see the change, 'mcpform apply' to make it.");
}
