/**
 * The versioned JSON documents of `--json` (docs/reference.md "JSON output"): one typed renderer per
 * document, so its shape is declared once and a change to it is a change to a type. The
 * plan's is in src/plan/render-json.ts (a saved plan is read back), apply's in
 * src/apply/report.ts, the error document in ./report-error.ts. Key order is part of the
 * output: these build each object in the order it is printed.
 */
import type { BackupMeta } from '../apply/backups.js';
import type { RollbackResult } from '../apply/rollback.js';
import type { DoctorReport } from '../doctor/run.js';
import { formatProblem, type McpformError, type Problem } from '../errors.js';
import type { TestRun } from '../health/run.js';
import type { LockResult } from '../lock/run.js';
import type { ImportUpdate } from '../lock/update-imports.js';
import type { ProbeResult } from '../probe/types.js';
import type { FoundClient } from '../targets/discover.js';
import { errorDocument, type ErrorBody } from './report-error.js';

/** `test --json`. */
export interface TestDocument {
  formatVersion: 1;
  environment: string;
  results: readonly ProbeResult[];
  /** Present when a server failed (exit 1): the error every failing --json document carries. */
  error?: ErrorBody;
}

export function testDocument(run: Pick<TestRun, 'environment' | 'results' | 'failure'>): TestDocument {
  return {
    formatVersion: 1,
    environment: run.environment,
    results: run.results,
    ...(run.failure ? { error: errorDocument(run.failure).error } : {}),
  };
}

/** `doctor --json`: one client's report, or with `--target all` one per client. */
export type DoctorDocument =
  | ({ formatVersion: 1 } & DoctorReport & { error?: ErrorBody })
  | { formatVersion: 1; targets: readonly DoctorReport[]; error?: ErrorBody };

export function doctorDocument(
  reports: readonly DoctorReport[],
  opts: { all: boolean; failure?: McpformError },
): DoctorDocument {
  const error = opts.failure ? { error: errorDocument(opts.failure).error } : {};
  return opts.all ? { formatVersion: 1, targets: reports, ...error } : { formatVersion: 1, ...reports[0]!, ...error };
}

/** `lock --json`. */
export interface LockDocument {
  formatVersion: 1;
  path: string;
  written: boolean;
  pinned: readonly string[];
  recorded: readonly string[];
  /** Servers whose handshake failed, not asked for by name: nothing recorded for them (exit 0). */
  unrecorded: readonly string[];
  /** Servers with `test: { skip: true }`: not started, no fingerprint. */
  skipped: readonly string[];
  /** With `--update` naming git imports (or all). */
  imports?: readonly ImportUpdate[];
}

export function lockDocument(result: LockResult): LockDocument {
  return {
    formatVersion: 1,
    path: result.path,
    written: result.written,
    pinned: result.pinned,
    recorded: result.recorded,
    unrecorded: result.unrecorded,
    skipped: result.skipped,
    ...(result.imports ? { imports: result.imports } : {}),
  };
}

/** `backups --json`: each backup's metadata (the ownership record it restores stays private). */
export interface BackupsDocument {
  formatVersion: 1;
  backups: readonly Omit<BackupMeta, 'ownership'>[];
}

export function backupsDocument(all: readonly BackupMeta[]): BackupsDocument {
  return { formatVersion: 1, backups: all.map(({ ownership: _o, ...b }) => b) };
}

/** `rollback --json`. */
export interface RollbackDocument {
  formatVersion: 1;
  restored: string;
  changed: boolean;
  /** The backup that undoes this rollback; absent when nothing changed. */
  undo?: string;
}

export function rollbackDocument(result: RollbackResult): RollbackDocument {
  return { formatVersion: 1, restored: result.backup.id, changed: result.changed, undo: result.undo?.id };
}

/** `clients --json`. */
export interface ClientsDocument {
  formatVersion: 1;
  clients: readonly FoundClient[];
}

export function clientsDocument(found: readonly FoundClient[]): ClientsDocument {
  return { formatVersion: 1, clients: found };
}

/** `validate --json`: valid, with what was counted; or not, with every problem (exit 1). */
export type ValidateDocument =
  | {
      formatVersion: 1;
      valid: true;
      file: string;
      environments: readonly string[];
      servers: number;
      problems: [];
    }
  | {
      formatVersion: 1;
      valid: false;
      file: string;
      code: string;
      problems: readonly (Problem & { text: string })[];
      error: ErrorBody;
    };

export function validDocument(file: string, result: { environments: string[]; servers: number }): ValidateDocument {
  return { formatVersion: 1, valid: true, file, ...result, problems: [] };
}

export function invalidDocument(file: string, err: McpformError): ValidateDocument {
  const problems = err.problems.length ? err.problems : [{ message: err.message }];
  return {
    formatVersion: 1,
    valid: false,
    file,
    code: err.code,
    problems: problems.map((p) => ({ ...p, text: formatProblem(p) })),
    error: errorDocument(err).error,
  };
}
