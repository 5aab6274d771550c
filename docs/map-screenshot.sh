#!/usr/bin/env bash
# Regenerates docs/map.png, the README's picture: the example vault's map
# (as of a fixed day, so the colours do not change with the calendar)
# rendered by headless Chromium (Debian: apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --quiet --release -- --vault example-vault --index-dir "$tmp/index" \
  map --as-of 2026-11-27 --out "$tmp/map.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --force-device-scale-factor=1 --window-size=1500,860 \
  --user-data-dir="$tmp/profile" --screenshot="$tmp/map.png" \
  "file://$tmp/map.html" 2>/dev/null
cp "$tmp/map.png" docs/map.png
echo "wrote docs/map.png"
