import { mkdirSync, writeFileSync } from 'node:fs';
import { join as hostJoin } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import type { ClientEntry } from '../../src/targets/types.js';
import { pathsOf } from '../../src/world.js';
import { sandbox, testWorld } from '../helpers.js';

/** Windsurf, Cline, Roo Code, Kiro, Amazon Q and LM Studio: paths, entries, the common vocabulary. */

const CFG = '/p/proj'; // mcp.yaml's folder, for project/workspace scopes
type Row = { client: string; platform: NodeJS.Platform; scope?: string; env?: NodeJS.ProcessEnv; want: string };
const HOME_MAC = { HOME: '/Users/u' };
const HOME_LINUX = { HOME: '/home/u' };
const HOME_WIN = { USERPROFILE: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' };
const ROO = 'globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json';

// prettier-ignore
const PATHS: Row[] = [
  { client: 'windsurf', platform: 'darwin', env: HOME_MAC, want: '/Users/u/.codeium/windsurf/mcp_config.json' },
  { client: 'windsurf', platform: 'linux', env: HOME_LINUX, want: '/home/u/.codeium/windsurf/mcp_config.json' },
  { client: 'windsurf', platform: 'win32', env: HOME_WIN, want: 'C:\\Users\\u\\.codeium\\windsurf\\mcp_config.json' },
  { client: 'cline', platform: 'darwin', env: HOME_MAC, want: '/Users/u/.cline/data/settings/cline_mcp_settings.json' },
  { client: 'cline', platform: 'linux', env: HOME_LINUX, want: '/home/u/.cline/data/settings/cline_mcp_settings.json' },
  { client: 'cline', platform: 'win32', env: HOME_WIN, want: 'C:\\Users\\u\\.cline\\data\\settings\\cline_mcp_settings.json' },
  { client: 'cline', platform: 'linux', env: { ...HOME_LINUX, CLINE_DIR: '/c' }, want: '/c/data/settings/cline_mcp_settings.json' },
  { client: 'cline', platform: 'linux', env: { ...HOME_LINUX, CLINE_DIR: '/c', CLINE_DATA_DIR: '/d' }, want: '/d/settings/cline_mcp_settings.json' },
  { client: 'cline', platform: 'linux', env: { ...HOME_LINUX, CLINE_DATA_DIR: '/d', CLINE_MCP_SETTINGS_PATH: '/x/m.json' }, want: '/x/m.json' },
  { client: 'cline', platform: 'linux', env: { ...HOME_LINUX, CLINE_DIR: '  ', CLINE_DATA_DIR: '' }, want: '/home/u/.cline/data/settings/cline_mcp_settings.json' },
  { client: 'roo-code', platform: 'darwin', env: HOME_MAC, want: `/Users/u/Library/Application Support/Code/User/${ROO}` },
  { client: 'roo-code', platform: 'linux', env: HOME_LINUX, want: `/home/u/.config/Code/User/${ROO}` },
  { client: 'roo-code', platform: 'linux', env: { ...HOME_LINUX, XDG_CONFIG_HOME: '/xdg' }, want: `/xdg/Code/User/${ROO}` },
  { client: 'roo-code', platform: 'win32', env: HOME_WIN, want: `C:\\Users\\u\\AppData\\Roaming\\Code\\User\\${ROO.replaceAll('/', '\\')}` },
  { client: 'roo-code', platform: 'linux', env: { ...HOME_LINUX, VSCODE_PORTABLE: '/portable' }, want: `/portable/user-data/User/${ROO}` },
  { client: 'roo-code', platform: 'linux', scope: 'project', env: HOME_LINUX, want: `${CFG}/.roo/mcp.json` },
  { client: 'kiro', platform: 'darwin', env: HOME_MAC, want: '/Users/u/.kiro/settings/mcp.json' },
  { client: 'kiro', platform: 'win32', env: HOME_WIN, want: 'C:\\Users\\u\\.kiro\\settings\\mcp.json' },
  { client: 'kiro', platform: 'linux', scope: 'workspace', env: HOME_LINUX, want: `${CFG}/.kiro/settings/mcp.json` },
  { client: 'amazon-q', platform: 'linux', env: HOME_LINUX, want: '/home/u/.aws/amazonq/mcp.json' },
  { client: 'amazon-q', platform: 'win32', env: HOME_WIN, want: 'C:\\Users\\u\\.aws\\amazonq\\mcp.json' },
  { client: 'amazon-q', platform: 'darwin', scope: 'workspace', env: HOME_MAC, want: `${CFG}/.amazonq/mcp.json` },
  { client: 'lm-studio', platform: 'darwin', env: HOME_MAC, want: '/Users/u/.lmstudio/mcp.json' },
  { client: 'lm-studio', platform: 'win32', env: HOME_WIN, want: 'C:\\Users\\u\\.lmstudio\\mcp.json' },
  // The MCPFORM_<NAME>_CONFIG override wins over every rule above.
  { client: 'cline', platform: 'linux', env: { ...HOME_LINUX, CLINE_MCP_SETTINGS_PATH: '/x', MCPFORM_CLINE_CONFIG: '/o.json' }, want: '/o.json' },
  { client: 'roo-code', platform: 'linux', scope: 'project', env: { MCPFORM_ROO_CODE_CONFIG: '/o.json' }, want: '/o.json' },
  { client: 'lm-studio', platform: 'linux', env: { MCPFORM_LM_STUDIO_CONFIG: '/o.json' }, want: '/o.json' },
];

describe('client files per OS, scope and environment', () => {
  it.each(PATHS)('$client on $platform, scope $scope, env $env -> $want', (r) => {
    const spec = { name: r.client, base: CFG, ...(r.scope && { scope: r.scope }) };
    expect(adapterFor(r.client).resolvePath(spec, testWorld({ env: r.env ?? {}, platform: r.platform }))).toBe(r.want);
  });

  it('a `path:` in mcp.yaml wins over the client rule', () => {
    expect(
      adapterFor('kiro').resolvePath(
        { name: 'kiro', path: '/mine.json' },
        testWorld({ env: HOME_LINUX, platform: 'linux' }),
      ),
    ).toBe('/mine.json');
  });

  it('LM Studio: the home pointer, else ~/.cache/lm-studio when it exists, else ~/.lmstudio', () => {
    const sb = sandbox();
    const world = testWorld({ env: { HOME: sb.home }, platform: 'linux' });
    // The World's path rules (posix), not the host's: on a Windows host, HOME is C:\... and joined with /.
    const join = pathsOf(world).join;
    const resolve = () => adapterFor('lm-studio').resolvePath({ name: 'lm-studio' }, world);
    expect(resolve()).toBe(join(sb.home, '.lmstudio', 'mcp.json'));
    mkdirSync(hostJoin(sb.home, '.cache', 'lm-studio'), { recursive: true });
    expect(resolve()).toBe(join(sb.home, '.cache', 'lm-studio', 'mcp.json'));
    writeFileSync(hostJoin(sb.home, '.lmstudio-home-pointer'), '/data/lms\n');
    expect(resolve()).toBe('/data/lms/mcp.json');
    writeFileSync(hostJoin(sb.home, '.lmstudio-home-pointer'), '  \n'); // an empty pointer is none
    expect(resolve()).toBe(join(sb.home, '.cache', 'lm-studio', 'mcp.json'));
  });

  it.each([
    ['roo-code', 'workspace', 'user, project'],
    ['kiro', 'project', 'user, workspace'],
    ['cline', 'project', 'user'],
  ])('%s refuses scope %s, located, naming its scopes', (client, scope, allowed) => {
    const sb = sandbox({ 'mcp.yaml': `version: 1\ntargets:\n  ${client}: { scope: ${scope} }\nservers: {}\n` });
    let error: unknown;
    try {
      loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: sb.env }) });
    } catch (e) {
      error = e;
    }
    const text = JSON.stringify(error);
    expect(text).toContain(`'${scope}' is not a scope of ${client}; allowed: ${allowed}`);
    expect(text).toMatch(/"line":3/);
  });
});

const YAML = `version: 1
servers:
  tiny: { command: node, args: [srv.js, "\${TOKEN}"], env: { API_KEY: "\${TOKEN}" } }
  pkg: { package: "npm:@scope/server@^1.2.0", args: [--ro] }
  docs: { url: "https://docs.example.test/mcp", headers: { Authorization: "Bearer \${TOKEN}" } }
  events: { url: "https://ev.example.test/sse", transport: sse }
`;
function servers() {
  const sb = sandbox({ 'mcp.yaml': YAML });
  return loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: { TOKEN: 't-1' } }) })
    .servers;
}
const PINS = new Map([['pkg', '1.2.7']]);
const STDIO = { command: 'node', args: ['srv.js', 't-1'], env: { API_KEY: 't-1' } };
const PKG = { command: 'npx', args: ['-y', '@scope/server@1.2.7', '--ro'] };
const HDR = { headers: { Authorization: 'Bearer t-1' } };
const DOCS = 'https://docs.example.test/mcp';
const EV = 'https://ev.example.test/sse';

/** What each client writes for tiny, pkg, docs, events. */
// prettier-ignore
const RENDER: { client: string; tiny: ClientEntry; pkg: ClientEntry; docs: ClientEntry; events: ClientEntry }[] = [
  { client: 'windsurf', tiny: STDIO, pkg: PKG, docs: { serverUrl: DOCS, ...HDR }, events: { serverUrl: EV } },
  { client: 'cline', tiny: { type: 'stdio', ...STDIO }, pkg: { type: 'stdio', ...PKG }, docs: { type: 'streamableHttp', url: DOCS, ...HDR }, events: { type: 'sse', url: EV } },
  { client: 'roo-code', tiny: { type: 'stdio', ...STDIO }, pkg: { type: 'stdio', ...PKG }, docs: { type: 'streamable-http', url: DOCS, ...HDR }, events: { type: 'sse', url: EV } },
  { client: 'kiro', tiny: STDIO, pkg: PKG, docs: { url: DOCS, ...HDR }, events: { url: EV } },
  { client: 'amazon-q', tiny: { type: 'stdio', ...STDIO }, pkg: { type: 'stdio', ...PKG }, docs: { type: 'http', url: DOCS, ...HDR }, events: { type: 'http', url: EV } },
  { client: 'lm-studio', tiny: STDIO, pkg: PKG, docs: { url: DOCS, ...HDR }, events: { url: EV } },
];

/** The same servers in the common vocabulary (Claude Desktop's), as import/doctor/test --live read them. */
// prettier-ignore
const CANONICAL: Record<string, Record<string, ClientEntry>> = {
  windsurf: { docs: { url: DOCS, ...HDR }, events: { url: EV } },
  cline: { docs: { type: 'http', url: DOCS, ...HDR }, events: { type: 'sse', url: EV } },
  'roo-code': { docs: { type: 'http', url: DOCS, ...HDR }, events: { type: 'sse', url: EV } },
  kiro: { docs: { url: DOCS, ...HDR }, events: { url: EV } },
  'amazon-q': { docs: { type: 'http', url: DOCS, ...HDR }, events: { type: 'http', url: EV } },
  'lm-studio': { docs: { url: DOCS, ...HDR }, events: { url: EV } },
};

describe('entries as each client spells them', () => {
  it.each(RENDER)('$client: stdio, package (pinned), remote http and sse', (row) => {
    const adapter = adapterFor(row.client);
    const [tiny, pkg, docs, events] = servers().map((s) => adapter.render(s, PINS, undefined, 'linux'));
    expect(tiny!.entry).toEqual(row.tiny);
    expect(pkg!.entry).toEqual(row.pkg);
    expect(docs!.entry).toEqual(row.docs);
    expect(events!.entry).toEqual(row.events);
    // The secrets stay marked wherever the client puts them.
    expect([...tiny!.sensitive].sort()).toEqual(['/args/1', '/env/API_KEY']);
    expect([...docs!.sensitive]).toEqual(['/headers/Authorization']);
  });

  it.each(RENDER)('$client: toCanonical(render(x)) is the entry in Claude Desktop vocabulary', (row) => {
    const adapter = adapterFor(row.client);
    const [tiny, pkg, docs, events] = servers().map((s) =>
      adapter.toCanonical(adapter.render(s, PINS, undefined, 'linux').entry),
    );
    expect(tiny).toEqual(STDIO);
    expect(pkg).toEqual(PKG);
    expect(docs).toEqual(CANONICAL[row.client]!.docs);
    expect(events).toEqual(CANONICAL[row.client]!.events);
  });

  it.each([
    ['windsurf', '${env:TOKEN}'],
    ['roo-code', '${env:TOKEN}'],
    ['cline', undefined], // the extension expands ${env:X}, the CLI/SDK reading the same file does not
    ['kiro', undefined], // only variables approved in Kiro's settings, only in env and headers
    ['amazon-q', undefined], // only in env and headers
    ['lm-studio', undefined], // none documented
  ])('%s: secrets: reference writes %s', (client, ref) => {
    expect(adapterFor(client).variableReference?.('TOKEN')).toBe(ref);
  });

  it.each([
    ['windsurf', 'gui'],
    ['cline', 'gui'],
    ['roo-code', 'gui'],
    ['kiro', 'gui'],
    ['amazon-q', 'cli'],
    ['lm-studio', 'gui'],
  ])('%s starts servers with the %s environment; remote servers are native', (client, launch) => {
    expect(adapterFor(client).launch).toBe(launch);
    expect(adapterFor(client).remote).toBe('native');
    expect(adapterFor(client).format).toBe('json');
  });

  // prettier-ignore
  it.each([
    ['windsurf', { url: DOCS, disabled: true }, { url: DOCS, disabled: true }],
    ['windsurf', { serverUrl: DOCS, url: 'https://old' }, { url: DOCS }],
    ['cline', { url: EV }, { type: 'sse', url: EV }], // no type means sse in Cline
    ['cline', { command: 'x', transportType: 'stdio' }, { command: 'x' }],
    ['cline', { transport: { type: 'streamableHttp', url: DOCS }, oauth: { tokens: { access_token: 'a' } } }, { type: 'http', url: DOCS, oauth: { tokens: { access_token: 'a' } } }],
    ['cline', { transport: { type: 'stdio', command: 'x', args: ['y'] }, disabled: true }, { command: 'x', args: ['y'], disabled: true }],
    ['roo-code', { command: 'x', alwaysAllow: ['t'] }, { command: 'x', alwaysAllow: ['t'] }],
    ['amazon-q', { command: 'x', args: [], url: '', headers: {}, timeout: 120000, disabled: false }, { command: 'x', args: [], timeout: 120000, disabled: false }],
    ['amazon-q', { type: 'http', url: DOCS, command: '', args: [], headers: {}, oauthScopes: ['openid'] }, { type: 'http', url: DOCS, headers: {}, oauthScopes: ['openid'] }],
  ])('%s: toCanonical(read(%j)) = %j', (client, entry, want) => {
    const adapter = adapterFor(client);
    const sb = sandbox();
    const file = sb.write('c.json', JSON.stringify({ mcpServers: { s: entry } }));
    expect(adapter.toCanonical(adapter.read(file).entries.s!)).toEqual(want);
  });
});
