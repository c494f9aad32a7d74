import { randomBytes, scryptSync } from 'node:crypto';
import { SECRET_KEY } from '../util/mask.js';
import { escapePointer } from '../util/pointer.js';
import { totalSummary } from '../util/summary.js';
import type { Change, Plan } from './types.js';

export const PLAN_FORMAT_VERSION = 1;

/** A secret in a saved plan: a salted hash, so `apply FILE` can tell if it changed. */
export interface SealedSecret {
  sensitive: true;
  hash: string;
}

export interface PlanDocument {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  tool: { name: 'mcpform'; version: string };
  createdAt: string;
  environment: string;
  config: { file: string; sourceHash: string };
  salt: string;
  /** Options the plan was made with; `apply FILE` recomputes with the same. */
  options: { prune: boolean };
  targets: PlanTargetDocument[];
  summary: Plan['summary'];
}

export interface PlanTargetDocument {
  target: Plan['target'];
  changes: unknown[];
  unchanged: string[];
  adoptions: string[];
  unmanaged: string[];
  /** Entries other projects' mcp.yaml files own: never changed or removed by this plan. */
  managedElsewhere: { server: string; owner: string }[];
  forgotten: string[];
  removesEverything: boolean;
  summary: Plan['summary'];
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

// A saved plan may be shared or left lying around, and a secret can be as short as a 6-digit
// PIN: a fast hash of it is brute-forced in a second, salt or not. scrypt (memory-hard) at
// N=2^15, r=8 costs ~100 ms and 32 MiB per guess. Keyed hashing would be stronger but would
// tie a plan to the machine that made it (plan in one CI job, apply in the next).
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const sealed = new Map<string, string>();

export function sealSecret(value: unknown, salt: string): SealedSecret {
  const input = JSON.stringify(value) ?? 'undefined';
  const id = `${salt}\0${input}`;
  let hash = sealed.get(id);
  if (!hash) {
    hash = `scrypt:${scryptSync(input, `mcpform-plan:${salt}`, 32, SCRYPT).toString('hex')}`;
    sealed.set(id, hash);
  }
  return { sensitive: true, hash };
}

/**
 * The plan as versioned JSON (`plan --json`, `plan --out`). Secrets appear only as salted
 * hashes; everything else as it will be written.
 */
export function renderPlanJson(
  plans: readonly Plan[],
  meta: {
    version: string;
    file: string;
    sourceHash: string;
    environment: string;
    salt: string;
    createdAt: string;
    prune?: boolean;
  },
): PlanDocument {
  const summary = totalSummary(plans);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: { name: 'mcpform', version: meta.version },
    createdAt: meta.createdAt,
    environment: meta.environment,
    config: { file: meta.file, sourceHash: meta.sourceHash },
    salt: meta.salt,
    options: { prune: meta.prune ?? false },
    targets: plans.map((p) => ({
      target: p.target,
      changes: p.changes.map((c) => sealChange(c, meta.salt)),
      unchanged: [...p.unchanged],
      adoptions: [...p.adoptions],
      unmanaged: [...p.unmanaged],
      managedElsewhere: (p.managedElsewhere ?? []).map((m) => ({ server: m.server, owner: m.owner })),
      forgotten: [...p.forgotten],
      removesEverything: p.removesEverything,
      summary: p.summary,
    })),
    summary,
  };
}

function sealChange(c: Change, salt: string): unknown {
  const secret = new Set(c.sensitive);
  return {
    server: c.server,
    action: c.action,
    drift: c.drift,
    fields: c.fields.map((f) => ({
      field: f.field,
      kind: f.kind,
      sensitive: f.sensitive,
      ...(f.kind !== 'add' ? { before: f.sensitive ? sealSecret(f.before, salt) : f.before } : {}),
      ...(f.kind !== 'remove' ? { after: f.sensitive ? sealSecret(f.after, salt) : f.after } : {}),
    })),
    // The live entry is not included: it may hold secrets mcp.yaml never declared.
    ...(c.after ? { after: sealEntry(c.after, secret, salt) } : {}),
  };
}

/** An entry with every secret value (declared sensitive, or under a secret-looking key) sealed. */
function sealEntry(entry: Record<string, unknown>, secret: ReadonlySet<string>, salt: string): unknown {
  const walk = (v: unknown, ptr: string, key: string): unknown => {
    // Below the entry's top level (env.X, headers.X, oauth.tokens.access_token, ...).
    if (secret.has(ptr) || (ptr.split('/').length >= 3 && SECRET_KEY.test(key) && typeof v === 'string'))
      return sealSecret(v, salt);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${ptr}/${i}`, String(i)));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, `${ptr}/${escapePointer(k)}`, k);
      return out;
    }
    return v;
  };
  return walk(entry, '', '');
}
