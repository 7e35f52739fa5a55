//! `wfm plan` and `wfm evaluate`: run a scenario file, write the output files.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use wfm::plan::{Observer, Progress};
use wfm::scenario::{self, Scenario};
use wfm::Result;

/// Arguments of `wfm plan`.
#[derive(clap::Args)]
pub struct PlanArgs {
    /// Scenario file (JSON; see docs/scenario.md).
    scenario: PathBuf,
    /// Folder for the output files (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Show solver progress on stderr even when it is not a terminal.
    #[arg(long)]
    progress: bool,
}

/// Arguments of `wfm evaluate`.
#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// Scenario file (JSON; see docs/scenario.md).
    scenario: PathBuf,
    /// Roster to evaluate (roster.csv as `wfm plan` writes it, possibly edited).
    #[arg(long)]
    roster: PathBuf,
    /// Folder for coverage.csv, summary.json and the other outputs.
    #[arg(long)]
    out: PathBuf,
}

fn progress_printer() -> Observer {
    Arc::new(|p: &Progress| match p {
        Progress::CandidatesBuilt { candidates, blocks } => {
            eprintln!("  {candidates} candidate shifts in {blocks} independent blocks")
        }
        Progress::LpSolved {
            lower_bound,
            seconds,
        } => eprintln!("  LP relaxation solved: lower bound {lower_bound:.2} ({seconds:.2} s)"),
        Progress::Incumbent { objective, gap } => {
            eprintln!("  plan found: {objective:.2} (gap {:.3} %)", 100.0 * gap)
        }
        Progress::Done {
            objective,
            lower_bound,
            gap,
        } => eprintln!(
            "  done: {objective:.2}, lower bound {lower_bound:.2}, gap {:.3} %",
            100.0 * gap
        ),
    })
}

fn report(outcome: &scenario::Outcome, files: &[PathBuf]) {
    let s = &outcome.summary;
    outln!("{}", s.scenario);
    outln!(
        "  cost {:.2} (lower bound {}, gap {}), status {}, solved in {:.2} s",
        s.cost,
        s.lower_bound
            .map(|b| format!("{b:.2}"))
            .unwrap_or_else(|| "n/a".into()),
        s.gap
            .map(|g| format!("{:.3} %", 100.0 * g))
            .unwrap_or_else(|| "n/a".into()),
        s.status,
        s.solve_seconds
    );
    outln!(
        "  {} shifts, {} agents, {:.1} paid hours; service level {}; {} understaffed intervals",
        s.shifts,
        s.agents,
        s.paid_hours,
        s.service_level
            .map(|x| format!("{:.1} %", 100.0 * x))
            .unwrap_or_else(|| "n/a".into()),
        s.understaffed_intervals
    );
    if !outcome.unassigned.is_empty() {
        outln!(
            "  {} planned shift(s) could not be assigned to a named agent (left out of roster.csv):",
            outcome.unassigned.len()
        );
        for u in &outcome.unassigned {
            outln!(
                "    {} {} {} to {}",
                u.site,
                u.template,
                wfm::time::fmt_utc(u.start),
                wfm::time::fmt_utc(u.end)
            );
        }
    }
    outln!("wrote:");
    for f in files {
        outln!("  {}", f.display());
    }
    if let Some(html) = files.iter().find(|f| f.ends_with("report.html")) {
        outln!(
            "open {} in a browser for the charts and the roster.",
            html.display()
        );
    }
}

pub fn run_plan(args: PlanArgs) -> Result<()> {
    let prepared = Scenario::load(&args.scenario)?;
    let observer = (args.progress || std::io::stderr().is_terminal()).then(progress_printer);
    if observer.is_some() {
        eprintln!("planning {} ...", prepared.name);
    }
    let shown = args.scenario.display().to_string();
    let outcome = scenario::plan(&prepared, observer).map_err(|e| e.in_file(&shown))?;
    let files = wfm::io::write_all(&args.out, &outcome.outputs(&prepared, chrono::Utc::now()))?;
    report(&outcome, &files);
    Ok(())
}

pub fn run_evaluate(args: EvaluateArgs) -> Result<()> {
    let prepared = Scenario::load(&args.scenario)?;
    let shown = args.scenario.display().to_string();
    let outcome = scenario::evaluate_roster(&prepared, &args.roster).map_err(|e| match e {
        // Errors about the roster name the roster, not the scenario.
        wfm::Error::Invalid { ref field, .. } if field.starts_with("roster") => e,
        e => e.in_file(&shown),
    })?;
    let files = wfm::io::write_all(&args.out, &outcome.outputs(&prepared, chrono::Utc::now()))?;
    report(&outcome, &files);
    Ok(())
}
