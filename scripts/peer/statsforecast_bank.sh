#!/usr/bin/env bash
# Side by side on the bank folds: statsforecast's seasonal naive, MSTL and AutoETS
# (statsforecast_bank.py, in a virtual environment .peer-venv), then wfm's own backtest of
# every method on the same file and folds (release build). Usage, from the repository root:
#   bash scripts/peer/statsforecast_bank.sh path/to/bank_calls_30min.csv [MODEL ...]
# MODEL names limit the statsforecast side (seasonal_naive, MSTL(29,145), AutoETS(145)).
set -euo pipefail
data=$1
venv=${PEER_VENV:-.peer-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet statsforecast pandas
"$venv/bin/python" -c 'import statsforecast, pandas, numpy; print("statsforecast", statsforecast.__version__, "pandas", pandas.__version__, "numpy", numpy.__version__)'
"$venv/bin/python" "$(dirname "$0")/statsforecast_bank.py" "$@"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/wfm
echo "wfm $("$bin" --version | cut -d' ' -f2): forecast backtest --interval 30m --horizon 7d --folds 8"
# Wall and CPU time of the whole nine-method backtest with intervals.
TIMEFORMAT='wfm backtest of nine methods: wall %R s, cpu %U s user + %S s system'
time "$bin" forecast backtest "$data" --interval 30m --horizon 7d --folds 8 | grep -E '^rank| 7d '
