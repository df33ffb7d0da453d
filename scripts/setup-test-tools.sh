#!/usr/bin/env bash
# Creates the project-local Python virtualenv that holds the test tooling (moto server, cfn-lint).
# Idempotent: it reinstalls only when test/tools/requirements.txt changed since the last install.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
requirements="$root/test/tools/requirements.txt"
stamp="$venv/.requirements.sha256"

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "sagewatch: '$python' was not found. The integration tests and the template check need Python 3.9+" >&2
  echo "with the venv module (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python)." >&2
  exit 1
fi

wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -x "$venv/bin/moto_server" ] && [ -x "$venv/bin/cfn-lint" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi

echo "sagewatch: installing test tools into .venv (moto server, cfn-lint)" >&2
if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
  echo "sagewatch: '$python -m venv' failed. Install the venv module (Debian/Ubuntu: apt-get install python3-venv)." >&2
  exit 1
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "$wanted" >"$stamp"
echo "sagewatch: test tools ready: $("$venv/bin/cfn-lint" --version), moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)')" >&2
