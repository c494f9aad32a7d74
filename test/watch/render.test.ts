import { describe, expect, it } from 'vitest';
import { compareTools, fingerprintTools } from '../../src/lock/fingerprint.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { renderDevCheck } from '../../src/watch/check-dev.js';

const ok = (tools: ProbeResult['tools']): ProbeResult => ({
  server: 'notes',
  ok: true,
  checks: [{ name: 'tools', verdict: 'pass', detail: `${tools.length} tools` }],
  protocolVersion: '2025-11-25',
  tools,
  durationMs: 420,
});

describe("a dev check's report", () => {
  it('names each change in the rug-pull report’s words, with the time after the save', async () => {
    const before = fingerprintTools([{ name: 'ping', description: 'Answers pong.' }]);
    const now = [
      { name: 'ping', description: 'Answers pong loudly.' },
      { name: 'echo', description: 'Echoes.' },
    ];
    const text = await renderDevCheck(
      {
        result: ok(now),
        changes: compareTools(before, fingerprintTools(now)),
        since: 'the last check',
        lockUpdated: true,
      },
      1234,
    );
    expect(text).toBe(
      [
        'notes: ok (2025-11-25, 2 tools, 0.4 s); 1.2 s after the save',
        '  its tools changed since the last check:',
        '    tool added: echo: Echoes.',
        '    description changed: ping: Answers pong {+loudly+}.',
        '  mcp.lock: recorded the new tools of notes (a dev server: its code is yours)',
      ].join('\n'),
    );
  });

  it('shows escape sequences from a hostile server instead of obeying them', async () => {
    const evil = [{ name: 'x\u001b[8m', description: 'hidden\u001b]0;title\u0007' }];
    const text = await renderDevCheck({ result: ok(evil), changes: [], lockUpdated: false });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    const added = await renderDevCheck({
      result: ok(evil),
      changes: compareTools(fingerprintTools([]), fingerprintTools(evil)),
      since: 'mcp.lock',
      lockUpdated: false,
    });
    expect(added).not.toContain('\u001b');
    expect(added).not.toContain('\u0007');
    expect(added).toContain('tool added: x');
  });

  it('a failure: where it failed, how long it took, and the stderr tail', async () => {
    const text = await renderDevCheck(
      {
        result: {
          server: 'notes',
          ok: false,
          checks: [{ name: 'startup', verdict: 'fail', detail: 'the server exited with code 1' }],
          tools: [],
          durationMs: 150,
          stderrTail: 'SyntaxError: Unexpected token ;',
        },
        changes: [],
        lockUpdated: false,
      },
      400,
    );
    expect(text).toContain('notes: FAIL at startup (0.1 s; 0.4 s after the save)');
    expect(text).toContain('  FAIL startup: the server exited with code 1');
    expect(text).toContain('    SyntaxError: Unexpected token ;');
  });
});
