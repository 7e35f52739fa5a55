//! Queueing formulas: Erlang B, Erlang C and Erlang A, service targets, shrinkage and chat
//! concurrency. Nothing else lives here.
//!
//! # Models
//!
//! * **Erlang B** ([`erlang_b`]): blocked contacts are lost (trunks, overflow).
//! * **Erlang C** ([`Model::ErlangC`], M/M/N): everyone waits as long as it takes.
//!   `P(wait) = C(N, A)`, `SL(t) = 1 − C · e^{−(N−A) t / AHT}`, `ASA = C · AHT / (N − A)`,
//!   occupancy `A / N`. With `N ≤ A` the queue grows without bound: SL 0, ASA infinite.
//! * **Erlang A** ([`Model::ErlangA`], M/M/N+M): callers abandon after an exponential
//!   patience. With patience, fewer agents than the load in Erlangs may meet a target.
//!
//! # Service-level definition
//!
//! The service level is the fraction of **all offered** contacts answered within the
//! threshold. For Erlang C every contact is answered eventually, so "of offered" and "of
//! answered" agree. For Erlang A an abandoned contact counts as *not answered in time*,
//! whenever it abandons; ASA is the mean time in queue over all offered contacts (an
//! abandoned contact's wait counts). Some tools instead report SL of answered contacts only,
//! which is higher; compare with care.
//!
//! # Staffing
//!
//! [`Staffing::solve`] returns the smallest number of productive agents `N` that meets every
//! target at once, then converts it into scheduled agents with shrinkage:
//! `scheduled = ⌈N / (1 − shrinkage)⌉`. Comparisons are exact up to floating-point noise:
//! a target is met when it is met within `1e-12` (so `19.2 / 24 = 0.8` meets an 80 %
//! occupancy cap), and a quotient within `1e-9` of an integer is that integer (so
//! `21 / (1 − 0.3)` is 30, not 31).
//!
//! The Erlang C search is incremental: it starts from the Erlang B value at `⌊A⌋` (a direct
//! sum of about `9√A` terms) and steps one agent at a time from there, so a search costs
//! `O(√A)` and works from 0.01 to 10⁶ Erlangs. The Erlang A search brackets the answer by
//! galloping from the Erlang C answer and bisects.
//!
//! # Chat concurrency
//!
//! An agent who handles up to `k` chat sessions at once is modelled as `k` independent
//! servers (slots): the queue is M/M/(kN) (or M/M/(kN)+M) in sessions, where AHT is the
//! duration of one session *as handled at concurrency k* (longer than a one-at-a-time
//! session). Occupancy is the busy fraction of slots. This assumes sessions are independent
//! and that an agent's speed does not depend on how many sessions are open; where it does,
//! give the AHT measured at the usual concurrency.

mod abandonment;
mod erlang;
mod search;

use crate::error::{check_fraction, check_non_negative, Error, Result};
use crate::limits::{self, check_range};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Tolerance for "target met" comparisons.
const MEET_TOL: f64 = 1e-12;
/// Tolerance for "this quotient is an integer".
const INT_TOL: f64 = 1e-9;

/// Erlang B blocking probability with `servers` and `erlangs` of offered load (at most
/// [`limits::MAX_ERLANGS`] Erlangs and [`limits::MAX_AGENTS`] × [`limits::MAX_CONCURRENCY`]
/// servers).
///
/// # Errors
///
/// [`Error::Invalid`] naming `erlangs` when the load is not a finite number in `[0,
/// `[`limits::MAX_ERLANGS`]`]`, or naming `servers` when there are more than [`limits::MAX_AGENTS`]
/// × [`limits::MAX_CONCURRENCY`] servers.
pub fn erlang_b(servers: u64, erlangs: f64) -> Result<f64> {
    check_load(servers, erlangs)?;
    Ok(erlang::ErlangB::at(servers, erlangs).blocking())
}

/// Erlang C probability of waiting with `servers` and `erlangs` of offered load (1 when the
/// load reaches the servers); the limits of [`erlang_b`].
///
/// # Errors
///
/// [`Error::Invalid`] naming `erlangs` or `servers`, as for [`erlang_b`].
pub fn erlang_c(servers: u64, erlangs: f64) -> Result<f64> {
    check_load(servers, erlangs)?;
    if erlangs == 0.0 {
        return Ok(0.0);
    }
    Ok(erlang::ErlangB::at(servers, erlangs).wait_probability())
}

/// Checks the arguments of [`erlang_b`] and [`erlang_c`] against the input limits.
fn check_load(servers: u64, erlangs: f64) -> Result<()> {
    check_range("erlangs", erlangs, 0.0, limits::MAX_ERLANGS, " Erlangs")?;
    let max = u64::from(limits::MAX_AGENTS) * u64::from(limits::MAX_CONCURRENCY);
    if servers > max {
        return Err(Error::invalid(
            "servers",
            format!("must be at most {max}, got {servers}"),
        ));
    }
    Ok(())
}

/// Contacts offered in a period and their average handle time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    volume: f64,
    period_seconds: f64,
    aht_seconds: f64,
}

impl Workload {
    /// `volume` contacts offered over `period_seconds`, each taking `aht_seconds` to handle.
    /// Volume may be 0 (a quiet interval). Every value must be within the limits of
    /// [`crate::limits`]: the period from 60 s to a day, the handle time from 1 s to a day,
    /// at most [`limits::MAX_ARRIVALS_PER_SECOND`] arrivals per second and at most
    /// [`limits::MAX_ERLANGS`] Erlangs of load (both errors name `volume`).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `volume` when it is negative or not finite, or when it makes more
    /// than [`limits::MAX_ARRIVALS_PER_SECOND`] arrivals a second or more than
    /// [`limits::MAX_ERLANGS`] Erlangs; naming `period_seconds` when the period is not between 60 s
    /// and 86 400 s; naming `aht_seconds` when the handle time is not between 1 s and 86 400 s.
    pub fn new(volume: f64, period_seconds: f64, aht_seconds: f64) -> Result<Self> {
        check_non_negative("volume", volume)?;
        check_range(
            "period_seconds",
            period_seconds,
            limits::MIN_PERIOD_SECONDS,
            limits::MAX_PERIOD_SECONDS,
            " seconds",
        )?;
        check_range(
            "aht_seconds",
            aht_seconds,
            limits::MIN_AHT_SECONDS,
            limits::MAX_AHT_SECONDS,
            " seconds",
        )?;
        let rate = volume / period_seconds;
        if rate > limits::MAX_ARRIVALS_PER_SECOND {
            return Err(Error::invalid(
                "volume",
                format!(
                    "{} contacts in {period_seconds} s is {} a second, above the limit of {} a second",
                    limits::show(volume),
                    limits::approx(rate),
                    limits::MAX_ARRIVALS_PER_SECOND
                ),
            ));
        }
        let erlangs = volume * aht_seconds / period_seconds;
        if erlangs > limits::MAX_ERLANGS {
            return Err(Error::invalid(
                "volume",
                format!(
                    "{} contacts of {aht_seconds} s in {period_seconds} s is {} Erlangs of load, above the limit of {} Erlangs",
                    limits::show(volume),
                    limits::approx(erlangs),
                    limits::MAX_ERLANGS
                ),
            ));
        }
        Ok(Workload {
            volume,
            period_seconds,
            aht_seconds,
        })
    }

    /// Offered load in Erlangs: `volume × AHT / period`.
    pub fn traffic_erlangs(&self) -> f64 {
        self.volume * self.aht_seconds / self.period_seconds
    }

    /// Arrivals per second.
    pub fn arrival_rate(&self) -> f64 {
        self.volume / self.period_seconds
    }

    /// Contacts offered in the period.
    pub fn volume(&self) -> f64 {
        self.volume
    }

    /// Average handle time in seconds.
    pub fn aht_seconds(&self) -> f64 {
        self.aht_seconds
    }

    /// Length of the period in seconds.
    pub fn period_seconds(&self) -> f64 {
        self.period_seconds
    }
}

/// Which queue model to use.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Model {
    /// M/M/N: nobody abandons.
    #[default]
    ErlangC,
    /// M/M/N+M: callers abandon after an exponential patience with this mean.
    ErlangA {
        /// Mean patience in seconds.
        patience_seconds: f64,
    },
}

/// One service target. A staffing must meet all targets it is given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Target {
    /// At least `fraction` of offered contacts answered within `within_seconds`.
    ServiceLevel {
        /// Fraction in (0, 1].
        fraction: f64,
        /// Threshold in seconds (≥ 0).
        within_seconds: f64,
    },
    /// Average speed of answer (mean wait over offered contacts) at most `seconds`.
    Asa {
        /// Seconds (> 0).
        seconds: f64,
    },
    /// Occupancy at most this fraction.
    MaxOccupancy(f64),
    /// Abandonment probability at most this fraction (Erlang A only).
    MaxAbandon(f64),
    /// Probability of waiting at all at most this fraction.
    MaxWaitProbability(f64),
}

/// What a staffing level delivers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Productive agents.
    pub agents: u32,
    /// Offered load in Erlangs (sessions, for chat).
    pub traffic_erlangs: f64,
    /// Probability that a contact waits at all.
    pub wait_probability: f64,
    /// Fraction of offered contacts answered within `service_level_seconds`.
    pub service_level: f64,
    /// The threshold of `service_level`.
    pub service_level_seconds: f64,
    /// Mean wait over offered contacts, seconds (infinite when the queue is unstable).
    pub asa_seconds: f64,
    /// Busy fraction of agents (of slots, with concurrency).
    pub occupancy: f64,
    /// Probability of abandoning (0 for Erlang C).
    pub abandon_probability: f64,
}

/// The result of a staffing search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StaffingResult {
    /// Smallest number of productive agents meeting every target.
    pub agents: u32,
    /// Agents to schedule once shrinkage is taken off: `⌈agents / (1 − shrinkage)⌉`.
    pub scheduled: u32,
    /// What `agents` deliver.
    pub metrics: Metrics,
}

/// A staffing question: a workload, a model, targets, shrinkage and concurrency.
#[derive(Debug, Clone, PartialEq)]
pub struct Staffing {
    workload: Workload,
    model: Model,
    targets: Vec<Target>,
    shrinkage: f64,
    concurrency: u32,
    sl_seconds: Option<f64>,
}

impl Staffing {
    /// Erlang C, no targets yet, no shrinkage, one contact at a time.
    pub fn new(workload: Workload) -> Self {
        Staffing {
            workload,
            model: Model::ErlangC,
            targets: Vec::new(),
            shrinkage: 0.0,
            concurrency: 1,
            sl_seconds: None,
        }
    }

    /// Uses `model`.
    pub fn model(mut self, model: Model) -> Self {
        self.model = model;
        self
    }

    /// Adds a target (checked by [`Staffing::solve`] and [`Staffing::evaluate`]).
    pub fn target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self
    }

    /// Fraction of paid time agents are not available for contacts, in
    /// `[0, `[`limits::MAX_SHRINKAGE`]`]`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `shrinkage` when it is negative, not finite or above
    /// [`limits::MAX_SHRINKAGE`].
    pub fn shrinkage(mut self, shrinkage: f64) -> Result<Self> {
        check_shrinkage(shrinkage)?;
        self.shrinkage = shrinkage;
        Ok(self)
    }

    /// Sessions one agent handles at once (chat); from 1 to [`limits::MAX_CONCURRENCY`].
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `concurrency` when `k` is 0 or above [`limits::MAX_CONCURRENCY`].
    pub fn concurrency(mut self, k: u32) -> Result<Self> {
        if k == 0 || k > limits::MAX_CONCURRENCY {
            return Err(Error::invalid(
                "concurrency",
                format!(
                    "must be at least 1 and at most {} sessions per agent, got {k}",
                    limits::MAX_CONCURRENCY
                ),
            ));
        }
        self.concurrency = k;
        Ok(self)
    }

    /// Threshold for the reported service level when no service-level target is given
    /// (default 20 s); at most [`limits::MAX_TARGET_SECONDS`].
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `service_level_seconds` when `seconds` is not a finite number in
    /// `[0, `[`limits::MAX_TARGET_SECONDS`]`]`.
    pub fn service_level_seconds(mut self, seconds: f64) -> Result<Self> {
        check_range(
            "service_level_seconds",
            seconds,
            0.0,
            limits::MAX_TARGET_SECONDS,
            " seconds",
        )?;
        self.sl_seconds = Some(seconds);
        Ok(self)
    }

    /// The workload.
    pub fn workload(&self) -> &Workload {
        &self.workload
    }

    /// The shrinkage.
    pub fn shrinkage_fraction(&self) -> f64 {
        self.shrinkage
    }

    fn validate(&self) -> Result<()> {
        if let Model::ErlangA { patience_seconds } = self.model {
            check_range(
                "patience_seconds",
                patience_seconds,
                limits::MIN_PATIENCE_SECONDS,
                limits::MAX_PATIENCE_SECONDS,
                " seconds",
            )?;
        }
        for (i, t) in self.targets.iter().enumerate() {
            // Field paths are built only when a check fails: this runs once per interval.
            let field = |name: &str| format!("targets[{i}].{name}");
            match *t {
                Target::ServiceLevel {
                    fraction,
                    within_seconds,
                } => {
                    check_fraction("", fraction)
                        .map_err(|_| bad_fraction(field("service_level.fraction"), fraction))?;
                    check_range(
                        "",
                        within_seconds,
                        0.0,
                        limits::MAX_TARGET_SECONDS,
                        " seconds",
                    )
                    .map_err(|e| rename(e, field("service_level.within_seconds")))?;
                }
                Target::Asa { seconds } => {
                    if seconds == 0.0 {
                        return Err(Error::invalid(
                            field("asa.seconds"),
                            "must be greater than zero",
                        ));
                    }
                    check_range("", seconds, 0.0, limits::MAX_TARGET_SECONDS, " seconds")
                        .map_err(|e| rename(e, field("asa.seconds")))?;
                }
                Target::MaxOccupancy(f) => {
                    check_range("", f, limits::MIN_MAX_OCCUPANCY, 1.0, "")
                        .map_err(|e| rename(e, field("max_occupancy")))?;
                }
                Target::MaxWaitProbability(f) => {
                    check_fraction("", f)
                        .map_err(|_| bad_fraction(field("max_wait_probability"), f))?;
                }
                Target::MaxAbandon(f) => {
                    check_fraction("", f).map_err(|_| bad_fraction(field("max_abandon"), f))?;
                    if self.model == Model::ErlangC {
                        return Err(Error::invalid(
                            field("max_abandon"),
                            "an abandonment target needs Erlang A (give a patience)",
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The service-level threshold metrics are reported at.
    fn threshold(&self) -> f64 {
        self.targets
            .iter()
            .find_map(|t| match t {
                Target::ServiceLevel { within_seconds, .. } => Some(*within_seconds),
                _ => None,
            })
            .or(self.sl_seconds)
            .unwrap_or(20.0)
    }

    /// What `agents` productive agents deliver; at most [`limits::MAX_AGENTS`].
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `agents` when `agents` is above [`limits::MAX_AGENTS`]; naming
    /// `patience_seconds` when an Erlang A patience is not between 1 s and 3 600 s; naming
    /// `targets[i].service_level.fraction`, `targets[i].service_level.within_seconds`,
    /// `targets[i].asa.seconds`, `targets[i].max_occupancy`, `targets[i].max_wait_probability` or
    /// `targets[i].max_abandon` when a target's value is out of its range (fractions in (0, 1],
    /// seconds up to [`limits::MAX_TARGET_SECONDS`], an ASA above 0, an occupancy cap of at least
    /// [`limits::MIN_MAX_OCCUPANCY`]), or `targets[i].max_abandon` when an abandonment target is
    /// given with Erlang C.
    pub fn evaluate(&self, agents: u32) -> Result<Metrics> {
        self.validate()?;
        check_agents("agents", agents)?;
        Ok(self.metrics(agents))
    }

    fn metrics(&self, agents: u32) -> Metrics {
        let servers = agents as u64 * self.concurrency as u64;
        let a = self.workload.traffic_erlangs();
        let aht = self.workload.aht_seconds;
        let t = self.threshold();
        let mut m = match self.model {
            Model::ErlangC => {
                let b = erlang::ErlangB::at(servers, a);
                self.c_metrics(&b)
            }
            Model::ErlangA { patience_seconds } => {
                let p = abandonment::erlang_a_point(
                    servers,
                    self.workload.arrival_rate(),
                    aht,
                    patience_seconds,
                    t,
                );
                Metrics {
                    agents: 0,
                    traffic_erlangs: a,
                    wait_probability: p.wait_probability,
                    service_level: p.service_level,
                    service_level_seconds: t,
                    asa_seconds: p.asa_seconds,
                    occupancy: p.occupancy,
                    abandon_probability: p.abandon_probability,
                }
            }
        };
        m.agents = agents;
        m
    }

    fn c_metrics(&self, b: &erlang::ErlangB) -> Metrics {
        let t = self.threshold();
        let p = erlang::erlang_c_point(b, self.workload.aht_seconds, t);
        Metrics {
            agents: 0,
            traffic_erlangs: self.workload.traffic_erlangs(),
            wait_probability: p.wait_probability,
            service_level: p.service_level,
            service_level_seconds: t,
            asa_seconds: p.asa_seconds,
            occupancy: p.occupancy,
            abandon_probability: 0.0,
        }
    }

    /// Whether `m` meets every target.
    pub fn meets(&self, m: &Metrics) -> bool {
        self.targets.iter().all(|t| match *t {
            Target::ServiceLevel { fraction, .. } => m.service_level >= fraction - MEET_TOL,
            Target::Asa { seconds } => m.asa_seconds <= seconds * (1.0 + MEET_TOL),
            Target::MaxOccupancy(f) => m.occupancy <= f + MEET_TOL,
            Target::MaxAbandon(f) => m.abandon_probability <= f + MEET_TOL,
            Target::MaxWaitProbability(f) => m.wait_probability <= f + MEET_TOL,
        })
    }

    /// The smallest number of productive agents that meets every target, and the scheduled
    /// agents after shrinkage. Needs at least one target.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `targets` when no target was given, or naming
    /// `patience_seconds` or a target, as for [`Staffing::evaluate`]; [`Error::Infeasible`],
    /// naming the targets and the load, when no staffing up to the search's cap (the load plus
    /// 60 √load plus 10 000 agents, at most [`limits::MAX_AGENTS`]) meets every target, e.g.
    /// a low occupancy cap on a very large load.
    pub fn solve(&self) -> Result<StaffingResult> {
        self.validate()?;
        if self.targets.is_empty() {
            return Err(Error::invalid(
                "targets",
                "give at least one target (service level, ASA, occupancy or abandonment)",
            ));
        }
        let (agents, metrics) = match self.model {
            Model::ErlangC => self.search_c()?,
            Model::ErlangA { .. } => self.search_a()?,
        };
        Ok(StaffingResult {
            agents,
            scheduled: scheduled_agents(agents, self.shrinkage)?,
            metrics,
        })
    }

    /// Largest agent count the searches consider before calling a target unattainable.
    fn agent_cap(&self) -> u64 {
        let a = self.workload.traffic_erlangs() / self.concurrency as f64;
        (a + 60.0 * a.sqrt() + 10_000.0).min(limits::MAX_AGENTS as f64) as u64
    }

    fn unattainable(&self) -> Error {
        let targets: Vec<String> = self.targets.iter().map(Target::to_string).collect();
        Error::Infeasible {
            explanation: format!(
                "no staffing up to {} agents meets the targets ({}) at {:.3} Erlangs",
                self.agent_cap(),
                targets.join(", "),
                self.workload.traffic_erlangs()
            ),
        }
    }
}

fn bad_fraction(field: String, value: f64) -> Error {
    Error::invalid(field, format!("must be a fraction in (0, 1], got {value}"))
}

fn rename(e: Error, field: String) -> Error {
    match e {
        Error::Invalid { reason, .. } => Error::Invalid { field, reason },
        other => other,
    }
}

/// Checks a shrinkage: a fraction in `[0, `[`limits::MAX_SHRINKAGE`]`]`.
pub(crate) fn check_shrinkage(shrinkage: f64) -> Result<f64> {
    check_non_negative("shrinkage", shrinkage)?;
    if shrinkage > limits::MAX_SHRINKAGE {
        return Err(Error::invalid(
            "shrinkage",
            format!(
                "must be at most {} (ten scheduled agents per productive agent), got {shrinkage}",
                limits::MAX_SHRINKAGE
            ),
        ));
    }
    Ok(shrinkage)
}

/// Checks an agent count against [`limits::MAX_AGENTS`].
fn check_agents(field: &str, agents: u32) -> Result<u32> {
    if agents > limits::MAX_AGENTS {
        return Err(Error::invalid(
            field,
            format!(
                "must be at most {} agents, got {agents}",
                limits::MAX_AGENTS
            ),
        ));
    }
    Ok(agents)
}

impl fmt::Display for Target {
    /// The target as a user writes it: `service level 80 % within 20 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Target::ServiceLevel {
                fraction,
                within_seconds,
            } => write!(
                f,
                "service level {} % within {within_seconds} s",
                100.0 * fraction
            ),
            Target::Asa { seconds } => write!(f, "ASA at most {seconds} s"),
            Target::MaxOccupancy(x) => write!(f, "occupancy at most {} %", 100.0 * x),
            Target::MaxAbandon(x) => write!(f, "abandonment at most {} %", 100.0 * x),
            Target::MaxWaitProbability(x) => {
                write!(f, "probability of waiting at most {} %", 100.0 * x)
            }
        }
    }
}

/// Scheduled agents for `productive` agents at `shrinkage`: `⌈productive / (1 − shrinkage)⌉`,
/// where a quotient within `1e-9` of an integer is that integer. Shrinkage must be in
/// `[0, `[`limits::MAX_SHRINKAGE`]`]` and the productive agents at most
/// [`limits::MAX_AGENTS`].
///
/// # Errors
///
/// [`Error::Invalid`] naming `shrinkage` when it is negative, not finite or above
/// [`limits::MAX_SHRINKAGE`], or naming `agents` when `productive` is above [`limits::MAX_AGENTS`].
pub fn scheduled_agents(productive: u32, shrinkage: f64) -> Result<u32> {
    check_shrinkage(shrinkage)?;
    check_agents("agents", productive)?;
    let q = productive as f64 / (1.0 - shrinkage);
    let r = q.round();
    let v = if (q - r).abs() <= INT_TOL * q.max(1.0) {
        r
    } else {
        q.ceil()
    };
    if v > u32::MAX as f64 {
        return Err(Error::invalid(
            "shrinkage",
            "scheduled agents exceed the representable range",
        ));
    }
    Ok(v as u32)
}

/// Productive agents among `scheduled` agents at `shrinkage`: `⌊scheduled × (1 − shrinkage)⌋`,
/// where a product within `1e-9` of an integer is that integer.
///
/// # Errors
///
/// [`Error::Invalid`] naming `shrinkage` when it is negative, not finite or above
/// [`limits::MAX_SHRINKAGE`].
pub fn productive_agents(scheduled: u32, shrinkage: f64) -> Result<u32> {
    check_shrinkage(shrinkage)?;
    let q = scheduled as f64 * (1.0 - shrinkage);
    let r = q.round();
    Ok(if (q - r).abs() <= INT_TOL * q.max(1.0) {
        r as u32
    } else {
        q.floor() as u32
    })
}

#[cfg(test)]
mod tests;
