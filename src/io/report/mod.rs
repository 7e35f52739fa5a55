//! `report.html`: one self-contained page (no scripts, stylesheets, fonts or images from
//! anywhere else) that a support manager can open from disk or attach to an email.
//!
//! It shows the headline numbers (cost, paid hours, gap to the lower bound, predicted
//! service level, understaffed intervals), per queue the required and scheduled agents per
//! interval with understaffed intervals shaded, the predicted service level of every queue
//! per interval against its target, and per site a Gantt chart of the roster for one local
//! day (the caller's choice, or the day with the most shift starts at that site). Charts
//! are inline SVG; hovering any interval or shift shows its numbers (SVG `<title>`).

mod svg;

pub use svg::esc;

use crate::error::{check_fraction, Result};
use crate::evaluate::{Coverage, Roster, SimulatedCoverage, Summary};
use crate::time::{fmt_local, fmt_utc, Site};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::fmt::Write;
use svg::{gantt, nice_max, Bar, Series, Style, TimeChart};

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
    pub roster: &'a Roster,
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
pub fn report_html(input: &ReportInput<'_>) -> Result<String> {
    let s = input.summary;
    let cov = input.coverage;
    let h = &cov.horizon;
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
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{} to {} (UTC) · {}-minute intervals · {} queues · {} \
         sites · generated {}</p></header>",
        esc(&title),
        h.start().format("%a %d %b %Y %H:%M"),
        h.end().format("%a %d %b %Y %H:%M"),
        h.interval_minutes(),
        cov.queues.len(),
        input.sites.len(),
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
            num(s.cost, 1),
            format!("status: {}", s.status),
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
    // Queue table.
    out.push_str(
        "<section><h2>Queues</h2><table><thead><tr><th>Queue</th><th>Contacts</th>\
         <th>Service level</th><th>Target</th><th>ASA</th><th>Understaffed intervals</th>\
         <th>Short (agent-h)</th><th>Over (agent-h)</th></tr></thead><tbody>",
    );
    for (k, q) in s.queues.iter().enumerate() {
        let target = input.service_targets.get(k).copied().flatten();
        let _ = write!(
            out,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            PALETTE[k % PALETTE.len()],
            esc(&q.queue),
            num(q.volume, 0),
            pct(q.service_level),
            pct(target),
            q.asa_seconds
                .map_or("unbounded".to_string(), |a| format!("{a:.0} s")),
            q.understaffed_intervals,
            num(q.understaffed_agent_hours, 1),
            num(q.overstaffed_agent_hours, 1)
        );
    }
    out.push_str("</tbody></table></section>");
    // Required vs scheduled per queue.
    out.push_str(
        "<section><h2>Required and scheduled agents</h2><p class=\"help\">Scheduled \
        agents are on shift and not on a break for the whole interval. Shaded intervals have \
        fewer scheduled agents than required. Hover an interval for its numbers.</p>",
    );
    for (k, q) in cov.queues.iter().enumerate() {
        let req: Vec<f64> = q.cells.iter().map(|c| f64::from(c.required)).collect();
        let sch: Vec<f64> = q.cells.iter().map(|c| f64::from(c.scheduled)).collect();
        let top = req.iter().chain(&sch).fold(0.0f64, |a, &b| a.max(b));
        let tips = q
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "{} {} UTC\nrequired {}, scheduled {}\nservice level {}, ASA {}, occupancy {}",
                    q.name,
                    h.interval_start(i).format("%a %d %b %H:%M"),
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
            values: q.cells.iter().map(|c| c.kpi.service_level).collect(),
        })
        .collect();
    let sl_tips = (0..h.len())
        .map(|i| {
            let mut t = format!("{} UTC", h.interval_start(i).format("%a %d %b %H:%M"));
            for q in &cov.queues {
                if let Some(c) = q.cells.get(i) {
                    let _ = write!(t, "\n{}: {}", q.name, pct(Some(c.kpi.service_level)));
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
         predicts with the scheduled agents in each interval, after shrinkage.</p>\
         <div class=\"scroll\">{}</div></section>",
        chart.render()
    );
    if let Some(sim) = &cov.simulated {
        simulated_section(&mut out, cov, sim);
    }
    // Gantt per site.
    out.push_str("<section><h2>Roster by site</h2>");
    let mut templates: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, sh) in input.roster {
        let n = templates.len();
        templates
            .entry(sh.template.as_str())
            .or_insert(PALETTE[(n + 2) % PALETTE.len()]);
    }
    out.push_str(
        "<p class=\"help\">One local day per site; bars are shifts starting that day, \
        white gaps are unpaid breaks, pale gaps paid breaks. Colours by template: ",
    );
    for (t, c) in &templates {
        let _ = write!(
            out,
            "<span class=\"swatch\" style=\"background:{c}\"></span>{} ",
            esc(t)
        );
    }
    out.push_str("</p>");
    for site in input.sites {
        let shifts: Vec<&(String, crate::shifts::ShiftInstance)> = input
            .roster
            .iter()
            .filter(|(_, s)| s.site == site.name)
            .collect();
        let day = match input.gantt_day {
            Some(d) => Some(d),
            None => {
                let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
                for (_, s) in &shifts {
                    *per_day.entry(site.local(s.start).date_naive()).or_default() += 1;
                }
                per_day
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(d, _)| *d)
            }
        };
        let Some(day) = day else {
            let _ = write!(
                out,
                "<h3>{} <span class=\"zone\">{}</span></h3><p class=\"help\">No shifts at this site.</p>",
                esc(&site.name),
                esc(site.tz.name())
            );
            continue;
        };
        let mut bars: Vec<Bar> = shifts
            .iter()
            .filter(|(_, s)| site.local(s.start).date_naive() == day)
            .map(|(agent, s)| {
                let mut tip = format!(
                    "{agent}: {} shift\n{} to {}\n{} to {} UTC\npaid {} min",
                    s.template,
                    fmt_local(site.local(s.start)),
                    fmt_local(site.local(s.end)),
                    fmt_utc(s.start),
                    fmt_utc(s.end),
                    s.paid_minutes()
                );
                for b in &s.breaks {
                    let _ = write!(
                        tip,
                        "\nbreak {}–{}{}",
                        site.local(b.start).format("%H:%M"),
                        site.local(b.end).format("%H:%M"),
                        if b.paid { " (paid)" } else { "" }
                    );
                }
                Bar {
                    label: agent.clone(),
                    start: s.start,
                    end: s.end,
                    breaks: s.breaks.iter().map(|b| (b.start, b.end, b.paid)).collect(),
                    tip,
                    color: templates
                        .get(s.template.as_str())
                        .copied()
                        .unwrap_or(PALETTE[0])
                        .to_string(),
                }
            })
            .collect();
        bars.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(a.end.cmp(&b.end))
                .then(a.label.cmp(&b.label))
        });
        let start = site.day_start(day);
        let end = day.succ_opt().map_or(start, |d| site.day_start(d));
        let _ = write!(
            out,
            "<h3>{} <span class=\"zone\">{} · {} · {} shifts start this day · {} hours long</span></h3>\
             <div class=\"scroll\">{}</div>",
            esc(&site.name),
            esc(site.tz.name()),
            day.format("%A %d %B %Y"),
            bars.len(),
            (end - start).num_hours(),
            gantt(&format!("{} roster", site.name), site.tz, start, end, &bars)
        );
    }
    out.push_str(
        "</section><footer>Produced by wfm. All times in charts of the horizon are UTC; \
        roster charts use each site's local time.</footer></body></html>\n",
    );
    Ok(out)
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
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}
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
footer{margin-top:30px;color:var(--muted);font-size:12px}
";

/// Per queue, the predicted and the simulated service level per interval (`--simulate`).
fn simulated_section(out: &mut String, cov: &Coverage, sim: &SimulatedCoverage) {
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
                    "{} {} UTC\npredicted {}\nsimulated {} (95 % interval {} to {})",
                    q.name,
                    h.interval_start(i).format("%a %d %b %H:%M"),
                    pct(q.cells.get(i).map(|c| c.kpi.service_level)),
                    pct(v.mean),
                    pct(v.ci_low),
                    pct(v.ci_high)
                )
            })
            .collect();
        let chart = TimeChart {
            horizon: h,
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
