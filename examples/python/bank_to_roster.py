"""From a bank's call history to a roster, in Python (notebook style: run it as a script,
or cell by cell in Jupyter). Run from the repository root after `pip install ./python`:

    python examples/python/bank_to_roster.py

Data: the Anonymous Bank's February 1999 call log aggregated to half-hours
(tests/data/anonymous_bank_feb1999/, see its SOURCE.md), in Israel time.
"""

# %% 1. The history as a DataFrame: interval_start (tz-aware), volume, aht_seconds.
import pathlib

import pandas as pd

import wfm

ROOT = pathlib.Path(__file__).resolve().parents[2]
raw = pd.read_csv(ROOT / "tests/data/anonymous_bank_feb1999/intervals_30min.csv")
TZ = "Asia/Jerusalem"
history = pd.DataFrame({
    "interval_start": pd.to_datetime(raw["interval_start"]).dt.tz_localize(TZ),
    "volume": raw["arrivals"],
    # Handle time of the served calls; an interval nobody was served in has none (NaN).
    "aht_seconds": raw["sum_service_seconds"] / raw["served"].where(raw["served"] > 0),
})
print(f"history: {len(history)} half-hours, {history['volume'].sum():.0f} calls")

# %% 2. Backtest every method: 7 daily folds after three weeks of training.
folds = wfm.backtest(history, interval="30m", horizon="1d", folds=7, tz=TZ)
ranking = folds.groupby("method")[["wape", "mase", "bias"]].mean().sort_values("wape")
print(ranking.round(2))
best = folds.attrs["best"]
print("best method:", best)

# %% 3. Forecast the next week with the best method.
fc = wfm.forecast(history, method=best, horizon="7d", tz=TZ)
print(f"forecast: {fc['volume'].sum():.0f} calls over {len(fc)} half-hours "
      f"({fc['interval_start_utc'].iloc[0]} on)")

# %% 4. A scenario for that week: Erlang C at 80/20 with 30 % shrinkage, 8-hour and
# 4-hour shifts starting on any half-hour (the bank answers around the clock).
every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
scenario = {
    "name": "Anonymous bank, first week of March 1999",
    "horizon": {"start": fc["interval_start_utc"].iloc[0].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "interval_minutes": 30, "days": 7},
    "sites": [{"name": "tel_aviv", "zone": TZ}],
    "queues": [{
        "name": "calls",
        "volume": [round(v, 3) for v in fc["volume"]],
        "aht_seconds": [round(a, 1) for a in fc["aht_seconds"]],
        "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}},
        "shrinkage": 0.3,
    }],
    "templates": [
        {"name": "full", "site": "tel_aviv", "queue": "calls", "paid_minutes": 480,
         "start_windows": [{"days": every_day, "from": "00:00", "to": "23:30"}],
         "breaks": [{"name": "lunch", "minutes": 30, "paid": False,
                     "window": {"from_minutes": 180, "to_minutes": 300}}]},
        {"name": "part", "site": "tel_aviv", "queue": "calls", "paid_minutes": 240,
         "cost_per_paid_hour": 1.1,
         "start_windows": [{"days": every_day, "from": "00:00", "to": "23:30"}]},
    ],
    "solve": {"time_limit_seconds": 10},
}

# %% 5. Plan: requirements → shifts (LP) → roster.
result = wfm.plan(scenario)
s = result.summary
print(f"plan: {s['status']}, {s['paid_hours']:.0f} paid hours, "
      f"gap {100 * (s['gap'] or 0):.2f} %, {len(result.roster)} shifts")
print(result.roster.head())

# %% 6. Coverage as a DataFrame, per local day.
coverage = result.coverage
coverage["day"] = coverage["interval_start_utc"].dt.tz_convert(TZ).dt.date
daily = coverage.groupby("day").agg(volume=("volume", "sum"),
                                    required=("required", "sum"),
                                    scheduled=("scheduled", "sum"),
                                    service_level=("service_level", "mean"))
print(daily.round(3))
assert (coverage["scheduled"] >= coverage["required"]).all()
