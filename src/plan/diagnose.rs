//! Explanations of infeasible scenarios, in the user's terms.
//!
//! Before solving, the common causes are checked directly: an interval whose requirement no
//! candidate covers, and an interval whose requirement exceeds what the caps on the sites
//! (or the maximum counts of the templates) that could serve it allow. When the LP still
//! turns out infeasible, an elastic LP (every hard row may fall short, at a price per unit
//! short, under the same caps) finds the rows that cannot be met, and the explanation names
//! the first of them with the caps that bind there.

use super::lp::{self, LpRequest};
use super::model::{CoverKind, Model, PackKind, Sub};
use super::options::Backend;
use super::pace::Pace;
use super::problem::PlanProblem;
use crate::error::Error;
use crate::time::{fmt_local, fmt_utc};
use std::collections::BTreeSet;

/// "interval 2027-03-14T07:00:00Z..07:15:00Z (local: ny 2027-03-14T03:00:00-04:00, ...)".
pub(crate) fn describe_interval(p: &PlanProblem, t: usize, sites: &[usize]) -> String {
    let h = p.horizon();
    let start = h.interval_start(t);
    let local: Vec<String> = sites
        .iter()
        .filter_map(|&s| p.sites.get(s))
        .map(|s| format!("{} {}", s.name, fmt_local(s.local(start))))
        .collect();
    let mut out = format!(
        "interval {} ({}..{} UTC",
        t + 1,
        fmt_utc(start),
        fmt_utc(h.interval_start(t + 1))
    );
    if !local.is_empty() {
        out.push_str(&format!("; local: {}", local.join(", ")));
    }
    out.push(')');
    out
}

fn sites_of_queue(p: &PlanProblem, q: usize) -> Vec<usize> {
    let name = &p.queues[q];
    let set: BTreeSet<usize> = p
        .templates
        .iter()
        .filter(|t| t.serves(name))
        .filter_map(|t| p.sites.iter().position(|s| s.name == t.site))
        .collect();
    set.into_iter().collect()
}

/// Checks the common causes of infeasibility before any solve (hard coverage only).
pub(crate) fn precheck(p: &PlanProblem, m: &Model) -> Result<(), Error> {
    let n_rows = m.cover.len();
    let mut covered_by: Vec<Vec<usize>> = vec![Vec::new(); n_rows];
    for (j, rows) in m.col_cover.iter().enumerate() {
        for &r in rows {
            covered_by[r as usize].push(j);
        }
    }
    for (r, &(kind, rhs, soft)) in m.cover.iter().enumerate() {
        if soft {
            continue;
        }
        let cols = &covered_by[r];
        match kind {
            CoverKind::Demand { queue, t } => {
                let qn = &p.queues[queue];
                if cols.is_empty() {
                    let sites = sites_of_queue(p, queue);
                    let names: Vec<&str> = p
                        .templates
                        .iter()
                        .filter(|t| t.serves(qn))
                        .map(|t| t.name.as_str())
                        .collect();
                    let rule = if names.is_empty() {
                        format!("no shift template serves queue {qn:?}")
                    } else {
                        format!(
                            "no shift of the templates serving it ({}) works then \
                             (start windows, lengths, breaks, cross_midnight)",
                            names.join(", ")
                        )
                    };
                    let site_names: Vec<&str> =
                        sites.iter().map(|&s| p.sites[s].name.as_str()).collect();
                    return Err(Error::Infeasible {
                        explanation: format!(
                            "queue {qn:?} needs {rhs} agent(s) in {} but {rule}; sites serving \
                             the queue: [{}]",
                            describe_interval(p, t, &sites),
                            site_names.join(", ")
                        ),
                    });
                }
                // Upper bound on coverage from caps that hold every covering column.
                let mut by_site: Vec<usize> = cols.iter().map(|&j| p.candidates[j].site).collect();
                by_site.sort_unstable();
                by_site.dedup();
                let mut cap_total = 0u64;
                let mut all_capped = true;
                let mut parts = Vec::new();
                for &s in &by_site {
                    match p.cap(s).and_then(|c| c.max_per_interval) {
                        Some(c) => {
                            cap_total += c as u64;
                            parts.push(format!("{} max_per_interval {c}", p.sites[s].name));
                        }
                        None => all_capped = false,
                    }
                }
                if all_capped && (cap_total as f64) < rhs {
                    return Err(Error::Infeasible {
                        explanation: format!(
                            "queue {qn:?} needs {rhs} agent(s) in {} but the site caps allow \
                             at most {cap_total} on shift then ({})",
                            describe_interval(p, t, &by_site),
                            parts.join(", ")
                        ),
                    });
                }
                let mut tpls: Vec<usize> = cols.iter().map(|&j| p.candidates[j].template).collect();
                tpls.sort_unstable();
                tpls.dedup();
                let maxes: Option<Vec<u32>> =
                    tpls.iter().map(|&i| p.templates[i].max_count).collect();
                if let Some(maxes) = maxes {
                    let total: u64 = maxes.iter().map(|&v| v as u64).sum();
                    if (total as f64) < rhs {
                        let names: Vec<String> = tpls
                            .iter()
                            .zip(&maxes)
                            .map(|(&i, m)| format!("{} max_count {m}", p.templates[i].name))
                            .collect();
                        return Err(Error::Infeasible {
                            explanation: format!(
                                "queue {qn:?} needs {rhs} agent(s) in {} but the templates that \
                                 can cover it allow at most {total} shifts in all ({})",
                                describe_interval(p, t, &by_site),
                                names.join(", ")
                            ),
                        });
                    }
                }
            }
            // Covered by every column of its queues' rows, checked above.
            CoverKind::Union { .. } | CoverKind::Deadline { .. } => {}
            CoverKind::TemplateMin { template } => {
                if cols.is_empty() {
                    let t = &p.templates[template];
                    return Err(Error::Infeasible {
                        explanation: format!(
                            "template {:?} at site {:?} has min_count {rhs} but no start in the \
                             horizon (check its start windows and cross_midnight)",
                            t.name, t.site
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

fn describe_pack(p: &PlanProblem, kind: PackKind, cap: f64) -> String {
    match kind {
        PackKind::SiteInterval { site, t } => format!(
            "site {} max_per_interval {cap} in {}",
            p.sites[site].name,
            describe_interval(p, t, &[site])
        ),
        PackKind::SiteDay { site, date } => format!(
            "site {} max_per_day {cap} on local date {date}",
            p.sites[site].name
        ),
        PackKind::TemplateMax { template } => {
            format!("template {} max_count {cap}", p.templates[template].name)
        }
        PackKind::Budget => format!("budget {cap}"),
    }
}

/// Explains why block `s` has no feasible point.
pub(crate) fn explain(
    p: &PlanProblem,
    m: &Model,
    s: &Sub,
    backend: Backend,
    pace: &Pace<'_>,
) -> Error {
    let req = LpRequest {
        sub: s,
        backend,
        integer: false,
        pace,
        warm_start: None,
        mip_gap: 0.0,
        elastic: true,
    };
    let generic = || Error::Infeasible {
        explanation: "the requirements cannot be met within the caps, budget and template \
                      counts of the scenario"
            .to_string(),
    };
    let Ok(pt) = lp::solve(&req) else {
        return generic();
    };
    let Some((r, short)) = pt
        .shortfall
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 1e-6)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(r, &v)| (r, v))
    else {
        return generic();
    };
    // Pack rows at their cap that hold a column covering row r.
    let mut binding = BTreeSet::new();
    let mut use_ = vec![0.0; s.pack_cap.len()];
    for (j, packs) in s.col_pack.iter().enumerate() {
        for &(k, c) in packs {
            use_[k as usize] += c * pt.x[j];
        }
    }
    for (j, rows) in s.col_cover.iter().enumerate() {
        if rows.contains(&(r as u32)) {
            for &(k, _) in &s.col_pack[j] {
                if use_[k as usize] >= s.pack_cap[k as usize] - 1e-6 {
                    binding.insert(k as usize);
                }
            }
        }
    }
    let rules: Vec<String> = binding
        .iter()
        .take(4)
        .map(|&k| {
            let (kind, cap) = m.pack[s.pack_global[k]];
            describe_pack(p, kind, cap)
        })
        .collect();
    let rules = if rules.is_empty() {
        "the caps and template counts together".to_string()
    } else {
        rules.join("; ")
    };
    let what = match m.cover[s.cover_global[r]] {
        (CoverKind::Demand { queue, t }, rhs, _) => {
            let sites = sites_of_queue(p, queue);
            format!(
                "queue {:?} needs {rhs} agent(s) in {}, but at most {:.2} can be scheduled then",
                p.queues[queue],
                describe_interval(p, t, &sites),
                rhs - short
            )
        }
        (CoverKind::Union { set, t }, rhs, _) => {
            let qs = &p.unions[set].0;
            let mut sites: Vec<usize> = qs.iter().flat_map(|&q| sites_of_queue(p, q)).collect();
            sites.sort_unstable();
            sites.dedup();
            let names: Vec<&str> = qs.iter().map(|&q| p.queues[q].as_str()).collect();
            format!(
                "queues {names:?} together need {rhs} agent(s) able to serve them in {}, but \
                 at most {:.2} can be scheduled then",
                describe_interval(p, t, &sites),
                rhs - short
            )
        }
        (CoverKind::Deadline { row, t }, rhs, _) => {
            let r = &p.deadline_rows[row];
            let q = p.backlogs[r.backlog].queue;
            let sites = sites_of_queue(p, q);
            format!(
                "backlog queue {:?} needs {rhs:.2} agent-intervals able to serve it from {} \
                 to {} to finish its work by the deadline, but at most {:.2} can be scheduled",
                p.queues[q],
                describe_interval(p, r.lo, &sites),
                describe_interval(p, t, &sites),
                rhs - short
            )
        }
        (CoverKind::TemplateMin { template }, rhs, _) => {
            let t = &p.templates[template];
            format!(
                "template {:?} at site {:?} needs min_count {rhs} shifts, but at most {:.2} fit",
                t.name,
                t.site,
                rhs - short
            )
        }
    };
    Error::Infeasible {
        explanation: format!("{what}; binding rule(s): {rules}"),
    }
}
