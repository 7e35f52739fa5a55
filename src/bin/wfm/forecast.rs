//! `wfm forecast`: forecast volume and handle time from a history file, or backtest methods.
use std::path::PathBuf;
use wfm::forecast::{self, BacktestOptions, HistoryFormat};
use wfm::io::InputFile;
use wfm::{Error, Result};

/// The file `wfm forecast backtest --out DIR` writes.
const BACKTEST_FILE: &str = "backtest.csv";

/// Arguments of `wfm forecast`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    /// History CSV (`interval_start,volume[,aht_seconds]`; see docs/forecasting.md).
    history: Option<PathBuf>,
    /// Method: seasonal_naive, weekly_average, holt_winters, double_seasonal, day_profile,
    /// weekday_mean, trimmed_profile, selected, ensemble, or `best` (the lowest WAPE in a backtest over --folds origins at --horizon).
    #[arg(long, default_value = "best")]
    method: String,
    /// Rolling origins of the backtest behind `--method best` (default: 4, or as many as
    /// the history holds after three weeks of training; none is an error).
    #[arg(long)]
    folds: Option<usize>,
    /// Output forecast CSV (`interval_start_utc,volume,aht_seconds`); its folder is created
    /// if missing.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Handle time when the history has none (`240`, `240s`, `4m`; a bare number is
    /// seconds).
    #[arg(long)]
    aht: Option<String>,
    /// Special days CSV (`date,name[,multiplier]`): left out of fitting, forecast by
    /// multiplier or past occurrences.
    #[arg(long)]
    special_days: Option<PathBuf>,
    #[command(flatten)]
    common: Box<Common>,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Rank methods by rolling-origin backtest; writes backtest.csv to --out DIR.
    Backtest(BacktestArgs),
    /// Score a forecast CSV from any tool against actuals (same metrics as backtests).
    Score(ScoreArgs),
    /// Re-forecast the rest of a day from its actuals so far (--forecast with --actuals),
    /// or backtest the re-forecast at local cut-off times (--history).
    Reforecast(ReforecastArgs),
}

#[derive(clap::Args)]
struct ReforecastArgs {
    /// Today's forecast CSV (as `wfm forecast` writes it).
    #[arg(long, requires = "actuals", conflicts_with = "history")]
    forecast: Option<PathBuf>,
    /// Today's actuals so far (history CSV format).
    #[arg(long, requires = "forecast")]
    actuals: Option<PathBuf>,
    /// Backtest instead: a history CSV replayed on --folds weeks at --cutoffs.
    #[arg(long)]
    history: Option<PathBuf>,
    /// Local cut-off times of the backtest.
    #[arg(long, default_value = "10:00,12:00,14:00")]
    cutoffs: String,
    /// Method of the backtest's week-ahead forecast.
    #[arg(long, default_value = "trimmed_profile")]
    method: String,
    /// Weeks replayed by the backtest.
    #[arg(long, default_value_t = 8)]
    folds: usize,
    /// Shrink constant (share of the day's forecast volume).
    #[arg(long, default_value_t = forecast::reforecast::SHRINK)]
    shrink: f64,
    #[command(flatten)]
    common: Box<Common>,
}

#[derive(clap::Args)]
struct ScoreArgs {
    /// Actuals: a history CSV (same format and options as HISTORY).
    #[arg(long)]
    actuals: PathBuf,
    /// Forecast CSV: `interval_start_utc,volume[,volume_pNN...]` (RFC 3339 UTC).
    #[arg(long)]
    forecast: PathBuf,
    /// History before the forecast, for the MASE scale (default: the actuals).
    #[arg(long)]
    history: Option<PathBuf>,
    #[command(flatten)]
    common: Box<Common>,
}

#[derive(clap::Args)]
struct BacktestArgs {
    /// History CSV.
    history: PathBuf,
    /// Number of rolling origins (default: 8, or as many as the history holds after three
    /// weeks of training; none is an error).
    #[arg(long)]
    folds: Option<usize>,
    /// Folder for backtest.csv.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Special days CSV (`date,name[,multiplier]`): left out of fitting and scoring.
    #[arg(long)]
    special_days: Option<PathBuf>,
    #[command(flatten)]
    common: Box<Common>,
}

#[derive(clap::Args)]
struct Common {
    /// Grid interval (5m, 10m, 15m, 30m, 60m or 1h, 1800s; a bare number is minutes);
    /// default: the row spacing.
    #[arg(long)]
    interval: Option<String>,
    /// Forecast horizon (e.g. 1d, 7d, 14d, 168h; a bare number is minutes).
    #[arg(long, default_value = "7d")]
    horizon: String,
    /// IANA zone of naive timestamps and of local days (default UTC).
    #[arg(long, default_value = "UTC")]
    tz: String,
    /// Name of the time column (default: recognised).
    #[arg(long)]
    time_column: Option<String>,
    /// Name of the volume column (default: recognised).
    #[arg(long)]
    volume_column: Option<String>,
    /// Name of the handle-time column (default: recognised if present).
    #[arg(long)]
    aht_column: Option<String>,
}

impl Common {
    fn format(&self) -> Result<HistoryFormat> {
        Ok(HistoryFormat {
            time_column: self.time_column.clone(),
            volume_column: self.volume_column.clone(),
            aht_column: self.aht_column.clone(),
            tz: wfm::time::parse_tz("--tz", &self.tz)?,
            interval_minutes: match &self.interval {
                Some(s) => Some(forecast::parse_minutes("--interval", s)?),
                None => None,
            },
        })
    }
}

/// Runs `wfm forecast`.
pub fn run(args: Args) -> Result<()> {
    match args.command {
        Some(Sub::Backtest(b)) => run_backtest(b),
        Some(Sub::Score(s)) => run_score(s),
        Some(Sub::Reforecast(r)) => crate::reforecast::run(
            r.forecast,
            r.actuals,
            r.history,
            &r.cutoffs,
            &r.method,
            r.folds,
            r.shrink,
            &r.common.format()?,
        ),
        None => {
            let path = args.history.ok_or_else(|| {
                Error::invalid("HISTORY", "give a history file (or `backtest HISTORY`)")
            })?;
            let aht = args
                .aht
                .as_deref()
                .map(|a| wfm::time::parse_duration("--aht", a, 1.0))
                .transpose()?;
            // Checked even when the history has handle times (then --aht is not used).
            if let Some(a) = aht {
                if !(wfm::limits::MIN_AHT_SECONDS..=wfm::limits::MAX_AHT_SECONDS).contains(&a) {
                    return Err(Error::invalid(
                        "--aht",
                        format!(
                            "must be between {} and {} seconds (the input limits), got {}",
                            wfm::limits::MIN_AHT_SECONDS,
                            wfm::limits::MAX_AHT_SECONDS,
                            wfm::limits::show(a)
                        ),
                    ));
                }
            }
            let inputs = [InputFile::new("history", &path)];
            if let Some(out) = &args.out {
                wfm::io::check_out_file("--out", out, &inputs)?;
                // A file already there is replaced only when it is a forecast wfm wrote.
                wfm::io::write::check_replaces_ours("--out", out, "interval_start_utc,volume\n")?;
            }
            let series = forecast::read_history(&path, &args.common.format()?)?;
            let unread = unread_note(&path, &args.common.format()?);
            let minutes = forecast::parse_minutes("--horizon", &args.common.horizon)?;
            let step = series.horizon().interval_minutes();
            if minutes % step != 0 {
                return Err(Error::invalid(
                    "--horizon",
                    format!("must be a multiple of the {step}-minute interval"),
                ));
            }
            // Checked before any backtest runs.
            if !series.has_aht() && aht.is_none() {
                return Err(Error::invalid(
                    "--aht",
                    format!(
                        "{} has no handle-time column; give a constant handle time (--aht 240s)",
                        path.display()
                    ),
                ));
            }
            let special = match &args.special_days {
                Some(p) => Some(forecast::read_special_days(p)?),
                None => None,
            };
            let method = if args.method == "best" {
                let fit = match &special {
                    Some(sd) => series.without_dates(&sd.days.iter().map(|d| d.date).collect()),
                    None => series.clone(),
                };
                let folds = folds_for(&fit, minutes, args.folds, 4)?;
                let (m, bt) = forecast::best_method(&fit, minutes, folds)?;
                eprint!("{}", bt.table());
                eprintln!("best method by backtest: {}", m.name());
                m
            } else {
                forecast::method_by_name(&args.method)?
            };
            let fc = match &special {
                Some(sd) => forecast::forecast_with_special_days(
                    &series,
                    method.as_ref(),
                    (minutes / step) as usize,
                    aht,
                    sd,
                )?,
                None => {
                    forecast::forecast(&series, method.as_ref(), (minutes / step) as usize, aht)?
                }
            };
            match args.out {
                Some(out) => {
                    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| Error::io(dir.display().to_string(), e))?;
                    }
                    wfm::io::write_file_atomic("--out", &out, fc.to_csv().as_bytes(), &inputs)?;
                    let total: f64 = fc.volume.iter().sum();
                    outln!(
                        "{}: {} intervals from {} ({} contacts) written to {}",
                        fc.method,
                        fc.volume.len(),
                        wfm::time::fmt_utc(fc.horizon.start()),
                        total.round(),
                        out.display()
                    );
                    if let Some(n) = &unread {
                        outln!("{n}");
                    }
                }
                None => {
                    // Stdout holds the forecast itself: the note goes to stderr.
                    if let Some(n) = &unread {
                        eprintln!("note: {n}");
                    }
                    out!("{}", fc.to_csv())
                }
            }
            Ok(())
        }
    }
}

/// The folds to run: those given, else `default` capped to what the history holds after
/// the backtest's three weeks of training. A history too short for one fold is an error
/// that says how long it must be (or, for `--method best`, to name a method).
fn folds_for(
    series: &forecast::Series,
    horizon_minutes: u32,
    given: Option<usize>,
    default: usize,
) -> Result<usize> {
    if let Some(f) = given {
        return Ok(f);
    }
    let step = series.horizon().interval_minutes().max(1);
    let h = (horizon_minutes / step).max(1) as usize;
    let slots = series.day_slots().max(1);
    let spare = series.len().saturating_sub(21 * slots);
    let fit = spare / h;
    let label = forecast::backtest::label(horizon_minutes);
    if fit == 0 {
        return Err(Error::invalid(
            "--folds",
            format!(
                "the history holds {} days: a backtest of {label} needs three weeks of training plus {label} ({} days); give a shorter --horizon or, to forecast without a backtest, a --method such as weekly_average",
                series.len() / slots,
                (21 * slots + h).div_ceil(slots)
            ),
        ));
    }
    if fit < default {
        eprintln!("note: the history holds {fit} fold(s) of {label} after three weeks of training; using {fit}");
    }
    Ok(fit.min(default))
}

fn run_backtest(b: BacktestArgs) -> Result<()> {
    let inputs = [InputFile::new("history", &b.history)];
    if let Some(dir) = &b.out {
        wfm::io::check_out_dir("--out", dir, &[BACKTEST_FILE], &inputs)?;
    }
    let mut series = forecast::read_history(&b.history, &b.common.format()?)?;
    if let Some(p) = &b.special_days {
        let dates = forecast::read_special_days(p)?
            .days
            .iter()
            .map(|d| d.date)
            .collect();
        series = series.without_dates(&dates);
    }
    let horizon_minutes = forecast::parse_minutes("--horizon", &b.common.horizon)?;
    let opts = BacktestOptions {
        horizon_minutes,
        folds: folds_for(&series, horizon_minutes, b.folds, 8)?,
    };
    let bt = forecast::backtest(&series, &forecast::methods(), opts)?;
    outln!("{} folds, origins {}", opts.folds, bt.origins().join(", "));
    if let Some(n) = unread_note(&b.history, &b.common.format()?) {
        outln!("{n}");
    }
    if !bt.unscored_folds.is_empty() {
        let folds: Vec<String> = bt.unscored_folds.iter().map(usize::to_string).collect();
        outln!(
            "folds {} have no observed interval in their window (closed or missing) and are not scored",
            folds.join(", ")
        );
    }
    out!("{}", bt.table());
    if let Some(aht) = forecast::aht_backtest(&series, opts)? {
        outln!("handle time (volume-weighted, mean over folds):");
        out!("{}", forecast::aht_table(&aht));
    }
    if let Some(dir) = b.out {
        let files = [(BACKTEST_FILE, bt.to_csv())];
        for path in wfm::io::write::write_set(&dir, &files, &[BACKTEST_FILE], &inputs)? {
            outln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// `FILE: columns not read: a, b` when the history's header has columns the reader leaves
/// aside (nothing a user gave is dropped without a word).
fn unread_note(path: &std::path::Path, format: &HistoryFormat) -> Option<String> {
    use std::io::BufRead as _;
    let f = std::fs::File::open(path).ok()?;
    let mut line = Vec::new();
    std::io::BufReader::new(std::io::Read::take(f, 1 << 20))
        .read_until(b'\n', &mut line)
        .ok()?;
    let cols = forecast::unread_columns(&String::from_utf8_lossy(&line), format);
    (!cols.is_empty()).then(|| {
        let shown: Vec<String> = cols.iter().map(|c| format!("{c:?}")).collect();
        format!("{}: columns not read: {}", path.display(), shown.join(", "))
    })
}

fn run_score(a: ScoreArgs) -> Result<()> {
    let format = a.common.format()?;
    let actuals = forecast::read_history(&a.actuals, &format)?;
    let history = match &a.history {
        Some(h) => Some(forecast::read_history(h, &format)?),
        None => None,
    };
    let fc = forecast::read_forecast(&a.forecast)?;
    // The library names the flag; the command also names the two files.
    let sc = forecast::score(&actuals, &fc, history.as_ref()).map_err(|e| match e {
        Error::Invalid { field, reason } if field == "--forecast" => Error::invalid(
            field,
            format!(
                "{} against the actuals {}: {reason}",
                a.forecast.display(),
                a.actuals.display()
            ),
        ),
        e => e,
    })?;
    out!("{}", sc.table());
    if sc.actuals_without_forecast > 0 || sc.forecast_rows_unscored > 0 {
        outln!(
            "not scored: {} observed intervals inside the forecast span without a forecast row, {} forecast rows without an observed actual (closed, missing or outside the actuals)",
            sc.actuals_without_forecast,
            sc.forecast_rows_unscored
        );
    }
    Ok(())
}
