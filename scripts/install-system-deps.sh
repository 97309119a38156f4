#!/usr/bin/env bash
# Debian/Ubuntu packages paperkit needs. Usage: scripts/install-system-deps.sh [--test]
#   always: Pango and HarfBuzz (with its subsetting library) for WeasyPrint's PDF writing,
#           Liberation and DejaVu fonts so LibreOffice and Word-alikes show Arial metrics;
#   --test: poppler-utils (pdftotext, pdftoppm), LibreOffice Writer and Chromium (for the
#           accessibility check of the HTML page), which the tests use.
# Installs only what is missing; needs root or sudo. Elsewhere, prints what to install.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  packages+=(poppler-utils libreoffice-writer-nogui chromium)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "paperkit: please install the equivalents of: ${missing[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "paperkit: run as root, or install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "paperkit: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
