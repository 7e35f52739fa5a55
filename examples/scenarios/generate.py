"""Writes the bundled example scenarios and their forecast CSVs.

The contact volumes are synthetic: smooth intraday curves (a morning and an afternoon peak),
a weekly shape (busy Monday, quiet weekend) and a little deterministic ripple, so the files
are reproducible. Run from this folder: `python3 generate.py`.
"""
import json
import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

START = datetime(2027, 3, 8, tzinfo=timezone.utc)  # Monday; US DST starts Sunday 2027-03-14
DAYS = 7
WEEKDAY = [1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.4]


def bump(x, centre, width):
    return math.exp(-((x - centre) / width) ** 2)


def local_curve(hour, open_h, close_h):
    """Contacts per hour at a local hour (float) for a site open open_h..close_h."""
    if hour < open_h or hour >= close_h:
        return 0.0
    return 40 + 160 * bump(hour, 10.5, 2.2) + 120 * bump(hour, 15.0, 2.5)


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("interval_start_utc,volume,aht_seconds\n")
        for t, v, a in rows:
            f.write(f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},{v:.1f},{a:.0f}\n")


def series(step_min, zone, open_h, close_h, scale, aht, ripple=0.06, start=START):
    tz = ZoneInfo(zone)
    rows = []
    n = DAYS * 1440 // step_min
    for i in range(n):
        t = start + timedelta(minutes=step_min * i)
        loc = t.astimezone(tz)
        h = loc.hour + loc.minute / 60 + step_min / 120
        per_hour = local_curve(h, open_h, close_h) * WEEKDAY[loc.weekday()]
        per_hour *= 1 + ripple * math.sin(i * 1.7)
        v = per_hour * step_min / 60 * scale
        rows.append((t, round(v, 1) if v > 0 else 0.0, aht if v > 0 else 0))
    return rows


def window(days, frm, to):
    return {"days": days, "from": frm, "to": to}


ALL = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LUNCH = {"name": "lunch", "minutes": 30, "paid": False, "window": {"from_minutes": 180, "to_minutes": 300}}
BREAK = {"name": "break", "minutes": 15, "paid": True, "window": {"from_minutes": 90, "to_minutes": 120}}
LUNCH_15 = {"name": "lunch", "minutes": 30, "paid": False, "window": {"from_minutes": 210, "to_minutes": 270}}


def single_site():
    write_csv("data/single_site_voice.csv", series(30, "Europe/London", 8, 20, 1.0, 300))
    return {
        "name": "Single-site week (London, voice)",
        "description": "One voice queue open 08:00-20:00 London time, a week on a 30-minute grid; full-time shifts with a lunch, and part-time shifts.",
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 30, "days": DAYS},
        "sites": [{"name": "london", "zone": "Europe/London"}],
        "queues": [{
            "name": "voice",
            "forecast_csv": "data/single_site_voice.csv",
            "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}, "max_occupancy": 0.9},
            "shrinkage": 0.3,
        }],
        "templates": [
            {"name": "full_time", "site": "london", "queue": "voice", "paid_minutes": 480,
             "start_windows": [window(ALL, "07:30", "12:00")], "breaks": [LUNCH]},
            {"name": "part_time", "site": "london", "queue": "voice", "paid_minutes": 240,
             "start_windows": [window(ALL, "08:00", "16:00")]},
        ],
        "currency": "GBP",
        "solve": {"time_limit_seconds": 30, "gap": 0.005},
    }


def follow_the_sun():
    # One global queue, demand given in UTC: a 24-hour curve in UTC.
    rows = []
    for i in range(DAYS * 48):
        t = START + timedelta(minutes=30 * i)
        h = t.hour + t.minute / 60 + 0.25
        per_hour = 60 + 90 * bump(h, 3.0, 3.0) + 130 * bump(h, 10.0, 3.0) + 150 * bump(h, 16.0, 3.0)
        per_hour *= [1.1, 1.05, 1.0, 1.0, 1.0, 0.7, 0.6][t.weekday()]
        rows.append((t, round(per_hour / 2, 1), 360))
    write_csv("data/follow_the_sun.csv", rows)
    day = {"name": "lunch", "minutes": 30, "paid": False, "window": {"from_minutes": 180, "to_minutes": 300}}
    tpl = lambda site: {
        "name": f"{site}_day", "site": site, "queue": "global", "paid_minutes": 480,
        "start_windows": [window(ALL, "06:00", "14:00")], "breaks": [day]}
    return {
        "name": "Follow the sun across the US DST change",
        "description": "New York, London and Manila serve one global queue whose demand is given in UTC, the week of 2027-03-08 (New York moves to daylight time on Sunday 2027-03-14). Shifts start 06:00-14:00 local at every site.",
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 30, "days": DAYS},
        "sites": [
            {"name": "new_york", "zone": "America/New_York"},
            {"name": "london", "zone": "Europe/London"},
            {"name": "manila", "zone": "Asia/Manila"},
        ],
        "queues": [{
            "name": "global",
            "forecast_csv": "data/follow_the_sun.csv",
            "targets": {"service_level": {"fraction": 0.8, "within_seconds": 30}},
            "shrinkage": 0.25,
        }],
        "templates": [tpl("new_york"), tpl("london"), tpl("manila")],
        "currency": "USD",
        "solve": {"time_limit_seconds": 10, "gap": 0.005},
    }


def chat_voice():
    chicago_midnight = datetime(2027, 3, 8, 6, tzinfo=timezone.utc)  # 00:00 CST
    write_csv("data/chat_voice_voice.csv", series(15, "America/Chicago", 7, 21, 0.8, 280, start=chicago_midnight))
    write_csv("data/chat_voice_chat.csv", series(15, "America/Chicago", 8, 22, 0.9, 540, ripple=0.1, start=chicago_midnight))
    return {
        "name": "Chat and voice (Chicago)",
        "description": "A voice queue and a chat queue (two sessions per agent) at one site, each served by its own team, on a 15-minute grid; Erlang A for voice with 3-minute mean patience; 8-hour shifts with a paid 15-minute break and an unpaid lunch, and 4-hour chat shifts.",
        "horizon": {"start": "2027-03-08T06:00:00Z", "interval_minutes": 15, "days": DAYS},
        "sites": [{"name": "chicago", "zone": "America/Chicago"}],
        "queues": [
            {"name": "voice", "channel": {"kind": "voice"},
             "forecast_csv": "data/chat_voice_voice.csv",
             "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}, "max_abandon": 0.05},
             "patience_seconds": 180, "shrinkage": 0.3},
            {"name": "chat", "channel": {"kind": "chat", "concurrency": 2},
             "forecast_csv": "data/chat_voice_chat.csv",
             "targets": {"service_level": {"fraction": 0.8, "within_seconds": 60}},
             "shrinkage": 0.3},
        ],
        "templates": [
            {"name": "voice_8h", "site": "chicago", "queue": "voice", "paid_minutes": 480,
             "start_windows": [window(ALL, "06:30", "13:00")], "start_step_minutes": 30,
             "breaks": [BREAK, LUNCH_15]},
            {"name": "chat_8h", "site": "chicago", "queue": "chat", "paid_minutes": 480,
             "start_windows": [window(ALL, "07:30", "14:00")], "start_step_minutes": 30,
             "breaks": [BREAK, LUNCH_15]},
            {"name": "chat_4h", "site": "chicago", "queue": "chat", "paid_minutes": 240,
             "start_windows": [window(ALL, "08:00", "18:00")], "start_step_minutes": 30},
        ],
        "currency": "USD",
        "solve": {"time_limit_seconds": 10, "gap": 0.005},
    }


def named_agents():
    write_csv("data/named_agents_voice.csv", series(30, "Europe/London", 8, 20, 0.3, 300))
    agents = []
    # 16 full-time agents (37.5-40 h), 8 part-time (16-20 h); a few fixed days off and
    # varied rules, deterministic.
    for i in range(16):
        contract = {"min_hours": 24, "max_hours": 40, "max_consecutive_days": 5,
                    "min_consecutive_days_off": 2, "max_weekends": 1}
        if i % 4 == 1:
            contract["max_hours"] = 37.5
        if i % 5 == 2:
            contract["min_rest_hours"] = 12
        a = {"name": f"ft_{i + 1:02d}", "site": "london", "contract": contract}
        if i % 6 == 0:
            a["days_off"] = [f"2027-03-{8 + (i // 6) * 2:02d}"]
        if i % 7 == 3:
            a["off_requests"] = [{"date": f"2027-03-{9 + i // 7:02d}", "weight": 10},
                                 {"date": "2027-03-12", "template": "full_time", "weight": 3}]
        if i % 8 == 5:
            a["preferred_start"] = {"from": "07:00", "to": "08:00", "weight": 5}
        agents.append(a)
    for i in range(8):
        contract = {"max_hours": 20 if i % 2 == 0 else 16, "max_consecutive_days": 4}
        a = {"name": f"pt_{i + 1:02d}", "site": "london", "contract": contract}
        if i % 3 == 0:
            a["days_off"] = [f"2027-03-{13 + i % 2:02d}"]
        if i == 1:
            # A shift the manager already published.
            a["fixed_shifts"] = [{"date": "2027-03-10", "template": "part_time", "start": "16:00"}]
        agents.append(a)
    return {
        "name": "Named agents (London, voice)",
        "description": "One voice queue open 08:00-20:00 London time, a week on a 30-minute grid, scheduled directly onto 24 named agents (full-time and part-time contracts, fixed days off, day-off and start-time wishes, one published shift).",
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 30, "days": DAYS},
        "sites": [{"name": "london", "zone": "Europe/London"}],
        "queues": [{
            "name": "voice",
            "forecast_csv": "data/named_agents_voice.csv",
            "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}},
            "shrinkage": 0.3,
        }],
        "templates": [
            {"name": "full_time", "site": "london", "queue": "voice", "paid_minutes": 480,
             "start_windows": [window(ALL, "07:00", "12:00")], "start_step_minutes": 60,
             "breaks": [LUNCH]},
            {"name": "part_time", "site": "london", "queue": "voice", "paid_minutes": 240,
             "start_windows": [window(ALL, "08:00", "16:00")], "start_step_minutes": 60},
        ],
        "currency": "GBP",
        # The scheduler stops on its work budgets (about 3 s of CPU); the time limit is a
        # safety net with room for a loaded machine.
        "solve": {"time_limit_seconds": 30, "gap": 0.005},
        "agents": agents,
        "agents_time_limit_seconds": 10,
    }


def omnichannel(split=False):
    """Voice, chat and email at London and New York, served by three skill groups: voice
    only; chat and email; all three. With split=True, the same demand planned as
    single-skill teams (one template per queue where the multi-skill scenario has one
    template serving several)."""
    london = series(30, "Europe/London", 8, 20, 0.5, 300)
    newyork = series(30, "America/New_York", 8, 20, 0.4, 300)
    # New York's Sunday evening falls before the horizon's first shifts: no calls then.
    newyork = [(t, v if t.astimezone(ZoneInfo("America/New_York")).day >= 8 else 0.0, a)
               for t, v, a in newyork]
    write_csv("data/omnichannel_voice.csv", [(t, round(a[1] + b[1], 1), 300 if a[1] + b[1] > 0 else 0)
                                             for t, a, b in zip([r[0] for r in london], london, newyork)])
    write_csv("data/omnichannel_chat.csv", series(30, "Europe/London", 8, 22, 0.35, 480, ripple=0.1))
    write_csv("data/omnichannel_email.csv", series(30, "America/New_York", 7, 19, 0.25, 420, ripple=0.1))
    groups = [
        ("voice", [("voice", 1)]),
        ("blend", [("chat", 1), ("email", 2)]),
        ("all", [("voice", 1), ("chat", 2), ("email", 3)]),
    ]
    templates = []
    for site, zone_from, zone_to in [("london", "05:00", "13:00"), ("newyork", "07:00", "18:00")]:
        for g, skills in groups:
            parts = [[s] for s in skills] if split else [skills]
            for p in parts:
                name = f"{site}_{g}" + (f"_{p[0][0]}" if split and len(skills) > 1 else "")
                t = {"name": name, "site": site, "paid_minutes": 480,
                     "start_windows": [window(ALL, zone_from, zone_to)], "start_step_minutes": 60,
                     "breaks": [LUNCH]}
                if len(p) == 1:
                    t["queue"] = p[0][0]
                else:
                    t["skills"] = [{"queue": q, "priority": k} for q, k in p]
                templates.append(t)
    return {
        "name": "Omnichannel (London and New York)" + (", single-skill teams" if split else ""),
        "description": ("The same demand as omnichannel.json planned as single-skill teams: every multi-skill template is split into one template per queue." if split else
                        "Voice (Erlang A, abandonment target) from London and New York callers, chat (two sessions per agent) and email (24-hour deadline), served by three skill groups at each site: voice only; chat and email; voice, chat and email. 30-minute grid, 8-hour shifts with an unpaid lunch."),
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 30, "days": DAYS},
        "sites": [{"name": "london", "zone": "Europe/London"}, {"name": "newyork", "zone": "America/New_York"}],
        "queues": [
            {"name": "voice", "channel": {"kind": "voice"}, "forecast_csv": "data/omnichannel_voice.csv",
             "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}, "max_abandon": 0.05},
             "patience_seconds": 180, "shrinkage": 0.3},
            {"name": "chat", "channel": {"kind": "chat", "concurrency": 2}, "forecast_csv": "data/omnichannel_chat.csv",
             "targets": {"service_level": {"fraction": 0.8, "within_seconds": 60}}, "shrinkage": 0.3},
            {"name": "email", "channel": {"kind": "backlog", "deadline_minutes": 1440},
             "forecast_csv": "data/omnichannel_email.csv", "shrinkage": 0.3},
        ],
        "templates": templates,
        "currency": "GBP",
        "solve": {"time_limit_seconds": 20, "gap": 0.01},
    }


for name, build in [("single_site_week", single_site), ("follow_the_sun", follow_the_sun),
                    ("chat_voice", chat_voice), ("named_agents", named_agents),
                    ("omnichannel", omnichannel),
                    ("omnichannel_split", lambda: omnichannel(split=True))]:
    with open(f"{name}.json", "w") as f:
        json.dump({"$schema": "../../docs/scenario.schema.json", **build()}, f, indent=2)
        f.write("\n")
