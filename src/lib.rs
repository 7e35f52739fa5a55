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
//! Each stage is one module and can be used alone. The whole pipeline, from a forecast to
//! a checked roster, on one day of one site:
//!
//! ```
//! use wfm::scenario::{self, Scenario};
//!
//! let json = r#"{
//!   "name": "One day in London",
//!   "horizon": { "start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1 },
//!   "sites": [ { "name": "london", "zone": "Europe/London" } ],
//!   "queues": [ {
//!     "name": "voice",
//!     "volume": [0,0,0,0,0,0,0,0, 40,90,120,110,80,90,110,100,70,40, 0,0,0,0,0,0],
//!     "aht_seconds": 300,
//!     "targets": { "service_level": { "fraction": 0.8, "within_seconds": 20 } },
//!     "shrinkage": 0.3
//!   } ],
//!   "templates": [ {
//!     "name": "day", "site": "london", "queue": "voice", "paid_minutes": 300,
//!     "start_windows": [ { "days": ["mon"], "from": "08:00", "to": "13:00" } ]
//!   } ]
//! }"#;
//! // Validate and resolve the scenario (forecast CSV paths would be relative to ".").
//! let prepared = Scenario::parse(json, "doc.json")?.prepare(std::path::Path::new("."))?;
//! // Requirements (Erlang C) → shift plan (LP) → numbered agents → coverage and KPIs.
//! let outcome = scenario::plan(&prepared, None)?;
//!
//! // Peak hour: 120 calls of 300 s = 10 Erlangs → 14 agents on the phones at 80/20,
//! // 20 scheduled at 30 % shrinkage.
//! assert_eq!(outcome.requirements[0].required[10], 20);
//! assert_eq!(outcome.summary.understaffed_intervals, 0);
//! let bound = outcome.summary.lower_bound.unwrap();
//! assert!(outcome.summary.cost >= bound - 1e-9);
//! // `outcome.write(dir, &prepared, &[], now)` writes the CSV, JSON, iCalendar and HTML
//! // files as one set, never over a file the scenario was read from.
//! # Ok::<(), wfm::Error>(())
//! ```
//!
//! Or one stage alone, e.g. staffing one interval:
//!
//! ```
//! use wfm::queueing::{Staffing, Target, Workload};
//!
//! // 100 calls in 30 minutes, 180 s handle time, 80 % answered within 20 s.
//! let staffing = Staffing::new(Workload::new(100.0, 1800.0, 180.0)?)
//!     .target(Target::ServiceLevel { fraction: 0.8, within_seconds: 20.0 })
//!     .shrinkage(0.3)?;
//! let result = staffing.solve()?;
//! assert_eq!(result.agents, 14); // productive agents on the phones
//! assert_eq!(result.scheduled, 20); // 14 / (1 - 0.3) = 20, exactly
//! # Ok::<(), wfm::Error>(())
//! ```

//!
// No unsafe code, except (with the `highs` feature only) the HiGHS interrupt callback in
// `solver::interrupt`, which needs HiGHS' C API.
#![cfg_attr(not(feature = "highs"), forbid(unsafe_code))]
#![cfg_attr(feature = "highs", deny(unsafe_code))]
#![deny(missing_docs)]
#![warn(clippy::missing_errors_doc)]

pub mod budget;
pub mod demand;
pub mod error;
pub mod evaluate;
pub mod forecast;
pub mod io;
pub mod limits;
pub mod plan;
pub mod queueing;
pub mod roster;
pub mod scenario;
pub mod shifts;
pub mod simulate;
mod solver;
pub mod time;

pub use error::{Error, Result};

/// The README, whose Rust example `cargo test` compiles and runs as a doctest (its shell
/// blocks are not Rust and are skipped; `tests/readme_commands.rs` runs those).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
