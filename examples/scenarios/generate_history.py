"""Writes the synthetic contact history and bank-holiday calendar of `bank_holiday.json`.

A London voice queue, open 08:00-20:00 local time every day, on a 30-minute grid, from
Monday 30 March 2026 to Sunday 2 May 2027 (399 days), so that the Early May bank holiday
of 2026 (Monday 4 May) is in the history when the plan forecasts the week of the Early May
bank holiday of 2027 (Monday 3 May). The volumes are synthetic: a morning and an afternoon
peak, a weekly shape (busy Monday, quiet Sunday), a mild yearly swing (busier in winter),
a slow growth, and noise of the size real call counts have (normal, with the standard
deviation of a Poisson count, from a fixed seed, so the file is reproducible). On the bank holidays of England and Wales the
centre opens 10:00-16:00 and takes about a third of a normal day's calls. Handle time
drifts between 270 s and 300 s over the day. Timestamps carry their UTC offset, so the
file reads the same in any zone. Run from this folder: `python3 generate_history.py`.
"""
import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
FIRST = date(2026, 3, 30)
LAST = date(2027, 5, 2)
WEEKDAY = [1.18, 1.05, 1.0, 0.98, 0.95, 0.62, 0.45]
# England and Wales bank holidays inside the history (gov.uk/bank-holidays), and the
# Early May bank holiday of the planned week.
HOLIDAYS = [
    (date(2026, 4, 3), "good_friday"),
    (date(2026, 4, 6), "easter_monday"),
    (date(2026, 5, 4), "early_may"),
    (date(2026, 5, 25), "spring"),
    (date(2026, 8, 31), "summer"),
    (date(2026, 12, 25), "christmas"),
    (date(2026, 12, 28), "boxing_day"),
    (date(2027, 1, 1), "new_year"),
    (date(2027, 3, 26), "good_friday"),
    (date(2027, 3, 29), "easter_monday"),
    (date(2027, 5, 3), "early_may"),
]
HOLIDAY_DATES = {d for d, _ in HOLIDAYS}


def bump(x, centre, width):
    return math.exp(-((x - centre) / width) ** 2)


def per_hour(d, hour):
    """Expected calls per hour at local hour `hour` (float) on date `d`."""
    holiday = d in HOLIDAY_DATES
    open_h, close_h = (10, 16) if holiday else (8, 20)
    if hour < open_h or hour >= close_h:
        return 0.0
    v = 35 + 150 * bump(hour, 10.5, 2.0) + 110 * bump(hour, 15.0, 2.4)
    v *= WEEKDAY[d.weekday()]
    days = (d - FIRST).days
    v *= 1 + 0.08 * math.cos(2 * math.pi * (d.timetuple().tm_yday - 15) / 365)
    v *= 1 + 0.04 * days / 365
    if holiday:
        v *= 0.34
    return v


def main():
    with open("data/bank_holiday_history.csv", "w") as f:
        f.write("interval_start,volume,aht_seconds\n")
        d = FIRST
        k = 0
        rng = random.Random(2027)
        while d <= LAST:
            for slot in range(48):
                local = datetime(d.year, d.month, d.day, slot // 2, 30 * (slot % 2), tzinfo=LONDON)
                hour = slot / 2 + 0.25
                v = per_hour(d, hour) / 2
                if v <= 0:
                    continue
                k += 1
                v = max(0.0, v + rng.gauss(0.0, math.sqrt(v)))
                aht = 270 + 30 * bump(hour, 17.0, 3.0) + 4 * math.sin(k * 1.3)
                f.write(f"{local.isoformat()},{v:.1f},{aht:.1f}\n")
            d += timedelta(days=1)
    with open("data/uk_bank_holidays.csv", "w") as f:
        f.write("date,name,multiplier\n")
        for d, name in HOLIDAYS:
            f.write(f"{d.isoformat()},{name},\n")


main()
