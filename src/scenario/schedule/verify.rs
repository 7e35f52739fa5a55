//! An independent check of a roster of named agents against each agent's rules, written
//! from the scenario's own words (agents, sites, templates) and the roster's concrete
//! shifts: it shares no code with the scheduler's model or pricing.

use crate::scenario::agents::AgentSpec;
use crate::shifts::{ShiftInstance, ShiftTemplate};
use crate::time::{Horizon, Site};
use chrono::{Datelike, Duration, NaiveDate, Timelike, Weekday};
use std::collections::{BTreeMap, BTreeSet};

fn to_minutes(hours: f64) -> i64 {
    (hours * 60.0).round() as i64
}

/// Every broken rule of `roster`, in words naming the agent (empty: the roster keeps every
/// agent's rules).
pub fn violations(
    agents: &[AgentSpec],
    sites: &[Site],
    templates: &[ShiftTemplate],
    horizon: &Horizon,
    roster: &[(String, ShiftInstance)],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut by_agent: BTreeMap<&str, Vec<&ShiftInstance>> = BTreeMap::new();
    for (name, s) in roster {
        by_agent.entry(name.as_str()).or_default().push(s);
    }
    for name in by_agent.keys() {
        if !agents.iter().any(|a| a.name == *name) {
            out.push(format!("{name}: not an agent of the scenario"));
        }
    }
    for a in agents {
        let mut shifts: Vec<&ShiftInstance> =
            by_agent.get(a.name.as_str()).cloned().unwrap_or_default();
        shifts.sort_by_key(|s| s.start);
        let Some(site) = sites.iter().find(|s| s.name == a.site) else {
            out.push(format!("{}: unknown site {:?}", a.name, a.site));
            continue;
        };
        let first = site.local(horizon.start()).date_naive();
        let last = site
            .local(horizon.end() - Duration::seconds(1))
            .date_naive();
        let mut dates: BTreeSet<NaiveDate> = BTreeSet::new();
        let mut paid = 0i64;
        for s in &shifts {
            let who = &a.name;
            let date = site.local(s.start).date_naive();
            if s.site != a.site {
                out.push(format!(
                    "{who}: works at {:?} on {date}, not at {:?}",
                    s.site, a.site
                ));
            }
            match templates
                .iter()
                .find(|t| t.name == s.template && t.site == s.site)
            {
                None => out.push(format!(
                    "{who}: unknown template {:?} on {date}",
                    s.template
                )),
                Some(t) => {
                    if let Some(skills) = &a.skills {
                        for q in t.queues() {
                            if !skills.iter().any(|k| k == q) {
                                out.push(format!(
                                    "{who}: works {:?} on {date} without skill {q:?}",
                                    t.name
                                ));
                            }
                        }
                    }
                }
            }
            if s.start < horizon.start() || s.start >= horizon.end() {
                out.push(format!(
                    "{who}: a shift starts outside the horizon on {date}"
                ));
            }
            if !dates.insert(date) {
                out.push(format!("{who}: two shifts on {date}"));
            }
            if a.days_off.contains(&date) {
                out.push(format!("{who}: works on day off {date}"));
            }
            paid += s.paid_minutes();
        }
        for w in shifts.windows(2) {
            let rest = (w[1].start - w[0].end).num_minutes();
            if rest < to_minutes(a.contract.min_rest_hours) {
                out.push(format!(
                    "{}: {rest} minutes of rest before the shift of {}, below {} hours",
                    a.name,
                    site.local(w[1].start).date_naive(),
                    a.contract.min_rest_hours
                ));
            }
        }
        let c = &a.contract;
        if paid < to_minutes(c.min_hours) {
            out.push(format!(
                "{}: {paid} paid minutes, below min_hours {}",
                a.name, c.min_hours
            ));
        }
        if let Some(max) = c.max_hours {
            if paid > to_minutes(max) {
                out.push(format!(
                    "{}: {paid} paid minutes, above max_hours {max}",
                    a.name
                ));
            }
        }
        // Runs of working and of free days over the agent's calendar.
        let mut day = first;
        let mut runs: Vec<(bool, i64, NaiveDate, NaiveDate)> = Vec::new();
        while day <= last {
            let w = dates.contains(&day);
            match runs.last_mut() {
                Some(r) if r.0 == w => {
                    r.1 += 1;
                    r.3 = day;
                }
                _ => runs.push((w, 1, day, day)),
            }
            day += Duration::days(1);
        }
        for &(work, n, from, to) in &runs {
            let inner = from != first && to != last;
            if work && n > i64::from(c.max_consecutive_days) {
                out.push(format!("{}: works {n} days in a row from {from}", a.name));
            }
            if work && inner && n < i64::from(c.min_consecutive_days) {
                out.push(format!(
                    "{}: a run of {n} working day(s) from {from}",
                    a.name
                ));
            }
            if !work && inner && n < i64::from(c.min_consecutive_days_off) {
                out.push(format!("{}: a run of {n} day(s) off from {from}", a.name));
            }
        }
        if let Some(max) = c.max_weekends {
            let weekends: BTreeSet<NaiveDate> = dates
                .iter()
                .filter_map(|d| match d.weekday() {
                    Weekday::Sat => Some(*d),
                    Weekday::Sun => Some(*d - Duration::days(1)),
                    _ => None,
                })
                .collect();
            if weekends.len() > max as usize {
                out.push(format!(
                    "{}: works {} weekends, above {max}",
                    a.name,
                    weekends.len()
                ));
            }
        }
        if let Some(list) = &c.templates {
            for s in &shifts {
                if !list.contains(&s.template) {
                    out.push(format!(
                        "{}: works {:?} on {}, not a template of the contract",
                        a.name,
                        s.template,
                        site.local(s.start).date_naive()
                    ));
                }
            }
        }
        if let Some(tol) = c.start_tolerance_minutes {
            // Local start times by ISO week (Monday to Sunday).
            let mut weeks: BTreeMap<(i32, u32), (u32, u32)> = BTreeMap::new();
            for s in &shifts {
                let l = site.local(s.start);
                let m = l.hour() * 60 + l.minute();
                let w = l.date_naive().iso_week();
                let e = weeks.entry((w.year(), w.week())).or_insert((m, m));
                e.0 = e.0.min(m);
                e.1 = e.1.max(m);
            }
            for ((y, w), (lo, hi)) in weeks {
                if hi - lo > 2 * tol {
                    out.push(format!(
                        "{}: starts from {:02}:{:02} to {:02}:{:02} in week {w} of {y}, beyond \
                         ± {tol} minutes",
                        a.name,
                        lo / 60,
                        lo % 60,
                        hi / 60,
                        hi % 60
                    ));
                }
            }
        }
        if let Some(r) = c.rotating_weekends {
            // Weekends by their Saturday; those before the horizon are free.
            let worked: BTreeSet<NaiveDate> = dates
                .iter()
                .filter_map(|d| match d.weekday() {
                    Weekday::Sat => Some(*d),
                    Weekday::Sun => Some(*d - Duration::days(1)),
                    _ => None,
                })
                .collect();
            for &sat in &worked {
                let from = sat - Duration::weeks(i64::from(r.of) - 1);
                let n = worked.range(from..=sat).count();
                if n > r.work as usize {
                    out.push(format!(
                        "{}: works {n} of the {} weekends up to {sat}, above {}",
                        a.name, r.of, r.work
                    ));
                }
            }
        }
        for f in &a.fixed_shifts {
            let kept = shifts.iter().any(|s| {
                let l = site.local(s.start);
                l.date_naive() == f.date
                    && s.template == f.template
                    && l.hour() * 60 + l.minute() == f.start.minutes()
            });
            if !kept {
                out.push(format!(
                    "{}: the fixed shift of {} is not in the roster",
                    a.name, f.date
                ));
            }
        }
    }
    out
}
