"""Side-by-side peer measurement: pyworkforce's MinRequiredResources on the bundled week.

Usage (from the repository root):
    python3 -m venv .peer-venv && .peer-venv/bin/pip install pyworkforce==0.5.1
    .peer-venv/bin/python scripts/peer/pyworkforce_week.py tests/data/week_quarter_hour/week_quarter_hour.json

Rules of the peer run (as recorded in the data file): shift lengths 4, 6 and 8 hours,
starting on any 15-minute boundary, no breaks, ending by midnight of the same day,
cost = paid hours. Prints the objective (paid hours) and the median wall time of 5 runs.
"""
import json
import statistics
import sys
import time

from pyworkforce.scheduling import MinRequiredResources


def build(data):
    per_day = 24 * 60 // data["interval_minutes"]
    days = data["days"]
    req = data["required"]
    required = [req[d * per_day:(d + 1) * per_day] for d in range(days)]
    shifts, cost = {}, {}
    for hours in (4, 6, 8):
        length = hours * 60 // data["interval_minutes"]
        for start in range(0, per_day - length + 1):
            name = f"{hours}h_{start:03d}"
            shifts[name] = [1 if start <= p < start + length else 0 for p in range(per_day)]
            cost[name] = hours
    return days, per_day, shifts, required, cost


def main():
    data = json.load(open(sys.argv[1]))
    days, per_day, shifts, required, cost = build(data)
    times, objective = [], None
    for _ in range(5):
        model = MinRequiredResources(
            num_days=days, periods=per_day, shifts_coverage=shifts,
            required_resources=required, max_period_concurrency=10_000,
            max_shift_concurrency=10_000, cost_dict=cost, max_search_time=240.0,
            num_search_workers=2)
        t = time.perf_counter()
        solution = model.solve()
        times.append(time.perf_counter() - t)
        objective = solution.get("cost")
        status = solution.get("status")
    print(json.dumps({"peer": "pyworkforce 0.5.1 MinRequiredResources", "status": status,
                      "objective_paid_hours": objective,
                      "wall_seconds_median": statistics.median(times),
                      "wall_seconds_all": times}))


if __name__ == "__main__":
    main()
