import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reloadAdvice, restartClaudeDesktop, restartCommands } from '../../src/watch/reload.js';
import { sandbox } from '../helpers.js';

describe('quitting and reopening Claude Desktop, per OS', () => {
  const line = (c: { command: string; args: string[] }) => [c.command, ...c.args].join(' ');
  it.each([
    [
      'darwin',
      [
        'osascript -e if application "Claude" is running then tell application "Claude" to quit',
        'pgrep -x Claude',
        'open -a Claude',
      ],
    ],
    ['win32', ['taskkill /IM claude.exe /T /F', 'C:\\Users\\me\\AppData\\Local\\AnthropicClaude\\claude.exe']],
    ['linux', ['pkill -TERM -x claude-desktop', 'pgrep -x claude-desktop', 'claude-desktop']],
  ] as const)('%s', (platform, want) => {
    const cmds = restartCommands(platform, { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' });
    expect(cmds.map(line)).toEqual(want);
    // The reopened app outlives mcpform; quitting one that is not running is fine.
    expect(cmds.at(-1)!.detached).toBe(true);
    expect(cmds[0]!.mayFail).toBe(true);
  });

  it('waits until the app is gone before reopening it, through MCPFORM_CLIENT_EXEC', async () => {
    const sb = sandbox();
    const log = join(sb.dir, 'calls.log');
    const count = join(sb.dir, 'pgrep-count');
    const fake = join(sb.dir, 'fake');
    // A real program in place of the OS tools: records each call; "still running" twice.
    writeFileSync(
      fake,
      `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = pgrep ]; then echo x >> '${count}'; [ $(wc -l < '${count}') -ge 3 ] && exit 1; exit 0; fi\nexit 0\n`,
    );
    chmodSync(fake, 0o755);
    await restartClaudeDesktop('linux', { MCPFORM_CLIENT_EXEC: fake });
    for (let i = 0; i < 100 && readFileSync(log, 'utf8').trim().split('\n').length < 5; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'pkill -TERM -x claude-desktop',
      'pgrep -x claude-desktop',
      'pgrep -x claude-desktop',
      'pgrep -x claude-desktop',
      'claude-desktop',
    ]);
  });

  it('an app that does not quit is an error, and it is not reopened', async () => {
    const sb = sandbox();
    const log = join(sb.dir, 'calls.log');
    const fake = join(sb.dir, 'fake');
    writeFileSync(fake, `#!/bin/sh\necho "$*" >> '${log}'\nexit 0\n`);
    chmodSync(fake, 0o755);
    const cmds = restartCommands('linux', {});
    cmds[1]!.untilGoneMs = 300;
    await expect(restartClaudeDesktop('linux', { MCPFORM_CLIENT_EXEC: fake }, cmds)).rejects.toThrow(/did not quit/);
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
