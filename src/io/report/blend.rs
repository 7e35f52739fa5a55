//! The report's sections for blended (omnichannel) centres: the skill mix of the roster
//! (agent hours per skill group, and per queue the share of its agents that serve several
//! queues) and the backlog curve of each backlog queue (items waiting per interval from the
//! roster's replay, against the deadline line).

use super::svg::{esc, nice_max, Series, Style, TimeChart};
use super::{num, pct, ReportInput, PALETTE};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::fmt::Write;

/// A horizontal bar `share` (0 to 1) of a 160-pixel track, as inline SVG.
fn bar(share: f64, color: &str) -> String {
    let w = (share.clamp(0.0, 1.0) * 160.0).round();
    format!(
        "<svg class=\"bar\" width=\"160\" height=\"12\" viewBox=\"0 0 160 12\" role=\"img\" \
         aria-label=\"{:.0}%\"><rect width=\"160\" height=\"12\" fill=\"#eef0f3\"/>\
         <rect width=\"{w}\" height=\"12\" fill=\"{color}\"/></svg>",
        share * 100.0
    )
}

/// Skill groups (site and template) with their agent hours, and per queue the share of its
/// scheduled agent-intervals given by multi-skill agents; nothing when the coverage has no
/// skill mix (every template serves one queue).
pub(super) fn skill_mix_section(out: &mut String, input: &ReportInput<'_>) {
    let Some(mix) = &input.coverage.skill_mix else {
        return;
    };
    let total: f64 = mix.groups.iter().map(|g| g.agent_hours).sum();
    out.push_str(
        "<section><h2>Skill mix</h2><p class=\"help\">Agent hours each skill group (a \
         template at a site) works over the horizon, on shift and not on a break. Queues are \
         listed in the group's priority order.</p><div class=\"scroll\"><table><thead><tr>\
         <th>Site</th><th>Template</th><th>Queues served</th><th>Agent hours</th>\
         <th>Share of hours</th><th></th></tr></thead><tbody>",
    );
    for g in &mix.groups {
        let share = if total > 0.0 {
            g.agent_hours / total
        } else {
            0.0
        };
        let color = if g.queues.len() > 1 {
            "#7c3aed"
        } else {
            "#2563eb"
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.site),
            esc(&g.template),
            esc(&g.queues.join(", ")),
            num(g.agent_hours, 1),
            pct(Some(share)),
            bar(share, color)
        );
    }
    out.push_str(
        "</tbody></table></div><p class=\"help\">Per queue, the share of its scheduled \
         agent-intervals (coverage.csv's <code>scheduled</code>) given by agents who serve \
         more than one queue.</p><div class=\"scroll\"><table><thead><tr><th>Queue</th>\
         <th>From multi-skill agents</th><th></th></tr></thead><tbody>",
    );
    for (k, q) in input.coverage.queues.iter().enumerate() {
        let share = mix.multi_skill_share.get(k).copied().flatten();
        let _ = write!(
            out,
            "<tr><td><span class=\"swatch\" style=\"background:{c}\"></span>{}</td><td>{}</td>\
             <td>{}</td></tr>",
            esc(&q.name),
            pct(share),
            share.map_or(String::new(), |s| bar(s, PALETTE[k % PALETTE.len()])),
            c = PALETTE[k % PALETTE.len()]
        );
    }
    out.push_str("</tbody></table></div></section>");
}

/// Per backlog queue, the items waiting at each interval's end in the roster's replay, the
/// deadline line (the most items that may wait with none late) and the intervals in which
/// items became late; nothing without backlog queues.
pub(super) fn backlog_section(
    out: &mut String,
    input: &ReportInput<'_>,
    zone: Tz,
    at: &dyn Fn(DateTime<Utc>) -> String,
) {
    let cov = input.coverage;
    if cov.backlog.is_empty() {
        return;
    }
    let h = &cov.horizon;
    out.push_str(
        "<section><h2>Backlog</h2><p class=\"help\">Work of backlog queues (email, tickets) \
         waits until an agent able to serve it has time left after the live queues; it is \
         done first come first served. The area is the items waiting at each interval's end \
         in a replay of the roster; the dashed line is the most that may wait with none of \
         them late (the items that arrived within the deadline). Shaded intervals are where \
         items became late. Hover an interval for its numbers.</p>",
    );
    for c in &cov.backlog {
        let Some(q) = cov.queues.get(c.queue) else {
            continue;
        };
        let k = c.queue;
        let top = c
            .items_waiting
            .iter()
            .chain(&c.items_allowed)
            .fold(0.0f64, |a, &b| a.max(b));
        let value = |v: &Vec<f64>, i: usize| v.get(i).copied().unwrap_or(0.0);
        let tips = (0..h.len())
            .map(|i| {
                format!(
                    "{} {}\nitems waiting {:.1} (at most {:.1} without lateness)\n\
                     became late {:.1}\nwork waiting {:.1} h, done {:.1} h\n\
                     agents left to it {:.1}",
                    q.name,
                    at(h.interval_start(i)),
                    value(&c.items_waiting, i),
                    value(&c.items_allowed, i),
                    value(&c.late_items, i),
                    value(&c.work_waiting_hours, i),
                    value(&c.work_done_hours, i),
                    value(&c.capacity, i)
                )
            })
            .collect();
        let on_time = input.summary.queues.get(k).and_then(|s| s.backlog_on_time);
        let late: f64 = c.late_items.iter().sum();
        let chart = TimeChart {
            horizon: h,
            zone,
            title: format!("{}: backlog items waiting", q.name),
            y_label: "Items",
            y_max: nice_max(top * 1.05),
            y_percent: false,
            series: vec![
                Series {
                    name: "Items waiting".into(),
                    color: PALETTE[k % PALETTE.len()],
                    style: Style::Area,
                    values: c.items_waiting.clone(),
                },
                Series {
                    name: "Deadline line".into(),
                    color: "#111827",
                    style: Style::Dashed,
                    values: c.items_allowed.clone(),
                },
            ],
            marks: Some((
                c.late_items.iter().map(|&x| x > 1e-9).collect(),
                "Items became late",
            )),
            hlines: Vec::new(),
            tips,
        };
        let _ = write!(
            out,
            "<h3>{}</h3><p class=\"dayline\">Deadline {} h ({} intervals) · finished by \
             their deadline: {} of the items due inside the horizon · {} items late · {} \
             handling hours done</p><div class=\"scroll\">{}</div>",
            esc(&q.name),
            num(
                c.deadline_intervals as f64 * f64::from(h.interval_minutes()) / 60.0,
                1
            ),
            c.deadline_intervals,
            pct(on_time),
            num(late, 1),
            num(c.work_done_hours.iter().sum(), 1),
            chart.render()
        );
    }
    out.push_str("</section>");
}
