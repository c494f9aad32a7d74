import type { SourceLocation } from '../errors.js';
import type { GitImportState } from './git/reader.js';
import type { TemplatePart } from './interpolate.js';

/** A server as declared in mcp.yaml, after imports, environment overrides and ${VAR}s. */
export interface DesiredServer {
  readonly name: string;
  readonly kind: 'command' | 'package' | 'url';
  readonly description?: string;
  readonly command?: string;
  /** For `package` servers: npm name and requested range (`npm:NAME@RANGE`). */
  readonly package?: { readonly name: string; readonly range: string };
  readonly url?: string;
  readonly transport?: 'http' | 'sse';
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly test: ServerTest;
  /**
   * JSON pointers (`/env/GITHUB_TOKEN`, `/args/2`, `/headers/Authorization`) of the values
   * that are secret: interpolated, or under a secret-looking env/header key.
   */
  readonly sensitive: ReadonlySet<string>;
  /**
   * The interpolated fields as written, by the same pointers (`/env/TOKEN`: [{ name: 'GH' }]),
   * for `secrets: reference`. Absent for servers not built by the loader.
   */
  readonly references?: Readonly<Record<string, readonly TemplatePart[]>>;
  /**
   * The secret values to mask in any output: each sensitive field's value, and each
   * variable's value interpolated into it (the `PW` of `postgres://u:${PW}@h/db`).
   */
  readonly secrets: readonly string[];
  /** Where the server is defined, for messages. */
  readonly origin: SourceLocation;
}

export interface ServerTest {
  readonly timeoutMs: number;
  readonly expectTools: readonly string[];
  readonly skip: boolean;
  readonly call?: { readonly tool: string; readonly arguments: Record<string, unknown>; readonly expect?: string };
}

export interface TargetSpec {
  /** A client name from the registry (src/targets/index.ts), checked by the loader. */
  readonly name: string;
  /** A path given in mcp.yaml (already resolved against its folder). */
  readonly path?: string;
  /** Which of the client's files (`user`, `local`, `project`, `workspace`); checked against the client's scopes. */
  readonly scope?: string;
  /** `reference`: write the client's own variable reference instead of a secret's value. Default `value`. */
  readonly secrets?: 'value' | 'reference';
  /** The folder of mcp.yaml: project scopes live there. */
  readonly base?: string;
  /** `targets: { NAME: { servers: [...] } }`: only these servers go to this client; absent: all. */
  readonly servers?: readonly string[];
}

/** Everything later stages need, for one environment. Frozen. */
export interface DesiredState {
  /** Absolute path of the root mcp.yaml. */
  readonly file: string;
  readonly environment: string;
  readonly environments: readonly string[];
  readonly servers: readonly DesiredServer[];
  /** Every server name mcp.yaml (with its imports) declares, in any environment. */
  readonly declaredServers: readonly string[];
  readonly targets: readonly TargetSpec[];
  /** Every file read from disk (root, imports; not those from git); with the git files' text, `sourceHash`. */
  readonly sources: readonly string[];
  readonly sourceHash: string;
  /** The env file read for ${VAR}s: `envFile`, else `.env` beside mcp.yaml (it may not exist). */
  readonly envFile: string;
  /** The imports read from git, pinned as in mcp.lock (absent without any). */
  readonly gitImports?: readonly GitImportState[];
  /** The root file's `reconcile:` block (absent: report only, every 5 minutes). */
  readonly reconcile?: ReconcileSettings;
}

/** mcp.yaml's `reconcile:`: what the reconciler may do for this project. */
export interface ReconcileSettings {
  readonly selfHeal: boolean;
  readonly intervalMs: number;
  readonly autoApply: boolean;
}

export const DEFAULT_RECONCILE_INTERVAL_MS = 5 * 60_000;

export const DEFAULT_TEST_TIMEOUT_MS = 30_000;
