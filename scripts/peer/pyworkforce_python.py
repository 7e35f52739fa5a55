"""Side-by-side peer measurement from Python, ours (`import wfm`) against pyworkforce 0.5.1.

Usage: `bash scripts/peer/pyworkforce_python.sh` (installs both into .peer-venv).

1. Erlang C staffing for a year of 15-minute intervals (35 040; loads drawn uniformly from
   0.5 to 2000 Erlangs with a fixed seed; AHT 300 s; 80 % answered within 20 s; 30 %
   shrinkage). pyworkforce answers one interval per call (ErlangC.required_positions);
   wfm answers the year in one call, timed from Python (call overhead and the conversion
   of the arrays included). The answers must agree interval by interval.
2. The peer's shift week (tests/data/week_quarter_hour/): pyworkforce's
   MinRequiredResources on the required agents per interval against wfm.plan under the
   peer's shift rules (4, 6 and 8 hours, any 15-minute start, no crossing midnight, cost =
   paid hours), on the peer's own requirements (given as one interval's work per required
   agent) and, as a user would plan, from the same volume, handle time, target and
   shrinkage (wfm's requirements then differ in a few intervals: see the output).
Prints one JSON object per comparison.
"""
import json
import pathlib
import statistics
import sys
import time

import numpy as np
from pyworkforce.queuing import ErlangC
from pyworkforce.scheduling import MinRequiredResources

import wfm

ROOT = pathlib.Path(__file__).resolve().parents[2]


def year():
    rng = np.random.default_rng(2027)
    erlangs = rng.uniform(0.5, 2000.0, 35_040)
    volume = erlangs * 900.0 / 300.0
    ours_times = []
    for _ in range(7):
        t = time.perf_counter()
        ours = wfm.staff(volume, 300, "15m", service_level=0.8, within=20, shrinkage=0.3)
        ours_times.append(time.perf_counter() - t)
    t = time.perf_counter()
    peer = []
    for v in volume:
        e = ErlangC(transactions=float(v), aht=5, asa=20 / 60, interval=15, shrinkage=0.3)
        peer.append(e.required_positions(service_level=0.8))
    peer_seconds = time.perf_counter() - t
    raw = np.asarray([p["raw_positions"] for p in peer])
    positions = np.asarray([p["positions"] for p in peer])
    scheduled_differ = positions != ours["scheduled"]
    # pyworkforce takes ceil(agents / (1 - shrinkage)) in floating point: 21 / 0.7 is
    # 30.000000000000004, so it schedules 31; wfm takes a quotient within 1e-9 of an
    # integer as that integer.
    exact = ours["agents"] / 0.7
    whole = np.abs(exact - np.round(exact)) <= 1e-9 * np.maximum(exact, 1)
    ours_median = statistics.median(ours_times)
    return {
        "comparison": "Erlang C staffing, a year of 15-minute intervals (35 040), from Python",
        "wfm_seconds_median_of_7": round(ours_median, 5),
        "wfm_seconds_all": [round(x, 5) for x in ours_times],
        "pyworkforce_seconds": round(peer_seconds, 2),
        "speedup": round(peer_seconds / ours_median),
        "productive_agents_differ_in_intervals": int(np.sum(raw != ours["agents"])),
        "scheduled_agents_differ_in_intervals": int(np.sum(scheduled_differ)),
        "of_which_peer_one_more_where_agents_over_0_7_is_whole": int(
            np.sum(scheduled_differ & whole & (positions == ours["scheduled"] + 1))),
        "scheduled_agents_total": int(ours["scheduled"].sum()),
    }


def week():
    data = json.loads((ROOT / "tests/data/week_quarter_hour/week_quarter_hour.json").read_text())
    per_day = 24 * 60 // data["interval_minutes"]
    days, req = data["days"], data["required"]
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    scenario = {
        "name": "The peer's week of quarter-hours",
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 15, "days": days},
        "sites": [{"name": "site", "zone": "UTC"}],
        "queues": [{
            "name": "calls", "volume": data["volume"], "aht_seconds": data["aht_seconds"],
            "targets": {"service_level": data["service_level"]},
            "shrinkage": data["shrinkage"],
        }],
        "templates": [
            {"name": f"{h}h", "site": "site", "queue": "calls", "paid_minutes": 60 * h,
             "start_windows": [{"days": every_day, "from": "00:00", "to": "23:45"}],
             "cross_midnight": False}
            for h in (4, 6, 8)
        ],
    }
    ours_times, result = [], None
    for _ in range(5):
        t = time.perf_counter()
        result = wfm.plan(scenario)
        ours_times.append(time.perf_counter() - t)
    differ = int(sum(a != b for a, b in zip(result.requirements["required"], req)))
    # The peer's own requirement per interval, given to wfm as work that must be done
    # within the interval (a backlog queue: `required` items of one interval's work each,
    # no shrinkage), so that both solve the same covering problem.
    given = json.loads(json.dumps(scenario))
    given["queues"] = [{"name": "calls", "volume": req, "aht_seconds": 60 * data["interval_minutes"],
                        "channel": {"kind": "backlog", "deadline_minutes": data["interval_minutes"]},
                        "shrinkage": 0.0}]
    given_times, same = [], None
    for _ in range(5):
        t = time.perf_counter()
        same = wfm.plan(given)
        given_times.append(time.perf_counter() - t)
    assert list(same.requirements["required"]) == req
    shifts, cost = {}, {}
    for hours in (4, 6, 8):
        length = hours * 60 // data["interval_minutes"]
        for start in range(0, per_day - length + 1):
            name = f"{hours}h_{start:03d}"
            shifts[name] = [1 if start <= p < start + length else 0 for p in range(per_day)]
            cost[name] = hours
    required = [req[d * per_day:(d + 1) * per_day] for d in range(days)]
    peer_times, peer = [], None
    for _ in range(3):
        model = MinRequiredResources(
            num_days=days, periods=per_day, shifts_coverage=shifts,
            required_resources=required, max_period_concurrency=10_000,
            max_shift_concurrency=10_000, cost_dict=cost, max_search_time=240.0,
            num_search_workers=2)
        t = time.perf_counter()
        peer = model.solve()
        peer_times.append(time.perf_counter() - t)
    ours_median, peer_median = statistics.median(ours_times), statistics.median(peer_times)
    given_median = statistics.median(given_times)
    return {
        "comparison": "the peer's shift week (15-minute grid, 4/6/8 h shifts), from Python",
        "wfm_on_the_peers_requirements_paid_hours": same.summary["paid_hours"],
        "wfm_on_the_peers_requirements_status": same.summary["status"],
        "wfm_on_the_peers_requirements_seconds_median_of_5": round(given_median, 4),
        "wfm_from_volume_paid_hours": result.summary["paid_hours"],
        "wfm_from_volume_status": result.summary["status"],
        "wfm_from_volume_seconds_median_of_5": round(ours_median, 4),
        "wfm_from_volume_requirements_differ_in_intervals": differ,
        "pyworkforce_paid_hours": peer.get("cost"),
        "pyworkforce_status": peer.get("status"),
        "pyworkforce_seconds_median_of_3": round(peer_median, 3),
        "speedup_same_requirements": round(peer_median / given_median, 1),
    }


def main():
    print(json.dumps({"wfm": wfm.__version__, "python": sys.version.split()[0]}))
    print(json.dumps(year()))
    print(json.dumps(week()))


if __name__ == "__main__":
    main()
