//! Templates that can never give a shift in the plan, told to the user rather than
//! dropped in silence.
//!
//! A template is accepted when it is valid, whether or not the horizon has room for it: the
//! same template list serves many horizons (a Monday-only template on a weekend, a night
//! template beside a queue open in the day only). But a template that cannot give a single
//! useful shift is usually a mistake (a ten-hour shift that may not cross midnight and
//! starts at 20:00, a window on a day the horizon does not hold), so
//! [`PlanProblem::unusable_templates`] names each such template with the reason, and a
//! scenario lists them as warnings in `summary.json` and on the command line. Two reasons:
//!
//! * **no shift**: the template has no candidate in the horizon: no start of its windows
//!   falls inside it, or every start would run past local midnight with `cross_midnight`
//!   false;
//! * **never needed**: every candidate works only in intervals where no queue the template
//!   serves needs an agent (a live queue's requirement is 0; a backlog queue has no work
//!   arrived and not yet due). A template with a `min_count` is used whatever the demand
//!   and is not reported for this (nor, by a scenario, with named agents, whose minimum
//!   hours may be met with such shifts); one with `max_count` 0 is switched off on purpose
//!   and is not reported at all.

use super::problem::PlanProblem;
use crate::shifts::{expand, ShiftTemplate};

/// A template that can never give a useful shift, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusableTemplate {
    /// Index of the template in the problem's (and the scenario's) template list.
    pub index: usize,
    /// The template's name.
    pub name: String,
    /// Which of the two reasons.
    pub kind: UnusableKind,
    /// Why no plan can use it, in words.
    pub reason: String,
}

/// Why a template can never give a useful shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnusableKind {
    /// No candidate in the horizon: no start of its windows inside it, or none that may
    /// run past local midnight.
    NoShift,
    /// Candidates, but none working while a queue it serves needs an agent. Named agents
    /// with minimum hours may still work such shifts.
    NeverNeeded,
}

impl UnusableTemplate {
    /// The field path of the template: `templates[i]`.
    pub fn field(&self) -> String {
        format!("templates[{}]", self.index)
    }
}

impl std::fmt::Display for UnusableTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({:?}): {}", self.field(), self.name, self.reason)
    }
}

impl PlanProblem {
    /// The templates that can never give a useful shift in this problem, in template order
    /// (see the module docs of `plan::unusable` and `docs/scenario.md`): no candidate in
    /// the horizon, or no candidate working while a queue it serves needs agents (with
    /// backlog queues declared, [`PlanProblem::with_backlog`], their work and deadline count
    /// instead of a requirement). Templates with `max_count` 0 are left out; so are those
    /// with a `min_count` when only the demand rules them out.
    pub fn unusable_templates(&self) -> Vec<UnusableTemplate> {
        let n = self.horizon.len();
        // needed[q][t]: queue q can use an agent in interval t.
        let mut needed: Vec<Vec<bool>> = self
            .requirements
            .iter()
            .map(|r| r.iter().map(|&x| x > 0).collect())
            .collect();
        for b in &self.backlogs {
            let mut open = vec![false; n];
            for (i, &w) in b.work.iter().enumerate() {
                if w > 0.0 {
                    let end = (i + b.deadline).min(n);
                    open[i..end].iter_mut().for_each(|x| *x = true);
                }
            }
            needed[b.queue] = open;
        }
        let mut has_candidate = vec![false; self.templates.len()];
        let mut useful = vec![false; self.templates.len()];
        for c in &self.candidates {
            has_candidate[c.template] = true;
            if !useful[c.template] {
                useful[c.template] = self.served[c.template]
                    .iter()
                    .any(|&q| c.working.iter().any(|&t| needed[q][t]));
            }
        }
        let mut out = Vec::new();
        for (k, t) in self.templates.iter().enumerate() {
            if t.max_count == Some(0) {
                continue;
            }
            let (kind, reason) = if !has_candidate[k] {
                (UnusableKind::NoShift, self.no_shift_reason(t))
            } else if !useful[k] && t.min_count.unwrap_or(0) == 0 {
                let reason = format!(
                    "none of its shifts works while {} needs an agent (every interval it could \
                     work has no requirement{})",
                    queue_list(t),
                    if t.queues()
                        .iter()
                        .any(|q| self.backlogs.iter().any(|b| self.queues[b.queue] == *q))
                    {
                        " and no backlog work waiting"
                    } else {
                        ""
                    }
                );
                (UnusableKind::NeverNeeded, reason)
            } else {
                continue;
            };
            out.push(UnusableTemplate {
                index: k,
                name: t.name.clone(),
                kind,
                reason,
            });
        }
        out
    }

    /// Why template `t` has no candidate in the horizon.
    fn no_shift_reason(&self, t: &ShiftTemplate) -> String {
        let mut free = t.clone();
        free.cross_midnight = true;
        let crossing = expand(
            &self.horizon,
            &self.sites,
            std::slice::from_ref(&free),
            self.rules.cyclic,
        )
        .map_or(0, |c| c.len());
        if crossing > 0 && !t.cross_midnight {
            format!(
                "no shift fits in the horizon: every start of its windows is followed by {} \
                 minutes that run past local midnight at site {:?}, and cross_midnight is false",
                t.span_minutes(),
                t.site
            )
        } else {
            format!(
                "no shift fits in the horizon: no start of its windows (days and times at site \
                 {:?}) falls between {} and {}",
                t.site,
                crate::time::fmt_utc(self.horizon.start()),
                crate::time::fmt_utc(self.horizon.end())
            )
        }
    }
}

/// "queue \"email\"" or "any of queues \"a\", \"b\"".
fn queue_list(t: &ShiftTemplate) -> String {
    let qs = t.queues();
    if qs.len() == 1 {
        format!("queue {:?}", qs[0])
    } else {
        let names: Vec<String> = qs.iter().map(|q| format!("{q:?}")).collect();
        format!("any of queues {}", names.join(", "))
    }
}
