//! Unit tests of the interval model: lead-day and time-of-day widths, the effective
//! number of independent errors and the levels read from them.

use super::*;

#[test]
fn quantile_interpolates() {
    let v = [0.0, 1.0, 2.0, 3.0, 4.0];
    assert!((quantile(&v, 0.5) - 2.0).abs() < 1e-12);
    assert!((quantile(&v, 0.1) - 0.4).abs() < 1e-12);
}

#[test]
fn lead_factors_follow_the_spread_per_lead_day_shrunk_toward_one() {
    // Lead 0: errors of ±1, lead 1: ±3, one day's prior of 2 errors.
    let z: Vec<(f64, usize)> = [(1.0, 0), (-1.0, 0), (3.0, 1), (-3.0, 1)]
        .iter()
        .cycle()
        .take(8)
        .copied()
        .collect();
    let r = spread_factors(&z, LEAD_DAYS, 2.0);
    assert_eq!(r.len(), LEAD_DAYS);
    // s = 2; r_0 = (4·0.5 + 2) / 6, r_1 = (4·1.5 + 2) / 6; no errors: 1.
    assert!((r[0] - 4.0 / 6.0).abs() < 1e-12, "{r:?}");
    assert!((r[1] - 8.0 / 6.0).abs() < 1e-12, "{r:?}");
    assert_eq!(r[2], 1.0);
}

#[test]
fn the_band_is_wider_on_a_lead_day_with_wider_errors() {
    let m = IntervalModel {
        levels: LEVELS.to_vec(),
        z: vec![-1.0, 0.0, 0.5, 1.0],
        n: 10,
        lead_scale: vec![0.5, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        day_slots: 2,
        slot_scale: Vec::new(),
        buckets: 1,
    };
    // Two intervals a day; forecast 100 everywhere, 0 (closed) in the last one.
    let q = m.apply(&[
        100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 0.0,
    ]);
    assert_eq!(q[0][0], 95.0); // lead 0: 100 − 1 · 0.5 · 10
    assert_eq!(q[3][1], 105.0);
    assert_eq!(q[0][2], 80.0); // lead 1: 100 − 1 · 2 · 10
    assert_eq!(q[3][4], 110.0); // lead 2
    assert_eq!(q[3][9], 0.0); // closed stays closed
}

/// Deterministic noise in (−1, 1) for the tests below.
fn noise(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
}

/// Errors of `weeks` weeks × `days` days × `per_day` intervals, in that order, each
/// `z(week, day, slot)` at scale 1 (lead = day; eight day numbers a week).
pub(super) fn grid(
    weeks: usize,
    days: usize,
    per_day: usize,
    mut z: impl FnMut(usize, usize, usize) -> f64,
) -> Vec<InnerError> {
    let mut out = Vec::with_capacity(weeks * days * per_day);
    for w in 0..weeks {
        for d in 0..days {
            for k in 0..per_day {
                out.push(InnerError {
                    z: z(w, d, k),
                    s: 1.0,
                    lead: d,
                    slot: k,
                    week: w,
                    day: 8 * w + d,
                });
            }
        }
    }
    out
}

/// Errors of `weeks` weeks × 5 days × `per_day` intervals: `day_part` of each error
/// is shared by its day, `week_part` by its week, the rest its own.
fn clustered(weeks: usize, per_day: usize, week_part: f64, day_part: f64) -> Vec<InnerError> {
    let mut st = 7u64;
    let (mut wn, mut dn) = (0.0, 0.0);
    grid(weeks, 5, per_day, |_, d, k| {
        if d == 0 && k == 0 {
            wn = noise(&mut st);
        }
        if k == 0 {
            dn = noise(&mut st);
        }
        let own = noise(&mut st);
        week_part * wn + day_part * dn + (1.0 - week_part - day_part) * own
    })
}

fn units(e: &[InnerError]) -> usize {
    let r: Vec<&InnerError> = e.iter().collect();
    let u: Vec<f64> = e.iter().map(|x| x.z).collect();
    effective_units(&r, &u).unwrap_or(0)
}

#[test]
fn effective_units_follow_the_correlation_of_days_and_weeks() {
    // 8 weeks × 5 days × 30 intervals = 1 200 errors.
    let own = units(&clustered(8, 30, 0.0, 0.0));
    assert!(own > 900, "independent errors: {own}");
    let days = units(&clustered(8, 30, 0.0, 1.0));
    // Noise in the week correlation (eight weeks) can only lower it.
    assert!((16..=44).contains(&days), "one draw per day: {days}");
    let weeks = units(&clustered(8, 30, 1.0, 0.0));
    assert_eq!(weeks, 8, "one draw per week");
    let mixed = units(&clustered(8, 30, 0.3, 0.3));
    assert!(weeks < mixed && mixed < own, "{mixed}");
}

#[test]
fn levels_widen_less_as_the_independent_units_grow() {
    assert!((widened_level(0.9, 20) - (0.9 * (20.0 + 1.0 / 3.0) - 2.0 / 3.0) / 19.0).abs() < 1e-12);
    assert!((widened_level(0.1, 20) - (1.0 - widened_level(0.9, 20))).abs() < 1e-12);
    assert!(widened_level(0.9, 10) > widened_level(0.9, 40));
    assert!((widened_level(0.9, 100_000) - 0.9).abs() < 1e-5);
    assert_eq!(widened_level(0.5, 20), 0.5);
    assert_eq!(widened_level(0.9, 1), 0.9);
    assert_eq!(widened_level(0.9, 3), 1.0);
}

#[test]
fn time_of_day_buckets_are_chosen_where_the_spread_differs_by_time_of_day() {
    // 48 intervals a day; errors three times as wide in the morning (first 16).
    let mut e = clustered(8, 48, 0.0, 0.0);
    for x in &mut e {
        if x.slot < 16 {
            x.z *= 3.0;
        }
    }
    let week_days = vec![5; 8];
    let cands = bucket_candidates(48, 30);
    assert_eq!(cands, vec![1, 3, 6, 12, 48]);
    let b = choose_buckets(&e, &week_days, 48, &cands);
    assert!(b > 1, "{b}");
    let all: Vec<&InnerError> = e.iter().collect();
    let fit = fit_parts(&all, 40, 48, b);
    assert!(
        fit.slot_scale[0] > 2.0 * fit.slot_scale[40],
        "{:?}",
        fit.slot_scale
    );
    // The same spread all day: one width.
    let flat = clustered(8, 48, 0.0, 0.0);
    let all: Vec<&InnerError> = flat.iter().collect();
    let fit = fit_parts(&all, 40, 48, 6);
    assert!(
        fit.slot_scale.iter().all(|f| (f - 1.0).abs() < 0.15),
        "{:?}",
        fit.slot_scale
    );
}

#[test]
fn leads_past_the_fitted_weeks_use_the_last_weeks_same_weekday() {
    // One week: d mod 7, as always.
    assert_eq!(lead_index(3, 7), 3);
    assert_eq!(lead_index(17, 7), 3);
    // Two weeks fitted: leads 7 … 13 have their own entries, 14 on repeat the second week.
    assert_eq!(lead_index(9, 14), 9);
    assert_eq!(lead_index(16, 14), 9);
    assert_eq!(lead_index(27, 14), 13);
    let m = IntervalModel {
        levels: LEVELS.to_vec(),
        z: vec![-1.0, 0.0, 0.5, 1.0],
        n: 10,
        lead_scale: (0..14).map(|d| if d < 7 { 1.0 } else { 2.0 }).collect(),
        day_slots: 1,
        slot_scale: Vec::new(),
        buckets: 1,
    };
    // One interval a day, 100 every day for three weeks.
    let q = m.apply(&[100.0; 21]);
    assert_eq!(q[3][6], 110.0); // first week: 100 + 1 · 1 · 10
    assert_eq!(q[3][7], 120.0); // second week: factor 2
    assert_eq!(q[3][20], 120.0); // third week: the second week's
}

#[test]
fn weeks_of_lead_are_capped_at_the_longest_forecast() {
    assert_eq!(MAX_LEAD_WEEKS, 53);
    assert_eq!(lead_weeks(0, 48), 1);
    assert_eq!(lead_weeks(7 * 48, 48), 1);
    assert_eq!(lead_weeks(7 * 48 + 1, 48), 2);
    assert_eq!(inner_len(48, 48), 7 * 48);
    assert_eq!(inner_len(10 * 48, 48), 10 * 48);
}

#[test]
fn a_huge_lead_request_stays_bounded() {
    // Five weeks of hourly counts 8 – 12.
    let mut csv = String::from("interval_start,volume\n");
    for d in 0..35 {
        for h in 0..24 {
            let date =
                chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap() + chrono::Duration::days(d);
            csv.push_str(&format!("{date}T{h:02}:00:00Z,{}\n", 8 + (d * 24 + h) % 5));
        }
    }
    let s = crate::forecast::parse_history("h.csv", &csv, &Default::default()).unwrap();
    let m = IntervalModel::fit_span_with(&s, 8, usize::MAX, |_| Ok(vec![10.0; 14 * 24]))
        .unwrap()
        .unwrap();
    assert_eq!(m.lead_scale.len(), 7 * MAX_LEAD_WEEKS);
    assert!(m.lead_scale.iter().all(|r| r.is_finite() && *r > 0.0));
}

/// Errors of eight weeks × 5 days × 20 intervals: week `w` off by `centre + swing[w]`,
/// plus errors of its own spread evenly over ±3 on each day (mean zero; the pooled
/// errors have one mode, symmetric about `centre` when the swings are).
fn offset_weeks(centre: f64, swing: &[f64; 8]) -> Vec<InnerError> {
    grid(8, 5, 20, |w, _, k| {
        centre + swing[w] + 3.0 * (2.0 * k as f64 - 19.0) / 20.0
    })
}

#[test]
fn the_band_is_centred_on_the_inner_bias_only_as_far_as_it_is_more_than_chance() {
    // Weeks off by 0.2 ± 0.6: a mean error of 0.2 with a standard error of about 0.23, no
    // more than chance: the median is read near zero (uncentred: near 0.2).
    let swing = [0.6, -0.6, 0.6, -0.6, 0.6, -0.6, 0.6, -0.6];
    let e = offset_weeks(0.2, &swing);
    let all: Vec<&InnerError> = e.iter().collect();
    let fit = prepare(&all, 40, 20, 1, true);
    assert!(
        fit.read(0.5, 1.0).abs() < 0.02,
        "median {}",
        fit.read(0.5, 1.0)
    );
    let plain = fit_parts(&all, 40, 20, 1);
    assert!((plain.z[1] - 0.2).abs() < 0.02, "median {:?}", plain.z);
    // Weeks off by 0.2 ± 0.05: a steady bias (t ≈ 10), kept.
    let swing = [0.05, -0.05, 0.05, -0.05, 0.05, -0.05, 0.05, -0.05];
    let e = offset_weeks(0.2, &swing);
    let all: Vec<&InnerError> = e.iter().collect();
    let fit = prepare(&all, 40, 20, 1, true);
    assert!(
        (fit.read(0.5, 1.0) - 0.2).abs() < 0.02,
        "median {}",
        fit.read(0.5, 1.0)
    );
}
