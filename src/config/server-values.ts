import type { Problem } from '../errors.js';
import { Secret } from './interpolate.js';
import { isPlainObject, mergePatch } from './merge-patch.js';
import type { Locator } from './schema.js';
import { locate, type Located, type PathSegment } from './source.js';

/*
 * What each field may hold, beyond its type. Everything here ends up in argv, an
 * environment block, an HTTP header or a JSON file another program reads: a NUL makes spawn
 * throw, `=` in a variable name sets a different variable, CR/LF in a header injects
 * another. Line breaks and tabs stay allowed where real values carry them (a PEM key in an
 * env value, a script in an argument).
 */
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `s` holds any control character (C0 or DEL). */
export const hasControl = (s: string): boolean => ANY_CONTROL.test(s);

const textOf = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v instanceof Secret ? v.value : undefined;

/**
 * Control characters, and variable and header names a process or a server cannot take.
 * Works on a definition as written and after ${VAR}s were filled in (a Secret: its value
 * is never quoted in the message).
 */
export function checkServerValues(name: string, value: Record<string, unknown>, where: Locator): Problem[] {
  const problems: Problem[] = [];
  const field = (path: PathSegment[]) => `server '${name}' field '${path.join('.')}'`;
  const control = (v: unknown, path: PathSegment[], bad: RegExp) => {
    const text = textOf(v);
    const m = text === undefined ? null : bad.exec(text);
    if (!m) return;
    const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    const from = v instanceof Secret ? ' once its variables are filled in' : '';
    problems.push({
      message: `${field(path)} contains a control character (${code} at position ${m.index + 1})${from}; remove it`,
      location: where(path),
    });
  };
  for (const k of ['command', 'cwd', 'package', 'url'] as const) control(value[k], [k], ANY_CONTROL);
  const pkg = textOf(value.package);
  if (pkg !== undefined && !ANY_CONTROL.test(pkg)) {
    const why = packageProblem(pkg);
    if (why) problems.push({ message: `server '${name}' field 'package': ${why}`, location: where(['package']) });
  }
  if (Array.isArray(value.args)) value.args.forEach((a, i) => control(a, ['args', i], CONTROL_BUT_WHITESPACE));
  if (isPlainObject(value.env)) {
    for (const [k, v] of Object.entries(value.env)) {
      const why =
        k === ''
          ? 'an empty variable name'
          : k.includes('=')
            ? `variable name '${k}' contains '=' (the part after it would become the value)`
            : ANY_CONTROL.test(k)
              ? `variable name ${JSON.stringify(k)} contains a control character`
              : undefined;
      if (why) problems.push({ message: `server '${name}' env: ${why}; rename it`, location: where(['env', k], true) });
      else control(v, ['env', k], CONTROL_BUT_WHITESPACE);
    }
  }
  if (isPlainObject(value.headers)) {
    for (const [k, v] of Object.entries(value.headers)) {
      if (!HEADER_NAME.test(k))
        problems.push({
          message: `server '${name}' headers: ${JSON.stringify(k)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
          location: where(['headers', k], true),
        });
      else control(v, ['headers', k], CONTROL_BUT_TAB);
    }
  }
  return problems;
}

/** npm's rules for a package name (lower case, URL-safe, one optional @scope/). */
const NPM_NAME = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
/** What a semver range or dist-tag can hold: never ':' or '/', so no file:, git+, http: or user/repo. */
const NPM_RANGE = /^[A-Za-z0-9.^~<>=|*+ -]+$/;

/** `npm:NAME@RANGE` from the registry, or why not: mcp.lock pins registry versions only. */
function packageProblem(spec: string): string | undefined {
  const body = spec.replace(/^npm:/, '');
  const at = body.indexOf('@', 1);
  const pkgName = at === -1 ? body : body.slice(0, at);
  const range = at === -1 ? '' : body.slice(at + 1);
  if (!NPM_NAME.test(pkgName)) return `'${pkgName}' is not an npm package name`;
  if (range !== '' && !NPM_RANGE.test(range))
    return `'${range}' is not a version range or dist-tag (file:, git and URL specs cannot be pinned in mcp.lock; use command: for them)`;
  return undefined;
}

/** A server definition and the environment overrides merged into it, oldest first. */
export type Layers = readonly Located<unknown>[];

/** The definition with every override merged in, as written (before ${VAR}s). */
export function mergeLayers(layers: Layers): unknown {
  return layers.slice(1).reduce((v, ov) => mergePatch(v, ov.value), layers[0]!.value);
}

/**
 * Where a field of a merged server is written: the last layer (override, else the
 * definition) that sets it, else the last layer that touches its parent.
 */
export function layerLocator(layers: Layers): Locator {
  return (path, key = false) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      for (let i = layers.length - 1; i >= 0; i--) {
        const l = layers[i]!;
        if (has(l.value, prefix)) return locate(l.source, [...l.path, ...prefix], key && depth === path.length);
      }
    }
    const last = layers[layers.length - 1]!;
    return locate(last.source, last.path);
  };
}

function has(v: unknown, path: readonly PathSegment[]): boolean {
  let node = v;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isPlainObject(node) && Object.prototype.hasOwnProperty.call(node, seg)) node = node[seg];
    else return false;
    if (node === undefined) return false;
  }
  return true;
}

/** Paths and names at the top of a file (envFile, imports, target paths): no control characters either. */
export function checkFileValues(value: Record<string, unknown>, source: Located<unknown>['source']): Problem[] {
  const found: Problem[] = [];
  const check = (v: unknown, path: PathSegment[]) => {
    if (typeof v !== 'string') return;
    const m = ANY_CONTROL.exec(v);
    if (m)
      found.push({
        message: `'${path.join('.')}' contains a control character (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at position ${m.index + 1}); remove it`,
        location: locate(source, path),
      });
  };
  check(value.envFile, ['envFile']);
  check(value.defaultEnvironment, ['defaultEnvironment']);
  if (Array.isArray(value.imports)) value.imports.forEach((v, i) => check(v, ['imports', i]));
  if (isPlainObject(value.targets))
    for (const [name, spec] of Object.entries(value.targets))
      if (isPlainObject(spec)) check(spec.path, ['targets', name, 'path']);
  return found;
}
