#!/usr/bin/env bash
# Set up a fresh Debian 12 machine and build every handout:
#   system packages (Pango, HarfBuzz subsetting, fonts, gettext, poppler, qpdf, chromium),
#   a virtual environment in .venv with the Python dependencies, axe-core (npm) for the browser tests,
#   offline data for reading-level scoring, then `generate.py build`.
set -euo pipefail
cd "$(dirname "$0")"

packages=(python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
          fonts-noto-core fonts-noto-cjk gettext poppler-utils qpdf
          chromium)  # the catalog page's browser tests (tests/test_catalog_page.py)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v npm >/dev/null || missing+=(npm)  # installs axe-core for the browser tests
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv"
  python3 -m venv .venv
fi
echo "Installing Python dependencies into .venv"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'

echo "Installing axe-core for the browser tests (tests/browser)"
npm ci --prefix tests/browser --no-audit --no-fund --silent

echo "Preparing offline scoring data"
.venv/bin/python -c "from careprint.readability import ensure_offline_data; ensure_offline_data()"

echo "Building every handout"
.venv/bin/python generate.py build --quiet
