#!/usr/bin/env bash
# Debian packages the test suite needs beyond Python: Chromium for the browser tests, the
# Pango libraries WeasyPrint renders PDFs with, gettext for translations, docker-compose to
# validate the compose file, clamd (the virus scanner the document tests start on their own
# signature file) and libmagic (content types from the bytes), Java and npm for the Nu HTML Checker (vnu-jar, the version locked
# in package-lock.json). Installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ldconfig -p | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)
ldconfig -p | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
ldconfig -p | grep -q libmagic.so.1 || missing+=(libmagic1)
# poppler-utils: pdftoppm makes the first page of a PDF document its preview image; the
# letter tests read the text of the PDFs they generate with pdftotext.
{ command -v pdftoppm && command -v pdftotext; } >/dev/null 2>&1 || missing+=(poppler-utils)
# wrk: the load generator of `make bench` (not of the test suite).
command -v wrk >/dev/null 2>&1 || missing+=(wrk)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The checker's jar from the locked package; its install script (which would fetch a Java
# runtime) is not needed: Java comes from Debian.
cd "$(dirname "$0")/.."
[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm ci --ignore-scripts --no-audit --no-fund
