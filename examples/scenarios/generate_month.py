"""Writes `named_month.json` and its forecast CSVs: about 160 named agents at three sites in
three time zones (London, New York, Sydney) over four weeks, scheduled directly against the
requirements of three queues.

The four weeks from Monday 2027-03-08 hold New York's move to daylight time (Sunday
2027-03-14), London's (Sunday 2027-03-28) and Sydney's return to standard time (Sunday
2027-04-04), so both hemispheres' DST changes fall inside the horizon.

Queues (volumes are synthetic but shaped like a real operation: a morning and an afternoon
peak per site in its local time, a busy Monday and a quiet weekend, a little deterministic
ripple; no randomness, so the files are reproducible):
- `voice`: English voice, open 08:00-20:00 at London and at New York (local times);
- `chat`: two sessions per agent, open around the clock: London's day (07:00-23:00),
  New York's day (08:00-22:00) and a flat night line covered by London's night shift;
- `voice_apac`: Sydney's voice line, 08:00-20:00 Sydney time.

Agents (contracts in hours over the four weeks):
- full-time: 128-160 h, at most 5 days in a row, days off in pairs, every other weekend
  off (`rotating_weekends`), starts within ± 1 h in a week for half of them, balanced hours
  and weekends;
- part-time with a minimum: 64-96 h of 4-hour shifts;
- nights (London): 96-144 h of night shifts only (`templates`), at most 4 nights in a row;
- skills: voice and chat, or one of them; wishes (preferred start windows, day-off
  requests), holidays (`days_off`) and shifts already published (`fixed_shifts`).

Run from this folder: `python3 generate_month.py`. It also writes the test's smaller cut,
`../../tests/data/named_month_week/` (the first week, a fifth of the teams, volumes divided
by 25, contract hours pro rata, no holidays).
"""
import json
import math
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

START = datetime(2027, 3, 8, tzinfo=timezone.utc)  # Monday
DAYS = 28
FIRST, LAST = date(2027, 3, 8), date(2027, 4, 4)
# The smaller cut: teams divided by TEAM, volumes by VOLUME (more than TEAM: small
# queues need more agents per contact).
TEAM = 1
VOLUME = 1.0
# The month's work units (`solve.work`): the work of its best roster (reached in the guided
# descent's tenth round) with room under its 120 s limit, so that on an idle machine the run
# ends by its work (the same roster on every run) rather than by the clock. The week cut
# keeps the default (the limit times 1 000).
WORK = 110_000
STEP = 30
WEEKDAY = [1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45]
ALL = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ZONES = {"london": "Europe/London", "new_york": "America/New_York", "sydney": "Australia/Sydney"}


def bump(x, centre, width):
    return math.exp(-((x - centre) / width) ** 2)


def curve(hour, open_h, close_h):
    """Contacts per hour at a local hour for a line open open_h..close_h (a flat night
    line when open_h > close_h)."""
    if open_h > close_h:
        return 40.0 if hour >= open_h or hour < close_h else 0.0
    if hour < open_h or hour >= close_h:
        return 0.0
    return 30 + 150 * bump(hour, 10.5, 2.2) + 110 * bump(hour, 15.0, 2.5)


def series(lines, aht):
    """Rows (utc, volume, aht) summing each (zone, open, close, scale) line's curve."""
    rows = []
    for i in range(DAYS * 1440 // STEP):
        t = START + timedelta(minutes=STEP * i)
        total = 0.0
        for zone, open_h, close_h, scale in lines:
            loc = t.astimezone(ZoneInfo(zone))
            h = loc.hour + loc.minute / 60 + STEP / 120
            if open_h > close_h:
                # A night belongs to the date it begins; the last one would end after
                # the horizon.
                night = loc.date() - timedelta(days=1 if h < close_h else 0)
                if not FIRST <= night < LAST:
                    continue
            elif not FIRST <= loc.date() <= LAST:
                continue  # the site's local dates outside the four weeks
            total += curve(h, open_h, close_h) * WEEKDAY[loc.weekday()] * scale / VOLUME
        total *= 1 + 0.05 * math.sin(i * 1.7)
        v = total * STEP / 60
        rows.append((t, round(v, 1) if v > 0 else 0.0, aht if v > 0 else 0))
    return rows


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("interval_start_utc,volume,aht_seconds\n")
        for t, v, a in rows:
            f.write(f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},{v:.1f},{a:.0f}\n")


def window(frm, to):
    return [{"days": ALL, "from": frm, "to": to}]


LUNCH = {"name": "lunch", "minutes": 30, "paid": False, "window": {"from_minutes": 210, "to_minutes": 270}}
NIGHT_BREAK = {"name": "break", "minutes": 30, "paid": False, "window": {"from_minutes": 210, "to_minutes": 270}}


def templates():
    out = []
    rate = {"london": 20.0, "new_york": 24.0, "sydney": 22.0}
    for site, queues in [("london", ["voice", "chat"]), ("new_york", ["voice", "chat"]),
                         ("sydney", ["voice_apac"])]:
        for q in queues:
            out.append({"name": f"{site}_{q}_8h", "site": site, "queue": q, "paid_minutes": 480,
                        "start_windows": window("07:00", "12:00"), "start_step_minutes": 60,
                        "breaks": [LUNCH], "cost_per_paid_hour": rate[site]})
        out.append({"name": f"{site}_{queues[0]}_4h", "site": site, "queue": queues[0],
                    "paid_minutes": 240, "start_windows": window("08:00", "16:00"),
                    "start_step_minutes": 60, "cost_per_paid_hour": rate[site]})
    out.append({"name": "london_chat_night", "site": "london", "queue": "chat", "paid_minutes": 480,
                "start_windows": window("21:00", "22:00"), "start_step_minutes": 60,
                "breaks": [NIGHT_BREAK], "cross_midnight": True, "cost_per_paid_hour": 26.0})
    return out


def day(k):
    return (date(2027, 3, 8) + timedelta(days=k)).isoformat()


def agents():
    out = []
    weeks = DAYS / 7

    def hours(h):  # contract hours over four weeks, pro rata
        return h * weeks / 4

    # (site, full-time, part-time, nights, the site's voice queue). Each site's agents can
    # give about 15 % more shifts a day at their maximum hours than the anonymous plan of
    # the same demand works there (London: 1 198 day shifts and 176 nights over the four
    # weeks; 50 full-time at 20 shifts, less 6 holiday weeks, and 18 part-time at 24 give
    # about 1 400, 12 nights at 18 give 216), so the hours suffice under the weekend,
    # run-length and rest rules.
    for site, n_ft, n_pt, n_night, voice in [("london", 50, 18, 12, "voice"),
                                             ("new_york", 30, 10, 0, "voice"),
                                             ("sydney", 30, 12, 0, "voice_apac")]:
        n_ft, n_pt, n_night = n_ft // TEAM, n_pt // TEAM, n_night // TEAM
        two = site != "sydney"  # Sydney serves only its own voice line
        for i in range(n_ft):
            c = {"min_hours": hours(128), "max_hours": hours(160), "max_consecutive_days": 5,
                 "min_consecutive_days_off": 2, "rotating_weekends": {"work": 1, "of": 2},
                 "balance_hours_weight": 0.01, "balance_weekends_weight": 5}
            if i % 2 == 0:
                c["start_tolerance_minutes"] = 60
            a = {"name": f"{site}_ft_{i + 1:02d}", "site": site, "contract": c}
            if two and i % 3 == 1:
                a["skills"] = [voice]
            elif two and i % 3 == 2:
                a["skills"] = ["chat"]
            if i % 9 == 4 and DAYS == 28:  # a week's holiday, minimum hours cut to match
                c["min_hours"] = 96
                a["days_off"] = [day(7 * (1 + i % 3) + k) for k in range(5)]
            if i % 7 == 3:
                a["off_requests"] = [{"date": day((2 + i % 20) % DAYS), "weight": 20},
                                     {"date": day((11 + i % 15) % DAYS), "weight": 10}]
            if i % 8 == 5:
                a["preferred_start"] = {"from": "07:00", "to": "08:00", "weight": 5}
            if i % 10 == 0:
                tpl = f"{site}_{voice}_8h" if a.get("skills") != ["chat"] else f"{site}_chat_8h"
                a["fixed_shifts"] = [{"date": day(1), "template": tpl, "start": "09:00"},
                                     {"date": day(2), "template": tpl, "start": "09:00"}]
            out.append(a)
        for i in range(n_pt):
            c = {"min_hours": hours(64), "max_hours": hours(96), "max_consecutive_days": 5,
                 "templates": [f"{site}_{voice}_4h"], "balance_hours_weight": 0.01}
            if i % 3 == 0:
                c["max_weekends"] = 2
            a = {"name": f"{site}_pt_{i + 1:02d}", "site": site, "contract": c}
            if i % 4 == 1:
                a["preferred_start"] = {"from": "12:00", "to": "16:00", "weight": 3}
            if i % 5 == 2:
                a["fixed_shifts"] = [{"date": day(3), "template": f"{site}_{voice}_4h",
                                      "start": "12:00"}]
            out.append(a)
        for i in range(n_night):
            c = {"min_hours": hours(96), "max_hours": hours(144), "max_consecutive_days": 4,
                 "min_consecutive_days_off": 2, "templates": ["london_chat_night"],
                 "rotating_weekends": {"work": 2, "of": 3}}
            out.append({"name": f"{site}_night_{i + 1:02d}", "site": site, "contract": c})
    return out


def write(path, data, name):
    """Writes the scenario `path` with its CSVs in folder `data` (relative to it)."""
    folder = os.path.dirname(path)
    os.makedirs(os.path.join(folder, data), exist_ok=True)
    csv = lambda q: os.path.join(folder, data, f"{name}_{q}.csv")
    write_csv(csv("voice"),
              series([(ZONES["london"], 8, 20, 0.35), (ZONES["new_york"], 8, 20, 0.75)], 300))
    write_csv(csv("chat"),
              series([(ZONES["london"], 7, 23, 0.3), (ZONES["new_york"], 8, 22, 0.55),
                      (ZONES["london"], 23, 6, 0.3)], 540))
    write_csv(csv("voice_apac"),
              series([(ZONES["sydney"], 8, 20, 0.65)], 300))
    sl = {"service_level": {"fraction": 0.8, "within_seconds": 30}}
    scenario = {
        "$schema": "../../docs/scenario.schema.json",
        "name": "Named agents, a month at three sites" if DAYS == 28 else
                "Named agents at three sites, a week (the test's cut of named_month.json)",
        "description": "About 160 named agents at London, New York and Sydney over four weeks "
                       "(both hemispheres' DST changes inside), three queues (voice, chat, "
                       "Sydney voice), full-time, part-time and night contracts with rotating "
                       "weekends, start-time consistency and balanced hours, holidays, wishes "
                       "and published shifts. Written by generate_month.py.",
        "horizon": {"start": START.strftime("%Y-%m-%dT%H:%M:%SZ"), "interval_minutes": STEP,
                    "days": DAYS},
        "sites": [{"name": s, "zone": z} for s, z in ZONES.items()],
        "queues": [
            {"name": "voice", "forecast_csv": f"{data}/{name}_voice.csv", "targets": sl,
             "shrinkage": 0.3},
            {"name": "chat", "channel": {"kind": "chat", "concurrency": 2},
             "forecast_csv": f"{data}/{name}_chat.csv",
             "targets": {"service_level": {"fraction": 0.8, "within_seconds": 60}},
             "shrinkage": 0.3},
            {"name": "voice_apac", "forecast_csv": f"{data}/{name}_voice_apac.csv",
             "targets": sl, "shrinkage": 0.3},
        ],
        "templates": templates(),
        "currency": "USD",
        "solve": {"time_limit_seconds": 120, "gap": 0.01, **({"work": WORK} if WORK else {})},
        "agents": agents(),
    }
    with open(path, "w") as f:
        json.dump(scenario, f, indent=2)
        f.write("\n")


def main():
    global DAYS, LAST, TEAM, VOLUME, WORK
    write("named_month.json", "data", "named_month")
    DAYS, TEAM, VOLUME, WORK = 7, 5, 25.0, None
    LAST = FIRST + timedelta(days=DAYS - 1)
    write("../../tests/data/named_month_week/named_month_week.json", ".", "named_month_week")


if __name__ == "__main__":
    main()
