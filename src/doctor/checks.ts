import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { whichCommand } from '../probe/environment.js';
import { launchEnvironment, pathOf, type LaunchKind } from '../targets/launch-env.js';
import type { ServerDirectory } from '../probe/client-dir.js';
import type { WindowsStart } from '../targets/windows-start.js';
import { isCmd, percentVariables } from '../targets/windows-vars.js';
import type { ClientEntry, ServerCwd } from '../targets/types.js';
import { pathsOf, type World } from '../world.js';

/** One thing that is wrong, in the words of someone who has to fix it. */
export interface Finding {
  id: string;
  server?: string;
  severity: 'error' | 'warning';
  /** What the user sees. */
  symptom: string;
  cause: string;
  fix: string;
}

const VERSION_MANAGERS: [RegExp, string][] = [
  [/[/\\]\.nvm[/\\]/, 'nvm'],
  [/[/\\]\.asdf[/\\]/, 'asdf'],
  [/[/\\]\.volta[/\\]/, 'Volta'],
  [/fnm/, 'fnm'],
  [/[/\\]mise[/\\]|[/\\]\.local[/\\]share[/\\]mise/, 'mise'],
  [/[/\\]\.pyenv[/\\]/, 'pyenv'],
];

/** Static checks of one entry as the client would run it: no process is started here. */
export function checkEntry(
  name: string,
  entry: ClientEntry,
  ctx: {
    platform: NodeJS.Platform;
    env: World['env'];
    launch?: LaunchKind;
    dir?: ClientDirectory;
    windowsStart?: WindowsStart;
    /** Where the client expands `%VAR%` on Windows itself (TargetAdapter.percentVariables). */
    percentVariables?: 'env';
    /** The file check of the PATH lookup (tests give a darwin or win32 World a fake one). */
    isFile?: (path: string) => boolean;
  },
): Finding[] {
  const out: Finding[] = [];
  const command = typeof entry.command === 'string' ? entry.command : '';
  const args = Array.isArray(entry.args) ? entry.args.map(String) : [];
  const entryEnv = (entry.env && typeof entry.env === 'object' ? entry.env : {}) as Record<string, string>;
  if (!command) {
    return [
      {
        id: 'no-command',
        server: name,
        severity: 'error',
        symptom: `${name} never starts`,
        cause: 'the entry has no "command"',
        fix: 'give it a command (and args), or remove it',
      },
    ];
  }
  // Only a client that starts commands without a shell (`plain`, the default) fails on the
  // shim; a `resolving` one finds npx.cmd itself and runs it through cmd.
  if (
    ctx.platform === 'win32' &&
    ctx.windowsStart !== 'resolving' &&
    /^(npx|npm|pnpm|yarn|bunx)(\.cmd)?$/i.test(command)
  ) {
    out.push({
      id: 'windows-npx',
      server: name,
      severity: 'error',
      symptom: `${name} fails to start on Windows ("spawn ${command} ${/\.cmd$/i.test(command) ? 'EINVAL' : 'ENOENT'}")`,
      cause: `on Windows ${command.replace(/\.cmd$/i, '')} is ${command.replace(/\.cmd$/i, '')}.cmd, a batch file the client cannot start without a shell`,
      fix: `start it through cmd: "command": "cmd", "args": ["/c", ${[command, ...args].map((a) => JSON.stringify(a)).join(', ')}]`,
    });
  } else if (!isAbsolute(command) && /[/\\]/.test(command)) {
    const f = relativeFinding(name, 'relative-command', `the command ${command}`, ctx.dir);
    if (f) out.push(f);
  } else if (!isAbsolute(command)) {
    // The same model `test` and apply's checks start servers with (src/targets/launch-env.ts).
    const client = {
      PATH: entryEnv.PATH ?? pathOf(launchEnvironment(ctx.launch ?? 'gui', ctx.env, ctx.platform)) ?? '',
    };
    // PATHEXT's rules: a batch file a plain client cannot start is the probe's finding (prepare.ts).
    const where = { platform: ctx.platform };
    if (!whichCommand(command, client, where, ctx.isFile)) {
      const inShell = whichCommand(command, { PATH: pathOf(ctx.env) ?? '' }, where, ctx.isFile);
      const manager = inShell && VERSION_MANAGERS.find(([re]) => re.test(inShell))?.[1];
      out.push(
        inShell
          ? {
              id: 'command-not-on-client-path',
              server: name,
              severity: 'error',
              symptom: `${name} fails to start in the client ("spawn ${command} ENOENT") but works in your terminal`,
              cause: `${command} is ${inShell}${manager ? `, installed by ${manager}` : ''}, which is on your shell's PATH but not on the PATH the client gives servers (${client.PATH})`,
              fix: `use the absolute path "command": ${JSON.stringify(inShell)}${/^(npx|npm|node|pnpm|yarn)$/.test(command) ? `, and since it starts node through its #! line, add "env": { "PATH": ${JSON.stringify(`${pathsOf(ctx).join(inShell, '..')}:/usr/bin:/bin`)} }` : ''}`,
            }
          : {
              id: 'command-not-found',
              server: name,
              severity: 'error',
              symptom: `${name} never starts`,
              cause: `${command} is not installed (not on any PATH)`,
              fix: `install ${command}, or fix the command in mcp.yaml`,
            },
      );
    }
  }
  if (/^npx(\.cmd)?$/i.test(command.replace(/^.*[/\\]/, '')) && !args.some((a) => a === '-y' || a === '--yes')) {
    out.push({
      id: 'npx-prompt',
      server: name,
      severity: 'error',
      symptom: `${name} hangs as "connecting" the first time, or after an update`,
      cause: 'npx without -y asks "Ok to proceed? (y)" before installing a package, and the client never answers',
      fix: `add "-y" as the first argument: "args": ["-y", ${args.map((a) => JSON.stringify(a)).join(', ')}]`,
    });
  }
  // No shell between the client and the server: a leading `~` reaches it as the character.
  const tilde = [
    ...args.map((a) => [`the argument`, a] as const),
    ...Object.entries(entryEnv).map(([k, v]) => [`env ${k}`, v] as const),
  ].find(([, v]) => typeof v === 'string' && /^~(?:[/\\]|$)/.test(v));
  if (tilde) {
    const home = ctx.env.HOME || ctx.env.USERPROFILE;
    out.push({
      id: 'tilde-not-expanded',
      server: name,
      severity: 'error',
      symptom: `${name} cannot find its files, or makes a folder literally named "~"`,
      cause: `${tilde[0]} ${JSON.stringify(tilde[1])} starts with ~: the client starts servers without a shell, so nothing turns it into your home folder`,
      fix: `use the absolute path${home ? ` (${JSON.stringify(home + tilde[1].slice(1))})` : ''}, or write \${HOME}${tilde[1].slice(1)} in mcp.yaml: mcpform expands it when it writes the entry`,
    });
  }
  if (entry.disabled === true || entry.enabled === false) {
    out.push({
      id: 'disabled',
      server: name,
      severity: 'warning',
      symptom: `${name} is not among the client's tools`,
      cause: `the entry is turned off (${entry.disabled === true ? 'disabled: true' : 'enabled: false'}): the client does not start it`,
      fix: 'turn it on in the client, or remove that field from the entry; mcpform still checks it here',
    });
  }
  const literal = Object.entries(entryEnv).filter(
    ([, v]) => typeof v === 'string' && /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/.test(v) && !/^\$\{MCP_HEADER_/.test(v),
  );
  for (const [key, value] of literal) {
    out.push({
      id: 'unexpanded-variable',
      server: name,
      severity: 'error',
      symptom: `${name} starts but fails to authenticate or finds no configuration`,
      cause: `env ${key} is the literal text ${JSON.stringify(value)}: Claude Desktop does not expand variables in its config, so the server receives exactly that`,
      fix: `declare the server in mcp.yaml with ${key}: ${value} and apply: mcpform expands it from your environment or .env`,
    });
  }
  if (ctx.platform === 'win32') out.push(...percentFindings(name, command, args, entryEnv, ctx));
  const rel = args.find(
    (a) =>
      /^\.\.?[/\\]/.test(a) ||
      (!isAbsolute(a) && !/^[-@]|\s|^[a-z][a-z0-9+.-]*:/i.test(a) && /\.(m?js|cjs|mts|ts|py|sh)$/.test(a)),
  );
  const relCwd = typeof entry.cwd === 'string' && entry.cwd !== '' && !isAbsolute(entry.cwd);
  if (relCwd) {
    const f = relativeFinding(name, 'relative-cwd', `cwd ${String(entry.cwd)}`, ctx.dir);
    if (f) out.push(f);
  } else if (rel && typeof entry.cwd !== 'string') {
    const f = relativeFinding(name, 'relative-path', `the argument ${rel}`, ctx.dir);
    if (f) out.push(f);
  }
  return out;
}

/**
 * `%VAR%` the server will receive as text on Windows (src/targets/windows-vars.ts): in env,
 * unless the client expands it there; in args, when a client that starts commands without a
 * shell runs something other than cmd (a resolving client may go through cmd: not reported).
 */
function percentFindings(
  name: string,
  command: string,
  args: readonly string[],
  entryEnv: Record<string, unknown>,
  ctx: { windowsStart?: WindowsStart; percentVariables?: 'env' },
): Finding[] {
  const literal: [string, string][] = [];
  if (ctx.percentVariables !== 'env')
    for (const [key, value] of Object.entries(entryEnv))
      if (typeof value === 'string' && percentVariables(value).length) literal.push([`env ${key}`, value]);
  if (ctx.windowsStart !== 'resolving' && !isCmd(command))
    args.forEach((a, i) => percentVariables(a).length && literal.push([`argument ${i + 1}`, a]));
  return literal.map(([where, value]) => ({
    id: 'unexpanded-variable',
    server: name,
    severity: 'error',
    symptom: `${name} starts but gets the text ${JSON.stringify(value)} where a path or value was meant`,
    cause: `${where} is the literal text ${JSON.stringify(value)}: on Windows only cmd and some clients expand %VAR%, and this client passes it to the server as it is`,
    fix: `declare the server in mcp.yaml with ${JSON.stringify(value.replace(/%([A-Za-z_][A-Za-z0-9_()]*)%/g, '${$1}'))} and apply: mcpform expands it from your environment or .env`,
  }));
}

/** Where people put the Claude Desktop config by mistake, for the World's OS (none without a home). */
export function misplacedConfigs(
  expected: string,
  world: Pick<World, 'env' | 'platform' | 'home'>,
  exists: (p: string) => boolean = existsSync,
): string[] {
  const { env, platform, home } = world;
  if (home === undefined) return [];
  const { join } = pathsOf(world);
  const file = 'claude_desktop_config.json';
  const candidates =
    platform === 'darwin'
      ? [
          join(home, 'Library', 'Application Support', 'claude', file),
          join(home, '.config', 'Claude', file),
          join(home, file),
        ]
      : platform === 'win32'
        ? [join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Claude', file), join(home, file)]
        : [
            join(env.XDG_CONFIG_HOME || join(home, '.config'), 'claude', file),
            join(home, '.config', 'Claude Desktop', file),
            join(home, '.claude', file),
            join(home, file),
          ];
  return candidates.filter((c) => c !== expected && exists(c));
}

function where(at: ClientDirectory | undefined): string {
  if (!at || at.serverCwd === 'unknown')
    return `${at?.client ?? 'the client'} starts servers from its own working directory, not necessarily this one`;
  return `${at.client} starts servers in ${at.dir.dir === '/' || /^[A-Za-z]:\\$/.test(at.dir.dir) ? 'the filesystem root' : at.serverCwd === 'home' ? 'your home folder' : 'its own folder'} (${at.dir.dir}), not this one`;
}

/**
 * Where the client starts this entry's server (src/probe/client-dir.ts), as doctor needs it:
 * absent, a client whose folder is not known.
 */
export interface ClientDirectory {
  readonly client: string;
  readonly serverCwd: ServerCwd;
  readonly dir: ServerDirectory;
  /** The client's file belongs to one project (a project/workspace/local scope, not `user`). */
  readonly projectBound: boolean;
  /** The client reads a `cwd` field. */
  readonly supportsCwd: boolean;
}

/**
 * A relative path the client's working directory breaks: an error where the client starts
 * servers outside the project, a warning for a project client's user-wide file (it works
 * only in this project), nothing for a project's own file started in the project.
 */
function relativeFinding(name: string, id: string, what: string, at: ClientDirectory | undefined): Finding | undefined {
  const inProject = at?.serverCwd === 'project';
  if (inProject && at.projectBound) return undefined;
  const cwdFix = at && !at.supportsCwd ? '' : ', or set cwd: to the absolute folder it is relative to';
  const fix =
    id === 'relative-cwd'
      ? 'make cwd an absolute path (in mcp.yaml a relative cwd is resolved against its folder)'
      : `use an absolute path (mcpform add PATH does this for you)${cwdFix}`;
  if (inProject)
    return {
      id,
      server: name,
      severity: 'warning',
      symptom: `${name} fails when ${at.client} runs in another folder than ${at.dir.dir}`,
      cause: `${what} is relative, and ${at.client} starts servers in the folder it runs in; this file applies to every folder`,
      fix,
    };
  return {
    id,
    server: name,
    severity: 'error',
    symptom: `${name} starts in your terminal but fails in the client ("cannot find module" / "no such file")`,
    cause: `${what} is relative; ${where(at)}`,
    fix,
  };
}
