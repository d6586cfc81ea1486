#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image:
# a virtual environment holding exactly the locked grading requirements.
set -euo pipefail
cd "$(dirname "$0")"
has_python() { command -v python3 >/dev/null && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
# bubblewrap: each submission runs in a jail that sees nothing of the machine (see GRADING.md).
if ! has_python || ! python3 -c 'import ensurepip, venv' 2>/dev/null || ! command -v bwrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip bubblewrap >/dev/null
fi
if ! has_python; then
    echo "Ridge Lab needs Python 3.11 or newer: choose the Ubuntu 24.04 base image in Gradescope." >&2
    exit 1
fi
ROOT="${RIDGE_LAB_AUTOGRADER_ROOT:-/autograder}"
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r @LOCK@
