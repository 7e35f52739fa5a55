//! Numbered agents for a plan without named agents.
//!
//! A plan says how many agents work each shift; without named agents `wfm` still hands out
//! shifts to numbered slots (`<site>-001`, `<site>-002`, ...) so that a roster can be read
//! person by person: a slot works at one site, never two overlapping shifts, gets at least
//! `min_rest_hours` between the end of one shift and the start of the next, and works at most
//! `max_shifts_per_week` shifts in any 7 × 24 hours.
//!
//! Method: shifts are taken in start order; each goes to the slot that can legally take it
//! and whose previous shift started at the most similar time of day (so people keep steady
//! hours), ties to the slot with fewer shifts; a new slot opens only when no slot can take it.

use crate::shifts::ShiftInstance;
use chrono::{DateTime, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// Rules for numbered slots.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlotRules {
    /// Minimum hours between the end of a shift and the start of the next (default 11).
    pub min_rest_hours: f64,
    /// Most shifts in any rolling 7 days (default 5).
    pub max_shifts_per_week: u32,
}

impl Default for SlotRules {
    fn default() -> Self {
        SlotRules {
            min_rest_hours: 11.0,
            max_shifts_per_week: 5,
        }
    }
}

struct Slot {
    site: String,
    starts: Vec<DateTime<Utc>>,
    last_end: DateTime<Utc>,
    last_start_minute: i64,
}

/// Groups `shifts` (one entry per agent-shift) into numbered slots. Returns
/// `(slot name, shift)` pairs in the order of the input shifts' starts.
pub fn assign_slots(shifts: &[ShiftInstance], rules: &SlotRules) -> Vec<(String, ShiftInstance)> {
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order.sort_by_key(|&i| (shifts[i].start, shifts[i].end, shifts[i].site.clone()));
    // Clamped to the input limit: a larger rest would overflow the duration.
    let rest_hours = if rules.min_rest_hours.is_finite() {
        rules
            .min_rest_hours
            .clamp(0.0, crate::limits::MAX_REST_HOURS)
    } else {
        0.0
    };
    let rest = Duration::seconds((rest_hours * 3600.0).round() as i64);
    let week = Duration::days(7);
    let cap = rules.max_shifts_per_week.max(1) as usize;
    let mut slots: Vec<Slot> = Vec::new();
    let mut out = Vec::with_capacity(shifts.len());
    for i in order {
        let s = &shifts[i];
        let minute = (s.start.hour() * 60 + s.start.minute()) as i64;
        let mut best: Option<(i64, usize, usize)> = None; // (time-of-day distance, shifts, slot)
        for (k, slot) in slots.iter().enumerate() {
            if slot.site != s.site || slot.last_end + rest > s.start {
                continue;
            }
            let in_week = slot
                .starts
                .iter()
                .rev()
                .take_while(|&&t| t > s.start - week)
                .count();
            if in_week >= cap {
                continue;
            }
            let d = (slot.last_start_minute - minute).abs();
            let d = d.min(1440 - d);
            let key = (d, slot.starts.len(), k);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        let k = match best {
            Some((_, _, k)) => k,
            None => {
                slots.push(Slot {
                    site: s.site.clone(),
                    starts: Vec::new(),
                    last_end: s.start - rest - Duration::seconds(1),
                    last_start_minute: minute,
                });
                slots.len() - 1
            }
        };
        let slot = &mut slots[k];
        slot.starts.push(s.start);
        slot.last_end = s.end;
        slot.last_start_minute = minute;
        out.push((k, s.clone()));
    }
    // Number slots per site in order of first shift.
    let mut names = vec![String::new(); slots.len()];
    let mut per_site: std::collections::BTreeMap<&str, usize> = Default::default();
    for (k, slot) in slots.iter().enumerate() {
        let c = per_site.entry(slot.site.as_str()).or_insert(0);
        *c += 1;
        names[k] = format!("{}-{:03}", slot.site, c);
    }
    out.into_iter()
        .map(|(k, s)| (names[k].clone(), s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn shift(site: &str, start_h: i64, len_h: i64) -> ShiftInstance {
        let t0 = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
        ShiftInstance {
            site: site.into(),
            template: "t".into(),
            start: t0 + Duration::hours(start_h),
            end: t0 + Duration::hours(start_h + len_h),
            breaks: vec![],
        }
    }

    #[test]
    fn same_hours_same_person_five_days() {
        let shifts: Vec<_> = (0..7).map(|d| shift("ny", 24 * d + 8, 8)).collect();
        let r = assign_slots(&shifts, &SlotRules::default());
        let first: Vec<_> = r.iter().filter(|(a, _)| a == "ny-001").collect();
        assert_eq!(first.len(), 5);
        assert_eq!(r.iter().filter(|(a, _)| a == "ny-002").count(), 2);
    }

    #[test]
    fn sites_never_share_a_slot() {
        let r = assign_slots(
            &[shift("ny", 8, 8), shift("lon", 30, 8)],
            &SlotRules::default(),
        );
        assert_eq!(r[0].0, "ny-001");
        assert_eq!(r[1].0, "lon-001");
    }

    proptest! {
        #[test]
        fn slots_never_overlap_and_rest(starts in proptest::collection::vec((0i64..160, 4i64..11), 1..60)) {
            let shifts: Vec<_> = starts.iter().map(|&(s, l)| shift("x", s, l)).collect();
            let rules = SlotRules::default();
            let r = assign_slots(&shifts, &rules);
            prop_assert_eq!(r.len(), shifts.len());
            let mut by: std::collections::BTreeMap<String, Vec<ShiftInstance>> = Default::default();
            for (a, s) in r { by.entry(a).or_default().push(s); }
            for (_, mut v) in by {
                v.sort_by_key(|s| s.start);
                for w in v.windows(2) {
                    prop_assert!(w[1].start - w[0].end >= Duration::hours(11));
                }
                for (i, s) in v.iter().enumerate() {
                    let n = v[..=i].iter().filter(|x| x.start > s.start - Duration::days(7)).count();
                    prop_assert!(n <= 5);
                }
            }
        }
    }
}
