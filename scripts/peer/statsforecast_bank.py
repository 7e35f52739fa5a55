"""Side-by-side peer measurement: statsforecast's AutoETS and MSTL on the bank folds.

Usage (from the repository root; the bank data is GPL-3 and not in the repository):
    python3 -m venv .peer-venv && .peer-venv/bin/pip install statsforecast pandas
    .peer-venv/bin/python scripts/peer/statsforecast_bank.py ../shared/data/bank_calls_5min/bank_calls_30min.csv

The same folds as `wfm forecast backtest BANK --interval 30m --horizon 7d --folds 8`:
the series of open half-hours (weekdays 07:00 - 21:00, 29 a day; closed nights and
weekends are not time steps, as in wfm), eight origins one week apart, the last one week
before the end; each fold trains on everything before its origin and forecasts the next
week's open half-hours (145, or 116 in the Labor Day week). Seasons: 145 open half-hours
a week (AutoETS), 29 a day and 145 a week (MSTL, with AutoETS on the remainder). Prints
each model's mean and pooled WAPE over the folds and its wall time; seasonal naive is
printed as a check that the folds are the same (wfm: 9.73 %).
"""
import csv
import sys
import time
from collections import OrderedDict
from datetime import date, timedelta

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS, SeasonalNaive


def read(path):
    rows = OrderedDict()
    with open(path) as f:
        for r in csv.DictReader(f):
            rows[r["interval_start"]] = float(r["calls"])
    return rows


def folds(rows):
    days = sorted({date.fromisoformat(k[:10]) for k in rows})
    end = days[-1] + timedelta(days=1)
    origins = [end - timedelta(days=7 * (8 - f)) for f in range(8)]
    keys = list(rows)
    for o in origins:
        train = [k for k in keys if date.fromisoformat(k[:10]) < o]
        test = [k for k in keys if o <= date.fromisoformat(k[:10]) < o + timedelta(days=7)]
        yield o, [rows[k] for k in train], [rows[k] for k in test]


def run(name, make, rows):
    wapes, err, tot = [], 0.0, 0.0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for o, train, test in folds(rows):
        df = pd.DataFrame({"unique_id": "bank", "ds": range(len(train)), "y": train})
        sf = StatsForecast(models=[make()], freq=1, n_jobs=1)
        fc = sf.forecast(df=df, h=len(test))
        col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
        pred = [max(0.0, x) for x in fc[col].tolist()]
        e = sum(abs(a - b) for a, b in zip(test, pred))
        s = sum(test)
        wapes.append(100 * e / s)
        err += e
        tot += s
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(f"{name:<16} mean WAPE {sum(wapes) / len(wapes):6.2f} %  pooled {100 * err / tot:6.2f} %  "
          f"wall {secs:8.1f} s  cpu {cpu:8.1f} s  folds {' '.join(f'{w:.2f}' for w in wapes)}",
          flush=True)


def main():
    rows = read(sys.argv[1])
    models = {
        "seasonal_naive": lambda: SeasonalNaive(season_length=145),
        "MSTL(29,145)": lambda: MSTL(season_length=[29, 145], trend_forecaster=AutoETS(model="ZZN")),
        "AutoETS(145)": lambda: AutoETS(season_length=145),
    }
    only = sys.argv[2:] or list(models)
    for name in only:
        run(name, models[name], rows)


if __name__ == "__main__":
    main()
