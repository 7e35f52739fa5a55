//! Solves one Curtois benchmark instance and prints its objective, lower bound, the
//! checker's hard violations and the time; optionally writes the roster as CSV.
//!
//! `cargo run --release [--features highs] --example curtois -- <InstanceN.txt> [--time-limit S] [--out roster.csv] [--seed N] [--no-mip] [--backend microlp|highs|coin_cbc] [--threads N] [--work UNITS] [--progress]`
//!
//! The backend defaults to HiGHS when the build has the `highs` feature, else microlp; the
//! search threads default to the number of cores (at most 8). `--progress` lists every
//! improvement of the best roster: when, its broken rules and objective, which phase.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use wfm::roster::{self, Options};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), wfm::Error> {
    let mut args = std::env::args().skip(1);
    let mut file: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut options = Options::default();
    let mut progress = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--time-limit" => {
                let v = args
                    .next()
                    .ok_or_else(|| wfm::Error::invalid("--time-limit", "missing value"))?;
                let s: f64 = v.parse().map_err(|_| {
                    wfm::Error::invalid("--time-limit", format!("{v:?} is not a number"))
                })?;
                if !s.is_finite() || s <= 0.0 {
                    return Err(wfm::Error::invalid(
                        "--time-limit",
                        "must be a positive number of seconds",
                    ));
                }
                options.time_limit = Duration::from_secs_f64(s);
            }
            "--seed" => {
                let v = args
                    .next()
                    .ok_or_else(|| wfm::Error::invalid("--seed", "missing value"))?;
                options.seed = v.parse().map_err(|_| {
                    wfm::Error::invalid("--seed", format!("{v:?} is not an integer"))
                })?;
            }
            "--threads" => {
                let v = args
                    .next()
                    .ok_or_else(|| wfm::Error::invalid("--threads", "missing value"))?;
                options.threads = match v.parse::<usize>() {
                    Ok(n) if n >= 1 => n,
                    _ => {
                        return Err(wfm::Error::invalid(
                            "--threads",
                            format!("{v:?} is not a whole number of at least 1"),
                        ))
                    }
                };
            }
            "--work" => {
                let v = args
                    .next()
                    .ok_or_else(|| wfm::Error::invalid("--work", "missing value"))?;
                options.work = match v.parse::<u64>() {
                    Ok(n) if n >= 1 => Some(n),
                    _ => {
                        return Err(wfm::Error::invalid(
                            "--work",
                            format!("{v:?} is not a whole number of at least 1"),
                        ))
                    }
                };
            }
            "--no-mip" => options.mip = false,
            "--progress" => progress = true,
            "--backend" => {
                let v = args
                    .next()
                    .ok_or_else(|| wfm::Error::invalid("--backend", "missing value"))?;
                options.backend = match v.as_str() {
                    "microlp" => roster::Backend::Microlp,
                    "highs" => roster::Backend::Highs,
                    "coin_cbc" => roster::Backend::CoinCbc,
                    _ => {
                        return Err(wfm::Error::invalid(
                            "--backend",
                            format!("{v:?} is not one of microlp, highs, coin_cbc"),
                        ))
                    }
                };
            }
            "--out" => {
                out = Some(
                    args.next()
                        .ok_or_else(|| wfm::Error::invalid("--out", "missing value"))?
                        .into(),
                );
            }
            _ if file.is_none() && !a.starts_with("--") => file = Some(a.into()),
            _ => {
                return Err(wfm::Error::invalid(
                    "arguments",
                    format!("unexpected {a:?}"),
                ))
            }
        }
    }
    let file = file.ok_or_else(|| {
        wfm::Error::invalid(
            "arguments",
            "usage: curtois <InstanceN.txt> [--time-limit S] [--out roster.csv] [--seed N] [--no-mip] [--backend microlp|highs|coin_cbc] [--threads N] [--work UNITS] [--progress]",
        )
    })?;
    let problem = roster::curtois::read(&file)?;
    let sol = roster::solve(&problem, &options)?;
    // Re-check from scratch: the printed figures are the checker's.
    let report = roster::check(&problem, &sol.roster);
    println!("instance: {}", problem.name);
    println!(
        "objective: {} (requests {}, cover {})",
        report.objective, report.request_penalty, report.cover_penalty
    );
    match sol.lower_bound {
        Some(lb) => println!("lower_bound: {lb} ({})", sol.bound_by.unwrap_or("")),
        None => println!("lower_bound: unknown"),
    }
    println!("hard_violations: {}", report.violations.len());
    for v in &report.violations {
        println!("  {v}");
    }
    println!("backend: {}", sol.backend);
    println!("threads: {}", options.threads);
    println!(
        "lns_steps: {} (improving {})",
        sol.lns_steps.0, sol.lns_steps.1
    );
    println!("time_s: {:.2}", sol.elapsed.as_secs_f64());
    println!(
        "termination: {} (work {} units)",
        sol.termination.name(),
        sol.work_done
    );
    if progress {
        println!("progress: (seconds, broken rules, objective, phase)");
        for p in &sol.progress {
            println!(
                "  {:8.2} {:5} {:8} {}",
                p.at.as_secs_f64(),
                p.violations,
                p.objective,
                p.by
            );
        }
    }
    if let Some(path) = out {
        roster::write_csv(&problem, &sol.roster, &path)?;
        println!("roster written to {}", path.display());
    }
    Ok(())
}
