//! The checks of a scenario's `agents`: names, sites, skills, contracts, days off, wishes
//! and published shifts, each refused with its place (`agents[i].field`).

use super::{hours, site_dates, MAX_REQUEST_WEIGHT};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::time::{Horizon, Site};
use std::collections::{HashMap, HashSet};

/// Checks the scenario's `agents` against its sites, queues, templates and horizon.
pub(crate) fn validate(s: &Scenario, h: &Horizon, sites: &[Site]) -> Result<()> {
    crate::limits::check_time_limit("agents_time_limit_seconds", s.agents_time_limit_seconds)?;
    if s.agents.len() > crate::limits::MAX_NAMED_AGENTS {
        return Err(Error::invalid(
            "agents",
            format!(
                "at most {} named agents, got {}",
                crate::limits::MAX_NAMED_AGENTS,
                s.agents.len()
            ),
        ));
    }
    // Look-ups built once, so that checking tens of thousands of agents against thousands of
    // queues and templates takes linear time.
    let mut names = HashSet::with_capacity(s.agents.len());
    let queues: HashSet<&str> = s.queues.iter().map(|q| q.name.as_str()).collect();
    let mut templates: HashMap<(&str, &str), Vec<&crate::shifts::ShiftTemplate>> = HashMap::new();
    for t in &s.templates {
        templates
            .entry((t.name.as_str(), t.site.as_str()))
            .or_default()
            .push(t);
    }
    let site_of: HashMap<&str, &Site> = sites.iter().rev().map(|x| (x.name.as_str(), x)).collect();
    // Whether some template of the site serves only queues among the skills, per distinct
    // (site, skills) pair.
    let mut workable_for: HashMap<(&str, Vec<&str>), bool> = HashMap::new();
    for (i, a) in s.agents.iter().enumerate() {
        let f = |x: &str| format!("agents[{i}].{x}");
        if a.name.trim().is_empty() {
            return Err(Error::invalid(f("name"), "must not be empty"));
        }
        crate::limits::check_name(&f("name"), &a.name)?;
        if a.name.trim() != a.name {
            // "ft_01 " and "ft_01" would be two agents that read as one in every output.
            return Err(Error::invalid(
                f("name"),
                format!("{:?} has leading or trailing spaces", a.name),
            ));
        }
        if !names.insert(a.name.as_str()) {
            return Err(Error::invalid(
                f("name"),
                format!("duplicate agent {:?}", a.name),
            ));
        }
        let site = site_of.get(a.site.as_str()).copied().ok_or_else(|| {
            Error::invalid(
                f("site"),
                format!("{:?} is not a site of this scenario", a.site),
            )
        })?;
        if let Some(skills) = &a.skills {
            for (k, q) in skills.iter().enumerate() {
                if !queues.contains(q.as_str()) {
                    return Err(Error::invalid(
                        f(&format!("skills[{k}]")),
                        format!("{q:?} is not a queue of this scenario"),
                    ));
                }
            }
            first_seen(&f("skills"), skills)?;
        }
        if a.skills.is_none() && !s.templates.iter().any(|t| t.site == a.site) {
            // As for skills that no template fits: an agent who could work no shift is a
            // mistake (a site typed wrong, templates forgotten), not a silent idle agent.
            return Err(Error::invalid(
                f("site"),
                format!(
                    "no template of site {:?}: the agent could work no shift",
                    a.site
                ),
            ));
        }
        if let Some(skills) = &a.skills {
            // A multi-skill template needs every queue it serves among the agent's skills.
            let mut key: Vec<&str> = skills.iter().map(String::as_str).collect();
            key.sort_unstable();
            key.dedup();
            let workable = *workable_for
                .entry((a.site.as_str(), key))
                .or_insert_with_key(|(site, key)| {
                    s.templates.iter().any(|t| {
                        t.site == *site && t.queues().iter().all(|q| key.binary_search(q).is_ok())
                    })
                });
            if !workable {
                return Err(Error::invalid(
                    f("skills"),
                    format!(
                        "no template of site {:?} serves only queues among {skills:?}: the \
                         agent could work no shift",
                        a.site
                    ),
                ));
            }
        }
        let c = &a.contract;
        let min = hours(&f("contract.min_hours"), c.min_hours)?;
        if let Some(max) = c.max_hours {
            let max_m = hours(&f("contract.max_hours"), max)?;
            if max_m < min {
                return Err(Error::invalid(
                    f("contract.max_hours"),
                    format!("{max} is below min_hours {}", c.min_hours),
                ));
            }
        }
        if c.max_consecutive_days == 0 {
            return Err(Error::invalid(
                f("contract.max_consecutive_days"),
                "must be at least 1",
            ));
        }
        if c.min_consecutive_days > c.max_consecutive_days {
            return Err(Error::invalid(
                f("contract.min_consecutive_days"),
                format!(
                    "{} exceeds max_consecutive_days {}",
                    c.min_consecutive_days, c.max_consecutive_days
                ),
            ));
        }
        hours(&f("contract.min_rest_hours"), c.min_rest_hours)?;
        crate::scenario::schedule::fairness::validate(s, a, i)?;
        let (first, last) = site_dates(h, site);
        first_seen(&f("days_off"), &a.days_off)?;
        for (k, d) in a.days_off.iter().enumerate() {
            if *d < first || *d > last {
                return Err(Error::invalid(
                    f(&format!("days_off[{k}]")),
                    format!(
                        "{d} is outside the horizon ({first} to {last} at site {:?})",
                        a.site
                    ),
                ));
            }
        }
        // Two wishes for the same day off (and template) would be charged twice.
        let wishes: Vec<String> = a
            .off_requests
            .iter()
            .map(|r| match &r.template {
                Some(t) => format!("{} off template {t}", r.date),
                None => format!("{} off", r.date),
            })
            .collect();
        first_seen(&f("off_requests"), &wishes)?;
        for (k, r) in a.off_requests.iter().enumerate() {
            let g = |x: &str| f(&format!("off_requests[{k}].{x}"));
            if r.date < first || r.date > last {
                return Err(Error::invalid(
                    g("date"),
                    format!(
                        "{} is outside the horizon ({first} to {last} at site {:?})",
                        r.date, a.site
                    ),
                ));
            }
            if let Some(t) = &r.template {
                if !templates.contains_key(&(t.as_str(), a.site.as_str())) {
                    return Err(Error::invalid(
                        g("template"),
                        format!("{t:?} is not a template of site {:?}", a.site),
                    ));
                }
            }
            if r.weight == 0 || r.weight > MAX_REQUEST_WEIGHT {
                return Err(Error::invalid(
                    g("weight"),
                    format!("must be 1 to {MAX_REQUEST_WEIGHT}, got {}", r.weight),
                ));
            }
        }
        crate::scenario::schedule::wishes::validate(a, i, first, last)?;
        for (k, fs) in a.fixed_shifts.iter().enumerate() {
            let ok = templates
                .get(&(fs.template.as_str(), a.site.as_str()))
                .is_some_and(|ts| {
                    ts.iter().any(|t| {
                        crate::scenario::schedule::can_work(a.skills.as_deref(), &t.queues())
                    })
                });
            if !ok {
                return Err(Error::invalid(
                    f(&format!("fixed_shifts[{k}].template")),
                    format!(
                        "{:?} is not a template of site {:?} the agent has the skills for",
                        fs.template, a.site
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses an entry of `list` equal to an earlier one (a value given twice is a mistake
/// the user should see, never merged or charged twice in silence); names both places.
pub(crate) fn first_seen<T: Eq + std::hash::Hash + std::fmt::Debug>(
    field: &str,
    list: &[T],
) -> Result<()> {
    let mut seen: HashMap<&T, usize> = HashMap::with_capacity(list.len());
    for (k, x) in list.iter().enumerate() {
        if let Some(j) = seen.insert(x, k) {
            return Err(Error::invalid(
                format!("{field}[{k}]"),
                format!("{x:?} repeats {field}[{j}]"),
            ));
        }
    }
    Ok(())
}
