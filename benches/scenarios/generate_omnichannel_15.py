"""Writes `omnichannel_15min.json` and its forecasts under `data/`: the bundled omnichannel
week (`examples/scenarios/omnichannel.json`) on a 15-minute grid.

Each 30-minute forecast row of the bundled scenario becomes two 15-minute rows with half of
its volume and the same handling time, so the week's demand is unchanged; the scenario is
the bundled one with `interval_minutes` set to 15 and the forecasts pointed at the new
files. The speed benchmark of the omnichannel planner (`benches/omnichannel.rs`).
Run from this folder: `python3 generate_omnichannel_15.py`.
"""
import csv
import json
import os
from datetime import datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "examples", "scenarios")


def split(src, dst):
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    with open(dst, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["interval_start_utc", "volume", "aht_seconds"])
        for r in rows:
            start = datetime.strptime(r["interval_start_utc"], "%Y-%m-%dT%H:%M:%SZ")
            half = float(r["volume"]) / 2
            for k in range(2):
                t = start + timedelta(minutes=15 * k)
                w.writerow([t.strftime("%Y-%m-%dT%H:%M:%SZ"), repr(half), r["aht_seconds"]])


def main():
    with open(os.path.join(SOURCE, "omnichannel.json")) as f:
        s = json.load(f)
    s["name"] = s["name"] + " (15-minute grid)"
    s["horizon"]["interval_minutes"] = 15
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    for q in s["queues"]:
        name = os.path.basename(q["forecast_csv"]).replace(".csv", "_15min.csv")
        split(os.path.join(SOURCE, q["forecast_csv"]), os.path.join(HERE, "data", name))
        q["forecast_csv"] = "data/" + name
    with open(os.path.join(HERE, "omnichannel_15min.json"), "w") as f:
        json.dump(s, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
