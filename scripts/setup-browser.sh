#!/usr/bin/env bash
# Makes sure headless Chromium is there for the report's browser test (test/e2e/). Debian's
# `chromium` package, installed with apt-get only when missing (CI and the project's machines run as
# root). CHROMIUM_PATH points the test at another Chromium instead.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "sagewatch: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "sagewatch: the report's browser test needs Chromium: install it (Debian/Ubuntu: apt-get install chromium)" >&2
  echo "or set CHROMIUM_PATH to a Chromium or Chrome binary." >&2
  exit 1
fi
echo "sagewatch: installing chromium (Debian package) for the report's browser test" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "sagewatch: $("$chromium" --version 2>/dev/null)" >&2
