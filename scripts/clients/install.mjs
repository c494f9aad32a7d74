// Installs the pinned clients (scripts/clients/package.json and its lock) into a cache folder
// outside the repository, once per pin set: later runs reuse it. A version bump is one line
// in package.json (then `npm install --package-lock-only` here to refresh the lock).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPinned, stageCache } from '../lib/pinned-install.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the clients live: MCPFORM_CLIENTS_CACHE, else ~/.cache/mcpform-dev/clients (XDG_CACHE_HOME honoured). */
export function cacheRoot(env = process.env) {
  return stageCache('clients', env.MCPFORM_CLIENTS_CACHE, env);
}

/** The pinned versions, by package name. */
export function pins() {
  return JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')).dependencies;
}

/** The folder holding the installed clients (node_modules/.bin/<bin>), installing them on first use. */
export function installClients(log = (line) => process.stderr.write(`${line}\n`)) {
  // `npm install`, not `ci`: the lock pins every package, but `ci` refuses it for optional
  // platform packages of other OSes the registry does not serve ("Missing: X@ from lock file").
  // Install scripts stay on: @openai/codex and @github/copilot pick their platform binaries there.
  return installPinned({
    from: HERE,
    root: cacheRoot(),
    npmArgs: ['install'],
    log,
    what: 'clients: installing the pinned clients',
  });
}
