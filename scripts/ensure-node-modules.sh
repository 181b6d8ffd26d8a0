#!/usr/bin/env bash
# Installs the npm packages from the lock file on a fresh clone, so `npm test` and `npm run demo` work as
# the first command. An existing node_modules is left alone (after a pull that changed dependencies, run
# `npm ci` yourself).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] && exit 0
echo "ponte setup: installing npm packages ..."
npm ci --no-audit --no-fund
