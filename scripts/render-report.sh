#!/bin/sh
# Screenshots a report.html with headless Chromium (Debian package `chromium`), offline.
# Usage: scripts/render-report.sh REPORT.html OUT.png [WIDTH,HEIGHT]
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT]" >&2
    exit 2
fi
report=$1
out=$2
size=${3:-1400,2200}
[ -f "$report" ] || { echo "$0: no such file: $report" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "$0: chromium not found (Debian: apt-get install chromium)" >&2; exit 3; }
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$out" --window-size="$size" \
    "file://$abs" >/dev/null 2>&1 || true
if [ ! -s "$out" ]; then
    echo "$0: chromium wrote no screenshot" >&2
    exit 1
fi
echo "$out"
