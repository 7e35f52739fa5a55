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

mod erlang;
mod forecast;
mod plan;
mod reforecast;

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
    /// Forecast volume and handle time from history, or backtest forecasting methods.
    Forecast(forecast::Args),
    /// Plan shifts and a roster for a scenario file and write CSV, JSON, ICS and HTML outputs.
    Plan(plan::PlanArgs),
    /// Re-evaluate an existing roster against a scenario.
    Evaluate(plan::EvaluateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Erlang(args) => erlang::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Plan(args) => plan::run_plan(args),
        Command::Evaluate(args) => plan::run_evaluate(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
