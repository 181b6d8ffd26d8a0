#!/usr/bin/env bash
# `npm run demo`: installs what is missing, builds, and runs the daemon on the demo configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null 2>&1 || bash scripts/setup.sh
bash scripts/ensure-node-modules.sh
npm run --silent build
exec node dist/scripts/demo.js "$@"
