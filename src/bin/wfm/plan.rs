//! `wfm plan` and `wfm evaluate` (under construction).
use wfm::{Error, Result};

/// Arguments of `wfm plan`.
#[derive(clap::Args)]
pub struct PlanArgs {
    /// Arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

/// Arguments of `wfm evaluate`.
#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// Arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

pub fn run_plan(args: PlanArgs) -> Result<()> {
    let _ = args.rest;
    Err(Error::invalid("plan", "not available yet"))
}

pub fn run_evaluate(args: EvaluateArgs) -> Result<()> {
    let _ = args.rest;
    Err(Error::invalid("evaluate", "not available yet"))
}
