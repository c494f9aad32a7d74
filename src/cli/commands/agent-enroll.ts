import { enrollProject } from '../../reconcile/enroll.js';
import { visible } from '../../util/sanitize.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';

/** `mcpform agent enroll [DIR]`: add a project for the agent to keep in sync. */
export default async function agentEnroll(ctx: Context, dir: string | undefined): Promise<void> {
  const { project, added } = await enrollProject(ctx.world, {
    dir,
    file: ctx.opts.file,
    environment: ctx.environment,
  });
  if (ctx.opts.json) return printJson({ formatVersion: 1, enrolled: project, added });
  print(
    `${added ? 'Enrolled' : 'Already enrolled (updated)'}: ${visible(project.file)}${project.environment ? ` (environment ${visible(project.environment)})` : ''}.`,
  );
  print("Run 'mcpform agent run' to keep its clients in sync; set reconcile.selfHeal: true in mcp.yaml to heal drift.");
}
