//! `wfm erlang` (under construction).
use wfm::{Error, Result};

/// Arguments of `wfm erlang`.
#[derive(clap::Args)]
pub struct Args {
    /// Arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    rest: Vec<String>,
}

pub fn run(args: Args) -> Result<()> {
    let _ = args.rest;
    Err(Error::invalid("erlang", "not available yet"))
}
