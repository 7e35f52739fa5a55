//! The report's volume chart: per queue, the contacts the plan staffed, the mean forecast
//! and, when the forecast has quantiles, its band from the lowest to the highest quantile
//! (10 % to 90 % for the forecasts `wfm` makes).

use super::svg::{esc, nice_max, Band, Series, Style, TimeChart};
use super::{days, num, ReportInput, PALETTE};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::fmt::Write;

/// `10 %` for 0.1.
fn level(l: f64) -> String {
    let p = l * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0} %")
    } else {
        format!("{p} %")
    }
}

/// Appends the "Contacts offered" section: one chart per queue with a volume.
pub(super) fn volume_section(out: &mut String, input: &ReportInput<'_>, zone: Tz) {
    let demands = input.extra.demands;
    if demands.is_empty() {
        return;
    }
    let h = &input.coverage.horizon;
    let n = h.len();
    let daily = n > 14 * h.intervals_per_day();
    let day_of: Vec<NaiveDate> = (0..n)
        .map(|i| h.interval_start(i).with_timezone(&zone).date_naive())
        .collect();
    let shape = |v: Vec<f64>| {
        if daily {
            days::daily_peak(&day_of, &v)
        } else {
            v
        }
    };
    let any_band = input.extra.forecasts.iter().any(|f| f.band().is_some());
    out.push_str(
        "<section><h2>Contacts offered</h2><p class=\"help\">The volume each queue was \
         staffed for, per interval.",
    );
    if any_band {
        out.push_str(
            " Where the forecast has quantiles, the shaded band runs from its lowest to its \
             highest quantile (10 % to 90 % for forecasts made by wfm: about 8 intervals in 10 \
             should fall inside it), and the line marked <em>forecast (mean)</em> is the mean \
             when the plan staffs a quantile.",
        );
    }
    if daily {
        out.push_str(
            " The horizon is longer than two weeks: the lines show each local day's peak interval.",
        );
    }
    out.push_str("</p>");
    for (k, d) in demands.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let f = input.extra.forecasts.get(k);
        let planned = shape(d.volume.clone());
        let mut series = vec![Series {
            name: match f.and_then(|f| f.quantile) {
                Some(q) => format!("staffed ({} quantile)", level(q)),
                None => "staffed".to_string(),
            },
            color,
            style: Style::Line,
            values: planned.clone(),
        }];
        let mean = f
            .filter(|f| f.volume.len() == n && f.volume != d.volume)
            .map(|f| shape(f.volume.clone()));
        if let Some(m) = &mean {
            series.push(Series {
                name: "forecast (mean)".to_string(),
                color: "#111827",
                style: Style::Dashed,
                values: m.clone(),
            });
        }
        let band = f
            .and_then(|f| f.band())
            .filter(|(lo, hi)| lo.1.len() == n && hi.1.len() == n);
        let band = band.map(|((l, lo), (u, hi))| Band {
            name: format!("{}–{} band", level(l).trim_end_matches(" %"), level(u)),
            color,
            low: shape(lo.to_vec()),
            high: shape(hi.to_vec()),
        });
        let top = planned
            .iter()
            .chain(mean.iter().flatten())
            .chain(band.iter().flat_map(|b| b.high.iter()))
            .fold(0.0f64, |a, &b| if b.is_finite() { a.max(b) } else { a });
        let tips = (0..n)
            .map(|i| {
                let t = h.interval_start(i);
                let mut s = format!(
                    "{} {} ({} UTC)\nstaffed {}",
                    d.name,
                    t.with_timezone(&zone).format("%a %d %b %H:%M"),
                    t.format("%H:%M"),
                    num(d.volume.get(i).copied().unwrap_or(0.0), 1)
                );
                if let Some(f) = f {
                    if let Some(m) = f.volume.get(i).filter(|_| mean.is_some()) {
                        let _ = write!(s, ", forecast {}", num(*m, 1));
                    }
                    if let Some(((l, lo), (u, hi))) = f.band() {
                        if let (Some(a), Some(b)) = (lo.get(i), hi.get(i)) {
                            let _ = write!(
                                s,
                                "\n{}: {} to {}: {}",
                                level(l),
                                level(u),
                                num(*a, 1),
                                num(*b, 1)
                            );
                        }
                    }
                    let date = t.with_timezone(&zone).date_naive();
                    for (_, label) in f.special_days.iter().filter(|(x, _)| *x == date) {
                        let _ = write!(s, "\nspecial day: {label}");
                    }
                }
                s
            })
            .collect();
        let mut title = d.name.clone();
        if let Some(m) = f.and_then(|f| f.method.as_deref()) {
            let _ = write!(title, " (forecast from history, {m})");
        }
        let chart = TimeChart {
            horizon: h,
            zone,
            title: format!("{}: contacts offered", d.name),
            y_label: "Contacts",
            y_max: nice_max(top * 1.05),
            y_percent: false,
            series,
            marks: None,
            hlines: Vec::new(),
            tips,
        };
        let _ = write!(
            out,
            "<h3>{}</h3><div class=\"scroll\">{}</div>",
            esc(&title),
            chart.render_with_band(band.as_ref())
        );
        if let Some(f) = f.filter(|f| !f.special_days.is_empty()) {
            let mut days: Vec<&(NaiveDate, String)> = f.special_days.iter().collect();
            days.sort();
            let list: Vec<String> = days
                .iter()
                .map(|(date, label)| format!("{} {label}", date.format("%a %d %b %Y")))
                .collect();
            let _ = write!(
                out,
                "<p class=\"help\">Special days: {}.</p>",
                esc(&list.join(", "))
            );
        }
    }
    out.push_str("</section>");
}
