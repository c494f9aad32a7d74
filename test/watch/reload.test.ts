import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownProcesses, parseProcessList, PS_ARGS } from '../../src/watch/own-processes.js';
import { reloadAdvice, restartClaudeDesktop, restartSteps, type RestartStep } from '../../src/watch/reload.js';
import { sandbox } from '../helpers.js';

describe('quitting and reopening Claude Desktop, per OS', () => {
  const line = (s: RestartStep) =>
    s.kind === 'quit' || s.kind === 'wait' ? `${s.kind} own ${s.name}` : [s.command, ...s.args].join(' ');
  it.each([
    [
      'darwin',
      [
        'osascript -e if application "Claude" is running then tell application "Claude" to quit',
        'wait own Claude',
        'open -a Claude',
      ],
    ],
    [
      'win32',
      [
        'taskkill /FI USERNAME eq WORK\\me /IM claude.exe /T /F',
        'C:\\Users\\me\\AppData\\Local\\AnthropicClaude\\claude.exe',
      ],
    ],
    ['linux', ['quit own claude-desktop', 'wait own claude-desktop', 'claude-desktop']],
  ] as const)('%s', (platform, want) => {
    const steps = restartSteps(platform, {
      LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local',
      USERNAME: 'me',
      USERDOMAIN: 'WORK',
    });
    expect(steps.map(line)).toEqual(want);
    // The reopened app outlives mcpform; quitting one that is not running is fine.
    expect(steps.at(-1)!.kind).toBe('open');
  });

  it('on Windows without USERNAME it will not guess whose Claude to end', () => {
    expect(() => restartSteps('win32', {})).toThrow(/USERNAME is not set/);
  });

  // ps as it prints the list: root's and another user's claude-desktop beside ours.
  const me = 1000;
  const LIST = [
    '    1     0 systemd',
    ' 4242  1000 claude-desktop',
    ' 4243  1000 claude-desktop',
    '  999  1001 claude-desktop',
    '  777     0 claude-desktop',
    ' 5000  1000 claude-desktop-helper',
    ' 5001  1000 bash',
    'garbage line',
  ].join('\n');

  it("the filter keeps only the user's own processes of that exact name", () => {
    const list = parseProcessList(LIST);
    expect(list).toHaveLength(7);
    expect(ownProcesses(list, 'claude-desktop', me)).toEqual([4242, 4243]);
    expect(ownProcesses(list, 'claude-desktop', 0)).toEqual([777]);
    expect(ownProcesses(list, 'claude-desktop', 1234)).toEqual([]);
    expect(ownProcesses(list, 'Claude', me)).toEqual([]);
  });

  it("signals only its own user's client, waits until that is gone, then reopens it (MCPFORM_CLIENT_EXEC)", async () => {
    const sb = sandbox();
    const log = join(sb.dir, 'calls.log');
    const count = join(sb.dir, 'ps-count');
    const list = join(sb.dir, 'ps-list');
    writeFileSync(list, `${LIST}\n`);
    const fake = join(sb.dir, 'fake');
    // A real program in place of the OS tools: records each call; ours "still running" twice.
    writeFileSync(
      fake,
      `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = ps ]; then echo x >> '${count}'; if [ $(wc -l < '${count}') -ge 3 ]; then grep -v ' 1000 ' '${list}'; else cat '${list}'; fi; fi\nexit 0\n`,
    );
    chmodSync(fake, 0o755);
    await restartClaudeDesktop('linux', { MCPFORM_CLIENT_EXEC: fake }, me);
    for (let i = 0; i < 100 && readFileSync(log, 'utf8').trim().split('\n').length < 5; i++)
      await new Promise((r) => setTimeout(r, 50));
    const ps = `ps ${PS_ARGS.join(' ')}`;
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      ps,
      'kill -TERM 4242 4243',
      ps,
      ps,
      'claude-desktop',
    ]);
  });

  it('on macOS (the World’s platform, not the host’s): osascript quits Claude, ps waits, open -a reopens it', async () => {
    const sb = sandbox();
    const log = join(sb.dir, 'calls.log');
    const fake = join(sb.dir, 'fake');
    // Claude is not (or no longer) among the user's processes: the wait ends at once.
    writeFileSync(fake, `#!/bin/sh\necho "$*" >> '${log}'\n[ "$1" = ps ] && echo ' 4242 1001 Claude'\nexit 0\n`);
    chmodSync(fake, 0o755);
    await restartClaudeDesktop('darwin', { MCPFORM_CLIENT_EXEC: fake }, me);
    for (let i = 0; i < 100 && readFileSync(log, 'utf8').trim().split('\n').length < 3; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'osascript -e if application "Claude" is running then tell application "Claude" to quit',
      `ps ${PS_ARGS.join(' ')}`,
      'open -a Claude',
    ]);
  });

  it('without a user id it signals nothing', async () => {
    const sb = sandbox();
    const log = join(sb.dir, 'calls.log');
    const fake = join(sb.dir, 'fake');
    writeFileSync(fake, `#!/bin/sh\necho "$*" >> '${log}'\nexit 0\n`);
    chmodSync(fake, 0o755);
    await expect(restartClaudeDesktop('linux', { MCPFORM_CLIENT_EXEC: fake }, undefined)).rejects.toThrow(
      /which processes are yours/,
    );
    expect(existsSync(log)).toBe(false);
  });

  it('an app that does not quit is an error, and it is not reopened', async () => {
    const sb = sandbox();
    const log = join(sb.dir, 'calls.log');
    const fake = join(sb.dir, 'fake');
    writeFileSync(
      fake,
      `#!/bin/sh\necho "$*" >> '${log}'\n[ "$1" = ps ] && echo ' 4242 ${me} claude-desktop'\nexit 0\n`,
    );
    chmodSync(fake, 0o755);
    const steps = restartSteps('linux', {});
    steps[1] = { kind: 'wait', name: 'claude-desktop', withinMs: 300 };
    await expect(restartClaudeDesktop('linux', { MCPFORM_CLIENT_EXEC: fake }, me, steps)).rejects.toThrow(
      /did not quit/,
    );
    expect(readFileSync(log, 'utf8')).toContain('kill -TERM 4242');
    expect(readFileSync(log, 'utf8')).not.toMatch(/^claude-desktop$/m);
  });
});

describe('what watch says about reloading, per client', () => {
  it.each([
    ['claude-desktop', /restart it .*--restart-client/, true],
    ['claude-code', /\/mcp and reconnect notes/, false],
    ['cursor', /Cursor Settings > MCP/, false],
    ['vscode', /"dev": \{ "watch": GLOB \}/, false],
    ['zed', /zed: restart notes in the client/, false],
  ] as const)('%s', (client, text, restartable) => {
    const a = reloadAdvice(client, 'notes');
    expect(a.text).toMatch(text);
    expect(a.restartable).toBe(restartable);
  });
});
