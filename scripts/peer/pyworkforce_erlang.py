"""Side-by-side peer measurement: pyworkforce's Erlang C staffing at 1000 Erlangs, 80/20.

Usage (from the repository root):
    python3 -m venv .peer-venv && .peer-venv/bin/pip install pyworkforce==0.5.1
    .peer-venv/bin/python scripts/peer/pyworkforce_erlang.py

The same question as `cargo bench --bench queueing -- erlang_c_staffing_1000`:
3000 contacts in 15 minutes, AHT 300 s (1000 Erlangs), 80 % answered within 20 s.
Prints the peer's answer and the median wall time of 51 runs.
"""
import json
import statistics
import time

from pyworkforce.queuing import ErlangC


def run():
    e = ErlangC(transactions=3000, aht=5, asa=20 / 60, interval=15, shrinkage=0.0)
    return e.required_positions(service_level=0.8)


def main():
    answer = run()
    times = []
    for _ in range(51):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    print(json.dumps({"peer": "pyworkforce 0.5.1 ErlangC.required_positions",
                      "positions": answer["positions"],
                      "service_level": answer["service_level"],
                      "wall_seconds_median": statistics.median(times)}))


if __name__ == "__main__":
    main()
