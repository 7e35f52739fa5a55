//! The scenario generator of `tests/scenario_sweep.rs`: valid but varied scenarios from a
//! seed (SplitMix64, so a seed gives the same scenario everywhere).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// SplitMix64: a fixed stream per seed, so every sweep is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<T: Clone>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())].clone()
    }
}

const ZONES: [&str; 7] = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "UTC",
];

/// First local day of the horizon: the day before a DST change (both directions, both
/// hemispheres) or a plain June Monday.
const ANCHORS: [&str; 8] = [
    "2027-03-27", // Europe springs forward on the 28th
    "2027-10-30", // Europe falls back on the 31st
    "2027-03-13", // USA springs forward on the 14th
    "2027-11-06", // USA falls back on the 7th
    "2027-04-03", // Sydney and Chatham fall back on the 4th
    "2027-10-02", // Sydney springs forward on the 3rd
    "2027-09-25", // Chatham springs forward on the 26th
    "2027-06-07",
];

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Opening hours of a queue: `(open, close)` local minutes, and closed weekdays.
#[derive(Clone)]
struct Hours {
    open: i64,
    close: i64,
    closed: Vec<chrono::Weekday>,
}

impl Hours {
    fn is_open(&self, local: DateTime<Tz>) -> bool {
        if self.closed.contains(&local.weekday()) {
            return false;
        }
        let m = i64::from(local.time().num_seconds_from_midnight()) / 60;
        m >= self.open && m < self.close
    }
}

/// One generated scenario: its JSON and the side files it names.
pub struct Generated {
    /// The scenario.
    pub json: Value,
    /// Side files (forecast CSVs): name beside the scenario, text.
    pub files: Vec<(String, String)>,
}

/// A valid but varied scenario for `seed` (a few are meant to be refused: conflicting
/// published shifts, contracts no schedule meets; those must fail with a named error).
pub fn generate(seed: u64, max_days: i64) -> Generated {
    let mut r = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
    let step = r.pick(&[15i64, 30, 60]);
    let days = r.range(1, max_days);
    let n_sites = r.range(1, 4) as usize;
    let mut zones: Vec<&str> = Vec::new();
    for _ in 0..n_sites {
        zones.push(r.pick(&ZONES));
    }
    let anchor = NaiveDate::parse_from_str(r.pick(&ANCHORS), "%Y-%m-%d").unwrap();
    // Mostly sites whose UTC offsets on the grid agree with the first site's (a start at
    // another site falls on the grid); sometimes anything, which must be refused by name.
    if r.chance(0.8) {
        let offset = |z: &str| {
            let tz: Tz = z.parse().unwrap();
            let t = tz.from_utc_datetime(&anchor.and_time(NaiveTime::MIN));
            i64::from(t.offset().fix().local_minus_utc()) / 60
        };
        let z0 = zones[0];
        let o0 = offset(z0);
        for z in zones.iter_mut().skip(1) {
            if (offset(z) - o0).rem_euclid(step) != 0 {
                *z = z0;
            }
        }
    }
    let sites: Vec<(String, Tz)> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| (format!("site{i}"), z.parse::<Tz>().unwrap()))
        .collect();
    let start = sites[0]
        .1
        .from_local_datetime(&anchor.and_time(NaiveTime::MIN))
        .earliest()
        .unwrap()
        .with_timezone(&Utc);
    let n = (days * 1440 / step) as usize;
    let instants: Vec<DateTime<Utc>> = (0..n)
        .map(|i| start + Duration::minutes(step * i as i64))
        .collect();

    let mut files = Vec::new();
    let n_queues = r.range(1, 3) as usize;
    let mut queues = Vec::new();
    let mut queue_hours = Vec::new();
    let mut queue_site = Vec::new();
    let mut kinds = Vec::new();
    for qi in 0..n_queues {
        let name = format!("q{qi}");
        let site = r.below(sites.len());
        let kind = r.pick(&["voice", "voice", "chat", "backlog"]);
        let hours = match r.below(4) {
            0 => Hours {
                open: 0,
                close: 1440,
                closed: vec![],
            },
            1 => Hours {
                open: 8 * 60,
                close: 20 * 60,
                closed: vec![],
            },
            2 => Hours {
                open: 8 * 60,
                close: 18 * 60,
                closed: vec![chrono::Weekday::Sat, chrono::Weekday::Sun],
            },
            _ => Hours {
                open: 7 * 60,
                close: 23 * 60,
                closed: vec![chrono::Weekday::Sun],
            },
        };
        let scale = match r.below(5) {
            0 => 0.05 + r.unit() * 0.4, // tiny
            1 => 60.0 * step as f64 / 30.0,
            _ => (5.0 + r.unit() * 30.0) * step as f64 / 30.0,
        };
        let mut volume: Vec<f64> = instants
            .iter()
            .map(|t| {
                let local = t.with_timezone(&sites[site].1);
                if !hours.is_open(local) {
                    return 0.0;
                }
                let h = local.hour() as f64;
                let shape = 0.6 + 0.4 * ((h - 6.0) / 24.0 * std::f64::consts::TAU).sin().abs();
                ((scale * shape) * 1000.0).round() / 1000.0
            })
            .collect();
        // Zero-volume holes inside open hours.
        for _ in 0..r.below(4) {
            let i = r.below(n);
            volume[i] = 0.0;
        }
        // One huge peak.
        if r.chance(0.2) {
            let open: Vec<usize> = (0..n).filter(|&i| volume[i] > 0.0).collect();
            if !open.is_empty() {
                let i = r.pick(&open);
                volume[i] = (volume[i] * 25.0).min(2000.0);
            }
        }
        let aht = r.range(120, 600) as f64;
        let shrinkage = r.pick(&[0.0, 0.0, 0.3, 0.45]);
        let mut q = json!({"name": name, "site": sites[site].0, "shrinkage": shrinkage});
        match kind {
            "voice" => {
                let mut t = serde_json::Map::new();
                let mut any = false;
                if r.chance(0.6) {
                    t.insert(
                        "service_level".into(),
                        json!({"fraction": r.pick(&[0.8, 0.9, 0.5]), "within_seconds": r.pick(&[20, 30, 60])}),
                    );
                    any = true;
                }
                if r.chance(0.3) {
                    t.insert("asa_seconds".into(), json!(r.pick(&[15, 30, 60])));
                    any = true;
                }
                if r.chance(0.3) {
                    t.insert("max_occupancy".into(), json!(r.pick(&[0.85, 0.9])));
                    any = true;
                }
                if r.chance(0.3) {
                    q["patience_seconds"] = json!(r.pick(&[60, 120, 300]));
                    if r.chance(0.6) {
                        t.insert("max_abandon".into(), json!(r.pick(&[0.03, 0.05, 0.1])));
                        any = true;
                    }
                }
                if !any {
                    t.insert(
                        "service_level".into(),
                        json!({"fraction": 0.8, "within_seconds": 20}),
                    );
                }
                q["targets"] = Value::Object(t);
            }
            "chat" => {
                q["channel"] = json!({"kind": "chat", "concurrency": r.range(1, 3)});
                q["targets"] = json!({"service_level": {"fraction": 0.8, "within_seconds": 60}});
            }
            _ => {
                let k = r.pick(&[240i64, 480, 1440]) / step;
                q["channel"] = json!({"kind": "backlog", "deadline_minutes": k * step});
            }
        }
        if r.chance(0.25) {
            // The same forecast from a CSV file beside the scenario.
            let mut text = String::from("interval_start_utc,volume,aht_seconds\n");
            for (t, v) in instants.iter().zip(&volume) {
                text.push_str(&format!("{},{v},{aht}\n", t.format("%Y-%m-%dT%H:%M:%SZ")));
            }
            let file = format!("{name}.csv");
            files.push((file.clone(), text));
            q["forecast_csv"] = json!(file);
        } else {
            q["volume"] = json!(volume);
            q["aht_seconds"] = json!(aht);
        }
        queues.push(q);
        queue_hours.push(hours);
        queue_site.push(site);
        kinds.push(kind);
    }

    // Templates: for each queue, at its own site (and sometimes at another), full time with
    // a lunch, part time, and for long hours a night shift across midnight.
    let mut templates = Vec::new();
    let all_days: Vec<&str> = DAYS.to_vec();
    let brk = if step == 60 { 60 } else { 30 };
    for qi in 0..n_queues {
        let mut at = vec![queue_site[qi]];
        if sites.len() > 1 && r.chance(0.4) {
            let s = r.below(sites.len());
            if !at.contains(&s) {
                at.push(s);
            }
        }
        let h = &queue_hours[qi];
        for s in at {
            let site = &sites[s].0;
            let cost = r.range(10, 30);
            let ft_from = (h.open - 60).max(0);
            let ft_to = if h.close == 1440 {
                1440 - step
            } else {
                (h.close - 8 * 60).max(ft_from)
            };
            let mut ft = json!({
                "name": format!("ft_q{qi}_{site}"), "site": site, "queue": format!("q{qi}"),
                "paid_minutes": 480,
                "start_windows": [{"days": all_days, "from": hhmm(ft_from), "to": hhmm(ft_to)}],
                "start_step_minutes": step.max(60),
                "breaks": [{"name": "lunch", "minutes": brk, "paid": false,
                            "window": {"from_minutes": 180, "to_minutes": 300}}],
                "cost_per_paid_hour": cost,
            });
            if r.chance(0.3) {
                ft["cost_per_shift"] = json!(5);
            }
            if r.chance(0.15) {
                ft["max_count"] = json!(r.range(0, 6));
            }
            templates.push(ft);
            let pt_to = (h.close.min(1440 - step) - 4 * 60).max(h.open);
            templates.push(json!({
                "name": format!("pt_q{qi}_{site}"), "site": site, "queue": format!("q{qi}"),
                "paid_minutes": 240,
                "start_windows": [{"days": all_days, "from": hhmm(h.open), "to": hhmm(pt_to)}],
                "cost_per_paid_hour": cost + 2,
            }));
            if h.close - h.open > 14 * 60 {
                templates.push(json!({
                    "name": format!("night_q{qi}_{site}"), "site": site, "queue": format!("q{qi}"),
                    "paid_minutes": 480,
                    "start_windows": [{"days": all_days, "from": "20:00", "to": "23:00"}],
                    "start_step_minutes": 60,
                    "breaks": [{"name": "rest", "minutes": step.min(30).max(step), "paid": true,
                                "window": {"from_minutes": 120, "to_minutes": 300}}],
                    "cost_per_paid_hour": cost + 5,
                }));
            }
            // A template that cannot fit anywhere: ten hours starting late, never past
            // midnight.
            if r.chance(0.15) {
                templates.push(json!({
                    "name": format!("nofit_q{qi}_{site}"), "site": site, "queue": format!("q{qi}"),
                    "paid_minutes": 600,
                    "start_windows": [{"days": ["mon"], "from": "20:00", "to": "22:00"}],
                    "cross_midnight": false,
                }));
            }
        }
    }
    // A multi-skill template over two queues at the first queue's site (hard coverage
    // only: soft coverage with multi-skill templates is refused, docs/limits.md).
    let soft = r.chance(0.35);
    if n_queues >= 2 && !soft && r.chance(0.5) {
        let site = &sites[queue_site[0]].0;
        templates.push(json!({
            "name": format!("multi_{site}"), "site": site,
            "skills": [{"queue": "q0", "priority": 1}, {"queue": "q1", "priority": 2}],
            "paid_minutes": 480,
            "start_windows": [{"days": all_days, "from": "06:00", "to": "14:00"}],
            "start_step_minutes": 60,
            "cost_per_paid_hour": 28,
        }));
    }

    let mut site_json: Vec<Value> = sites
        .iter()
        .map(|(name, tz)| json!({"name": name, "zone": tz.name()}))
        .collect();
    if r.chance(0.15) {
        let i = r.below(site_json.len());
        site_json[i]["max_per_interval"] = json!(r.range(1, 20));
    }
    if r.chance(0.1) {
        let i = r.below(site_json.len());
        site_json[i]["max_per_day"] = json!(r.range(1, 30));
    }
    let mut scenario = json!({
        "name": format!("Sweep {seed} <b>&amp; \"ops\"</b>"),
        "horizon": {"start": start.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    "interval_minutes": step, "days": days},
        "sites": site_json,
        "queues": queues,
        "templates": templates,
        "solve": {"time_limit_seconds": 30, "work": r.pick(&[500, 1500, 3000]), "seed": seed % 7 + 1},
    });
    if soft {
        scenario["coverage"] =
            json!({"mode": "soft", "under_penalty": r.pick(&[20, 50, 200]), "over_penalty": 1});
    }
    if r.chance(0.1) {
        scenario["budget"] = json!(r.range(50, 3000));
    }
    if r.chance(0.3) {
        scenario["currency"] = json!(r.pick(&["EUR", "£", "A&B"]));
    }
    if r.chance(0.4) {
        scenario["agents"] = json!(agents(&mut r, &sites, &scenario, days));
    }
    Generated {
        json: scenario,
        files,
    }
}

/// Named agents at the scenario's sites: contracts, days off, wishes and published shifts;
/// now and then one that conflicts (two published shifts on one date, one on a day off,
/// night then early morning without rest, minimum hours nobody can reach).
fn agents(r: &mut Rng, sites: &[(String, Tz)], scenario: &Value, days: i64) -> Vec<Value> {
    let start: DateTime<Utc> = scenario["horizon"]["start"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let templates = scenario["templates"].as_array().unwrap();
    let mut out = Vec::new();
    let count = r.pick(&[2i64, 5, 12, 30]);
    // At most one published shift in conflict per scenario.
    let conflicts_left = &mut 1;
    // Agents work at sites with templates; rarely one at any site (one without templates
    // must be refused by name).
    let staffed: Vec<usize> = (0..sites.len())
        .filter(|&i| templates.iter().any(|t| t["site"] == sites[i].0.as_str()))
        .collect();
    for a in 0..count {
        let s = if r.chance(0.03) || staffed.is_empty() {
            r.below(sites.len())
        } else {
            r.pick(&staffed)
        };
        let (site, tz) = &sites[s];
        let mine: Vec<&Value> = templates
            .iter()
            .filter(|t| t["site"] == site.as_str() && t.get("queue").is_some())
            .filter(|t| !t["name"].as_str().unwrap().starts_with("nofit"))
            .collect();
        let name = if a == 0 {
            "O'Brien & <Co>, \"A\"".to_string()
        } else {
            format!("agent_{a:02}")
        };
        let max_hours = (days * 8).max(8) as f64;
        let mut contract = json!({"max_hours": max_hours, "max_consecutive_days": 5});
        if r.chance(0.3) {
            let unreachable = if r.chance(0.1) {
                (days * 24) as f64
            } else {
                8.0
            };
            contract["min_hours"] = json!(r.pick(&[4.0, unreachable]).min(max_hours));
        }
        if r.chance(0.2) {
            contract["max_weekends"] = json!(1);
        }
        if r.chance(0.2) {
            contract["start_tolerance_minutes"] = json!(60);
        }
        if r.chance(0.1) {
            contract["rotating_weekends"] = json!({"work": 1, "of": 2});
        }
        if r.chance(0.1) {
            contract["balance_hours_weight"] = json!(0.5);
        }
        let mut agent = json!({"name": name, "site": site, "contract": contract});
        let local0 = start.with_timezone(tz).date_naive();
        let date = |d: i64| (local0 + Duration::days(d)).format("%Y-%m-%d").to_string();
        if r.chance(0.3) && days > 1 {
            agent["days_off"] = json!([date(r.range(0, days - 1))]);
        }
        if r.chance(0.3) {
            agent["off_requests"] = json!([{"date": date(r.range(0, days - 1)), "weight": 10}]);
        }
        if r.chance(0.3) {
            agent["preferred_start"] = json!({"from": "08:00", "to": "10:00", "weight": 5});
        }
        if !mine.is_empty() && r.chance(0.3) && days >= 3 {
            let t = r.pick(&mine);
            let w = &t["start_windows"][0];
            let d = r.range(1, days - 2);
            let mut fixed =
                vec![json!({"date": date(d), "template": t["name"], "start": w["from"]})];
            let conflict = if *conflicts_left > 0 && r.chance(0.3) {
                *conflicts_left -= 1;
                r.below(3)
            } else {
                3
            };
            match conflict {
                // A second published shift on the same date.
                0 => fixed.push(json!({"date": date(d), "template": t["name"], "start": w["to"]})),
                // A published shift on a day off.
                1 => agent["days_off"] = json!([date(d)]),
                // Late then early: the rest between them is too short.
                2 => {
                    fixed[0]["start"] = w["to"].clone();
                    fixed.push(
                        json!({"date": date(d + 1), "template": t["name"], "start": w["from"]}),
                    );
                }
                _ => {}
            }
            agent["fixed_shifts"] = json!(fixed);
        }
        out.push(agent);
    }
    out
}

/// Queues forecast from history and site calendars, drawn from a stream of their own (so
/// the rest of the scenario of a seed is unchanged): every queue of the first site's zone
/// with inline volumes may become a `history_csv` queue (35 to 42 days of history ending at
/// the horizon's start, drawn from its own volumes with a ripple, closed intervals without
/// rows, with or without a handle-time column, `trimmed_profile` or `seasonal_naive`), and
/// the first site may get special days: a campaign or an outage with a multiplier, inline
/// or from a CSV, or a holiday forecast from its occurrence in the history (only when every
/// queue of the site is forecast from history; a forecast CSV queue of a site with a day in
/// the horizon must be refused by name). The first such queue is always converted.
pub fn with_history(g: &mut Generated, seed: u64) {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x4157_D15C);
    let h = &g.json["horizon"];
    let start: DateTime<Utc> = h["start"].as_str().unwrap().parse().unwrap();
    let step = h["interval_minutes"].as_i64().unwrap();
    let days = h["days"].as_i64().unwrap();
    let per_day = (1440 / step) as usize;
    let sites: Vec<(String, Tz)> = g.json["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["zone"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    let zone0 = sites[0].1;
    // Five to six weeks: a holiday's occurrence needs four normal weeks before it.
    let hist_days = r.range(35, 42);
    let mut converted = 0;
    let queues = g.json["queues"].as_array_mut().unwrap();
    for q in queues.iter_mut() {
        let site = q["site"].as_str().unwrap().to_string();
        let zone = sites.iter().find(|s| s.0 == site).unwrap().1;
        let Some(volume) = q["volume"].as_array().cloned() else {
            continue;
        };
        let open = volume.iter().any(|v| v.as_f64().unwrap_or(0.0) > 0.0);
        if zone != zone0 || !open || (converted > 0 && !r.chance(0.6)) {
            continue;
        }
        converted += 1;
        let name = q["name"].as_str().unwrap().to_string();
        let aht = q["aht_seconds"].as_f64().unwrap();
        let with_aht = r.chance(0.7);
        let mut text = String::from(if with_aht {
            "interval_start,volume,aht_seconds\n"
        } else {
            "interval_start,volume\n"
        });
        let rows = hist_days as usize * per_day;
        let first = start - Duration::days(hist_days);
        for k in 0..rows {
            let d = (k / per_day) % days as usize;
            let v = volume[d * per_day + k % per_day].as_f64().unwrap();
            if v <= 0.0 {
                continue;
            }
            let v = (v * (1.0 + 0.1 * (k as f64 * 0.7).sin()) * 1000.0).round() / 1000.0;
            let t = first + Duration::minutes(step * k as i64);
            let stamp = t.format("%Y-%m-%dT%H:%M:%SZ");
            if with_aht {
                text.push_str(&format!("{stamp},{v},{aht}\n"));
            } else {
                text.push_str(&format!("{stamp},{v}\n"));
            }
        }
        let file = format!("{name}_history.csv");
        g.files.push((file.clone(), text));
        let obj = q.as_object_mut().unwrap();
        obj.remove("volume");
        if with_aht {
            obj.remove("aht_seconds");
        }
        obj.insert("history_csv".into(), json!(file));
        if r.chance(0.4) {
            let method = r.pick(&["trimmed_profile", "seasonal_naive"]);
            obj.insert("forecast".into(), json!({ "method": method }));
        }
    }
    // A forecast CSV queue of the site refuses a day in the horizon (by name): now and
    // then only, so that most calendars are planned.
    let csv_at_site0 = g.json["queues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q["site"] == sites[0].0.as_str() && q.get("forecast_csv").is_some());
    if !r.chance(0.5) || (csv_at_site0 && !r.chance(0.2)) {
        return;
    }
    let local0 = start.with_timezone(&zone0).date_naive();
    let date = |d: i64| (local0 + Duration::days(d)).format("%Y-%m-%d").to_string();
    let all_history = g.json["queues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["site"] == sites[0].0.as_str())
        .all(|q| q.get("history_csv").is_some());
    let day = date(r.range(0, days - 1));
    let listed = if all_history && r.chance(0.5) {
        vec![
            json!({"date": date(-r.range(1, hist_days - 29)), "name": "holiday"}),
            json!({"date": day, "name": "holiday"}),
        ]
    } else {
        let m = r.pick(&[0.5, 1.3, 0.0]);
        vec![json!({"date": day, "name": "campaign", "multiplier": m})]
    };
    if r.chance(0.5) {
        g.json["sites"][0]["special_days"] = json!(listed);
    } else {
        let mut text = String::from("date,name,multiplier\n");
        for d in &listed {
            let m = d
                .get("multiplier")
                .map(|m| m.to_string())
                .unwrap_or_default();
            text.push_str(&format!(
                "{},{},{m}\n",
                d["date"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            ));
        }
        g.files.push(("calendar.csv".into(), text));
        g.json["sites"][0]["special_days_csv"] = json!("calendar.csv");
    }
}
