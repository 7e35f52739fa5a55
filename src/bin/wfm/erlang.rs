//! `wfm erlang`: staffing for one interval, or what a given number of agents delivers.

use wfm::queueing::{Metrics, Model, Staffing, Target, Workload};
use wfm::{Error, Result};

/// Arguments of `wfm erlang`.
#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct Args {
    /// Contacts offered in the interval.
    #[arg(long)]
    volume: f64,
    /// Interval length in minutes.
    #[arg(long)]
    interval: f64,
    /// Average handle time in seconds (per session, at the given concurrency, for chat).
    #[arg(long)]
    aht: f64,
    /// Service-level target: fraction of offered contacts answered within --within seconds.
    #[arg(long)]
    sl: Option<f64>,
    /// Service-level threshold in seconds (default 20).
    #[arg(long)]
    within: Option<f64>,
    /// Average speed of answer target in seconds.
    #[arg(long)]
    asa: Option<f64>,
    /// Maximum occupancy (fraction).
    #[arg(long = "max-occupancy")]
    max_occupancy: Option<f64>,
    /// Maximum abandonment probability (fraction; needs --patience).
    #[arg(long = "max-abandon")]
    max_abandon: Option<f64>,
    /// Mean patience in seconds: switches to Erlang A (callers abandon).
    #[arg(long)]
    patience: Option<f64>,
    /// Shrinkage (fraction of paid time not on contacts), in [0, 1).
    #[arg(long, default_value_t = 0.0)]
    shrinkage: f64,
    /// Contacts one agent handles at once (chat).
    #[arg(long, default_value_t = 1)]
    concurrency: u32,
    /// Evaluate this many productive agents instead of searching.
    #[arg(long)]
    agents: Option<u32>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// Renames library field names to the flags the user typed.
fn flag_error(e: Error) -> Error {
    match e {
        Error::Invalid { field, reason } => {
            let flag = match field.as_str() {
                "volume" => "--volume".to_string(),
                "period_seconds" => "--interval".to_string(),
                "aht_seconds" => "--aht".to_string(),
                "shrinkage" => "--shrinkage".to_string(),
                "concurrency" => "--concurrency".to_string(),
                "agents" => "--agents".to_string(),
                "patience_seconds" => "--patience".to_string(),
                "service_level_seconds" => "--within".to_string(),
                f if f.ends_with("service_level.fraction") => "--sl".to_string(),
                f if f.ends_with("service_level.within_seconds") => "--within".to_string(),
                f if f.ends_with("asa.seconds") => "--asa".to_string(),
                f if f.ends_with("max_occupancy") => "--max-occupancy".to_string(),
                f if f.ends_with("max_abandon") => "--max-abandon".to_string(),
                _ => field,
            };
            Error::Invalid {
                field: flag,
                reason,
            }
        }
        other => other,
    }
}

pub fn run(args: Args) -> Result<()> {
    let within = args.within.unwrap_or(20.0);
    if !(1.0..=1440.0).contains(&args.interval) {
        return Err(Error::invalid(
            "--interval",
            format!("must be between 1 and 1440 minutes, got {}", args.interval),
        ));
    }
    let workload =
        Workload::new(args.volume, args.interval * 60.0, args.aht).map_err(flag_error)?;
    let mut s = Staffing::new(workload)
        .shrinkage(args.shrinkage)
        .and_then(|s| s.concurrency(args.concurrency))
        .and_then(|s| s.service_level_seconds(within))
        .map_err(flag_error)?;
    if let Some(p) = args.patience {
        s = s.model(Model::ErlangA {
            patience_seconds: p,
        });
    }
    if let Some(f) = args.sl {
        s = s.target(Target::ServiceLevel {
            fraction: f,
            within_seconds: within,
        });
    }
    if let Some(a) = args.asa {
        s = s.target(Target::Asa { seconds: a });
    }
    if let Some(o) = args.max_occupancy {
        s = s.target(Target::MaxOccupancy(o));
    }
    if let Some(a) = args.max_abandon {
        s = s.target(Target::MaxAbandon(a));
    }
    let (metrics, scheduled) = match args.agents {
        Some(n) => {
            let m = s.evaluate(n).map_err(flag_error)?;
            let sched = wfm::queueing::scheduled_agents(n, args.shrinkage).map_err(flag_error)?;
            (m, sched)
        }
        None => {
            if !has_targets(&args) {
                return Err(Error::invalid(
                    "targets",
                    "give --sl, --asa, --max-occupancy or --max-abandon to search, or --agents N to evaluate",
                ));
            }
            let r = s.solve().map_err(flag_error)?;
            (r.metrics, r.scheduled)
        }
    };
    let model = if args.patience.is_some() {
        "erlang_a"
    } else {
        "erlang_c"
    };
    if args.json {
        let v = serde_json::json!({
            "model": model,
            "traffic_erlangs": metrics.traffic_erlangs,
            "agents": metrics.agents,
            "scheduled": scheduled,
            "service_level": metrics.service_level,
            "service_level_seconds": metrics.service_level_seconds,
            "asa_seconds": metrics.asa_seconds,
            "occupancy": metrics.occupancy,
            "wait_probability": metrics.wait_probability,
            "abandon_probability": metrics.abandon_probability,
            "concurrency": args.concurrency,
            "shrinkage": args.shrinkage,
        });
        let mut v = v;
        if has_targets(&args) {
            v["meets_targets"] = serde_json::Value::Bool(s.meets(&metrics));
        }
        outln!("{v}");
    } else {
        print_table(model, &args, &metrics, scheduled, s.meets(&metrics));
    }
    Ok(())
}

fn has_targets(args: &Args) -> bool {
    args.sl.is_some()
        || args.asa.is_some()
        || args.max_occupancy.is_some()
        || args.max_abandon.is_some()
}

fn print_table(model: &str, args: &Args, m: &Metrics, scheduled: u32, meets: bool) {
    let name = if model == "erlang_a" {
        "Erlang A (with abandonment)"
    } else {
        "Erlang C"
    };
    outln!(
        "{name}: {} contacts in {} min, AHT {} s = {:.3} Erlangs",
        args.volume,
        args.interval,
        args.aht,
        m.traffic_erlangs
    );
    let pct = |x: f64| format!("{:.1} %", 100.0 * x);
    let asa = if m.asa_seconds.is_finite() {
        format!("{:.1} s", m.asa_seconds)
    } else {
        "unbounded (queue grows without limit)".to_string()
    };
    outln!("  agents (productive)   {}", m.agents);
    outln!(
        "  scheduled             {}   (shrinkage {})",
        scheduled,
        pct(args.shrinkage)
    );
    if args.concurrency > 1 {
        outln!("  concurrency           {}", args.concurrency);
    }
    outln!(
        "  service level         {} within {} s (of offered contacts)",
        pct(m.service_level),
        m.service_level_seconds
    );
    outln!("  ASA                   {asa}");
    outln!("  occupancy             {}", pct(m.occupancy));
    outln!("  P(wait)               {}", pct(m.wait_probability));
    if model == "erlang_a" {
        outln!("  P(abandon)            {}", pct(m.abandon_probability));
    }
    if args.agents.is_some() && has_targets(args) {
        outln!(
            "  targets               {}",
            if meets { "met" } else { "NOT met" }
        );
    }
}
