#!/usr/bin/env bash
# Installs the system packages Ponte needs, when they are missing: redis-server always; Debian's
# chromium with --with-chromium (the real WhatsApp engines drive it; the simulator does not); promtool
# (Debian's prometheus package) with --with-promtool (CI checks and unit-tests prometheus/alerts.yml).
set -euo pipefail
want_chromium=0
want_promtool=0
for arg in "$@"; do
  case "$arg" in
    --with-chromium) want_chromium=1 ;;
    --with-promtool) want_promtool=1 ;;
    *) echo "ponte setup: unknown option $arg (known: --with-chromium, --with-promtool)" >&2; exit 2 ;;
  esac
done

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# systemd-analyze checks deploy/systemd/ponte.service (the suite runs it).
if [ "$want_chromium" = 1 ] && ! command -v systemd-analyze >/dev/null 2>&1; then missing+=(systemd); fi
if [ "$want_chromium" = 1 ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if [ "$want_promtool" = 1 ] && ! command -v promtool >/dev/null 2>&1; then missing+=(prometheus); fi
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

# Only promtool was wanted from the prometheus package: its server must not keep running (it would hold
# port 9090 and scrape this machine). Where services are started on install (systemd, or sysvinit
# without a policy-rc.d that forbids it, as in containers), stop it and keep it from starting at boot.
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    $sudo /etc/init.d/prometheus stop >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null 2>&1 && { $sudo update-rc.d prometheus disable >/dev/null 2>&1 || true; }
  fi
fi
echo "ponte setup: done"
