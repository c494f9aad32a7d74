import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { join } from 'node:path';
import { findUp, safeRead } from './interpreter.js';
import { shellCommand } from '../util/shell-quote.js';

/** PEP 503: `Foo_Bar.baz` and `foo-bar-baz` are the same distribution. */
export function normalizeDist(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Distribution names in one requirement line (`mcp[cli]>=1.2 ; python_version>"3"` is `mcp`); options, paths and URLs are skipped. */
export function requirementName(line: string): string | undefined {
  const text = line.replace(/(^|\s)#.*$/, '').trim();
  if (!text || text.startsWith('-') || text.includes('://') || /^[./~]/.test(text)) {
    // `name @ https://...` still names a distribution
    const at = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*@/.exec(text);
    return at ? normalizeDist(at[1]!) : undefined;
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text);
  return m ? normalizeDist(m[1]!) : undefined;
}

/** What a Python project says it needs: requirements.txt and pyproject's [project].dependencies. */
export function declaredPythonDeps(
  root: string,
  pyproject?: { project?: { dependencies?: unknown } },
): {
  names: string[];
  sources: string[];
} {
  const names = new Set<string>();
  const sources: string[] = [];
  const req = join(root, 'requirements.txt');
  if (existsSync(req)) {
    sources.push('requirements.txt');
    for (const line of safeRead(req).split(/\r?\n/)) {
      const n = requirementName(line);
      if (n) names.add(n);
    }
  }
  const deps = pyproject?.project?.dependencies;
  if (Array.isArray(deps) && deps.length) {
    sources.push('pyproject.toml');
    for (const d of deps) {
      const n = typeof d === 'string' ? requirementName(d) : undefined;
      if (n) names.add(n);
    }
  }
  return { names: [...names], sources };
}

/**
 * Distributions installed in a venv or conda prefix, read from its site-packages
 * (`*.dist-info`, `*.egg-info`): no Python is started, so this is quick and works on a
 * venv made for another OS.
 */
export function installedPythonDists(prefix: string): Set<string> {
  const out = new Set<string>();
  const sitePackages: string[] = [join(prefix, 'Lib', 'site-packages')];
  for (const lib of ['lib', 'lib64']) {
    for (const e of list(join(prefix, lib)))
      if (/^(python|pypy)\d/.test(e)) sitePackages.push(join(prefix, lib, e, 'site-packages'));
  }
  for (const dir of sitePackages) {
    for (const e of list(dir)) {
      const m = /^(.+?)(-[^-]*)?\.(dist-info|egg-info)$/.exec(e);
      if (m) out.add(normalizeDist(m[1]!));
    }
  }
  return out;
}

/** The warning for a Python project whose declared dependencies are not in the environment that runs it. */
export function missingPythonDeps(
  root: string,
  python: { prefix?: string; command: string },
  pyproject?: { project?: { dependencies?: unknown } },
): string | undefined {
  const declared = declaredPythonDeps(root, pyproject);
  if (declared.names.length === 0) return undefined;
  // uv installs what the project declares when it runs it.
  if (!python.prefix && /^uvx?(\.exe)?$/i.test(basename(python.command))) return undefined;
  // Only a Python is asked: the command may be the user's own executable script.
  const isPython = /^(python[\d.]*|py|pypy[\d.]*)(\.exe)?$/i.test(basename(python.command));
  const installed = python.prefix
    ? installedPythonDists(python.prefix)
    : isPython
      ? distsOf(python.command)
      : undefined;
  if (!installed) return undefined;
  const missing = declared.names.filter((n) => !installed.has(n));
  if (missing.length === 0) return undefined;
  const where = python.prefix ?? `${python.command} (the system Python: no venv/.venv in the project or one folder up)`;
  const what = declared.sources.includes('requirements.txt') ? ['-r', 'requirements.txt'] : ['-e', '.'];
  const pip = python.prefix
    ? shellCommand([python.command, '-m', 'pip', 'install', ...what])
    : `${shellCommand([python.command, '-m', 'venv', '.venv'])} && ${shellCommand(['.venv/bin/python', '-m', 'pip', 'install', ...what])}, then 'mcpform add' the folder again with --force`;
  return `${declared.sources.join(' and ')} declare${declared.sources.length === 1 ? 's' : ''} ${missing.join(', ')}, not installed in ${where}; the server will fail to start until you run (in ${root}): ${pip}`;
}

/**
 * What an interpreter without a venv has installed (the system Python, its user site
 * included): asked of the interpreter itself, since its site-packages could be anywhere.
 * Undefined when it cannot say (not a Python, too slow).
 */
function distsOf(command: string): Set<string> | undefined {
  const code =
    'import importlib.metadata as m, json; print(json.dumps([d.metadata["Name"] or "" for d in m.distributions()]))';
  const r = spawnSync(command, ['-c', code], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
  if (r.status !== 0) return undefined;
  try {
    return new Set((JSON.parse(r.stdout) as string[]).map(normalizeDist));
  } catch {
    return undefined;
  }
}

/** The warning for a Node project whose dependencies are not installed (no node_modules for them). */
export function missingNodeDeps(root: string, pkg: { dependencies?: unknown }): string | undefined {
  const deps = pkg.dependencies && typeof pkg.dependencies === 'object' ? Object.keys(pkg.dependencies) : [];
  // Workspaces hoist dependencies: look in every node_modules from the project up.
  const missing = deps.filter((d) => !findUp(root, [join('node_modules', d, 'package.json')]));
  if (missing.length === 0) return undefined;
  return `package.json declares ${missing.join(', ')}, not installed; run 'npm install' in ${root}`;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
