//! The report's day-by-day parts: the roster of every local day per site behind a day
//! picker (radio buttons and CSS, no script), the table of daily totals, and the planned
//! shifts nobody took.

use super::svg::{esc, gantt, Bar};
use super::{num, pct, ReportInput, PALETTE};
use crate::shifts::ShiftInstance;
use crate::time::{fmt_local, fmt_utc, Site};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt::Write;

fn bar(site: &Site, agent: &str, s: &ShiftInstance, color: &str) -> Bar {
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
        label: agent.to_string(),
        start: s.start,
        end: s.end,
        breaks: s.breaks.iter().map(|b| (b.start, b.end, b.paid)).collect(),
        tip,
        color: color.to_string(),
    }
}

/// The roster section: per site, one Gantt chart per local day with shift starts, shown one
/// at a time by a day picker; the day first shown is `gantt_day` if it has shifts, else
/// the day with the most shift starts (the earliest on a tie).
pub(super) fn roster_section(out: &mut String, input: &ReportInput<'_>) {
    out.push_str("<section><h2>Roster by site</h2>");
    let mut templates: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, sh) in input.roster {
        let n = templates.len();
        templates
            .entry(sh.template.as_str())
            .or_insert(PALETTE[(n + 2) % PALETTE.len()]);
    }
    out.push_str(
        "<p class=\"help\">Pick a local day per site; bars are shifts starting that day, \
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
    let mut css = String::new();
    for (k, site) in input.sites.iter().enumerate() {
        let mut by_day: BTreeMap<NaiveDate, Vec<(&String, &ShiftInstance)>> = BTreeMap::new();
        for (agent, s) in input.roster.iter().filter(|(_, s)| s.site == site.name) {
            by_day
                .entry(site.local(s.start).date_naive())
                .or_default()
                .push((agent, s));
        }
        let _ = write!(
            out,
            "<h3>{} <span class=\"zone\">{}</span></h3>",
            esc(&site.name),
            esc(site.tz.name())
        );
        if by_day.is_empty() {
            out.push_str("<p class=\"help\">No shifts at this site.</p>");
            continue;
        }
        let busiest = by_day
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
            .map(|(d, _)| *d);
        let first = input
            .gantt_day
            .filter(|d| by_day.contains_key(d))
            .or(busiest);
        out.push_str("<div class=\"picker\">");
        for (j, day) in by_day.keys().enumerate() {
            let _ = write!(
                out,
                "<input type=\"radio\" name=\"site{k}\" id=\"s{k}d{j}\" aria-label=\"{}\"{}>",
                day.format("%A %d %B %Y"),
                if Some(*day) == first { " checked" } else { "" }
            );
            let _ = write!(
                css,
                "#s{k}d{j}:checked~.panels>.d{j}{{display:block}}#s{k}d{j}:checked~.days>label[for=s{k}d{j}]{{background:#2563eb;color:#fff;border-color:#2563eb}}"
            );
        }
        out.push_str("<div class=\"days\">");
        for (j, (day, shifts)) in by_day.iter().enumerate() {
            let _ = write!(
                out,
                "<label for=\"s{k}d{j}\" title=\"{} shift{}\">{}</label>",
                shifts.len(),
                if shifts.len() == 1 { "" } else { "s" },
                day.format("%a %d %b")
            );
        }
        out.push_str("</div><div class=\"panels\">");
        for (j, (day, shifts)) in by_day.iter().enumerate() {
            // At most MAX_GANTT_BARS bars per chart (the first by start), so the page
            // stays small however many shifts a day has; a note says what was left out.
            let mut drawn: Vec<&(&String, &ShiftInstance)> = shifts.iter().collect();
            drawn.sort_by(|(a, x), (b, y)| {
                (x.start, x.end, a.as_str()).cmp(&(y.start, y.end, b.as_str()))
            });
            drawn.truncate(super::MAX_GANTT_BARS);
            let bars: Vec<Bar> = drawn
                .iter()
                .map(|(agent, s)| {
                    let color = templates
                        .get(s.template.as_str())
                        .copied()
                        .unwrap_or(PALETTE[0]);
                    bar(site, agent, s, color)
                })
                .collect();
            let start = site.day_start(*day);
            let end = day.succ_opt().map_or(start, |d| site.day_start(d));
            let note = if shifts.len() > bars.len() {
                format!(
                    "<p class=\"help\">The chart draws the first {} of these {} shifts (by \
                     start); roster.csv lists them all.</p>",
                    bars.len(),
                    shifts.len()
                )
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<div class=\"panel d{j}\"><p class=\"dayline\">{} · {} shift{} start this day · {} hours long</p>\
                 {note}<div class=\"scroll\">{}</div></div>",
                day.format("%A %d %B %Y"),
                shifts.len(),
                if shifts.len() == 1 { "" } else { "s" },
                (end - start).num_hours(),
                gantt(&format!("{} roster", site.name), site.tz, start, end, &bars)
            );
        }
        out.push_str("</div></div>");
    }
    let _ = write!(out, "<style>{css}</style></section>");
}

/// Daily totals in the report's zone: contacts, required and scheduled agent-hours,
/// understaffed intervals and the volume-weighted predicted service level.
pub(super) fn daily_table(out: &mut String, input: &ReportInput<'_>, zone: Tz) {
    let cov = input.coverage;
    let h = &cov.horizon;
    let hours = f64::from(h.interval_minutes()) / 60.0;
    // day -> (contacts, required h, scheduled h, understaffed, sl·volume, open volume)
    let mut days: BTreeMap<NaiveDate, (f64, f64, f64, usize, f64, f64)> = BTreeMap::new();
    for i in 0..h.len() {
        let day = h.interval_start(i).with_timezone(&zone).date_naive();
        let e = days.entry(day).or_default();
        for (k, q) in cov.queues.iter().enumerate() {
            let Some(c) = q.cells.get(i) else { continue };
            let v = input
                .extra
                .demands
                .get(k)
                .and_then(|d| d.volume.get(i))
                .copied()
                .unwrap_or(0.0);
            e.0 += v;
            e.1 += f64::from(c.required) * hours;
            e.2 += f64::from(c.scheduled) * hours;
            e.3 += usize::from(c.scheduled < c.required);
            if v > 0.0 {
                e.4 += c.kpi.service_level * v;
                e.5 += v;
            }
        }
    }
    let _ = write!(
        out,
        "<section><h2>Days</h2><p class=\"help\">Totals per local day ({}) over every queue; \
         the service level is weighted by contacts.</p><div class=\"scroll\"><table><thead><tr>\
         <th>Day</th><th>Contacts</th><th>Required (agent-h)</th><th>Scheduled (agent-h)</th>\
         <th>Understaffed intervals</th><th>Service level</th></tr></thead><tbody>",
        esc(zone.name())
    );
    let known = !input.extra.demands.is_empty();
    for (day, (v, req, sch, under, slv, open)) in days {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            day.format("%a %d %b %Y"),
            if known { num(v, 0) } else { "—".into() },
            num(req, 1),
            num(sch, 1),
            under,
            pct((open > 0.0).then(|| slv / open))
        );
    }
    out.push_str("</tbody></table></div></section>");
}

/// The planned shifts no named agent could take, if any.
pub(super) fn unassigned_section(out: &mut String, input: &ReportInput<'_>) {
    let list = input.extra.unassigned;
    if list.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section><h2>Planned shifts nobody took ({})</h2><p class=\"help\">The plan needs \
         these shifts but no named agent could work them within their contracts; they are \
         not in roster.csv, and the coverage above is without them.</p><div class=\"scroll\">\
         <table><thead><tr><th>Site</th><th>Template</th><th>Local start</th><th>Local end</th>\
         <th>Start (UTC)</th></tr></thead><tbody>",
        list.len()
    );
    for s in list {
        let site = input.sites.iter().find(|x| x.name == s.site);
        let local = |t| {
            site.map_or_else(
                || fmt_utc(t),
                |x| x.local(t).format("%a %d %b %H:%M").to_string(),
            )
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.site),
            esc(&s.template),
            esc(&local(s.start)),
            esc(&local(s.end)),
            esc(&fmt_utc(s.start))
        );
    }
    out.push_str("</tbody></table></div></section>");
}

/// Each value replaced by the maximum over its local day (`day_of[i]` is interval `i`'s day).
pub(super) fn daily_peak(day_of: &[NaiveDate], v: &[f64]) -> Vec<f64> {
    let mut peak: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (d, x) in day_of.iter().zip(v) {
        let e = peak.entry(*d).or_insert(f64::NEG_INFINITY);
        *e = e.max(*x);
    }
    day_of
        .iter()
        .map(|d| peak.get(d).copied().unwrap_or(f64::NAN))
        .collect()
}

/// Each value replaced by the `w`-weighted mean over its local day, NaN values left out
/// (a day with none is NaN).
pub(super) fn daily_weighted(day_of: &[NaiveDate], v: &[f64], w: &[f64]) -> Vec<f64> {
    let mut sums: BTreeMap<NaiveDate, (f64, f64)> = BTreeMap::new();
    for ((d, x), wt) in day_of.iter().zip(v).zip(w) {
        if !x.is_nan() && *wt > 0.0 {
            let e = sums.entry(*d).or_default();
            e.0 += x * wt;
            e.1 += wt;
        }
    }
    day_of
        .iter()
        .map(|d| match sums.get(d) {
            Some((s, n)) if *n > 0.0 => s / n,
            _ => f64::NAN,
        })
        .collect()
}
