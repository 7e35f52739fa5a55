#!/usr/bin/env bash
# Side by side from Python: installs pyworkforce 0.5.1 and this repository's Python package
# (`pip install ./python`, a release build) into one virtual environment (.peer-venv), then
# runs pyworkforce_python.py: Erlang C staffing for a year of 15-minute intervals and the
# peer's shift week, ours against pyworkforce, call overhead included. From the repository
# root:
#   bash scripts/peer/pyworkforce_python.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${PEER_VENV:-.peer-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet pyworkforce==0.5.1 numpy
"$venv/bin/pip" install --quiet ./python
exec "$venv/bin/python" scripts/peer/pyworkforce_python.py "$@"
