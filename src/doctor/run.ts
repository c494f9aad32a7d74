import { errorLine, missingDependency } from '../probe/stderr-words.js';
import { dirname } from 'node:path';
import { DEFAULT_TEST_TIMEOUT_MS, type DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { runProbes } from '../probe/run.js';
import { serverDirectory } from '../probe/client-dir.js';
import { specOfEntry } from '../probe/specs.js';
import type { ProbeResult } from '../probe/types.js';
import { adapterFor } from '../targets/index.js';
import type { ClientEntry } from '../targets/types.js';
import { visible } from '../util/sanitize.js';
import { shellCommand } from '../util/shell-quote.js';
import type { World } from '../world.js';
import { checkEntry, misplacedConfigs, type ClientDirectory, type Finding } from './checks.js';

export interface DoctorReport {
  /** The client diagnosed. */
  target: string;
  configPath: string;
  checked: string[];
  findings: Finding[];
}

export interface DoctorInput {
  /** The loaded mcp.yaml, or the error loading it (doctor works without one). */
  state?: DesiredState;
  loadError?: McpformError;
  servers: readonly string[];
  /** The client whose file to diagnose (default claude-desktop); any registered client. */
  target?: string;
  world: World;
}

/**
 * Why a server fails in the client: the config file (place, JSON), each entry as the client
 * would run it (PATH, relative paths, Windows shims), mcp.yaml's variables, then a real
 * start with the health-check engine (exits at start, logs on stdout, shell-only variables).
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const { env, platform } = input.world;
  const findings: Finding[] = [];
  for (const p of input.loadError?.problems ?? []) {
    const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.col}` : 'mcp.yaml';
    const missing = /variable \$\{(\w+)\} is not set/.exec(p.message);
    const server = /^server '([^']+)'/.exec(p.message)?.[1];
    findings.push(
      missing
        ? {
            id: 'missing-variable',
            ...(server ? { server } : {}),
            severity: 'error',
            symptom: `mcpform cannot plan or apply this environment${server ? `, nor check ${server}` : ''}`,
            cause: `${where}: ${p.message.split(';')[0]}`,
            fix: `set ${missing[1]} in your shell or in .env (git-ignored), or give a default: \${${missing[1]}:-value}`,
          }
        : {
            id: 'invalid-mcp-yaml',
            severity: 'error',
            symptom: 'mcpform cannot read mcp.yaml',
            cause: `${where}: ${p.message}`,
            fix: "fix it; 'mcpform validate' lists every problem",
          },
    );
  }

  const adapter = adapterFor(input.target ?? 'claude-desktop');
  const declaredSpec = input.state?.targets.find((t) => t.name === adapter.name);
  const spec = declaredSpec ?? { name: adapter.name, base: input.state ? dirname(input.state.file) : undefined };
  const client = adapter.name === 'claude-desktop' ? 'Claude Desktop' : adapter.name;
  const configPath = adapter.resolvePath(spec, input.world);
  let live: Record<string, ClientEntry> = {};
  try {
    const file = adapter.read(configPath, spec);
    // Checked in one vocabulary whatever the client's spelling (Goose's cmd/envs, Codex's env_http_headers).
    for (const [name, entry] of Object.entries(file.entries)) live[name] = adapter.toCanonical(entry, env);
    if (!file.exists) {
      const elsewhere = adapter.name === 'claude-desktop' ? misplacedConfigs(configPath, input.world) : [];
      for (const p of elsewhere)
        findings.push({
          id: 'config-misplaced',
          severity: 'error',
          symptom: 'Claude Desktop shows none of your MCP servers',
          cause: `the config file is at ${p}, but Claude Desktop reads ${configPath}`,
          fix: `move it: ${platform === 'win32' ? shellCommand(['Move-Item', '-LiteralPath', p, '-Destination', configPath], { platform }) : shellCommand(['mv', p, configPath])}`,
        });
      if (!elsewhere.length)
        findings.push({
          id: 'config-missing',
          severity: 'warning',
          symptom: `${client} has no MCP servers`,
          cause: `${configPath} does not exist`,
          fix: declaredSpec
            ? "'mcpform apply' creates it from mcp.yaml"
            : `add ${adapter.name} to targets in mcp.yaml, then 'mcpform apply' creates it`,
        });
    }
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    live = {};
    findings.push({
      id:
        err.code === 'INVALID_LIVE_CONFIG'
          ? adapter.format.startsWith('json')
            ? 'invalid-json'
            : 'invalid-config'
          : 'config-unreadable',
      severity: 'error',
      symptom: `${client} starts without any MCP server (or reports a config error)`,
      cause: err.message,
      fix: err.hint ?? 'fix the file by hand, or restore a backup with mcpform rollback',
    });
  }

  // What the client runs: the live entries; declared servers not written yet as apply would write them.
  const entries = new Map<string, ClientEntry>(Object.entries(live));
  for (const s of declaredSpec
    ? input.state!.servers.filter((x) => declaredSpec.servers?.includes(x.name) ?? true)
    : [])
    if (!entries.has(s.name) && s.kind !== 'url') {
      try {
        entries.set(s.name, adapter.toCanonical(adapter.render(s, new Map(), spec, platform).entry, env));
      } catch (err) {
        if (!(err instanceof McpformError)) throw err;
        findings.push({
          id: 'unsupported-by-client',
          server: s.name,
          severity: 'error',
          symptom: `mcpform cannot write ${s.name} for ${client}`,
          cause: err.message,
          fix: err.hint ?? 'change the server in mcp.yaml',
        });
      }
    }
  if (input.servers.length) {
    const unknown = input.servers.filter((n) => !entries.has(n));
    if (unknown.length)
      throw new McpformError(
        'UNKNOWN_SERVER',
        `unknown server ${unknown.join(', ')}; known: ${[...entries.keys()].join(', ') || '(none)'}`,
      );
    for (const n of [...entries.keys()]) if (!input.servers.includes(n)) entries.delete(n);
  }

  // Where the client starts servers: relative paths are judged against that folder.
  const projectDir = input.state ? dirname(input.state.file) : input.world.cwd;
  const dir: ClientDirectory = {
    client,
    serverCwd: adapter.serverCwd,
    dir: serverDirectory(adapter.name, adapter.serverCwd, input.world, projectDir),
    projectBound: (spec.scope ?? adapter.scopes[0]) !== 'user',
    supportsCwd: adapter.managedFields.includes('cwd'),
  };
  const runnable: [string, ClientEntry][] = [];
  for (const [name, entry] of entries) {
    // The static checks are about starting a command; a remote entry is only probed.
    const remote = typeof entry.url === 'string' && typeof entry.command !== 'string';
    const found = remote
      ? []
      : checkEntry(name, entry, {
          platform,
          env,
          launch: adapter.launch,
          dir,
          windowsStart: adapter.windowsStart,
          percentVariables: adapter.percentVariables,
        });
    findings.push(...found);
    if (!found.some((f) => f.severity === 'error')) runnable.push([name, entry]);
  }
  const declared = new Map((input.state?.servers ?? []).map((s) => [s.name, s]));
  const results = await runProbes(
    // A diagnosis, not a test run: no test call, and 20 s a server unless mcp.yaml sets
    // test.timeout (the hint for a slow server says to raise it).
    runnable.map(([name, entry]) => {
      const d = declared.get(name);
      const timeoutMs = d && d.test.timeoutMs !== DEFAULT_TEST_TIMEOUT_MS ? d.test.timeoutMs : 20_000;
      return specOfEntry(name, entry, d, { adapter, world: input.world, projectDir }, { timeoutMs });
    }),
    input.world,
    { diagnoseEnvironment: 'bisect' },
  );
  for (const r of results) findings.push(...fromProbe(r));
  return { target: adapter.name, configPath, checked: [...entries.keys()], findings };
}

/** The health-check verdicts, as findings. */
function fromProbe(r: ProbeResult): Finding[] {
  const out: Finding[] = [];
  const check = (name: string) => r.checks.find((c) => c.name === name);
  // The server's own words: shown, never interpreted by the terminal.
  const said = r.stderrTail ? errorLine(r.stderrTail) : undefined;
  const tail = said
    ? ` It said: ${visible(said)}`
    : r.stderrTail
      ? ` Its last words on stderr: ${visible(r.stderrTail.split('\n').slice(-3).join(' | '))}`
      : '';
  const missing = r.stderrTail ? missingDependency(r.stderrTail) : undefined;
  const envFinding = check('environment');
  if (envFinding?.verdict === 'fail') {
    out.push({
      id: 'needs-shell-variable',
      server: r.server,
      severity: 'error',
      symptom: `${r.server} works in your terminal but fails in the client`,
      cause: envFinding.detail,
      fix: 'declare the variable under env: for this server in mcp.yaml (as ${VAR} if it is a secret), then apply',
    });
  }
  const stdout = check('stdout');
  if (stdout) {
    out.push({
      id: 'logs-on-stdout',
      server: r.server,
      severity: stdout.verdict === 'fail' ? 'error' : 'warning',
      symptom: `${r.server} disconnects, or the client logs "Unexpected token" / JSON parse errors`,
      cause: stdout.detail,
      fix: 'make the server log to stderr (console.error, logging to sys.stderr); stdout is the protocol channel',
    });
  }
  const startup = check('startup');
  if (startup?.verdict === 'fail' && !envFinding) {
    out.push({
      id: 'exits-at-start',
      server: r.server,
      severity: 'error',
      symptom: `${r.server} shows as failed in the client right after start`,
      cause: `${startup.detail}.${tail}`,
      // doctor prints no stderr tail of its own: the cause above carries the line that matters.
      fix: missing ?? 'run the command by hand with the same env to see the whole error',
    });
  }
  const init = check('initialize');
  if (init?.verdict === 'fail' && !stdout && !envFinding) {
    out.push({
      id: 'no-handshake',
      server: r.server,
      severity: 'error',
      symptom: `${r.server} hangs as "connecting" in the client`,
      cause: `${init.detail}.${tail}`,
      fix: r.hint ?? 'check that this is an MCP stdio server and that it does not wait for input',
    });
  }
  for (const name of ['tools', 'expectTools', 'call'] as const) {
    const c = check(name);
    if (c?.verdict === 'fail')
      out.push({
        id: name === 'tools' ? 'tools-fail' : 'missing-tools',
        server: r.server,
        severity: 'error',
        symptom: `${r.server} connects but its tools are missing or broken`,
        cause: c.detail,
        fix: r.hint ?? 'check the server version and the options that enable its tools',
      });
  }
  return out;
}
