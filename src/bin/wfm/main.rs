//! The `wfm` command: parses arguments, calls the library, writes files.
//!
//! Each subcommand lives in its own file; none holds logic a library user would need.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// `println!` that never panics: when stdout is closed early (`wfm ... | head`), the rest of
/// the output is dropped quietly.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// `print!` that never panics (see `outln!`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($t)*);
    }};
}

mod compare;
mod contacts;
mod erlang;
mod forecast;
mod plan;
mod reforecast;
mod simulate;

/// Contact-centre workforce management: forecast, staff, plan, roster, report.
#[derive(Parser)]
#[command(name = "wfm", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Agents needed for one interval (Erlang C, or Erlang A with --patience), or what N agents deliver.
    Erlang(erlang::Args),
    /// Read a contact export (Zendesk, Freshdesk, Salesforce, Jira, call records) into the interval history per queue.
    Contacts(Box<contacts::Args>),
    /// Forecast volume and handle time from history, or backtest forecasting methods.
    Forecast(forecast::Args),
    /// Plan shifts and a roster for a scenario file and write CSV, JSON, ICS and HTML outputs.
    Plan(plan::PlanArgs),
    /// Re-evaluate an existing roster against a scenario.
    Evaluate(plan::EvaluateArgs),
    /// Simulate a roster contact by contact: service per interval with confidence intervals.
    Simulate(Box<simulate::Args>),
    /// Actual contacts of a past period against its forecast and the plan's predicted service.
    Compare(compare::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Erlang(args) => erlang::run(args),
        Command::Contacts(args) => contacts::run(*args),
        Command::Forecast(args) => forecast::run(args),
        Command::Plan(args) => plan::run_plan(args),
        Command::Evaluate(args) => plan::run_evaluate(args),
        Command::Simulate(args) => simulate::run(*args),
        Command::Compare(args) => compare::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
