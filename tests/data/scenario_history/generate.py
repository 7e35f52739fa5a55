"""Writes the synthetic history the scenario-history tests read.

Five weeks of hourly UTC history, 2027-02-01 (Monday) to 2027-03-07 (Sunday), open
08:00-18:00 every day: a smooth intraday curve, a weekly shape and a small deterministic
ripple, handle time 240 s. Monday 2027-02-15 is a holiday ("holiday") with 30 % of a
normal Monday's volume. Run from this folder: `python3 generate.py`.
"""
import math
from datetime import datetime, timedelta, timezone

START = datetime(2027, 2, 1, tzinfo=timezone.utc)
WEEKDAY = [1.2, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45]
HOLIDAY = datetime(2027, 2, 15).date()

with open("history_5w.csv", "w") as f:
    f.write("interval_start,volume,aht_seconds\n")
    for d in range(35):
        day = START + timedelta(days=d)
        for h in range(8, 18):
            t = day + timedelta(hours=h)
            v = (30 + 40 * math.exp(-((h + 0.5 - 11) / 2.5) ** 2)) * WEEKDAY[day.weekday()]
            v *= 1 + 0.04 * math.sin(d * 24 + h)
            if day.date() == HOLIDAY:
                v *= 0.3
            f.write(f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},{v:.1f},240\n")
