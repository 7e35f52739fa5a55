//! # wfm — contact-centre workforce management
//!
//! From history to a roster: forecast contact volume and handle time, turn them into agents
//! needed per interval with Erlang B, C and A, choose shifts across sites and time zones by
//! linear programming, assign named agents, and evaluate and report what a plan delivers.
//!
//! ```text
//! history ──► forecast ──► demand ──► plan ──► roster ──► evaluate ──► report
//!                            ▲
//!                        queueing
//! ```
//!
//! Each stage is one module and can be used alone.

//!
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod demand;
pub mod error;
pub mod evaluate;
pub mod forecast;
pub mod io;
pub mod plan;
pub mod queueing;
pub mod roster;
pub mod scenario;
pub mod shifts;
pub mod time;

pub use error::{Error, Result};
