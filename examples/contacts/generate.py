"""Writes the example contact exports of this folder (one per preset of `wfm contacts`)
and the scenarios that plan from their forecasts.

The contacts are synthetic and reproducible (a seeded generator): four weeks, Monday
1 February to Sunday 28 February 2027, with a morning and an afternoon peak, busy Mondays
and quiet weekends. The column names are modelled on the vendors' documented exports (see
README.md in this folder); the values are invented. Run from this folder:
`python3 generate.py`.
"""
import json
import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

START = datetime(2027, 2, 1)
DAYS = 28
WEEKDAY = [1.2, 1.05, 1.0, 1.0, 0.9, 0.35, 0.25]


def bump(x, centre, width):
    return math.exp(-((x - centre) / width) ** 2)


def arrivals(rng, per_day, open_h, close_h, days_open=7):
    """Naive local arrival times over the four weeks."""
    out = []
    for d in range(DAYS):
        day = START + timedelta(days=d)
        if day.weekday() >= days_open:
            continue
        n = int(round(per_day * WEEKDAY[day.weekday()] * rng.uniform(0.9, 1.1)))
        for _ in range(n):
            while True:
                h = rng.uniform(open_h, close_h)
                w = 0.3 + bump(h, 10.5, 2.0) + 0.8 * bump(h, 15.0, 2.2)
                if rng.random() < w / 1.4:
                    break
            out.append(day + timedelta(seconds=int(h * 3600)))
    out.sort()
    return out


def write(path, header, rows, delimiter=","):
    def cell(v):
        v = str(v)
        if any(c in v for c in (delimiter, '"', "\n")):
            return '"' + v.replace('"', '""') + '"'
        return v

    with open(path, "w", newline="") as f:
        f.write(delimiter.join(cell(h) for h in header) + "\r\n")
        for r in rows:
            f.write(delimiter.join(cell(v) for v in r) + "\r\n")


END = START + timedelta(days=DAYS)
SUBJECTS = [
    "Cannot log in",
    "Refund for order 1042",
    'Invoice shows "pending", please check',
    "Change of address, new flat",
    "App crashes on start",
    "Question about my plan",
    "Card declined\nsecond attempt also failed",
    "Delivery late",
]


def ticket(rng, created, reply_mean_min, solve_mean_h):
    reply = max(1, int(rng.expovariate(1 / reply_mean_min)))
    solved = created + timedelta(minutes=reply) + timedelta(hours=rng.expovariate(1 / solve_mean_h))
    if solved >= END:
        solved = None
    return reply, solved


def zendesk(rng):
    rows = []
    for k, t in enumerate(arrivals(rng, 40, 7, 21)):
        group = "Billing" if rng.random() < 0.3 else "Support"
        via = rng.choice(["Mail", "Web form", "Web form", "Chat"])
        reply, solved = ticket(rng, t, 90, 20)
        status = "Solved" if solved else rng.choice(["Open", "Pending"])
        rows.append([
            1000 + k, rng.choice(SUBJECTS), status, rng.choice(["Low", "Normal", "Normal", "High"]),
            via, group, rng.choice(["Ana Ruiz", "Tom Weber", "Li Na"]),
            t.strftime("%Y-%m-%d %H:%M:%S"),
            solved.strftime("%Y-%m-%d %H:%M:%S") if solved else "",
            reply, int((solved - t).total_seconds() // 60) if solved else "", rng.randint(1, 5),
        ])
    write("zendesk_tickets.csv", ["Id", "Subject", "Status", "Priority", "Via", "Group", "Assignee",
                                  "Created at", "Solved at", "First reply time in minutes",
                                  "Full resolution time in minutes", "Replies"], rows)
    zendesk_json(rows)


def zendesk_json(rows):
    """The same tickets as the Zendesk incremental ticket export writes them
    (`/api/v2/incremental/tickets/cursor?include=metric_sets,groups`): UTC instants, the
    group by id with the groups sideloaded, first reply and solve times in each ticket's
    metric set; plus two deleted tickets, which that export lists."""
    paris = ZoneInfo("Europe/Paris")

    def utc(s):
        t = datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=paris)
        return t.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")

    groups = {"Support": 360001, "Billing": 360002}
    channel = {"Mail": "email", "Web form": "web", "Chat": "chat"}
    tickets = []
    for r in rows:
        (id_, subject, status, priority, via, group, assignee, created, solved, reply, full,
         replies) = r
        tickets.append({
            "id": id_, "subject": subject, "status": status.lower(),
            "priority": priority.lower(), "via": {"channel": channel[via]},
            "group_id": groups[group], "created_at": utc(created),
            "updated_at": utc(solved or created),
            "metric_set": {
                "ticket_id": id_, "replies": replies,
                "solved_at": utc(solved) if solved else None,
                "reply_time_in_minutes": {"calendar": reply, "business": reply},
                "full_resolution_time_in_minutes": (
                    {"calendar": full, "business": full} if solved else {"calendar": None, "business": None}),
            },
        })
    for k, created in enumerate(["2027-02-03 10:15:00", "2027-02-17 16:40:00"]):
        tickets.append({"id": 9000 + k, "subject": "Spam", "status": "deleted", "priority": None,
                        "via": {"channel": "email"}, "group_id": None, "created_at": utc(created),
                        "updated_at": utc(created), "metric_set": None})
    with open("zendesk_tickets.json", "w") as f:
        f.write('{"tickets": [\n')
        f.write(",\n".join(json.dumps(t, ensure_ascii=False) for t in tickets))
        f.write('\n],\n"groups": [\n')
        f.write(",\n".join(json.dumps({"id": i, "name": n}) for n, i in groups.items()))
        f.write('\n],\n"after_cursor": "MTgwMDUwMDAwMC4wfHwxNjAyfA==", "before_cursor": null,\n')
        f.write('"after_url": null, "before_url": null, "end_of_stream": true}\n')


def freshdesk(rng):
    rows = []
    for k, t in enumerate(arrivals(rng, 35, 8, 20)):
        group = "Returns" if rng.random() < 0.35 else "Customer Support"
        reply, solved = ticket(rng, t, 60, 16)
        tracked = int(rng.lognormvariate(math.log(540), 0.4))
        rows.append([
            5000 + k, rng.choice(SUBJECTS), "Resolved" if solved else "Open", rng.choice(["Low", "Medium", "High"]),
            rng.choice(["Email", "Portal", "Phone"]), "Question", rng.choice(["Marta", "Jordi", "Pau"]), group,
            t.strftime("%d/%m/%Y %H:%M"), solved.strftime("%d/%m/%Y %H:%M") if solved else "",
            solved.strftime("%d/%m/%Y %H:%M") if solved else "",
            f"{reply / 60:.2f}".replace(".", ","),
            f"{tracked // 3600:02d}:{tracked % 3600 // 60:02d}:{tracked % 60:02d}",
        ])
    write("freshdesk_tickets.csv", ["Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent",
                                    "Group", "Created time", "Resolved time", "Closed time",
                                    "First response time (in hrs)", "Time tracked"], rows, ";")


def us(t):
    h = t.hour % 12 or 12
    return f"{t.month}/{t.day}/{t.year} {h}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def salesforce(rng):
    rows = []
    for k, t in enumerate(arrivals(rng, 45, 7, 19)):
        origin = rng.choices(["Email", "Web", "Phone"], [5, 3, 2])[0]
        _, solved = ticket(rng, t, 60, 30)
        rows.append([
            f"{10000 + k:08d}", rng.choice(["Jamie Cole", "Pat Rivera", "Sam Lee"]), rng.choice(SUBJECTS),
            "Closed" if solved else rng.choice(["New", "Working", "Escalated"]),
            rng.choice(["Low", "Medium", "High"]), origin, us(t), us(solved) if solved else "",
        ])
    write("salesforce_cases.csv", ["Case Number", "Case Owner", "Subject", "Status", "Priority", "Case Origin",
                                   "Date/Time Opened", "Date/Time Closed"], rows)


def jira_date(t):
    h = t.hour % 12 or 12
    return f"{t.day:02d}/{t.strftime('%b')}/{t.strftime('%y')} {h}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def jira(rng):
    rows = []
    for k, t in enumerate(arrivals(rng, 30, 8, 18, days_open=5)):
        rtype = rng.choices(["Get IT help", "Request new hardware", "Report a system problem"], [6, 2, 2])[0]
        _, solved = ticket(rng, t, 45, 12)
        spent = int(rng.lognormvariate(math.log(1200), 0.5)) // 60 * 60 if solved else ""
        rows.append([
            rng.choice(SUBJECTS), f"ITSD-{200 + k}", 30000 + k, "Service Request",
            "Resolved" if solved else "Waiting for support", rng.choice(["Low", "Medium", "High"]),
            "Done" if solved else "", rng.choice(["olivia", "noah", "amelia"]),
            jira_date(t), jira_date(solved) if solved else "", spent, rtype,
        ])
    write("jira_requests.csv", ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority",
                                "Resolution", "Assignee", "Created", "Resolved", "Time Spent",
                                "Custom field (Customer Request Type)"], rows)


def cdr(rng):
    zone = ZoneInfo("America/New_York")
    rows = []
    for k, t in enumerate(arrivals(rng, 110, 8, 20, days_open=6)):
        queue = "sales" if rng.random() < 0.4 else "support"
        wait = int(rng.expovariate(1 / 25))
        patience = rng.expovariate(1 / 180)
        call_id = f"c{k + 1:05d}"
        start = t.replace(tzinfo=zone).isoformat()
        if rng.random() < 0.004:
            rows.append([call_id, start, queue, "TEST", 0, 0, 0, 0, ""])
        elif patience < wait:
            rows.append([call_id, start, queue, rng.choice(["ABANDONED", "ABANDONED", "NO ANSWER"]),
                         int(patience), "", "", "", ""])
        else:
            talk = int(rng.lognormvariate(math.log(200 if queue == "sales" else 260), 0.45))
            hold = int(rng.expovariate(1 / 20)) if rng.random() < 0.3 else 0
            rows.append([call_id, start, queue, "ANSWERED", wait, talk, hold, int(rng.uniform(15, 45)),
                         rng.choice(["a101", "a102", "a103", "a104", "a105"])])
    write("cdr_calls.csv", ["call_id", "start_time", "queue", "disposition", "wait_seconds", "talk_seconds",
                            "hold_seconds", "wrap_seconds", "agent"], rows)
    amazon_connect(rows, random.Random(1999))


def amazon_connect(rows, rng):
    """The first week's calls as Amazon Connect contact records (CTRs), one JSON record per line as
    its contact record stream delivers them to storage: UTC instants, the queue and agent
    as nested objects. A test call becomes a record that never reached a queue (it ended
    in the IVR); about one call in 30 is delivered twice, first before the agent's
    after-contact work ended (an earlier `LastUpdateTimestamp`, no after-contact work yet),
    and one in 200 twice as the same record; outbound calls the sales agents dialled are
    added. Read with `--preset amazon_connect`, the histories are those of
    `cdr_calls.csv` read with `--to 2027-02-07`."""
    utc = ZoneInfo("UTC")
    account, instance = "111122223333", "arn:aws:connect:us-east-1:111122223333:instance/5a1e0c7d-9a52-4f6e-8d3b-0c2f6e1b7a90"

    def ts(t):
        return t.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def uuid():
        h = "%032x" % rng.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[rng.randrange(4)]}{h[17:20]}-{h[20:]}"

    queues = {q: f"{instance}/queue/{uuid()}" for q in ("sales", "support")}
    agents = ["a101", "a102", "a103", "a104", "a105"]

    def record(method, start, queue, wait, answered, talk=0, hold=0, wrap=0, agent="", final=True):
        ivr = rng.randint(15, 50)
        init = start - timedelta(seconds=ivr)
        r = {
            "AWSAccountId": account, "AWSContactTraceRecordFormatVersion": "2017-03-10",
            "Agent": None, "AgentConnectionAttempts": 1 if answered else 0, "Attributes": {},
            "Channel": "VOICE", "ConnectedToSystemTimestamp": ts(init), "ContactId": uuid(),
            "CustomerEndpoint": {"Address": f"+1555010{rng.randrange(10000):04d}", "Type": "TELEPHONE_NUMBER"},
            "DisconnectReason": "CUSTOMER_DISCONNECT", "InitialContactId": None,
            "InitiationMethod": method, "InitiationTimestamp": ts(init), "InstanceARN": instance,
            "MediaStreams": [{"Type": "AUDIO"}], "NextContactId": None, "PreviousContactId": None,
            "Queue": None, "Recording": None,
            "SystemEndpoint": {"Address": "+15550100000", "Type": "TELEPHONE_NUMBER"},
            "TransferCompletedTimestamp": None, "TransferredToEndpoint": None,
        }
        end = start + timedelta(seconds=rng.randint(5, 40))
        if queue:
            dequeue = start + timedelta(seconds=wait)
            r["Queue"] = {"ARN": queues[queue], "DequeueTimestamp": ts(dequeue), "Duration": wait,
                          "EnqueueTimestamp": ts(start), "Name": queue}
            end = dequeue
        if answered:
            talk_end = dequeue + timedelta(seconds=talk + hold)
            r["Agent"] = {
                "AgentInteractionDuration": talk,
                "ConnectedToAgentTimestamp": ts(dequeue), "CustomerHoldDuration": hold,
                "LongestHoldDuration": hold, "NumberOfHolds": 1 if hold else 0,
                "RoutingProfile": {"Name": queue.title()},
                "Username": agent,
            }
            if final:
                r["Agent"].update({
                    "AfterContactWorkDuration": wrap,
                    "AfterContactWorkStartTimestamp": ts(talk_end),
                    "AfterContactWorkEndTimestamp": ts(talk_end + timedelta(seconds=wrap)),
                })
            end = talk_end
        r["DisconnectTimestamp"] = ts(end)
        r["LastUpdateTimestamp"] = ts(end + timedelta(seconds=(wrap if final else 0) + rng.randint(60, 300)))
        return r

    out = []
    for call_id, start, queue, disposition, wait, talk, hold, wrap, agent in rows:
        start = datetime.fromisoformat(start)
        if start.date() > date(2027, 2, 7):
            break
        if disposition == "TEST":
            out.append(record("INBOUND", start, None, 0, False))
            continue
        answered = disposition == "ANSWERED"
        rec = record("INBOUND", start, queue, wait, answered, talk or 0, hold or 0, wrap or 0, agent)
        if answered and rng.random() < 1 / 30:
            early = json.loads(json.dumps(rec))
            for k in ("AfterContactWorkDuration", "AfterContactWorkStartTimestamp", "AfterContactWorkEndTimestamp"):
                del early["Agent"][k]
            early["LastUpdateTimestamp"] = early["DisconnectTimestamp"]
            out.append(early)
        out.append(rec)
        if rng.random() < 1 / 200:
            out.append(rec)
        if queue == "sales" and rng.random() < 0.03:
            # An agent dials a customer back: an outbound contact, not offered to the queue.
            back = start + timedelta(minutes=rng.randint(20, 90))
            out.append(record("OUTBOUND", back, "sales", 0, True, rng.randint(60, 300), 0,
                              rng.randint(10, 30), rng.choice(agents)))
    with open("amazon_connect_ctrs.json", "w") as f:
        for r in out:
            f.write(json.dumps(r, sort_keys=True, separators=(",", ":")) + "\n")


PLANS = {
    # preset: (zone, currency, channel)
    "zendesk": ("Europe/Paris", "EUR", {"kind": "backlog", "deadline_minutes": 240}),
    "freshdesk": ("Europe/Madrid", "EUR", {"kind": "backlog", "deadline_minutes": 240}),
    "salesforce": ("America/Chicago", "USD", {"kind": "backlog", "deadline_minutes": 240}),
    "jira": ("Europe/London", "GBP", {"kind": "backlog", "deadline_minutes": 240}),
    "cdr": ("America/New_York", "USD", {"kind": "voice"}),
}


def scenario(preset, zone, currency, channel):
    start = datetime(2027, 3, 1, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))
    queue = {
        "name": "team",
        "channel": channel,
        "forecast_csv": f"../../out/contacts/{preset}/forecast.csv",
    }
    if channel["kind"] == "voice":
        queue["targets"] = {"service_level": {"fraction": 0.8, "within_seconds": 20}, "max_occupancy": 0.9}
        queue["shrinkage"] = 0.3
    else:
        queue["shrinkage"] = 0.2
    every = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return {
        "$schema": "../../docs/scenario.schema.json",
        "name": f"Plan from the {preset} example export",
        "description": f"A week planned from the forecast of examples/contacts ({preset} preset); "
                       "see examples/contacts/README.md for the commands that write the forecast.",
        "horizon": {"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "interval_minutes": 60, "days": 7},
        "sites": [{"name": "site", "zone": zone}],
        "queues": [queue],
        "templates": [
            {"name": "full_time", "site": "site", "queue": "team", "paid_minutes": 480,
             "start_windows": [{"days": every, "from": "07:00", "to": "12:00"}]},
            {"name": "part_time", "site": "site", "queue": "team", "paid_minutes": 240,
             "start_windows": [{"days": every, "from": "08:00", "to": "17:00"}]},
        ],
        "coverage": {"mode": "soft", "under_penalty": 50, "over_penalty": 1},
        "currency": currency,
        "solve": {"time_limit_seconds": 10, "gap": 0.01},
    }


if __name__ == "__main__":
    for i, f in enumerate([zendesk, freshdesk, salesforce, jira, cdr]):
        f(random.Random(1900 + i))
    for preset, (zone, currency, channel) in PLANS.items():
        with open(f"plan_{preset}.json", "w") as f:
            json.dump(scenario(preset, zone, currency, channel), f, indent=2)
            f.write("\n")
    # The week after: the last week of February planned from a forecast made on the three
    # weeks before it, for `wfm compare` (see README.md).
    review = scenario("cdr", "America/New_York", "USD", {"kind": "voice"})
    review["name"] = "Review week of the cdr example (22-28 February 2027)"
    review["description"] = ("The last week of the cdr example export, planned from a forecast made "
                             "on the three weeks before it; see examples/contacts/README.md.")
    start = datetime(2027, 2, 22, tzinfo=ZoneInfo("America/New_York")).astimezone(ZoneInfo("UTC"))
    review["horizon"]["start"] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    review["queues"][0]["forecast_csv"] = "../../out/review/forecast.csv"
    with open("review_cdr.json", "w") as f:
        json.dump(review, f, indent=2)
        f.write("\n")
