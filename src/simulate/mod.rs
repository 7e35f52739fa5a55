//! Discrete-event simulation of a roster against contacts: the service it really gives,
//! contact by contact, with confidence intervals.
//!
//! `simulate` judges a roster as `evaluate` does, without the Erlang formulas' assumptions
//! (it never calls [`crate::queueing`]: it is their independent check). It plays:
//!
//! * **arrivals**: a non-homogeneous Poisson process whose rate is constant over each
//!   interval (the forecast volume), or a replayed contact log ([`ReplayContact`]);
//! * **handle times**: exponential, lognormal with a coefficient of variation, or
//!   replayed ([`HandleTime`]); **patience**: none, exponential, or replayed
//!   ([`Patience`]);
//! * **channels**: voice (one contact per agent), chat (up to `concurrency` sessions per
//!   agent), backlog (items never abandon and keep across intervals and closed hours until
//!   worked; late when waiting past `deadline_minutes`);
//! * **agents** ([`SimAgent`]): on duty only inside their working segments (shifts less
//!   breaks). A contact in progress when a break or the shift end comes is finished first;
//!   the break time lost (and the overtime) is reported.
//!
//! # Routing
//!
//! A new contact goes to the agent with its skill who has been free the longest. An agent
//! who frees up looks at its skills in priority order (live queues before backlog queues
//! unless [`SimOptions::live_first`] is off) and takes the oldest waiting contact of the
//! first queue that has one. A chat agent holding sessions of one queue takes more of the
//! same queue only, up to its concurrency; an agent never mixes queues at once.
//!
//! # Statistics
//!
//! Replications use independent seeded streams ([`random`]); each figure's mean and
//! Student-t 95 % interval over replications are in [`SimResults`]. Replications run in
//! parallel and are folded in order, so a seed gives the same numbers on every machine and
//! thread count; memory does not grow with the number of replications.
//!
//! See `docs/simulation.md` for the model, its checks against Erlang C and A, and what it
//! shows on the bundled scenarios.

mod compile;
mod engine;
mod model;
pub mod random;
mod replay;
mod replicate;
mod results;
mod roster;
mod stats;

pub use model::{
    HandleTime, Patience, ReplayContact, Segment, SegmentEnd, SimAgent, SimModel, SimOptions,
    SimQueue, SimSkill, MAX_CONTACTS,
};
pub use replay::{replay_contacts, Replay};
pub use results::{AgentResult, Figures, QueueResult, SimResults};
pub use roster::agents_from_roster;
pub use stats::{t975, Estimate};

use crate::error::Result;

/// Runs `options.replications` replications of `model` and returns every figure's mean
/// and 95 % interval. `progress` hears the number of replications done after each one.
///
/// # Errors
///
/// The errors of [`SimModel::validate`]: [`Error::Invalid`](crate::Error::Invalid) naming the field
/// of `model` or `options` that is out of range.
pub fn simulate(
    model: &SimModel,
    options: &SimOptions,
    progress: Option<&(dyn Fn(u32) + Sync)>,
) -> Result<SimResults> {
    model.validate(options)?;
    let compiled = compile::Compiled::new(model, options);
    let mut acc = results::Accumulator::new(
        model.queues.len(),
        model.horizon.len(),
        options.warm_up_intervals..model.horizon.len() - options.cool_down_intervals,
        compiled.duty.clone(),
        compiled.end,
    );
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let silent = |_: u32| {};
    replicate::run(
        &compiled,
        options.seed,
        options.replications,
        threads,
        &mut acc,
        progress.unwrap_or(&silent),
    );
    let queue_names: Vec<String> = model.queues.iter().map(|q| q.name.clone()).collect();
    let agent_names: Vec<String> = model.agents.iter().map(|a| a.name.clone()).collect();
    Ok(acc.finish(
        model.horizon,
        options.replications,
        options.seed,
        &queue_names,
        &agent_names,
    ))
}

#[cfg(test)]
mod tests;
