#!/usr/bin/env bash
# Installs everything Bussola needs on a fresh Debian machine, idempotently:
# Debian packages (kcat for the third-party client test, chromium and
# chromium-driver for the browser tests), the Go modules, the ClickHouse
# engine (libchdb.so from the npm package @chdb/lib-linux-x64-gnu) and the
# ECharts assets (npm package echarts), both into a cache directory outside
# the git tree, and axe-core (npm package axe-core) that the browser tests
# inject to check WCAG 2.1 AA. Nothing is committed; nothing is installed by hand.
set -euo pipefail

CHDB_VERSION=26.5.3
ECHARTS_VERSION=5.4.3
AXE_VERSION=4.10.2
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/bussola"
here="$(cd "$(dirname "$0")/.." && pwd)"

need_apt=()
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium chromium-driver)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

fetch_npm() { # package version dest-dir marker-file
  local pkg="$1" version="$2" dest="$3" marker="$4"
  if [ -f "$dest/package/$marker" ]; then return; fi
  echo "setup: fetching $pkg@$version from the npm registry into $dest"
  mkdir -p "$dest"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dest/package"
  mv "$tmp/package" "$dest/package"
  rm -rf "$tmp"
  test -f "$dest/package/$marker"
}
fetch_npm "@chdb/lib-linux-x64-gnu" "$CHDB_VERSION" "$CACHE/libchdb/$CHDB_VERSION" libchdb.so
fetch_npm echarts "$ECHARTS_VERSION" "$CACHE/echarts/$ECHARTS_VERSION" dist/echarts.min.js
fetch_npm axe-core "$AXE_VERSION" "$CACHE/axe-core/$AXE_VERSION" axe.min.js

cd "$here"
go mod download
echo "setup: ok (libchdb $CHDB_VERSION, echarts $ECHARTS_VERSION, axe-core $AXE_VERSION in $CACHE)"
