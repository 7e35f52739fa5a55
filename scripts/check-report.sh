#!/bin/sh
# Plans a bundled scenario with `wfm plan`, screenshots its report.html with headless
# Chromium and checks the screenshot is a real page. Leaves every output file and the PNG in
# OUT_DIR (default: a new temporary folder) for a person to look at.
# Usage: scripts/check-report.sh [OUT_DIR] [SCENARIO]
set -eu
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
scenario=${2:-examples/scenarios/follow_the_sun.json}
cargo run --quiet -- plan "$scenario" --out "$out" >/dev/null
png=$(scripts/render-report.sh "$out/report.html" "$out/report.png")
size=$(wc -c <"$png")
magic=$(head -c 4 "$png" | od -An -c | tr -d ' \n')
if [ "$magic" != "211PNG" ] || [ "$size" -lt 50000 ]; then
    echo "$0: $png does not look like a rendered report ($size bytes)" >&2
    exit 1
fi
echo "report: $out/report.html"
echo "screenshot: $png ($size bytes)"
