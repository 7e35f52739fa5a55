//! Expansion of templates into concrete candidates on the UTC grid.
//!
//! For every local date at the template's site that can hold a start inside the horizon,
//! every start window that applies to that weekday and every allowed local start time, the
//! local time is resolved to UTC with [`Site::resolve`]: a start time that a daylight-saving
//! gap skips gives no candidate, one that a fold repeats gives a candidate at each instant.
//! Only starts inside the horizon are kept. Each start is then combined with every placement
//! of the template's breaks (in order, without overlap, on the interval grid).

use super::template::ShiftTemplate;
use super::{Break, ShiftInstance};
use crate::error::{Error, Result};
use crate::time::{fmt_local, Horizon, LocalInstant, Site};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::collections::BTreeSet;

/// Largest number of candidates an expansion may produce.
pub const MAX_CANDIDATES: usize = 2_000_000;

/// One concrete shift the planner may choose, with the facts the model needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the template in the list given to [`expand`].
    pub template: usize,
    /// Index of the site in the list given to [`expand`].
    pub site: usize,
    /// Local date at the site on which the shift starts (the day it belongs to).
    pub local_date: NaiveDate,
    /// The concrete shift.
    pub shift: ShiftInstance,
    /// Cost of one such shift.
    pub cost: f64,
    /// Horizon interval of the start.
    pub start_index: usize,
    /// Number of intervals from start to end.
    pub span_intervals: usize,
    /// Horizon intervals during which the agent works (on shift, not on break), ascending
    /// in time; with `cyclic`, intervals past the end wrap to the start of the horizon.
    pub working: Vec<usize>,
}

impl Candidate {
    /// Horizon intervals during which the agent is on shift (breaks included), with the
    /// same wrapping rule as `working`.
    pub fn present(&self, horizon: &Horizon, cyclic: bool) -> Vec<usize> {
        grid_indices(
            self.start_index,
            0..self.span_intervals,
            self.span_intervals,
            horizon.len(),
            cyclic,
        )
    }
}

/// Grid indices of the intervals at `offsets` from `start` (offsets below `span`): past the
/// horizon they wrap around when `cyclic`, and are dropped otherwise.
fn grid_indices(
    start: usize,
    offsets: impl Iterator<Item = usize>,
    span: usize,
    len: usize,
    cyclic: bool,
) -> Vec<usize> {
    let mut out: Vec<usize> = offsets
        .map(|k| start + k)
        .filter_map(|i| {
            if i < len {
                Some(i)
            } else if cyclic {
                Some(i % len)
            } else {
                None
            }
        })
        .collect();
    if cyclic && span > len {
        out.sort_unstable();
        out.dedup();
    }
    out
}

/// All local dates at `site` whose starts could fall in the horizon.
pub fn local_dates(horizon: &Horizon, site: &Site) -> Vec<NaiveDate> {
    let first = site.local(horizon.start()).date_naive() - Duration::days(1);
    let last = site.local(horizon.end()).date_naive();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .collect::<Vec<_>>()
}

/// Expands `templates` into candidates. `sites` must contain every template's site.
/// `cyclic` wraps shifts that run past the end of the horizon to its start.
///
/// # Errors
///
/// The errors of [`ShiftTemplate::validate`] (named `templates[i].…`); [`Error::Invalid`] naming
/// `templates[i].site` when a template's site is not in `sites`, `templates[i].start_windows` when
/// a local start does not fall on the horizon's UTC grid (a site whose offset is not a multiple of
/// the interval), or `templates` when the templates expand to more candidate shifts than the limit.
pub fn expand(
    horizon: &Horizon,
    sites: &[Site],
    templates: &[ShiftTemplate],
    cyclic: bool,
) -> Result<Vec<Candidate>> {
    let m = horizon.interval_minutes();
    let mut out = Vec::new();
    for (ti, t) in templates.iter().enumerate() {
        let field = format!("templates[{ti}]");
        t.validate(&field, horizon)?;
        let si = sites.iter().position(|s| s.name == t.site).ok_or_else(|| {
            Error::invalid(
                format!("{field}.site"),
                format!("unknown site {:?}", t.site),
            )
        })?;
        let site = &sites[si];
        let step = t.start_step_minutes.unwrap_or(m);
        let span = t.span_minutes();
        let span_intervals = (span / m) as usize;
        let placements = break_placements(t, m);
        for date in local_dates(horizon, site) {
            let mut starts = BTreeSet::new();
            for w in &t.start_windows {
                if !w.days.iter().any(|d| d.weekday() == date.weekday()) {
                    continue;
                }
                let mut minute = w.from.minutes();
                while minute <= w.to.minutes() {
                    let local = date.and_hms_opt(minute / 60, minute % 60, 0);
                    if let Some(local) = local {
                        match site.resolve(local) {
                            LocalInstant::Single(u) => {
                                starts.insert(u);
                            }
                            LocalInstant::Ambiguous { earlier, later } => {
                                starts.insert(earlier);
                                starts.insert(later);
                            }
                            LocalInstant::Skipped { .. } => {}
                        }
                    }
                    match minute.checked_add(step) {
                        Some(m) => minute = m,
                        None => break,
                    }
                }
            }
            let day_end = site.day_start(date + Duration::days(1));
            for start in starts {
                if start < horizon.start() || start >= horizon.end() {
                    continue;
                }
                let Some(start_index) = horizon.boundary_index(start) else {
                    return Err(Error::invalid(
                        format!("{field}.start_windows"),
                        format!(
                            "local start {} at site {:?} is not on the {m}-minute UTC grid",
                            fmt_local(site.local(start)),
                            site.name
                        ),
                    ));
                };
                let end = start + Duration::minutes(span as i64);
                if !t.cross_midnight && end > day_end {
                    continue;
                }
                for p in &placements {
                    if out.len() >= MAX_CANDIDATES {
                        return Err(Error::invalid(
                            "templates",
                            format!("more than {MAX_CANDIDATES} candidate shifts; use coarser start steps or fewer break placements"),
                        ));
                    }
                    out.push(candidate(
                        horizon,
                        t,
                        ti,
                        si,
                        date,
                        start,
                        start_index,
                        span_intervals,
                        p,
                        cyclic,
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Every placement of the breaks: offsets (minutes after start), in order, no overlap.
fn break_placements(t: &ShiftTemplate, m: u32) -> Vec<Vec<u32>> {
    let mut acc: Vec<Vec<u32>> = vec![Vec::new()];
    for b in &t.breaks {
        let mut next = Vec::new();
        for p in &acc {
            let free = match (p.last(), t.breaks.get(p.len().wrapping_sub(1))) {
                (Some(&o), Some(prev)) => o + prev.minutes,
                _ => 0,
            };
            let mut o = b.window.from_minutes.max(free);
            // Round up to the grid (offsets are multiples of the interval after validation).
            o = o.div_ceil(m) * m;
            while o <= b.window.to_minutes {
                let mut q = p.clone();
                q.push(o);
                next.push(q);
                o += m;
            }
        }
        acc = next;
    }
    acc
}

#[allow(clippy::too_many_arguments)]
fn candidate(
    horizon: &Horizon,
    t: &ShiftTemplate,
    ti: usize,
    si: usize,
    date: NaiveDate,
    start: DateTime<Utc>,
    start_index: usize,
    span_intervals: usize,
    offsets: &[u32],
    cyclic: bool,
) -> Candidate {
    let m = horizon.interval_minutes() as usize;
    let breaks: Vec<Break> = t
        .breaks
        .iter()
        .zip(offsets)
        .map(|(b, &o)| Break {
            start: start + Duration::minutes(o as i64),
            end: start + Duration::minutes((o + b.minutes) as i64),
            paid: b.paid,
        })
        .collect();
    let mut on_break = vec![false; span_intervals];
    for (b, &o) in t.breaks.iter().zip(offsets) {
        let first = o as usize / m;
        let n = b.minutes as usize / m;
        for f in on_break.iter_mut().skip(first).take(n) {
            *f = true;
        }
    }
    let working = grid_indices(
        start_index,
        (0..span_intervals).filter(|&k| !on_break[k]),
        span_intervals,
        horizon.len(),
        cyclic,
    );
    Candidate {
        template: ti,
        site: si,
        local_date: date,
        shift: ShiftInstance {
            site: t.site.clone(),
            template: t.name.clone(),
            start,
            end: start + Duration::minutes(t.span_minutes() as i64),
            breaks,
        },
        cost: t.shift_cost(),
        start_index,
        span_intervals,
        working,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shifts::template::{BreakRule, BreakWindow, ClockTime, Day, StartWindow};
    use crate::time::fmt_utc;
    use chrono::TimeZone;

    fn window(days: &[Day], from: (u32, u32), to: (u32, u32)) -> StartWindow {
        StartWindow {
            days: days.to_vec(),
            from: ClockTime::new(from.0, from.1).unwrap(),
            to: ClockTime::new(to.0, to.1).unwrap(),
        }
    }

    fn starts(h: &Horizon, site: &Site, t: ShiftTemplate) -> Vec<String> {
        expand(h, std::slice::from_ref(site), &[t], false)
            .unwrap()
            .iter()
            .map(|c| fmt_utc(c.shift.start))
            .collect()
    }

    #[test]
    fn gap_gives_no_start_and_fold_gives_two() {
        let ny = Site::new("ny", "America/New_York").unwrap();
        // Spring forward: 02:00..02:45 on Sunday 2027-03-14 do not exist.
        let h = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 14, 0, 0, 0).unwrap(), 15, 1).unwrap();
        let t = ShiftTemplate::new("n", "ny", "q", 240, window(&[Day::Sun], (1, 30), (3, 0)));
        assert_eq!(
            starts(&h, &ny, t),
            [
                "2027-03-14T06:30:00Z",
                "2027-03-14T06:45:00Z",
                "2027-03-14T07:00:00Z"
            ]
        );
        // Fall back: 01:00..01:45 on Sunday 2027-11-07 happen twice.
        let h = Horizon::days(Utc.with_ymd_and_hms(2027, 11, 7, 0, 0, 0).unwrap(), 15, 1).unwrap();
        let t = ShiftTemplate::new("n", "ny", "q", 240, window(&[Day::Sun], (1, 30), (2, 0)));
        assert_eq!(
            starts(&h, &ny, t),
            [
                "2027-11-07T05:30:00Z",
                "2027-11-07T05:45:00Z",
                "2027-11-07T06:30:00Z",
                "2027-11-07T06:45:00Z",
                "2027-11-07T07:00:00Z"
            ]
        );
    }

    #[test]
    fn eight_am_is_a_different_utc_instant_across_the_change() {
        let ny = Site::new("ny", "America/New_York").unwrap();
        let h = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 13, 0, 0, 0).unwrap(), 15, 2).unwrap();
        let t = ShiftTemplate::new("d", "ny", "q", 480, window(&Day::ALL, (8, 0), (8, 0)));
        assert_eq!(
            starts(&h, &ny, t),
            ["2027-03-13T13:00:00Z", "2027-03-14T12:00:00Z"]
        );
    }

    #[test]
    fn breaks_make_variants_and_no_midnight_rule_uses_the_local_day() {
        let s = Site::new("lon", "Europe/London").unwrap();
        let h = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 28, 0, 0, 0).unwrap(), 15, 1).unwrap();
        let mut t = ShiftTemplate::new("d", "lon", "q", 480, window(&[Day::Sun], (15, 0), (16, 0)));
        t.breaks.push(BreakRule {
            name: "lunch".into(),
            minutes: 30,
            paid: false,
            window: BreakWindow {
                from_minutes: 180,
                to_minutes: 300,
            },
        });
        t.cross_midnight = false;
        let c = expand(&h, std::slice::from_ref(&s), &[t], false).unwrap();
        // The 23-hour day ends at 23:00Z; an 8.5 h span must start by 14:30Z = 15:30 BST.
        let firsts: BTreeSet<String> = c.iter().map(|c| fmt_utc(c.shift.start)).collect();
        assert_eq!(
            firsts.into_iter().collect::<Vec<_>>(),
            [
                "2027-03-28T14:00:00Z",
                "2027-03-28T14:15:00Z",
                "2027-03-28T14:30:00Z"
            ]
        );
        assert_eq!(c.len(), 3 * 9);
        for k in &c {
            assert_eq!(k.shift.paid_minutes(), 480);
            assert_eq!(k.working.len(), 32);
            assert_eq!(k.working, k.shift.working_intervals(&h));
        }
    }

    #[test]
    fn bad_templates_name_the_field() {
        let s = Site::new("s", "UTC").unwrap();
        let h = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap(), 15, 1).unwrap();
        let mut t = ShiftTemplate::new("d", "s", "q", 480, window(&Day::ALL, (8, 0), (9, 0)));
        t.breaks.push(BreakRule {
            name: String::new(),
            minutes: 30,
            paid: false,
            window: BreakWindow {
                from_minutes: 300,
                to_minutes: 180,
            },
        });
        let e = expand(&h, std::slice::from_ref(&s), &[t.clone()], false).unwrap_err();
        assert!(
            e.to_string().contains("templates[0].breaks[0].window"),
            "{e}"
        );
        t.breaks.clear();
        t.paid_minutes = 470;
        let e = expand(&h, std::slice::from_ref(&s), &[t.clone()], false).unwrap_err();
        assert!(e.to_string().contains("templates[0].paid_minutes"), "{e}");
        t.paid_minutes = 480;
        t.cost_per_paid_hour = f64::NAN;
        let e = expand(&h, std::slice::from_ref(&s), &[t.clone()], false).unwrap_err();
        assert!(e.to_string().contains("cost_per_paid_hour"), "{e}");
        t.cost_per_paid_hour = 1.0;
        t.site = "nowhere".into();
        let e = expand(&h, &[s], &[t], false).unwrap_err();
        assert!(e.to_string().contains("templates[0].site"), "{e}");
    }

    #[test]
    fn template_json_round_trips_and_rejects_unknown_fields() {
        let json = r#"{"name": "early", "site": "ny", "queue": "calls", "paid_minutes": 480,
            "start_windows": [{"days": ["mon","tue","wed","thu","fri"], "from": "07:00", "to": "11:00"}],
            "breaks": [{"name": "lunch", "minutes": 30, "window": {"from_minutes": 180, "to_minutes": 300}}]}"#;
        let t: ShiftTemplate = serde_json::from_str(json).unwrap();
        assert_eq!(t.cost_per_paid_hour, 1.0);
        assert!(t.cross_midnight);
        assert_eq!(t.span_minutes(), 510);
        let back: ShiftTemplate =
            serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        assert!(serde_json::from_str::<ShiftTemplate>(
            &json.replace("\"queue\"", "\"colour\": 1, \"queue\"")
        )
        .is_err());
        assert!(serde_json::from_str::<ShiftTemplate>(&json.replace("07:00", "7h")).is_err());
        assert!(serde_json::from_str::<ShiftTemplate>(&json.replace("07:00", "24:00")).is_err());
    }
}
