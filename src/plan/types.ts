import type { ClientEntry } from '../targets/types.js';

export type Action = 'create' | 'update' | 'delete' | 'adopt';

/** One field of one entry: `args`, `env.TOKEN`, `command`. */
export interface FieldChange {
  readonly field: string;
  readonly kind: 'add' | 'remove' | 'change';
  readonly before?: unknown;
  readonly after?: unknown;
  /** Shown as (sensitive); never printed or saved in clear. */
  readonly sensitive: boolean;
}

export interface Change {
  readonly server: string;
  readonly action: Action;
  /** The live entry (update, delete, adopt). */
  readonly before?: ClientEntry;
  /** What will be written (create, update, adopt). */
  readonly after?: ClientEntry;
  /** JSON pointers into `after` (and `before`) whose values are secret. */
  readonly sensitive: readonly string[];
  readonly fields: readonly FieldChange[];
  /** The live entry was edited by hand since mcpform last wrote it. */
  readonly drift: boolean;
}

/** The decision `apply` carries out: a value, computed without I/O. */
export interface Plan {
  readonly target: {
    readonly name: string;
    readonly path: string;
    readonly baseHash: string | null;
    readonly exists: boolean;
    /** Several clients read this one server map (`.mcp.json`): planned together, named here. */
    readonly readers?: readonly string[];
  };
  readonly environment: string;
  /** The mcp.yaml the plan is for: apply records it as the owner of what it writes. */
  readonly project?: string;
  readonly changes: readonly Change[];
  /** Servers mcp.yaml declares that are already exactly as desired. */
  readonly unchanged: readonly string[];
  /**
   * Declared servers that exist unmanaged exactly as declared: apply only records that
   * mcpform owns them; the file does not change (so they are not counted as changes).
   */
  readonly adoptions: readonly string[];
  /** Entries in the file that mcpform neither owns nor declares, left alone. */
  readonly unmanaged: readonly string[];
  /**
   * Of `unmanaged`: entries mcpform wrote for an mcp.yaml it cannot name (a record from
   * before owners were recorded, or a project whose mcp.yaml is gone). Declaring one here
   * takes it over.
   */
  readonly unclaimed?: readonly string[];
  /** Entries another project's mcp.yaml owns: listed, never changed or removed (--prune too). */
  readonly managedElsewhere?: readonly { readonly server: string; readonly owner: string }[];
  /** Declared here, but owned by another project's mcp.yaml: plan and apply refuse. */
  readonly conflicts?: readonly { readonly server: string; readonly owner: string }[];
  /** Per declared server, the pointers of its secret values (remembered on apply). */
  readonly sensitiveFields?: Readonly<Record<string, readonly string[]>>;
  /** Owned entries that were removed from the file by hand; apply forgets them. */
  readonly forgotten: readonly string[];
  /** Every owned server would be removed and nothing declared: needs --allow-empty. */
  readonly removesEverything: boolean;
  readonly summary: { readonly add: number; readonly change: number; readonly remove: number };
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0;
}
