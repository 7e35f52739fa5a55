//! The planning problem as the user describes it: horizon, sites, templates, requirements
//! and rules (coverage mode, caps, budget).

use crate::error::{check_non_negative, Error, Result};
use crate::shifts::{expand, Candidate, ShiftTemplate};
use crate::time::{Horizon, Site};
use serde::{Deserialize, Serialize};

/// How coverage is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CoverageMode {
    /// Every interval must have at least the required agents working (the default).
    #[default]
    Hard,
    /// Coverage may fall short or exceed the requirement at a price per agent-interval.
    Soft {
        /// Penalty per missing agent per interval.
        under_penalty: f64,
        /// Penalty per surplus agent per interval.
        over_penalty: f64,
    },
}

/// Caps on one site. Headcount counts agents on shift, breaks included (they hold seats).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteCap {
    /// The site's name.
    pub site: String,
    /// At most this many agents on shift at the site in any interval; default none.
    #[serde(default)]
    pub max_per_interval: Option<u32>,
    /// At most this many shifts starting on any one local date at the site; default none.
    #[serde(default)]
    pub max_per_day: Option<u32>,
}

/// Rules of the plan beyond the templates.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRules {
    /// Hard or soft coverage; default hard.
    #[serde(default)]
    pub coverage: CoverageMode,
    /// Caps per site; default none.
    #[serde(default)]
    pub site_caps: Vec<SiteCap>,
    /// Upper bound on the total cost of the shifts; default none.
    #[serde(default)]
    pub budget: Option<f64>,
    /// Treat the horizon as a repeating cycle: a shift running past its end covers its
    /// first intervals (textbook daily cyclic models). Default `false`.
    #[serde(default)]
    pub cyclic: bool,
}

/// A validated planning problem with its candidates expanded.
#[derive(Debug, Clone)]
pub struct PlanProblem {
    pub(crate) horizon: Horizon,
    pub(crate) sites: Vec<Site>,
    pub(crate) templates: Vec<ShiftTemplate>,
    pub(crate) queues: Vec<String>,
    pub(crate) requirements: Vec<Vec<u32>>,
    pub(crate) rules: PlanRules,
    pub(crate) candidates: Vec<Candidate>,
    /// Per template, the queues it serves (indices into `queues`).
    pub(crate) served: Vec<Vec<usize>>,
    /// Linked sets of queues (see `skills`) with their requirement per interval.
    pub(crate) unions: Vec<(Vec<usize>, Vec<u32>)>,
    /// Backlog queues with their work and deadline (see `backlog`).
    pub(crate) backlogs: Vec<super::backlog::BacklogWork>,
    /// Deadline rows of the backlog queues.
    pub(crate) deadline_rows: Vec<super::backlog::DeadlineRow>,
}

impl PlanProblem {
    /// Validates the input and expands the templates into candidates.
    ///
    /// `requirements` holds, per queue, the agents required per horizon interval (aligned
    /// with `horizon`, one value per interval). Every template's queue must be listed.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `sites[i].name` or `templates[i].name` when a name is repeated;
    /// `requirements[i].queue` when a queue is repeated; `requirements[i].required` when its length
    /// differs from the horizon's; `templates[i].queue` or `templates[i].skills[k].queue` when a
    /// template serves a queue with no requirement or lists one twice; `templates[i].skills` when
    /// skills link more than [`MAX_LINKED_QUEUES`](crate::plan::MAX_LINKED_QUEUES) queues into one
    /// group; `coverage.mode` when soft coverage meets a multi-skill template;
    /// `coverage.under_penalty`, `coverage.over_penalty` or `budget` when negative or not finite;
    /// `site_caps[i].site` when the site is unknown or capped twice; and the errors of
    /// [`crate::shifts::expand()`] for the templates (each named `templates[i].…`).
    pub fn new(
        horizon: Horizon,
        sites: Vec<Site>,
        templates: Vec<ShiftTemplate>,
        requirements: Vec<(String, Vec<u32>)>,
        rules: PlanRules,
    ) -> Result<Self> {
        for (i, s) in sites.iter().enumerate() {
            if sites[..i].iter().any(|o| o.name == s.name) {
                return Err(Error::invalid(
                    format!("sites[{i}].name"),
                    format!("duplicate site {:?}", s.name),
                ));
            }
        }
        for (i, t) in templates.iter().enumerate() {
            if templates[..i].iter().any(|o| o.name == t.name) {
                return Err(Error::invalid(
                    format!("templates[{i}].name"),
                    format!("duplicate template {:?}", t.name),
                ));
            }
        }
        let mut queues = Vec::new();
        let mut reqs = Vec::new();
        for (i, (q, r)) in requirements.into_iter().enumerate() {
            if queues.contains(&q) {
                return Err(Error::invalid(
                    format!("requirements[{i}].queue"),
                    format!("duplicate queue {q:?}"),
                ));
            }
            if r.len() != horizon.len() {
                return Err(Error::invalid(
                    format!("requirements[{i}].required"),
                    format!(
                        "has {} values but the horizon has {} intervals",
                        r.len(),
                        horizon.len()
                    ),
                ));
            }
            queues.push(q);
            reqs.push(r);
        }
        let mut served = Vec::with_capacity(templates.len());
        for (i, t) in templates.iter().enumerate() {
            let mut qs = Vec::new();
            for (k, q) in t.queues().into_iter().enumerate() {
                let field = if t.skills.is_empty() {
                    format!("templates[{i}].queue")
                } else {
                    format!("templates[{i}].skills[{k}].queue")
                };
                let Some(x) = queues.iter().position(|n| n == q) else {
                    return Err(Error::invalid(
                        field,
                        format!("queue {q:?} has no requirement"),
                    ));
                };
                if qs.contains(&x) {
                    return Err(Error::invalid(
                        field,
                        format!("queue {q:?} is listed twice"),
                    ));
                }
                qs.push(x);
            }
            if qs.len() > 1 && matches!(rules.coverage, CoverageMode::Soft { .. }) {
                return Err(Error::invalid(
                    "coverage.mode",
                    format!(
                        "soft coverage is not supported with multi-skill templates \
                         (templates[{i}] serves {} queues); use hard coverage",
                        qs.len()
                    ),
                ));
            }
            served.push(qs);
        }
        let unions = super::skills::linked_sets(&served, queues.len())?
            .into_iter()
            .map(|set| {
                let sum = (0..horizon.len())
                    .map(|t| set.iter().map(|&q| reqs[q][t]).sum())
                    .collect();
                (set, sum)
            })
            .collect();
        if let CoverageMode::Soft {
            under_penalty,
            over_penalty,
        } = rules.coverage
        {
            check_non_negative("coverage.under_penalty", under_penalty)?;
            check_non_negative("coverage.over_penalty", over_penalty)?;
        }
        for (i, c) in rules.site_caps.iter().enumerate() {
            if !sites.iter().any(|s| s.name == c.site) {
                return Err(Error::invalid(
                    format!("site_caps[{i}].site"),
                    format!("unknown site {:?}", c.site),
                ));
            }
            if rules.site_caps[..i].iter().any(|o| o.site == c.site) {
                return Err(Error::invalid(
                    format!("site_caps[{i}].site"),
                    format!("second cap entry for site {:?}", c.site),
                ));
            }
        }
        if let Some(b) = rules.budget {
            check_non_negative("budget", b)?;
        }
        let candidates = expand(&horizon, &sites, &templates, rules.cyclic)?;
        Ok(PlanProblem {
            horizon,
            sites,
            templates,
            queues,
            requirements: reqs,
            rules,
            candidates,
            served,
            unions,
            backlogs: Vec::new(),
            deadline_rows: Vec::new(),
        })
    }

    /// The unions of queues that multi-skill templates link (each a set of two or more
    /// queue names, in requirement order), in the order [`PlanProblem::with_pooled`]
    /// accepts them. Empty when every template serves one queue.
    pub fn pooled_sets(&self) -> Vec<Vec<String>> {
        self.unions
            .iter()
            .map(|(set, _)| set.iter().map(|&q| self.queues[q].clone()).collect())
            .collect()
    }

    /// Replaces the requirement of linked sets of queues (by default the sum of their
    /// queues' requirements) with pooled requirements: agents working per interval whose
    /// templates serve at least one queue of the set. Each entry names one of
    /// [`PlanProblem::pooled_sets`] (any order of its names) and gives one value per
    /// interval. The planner applies each value as given, capped by the sum.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `pooled[i].queues` when a name is not a queue of the problem or
    /// the set is not one of [`PlanProblem::pooled_sets`], or `pooled[i].required` when its length
    /// differs from the horizon's.
    pub fn with_pooled(mut self, pooled: Vec<(Vec<String>, Vec<u32>)>) -> Result<Self> {
        for (i, (names, values)) in pooled.into_iter().enumerate() {
            let mut set = Vec::with_capacity(names.len());
            for n in &names {
                let q = self.queues.iter().position(|x| x == n).ok_or_else(|| {
                    Error::invalid(
                        format!("pooled[{i}].queues"),
                        format!("unknown queue {n:?}"),
                    )
                })?;
                set.push(q);
            }
            set.sort_unstable();
            set.dedup();
            let Some(u) = self.unions.iter_mut().find(|(s, _)| *s == set) else {
                return Err(Error::invalid(
                    format!("pooled[{i}].queues"),
                    format!("{names:?} is not a set of queues linked by the templates"),
                ));
            };
            if values.len() != u.1.len() {
                return Err(Error::invalid(
                    format!("pooled[{i}].required"),
                    format!(
                        "has {} values but the horizon has {} intervals",
                        values.len(),
                        u.1.len()
                    ),
                ));
            }
            for (slot, v) in u.1.iter_mut().zip(values) {
                *slot = (*slot).min(v);
            }
        }
        Ok(self)
    }

    /// Requirement per interval of each linked set of queues (names, values), as the
    /// planner applies it.
    pub fn pooled_requirements(&self) -> Vec<(Vec<String>, &[u32])> {
        self.pooled_sets()
            .into_iter()
            .zip(self.unions.iter().map(|(_, r)| r.as_slice()))
            .collect()
    }

    /// The planning grid.
    pub fn horizon(&self) -> &Horizon {
        &self.horizon
    }

    /// The sites.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The templates.
    pub fn templates(&self) -> &[ShiftTemplate] {
        &self.templates
    }

    /// The rules.
    pub fn rules(&self) -> &PlanRules {
        &self.rules
    }

    /// Queue names with their required agents per interval.
    pub fn requirements(&self) -> impl Iterator<Item = (&str, &[u32])> {
        self.queues
            .iter()
            .map(String::as_str)
            .zip(self.requirements.iter().map(Vec::as_slice))
    }

    /// The expanded candidates.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The queues candidate `c` serves (indices into the requirements).
    pub(crate) fn served_by(&self, c: &Candidate) -> &[usize] {
        &self.served[c.template]
    }

    pub(crate) fn cap(&self, site: usize) -> Option<&SiteCap> {
        let name = &self.sites[site].name;
        self.rules.site_caps.iter().find(|c| &c.site == name)
    }
}
