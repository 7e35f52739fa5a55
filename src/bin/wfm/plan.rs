//! `wfm plan` and `wfm evaluate`: run a scenario file, write the output files.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use wfm::io::{InputFile, OUTPUT_FILES};
use wfm::plan::{Observer, PlanEvent};
use wfm::scenario::{self, EvaluateOptions, Scenario};
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
    /// Also simulate the roster with this many replications: simulated service level
    /// beside the prediction in summary.json, coverage.csv and report.html.
    #[arg(long, value_name = "REPLICATIONS")]
    simulate: Option<u32>,
    /// Seed of the simulation.
    #[arg(long, default_value_t = 1, requires = "simulate")]
    seed: u64,
    /// Check the plan by simulation and re-plan up to this many times in all: where a
    /// queue's simulated service level misses its target (95 % confidence) in an interval,
    /// its requirement there is raised by one agent (needs --simulate).
    #[arg(long, value_name = "ROUNDS", requires = "simulate")]
    check_rounds: Option<u32>,
    /// No new check round starts after this many seconds.
    #[arg(long, default_value_t = 300.0, requires = "check_rounds")]
    check_seconds: f64,
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
    /// List problems in the roster (overlaps, duplicates, shifts outside the horizon or
    /// unlike their template) as warnings and evaluate it as written, instead of stopping.
    #[arg(long)]
    lenient: bool,
}

fn progress_printer() -> Observer {
    Arc::new(|p: &PlanEvent| match p {
        PlanEvent::CandidatesBuilt { candidates, blocks } => {
            eprintln!("  {candidates} candidate shifts in {blocks} independent blocks")
        }
        PlanEvent::LpSolved {
            lower_bound,
            seconds,
        } => eprintln!("  LP relaxation solved: lower bound {lower_bound:.2} ({seconds:.2} s)"),
        PlanEvent::Incumbent { objective, gap } => {
            eprintln!("  plan found: {objective:.2} (gap {:.3} %)", 100.0 * gap)
        }
        PlanEvent::Done {
            objective,
            lower_bound,
            gap,
        } => eprintln!(
            "  done: {objective:.2}, lower bound {lower_bound:.2}, gap {:.3} %",
            100.0 * gap
        ),
        PlanEvent::RosterImproved {
            objective,
            violations,
            by,
            seconds,
        } => {
            if *violations == 0 {
                eprintln!("  roster found: {objective:.2} by {by} ({seconds:.2} s)")
            } else {
                eprintln!(
                    "  roster with {violations} broken rule(s): {objective:.2} by {by} ({seconds:.2} s)"
                )
            }
        }
        PlanEvent::BoundRaised {
            lower_bound,
            by,
            seconds,
        } => eprintln!("  lower bound {lower_bound:.2} by {by} ({seconds:.2} s)"),
        // A stage added later is not printed by this version of the binary.
        _ => {}
    })
}

fn report(outcome: &scenario::Outcome, prepared: &wfm::scenario::Prepared, files: &[PathBuf]) {
    let s = &outcome.summary;
    outln!("{}", s.scenario);
    let opt = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map(f).unwrap_or_else(|| "n/a".into());
    let pct = |g: f64| format!("{:.3} %", 100.0 * g);
    let num = |b: f64| format!("{b:.2}");
    let unit = prepared
        .currency
        .as_deref()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    match &s.planned {
        Some(p) => {
            outln!(
                "  plan: cost {:.2}{} for {} shifts (lower bound {}, gap {}), status {}, solved in {:.2} s",
                p.cost,
                unit,
                p.shifts,
                opt(p.lower_bound, &num),
                opt(p.gap, &pct),
                p.status,
                s.solve_seconds
            );
            outln!(
                "  roster: cost {:.2}{} for the {} shifts named agents took",
                s.cost,
                unit,
                s.shifts
            );
        }
        None => outln!(
            "  cost {:.2}{} (lower bound {}, gap {}), status {}, solved in {:.2} s",
            s.cost,
            unit,
            opt(s.lower_bound, &num),
            opt(s.gap, &pct),
            s.status,
            s.solve_seconds
        ),
    }
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
    if let Some(sim) = &s.simulated {
        outln!(
            "  simulated service level {} ({} replications, 95 % interval {} to {})",
            sim.service_level
                .mean
                .map_or("n/a".into(), |x| format!("{:.1} %", 100.0 * x)),
            sim.replications,
            sim.service_level
                .ci_low
                .map_or("n/a".into(), |x| format!("{:.1} %", 100.0 * x)),
            sim.service_level
                .ci_high
                .map_or("n/a".into(), |x| format!("{:.1} %", 100.0 * x)),
        );
    }
    if let Some(n) = &s.schedule {
        let reasons: Vec<String> = n
            .understaffed_by_reason
            .iter()
            .map(|(r, k)| format!("{r} {k}"))
            .collect();
        outln!(
            "  named agents scheduled directly: {} of {} working, every contract checked; \
             shifts {:.2}, wishes {:.2}, coverage penalties {:.2}{}",
            n.agents_working,
            n.agents_checked,
            n.shift_cost,
            n.wish_penalty,
            n.coverage_penalty,
            if reasons.is_empty() {
                String::new()
            } else {
                format!("; short intervals by binding rule: {}", reasons.join(", "))
            }
        );
    }
    if !outcome.unassigned.is_empty() {
        outln!(
            "  {} planned shift(s) could not be assigned to a named agent (left out of roster.csv):",
            outcome.unassigned.len()
        );
        for u in &outcome.unassigned {
            // Local time of the site first, UTC beside it.
            let site = prepared.sites.iter().find(|x| x.name == u.site);
            let local = |t| {
                site.map(|x| wfm::time::fmt_local(x.local(t)))
                    .unwrap_or_default()
            };
            outln!(
                "    {} {} {} to {} (UTC {} to {})",
                u.site,
                u.template,
                local(u.start),
                local(u.end),
                wfm::time::fmt_utc(u.start),
                wfm::time::fmt_utc(u.end)
            );
        }
    }
    for w in &s.input_warnings {
        outln!("  warning: {w}");
    }
    if s.warnings_total > 0 {
        outln!(
            "  {} problem(s) in the roster, evaluated as written (--lenient):",
            s.warnings_total
        );
        for w in s.warnings.iter().take(20) {
            outln!("    {w}");
        }
        if s.warnings_total > 20 {
            outln!(
                "    ... all listed in summary.json (up to {})",
                wfm::evaluate::MAX_LISTED_WARNINGS
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
    if args.check_rounds == Some(0) {
        return Err(wfm::Error::invalid(
            "--check-rounds",
            "must be at least 1 (the first round is the plan itself)",
        ));
    }
    if let Some(r) = args.simulate {
        crate::simulate::check_replications("--simulate", r)?;
    }
    if args.check_rounds.is_some() {
        wfm::limits::check_time_limit("--check-seconds", args.check_seconds)?;
    }
    let prepared = Scenario::load(&args.scenario)?;
    wfm::io::check_out_dir("--out", &args.out, &OUTPUT_FILES, &prepared.inputs)?;
    let observer = (args.progress || std::io::stderr().is_terminal()).then(progress_printer);
    if observer.is_some() {
        eprintln!("planning {} ...", prepared.name);
    }
    let shown = args.scenario.display().to_string();
    let mut outcome = if let (Some(rounds), Some(replications)) = (args.check_rounds, args.simulate)
    {
        let spec = scenario::CheckSpec {
            simulate: scenario::SimulateSpec {
                options: wfm::simulate::SimOptions {
                    replications,
                    seed: args.seed,
                    ..Default::default()
                },
                ..Default::default()
            },
            max_rounds: rounds,
            time_limit_seconds: args.check_seconds,
        };
        let (outcome, _, checked) =
            scenario::plan_checked(&prepared, observer, &spec).map_err(|e| e.in_file(&shown))?;
        print_check(&checked);
        outcome
    } else {
        scenario::plan(&prepared, observer).map_err(|e| e.in_file(&shown))?
    };
    if let (None, Some(replications)) = (args.check_rounds, args.simulate) {
        let spec = scenario::SimulateSpec {
            options: wfm::simulate::SimOptions {
                replications,
                seed: args.seed,
                ..Default::default()
            },
            ..Default::default()
        };
        let show = args.progress || std::io::stderr().is_terminal();
        let line = crate::simulate::progress_line(replications);
        let progress: Option<&(dyn Fn(u32) + Sync)> = if show { Some(&line) } else { None };
        scenario::simulate_outcome(&prepared, &mut outcome, &spec, progress)
            .map_err(|e| e.in_file(&shown))?;
    }
    let files = outcome.write(&args.out, &prepared, &[], chrono::Utc::now())?;
    report(&outcome, &prepared, &files);
    Ok(())
}

fn print_check(c: &scenario::Checked) {
    let costs: Vec<String> = c.costs.iter().map(|x| format!("{x:.2}")).collect();
    println!(
        "simulation check: {} round(s), {} agent-interval(s) added; cost per round: {}",
        c.rounds,
        c.raised,
        costs.join(" -> ")
    );
    if c.misses.is_empty() {
        println!("  every target met in simulation (95 % confidence)");
    } else {
        println!(
            "  {} target(s) still missed in an interval:",
            c.misses.len()
        );
        for m in c.misses.iter().take(20) {
            let (scale, unit) = if m.metric == "asa_seconds" {
                (1.0, " s")
            } else {
                (100.0, " %")
            };
            println!(
                "    {} {} {}: simulated {:.1}{unit} (95 % interval {:.1} to {:.1}), target {} {:.1}{unit}, off by {:.1}",
                m.queue,
                wfm::time::fmt_utc(m.interval_start),
                m.metric,
                m.simulated * scale,
                m.ci_low * scale,
                m.ci_high * scale,
                if m.is_floor() { "at least" } else { "at most" },
                m.target * scale,
                m.shortfall() * scale
            );
        }
        if c.misses.len() > 20 {
            println!("    ... and {} more", c.misses.len() - 20);
        }
    }
}

pub fn run_evaluate(args: EvaluateArgs) -> Result<()> {
    let prepared = Scenario::load(&args.scenario)?;
    let roster = [InputFile::new("roster", &args.roster)];
    let inputs = [prepared.inputs.as_slice(), &roster].concat();
    wfm::io::check_out_dir("--out", &args.out, &OUTPUT_FILES, &inputs)?;
    let options = EvaluateOptions {
        lenient: args.lenient,
    };
    let shown = args.scenario.display().to_string();
    let outcome =
        scenario::evaluate_roster_with(&prepared, &args.roster, options).map_err(|e| match e {
            // Errors about the roster name the roster, not the scenario.
            wfm::Error::Invalid { ref field, .. } if field.starts_with("roster") => e,
            e => e.in_file(&shown),
        })?;
    let files = outcome.write(&args.out, &prepared, &roster, chrono::Utc::now())?;
    report(&outcome, &prepared, &files);
    Ok(())
}
