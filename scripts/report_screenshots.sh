#!/usr/bin/env bash
# Regenerate the screenshots of the HTML reports in docs/screenshots/ with headless
# Chromium, at A4 (print) width and at phone width. Run from the repository root.
set -euo pipefail
out=docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
profile=tests/data/profiles/er-triage.yaml
comity assess "$profile" --as-of 2026-11-22 --format html -o "$work/assess.html"
comity compare "$profile" -j EU,US-CO,US-CA --as-of 2026-11-22 --format html \
  -o "$work/compare.html"
for report in assess compare; do
  # 794 px is A4 at 96 dpi; 390 px a common phone width.
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=794,2400 --screenshot="$out/$report-a4.png" "file://$work/$report.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=390,2400 --screenshot="$out/$report-phone.png" "file://$work/$report.html"
done
ls -l "$out"
