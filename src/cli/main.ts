/**
 * The command registry. Each command's module is imported only when it runs (the build
 * splits them into chunks), so `mcpform validate` never pays for the MCP SDK or the plan
 * renderer.
 */
// First: a signal at any moment from here on ends mcpform with 128 + n, its exit hooks run.
import './signals.js';
import { Command } from 'commander';
import { reportError } from './report-error.js';
import { makeContext, type Context, type GlobalOptions } from './context.js';
import { sink } from './output.js';
import { VERSION } from '../version.js';

type Handler = (ctx: Context, ...args: unknown[]) => Promise<void>;
/** Loads the module of a command (`plan` -> commands/plan.ts), whose default export runs it. */
export type LoadCommand = (name: string) => Promise<{ default: Handler }>;

const COMMANDS: Record<string, () => Promise<{ default: unknown }>> = {
  init: () => import('./commands/init.js'),
  add: () => import('./commands/add.js'),
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  test: () => import('./commands/test.js'),
  apply: () => import('./commands/apply.js'),
  doctor: () => import('./commands/doctor.js'),
  clients: () => import('./commands/clients.js'),
  watch: () => import('./commands/watch.js'),
  backups: () => import('./commands/backups.js'),
  rollback: () => import('./commands/rollback.js'),
  lock: () => import('./commands/lock.js'),
  reconcile: () => import('./commands/reconcile.js'),
  status: () => import('./commands/status.js'),
  'agent-enroll': () => import('./commands/agent-enroll.js'),
  'agent-run': () => import('./commands/agent-run.js'),
};

const loadCommand: LoadCommand = async (name) => {
  const load = COMMANDS[name];
  if (!load) throw new Error(`bug: no module for the command '${name}'`);
  return (await load()) as { default: Handler };
};

export function buildProgram(load: LoadCommand = loadCommand): Command {
  const run =
    (name: string) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const ctx = makeContext(command.optsWithGlobals() as GlobalOptions);
      const handler = (await load(name)).default;
      await handler(ctx, ...args.slice(0, -1));
    };

  const program = new Command('mcpform')
    .description('Terraform for MCP servers: declare them in mcp.yaml, plan, apply with health checks and rollback.')
    .version(VERSION, '--version')
    .option('-f, --file <path>', 'mcp.yaml to use (else MCPFORM_FILE, else search upward from the cwd)')
    .option('-e, --env <name>', 'environment (else MCPFORM_ENV, else defaultEnvironment, else "default")')
    .option('--target <name>', 'only this target client (e.g. claude-desktop)')
    .option('--json', 'machine-readable output')
    .option('--no-color', 'no colours (also NO_COLOR)')
    // `mcpform apply --help` lists -e, -f, --json... too (inherited by every subcommand).
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    // Before the subcommands are added, so they inherit it: a usage error in `add` throws to
    // main's catch (one JSON document with --json) instead of calling process.exit itself.
    .exitOverride()
    // Help, --version and usage errors through mcpform's own writer (cli/output.ts).
    .configureOutput({ writeOut: (s) => sink.out(s), writeErr: (s) => sink.err(s) });

  program
    .command('init')
    .description('write a starter mcp.yaml in the current folder')
    .option('--import', 'turn the live Claude Desktop config into mcp.yaml (secrets into .env)')
    .option('--from <clients>', 'import from these clients (A,B,... or all): one mcp.yaml for all of them')
    .option('--force', 'overwrite an existing mcp.yaml')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcpform init && mcpform plan\n  $ mcpform init --import && mcpform plan   # adopt an existing setup\n  $ mcpform init --import --from all         # every client on this machine',
    )
    .action(run('init'));

  program
    .command('add <name-or-path> [command...]')
    .description('add a server to mcp.yaml (comments and formatting kept)')
    .option('--package <npm:PKG[@RANGE]>', 'an npm package server, run as npx -y PKG@PINNED (ARGS after --)')
    .option('--name <name>', 'server name (for add PATH; default: from the file name)')
    .option('--force', 'replace a server of the same name')
    .addHelpText(
      'after',
      [
        '\nExamples:',
        '  $ mcpform add github -- npx -y @modelcontextprotocol/server-github',
        '  $ mcpform add fs --package npm:@modelcontextprotocol/server-filesystem@^2026.8.0 -- ~/notes',
        '  $ mcpform add ~/code/notes-mcp/server.py   # finds its .venv, uses absolute paths',
      ].join('\n'),
    )
    .action(run('add'));

  program
    .command('validate')
    .description('check mcp.yaml and its imports: schema, names, environments, variables')
    .addHelpText('after', '\nExample:\n  $ mcpform validate -e prod')
    .action(run('validate'));

  program
    .command('plan')
    .description(
      'show what apply would change in the client config (client files untouched; new package pins go to mcp.lock)',
    )
    .option('--out <file>', 'save the plan as JSON for `mcpform apply FILE`')
    .option('--json', 'print the plan as versioned JSON')
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when there are changes, 1 on error')
    .option('--prune', 'also remove servers in the file that mcp.yaml does not declare')
    .option('--frozen-lockfile', 'fail instead of writing mcp.lock (for CI)')
    .option('--refresh', 'fetch git imports, to tell whether their refs moved past mcp.lock')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcpform plan -e prod\n  $ mcpform plan --out plan.json && mcpform apply plan.json\n  $ mcpform plan --detailed-exitcode   # in CI',
    )
    .action(run('plan'));

  program
    .command('test [servers...]')
    .description('start servers and run a real MCP handshake (initialize, tools/list, ...)')
    .option('--live', 'test the entries in the live client file (unmanaged ones included)')
    .option('--json', 'print results as JSON')
    .option('--report <file.md>', 'write a Markdown integration report')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcpform test\n  $ mcpform test github --report report.md\n  $ mcpform test --live',
    )
    .action(run('test'));

  program
    .command('apply [planfile]')
    .description('apply the plan: lock, back up, write atomically, health-check, roll back on failure')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--no-test', 'skip the health checks of changed servers')
    .option('--prune', 'also remove servers in the file that mcp.yaml does not declare')
    .option('--allow-empty', 'allow removing every server mcpform manages')
    .option('--frozen-lockfile', 'fail instead of writing mcp.lock (for CI)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcpform apply\n  $ mcpform apply --yes -e prod\n  $ mcpform plan --out plan.json && mcpform apply plan.json --yes',
    )
    .action(run('apply'));

  program
    .command('doctor [servers...]')
    .description('diagnose why servers fail in the client: symptom, cause and fix for each finding')
    .addHelpText('after', '\nExamples:\n  $ mcpform doctor\n  $ mcpform doctor github --json')
    .action(run('doctor'));

  program
    .command('clients')
    .description('list the MCP clients on this machine: their files, servers managed (by which mcp.yaml) and unmanaged')
    .option('--json', 'print the list as versioned JSON')
    .addHelpText('after', '\nExamples:\n  $ mcpform clients\n  $ mcpform clients --json')
    .action(run('clients'));

  program
    .command('watch')
    .description(
      're-plan and apply whenever mcp.yaml, its imports or its env file change; re-check a local server when its source is saved',
    )
    .option('--no-test', 'skip the health checks of changed servers')
    .option('--prune', 'also remove servers in the file that mcp.yaml does not declare')
    .option('--debounce <ms>', 'wait this long after the last change', '300')
    .option('--restart-client', 'quit and reopen Claude Desktop after a local server passes its check')
    .addHelpText('after', '\nExample:\n  $ mcpform watch -e dev')
    .action(run('watch'));

  program
    .command('backups')
    .description("list the backups of this project's client files (newest first)")
    .option('--all', 'every backup on this machine, not only those of the files mcp.yaml targets')
    .action(run('backups'));

  program
    .command('rollback [backup-id]')
    .description(
      "restore a backup (no id: the newest of this project's client files); the current file is backed up first",
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--all', 'with no id: the newest backup on this machine, whichever project it belongs to')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcpform backups\n  $ mcpform rollback --yes\n  $ mcpform rollback 20261124T195138904Z-eb4c',
    )
    .action(run('rollback'));

  program
    .command('lock')
    .description('complete mcp.lock: pin package versions, record tool fingerprints')
    .option('--update [names...]', 're-resolve pins and accept changed tools (of these servers or git imports, or all)')
    .option('-y, --yes', 'accept a moved git import without asking (needed when stdin is not a terminal)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcpform lock\n  $ mcpform lock --update github\n  $ mcpform lock --update profiles/base.mcp.yaml --yes',
    )
    .action(run('lock'));

  program
    .command('reconcile')
    .description(
      'one pass: find servers mcpform manages that a client removed or changed; heal them where selfHeal is on',
    )
    .option('--heal', 'heal the drift this time, whatever reconcile.selfHeal says')
    .option('--json', 'print the result as versioned JSON')
    .addHelpText('after', '\nExamples:\n  $ mcpform reconcile\n  $ mcpform reconcile --heal --json')
    .action(run('reconcile'));

  program
    .command('status')
    .description('per project and client: in sync, drifted, healed N times, last error (from the last passes)')
    .option('--json', 'print the status as versioned JSON')
    .action(run('status'));

  const agent = program
    .command('agent')
    .description('the reconcile loop: keep every enrolled project in sync with its clients');
  agent
    .command('enroll [dir]')
    .description("add the mcp.yaml in DIR (else found as usual) to the agent's projects")
    .addHelpText('after', '\nExamples:\n  $ mcpform agent enroll ~/dotfiles\n  $ mcpform agent enroll -e work')
    .action(run('agent-enroll'));
  agent
    .command('run')
    .description('run the loop in the foreground: a pass when a client file changes and on each interval')
    .option('--debounce <ms>', 'wait this long after the last change of a client file', '300')
    .action(run('agent-run'));
  agent
    .command('status')
    .description('the same as mcpform status')
    .option('--json', 'print the status as versioned JSON')
    .action(run('status'));

  return program;
}

/** --json anywhere before `--`: then even a failure prints a JSON document. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** One run: the exit code it ends with (in-process tests call this). */
export async function main(argv: string[], load: LoadCommand): Promise<number> {
  const program = buildProgram(load);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err, { json: wantsJson(argv) });
  }
}

/** Runs mcpform with these arguments (`process.argv`) and sets the exit code. */
export function start(argv: string[], load: LoadCommand = loadCommand): void {
  main(argv, load).then(
    (code) => {
      process.exitCode = code;
      // After a signal the files are back and the servers killed: leave now, do not wait for
      // a health check still timing out in the background.
      if (code > 128) process.exit(code);
    },
    (err) => {
      process.exitCode = reportError(err, { json: wantsJson(argv) });
    },
  );
}
