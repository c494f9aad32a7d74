import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importClients } from '../../src/adopt/import-clients.js';
import { adapterFor } from '../../src/targets/index.js';
import type { ClientEntry } from '../../src/targets/types.js';

const src = (client: string, entries: Record<string, ClientEntry>) => ({
  adapter: adapterFor(client),
  path: `/files/${client}`,
  entries,
});
const gh = (token: string, extra: string[] = []) => ({
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-github', ...extra],
  env: { GITHUB_PERSONAL_ACCESS_TOKEN: token },
});

describe('importClients: several clients, one mcp.yaml', () => {
  it('same definition: one server; other definitions: NAME-CLIENT, shared by the clients that agree on it', () => {
    const r = importClients(
      [
        src('claude-desktop', { github: gh('ghp_aaaaaaaaaaaaaaaaaaaaaaaa'), memory: { command: 'mem' } }),
        src('cursor', { github: gh('ghp_bbbbbbbbbbbbbbbbbbbbbbbb') }),
        src('codex', {
          github: gh('ghp_bbbbbbbbbbbbbbbbbbbbbbbb'),
          memory: { command: 'mem', startup_timeout_sec: 9 },
        }),
        // Goose spells it cmd/args/envs: the same definition once read through its adapter.
        src('goose', { memory: { type: 'stdio', name: 'memory', cmd: 'mem', args: [], enabled: false, timeout: 5 } }),
      ],
      {},
      '/project',
      'linux',
    );
    expect(r.servers).toEqual([
      { name: 'github', clients: ['claude-desktop'] },
      { name: 'github-cursor', clients: [] },
      { name: 'memory', clients: ['claude-desktop', 'codex', 'goose'] },
    ]);
    expect(r.conflicts).toEqual([
      {
        server: 'github',
        variants: [
          { name: 'github', clients: ['claude-desktop'] },
          { name: 'github-cursor', clients: ['cursor', 'codex'] },
        ],
      },
    ]);
    // One variable per secret value, across clients.
    expect(r.secrets).toEqual({
      GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_aaaaaaaaaaaaaaaaaaaaaaaa',
      GITHUB_GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_bbbbbbbbbbbbbbbbbbbbbbbb',
    });
    const doc = parse(r.yaml);
    expect(doc.targets).toEqual({
      'claude-desktop': { servers: ['github', 'memory'] },
      cursor: { servers: [] },
      codex: { servers: ['memory'] },
      goose: { servers: ['memory'] },
    });
    expect(doc.servers['github-cursor'].env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(
      '${GITHUB_GITHUB_PERSONAL_ACCESS_TOKEN}',
    );
    expect(r.yaml).not.toContain('ghp_');
  });

  it('every client with every server: targets as a plain list', () => {
    const r = importClients(
      [src('claude-desktop', { memory: { command: 'mem' } }), src('cursor', { memory: { command: 'mem' } })],
      {},
      '/project',
      'linux',
    );
    expect(parse(r.yaml).targets).toEqual(['claude-desktop', 'cursor']);
    expect(r.conflicts).toEqual([]);
  });

  it('a NAME-CLIENT already taken gets a number', () => {
    const r = importClients(
      [
        src('claude-desktop', { a: { command: 'x' }, 'a-cursor': { command: 'y' } }),
        src('cursor', { a: { command: 'z' } }),
      ],
      {},
      '/project',
      'linux',
    );
    expect(r.servers.map((s) => s.name)).toEqual(['a', 'a-cursor-2', 'a-cursor']);
  });
});
