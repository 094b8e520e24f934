#!/bin/sh
# Rewrite constraints.txt: one pinned version of every package vanban and its tests install, valid for
# Debian 12 (Python 3.11) and Debian 13 (Python 3.13) alike. Run it after changing dependencies in
# pyproject.toml (a merge that adds one, too); pins that still fit are kept. `tools/lock.sh --upgrade`
# moves every pin to the newest release that fits pyproject.toml's bounds.
set -eu
cd "$(dirname "$0")/.."
tool="${XDG_CACHE_HOME:-$HOME/.cache}/vanban-lock"
if [ ! -x "$tool/bin/uv" ]; then
    python3 -m venv "$tool" && "$tool/bin/pip" install --quiet uv
fi
# --universal: one file for every Python from 3.11 on; --fork-strategy fewest: the same release on each of them
# wherever one exists (numpy 2.5 needs Python 3.12, so both take 2.4), so Debian 12 and 13 run the same code
"$tool/bin/uv" pip compile pyproject.toml --extra test --universal --fork-strategy fewest --python-version 3.11 \
    --quiet --custom-compile-command "tools/lock.sh" --output-file constraints.txt "$@"
echo "constraints.txt: $(grep -c '==' constraints.txt) pins. Install with: .venv/bin/pip install -c constraints.txt -e '.[test]'"
