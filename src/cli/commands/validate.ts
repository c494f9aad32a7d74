import { findConfig } from '../../config/find.js';
import { validateProjectWithImports } from '../../config/load.js';
import { readGitPins } from '../../lock/git-pins.js';
import { clientCatalog } from '../../targets/index.js';
import { ExitCode, formatProblem, McpformError } from '../../errors.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';
import { errorDocument } from '../report-error.js';

export default async function validate(ctx: Context): Promise<void> {
  const file = await findConfig(ctx.opts.file, ctx.world);
  try {
    const result = await validateProjectWithImports(file, {
      environment: ctx.environment,
      world: ctx.world,
      clients: clientCatalog,
      gitPins: readGitPins,
    });
    if (ctx.opts.json) return printJson({ formatVersion: 1, valid: true, file, ...result, problems: [] });
    print(
      `${ctx.colors.green('✓')} ${file} is valid: ${result.servers} server${result.servers === 1 ? '' : 's'}, environments: ${result.environments.join(', ')}`,
    );
  } catch (err) {
    if (!(ctx.opts.json && err instanceof McpformError)) throw err;
    const problems = err.problems.length ? err.problems : [{ message: err.message }];
    printJson({
      formatVersion: 1,
      valid: false,
      file,
      code: err.code,
      problems: problems.map((p) => ({ ...p, text: formatProblem(p) })),
      error: errorDocument(err).error,
    });
    throw new ExitCode(1);
  }
}
