import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { invalidConfig, type Problem } from '../errors.js';
import { expandHome } from '../util/paths.js';
import type { RawEnvironment } from './environments.js';
import { isPlainObject } from './merge-patch.js';
import { nameProblem } from './names.js';
import { checkSchema, KNOWN_KEYS } from './schema.js';
import { checkFileValues, checkServerValues, hasControl, layerLocator } from './server-values.js';
import { configError, locate, readSource, toPlain, type Located, type PathSegment, type SourceFile } from './source.js';
import { gitProfileProblems } from './git/profile-rules.js';
import { GitImportsPending, type GitImportState, type GitPendingRead, type GitReader } from './git/reader.js';
import { gitDisplay, isGitImport, joinInRepo, parseGitImport, type GitImportSpec } from './git/spec.js';
import { parseSource } from './source.js';
import type { World } from '../world.js';

/** mcp.yaml and everything it imports, checked and merged: the definitions, with where each came from. */
export interface ProjectFiles {
  root: SourceFile;
  rootValue: Record<string, unknown>;
  files: SourceFile[];
  servers: Map<string, Located<Record<string, unknown>>>;
  environments: Map<string, Located<RawEnvironment>>;
  /** The imports read from git (empty without any). */
  gitImports: GitImportState[];
  /** What each file imports, by `absPath`: a profile's reach (see `reaches`). */
  importGraph: ReadonlyMap<string, readonly string[]>;
}

/** Whether `file` is `from` or something `from` imports, directly or not. */
export function reaches(project: Pick<ProjectFiles, 'importGraph'>, from: SourceFile, file: SourceFile): boolean {
  const seen = new Set<string>();
  const queue = [from.absPath];
  while (queue.length) {
    const at = queue.pop()!;
    if (at === file.absPath) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    queue.push(...(project.importGraph.get(at) ?? []));
  }
  return false;
}

/**
 * Reads the root file and its imports (depth first), checking each against the schema. File
 * names are shown relative to the World's cwd; `~` in an import is its home.
 */
export function readProject(
  file: string,
  world: Pick<World, 'cwd' | 'home' | 'platform'>,
  git?: GitReader,
  /** Given (validate): problems in files that did parse go here instead of being thrown. */
  sink?: Problem[],
): ProjectFiles {
  const displayBase = world.cwd;
  const problems: Problem[] = [];
  // A file that could not be read or parsed leaves nothing to check beyond it; anything else
  // (the schema, a name, a value) does not stop the other checks, so validate shows them all.
  let unreadable = false;
  // Files from git have no path on disk: they are visited under an id that names them.
  const gitFiles = new Map<string, { spec: GitImportSpec; path: string }>();
  const pending: GitPendingRead[] = [];
  const gitId = (spec: GitImportSpec, path: string) => {
    const id = `git:${gitDisplay(spec.url, spec.ref, path)}`;
    gitFiles.set(id, { spec, path });
    return id;
  };
  const readGit = (id: string, from?: { source: SourceFile; index: number }) => {
    const { spec, path } = gitFiles.get(id)!;
    const got = git?.read(spec, path);
    const display = gitDisplay(spec.url, spec.ref, path);
    if (got === undefined) {
      const where = from ? locate(from.source, ['imports', from.index]) : { file: display, line: 1, col: 1 };
      pending.push({ spec, path, where });
      return { problems: [] as Problem[] };
    }
    if ('problem' in got) return { problems: [{ message: got.problem }] as Problem[] };
    const parsed = parseSource(got.text, display, id);
    return { source: parsed.source && { ...parsed.source, git: got.ref }, problems: parsed.problems };
  };
  const files: SourceFile[] = [];
  const values = new Map<SourceFile, Record<string, unknown>>();
  const importGraph = new Map<string, string[]>();
  const display = (p: string) => {
    if (gitFiles.has(p)) return p.slice('git:'.length);
    const rel = relative(displayBase, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };

  const visit = (abs: string, stack: string[], from?: { source: SourceFile; index: number }): void => {
    if (stack.includes(abs)) {
      const cycle = [...stack.slice(stack.indexOf(abs)), abs].map(display).join(' -> ');
      problems.push(
        from
          ? configError(from.source, ['imports', from.index], `import cycle: ${cycle}`)
          : { message: `import cycle: ${cycle}` },
      );
      return;
    }
    if (files.some((f) => f.absPath === abs)) return; // a diamond: already merged
    const { source, problems: readProblems } = gitFiles.has(abs) ? readGit(abs, from) : readSource(abs, display(abs));
    if (!source) {
      unreadable = true;
      if (from) {
        for (const p of readProblems)
          problems.push(
            p.location ? p : configError(from.source, ['imports', from.index], `cannot import: ${p.message}`),
          );
      } else problems.push(...readProblems);
      return;
    }
    const plain = toPlain(source);
    if (plain.problems.length) return void ((unreadable = true), problems.push(...plain.problems));
    if (!isPlainObject(plain.value)) {
      unreadable = true;
      problems.push({
        message: 'the file must be a YAML map with at least `version: 1`',
        location: locate(source, []),
      });
      return;
    }
    const schemaProblems = checkSchema(source, plain.value);
    problems.push(...schemaProblems, ...checkFileValues(plain.value, source));
    if (source.git) problems.push(...gitProfileProblems(source, plain.value));
    values.set(source, plain.value);
    const edges: string[] = [];
    importGraph.set(abs, edges);
    const follow = (child: string, index: number) => {
      edges.push(child);
      visit(child, [...stack, abs], { source, index });
    };
    const imports = Array.isArray(plain.value.imports) ? plain.value.imports : [];
    imports.forEach((imp, index) => {
      if (isGitImport(imp)) {
        const { spec, problem, field } = parseGitImport(imp);
        if (problem) return void problems.push(configError(source, ['imports', index, field!], problem));
        if (spec) follow(gitId(spec, spec.path), index);
        return;
      }
      if (typeof imp !== 'string' || hasControl(imp)) return; // reported above
      if (source.git) {
        // Inside a git profile: the same repository at the same commit, never outside it.
        const inRepo = joinInRepo(source.git.path, imp);
        if (inRepo.problem) return void problems.push(configError(source, ['imports', index], inRepo.problem));
        const { spec } = gitFiles.get(abs)!;
        return follow(gitId(spec, inRepo.path!), index);
      }
      follow(resolve(dirname(abs), expandHome(imp, world)), index);
    });
    files.push(source);
  };
  visit(resolve(file), []);
  // Whatever else is wrong may be fixed by the files still to come: fetch them first.
  if (pending.length) throw new GitImportsPending(pending);
  if (problems.length && unreadable) throw invalidConfig(problems);

  const root = files[files.length - 1]!;
  const servers = new Map<string, Located<Record<string, unknown>>>();
  const environments = new Map<string, Located<RawEnvironment>>();
  // Imports were pushed before their importer, so later files win: local definitions win.
  for (const source of files) {
    const v = values.get(source)!;
    for (const [section, into] of [
      ['servers', servers],
      ['environments', environments],
    ] as const) {
      const map = v[section];
      if (!isPlainObject(map)) continue;
      for (const name of Object.keys(map)) {
        const why = nameProblem(name);
        if (why) {
          problems.push(
            configError(source, [section, name], `${section === 'servers' ? 'server' : 'environment'} ${why}`, true),
          );
          continue;
        }
        (into as Map<string, Located<unknown>>).set(name, { value: map[name], source, path: [section, name] });
      }
    }
  }
  for (const [name, def] of servers) {
    if (!isPlainObject(def.value)) continue; // the schema said so
    // A key the schema did not know is most often a mistyped `command`: "needs exactly one of"
    // would only repeat that problem in other words.
    const mistyped = Object.keys(def.value).some((k) => !KNOWN_KEYS.server!.includes(k));
    if (!mistyped) checkServerShape(name, def.value, def.source, def.path, problems);
    problems.push(...checkServerValues(name, def.value, layerLocator([def])));
  }
  if (problems.length && !sink) throw invalidConfig(problems);
  sink?.push(...problems);
  return {
    root,
    rootValue: values.get(root)!,
    files,
    servers,
    environments,
    gitImports: gitImportsOf(files, values),
    importGraph,
  };
}

export function absolute(source: SourceFile): string {
  return source.absPath;
}

const KIND_KEYS = ['command', 'package', 'url'] as const;

export function checkServerShape(
  name: string,
  value: Record<string, unknown>,
  source: SourceFile,
  path: PathSegment[],
  problems: Problem[],
): void {
  const kinds = KIND_KEYS.filter((k) => value[k] !== undefined);
  if (kinds.length === 0) {
    problems.push(
      configError(source, path, `server '${name}' needs exactly one of 'command', 'package' or 'url'`, true),
    );
  } else if (kinds.length > 1) {
    problems.push(
      configError(
        source,
        [...path, kinds[1]!],
        `server '${name}' has both '${kinds[0]}' and '${kinds[1]}'; a server is exactly one of command, package or url`,
        true,
      ),
    );
  }
  if (kinds.length === 1 && kinds[0] === 'url') {
    for (const k of ['args', 'env', 'cwd'] as const) {
      if (value[k] !== undefined)
        problems.push(
          configError(
            source,
            [...path, k],
            `server '${name}' is a remote 'url' server; '${k}' applies only to command/package servers`,
            true,
          ),
        );
    }
  } else if (kinds.length === 1) {
    for (const k of ['headers', 'transport'] as const) {
      if (value[k] !== undefined)
        problems.push(
          configError(source, [...path, k], `server '${name}': '${k}' applies only to 'url' servers`, true),
        );
    }
  }
}

export function hashSources(files: SourceFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.text}\0`);
  return `sha256:${h.digest('hex')}`;
}

/** Per git import: the commit and every file read from it, and the servers its files define. */
function gitImportsOf(files: SourceFile[], values: Map<SourceFile, Record<string, unknown>>): GitImportState[] {
  const byKey = new Map<string, GitImportState & { files: Record<string, string>; servers: Record<string, unknown> }>();
  for (const f of files) {
    if (!f.git) continue;
    const g = f.git;
    const entry = byKey.get(g.key) ?? {
      key: g.key,
      url: g.url,
      ref: g.ref,
      commit: g.commit,
      files: {},
      locked: g.locked,
      moved: g.moved,
      servers: {},
    };
    entry.files[g.path] = g.sha256;
    const servers = values.get(f)?.servers;
    if (isPlainObject(servers)) Object.assign(entry.servers, servers);
    byKey.set(g.key, entry);
  }
  return [...byKey.values()];
}
