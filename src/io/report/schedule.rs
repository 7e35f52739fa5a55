//! The report's section on a roster of named agents scheduled directly: its objective
//! against its own bound, and the intervals left short with the rule that binds.

use super::svg::esc;
use super::{num, pct};
use crate::evaluate::ScheduleSummary;
use std::fmt::Write;

/// Most short intervals listed in the report (summary.json lists more).
const LISTED: usize = 100;

/// Writes the section when the summary has one.
pub(super) fn schedule_section(out: &mut String, s: Option<&ScheduleSummary>) {
    let Some(s) = s else { return };
    let _ = write!(
        out,
        "<section><h2>Named agents' roster</h2><p class=\"help\">Each agent's shifts were \
         chosen in one optimisation against the requirements (column generation over whole \
         schedules); every agent's contract was checked again by an independent checker. \
         The bound is the LP bound of this roster{}.</p><table><tbody>\
         <tr><th>Objective</th><td>{}</td></tr>\
         <tr><th>Lower bound</th><td>{}</td></tr>\
         <tr><th>Gap to the bound</th><td>{}</td></tr>\
         <tr><th>Shifts' cost</th><td>{}</td></tr>\
         <tr><th>Wishes not granted</th><td>{}</td></tr>\
         <tr><th>Coverage penalties</th><td>{}</td></tr>\
         <tr><th>Agents working / checked</th><td>{} / {}</td></tr>\
         <tr><th>Understaffed queue-intervals</th><td>{}</td></tr>\
         </tbody></table>",
        if s.lp_converged {
            ""
        } else {
            " (the column generation stopped before converging: a valid but weaker bound)"
        },
        num(s.objective, 2),
        num(s.lower_bound, 2),
        pct(Some(s.gap)),
        num(s.shift_cost, 2),
        num(s.wish_penalty, 2),
        num(s.coverage_penalty, 2),
        s.agents_working,
        s.agents_checked,
        s.understaffed_total
    );
    if s.understaffed_total > 0 {
        out.push_str(
            "<h3>Why intervals are short</h3><table><thead><tr><th>Binding rule</th>\
             <th>Intervals</th></tr></thead><tbody>",
        );
        for (reason, n) in &s.understaffed_by_reason {
            let _ = write!(out, "<tr><td>{}</td><td>{n}</td></tr>", esc(reason));
        }
        let _ = write!(
            out,
            "</tbody></table><p class=\"help\">no_skilled_agent: nobody has the skill at a \
             site whose shifts cover the interval; too_few_agents: everyone who could serve it \
             does; the other reasons name the rule that stops most of the agents who could \
             (busy: on another queue or a break then; cost_or_other_rules: no single rule \
             stops them, but the cost, rules together, a site cap, a template's maximum or \
             the budget). The first {LISTED} intervals:</p>\
             <div class=\"scroll\"><table><thead><tr><th>Start (UTC)</th><th>Queue</th>\
             <th>Required</th><th>Scheduled</th><th>Binding rule</th><th>Agents by rule</th>\
             </tr></thead><tbody>"
        );
        for u in s.understaffed.iter().take(LISTED) {
            let by: Vec<String> = u
                .agents_by_reason
                .iter()
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&u.interval_start_utc),
                esc(&u.queue),
                u.required,
                u.scheduled,
                esc(&u.reason),
                esc(&by.join(", "))
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section>");
}
