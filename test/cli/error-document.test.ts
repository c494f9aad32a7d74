import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guarded, type Guard } from '../../src/apply/guard.js';
import { errorDocument } from '../../src/cli/report-error.js';
import { McpformError } from '../../src/errors.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { sandbox } from '../helpers.js';

// The `--json` error document is public API: each data-carrying code, to the byte.
const failed: ProbeResult = {
  server: 'ghost',
  ok: false,
  checks: [
    { name: 'configuration', verdict: 'pass', detail: 'ok' },
    { name: 'startup', verdict: 'fail', detail: "command 'ghost' was not found" },
  ],
  tools: [],
  durationMs: 12,
};
const passed: ProbeResult = { server: 'memory', ok: true, checks: [], tools: [{ name: 'read' }], durationMs: 3 };
const FAILED_CHECK = '{"name":"startup","verdict":"fail","detail":"command \'ghost\' was not found"}';
const CHECKS = `[{"server":"ghost","ok":false,"failed":${FAILED_CHECK}},{"server":"memory","ok":true,"failed":null}]`;

/** A guarded run that wrote `file` and then failed with `err` (or was sent `signal`). */
async function rolledBack(fail: (signals: EventEmitter, guard: Guard) => Promise<void>): Promise<string> {
  const sb = sandbox();
  const file = sb.write('client.json', '{"mcpServers":{}}\n');
  const signals = new EventEmitter();
  try {
    await guarded({ what: 'apply', signals, world: sb.world }, async (guard) => {
      const original = readFileSync(file);
      const backup = {
        id: 'B1',
        createdAt: '',
        target: 'claude-desktop',
        path: file,
        existed: true,
        hash: null,
        reason: '',
      };
      guard.touch({ target: 'claude-desktop', path: file, dest: file, original, backup, written: true });
      writeFileSync(file, '{"mcpServers":{"new":{}}}\n');
      await fail(signals, guard);
    });
  } catch (err) {
    return JSON.stringify(errorDocument(err)).replaceAll(file, 'FILE');
  }
  throw new Error('the run did not fail');
}

/** Key order too: the document is compared as text. */
const doc = (error: string) => `{"formatVersion":1,"error":${error}}`;

describe('the --json error document', () => {
  it.each([
    [
      'a code without data',
      new McpformError('STALE_PLAN', 'the plan is stale', { hint: 'plan again' }),
      '{"code":"STALE_PLAN","message":"the plan is stale","problems":[],"hint":"plan again"}',
    ],
    [
      'problems, located',
      new McpformError('INVALID_CONFIG', '1 problem', {
        problems: [{ message: 'bad', location: { file: 'mcp.yaml', line: 2, col: 3 } }],
      }),
      '{"code":"INVALID_CONFIG","message":"1 problem","problems":[{"message":"bad","location":{"file":"mcp.yaml","line":2,"col":3},"text":"mcp.yaml:2:3 bad"}],"hint":null}',
    ],
    [
      'HEALTH_FAILED: each check with its first failure',
      new McpformError('HEALTH_FAILED', 'ghost failed', { data: { checks: [failed, passed] } }),
      `{"code":"HEALTH_FAILED","message":"ghost failed","problems":[],"hint":null,"checks":${CHECKS}}`,
    ],
    [
      'FINGERPRINT_CHANGED: the checks (tool changes stay out)',
      new McpformError('FINGERPRINT_CHANGED', 'tools changed', {
        data: {
          checks: [passed],
          toolChanges: [{ server: 'memory', changes: [{ kind: 'added', tool: 'write', description: 'w' }] }],
        },
      }),
      '{"code":"FINGERPRINT_CHANGED","message":"tools changed","problems":[],"hint":null,"checks":[{"server":"memory","ok":true,"failed":null}]}',
    ],
    [
      'an error that is not ours',
      new Error('boom'),
      '{"code":"INTERNAL","message":"boom","problems":[],"hint":"this is a bug in mcpform; please report it with the output of MCPFORM_DEBUG=1"}',
    ],
  ])('%s', (_what, err, error) => {
    expect(JSON.stringify(errorDocument(err))).toBe(doc(error));
  });

  it('ROLLED_BACK: the files and the checks of the failure that caused it', async () => {
    const error = await rolledBack(async () => {
      throw new McpformError('HEALTH_FAILED', 'ghost failed', {
        hint: 'see above',
        data: { checks: [failed, passed] },
      });
    });
    expect(error).toBe(
      doc(
        `{"code":"ROLLED_BACK","message":"apply failed and was rolled back: ghost failed.\\n  FILE: restored byte-for-byte (backup B1)","problems":[],"hint":"see above","files":[{"path":"FILE","backup":"B1","state":"restored"}],"checks":${CHECKS}}`,
      ),
    );
  });

  it('INTERRUPTED: the signal and the files', async () => {
    const error = await rolledBack(async (signals, guard) => {
      signals.emit('SIGTERM');
      guard.check();
    });
    expect(error).toBe(
      doc(
        '{"code":"INTERRUPTED","message":"apply was interrupted by SIGTERM (starting), and rolled back.\\n  FILE: restored byte-for-byte (backup B1)","problems":[],"hint":null,"files":[{"path":"FILE","backup":"B1","state":"restored"}],"signal":"SIGTERM"}',
      ),
    );
  });

  it('INTERRUPTED before any write: the signal alone', async () => {
    const signals = new EventEmitter();
    const err = await guarded({ what: 'apply', signals, world: sandbox().world }, async (guard) => {
      signals.emit('SIGINT');
      guard.check();
    }).catch((e: unknown) => e);
    expect(JSON.stringify(errorDocument(err))).toBe(
      doc(
        '{"code":"INTERRUPTED","message":"apply was interrupted by SIGINT (starting); nothing was changed","problems":[],"hint":null,"signal":"SIGINT"}',
      ),
    );
  });
});
