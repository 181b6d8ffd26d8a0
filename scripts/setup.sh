#!/usr/bin/env bash
# Installs the system packages Ponte needs, when they are missing: redis-server always, and Debian's
# chromium with --with-chromium (the real WhatsApp engines drive it; the simulator does not).
set -euo pipefail
want_chromium=0
[ "${1:-}" = "--with-chromium" ] && want_chromium=1

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "$want_chromium" = 1 ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ponte setup: please install ${missing[*]} with your package manager (no apt-get here)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ponte setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "ponte setup: installing ${missing[*]} ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ponte setup: done"
