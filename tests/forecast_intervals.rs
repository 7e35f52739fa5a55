//! Calibration of the prediction intervals on a series whose noise is known: Poisson
//! counts around a fixed weekly pattern. The forecast error of a k-week mean is then the
//! Poisson draw plus the mean's own error, both independent between intervals, so the
//! 80 % band must cover close to 80 % of the actuals: a band that treats every day (or
//! week) as one draw, or ignores the noise, is too wide or too narrow and fails here.
//!
//! Skewed counts (means of a few calls): each side of the band, read from the errors on
//! its own side, must miss its own 10 %.
//!
//! Leads of a week or more: a forecast whose error grows in its second week must get a
//! wider band there, as wide as the second week's own errors.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use wfm::forecast::{
    backtest, forecast, method_by_name, parse_history, BacktestOptions, ForecastGrid,
    HistoryFormat, IntervalModel, Method, Series,
};

/// splitmix64, enough for test noise.
struct Rng(u64);
impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// Poisson draw with mean `lambda` (inversion: walks the cumulative probabilities).
    fn poisson(&mut self, lambda: f64) -> u64 {
        let u = self.uniform();
        let (mut k, mut p) = (0u64, (-lambda).exp());
        let mut cum = p;
        while cum < u && k < 10_000 {
            k += 1;
            p *= lambda / k as f64;
            cum += p;
        }
        k
    }
}

/// Mean calls of half-hour `slot` (0 = 08:00 UTC, … 23) on day `d` (0 = Monday).
fn pattern(d: i64, slot: u32) -> f64 {
    let wd = [1.2, 1.0, 1.0, 0.95, 0.9, 0.6, 0.5][d.rem_euclid(7) as usize];
    let x = f64::from(slot) / 23.0;
    wd * (20.0 + 160.0 * (-(x - 0.3).powi(2) / 0.05).exp())
}

/// First day of the synthetic series (a Monday).
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
}

/// 30 weeks of every day 08:00 – 20:00 UTC (24 half-hours), mean 20 – 180 calls by time
/// of day and weekday, Poisson counts.
fn poisson_csv(seed: u64) -> String {
    poisson_csv_scaled(seed, 1.0)
}

/// As [`poisson_csv`], with every mean times `scale`.
fn poisson_csv_scaled(seed: u64, scale: f64) -> String {
    let mut rng = Rng(seed);
    let start = first_day();
    let mut s = String::from("interval_start,volume\n");
    for d in 0..30 * 7 {
        let date = start + Duration::days(d);
        for slot in 0..24 {
            let lambda = scale * pattern(d, slot);
            s.push_str(&format!(
                "{date}T{:02}:{:02}:00Z,{}\n",
                8 + slot / 2,
                (slot % 2) * 30,
                rng.poisson(lambda)
            ));
        }
    }
    s
}

#[test]
fn the_80_percent_band_covers_80_percent_of_poisson_counts() {
    let s = parse_history("poisson.csv", &poisson_csv(11), &HistoryFormat::default()).unwrap();
    for name in ["weekday_mean", "seasonal_naive"] {
        let bt = backtest(
            &s,
            &[method_by_name(name).unwrap()],
            BacktestOptions {
                horizon_minutes: 7 * 1440,
                folds: 12,
            },
        )
        .unwrap();
        let cov: Vec<f64> = bt
            .results
            .iter()
            .filter(|r| r.horizon == "7d")
            .filter_map(|r| r.intervals.map(|i| i.coverage80))
            .collect();
        assert_eq!(cov.len(), 12, "{name}");
        let mean = cov.iter().sum::<f64>() / cov.len() as f64;
        eprintln!("{name}: 80 % band coverage {mean:.1} % over 12 folds");
        assert!(
            (77.0..=83.0).contains(&mean),
            "{name}: coverage {mean:.1} {cov:?}"
        );
    }
}

/// A forecaster that knows the pattern and misses it by independent noise of
/// `noise[w] · √λ` in the `w`-th week after its origin (a deterministic draw per origin and
/// interval): its errors grow with the lead exactly as set.
struct NoisyOracle {
    noise: [f64; 2],
}

impl NoisyOracle {
    /// Standard normal draw for (origin, instant): Box–Muller on two hashed uniforms.
    fn normal(origin: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
        let mut r = Rng(
            (origin.timestamp() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ t.timestamp() as u64,
        );
        let (u, v) = (r.uniform(), r.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

impl Method for NoisyOracle {
    fn name(&self) -> &'static str {
        "noisy_oracle"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> wfm::Result<Vec<f64>> {
        let origin = target.horizon.start();
        let week = 7 * history.day_slots();
        Ok((0..target.len())
            .map(|k| {
                let t = target.horizon.interval_start(k);
                let d = (t.date_naive() - first_day()).num_days();
                let (h, m) = (t.hour(), t.minute());
                if !(8..20).contains(&h) {
                    return 0.0;
                }
                let lambda = pattern(d, (h - 8) * 2 + m / 30);
                let c = self.noise[(k / week).min(1)];
                (lambda + c * lambda.sqrt() * Self::normal(origin, t)).max(0.0)
            })
            .collect())
    }
}

#[test]
fn the_second_week_band_is_as_wide_as_the_second_weeks_errors() {
    let s = parse_history("poisson.csv", &poisson_csv(5), &HistoryFormat::default()).unwrap();
    let ds = s.day_slots();
    let week = 7 * ds;
    let oracle = NoisyOracle { noise: [0.5, 1.5] };
    // Scaled errors: sd √(1 + 0.25) ≈ 1.12 in the first week, √(1 + 2.25) ≈ 1.80 in the
    // second: the first week's widths leave the second week covered far below 80 %.
    let (mut inside, mut n, mut width) = ([0usize; 2], [0usize; 2], [0.0f64; 2]);
    let mut inside_reused = 0usize;
    for f in 0..12 {
        let origin = s.len() - (12 - f) * week - week;
        let train = s.truncate(origin).unwrap();
        let two = forecast(&train, &oracle, 2 * week, Some(300.0)).unwrap();
        let one = forecast(&train, &oracle, week, Some(300.0)).unwrap();
        // Up to seven days nothing changes: the first week of the two-week forecast is the
        // one-week forecast, band included.
        for ((l1, q1), (l2, q2)) in one.quantiles.iter().zip(&two.quantiles) {
            assert_eq!(l1, l2);
            assert_eq!(q1[..], q2[..week]);
        }
        // The same band from the model itself; and the band the first week's widths give
        // (a one-week model: lead d uses d mod 7), the rule before leads of a week or more
        // had their own.
        let model = IntervalModel::fit_horizon(&train, &oracle, 8, 2 * week)
            .unwrap()
            .unwrap();
        assert_eq!(model.apply(&two.volume)[3], two.quantiles[3].1);
        let mut first_only = model.clone();
        first_only.lead_scale.truncate(7);
        let reused = first_only.apply(&two.volume);
        let (lo, hi) = (&two.quantiles[0].1, &two.quantiles[3].1);
        for k in 0..2 * week {
            let Some(y) = s.volume(origin + k) else {
                continue;
            };
            if two.volume[k] <= 0.0 {
                continue;
            }
            let w = k / week;
            n[w] += 1;
            width[w] += hi[k] - lo[k];
            if lo[k] <= y && y <= hi[k] {
                inside[w] += 1;
            }
            if w == 1 && reused[0][k] <= y && y <= reused[3][k] {
                inside_reused += 1;
            }
        }
    }
    let reused_cov = 100.0 * inside_reused as f64 / n[1] as f64;
    eprintln!("second week with the first week's widths: coverage {reused_cov:.1} %");
    assert!(reused_cov < 70.0, "{reused_cov:.1}");
    let cov: Vec<f64> = (0..2)
        .map(|w| 100.0 * inside[w] as f64 / n[w] as f64)
        .collect();
    let mean_width: Vec<f64> = (0..2).map(|w| width[w] / n[w] as f64).collect();
    eprintln!("80 % band by week of lead: coverage {cov:.1?} %, mean width {mean_width:.1?}");
    assert!(
        mean_width[1] > 1.3 * mean_width[0],
        "second week {:.1} vs first {:.1}",
        mean_width[1],
        mean_width[0]
    );
    for (w, c) in cov.iter().enumerate() {
        assert!((77.0..=83.0).contains(c), "week {}: coverage {c:.1}", w + 1);
    }
    // The model itself: fourteen lead factors, the second week's about 1.8 / 1.12 = 1.6
    // times the first's on the days with data (every day here).
    let m = IntervalModel::fit_horizon(&s, &oracle, 8, 2 * week)
        .unwrap()
        .unwrap();
    assert_eq!(m.lead_scale.len(), 14);
    let (a, b): (f64, f64) = (
        m.lead_scale[..7].iter().sum(),
        m.lead_scale[7..].iter().sum(),
    );
    assert!((1.4..1.9).contains(&(b / a)), "{:?}", m.lead_scale);
}

#[test]
fn a_method_whose_error_does_not_grow_keeps_its_width_and_coverage_at_14_days() {
    // weekday_mean forecasts both weeks alike from the same weeks of Poisson counts: the
    // second week's errors are as wide as the first's, and so is its band.
    let s = parse_history("poisson.csv", &poisson_csv(11), &HistoryFormat::default()).unwrap();
    let bt = backtest(
        &s,
        &[method_by_name("weekday_mean").unwrap()],
        BacktestOptions {
            horizon_minutes: 14 * 1440,
            folds: 6,
        },
    )
    .unwrap();
    let cov: Vec<f64> = bt
        .results
        .iter()
        .filter(|r| r.horizon == "14d")
        .filter_map(|r| r.intervals.map(|i| i.coverage80))
        .collect();
    assert_eq!(cov.len(), 6);
    let mean = cov.iter().sum::<f64>() / cov.len() as f64;
    eprintln!("weekday_mean: 80 % band coverage {mean:.1} % over 6 two-week folds");
    assert!((77.0..=83.0).contains(&mean), "coverage {mean:.1} {cov:?}");
}

#[test]
fn every_lead_of_a_long_forecast_gets_a_band() {
    let s = parse_history("poisson.csv", &poisson_csv(3), &HistoryFormat::default()).unwrap();
    let ds = s.day_slots();
    let m = method_by_name("weekday_mean").unwrap();
    // Ten days: the second week of lead holds three days; a year: 53 weeks of lead, of
    // which the 30 weeks of history reach the first 27 (an origin needs three weeks of
    // training data before it); later ones repeat the 27th.
    for days in [10usize, 366] {
        let len = days * ds;
        let fc = forecast(&s, m.as_ref(), len, Some(300.0)).unwrap();
        assert_eq!(fc.quantiles.len(), 4);
        for k in 0..len {
            let (lo, hi) = (fc.quantiles[0].1[k], fc.quantiles[3].1[k]);
            assert!(
                lo <= fc.volume[k] && fc.volume[k] <= hi,
                "{days} d, interval {k}"
            );
            assert_eq!(fc.volume[k] > 0.0, hi > lo, "{days} d, interval {k}");
        }
        let model = IntervalModel::fit_horizon(&s, m.as_ref(), 8, len)
            .unwrap()
            .unwrap();
        let weeks = days.div_ceil(7);
        assert_eq!(model.lead_scale.len(), 7 * weeks);
        assert!(model.lead_scale.iter().all(|r| r.is_finite() && *r > 0.0));
        if weeks == 53 {
            assert_ne!(
                model.lead_scale[7 * 26..7 * 27],
                model.lead_scale[7 * 25..7 * 26]
            );
            for w in 27..53 {
                assert_eq!(
                    model.lead_scale[7 * w..7 * w + 7],
                    model.lead_scale[7 * 26..7 * 27]
                );
            }
        }
    }
}

#[test]
fn each_side_of_the_band_misses_its_share_on_skewed_counts() {
    // Means of 1 – 22 calls: the Poisson counts are skewed (a long upper tail), and each
    // side of the band is read from the errors on its own side. Below p10 and above p90
    // must each hold about 10 % of the actuals (12 weekly origins, `weekday_mean`).
    let s = parse_history(
        "poisson.csv",
        &poisson_csv_scaled(17, 0.1),
        &HistoryFormat::default(),
    )
    .unwrap();
    let week = 7 * s.day_slots();
    let m = method_by_name("weekday_mean").unwrap();
    let (mut below, mut above, mut n) = (0usize, 0usize, 0usize);
    // The same band made symmetric about the median (the lower side as wide as the upper).
    let mut below_mirrored = 0usize;
    for f in 0..12 {
        let origin = s.len() - (12 - f) * week;
        let train = s.truncate(origin).unwrap();
        let fc = forecast(&train, m.as_ref(), week, Some(300.0)).unwrap();
        let (lo, mid, hi) = (&fc.quantiles[0].1, &fc.quantiles[1].1, &fc.quantiles[3].1);
        for k in 0..week {
            let Some(y) = s.volume(origin + k) else {
                continue;
            };
            if fc.volume[k] <= 0.0 {
                continue;
            }
            n += 1;
            below_mirrored += usize::from(y < 2.0 * mid[k] - hi[k]);
            below += usize::from(y < lo[k]);
            above += usize::from(y > hi[k]);
        }
    }
    let (b, a) = (
        100.0 * below as f64 / n as f64,
        100.0 * above as f64 / n as f64,
    );
    let bm = 100.0 * below_mirrored as f64 / n as f64;
    eprintln!(
        "skewed counts: {b:.1} % below p10, {a:.1} % above p90 ({n} intervals); \
         {bm:.1} % below a band symmetric about the median"
    );
    assert!((7.0..=13.0).contains(&b), "below p10: {b:.1} %");
    assert!((7.0..=13.0).contains(&a), "above p90: {a:.1} %");
    // The skew is strong enough to matter: a band as wide below the median as above it
    // would miss far fewer than 10 % below.
    assert!(bm < 7.0, "below the mirrored band: {bm:.1} %");
}
