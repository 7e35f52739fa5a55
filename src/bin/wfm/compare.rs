//! `wfm compare`: actual contacts of a past period against its forecast and the plan's
//! predicted service.

use std::path::PathBuf;
use wfm::forecast::actuals;
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

fn read(p: &PathBuf) -> Result<(String, String)> {
    let name = p.display().to_string();
    let text = std::fs::read_to_string(p).map_err(|e| Error::io(&name, e))?;
    Ok((name, text))
}

/// Runs `wfm compare`.
pub fn run(a: Args) -> Result<()> {
    let zone = wfm::time::parse_tz("--zone", &a.zone)?;
    let (fname, ftext) = read(&a.forecast)?;
    let (aname, atext) = read(&a.actual)?;
    let cov = a.coverage.as_ref().map(read).transpose()?;
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
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(a.out.display().to_string(), e))?;
    let mut written = Vec::new();
    for (name, text) in [
        ("compare_intervals.csv", c.intervals_csv()),
        ("compare_days.csv", c.days_csv()),
    ] {
        let p = a.out.join(name);
        std::fs::write(&p, text).map_err(|e| Error::io(p.display().to_string(), e))?;
        written.push(p);
    }
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
