import { readFileSync } from 'node:fs';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import type { TargetPlan } from '../plan/build.js';
import { PLAN_FORMAT_VERSION, renderPlanJson, type PlanDocument } from '../plan/render-json.js';
import { canonicalJson } from '../util/hash.js';

export function readSavedPlan(file: string): PlanDocument {
  let doc: PlanDocument;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as PlanDocument;
  } catch (err) {
    throw new McpformError('INVALID_PLAN', `${file} is not a saved mcpform plan (${(err as Error).message})`, {
      hint: "create one with 'mcpform plan --out FILE'",
    });
  }
  if (doc?.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(doc.targets) || typeof doc.salt !== 'string') {
    throw new McpformError(
      'INVALID_PLAN',
      `${file} is not a saved mcpform plan of format version ${PLAN_FORMAT_VERSION}`,
    );
  }
  return doc;
}

/**
 * A saved plan applies only to the world it was computed from. Recompute from the current
 * mcp.yaml, environment and live file, seal secrets with the saved salt, and demand the
 * very same plan: any difference is a stale plan, or a secret that changed.
 */
export function verifySavedPlan(
  saved: PlanDocument,
  state: DesiredState,
  current: TargetPlan[],
  version: string,
): void {
  if (state.sourceHash !== saved.config.sourceHash) {
    throw new McpformError(
      'STALE_PLAN',
      `mcp.yaml (or a file it imports) changed since the plan was made; nothing was changed`,
      { hint: "run 'mcpform plan --out FILE' again" },
    );
  }
  for (const t of saved.targets) {
    const now = current.find((c) => c.plan.target.path === t.target.path);
    if (!now)
      throw new McpformError(
        'STALE_PLAN',
        `the plan is for ${t.target.path}, which is not a target now; nothing was changed`,
      );
    if (now.live.hash !== t.target.baseHash) {
      throw new McpformError(
        'STALE_PLAN',
        `${t.target.path} changed since the plan was made (it was edited, or another apply ran); nothing was changed`,
        { hint: "run 'mcpform plan --out FILE' again" },
      );
    }
  }
  const recomputed = renderPlanJson(
    current.map((c) => c.plan),
    {
      version,
      file: saved.config.file,
      sourceHash: state.sourceHash,
      environment: state.environment,
      salt: saved.salt,
      createdAt: saved.createdAt,
      prune: saved.options?.prune,
    },
  );
  if (canonicalJson(recomputed.targets) === canonicalJson(saved.targets)) return;
  const unsealed = (v: unknown) => canonicalJson(v).replace(/"hash":"(?:sha256|scrypt):[0-9a-f]{64}"/g, '"hash":"?"');
  if (unsealed(recomputed.targets) === unsealed(saved.targets)) {
    throw new McpformError(
      'SECRET_CHANGED',
      'a secret value (from the environment or the env file) differs from when the plan was made; nothing was changed',
      {
        hint: 'set the same values as when you ran plan, or make a new plan',
      },
    );
  }
  throw new McpformError(
    'STALE_PLAN',
    'the plan no longer matches what mcp.yaml and the live file give; nothing was changed',
    { hint: "run 'mcpform plan --out FILE' again" },
  );
}
