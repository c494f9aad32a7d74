import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { clientEnvironment, defaultEnvironment, whichCommand } from '../../src/probe/environment.js';

describe('client environment', () => {
  it('is the same as the MCP SDK gives stdio servers', () => {
    // The SDK reads the host's env and platform: the same World here gives the same.
    expect(defaultEnvironment({ env: process.env, platform: process.platform })).toEqual(getDefaultEnvironment());
  });

  it('adds the entry env and nothing else from the shell', () => {
    const env = clientEnvironment(
      { A: '1' },
      defaultEnvironment({ env: { PATH: '/bin', HOME: '/h', SECRET_IN_SHELL: 'x' }, platform: 'linux' }),
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', A: '1' });
  });

  it('skips shell functions', () => {
    expect(defaultEnvironment({ env: { SHELL: '() { evil; }', PATH: '/bin' }, platform: 'linux' })).toEqual({
      PATH: '/bin',
    });
  });

  it('finds commands on the given PATH only', () => {
    expect(whichCommand('sh', { PATH: '/bin:/usr/bin' }, { platform: 'linux' })).toMatch(/\/sh$/);
    expect(whichCommand('sh', { PATH: '/nonexistent' }, { platform: 'linux' })).toBeUndefined();
  });
});
