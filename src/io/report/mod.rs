//! `report.html`: one self-contained page (no scripts, stylesheets, fonts or images from
//! anywhere else) that a support manager can open from disk or attach to an email.
//!
//! It shows the headline numbers (cost, paid hours, gap to the lower bound, predicted
//! service level, understaffed intervals), per queue the required and scheduled agents per
//! interval with understaffed intervals shaded, the predicted service level of every queue
//! per interval against its target, and per site a Gantt chart of the roster for one local
//! day (the caller's choice, or the day with the most shift starts at that site), with a
//! picker for every other day. Blended centres also get the backlog curve of each backlog
//! queue (items waiting per interval in the roster's replay, against the deadline line) and
//! the skill mix (agent hours per skill group; per queue, the share of its agents serving
//! several queues). Charts are inline SVG; hovering any interval or shift shows
//! its numbers (SVG `<title>`). The charts of the horizon are drawn in the report's zone
//! (the first site's unless told), with UTC in their tooltips; a table gives daily totals
//! and another the planned shifts nobody took.

mod blend;
mod days;
mod forecast;
mod schedule;
mod svg;

pub use svg::esc;

use crate::error::{check_fraction, Result};
use crate::evaluate::{AgentShifts, Coverage, QueueDemand, SimulatedCoverage, Summary};
use crate::shifts::ShiftInstance;
use crate::time::{fmt_utc, Site};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::fmt::Write;
use svg::{nice_max, Series, Style, TimeChart};

const PALETTE: [&str; 8] = [
    "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626",
];

/// Everything the report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// Scenario name (the page title).
    pub scenario: &'a str,
    /// Headline numbers.
    pub summary: &'a Summary,
    /// Required, scheduled and predicted KPIs per queue and interval.
    pub coverage: &'a Coverage,
    /// The roster (for the Gantt charts).
    pub roster: &'a AgentShifts,
    /// Sites, with their zones (for local times).
    pub sites: &'a [Site],
    /// Service level target of each queue, as a fraction, in coverage order (`None` when a
    /// queue has no service-level target); each in (0, 1]. May be empty.
    pub service_targets: &'a [Option<f64>],
    /// Local date of the Gantt charts at every site; `None` picks, per site, the local
    /// date with the most shift starts (the earliest on a tie).
    pub gantt_day: Option<NaiveDate>,
    /// When the report was produced.
    pub generated_at: DateTime<Utc>,
    /// Currency, targets in words, unassigned shifts, the zone to draw in, volumes.
    pub extra: ReportExtras<'a>,
}

/// What the report shows beyond the plan's numbers; `ReportExtras::default()` leaves it
/// out.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportExtras<'a> {
    /// Unit of costs (`EUR`), shown with every amount.
    pub currency: Option<&'a str>,
    /// Per queue (coverage order), its targets in words; empty: the service-level target.
    pub targets: &'a [String],
    /// Planned shifts no named agent could take, listed in their own table.
    pub unassigned: &'a [ShiftInstance],
    /// Zone of the charts of the horizon (`None`: the first site's, else UTC).
    pub zone: Option<Tz>,
    /// Volumes per queue and interval (coverage order), for daily totals and to leave
    /// closed intervals out of the service-level chart; may be empty.
    pub demands: &'a [QueueDemand],
    /// Per queue (coverage order), the forecast behind its volume: the volume chart draws
    /// its band when it has quantiles; may be empty.
    pub forecasts: &'a [crate::io::PlannedForecast],
}

/// `n` and the noun, singular or plural: `1 queue`, `2 queues`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    // Thousands separators for the integer part.
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Renders the report page.
///
/// # Errors
///
/// [`Error::Invalid`](crate::Error::Invalid) naming `service_targets[k]` when a service-level
/// target is not a fraction in (0, 1].
pub fn report_html(input: &ReportInput<'_>) -> Result<String> {
    let s = input.summary;
    let cov = input.coverage;
    let h = &cov.horizon;
    let zone = input
        .extra
        .zone
        .or_else(|| input.sites.first().map(|s| s.tz))
        .unwrap_or(Tz::UTC);
    let at = |t: DateTime<Utc>| {
        if zone == Tz::UTC {
            format!("{} UTC", t.format("%a %d %b %H:%M"))
        } else {
            format!(
                "{} {} ({} UTC)",
                t.with_timezone(&zone).format("%a %d %b %H:%M"),
                zone.name(),
                t.format("%a %H:%M")
            )
        }
    };
    let closed = |k: usize, i: usize| {
        input
            .extra
            .demands
            .get(k)
            .and_then(|d| d.volume.get(i))
            .is_some_and(|v| *v <= 0.0)
    };
    for (k, t) in input.service_targets.iter().enumerate() {
        if let Some(t) = t {
            check_fraction(&format!("service_targets[{k}]"), *t)?;
        }
    }
    let mut out = String::new();
    let title = format!("Staffing plan — {}", input.scenario);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{}</style></head><body>",
        esc(&title),
        CSS
    );
    let span = if zone == Tz::UTC {
        format!(
            "{} to {} (UTC)",
            h.start().format("%a %d %b %Y %H:%M"),
            h.end().format("%a %d %b %Y %H:%M")
        )
    } else {
        format!(
            "{} to {} ({}; UTC {} to {})",
            h.start().with_timezone(&zone).format("%a %d %b %Y %H:%M"),
            h.end().with_timezone(&zone).format("%a %d %b %Y %H:%M"),
            zone.name(),
            h.start().format("%d %b %H:%M"),
            h.end().format("%d %b %H:%M")
        )
    };
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{} · {}-minute intervals · {} · {} · generated {}</p></header>",
        esc(&title),
        esc(&span),
        h.interval_minutes(),
        count(cov.queues.len(), "queue", "queues"),
        count(input.sites.len(), "site", "sites"),
        esc(&fmt_utc(input.generated_at))
    );
    // Headline cards.
    let gap = s
        .gap
        .map_or("—".to_string(), |g| format!("{:.2}%", g * 100.0));
    let bound = s.lower_bound.map_or("no bound".to_string(), |b| {
        format!("lower bound {}", num(b, 1))
    });
    let under_class = if s.understaffed_intervals > 0 {
        "card warn"
    } else {
        "card ok"
    };
    let cards = [
        (
            "card",
            "Cost",
            match input.extra.currency {
                Some(c) => format!("{} {}", num(s.cost, 1), c),
                None => num(s.cost, 1),
            },
            match input.extra.currency {
                Some(_) => format!("status: {}", s.status),
                None => format!("status: {} · no currency set", s.status),
            },
        ),
        (
            "card",
            "Paid hours",
            num(s.paid_hours, 1),
            format!("{} shifts, {} agents", s.shifts, s.agents),
        ),
        ("card", "Gap to bound", gap, bound),
        (
            "card",
            "Service level",
            pct(s.service_level),
            format!("predicted, weighted by {} contacts", num(s.volume, 0)),
        ),
        (
            under_class,
            "Understaffed intervals",
            s.understaffed_intervals.to_string(),
            format!("{} agent-hours short", num(s.understaffed_agent_hours, 1)),
        ),
        (
            "card",
            "Overstaffed",
            format!("{} h", num(s.overstaffed_agent_hours, 1)),
            format!(
                "of {} scheduled agent-hours",
                num(s.scheduled_agent_hours, 1)
            ),
        ),
    ];
    out.push_str("<section class=\"cards\">");
    for (class, label, value, note) in cards {
        let _ = write!(
            out,
            "<div class=\"{class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div>\
             <div class=\"note\">{}</div></div>",
            esc(label),
            esc(&value),
            esc(&note)
        );
    }
    out.push_str("</section>");
    warnings_section(&mut out, s);
    // Queue table.
    out.push_str(
        "<section><h2>Queues</h2><div class=\"scroll\"><table><thead><tr><th>Queue</th><th>Contacts</th>\
         <th>Service level</th><th>Target</th><th>ASA</th><th>Understaffed intervals</th>\
         <th>Short (agent-h)</th><th>Over (agent-h)</th></tr></thead><tbody>",
    );
    for (k, q) in s.queues.iter().enumerate() {
        let target = match input.extra.targets.get(k).filter(|t| !t.is_empty()) {
            Some(t) => t.clone(),
            None => pct(input.service_targets.get(k).copied().flatten()),
        };
        let _ = write!(
            out,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            PALETTE[k % PALETTE.len()],
            esc(&q.queue),
            num(q.volume, 0),
            pct(q.service_level),
            esc(&target),
            q.asa_seconds
                .map_or("unbounded".to_string(), |a| format!("{a:.0} s")),
            q.understaffed_intervals,
            num(q.understaffed_agent_hours, 1),
            num(q.overstaffed_agent_hours, 1)
        );
    }
    out.push_str("</tbody></table></div></section>");
    days::daily_table(&mut out, input, zone);
    forecast::volume_section(&mut out, input, zone);
    // On horizons longer than two weeks the lines show daily aggregates (peak agents, the
    // contact-weighted service level of the local day); shading and tooltips stay per
    // interval.
    let daily = h.len() > 14 * h.intervals_per_day();
    let day_of: Vec<NaiveDate> = (0..h.len())
        .map(|i| h.interval_start(i).with_timezone(&zone).date_naive())
        .collect();
    let peak = |v: Vec<f64>| {
        if daily {
            days::daily_peak(&day_of, &v)
        } else {
            v
        }
    };
    // Required vs scheduled per queue.
    out.push_str(
        "<section><h2>Required and scheduled agents</h2><p class=\"help\">Scheduled \
        agents are on shift and not on a break for the whole interval. Shaded intervals have \
        fewer scheduled agents than required. Hover an interval for its numbers.",
    );
    if daily {
        out.push_str(
            " The horizon is longer than two weeks: the lines show each local day's peak.",
        );
    }
    out.push_str("</p>");
    for (k, q) in cov.queues.iter().enumerate() {
        let req: Vec<f64> = peak(q.cells.iter().map(|c| f64::from(c.required)).collect());
        let sch: Vec<f64> = peak(q.cells.iter().map(|c| f64::from(c.scheduled)).collect());
        let top = req.iter().chain(&sch).fold(0.0f64, |a, &b| a.max(b));
        let tips = q
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "{} {}\nrequired {}, scheduled {}\nservice level {}, ASA {}, occupancy {}",
                    q.name,
                    at(h.interval_start(i)),
                    c.required,
                    c.scheduled,
                    pct(Some(c.kpi.service_level)),
                    if c.kpi.asa_seconds.is_finite() {
                        format!("{:.0} s", c.kpi.asa_seconds)
                    } else {
                        "unbounded".to_string()
                    },
                    pct(Some(c.kpi.occupancy))
                )
            })
            .collect();
        let chart = TimeChart {
            horizon: h,
            zone,
            title: format!("{}: required and scheduled agents", q.name),
            y_label: "Agents",
            y_max: nice_max(top * 1.05),
            y_percent: false,
            series: vec![
                Series {
                    name: "Scheduled".into(),
                    color: PALETTE[k % PALETTE.len()],
                    style: Style::Area,
                    values: sch,
                },
                Series {
                    name: "Required".into(),
                    color: "#111827",
                    style: Style::Dashed,
                    values: req,
                },
            ],
            marks: Some((
                q.cells.iter().map(|c| c.scheduled < c.required).collect(),
                "Understaffed",
            )),
            hlines: Vec::new(),
            tips,
        };
        let _ = write!(
            out,
            "<h3>{}</h3><div class=\"scroll\">{}</div>",
            esc(&q.name),
            chart.render()
        );
    }
    out.push_str("</section>");
    // Service level.
    let sl_series = cov
        .queues
        .iter()
        .enumerate()
        .map(|(k, q)| Series {
            name: q.name.clone(),
            color: PALETTE[k % PALETTE.len()],
            style: Style::Line,
            values: {
                let v: Vec<f64> = q
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if closed(k, i) {
                            f64::NAN
                        } else {
                            c.kpi.service_level
                        }
                    })
                    .collect();
                if daily {
                    let w: Vec<f64> = (0..h.len())
                        .map(|i| {
                            input
                                .extra
                                .demands
                                .get(k)
                                .and_then(|d| d.volume.get(i))
                                .copied()
                                .unwrap_or(1.0)
                        })
                        .collect();
                    days::daily_weighted(&day_of, &v, &w)
                } else {
                    v
                }
            },
        })
        .collect();
    let sl_tips = (0..h.len())
        .map(|i| {
            let mut t = at(h.interval_start(i));
            for (k, q) in cov.queues.iter().enumerate() {
                if let Some(c) = q.cells.get(i) {
                    let v = if closed(k, i) {
                        "closed".to_string()
                    } else {
                        pct(Some(c.kpi.service_level))
                    };
                    let _ = write!(t, "\n{}: {}", q.name, v);
                }
            }
            t
        })
        .collect();
    // One reference line per distinct target, naming the queues that share it.
    let mut targets: Vec<(f64, Vec<&str>)> = Vec::new();
    for (q, t) in cov.queues.iter().zip(input.service_targets) {
        if let Some(t) = *t {
            match targets.iter_mut().find(|(v, _)| (*v - t).abs() < 1e-12) {
                Some((_, names)) => names.push(&q.name),
                None => targets.push((t, vec![&q.name])),
            }
        }
    }
    let hlines = targets
        .into_iter()
        .map(|(t, names)| {
            (
                t,
                format!("target {:.0}% ({})", t * 100.0, names.join(", ")),
            )
        })
        .collect();
    let chart = TimeChart {
        horizon: h,
        zone,
        title: "Predicted service level".into(),
        y_label: "Service level",
        y_max: 1.0,
        y_percent: true,
        series: sl_series,
        marks: None,
        hlines,
        tips: sl_tips,
    };
    let _ = write!(
        out,
        "<section><h2>Predicted service level</h2><p class=\"help\">What the queueing model \
         predicts with the scheduled agents in each interval, after shrinkage; closed \
         intervals (no contacts) are left out.{}</p>\
         <div class=\"scroll\">{}</div></section>",
        if daily {
            " The horizon is longer than two weeks: the line shows each local day's \
             contact-weighted service level."
        } else {
            ""
        },
        chart.render()
    );
    blend::backlog_section(&mut out, input, zone, &at);
    blend::skill_mix_section(&mut out, input);
    if let Some(sim) = &cov.simulated {
        simulated_section(&mut out, cov, sim, zone);
    }
    days::unassigned_section(&mut out, input);
    schedule::schedule_section(&mut out, s.schedule.as_ref());
    days::roster_section(&mut out, input);
    out.push_str("<footer>Produced by wfm. Charts of the horizon are drawn in ");
    let _ = writeln!(
        out,
        "{}, their tooltips give UTC too; roster charts use each site's local time.</footer></body></html>",
        esc(zone.name())
    );
    Ok(out)
}

/// Most shifts drawn in one site's Gantt chart (the rest are counted in a note), so that the
/// report of a large roster stays small enough to open.
pub const MAX_GANTT_BARS: usize = 300;

/// Most roster warnings listed in the report (all are in `summary.json`).
const MAX_REPORT_WARNINGS: usize = 50;

/// A short list of the problems `wfm evaluate --lenient` found in the roster, if any.
fn warnings_section(out: &mut String, s: &crate::evaluate::Summary) {
    if s.warnings_total == 0 {
        return;
    }
    let _ = write!(
        out,
        "<section><h2>Roster warnings</h2><p class=\"help\">{} problem(s) in the roster, \
         evaluated as written (<code>--lenient</code>); summary.json lists up to {}.</p><ul>",
        s.warnings_total,
        crate::evaluate::MAX_LISTED_WARNINGS
    );
    for w in s.warnings.iter().take(MAX_REPORT_WARNINGS) {
        let _ = write!(
            out,
            "<li>line {} · {}: {}</li>",
            w.line,
            esc(&w.rule),
            esc(&w.message)
        );
    }
    if s.warnings_total > MAX_REPORT_WARNINGS {
        let _ = write!(
            out,
            "<li>… and {} more</li>",
            s.warnings_total - MAX_REPORT_WARNINGS
        );
    }
    out.push_str("</ul></section>");
}

const CSS: &str = "
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc}
*{box-sizing:border-box}
body{margin:0;padding:28px 36px;background:var(--bg);color:var(--ink);
 font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
header h1{margin:0 0 4px;font-size:26px}
.sub{margin:0 0 18px;color:var(--muted)}
h2{font-size:19px;margin:28px 0 6px}
h3{font-size:15px;margin:18px 0 4px}
.zone{font-weight:400;color:var(--muted);font-size:13px}
.help{color:var(--muted);margin:0 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px;
 border-top:4px solid #2563eb}
.card.warn{border-top-color:#dc2626}.card.ok{border-top-color:#059669}
.label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.value{font-size:26px;font-weight:650;margin:2px 0}
.note{color:var(--muted);font-size:12px}
table{border-collapse:collapse;background:#fff;border:1px solid var(--line)}
th,td{padding:6px 12px;border-bottom:1px solid var(--line);text-align:right}
th:first-child,td:first-child{text-align:left}
th{font-size:12px;color:var(--muted);font-weight:600}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin:0 6px 0 0;vertical-align:-1px}
.scroll{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:10px;padding:6px}
svg.chart{display:block;font-family:inherit;max-width:100%;height:auto}
svg .grid{stroke:#eef0f3;stroke-width:1}
svg .gridx{stroke:#9ca3af;stroke-width:1}
svg .frame{fill:none;stroke:#d1d5db}
svg .tick{font-size:11px;fill:#4b5563}
svg .axis{font-size:12px;fill:#374151;font-weight:600}
svg .legend{font-size:12px;fill:#111827}
svg .mark{fill:#dc2626;fill-opacity:.16}
svg .target{stroke:#dc2626;stroke-width:1.2;stroke-dasharray:3 3}
svg .target-label{fill:#b91c1c;font-weight:600}
svg .hover{fill:transparent}
svg .hover:hover{fill:#11182714}
svg .brk{fill:#fff;fill-opacity:.85}
svg .brk.paid{fill:#fff;fill-opacity:.5}
svg.bar{display:inline-block;vertical-align:middle}
footer{margin-top:30px;color:var(--muted);font-size:12px}
.picker>input{position:absolute;opacity:0;pointer-events:none}
.days{display:flex;flex-wrap:wrap;gap:4px;margin:4px 0 8px}
.days label{border:1px solid var(--line);background:#fff;border-radius:6px;padding:3px 8px;
 cursor:pointer;font-size:12px;white-space:nowrap}
.panels>.panel{display:none}
.dayline{margin:0 0 4px;color:var(--muted)}
.scroll>table{border:0}
@media (max-width:700px){body{padding:12px 10px}header h1{font-size:20px}
 .cards{grid-template-columns:repeat(2,1fr);gap:8px}.value{font-size:20px}
 th,td{padding:4px 6px;white-space:nowrap}
 svg.chart{max-width:none;width:860px}}
";

/// Per queue, the predicted and the simulated service level per interval (`--simulate`).
fn simulated_section(out: &mut String, cov: &Coverage, sim: &SimulatedCoverage, zone: Tz) {
    let h = &cov.horizon;
    let _ = write!(
        out,
        "<section><h2>Predicted and simulated service level</h2><p class=\"help\">The \
         queueing model's prediction (solid) beside the mean of {} simulated replications \
         (dashed; seed {}), contact by contact with carry-over between intervals. Hover an \
         interval for the 95 % interval of the simulation.</p>",
        sim.replications, sim.seed
    );
    for (k, q) in cov.queues.iter().enumerate() {
        let Some(row) = sim.service_level.get(k) else {
            continue;
        };
        let simulated: Vec<f64> = (0..h.len())
            .map(|i| row.get(i).and_then(|v| v.mean).unwrap_or(f64::NAN))
            .collect();
        let tips = (0..h.len())
            .map(|i| {
                let v = row.get(i).copied().unwrap_or_default();
                format!(
                    "{} {} {} ({} UTC)\npredicted {}\nsimulated {} (95 % interval {} to {})",
                    q.name,
                    h.interval_start(i)
                        .with_timezone(&zone)
                        .format("%a %d %b %H:%M"),
                    zone.name(),
                    h.interval_start(i).format("%H:%M"),
                    pct(q.cells.get(i).map(|c| c.kpi.service_level)),
                    pct(v.mean),
                    pct(v.ci_low),
                    pct(v.ci_high)
                )
            })
            .collect();
        let chart = TimeChart {
            horizon: h,
            zone,
            title: format!("{}: predicted and simulated service level", q.name),
            y_label: "Service level",
            y_max: 1.0,
            y_percent: true,
            series: vec![
                Series {
                    name: "Predicted".into(),
                    color: PALETTE[k % PALETTE.len()],
                    style: Style::Line,
                    values: q.cells.iter().map(|c| c.kpi.service_level).collect(),
                },
                Series {
                    name: "Simulated".into(),
                    color: "#111827",
                    style: Style::Dashed,
                    values: simulated,
                },
            ],
            marks: None,
            hlines: Vec::new(),
            tips,
        };
        let _ = write!(
            out,
            "<h3>{}</h3><div class=\"scroll\">{}</div>",
            esc(&q.name),
            chart.render()
        );
    }
    out.push_str("</section>");
}
