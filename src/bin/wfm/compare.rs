//! `wfm compare`: actual contacts of a past period against its forecast and the plan's
//! predicted service.

use std::path::{Path, PathBuf};
use wfm::forecast::actuals;
use wfm::io::InputFile;
use wfm::{Error, Result};

/// Arguments of `wfm compare`.
#[derive(clap::Args)]
pub struct Args {
    /// The forecast of the period (`wfm forecast`'s CSV).
    forecast: PathBuf,
    /// What happened: a history CSV with RFC 3339 instants (e.g. `wfm contacts`'s
    /// history_<queue>.csv), volume and optionally aht_seconds and service_level.
    #[arg(long)]
    actual: PathBuf,
    /// `coverage.csv` of the plan for the period, for the predicted service level.
    #[arg(long)]
    coverage: Option<PathBuf>,
    /// Queue of `--coverage` to compare (default: its only queue).
    #[arg(long)]
    queue: Option<String>,
    /// IANA zone of the local days (default UTC).
    #[arg(long, default_value = "UTC")]
    zone: String,
    /// Folder for compare_intervals.csv and compare_days.csv (created if missing).
    #[arg(long)]
    out: PathBuf,
}

/// Reads `p`, at most `max_bytes` of it (a huge file or an endless device is an error after
/// that many bytes, not a read into memory).
fn read(p: &Path, what: &str, max_bytes: u64) -> Result<(String, String)> {
    let name = p.display().to_string();
    let text = wfm::limits::read_text(p, &name, what, max_bytes)?;
    Ok((name, text))
}

/// The files `wfm compare` writes.
const FILES: [&str; 2] = ["compare_intervals.csv", "compare_days.csv"];

/// Runs `wfm compare`.
pub fn run(a: Args) -> Result<()> {
    let zone = wfm::time::parse_tz("--zone", &a.zone)?;
    let mut inputs = vec![
        InputFile::new("forecast", &a.forecast),
        InputFile::new("actual history", &a.actual),
    ];
    if let Some(c) = &a.coverage {
        inputs.push(InputFile::new("coverage", c));
    }
    // Before any work: the outputs must not replace a file this command reads.
    wfm::io::check_out_dir("--out", &a.out, &FILES, &inputs)?;
    let (fname, ftext) = read(&a.forecast, "forecast file", wfm::limits::MAX_CSV_BYTES)?;
    let (aname, atext) = read(&a.actual, "history file", wfm::limits::MAX_CSV_BYTES)?;
    let cov = a
        .coverage
        .as_ref()
        .map(|c| read(c, "coverage file", wfm::limits::MAX_OUTPUT_FILE_BYTES))
        .transpose()?;
    let queue = match (&cov, &a.queue) {
        (_, Some(q)) => q.clone(),
        (Some((cname, ctext)), None) => {
            let mut rdr = csv::Reader::from_reader(ctext.as_bytes());
            let qcol = rdr
                .headers()
                .ok()
                .and_then(|h| h.iter().position(|x| x == "queue"))
                .ok_or_else(|| Error::parse(cname, 1, "no queue column"))?;
            let mut names = std::collections::BTreeSet::new();
            for r in rdr.records().flatten() {
                names.insert(r.get(qcol).unwrap_or("").to_string());
            }
            if names.len() != 1 {
                return Err(Error::invalid(
                    "--queue",
                    format!("{cname} has queues {names:?}: name one"),
                ));
            }
            names.into_iter().next().unwrap_or_default()
        }
        (None, None) => String::new(),
    };
    let c = actuals::compare(
        (&aname, &atext),
        (&fname, &ftext),
        cov.as_ref()
            .map(|(n, t)| ((n.as_str(), t.as_str()), queue.as_str())),
        zone,
    )?;
    // Both files as one set, never over an input (see docs/outputs.md).
    let written = wfm::io::write::write_set(
        &a.out,
        &[(FILES[0], c.intervals_csv()), (FILES[1], c.days_csv())],
        &FILES,
        &inputs,
    )?;
    match c.wape_and_bias() {
        Some((w, b)) => outln!(
            "{} intervals; forecast error: WAPE {:.1} %, bias {:+.1} % (forecast − actual){}",
            c.intervals.len(),
            100.0 * w,
            100.0 * b,
            if c.outside > 0 {
                format!(
                    "; {} actual rows outside the forecast's horizon not compared",
                    c.outside
                )
            } else {
                String::new()
            }
        ),
        None => outln!("no actual contacts in the forecast's horizon"),
    }
    out!("{}", c.days_csv());
    outln!("wrote:");
    for p in written {
        outln!("  {}", p.display());
    }
    Ok(())
}
