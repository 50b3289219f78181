#!/usr/bin/env bash
# The test suite under Node 24, on a machine whose `node` is Node 20 (as CI's is): fetches Node 24
# from the npm registry (`node@24`) into .node24/, rebuilds better-sqlite3 (the one native module
# built from source) for Node 24's ABI, runs `npm run test:unit`, then rebuilds it for the
# original Node again, whatever the outcome.
#
#   npm run test:node24        (after npm ci; about 2 minutes more than the suite itself)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$PWD/.node24
pkg=$(find "$dir/node_modules" -maxdepth 3 -type d -name 'node-linux-*' 2>/dev/null | head -1 || true)
if [ -z "$pkg" ] || [ ! -x "$pkg/bin/node" ]; then
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock node@24 >/dev/null
  pkg=$(find "$dir/node_modules" -maxdepth 3 -type d -name 'node-linux-*' | head -1)
fi
[ -x "$pkg/bin/node" ] || { echo "no Node 24 binary under $dir" >&2; exit 1; }
restore() { npm rebuild better-sqlite3 >/dev/null 2>&1 || echo "warning: could not rebuild better-sqlite3 for $(node --version); run npm rebuild better-sqlite3" >&2; }
trap restore EXIT
(
  export PATH="$pkg/bin:$PATH"
  echo "node $(node --version) from $pkg"
  npm_config_nodedir="$pkg" npm rebuild better-sqlite3 >/dev/null
  npm run test:unit
)
