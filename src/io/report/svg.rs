//! Inline SVG charts for the HTML report, drawn by hand: step lines and areas over the UTC
//! grid, and a Gantt chart of shifts in a site's local day.

use crate::time::Horizon;
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;
use std::fmt::Write;

/// Escapes text for HTML and SVG content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How a series is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A filled step area under a solid line.
    Area,
    /// A solid step line.
    Line,
    /// A dashed step line.
    Dashed,
}

/// One series: a value per interval.
pub struct Series<'a> {
    pub name: String,
    pub color: &'a str,
    pub style: Style,
    pub values: Vec<f64>,
}

/// A chart over the horizon's intervals.
pub struct TimeChart<'a> {
    pub horizon: &'a Horizon,
    /// Zone of the time axis (days and hours are labelled in it; the axis title gives its
    /// UTC offset).
    pub zone: Tz,
    pub title: String,
    pub y_label: &'a str,
    pub y_max: f64,
    pub y_percent: bool,
    pub series: Vec<Series<'a>>,
    /// Intervals to shade (e.g. understaffed), with the legend label.
    pub marks: Option<(Vec<bool>, &'a str)>,
    /// Horizontal reference lines: value, label.
    pub hlines: Vec<(f64, String)>,
    /// Tooltip per interval.
    pub tips: Vec<String>,
}

const W: f64 = 1300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;

/// A round step for about `target` ticks up to `max`.
fn nice_step(max: f64, target: f64) -> f64 {
    let raw = (max / target).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Rounds a chart maximum up to a round number (at least 1).
pub fn nice_max(max: f64) -> f64 {
    let max = if max.is_finite() { max.max(1.0) } else { 1.0 };
    let step = nice_step(max, 5.0);
    (max / step).ceil() * step
}

/// A shaded band between two series (a forecast's prediction interval).
pub struct Band<'a> {
    /// Legend label (`10–90 % band`).
    pub name: String,
    pub color: &'a str,
    /// Lower and upper edge per interval (NaN: no band there).
    pub low: Vec<f64>,
    pub high: Vec<f64>,
}

impl TimeChart<'_> {
    /// The chart as an `<svg>` element, with a legend.
    pub fn render(&self) -> String {
        self.render_with_band(None)
    }

    /// The chart with a shaded `band` drawn under its series.
    pub fn render_with_band(&self, band: Option<&Band<'_>>) -> String {
        let n = self.horizon.len().max(1);
        let h = 280.0;
        let (top, bottom) = (30.0, 48.0);
        let pw = W - LEFT - RIGHT;
        let ph = h - top - bottom;
        let x = |i: usize| LEFT + pw * i as f64 / n as f64;
        let y = |v: f64| {
            let v = if v.is_infinite() { self.y_max } else { v };
            top + ph * (1.0 - (v / self.y_max).clamp(0.0, 1.0))
        };
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
            esc(&self.title)
        );
        // Legend.
        let mut lx = LEFT;
        for se in &self.series {
            let dash = if se.style == Style::Dashed {
                r#" stroke-dasharray="6 3""#
            } else {
                ""
            };
            let _ = write!(
                s,
                r#"<line x1="{lx}" y1="14" x2="{}" y2="14" stroke="{}" stroke-width="3"{dash}/><text x="{}" y="18" class="legend">{}</text>"#,
                lx + 22.0,
                se.color,
                lx + 28.0,
                esc(&se.name)
            );
            lx += 40.0 + 7.5 * se.name.chars().count() as f64;
        }
        if let Some(b) = band {
            let _ = write!(
                s,
                r#"<rect x="{lx}" y="8" width="22" height="12" fill="{}" fill-opacity="0.22"/><text x="{}" y="18" class="legend">{}</text>"#,
                b.color,
                lx + 28.0,
                esc(&b.name)
            );
            lx += 40.0 + 7.5 * b.name.chars().count() as f64;
        }
        if let Some((_, label)) = &self.marks {
            let _ = write!(
                s,
                r#"<rect x="{lx}" y="8" width="14" height="12" class="mark"/><text x="{}" y="18" class="legend">{}</text>"#,
                lx + 20.0,
                esc(label)
            );
        }
        // Y grid and labels.
        let step = nice_step(self.y_max, 5.0);
        let mut v = 0.0;
        while v <= self.y_max + 1e-9 {
            let yy = y(v);
            let label = if self.y_percent {
                format!("{:.0}%", v * 100.0)
            } else {
                format!("{v}")
            };
            let _ = write!(
                s,
                r#"<line x1="{LEFT}" y1="{yy:.1}" x2="{}" y2="{yy:.1}" class="grid"/><text x="{}" y="{:.1}" class="tick" text-anchor="end">{label}</text>"#,
                W - RIGHT,
                LEFT - 6.0,
                yy + 4.0
            );
            v += step;
        }
        let _ = write!(
            s,
            r#"<text transform="translate(14,{:.1}) rotate(-90)" class="axis" text-anchor="middle">{}</text>"#,
            top + ph / 2.0,
            esc(self.y_label)
        );
        // Shaded intervals.
        if let Some((marks, _)) = &self.marks {
            for (i, _) in marks.iter().enumerate().filter(|(_, m)| **m) {
                let _ = write!(
                    s,
                    r#"<rect x="{:.2}" y="{top}" width="{:.2}" height="{ph}" class="mark"/>"#,
                    x(i),
                    (x(i + 1) - x(i)).max(0.6)
                );
            }
        }
        // X ticks: every local midnight of the chart's zone, and minor ticks every 6 local
        // hours. Day labels are thinned so that they never run into each other (at least
        // 90 px apart); hour labels only on horizons of two days or less.
        let per_day = self.horizon.intervals_per_day().max(1);
        let days = (n as f64 / per_day as f64).max(1.0);
        let every = ((90.0 * days / pw).ceil() as usize).max(1);
        let mut day_no = 0usize;
        for i in 0..=self.horizon.len() {
            let t = self.horizon.interval_start(i).with_timezone(&self.zone);
            if t.minute() != 0 || t.hour() % 6 != 0 {
                continue;
            }
            let xx = x(i);
            let major = t.hour() == 0;
            let _ = write!(
                s,
                r#"<line x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{:.1}" class="{}"/>"#,
                top + ph + 5.0,
                if major { "gridx" } else { "grid" }
            );
            let label = if major {
                day_no += 1;
                ((day_no - 1) % every == 0).then(|| t.format("%a %d %b").to_string())
            } else {
                (per_day * 2 >= self.horizon.len()).then(|| t.format("%H:%M").to_string())
            };
            if let (Some(label), true) = (label, i < self.horizon.len()) {
                let _ = write!(
                    s,
                    r#"<text x="{xx:.1}" y="{:.1}" class="tick" text-anchor="middle">{label}</text>"#,
                    top + ph + 18.0
                );
            }
        }
        let start = self.horizon.start().with_timezone(&self.zone);
        let axis = if self.zone == Tz::UTC {
            "Interval start (UTC)".to_string()
        } else {
            format!(
                "Interval start, {} (UTC{} at the start; tooltips give UTC too)",
                self.zone.name(),
                start.format("%:z")
            )
        };
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="axis" text-anchor="middle">{}</text>"#,
            LEFT + pw / 2.0,
            h - 8.0,
            esc(&axis)
        );
        // The band: one closed step polygon per run of intervals where it is defined.
        if let Some(b) = band {
            let mut i = 0;
            let n = b.low.len().min(b.high.len());
            while i < n {
                let ok = |k: usize| b.low[k].is_finite() && b.high[k].is_finite();
                if !ok(i) {
                    i += 1;
                    continue;
                }
                let from = i;
                while i < n && ok(i) {
                    i += 1;
                }
                let mut d = String::new();
                for k in from..i {
                    let yy = y(b.high[k]);
                    if k == from {
                        let _ = write!(d, "M{:.2} {yy:.2}", x(k));
                    } else {
                        let _ = write!(d, "V{yy:.2}");
                    }
                    let _ = write!(d, "H{:.2}", x(k + 1));
                }
                for k in (from..i).rev() {
                    let _ = write!(d, "V{:.2}H{:.2}", y(b.low[k]), x(k));
                }
                let _ = write!(
                    s,
                    r#"<path d="{d}Z" class="band" fill="{}" fill-opacity="0.22" stroke="none"/>"#,
                    b.color
                );
            }
        }
        // Series.
        for se in &self.series {
            // A NaN value (a closed interval) leaves a gap in the line.
            let mut d = String::new();
            let mut pen = false;
            for (i, &v) in se.values.iter().enumerate() {
                if v.is_nan() {
                    pen = false;
                    continue;
                }
                let (x0, x1, yy) = (x(i), x(i + 1), y(v));
                if pen {
                    let _ = write!(d, "V{yy:.2}");
                } else {
                    let _ = write!(d, "M{x0:.2} {yy:.2}");
                }
                pen = true;
                let _ = write!(d, "H{x1:.2}");
            }
            if d.is_empty() {
                continue;
            }
            match se.style {
                Style::Area => {
                    let _ = write!(
                        s,
                        r#"<path d="{d}V{:.2}H{LEFT}Z" fill="{}" fill-opacity="0.25" stroke="none"/><path d="{d}" fill="none" stroke="{}" stroke-width="1.5"/>"#,
                        top + ph,
                        se.color,
                        se.color
                    );
                }
                Style::Line => {
                    let _ = write!(
                        s,
                        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.6"/>"#,
                        se.color
                    );
                }
                Style::Dashed => {
                    let _ = write!(
                        s,
                        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.8" stroke-dasharray="6 3"/>"#,
                        se.color
                    );
                }
            }
        }
        for (v, label) in &self.hlines {
            let yy = y(*v);
            let _ = write!(
                s,
                r#"<line x1="{LEFT}" y1="{yy:.1}" x2="{}" y2="{yy:.1}" class="target"><title>{}</title></line><text x="{}" y="{:.1}" class="tick target-label">{}</text>"#,
                W - RIGHT,
                esc(label),
                LEFT + 6.0,
                yy + 14.0,
                esc(label)
            );
        }
        // Hover targets with tooltips.
        for (i, tip) in self.tips.iter().enumerate() {
            let _ = write!(
                s,
                r#"<rect x="{:.2}" y="{top}" width="{:.2}" height="{ph}" class="hover"><title>{}</title></rect>"#,
                x(i),
                x(i + 1) - x(i),
                esc(tip)
            );
        }
        let _ = write!(
            s,
            r#"<rect x="{LEFT}" y="{top}" width="{pw}" height="{ph}" class="frame"/></svg>"#
        );
        s
    }
}

/// One bar of a Gantt chart.
pub struct Bar {
    pub label: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Breaks: start, end, paid.
    pub breaks: Vec<(DateTime<Utc>, DateTime<Utc>, bool)>,
    pub tip: String,
    pub color: String,
}

/// A Gantt chart of `bars` against a site's local day `[day_start, day_end)`, extended to
/// the end of the latest bar; hour ticks are labelled in local time of `tz`.
pub fn gantt(
    title: &str,
    tz: Tz,
    day_start: DateTime<Utc>,
    day_end: DateTime<Utc>,
    bars: &[Bar],
) -> String {
    let row = if bars.len() > 60 { 12.0 } else { 18.0 };
    let (top, bottom, left) = (16.0, 44.0, 150.0);
    let h = top + bottom + row * bars.len().max(1) as f64;
    let end = bars
        .iter()
        .map(|b| b.end)
        .max()
        .unwrap_or(day_end)
        .max(day_end)
        // Night shifts extend the chart past the day, but never beyond two days: a
        // hand-edited roster may hold an absurdly long shift, whose bar is cut at the edge.
        .min(day_start + Duration::hours(48));
    let begin = bars
        .iter()
        .map(|b| b.start)
        .min()
        .unwrap_or(day_start)
        .min(day_start);
    let span = (end - begin).num_seconds().max(1) as f64;
    let pw = W - left - RIGHT;
    let x =
        |t: DateTime<Utc>| left + pw * ((t - begin).num_seconds() as f64 / span).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    // Hour ticks, every 2 local hours (every hour is labelled at the day's edges only).
    let mut t = begin - Duration::seconds(begin.timestamp().rem_euclid(3600));
    while t <= end {
        if t >= begin {
            let local = t.with_timezone(&tz);
            let xx = x(t);
            let midnight = local.hour() == 0 && local.minute() == 0;
            let _ = write!(
                s,
                r#"<line x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{:.1}" class="{}"/>"#,
                h - bottom + 5.0,
                if midnight { "gridx" } else { "grid" }
            );
            if local.hour() % 2 == 0 || midnight {
                let _ = write!(
                    s,
                    r#"<text x="{xx:.1}" y="{:.1}" class="tick" text-anchor="middle">{}</text>"#,
                    h - bottom + 18.0,
                    local.format("%H:%M")
                );
            }
        }
        t += Duration::hours(1);
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" class="axis" text-anchor="middle">Local time, {} (UTC{} at the start of the day)</text>"#,
        left + pw / 2.0,
        h - 6.0,
        esc(tz.name()),
        day_start.with_timezone(&tz).format("%:z")
    );
    for (k, b) in bars.iter().enumerate() {
        let yy = top + row * k as f64;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="tick" text-anchor="end">{}</text>"#,
            left - 6.0,
            yy + row * 0.72,
            esc(&b.label)
        );
        let _ = write!(
            s,
            r#"<g><title>{}</title><rect x="{:.2}" y="{:.1}" width="{:.2}" height="{:.1}" rx="2" fill="{}"/>"#,
            esc(&b.tip),
            x(b.start),
            yy + 2.0,
            (x(b.end) - x(b.start)).max(1.0),
            row - 4.0,
            b.color
        );
        for (bs, be, paid) in &b.breaks {
            let _ = write!(
                s,
                r#"<rect x="{:.2}" y="{:.1}" width="{:.2}" height="{:.1}" class="{}"/>"#,
                x(*bs),
                yy + 2.0,
                (x(*be) - x(*bs)).max(1.0),
                row - 4.0,
                if *paid { "brk paid" } else { "brk" }
            );
        }
        s.push_str("</g>");
    }
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{:.1}" x2="{}" y2="{:.1}" class="grid"/></svg>"#,
        h - bottom,
        W - RIGHT,
        h - bottom
    );
    s
}
