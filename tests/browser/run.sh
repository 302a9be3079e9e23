#!/usr/bin/env bash
# The HTML report in a real headless browser: installs Debian's Chromium
# and ChromeDriver and Selenium from PyPI when missing, writes the report on
# the fixtures and runs check_report.py on it.
#
#   tests/browser/run.sh [--screenshot docs/report.png]
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium

cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A fixed date, so the screenshot does not change from run to run.
SOURCE_DATE_EPOCH=1796601599 PIISCAN_FINGERPRINT_KEY=browser-test-key target/debug/piiscan report fixtures --no-progress \
    --retention 365d --format html -o "$tmp/report.html"
python3 tests/browser/check_report.py "$tmp/report.html" "$@"
