#!/usr/bin/env bash
# Installs statsforecast into a virtual environment (.peer-venv) and runs AutoETS and MSTL
# on the bank folds (see statsforecast_bank.py). Usage, from the repository root:
#   bash scripts/peer/statsforecast_bank.sh path/to/bank_calls_30min.csv [MODEL ...]
set -euo pipefail
venv=${PEER_VENV:-.peer-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet statsforecast pandas
exec "$venv/bin/python" "$(dirname "$0")/statsforecast_bank.py" "$@"
