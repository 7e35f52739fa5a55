//! `wfm simulate`: play a roster against a scenario's contacts, write simulation.csv and
//! simulation.json; and the progress line shared with `wfm plan --simulate`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;
use wfm::forecast::ContactLogFormat;
use wfm::scenario::{self, ReplaySpec, Scenario, SimulateSpec};
use wfm::simulate::{Estimate, HandleTime, SimOptions};
use wfm::{Error, Result};

/// Arguments of `wfm simulate`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (JSON; see docs/scenario.md).
    scenario: PathBuf,
    /// Roster to play (roster.csv as `wfm plan` writes it, possibly edited).
    #[arg(long)]
    roster: PathBuf,
    /// Independent replications (each figure gets a mean and a 95 % interval).
    #[arg(long, default_value_t = 20)]
    replications: u32,
    /// Seed: the same seed gives the same numbers on every machine.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Lognormal handle times with this coefficient of variation (default: exponential).
    #[arg(long)]
    handle_cv: Option<f64>,
    /// Agents take backlog work by skill priority alone (default: live work first).
    #[arg(long)]
    backlog_by_priority: bool,
    /// Worker threads (default: every core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    log: LogArgs,
    /// Folder for simulation.csv and simulation.json (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Show progress on stderr even when it is not a terminal.
    #[arg(long)]
    progress: bool,
}

/// A contact log to replay instead of Poisson arrivals (the columns of `--arrivals`).
#[derive(clap::Args)]
struct LogArgs {
    /// Contact log to replay (one row per contact; see docs/simulation.md).
    #[arg(long)]
    arrivals: Option<PathBuf>,
    /// Queue the log replays (needed when the scenario has several).
    #[arg(long, requires = "arrivals")]
    queue: Option<String>,
    /// Replay an unsorted log in arrival order (otherwise unsorted is an error).
    #[arg(long, requires = "arrivals")]
    sort_arrivals: bool,
    /// Field delimiter: `comma` or `tab`.
    #[arg(long, default_value = "comma", requires = "arrivals")]
    delimiter: String,
    /// Arrival column: RFC 3339, a naive local date-time, or with --date-column a time.
    #[arg(long, default_value = "arrival", requires = "arrivals")]
    arrival_column: String,
    /// Separate date column of the arrival.
    #[arg(long, requires = "arrivals")]
    date_column: Option<String>,
    /// chrono format of the date column.
    #[arg(long, default_value = "%Y-%m-%d", requires = "arrivals")]
    date_format: String,
    /// IANA zone of naive times.
    #[arg(long, default_value = "UTC", requires = "arrivals")]
    tz: String,
    /// Handle-time column (seconds).
    #[arg(long, requires = "arrivals")]
    handle_column: Option<String>,
    /// Outcome column; with --abandoned-value, the values meaning "abandoned".
    #[arg(long, requires = "arrivals")]
    outcome_column: Option<String>,
    /// A value of the outcome column meaning "abandoned" (repeatable).
    #[arg(long, requires = "arrivals")]
    abandoned_value: Vec<String>,
    /// Column with seconds spent in queue.
    #[arg(long, requires = "arrivals")]
    queue_time_column: Option<String>,
    /// Column saying whether the contact reached the queue; with --not-queued-value.
    #[arg(long, requires = "arrivals")]
    not_queued_column: Option<String>,
    /// A value of that column meaning "never reached the queue" (repeatable).
    #[arg(long, requires = "arrivals")]
    not_queued_value: Vec<String>,
    /// Column whose --exclude-value rows are left out (counted, e.g. test calls).
    #[arg(long, requires = "arrivals")]
    exclude_column: Option<String>,
    /// A value of the exclusion column (repeatable).
    #[arg(long, requires = "arrivals")]
    exclude_value: Vec<String>,
}

fn pair(
    column: &Option<String>,
    values: &[String],
    flag: &str,
) -> Result<Option<(String, Vec<String>)>> {
    match (column, values.is_empty()) {
        (Some(c), false) => Ok(Some((c.clone(), values.to_vec()))),
        (None, true) => Ok(None),
        (Some(_), true) => Err(Error::invalid(
            format!("--{flag}-value"),
            format!("--{flag}-column needs at least one --{flag}-value"),
        )),
        (None, false) => Err(Error::invalid(
            format!("--{flag}-column"),
            format!("--{flag}-value needs --{flag}-column"),
        )),
    }
}

impl LogArgs {
    fn replay(&self) -> Result<Option<ReplaySpec>> {
        let Some(path) = &self.arrivals else {
            return Ok(None);
        };
        let mut f = ContactLogFormat::new(self.arrival_column.clone());
        f.delimiter = match self.delimiter.as_str() {
            "comma" | "," => b',',
            "tab" | "\\t" => b'\t',
            other => {
                return Err(Error::invalid(
                    "--delimiter",
                    format!("must be comma or tab, got {other:?}"),
                ))
            }
        };
        f.date_column = self.date_column.clone();
        f.date_format = self.date_format.clone();
        f.tz = wfm::time::parse_tz("--tz", &self.tz)?;
        f.handle_column = self.handle_column.clone();
        f.abandoned =
            pair(&self.outcome_column, &self.abandoned_value, "abandoned").map_err(|_| {
                Error::invalid(
                    "--outcome-column",
                    "give --outcome-column and at least one --abandoned-value together",
                )
            })?;
        f.queue_column = self.queue_time_column.clone();
        f.not_queued = pair(
            &self.not_queued_column,
            &self.not_queued_value,
            "not-queued",
        )?;
        f.exclude = pair(&self.exclude_column, &self.exclude_value, "exclude")?;
        Ok(Some(ReplaySpec {
            path: path.clone(),
            format: f,
            queue: self.queue.clone(),
            sort: self.sort_arrivals,
        }))
    }
}

/// A progress line on stderr: replications done and time left.
pub fn progress_line(total: u32) -> impl Fn(u32) + Sync {
    let start = Instant::now();
    let last = Mutex::new(0u32);
    move |done: u32| {
        let Ok(mut l) = last.lock() else { return };
        if done <= *l {
            return;
        }
        *l = done;
        let spent = start.elapsed().as_secs_f64();
        let left = spent / done as f64 * (total - done.min(total)) as f64;
        eprint!("\r  simulated {done}/{total} replications, about {left:.0} s left   ");
        if done >= total {
            eprintln!();
        }
    }
}

fn pct(e: &Estimate) -> String {
    if e.mean.is_finite() {
        let half = e.half_width();
        if half.is_finite() {
            format!("{:.1} % ± {:.1}", 100.0 * e.mean, 100.0 * half)
        } else {
            format!("{:.1} %", 100.0 * e.mean)
        }
    } else {
        "n/a".to_string()
    }
}

/// Refuses 0 replications and more than the input limit, naming `flag`.
pub fn check_replications(flag: &str, replications: u32) -> Result<()> {
    if replications == 0 {
        return Err(Error::invalid(flag, "must be at least 1, got 0"));
    }
    if replications > wfm::limits::MAX_REPLICATIONS {
        return Err(Error::invalid(
            flag,
            format!(
                "must be at most {} (the input limit), got {replications}",
                wfm::limits::MAX_REPLICATIONS
            ),
        ));
    }
    Ok(())
}

pub fn run(args: Args) -> Result<()> {
    check_replications("--replications", args.replications)?;
    let prepared = Scenario::load(&args.scenario)?;
    // Before any work: the outputs must not replace a file this command reads.
    let mut inputs = prepared.inputs.clone();
    inputs.push(wfm::io::InputFile::new("roster", &args.roster));
    wfm::io::check_out_dir(
        "--out",
        &args.out,
        &["simulation.csv", "simulation.json"],
        &inputs,
    )?;
    let roster = scenario::read_roster_for(&prepared, &args.roster)?;
    let spec = SimulateSpec {
        options: SimOptions {
            replications: args.replications,
            seed: args.seed,
            live_first: !args.backlog_by_priority,
            threads: args.threads,
            ..SimOptions::default()
        },
        handle: match args.handle_cv {
            Some(cv) => HandleTime::LogNormal { cv },
            None => HandleTime::Exponential,
        },
        replay: args.log.replay()?,
    };
    let show = args.progress || std::io::stderr().is_terminal();
    let line = progress_line(args.replications);
    let progress: Option<&(dyn Fn(u32) + Sync)> = if show { Some(&line) } else { None };
    let sim = scenario::simulate_roster(&prepared, &roster, &spec, progress)?;
    let files = scenario::write_simulation(&args.out, &prepared, &sim)?;
    let r = &sim.results;
    outln!(
        "{}: {} replications (seed {})",
        prepared.name,
        r.replications,
        r.seed
    );
    if let Some((n, out)) = sim.replay {
        outln!("  replayed {n} contacts ({out} abandoned before reaching the queue, left out)");
    }
    for q in &r.queues {
        outln!(
            "  {}: offered {:.0}, service level {}, abandoned {}, ASA {:.1} s",
            q.name,
            q.total.offered.mean,
            pct(&q.total.service_level),
            pct(&q.total.abandon_share),
            q.total.asa_seconds.mean
        );
    }
    outln!(
        "  all queues: service level {}; break time lost {:.1} h, overtime {:.1} h",
        pct(&r.total.service_level),
        r.lost_break_hours.mean,
        r.overtime_hours.mean
    );
    outln!("wrote:");
    for f in files {
        outln!("  {}", f.display());
    }
    Ok(())
}
