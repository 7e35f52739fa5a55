"""Writes `month_five_sites.json`: a 28-day plan for five sites in five time zones.

The scale benchmark of the planner: New York, London and Sydney (English voice),
Santiago and New York (Spanish voice), Manila and London (chat, two sessions per agent)
and Manila and Sydney (billing calls, Erlang A with 4-minute patience). The horizon, 2027-03-08 to
2027-04-05 on a 15-minute grid, holds four daylight-saving changes in both hemispheres:
New York springs forward on 14 March, London on 28 March, Santiago and Sydney fall back on
3-4 April. Full-time shifts have a paid 15-minute break and an unpaid 30-minute lunch whose
placements the planner chooses; part-time shifts have one paid break.

The volumes are synthetic and deterministic (smooth intraday curves per site, a weekly
shape, a small ripple). Run from this folder: `python3 generate_month.py`.
"""
import json
import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

START = datetime(2027, 3, 8, tzinfo=timezone.utc)  # a Monday
DAYS = 28
STEP = 15
WEEKDAY = [1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.4]
ALL = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

SITES = [
    ("new_york", "America/New_York"),
    ("london", "Europe/London"),
    ("sydney", "Australia/Sydney"),
    ("santiago", "America/Santiago"),
    ("manila", "Asia/Manila"),
]

# queue -> (channel, aht seconds, [(zone of its customers, local open, close, contacts per hour at peak)])
QUEUES = {
    "voice_en": ({"kind": "voice"}, 300, [("America/New_York", 8, 20, 260), ("Europe/London", 8, 20, 220),
                                          ("Australia/Sydney", 8, 18, 120)]),
    "voice_es": ({"kind": "voice"}, 330, [("America/Santiago", 8, 20, 140), ("America/New_York", 9, 18, 60)]),
    "chat": ({"kind": "chat", "concurrency": 2}, 540, [("Europe/London", 7, 22, 120), ("Asia/Manila", 8, 20, 90)]),
    "billing": ({"kind": "voice"}, 420, [("Asia/Manila", 8, 20, 90), ("Australia/Sydney", 8, 18, 60)]),
}

# site -> [(queue, local start window from, to)]
SERVES = {
    "new_york": [("voice_en", "07:00", "12:00"), ("voice_es", "08:00", "10:00")],
    "london": [("voice_en", "07:00", "12:00"), ("chat", "06:30", "13:30")],
    "sydney": [("voice_en", "07:00", "10:00"), ("billing", "07:00", "10:00")],
    "santiago": [("voice_es", "07:00", "12:00")],
    "manila": [("chat", "07:00", "12:00"), ("billing", "07:00", "12:00")],
}

BREAK = {"name": "break", "minutes": 15, "paid": True, "window": {"from_minutes": 90, "to_minutes": 120}}
LUNCH = {"name": "lunch", "minutes": 30, "paid": False, "window": {"from_minutes": 210, "to_minutes": 270}}
PT_BREAK = {"name": "break", "minutes": 15, "paid": True, "window": {"from_minutes": 105, "to_minutes": 135}}


def bump(x, centre, width):
    return math.exp(-((x - centre) / width) ** 2)


def per_hour(hour, open_h, close_h, peak):
    if hour < open_h or hour >= close_h:
        return 0.0
    if close_h - open_h >= 24:
        return peak * (0.6 + 0.4 * bump(hour, 11.0, 4.0))
    return peak * (0.25 + 0.75 * bump(hour, 10.5, 2.2) + 0.55 * bump(hour, 15.0, 2.5))


def volumes(sources, phase):
    out = []
    for i in range(DAYS * 1440 // STEP):
        t = START + timedelta(minutes=STEP * i)
        v = 0.0
        for zone, open_h, close_h, peak in sources:
            loc = t.astimezone(ZoneInfo(zone))
            h = loc.hour + loc.minute / 60 + STEP / 120
            v += per_hour(h, open_h, close_h, peak) * WEEKDAY[loc.weekday()]
        v *= (1 + 0.05 * math.sin(i * 1.3 + phase)) * STEP / 60
        out.append(round(v, 1))
    return out


def scenario():
    queues = []
    for k, (name, (channel, aht, sources)) in enumerate(QUEUES.items()):
        q = {"name": name, "channel": channel, "volume": volumes(sources, k), "aht_seconds": aht,
             "shrinkage": 0.3}
        if name == "billing":
            q["patience_seconds"] = 240
            q["targets"] = {"service_level": {"fraction": 0.8, "within_seconds": 30}, "max_abandon": 0.05}
        elif channel["kind"] == "voice":
            q["targets"] = {"service_level": {"fraction": 0.8, "within_seconds": 20}, "max_occupancy": 0.9}
        elif channel["kind"] == "chat":
            q["targets"] = {"service_level": {"fraction": 0.8, "within_seconds": 60}}
        queues.append(q)
    templates = []
    for site, serves in SERVES.items():
        for queue, frm, to in serves:
            templates.append({"name": f"{site}_{queue}_ft", "site": site, "queue": queue, "paid_minutes": 480,
                              "start_windows": [{"days": ALL, "from": frm, "to": to}],
                              "start_step_minutes": 15, "breaks": [BREAK, LUNCH]})
            templates.append({"name": f"{site}_{queue}_pt", "site": site, "queue": queue, "paid_minutes": 240,
                              "start_windows": [{"days": ALL, "from": frm, "to": "16:00"}],
                              "start_step_minutes": 30, "breaks": [PT_BREAK]})
    return {
        "name": "A month at five sites",
        "description": "28 days on a 15-minute grid: five sites in five time zones (four DST changes in both hemispheres), "
                       "three voice queues (one with abandonment) and chat; full-time shifts with a break and a lunch, part-time shifts with a break.",
        "horizon": {"start": START.strftime("%Y-%m-%dT%H:%M:%SZ"), "interval_minutes": STEP, "days": DAYS},
        "sites": [{"name": n, "zone": z} for n, z in SITES],
        "queues": queues,
        "templates": templates,
        "solve": {"time_limit_seconds": 60, "gap": 0.01},
    }


with open("month_five_sites.json", "w") as f:
    json.dump({"$schema": "../../docs/scenario.schema.json", **scenario()}, f, indent=1)
