import type { ErrorObject } from 'ajv';
import validateMcp from '../generated/validate-mcp.js';
import type { Problem, SourceLocation } from '../errors.js';
import { locate, type PathSegment, type SourceFile } from './source.js';
import { splitPointer as splitJsonPointer } from '../util/pointer.js';
import { closest } from '../util/closest.js';

/** Keys the schema allows, for "did you mean" (a test keeps them equal to the schema). */
export const KNOWN_KEYS: Record<string, string[]> = {
  top: ['version', 'defaultEnvironment', 'envFile', 'imports', 'targets', 'servers', 'environments', 'reconcile'],
  server: [
    'description',
    'command',
    'package',
    'url',
    'args',
    'env',
    'cwd',
    'verbatim',
    'headers',
    'transport',
    'test',
  ],
  environment: ['description', 'extends', 'servers', 'exclude', 'overrides'],
  test: ['timeout', 'expectTools', 'skip', 'call'],
  gitImport: ['git', 'ref', 'path'],
  reconcile: ['selfHeal', 'interval', 'autoApply'],
};

/** Checks one file against schemas/mcp.schema.json; each problem located in that file. */
export function checkSchema(source: SourceFile, value: unknown): Problem[] {
  return checkSchemaAt(value, (path, key) => locate(source, path, key));
}

/** Where a value at a document path is written (it may be spread over several files). */
export type Locator = (path: PathSegment[], key?: boolean) => SourceLocation;

/**
 * One server after its environment's overrides are merged in, checked against the full
 * server schema (types, unknown keys, durations): an override may break what each file
 * alone gets right. Each problem is located where the offending value is written.
 */
export function checkMergedServer(name: string, merged: unknown, where: Locator): Problem[] {
  return checkSchemaAt({ version: 1, servers: { [name]: merged } }, (path, key) => where(path.slice(2), key));
}

function checkSchemaAt(value: unknown, where: Locator): Problem[] {
  if (validateMcp(value)) return [];
  const errors = pruneErrors(validateMcp.errors ?? []);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of errors) {
    const p = toProblem(where, e);
    const id = `${p.location?.line}:${p.location?.col}:${p.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(p);
    }
  }
  return problems;
}

// oneOf produces one error per failed branch plus the oneOf itself. A person wants either
// the specific error inside the value (an unknown key, a bad list item) or, when the value
// has plainly the wrong shape, the one-line oneOf summary.
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const under = (e: ErrorObject, p: string) => e.instancePath.startsWith(p + '/');
  return errors.filter((e) => {
    if (e.keyword === 'additionalProperties') return true;
    if (e.keyword === 'oneOf')
      return !errors.some(
        (o) =>
          o.keyword !== 'oneOf' &&
          (under(o, e.instancePath) || (o.keyword === 'additionalProperties' && o.instancePath === e.instancePath)),
      );
    return !oneOfPaths.has(e.instancePath);
  });
}

function splitPointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return splitJsonPointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describePath(path: PathSegment[]): string {
  if (path.length === 0) return 'the document';
  if (path[0] === 'servers' && path.length >= 2) {
    const rest = path.slice(2).join('.');
    return rest ? `server '${path[1]}' field '${rest}'` : `server '${path[1]}'`;
  }
  if (path[0] === 'environments' && path.length >= 2) {
    const rest = path.slice(2).join('.');
    return rest ? `environment '${path[1]}' field '${rest}'` : `environment '${path[1]}'`;
  }
  return `'${path.join('.')}'`;
}

function contextKeys(path: PathSegment[]): string[] {
  if (path.length === 0) return KNOWN_KEYS.top!;
  if (path[0] === 'servers' && path.length === 2) return KNOWN_KEYS.server!;
  if (path[0] === 'servers' && path[2] === 'test' && path.length === 3) return KNOWN_KEYS.test!;
  if (path[0] === 'environments' && path.length === 2) return KNOWN_KEYS.environment!;
  if (path[0] === 'imports' && path.length === 2) return KNOWN_KEYS.gitImport!;
  if (path[0] === 'reconcile' && path.length === 1) return KNOWN_KEYS.reconcile!;
  return [];
}

function toProblem(at: Locator, e: ErrorObject): Problem {
  const path = splitPointer(e.instancePath);
  const where = describePath(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = contextKeys(path);
      const guess = closest(extra, known);
      const hint = guess ? ` (did you mean '${guess}'?)` : known.length ? ` (allowed: ${known.join(', ')})` : '';
      return { message: `unknown key '${extra}' in ${where}${hint}`, location: at([...path, extra], true) };
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const extra = missing === 'version' ? "; add 'version: 1' at the top" : '';
      return { message: `${where} is missing required key '${missing}'${extra}`, location: at(path) };
    }
    case 'type': {
      // `args:` indented as a server name: it belongs to the server above, one level in.
      const field =
        path[0] === 'servers' && path.length === 2 && KNOWN_KEYS.server!.includes(String(path[1]))
          ? `; '${path[1]}' is a server field indented as a server name: indent it to line up with the fields of the server above`
          : '';
      return {
        message: `${where} must be ${article((e.params as { type: string }).type)}${field}`,
        location: at(path),
      };
    }
    case 'const':
      return {
        message: `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
        location: at(path),
      };
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => String(v));
      const target = path[0] === 'targets' ? 'target' : 'value';
      return {
        message: `${where}: unsupported ${target}; allowed: ${allowed.join(', ')}`,
        location: at(path),
      };
    }
    case 'pattern':
      if ((e.params as { pattern: string }).pattern === '\\S')
        return { message: `${where} must not be empty`, location: at(path) };
      return { message: `${where} ${patternHint(path)}`, location: at(path) };
    case 'minLength':
      return { message: `${where} must not be empty`, location: at(path) };
    case 'oneOf':
      return { message: `${where} ${oneOfHint(path)}`, location: at(path) };
    default:
      return { message: `${where} ${e.message ?? 'is invalid'}`, location: at(path) };
  }
}

function patternHint(path: PathSegment[]): string {
  const field = path[path.length - 1];
  if (field === 'package') return "must look like 'npm:NAME' or 'npm:NAME@RANGE'";
  if (field === 'url') return 'must start with http:// or https://';
  if (field === 'timeout' || field === 'interval') return "must be a duration such as '30s', '1m' or '500ms'";
  return 'has an invalid format';
}

function oneOfHint(path: PathSegment[]): string {
  if (path[0] === 'targets' && path.length === 1) return 'must be a list of target names or a map of name -> { path }';
  if (path[path.length - 1] === 'timeout' || (path[0] === 'reconcile' && path[1] === 'interval'))
    return "must be a duration such as '30s', '1m' or '500ms'";
  if (path[0] === 'imports' && path.length === 2)
    return 'must be a file path or { git: URL, ref: TAG|BRANCH|SHA, path: FILE }';
  return 'has an invalid shape';
}

function article(type: string): string {
  const t = type.replace(/,/g, ' or ');
  if (t === 'object') return 'a map (key: value)';
  if (t === 'array') return 'a list';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
