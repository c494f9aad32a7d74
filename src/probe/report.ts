import { renderColumns } from '../util/table.js';
import { markdownCode, markdownText, visible, visibleLines } from '../util/sanitize.js';
import type { ProbeResult, Verdict } from './types.js';
import { firstFailure } from './types.js';

export const VERDICT_TEXT: Record<Verdict, string> = { pass: 'ok', fail: 'FAIL', warn: 'warn', skip: 'skip' };

export function summaryLine(r: ProbeResult): string {
  const failed = firstFailure(r);
  // Names and details may come from the server (or a hand-edited client file): shown, never obeyed.
  if (!failed && r.signIn)
    return `${visible(r.server)}: ok (reachable, sign-in needed in ${visible(r.signIn)}; tools not listed)`;
  return failed
    ? `${visible(r.server)}: FAIL at ${failed.name}: ${visible(failed.detail)}`
    : `${visible(r.server)}: ok (${r.protocolVersion ?? '?'}, ${r.tools.length} tool${r.tools.length === 1 ? '' : 's'}, ${(r.durationMs / 1000).toFixed(1)} s)`;
}

/** server | verdict | protocol | tools | time — the table printed after a run. */
export function renderTable(results: readonly ProbeResult[]): string {
  const rows = [['SERVER', 'VERDICT', 'PROTOCOL', 'TOOLS', 'TIME']];
  for (const r of results) {
    const warned = r.checks.some((c) => c.verdict === 'warn');
    rows.push([
      visible(r.server),
      r.ok
        ? r.signIn
          ? `ok (sign-in needed in ${visible(r.signIn)})`
          : warned
            ? 'ok (warnings)'
            : 'ok'
        : `FAIL (${firstFailure(r)?.name})`,
      visible(r.protocolVersion ?? '-'),
      r.ok && !r.signIn ? String(r.tools.length) : '-',
      `${(r.durationMs / 1000).toFixed(1)}s`,
    ]);
  }
  return renderColumns(rows);
}

/** Details of each failure, for the terminal. */
export function renderFailures(results: readonly ProbeResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.ok && !r.signIn && !r.checks.some((c) => c.verdict === 'warn')) continue;
    out.push('', `${visible(r.server)}:`);
    for (const c of r.checks)
      if (c.verdict !== 'pass' || (r.signIn && c.name === 'authorization'))
        out.push(`  ${VERDICT_TEXT[c.verdict]} ${c.name}: ${visible(c.detail)}`);
    if (r.hint && (!r.ok || r.signIn)) out.push(`  hint: ${visible(r.hint)}`);
    if (r.stderrTail && !r.ok)
      out.push(
        '  stderr (last lines):',
        ...visibleLines(r.stderrTail)
          .split('\n')
          .map((l) => `    ${l}`),
      );
  }
  return out.join('\n');
}

const HINTS: Record<string, string> = {
  configuration:
    'The command or a path in the entry is wrong for the client. Use absolute paths; GUI clients do not load your shell profile, so nvm/asdf shims are not on their PATH — point `command` at the absolute path of node/npx.',
  startup:
    'The process exited before speaking MCP. Read the stderr tail: a missing variable, a missing dependency, or a wrong argument is typical. Run the same command by hand to reproduce.',
  initialize:
    'The process runs but does not answer the MCP handshake. It may print logs to stdout, wait for input, need more time (`test.timeout`), or not be an MCP stdio server.',
  tools: 'The server answered initialize but failed listing its tools; check its stderr.',
  // A server reached by URL: no process was started, so nothing of the above applies.
  'remote:startup':
    'The server could not be reached or refused the connection. Check the URL, that the server is running and reachable from this machine, and the token or headers it needs.',
  'remote:initialize':
    'The server was reached but did not complete the MCP handshake: check that the URL is its MCP endpoint (often ending in /mcp or /sse) and the transport.',
  call: 'The declared test call failed; check the tool arguments in `test.call`.',
  errors: 'The server mishandles unknown requests; it may crash when a client sends something new.',
  expectTools:
    'The server does not offer a tool that mcp.yaml expects: a different version, or a missing option or credential that enables it.',
  stdout: 'stdout is the protocol channel; any log line there corrupts it. Make the server log to stderr.',
  environment:
    'Clients start servers with a small environment, not your shell. Declare what the server needs under `env:`.',
};

/** The Markdown integration report (`test --report FILE.md`). */
export function renderMarkdown(
  results: readonly ProbeResult[],
  meta: { environment: string; when: string; source: string },
): string {
  const passed = results.filter((r) => r.ok).length;
  const out = [
    '# MCP server integration report',
    '',
    `- Environment: ${markdownText(meta.environment)} (${markdownText(meta.source)})`,
    `- Run: ${meta.when}`,
    `- Result: ${passed} of ${results.length} servers passed`,
    '',
    '| Server | Verdict | Protocol | Tools | Time |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${markdownText(r.server)} | ${r.ok ? (r.signIn ? `pass (sign-in needed in ${markdownText(r.signIn)})` : 'pass') : `**fail** (${firstFailure(r)?.name})`} | ${markdownText(r.protocolVersion ?? '-')} | ${r.ok ? r.tools.length : '-'} | ${(r.durationMs / 1000).toFixed(1)} s |`,
    ),
  ];
  for (const r of results) {
    out.push('', `## ${markdownText(r.server)}`, '');
    if (r.serverInfo)
      out.push(
        `Server: ${markdownText(`${r.serverInfo.name} ${r.serverInfo.version}`)}, protocol ${markdownText(r.protocolVersion ?? '?')} (${r.lifecycle === 'discover' ? 'stateless server/discover' : 'initialize'})`,
        '',
      );
    out.push('| Check | Verdict | Details |', '| --- | --- | --- |');
    for (const c of r.checks) out.push(`| ${c.name} | ${c.verdict} | ${markdownText(c.detail)} |`);
    if (r.ok && r.tools.length) out.push('', `Tools: ${r.tools.map((t) => markdownText(t.name)).join(', ')}`);
    const failed = firstFailure(r);
    if (failed) {
      out.push(
        '',
        '### Troubleshooting',
        '',
        (r.remote && HINTS[`remote:${failed.name}`]) || HINTS[failed.name] || '',
        ...(r.hint ? ['', `Hint: ${markdownText(r.hint)}`] : []),
      );
      if (r.stderrTail) out.push('', 'Last lines of stderr:', '', markdownCode(r.stderrTail));
    }
  }
  return `${out.join('\n')}\n`;
}
