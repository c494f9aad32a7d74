import { findConfig } from '../../config/find.js';
import { validateProjectWithImports } from '../../config/load.js';
import { readGitPins } from '../../lock/git-pins.js';
import { clientCatalog } from '../../targets/index.js';
import { ExitCode, McpformError } from '../../errors.js';
import type { Context } from '../context.js';
import { invalidDocument, validDocument } from '../documents.js';
import { print, printJson } from '../output.js';
import { visible } from '../../util/sanitize.js';

/** `mcpform validate`: the loader's checks (src/config/load.ts), every problem as file:line:col. */
export default async function validate(ctx: Context): Promise<void> {
  const file = await findConfig(ctx.opts.file, ctx.world);
  try {
    const result = await validateProjectWithImports(file, {
      environment: ctx.environment,
      world: ctx.world,
      clients: clientCatalog,
      gitPins: readGitPins,
    });
    if (ctx.opts.json) return printJson(validDocument(file, result));
    print(
      `${ctx.colors.green('✓')} ${visible(file)} is valid: ${result.servers} server${result.servers === 1 ? '' : 's'}, environments: ${result.environments.map(visible).join(', ')}`,
    );
  } catch (err) {
    if (!(ctx.opts.json && err instanceof McpformError)) throw err;
    printJson(invalidDocument(file, err));
    throw new ExitCode(1);
  }
}
