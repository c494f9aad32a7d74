import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { claudeDesktop, claudeDesktopPath } from '../../src/targets/clients/claude-desktop.js';
import { detectIndent } from '../../src/targets/json-file.js';
import { sandbox, testWorld } from '../helpers.js';
import { clientCatalog } from '../../src/targets/index.js';

const none = () => false;

describe('Claude Desktop config path', () => {
  it.each([
    [
      'linux, XDG_CONFIG_HOME',
      'linux',
      { HOME: '/home/u', XDG_CONFIG_HOME: '/x' },
      '/x/Claude/claude_desktop_config.json',
    ],
    ['linux default', 'linux', { HOME: '/home/u' }, '/home/u/.config/Claude/claude_desktop_config.json'],
    ['macOS', 'darwin', { HOME: '/Users/u' }, '/Users/u/Library/Application Support/Claude/claude_desktop_config.json'],
    [
      'Windows',
      'win32',
      { USERPROFILE: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
      'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    ],
  ] as const)('%s', (_label, platform, env, expected) => {
    expect(claudeDesktopPath({ name: 'claude-desktop' }, testWorld({ env, platform }), none)).toBe(expected);
  });

  it('Windows Store (MSIX) build: its virtualised folder when that is the one present', () => {
    const env = {
      USERPROFILE: 'C:\\Users\\u',
      APPDATA: 'C:\\Users\\u\\AppData\\Roaming',
      LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local',
    };
    const store =
      'C:\\Users\\u\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json';
    expect(
      claudeDesktopPath({ name: 'claude-desktop' }, testWorld({ env, platform: 'win32' }), (p) => p === store),
    ).toBe(store);
  });

  it('MCPFORM_CLAUDE_DESKTOP_CONFIG, then targets.claude-desktop.path, win', () => {
    expect(
      claudeDesktopPath(
        { name: 'claude-desktop', path: '/from/yaml.json' },
        testWorld({ env: { MCPFORM_CLAUDE_DESKTOP_CONFIG: '/from/env.json' }, platform: 'linux' }),
        none,
      ),
    ).toBe('/from/env.json');
    expect(
      claudeDesktopPath(
        { name: 'claude-desktop', path: '/from/yaml.json' },
        testWorld({ env: { HOME: '/h' }, platform: 'linux' }),
        none,
      ),
    ).toBe('/from/yaml.json');
  });
});

describe('rendering', () => {
  const render = (yaml: string, env: NodeJS.ProcessEnv = {}, pins = new Map<string, string>()) => {
    const sb = sandbox({ 'mcp.yaml': yaml });
    const s = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env }) });
    return s.servers.map((x) => claudeDesktop.render(x, pins, undefined, 'linux'));
  };

  it('package servers: npx -y NAME@PINNED, the pin from mcp.lock', () => {
    const [r] = render(
      'version: 1\nservers:\n  fs: { package: "npm:@scope/fs@^1.2.0", args: ["/data"] }\n',
      {},
      new Map([['fs', '1.4.2']]),
    );
    expect(r!.entry).toEqual({ command: 'npx', args: ['-y', '@scope/fs@1.4.2', '/data'] });
  });

  it('url servers: through mcp-remote, header values in env (sensitive), never in args', () => {
    const [r] = render(
      'version: 1\nservers:\n  docs: { url: "https://x.test/mcp", transport: http, headers: { Authorization: "Bearer ${T}" } }\n',
      { T: 'secret-t' },
    );
    expect(r!.entry).toEqual({
      command: 'npx',
      args: [
        '-y',
        'mcp-remote',
        'https://x.test/mcp',
        '--transport',
        'http-only',
        '--header',
        'Authorization:${MCP_HEADER_AUTHORIZATION}',
      ],
      env: { MCP_HEADER_AUTHORIZATION: 'Bearer secret-t' },
    });
    expect([...r!.sensitive]).toEqual(['/env/MCP_HEADER_AUTHORIZATION']);
  });

  it('keeps the indentation style of the file', () => {
    expect(detectIndent('{\n\t"a": 1\n}')).toBe('\t');
    expect(detectIndent('{\n    "a": 1\n}')).toBe(4);
    expect(detectIndent('{}')).toBe(2);
  });
});
