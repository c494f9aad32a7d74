import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { clientEnvironment, defaultEnvironment, whichCommand } from '../../src/probe/environment.js';

describe('client environment', () => {
  it('is the same as the MCP SDK gives stdio servers', () => {
    expect(defaultEnvironment()).toEqual(getDefaultEnvironment());
  });

  it('adds the entry env and nothing else from the shell', () => {
    const env = clientEnvironment({ A: '1' }, defaultEnvironment({ PATH: '/bin', HOME: '/h', SECRET_IN_SHELL: 'x' }));
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', A: '1' });
  });

  it('skips shell functions', () => {
    expect(defaultEnvironment({ SHELL: '() { evil; }', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it('finds commands on the given PATH only', () => {
    expect(whichCommand('sh', { PATH: '/bin:/usr/bin' })).toMatch(/\/sh$/);
    expect(whichCommand('sh', { PATH: '/nonexistent' })).toBeUndefined();
  });
});
