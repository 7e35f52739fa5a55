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
    /// Interval length (`30m`, `1800s`, `1h`; a bare number is minutes).
    #[arg(long)]
    interval: String,
    /// Average handle time (`180`, `180s`, `3m`; a bare number is seconds; per session, at
    /// the given concurrency, for chat).
    #[arg(long)]
    aht: String,
    /// Service-level target: fraction of offered contacts answered within --within.
    /// Without any target and without --agents: 0.8 (80 % within 20 s).
    #[arg(long)]
    sl: Option<f64>,
    /// Service-level threshold (`20`, `20s`; a bare number is seconds; default 20 s).
    #[arg(long)]
    within: Option<String>,
    /// Average speed of answer target (`30s`; a bare number is seconds).
    #[arg(long)]
    asa: Option<String>,
    /// Maximum occupancy (fraction).
    #[arg(long = "max-occupancy")]
    max_occupancy: Option<f64>,
    /// Maximum abandonment probability (fraction; needs --patience).
    #[arg(long = "max-abandon")]
    max_abandon: Option<f64>,
    /// Mean patience (`300`, `5m`; a bare number is seconds): switches to Erlang A
    /// (callers abandon).
    #[arg(long)]
    patience: Option<String>,
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

/// A duration flag in seconds (`bare` seconds per unit of a bare number).
fn secs(flag: &str, v: &Option<String>, bare: f64) -> Result<Option<f64>> {
    v.as_deref()
        .map(|s| wfm::time::parse_duration(flag, s, bare))
        .transpose()
}

pub fn run(mut args: Args) -> Result<()> {
    let interval_s = wfm::time::parse_duration("--interval", &args.interval, 60.0)?;
    let aht_s = wfm::time::parse_duration("--aht", &args.aht, 1.0)?;
    let within = secs("--within", &args.within, 1.0)?.unwrap_or(20.0);
    let asa = secs("--asa", &args.asa, 1.0)?;
    let patience = secs("--patience", &args.patience, 1.0)?;
    // The industry's default target when none is given: 80 % answered within 20 s.
    if args.agents.is_none() && !has_targets(&args) {
        args.sl = Some(0.8);
    }
    if !(60.0..=86_400.0).contains(&interval_s) {
        return Err(Error::invalid(
            "--interval",
            format!(
                "must be between 1 and 1440 minutes, got {}",
                args.interval.trim()
            ),
        ));
    }
    let workload = Workload::new(args.volume, interval_s, aht_s).map_err(flag_error)?;
    let mut s = Staffing::new(workload)
        .shrinkage(args.shrinkage)
        .and_then(|s| s.concurrency(args.concurrency))
        .and_then(|s| s.service_level_seconds(within))
        .map_err(flag_error)?;
    if let Some(p) = patience {
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
    if let Some(a) = asa {
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
        print_table(
            model,
            &args,
            (interval_s, aht_s),
            &metrics,
            scheduled,
            s.meets(&metrics),
        );
    }
    Ok(())
}

fn has_targets(args: &Args) -> bool {
    args.sl.is_some()
        || args.asa.is_some()
        || args.max_occupancy.is_some()
        || args.max_abandon.is_some()
}

fn print_table(
    model: &str,
    args: &Args,
    (interval_s, aht_s): (f64, f64),
    m: &Metrics,
    scheduled: u32,
    meets: bool,
) {
    let name = if model == "erlang_a" {
        "Erlang A (with abandonment)"
    } else {
        "Erlang C"
    };
    outln!(
        "{name}: {} contacts in {} min, AHT {} s = {:.3} Erlangs",
        args.volume,
        interval_s / 60.0,
        aht_s,
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
