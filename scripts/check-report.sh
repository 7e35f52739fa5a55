#!/bin/sh
# Plans bundled scenarios with `wfm plan`, screenshots each report.html with headless
# Chromium at a phone width (390 px) and a desktop width (1400 px), and checks every
# screenshot is a real page. Leaves every output folder and PNG in OUT_DIR (default: a new
# temporary folder) for a person to look at.
# Usage: scripts/check-report.sh [OUT_DIR] [SCENARIO...]   (default: every examples/scenarios/*.json)
set -eu
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- examples/scenarios/*.json
for scenario in "$@"; do
    name=$(basename "$scenario" .json)
    cargo run --quiet -- plan "$scenario" --out "$out/$name" >/dev/null
    for view in phone:390,2400 desktop:1400,2400; do
        png=$(scripts/render-report.sh "$out/$name/report.html" "$out/$name/report-${view%%:*}.png" "${view#*:}")
        size=$(wc -c <"$png")
        magic=$(head -c 4 "$png" | od -An -c | tr -d ' \n')
        if [ "$magic" != "211PNG" ] || [ "$size" -lt 50000 ]; then
            echo "$0: $png does not look like a rendered report ($size bytes)" >&2
            exit 1
        fi
        echo "$name ${view%%:*}: $png ($size bytes)"
    done
done
