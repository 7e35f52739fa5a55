//! The run behind `wfm simulate` and `wfm plan --simulate`: a scenario's queues and a
//! roster played by [`crate::simulate`], and the simulated service put beside the queueing
//! model's prediction.
//!
//! * Each queue arrives as a Poisson process with its forecast volume per interval, with
//!   the chosen handle-time law around its forecast handle time, and exponential patience
//!   with its `patience_seconds` when it has one. A replayed contact log replaces one
//!   queue's arrivals (its handle times and abandonments are replayed too).
//! * Each roster row's agent serves the queue of its site and template; a multi-skill
//!   template's agent serves all its queues, taking the waiting contact of its smallest
//!   priority number first.
//! * **Shrinkage** is played as time off the phones: in each interval, of the agents a
//!   queue has on duty for the whole interval, as many as the queueing model takes off
//!   (`scheduled − productive`) are off for that interval: those off in the interval before
//!   stay off, and the rest are those who have been off the least, so that agents come and
//!   go as seldom as the counts allow. A contact in progress is finished first, as at a
//!   break (the time is reported as late off the phones). So the simulation and the
//!   prediction see the same number of agents on the phones.

use super::Prepared;
use crate::demand::{Channel, Queue};
use crate::error::{Error, Result};
use crate::evaluate::{
    Coverage, Routing, SimulatedCoverage, SimulatedQueue, SimulatedSummary, SimulatedValue, Summary,
};
use crate::forecast::{read_contact_log, ContactLogFormat};
use crate::io::parse_roster_routed_lines;
use crate::queueing::{productive_agents, Target};
use crate::shifts::ShiftInstance;
use crate::simulate::{
    self, agents_from_roster, replay_contacts, Estimate, HandleTime, Patience, Segment, SegmentEnd,
    SimAgent, SimModel, SimOptions, SimQueue, SimResults,
};
use std::path::{Path, PathBuf};

/// A contact log to replay into one queue.
#[derive(Debug, Clone)]
pub struct ReplaySpec {
    /// The log file.
    pub path: PathBuf,
    /// Its columns.
    pub format: ContactLogFormat,
    /// The queue whose arrivals it replaces (`None`: the scenario's only queue).
    pub queue: Option<String>,
    /// Replay an unsorted log in arrival order (otherwise it is an error).
    pub sort: bool,
}

/// What to simulate and how.
#[derive(Debug, Clone)]
pub struct SimulateSpec {
    /// Replications, seed, routing and threads.
    pub options: SimOptions,
    /// Handle-time law of the Poisson arrivals (exponential: the Erlang assumption).
    pub handle: HandleTime,
    /// A contact log to replay, if any.
    pub replay: Option<ReplaySpec>,
}

impl Default for SimulateSpec {
    fn default() -> Self {
        SimulateSpec {
            options: SimOptions::default(),
            handle: HandleTime::Exponential,
            replay: None,
        }
    }
}

/// A simulation of a scenario's roster.
#[derive(Debug, Clone)]
pub struct Simulated {
    /// Every figure per queue and interval, and the totals.
    pub results: SimResults,
    /// With a replayed log: contacts replayed, and contacts of the log left out because
    /// they abandoned before reaching the queue.
    pub replay: Option<(usize, usize)>,
}

fn within_seconds(q: &Queue) -> Option<f64> {
    q.targets.iter().find_map(|t| match t {
        Target::ServiceLevel { within_seconds, .. } => Some(*within_seconds),
        _ => None,
    })
}

fn routing(p: &Prepared) -> Result<Routing> {
    let mut r = Routing::new();
    for t in &p.templates {
        let q = p
            .queues
            .iter()
            .position(|q| q.name == t.queue)
            .ok_or_else(|| Error::invalid("templates", format!("unknown queue {:?}", t.queue)))?;
        r.serve(&t.site, &t.name, q)?;
    }
    Ok(r)
}

/// The roster file of a scenario: every row's site and template must serve a queue, and
/// when the scenario names its agents, every row's agent must be one of them, at its site.
///
/// # Errors
///
/// [`Error::Io`] naming `roster_csv` when it cannot be read; [`Error::Parse`] naming it when
/// it is larger than [`crate::io::MAX_ROSTER_BYTES`] or not UTF-8; the errors of
/// [`crate::io::parse_roster_routed_lines`]; [`Error::Parse`] naming the file and line when a
/// shift lies wholly outside the horizon, or when the scenario names its agents and a row's
/// agent is not one of them, or works at another site.
pub fn read_roster_for(p: &Prepared, roster_csv: &Path) -> Result<Vec<(String, ShiftInstance)>> {
    let file = roster_csv.display().to_string();
    let text = crate::limits::read_text(
        roster_csv,
        &file,
        "roster file",
        crate::io::MAX_ROSTER_BYTES,
    )?;
    parse_roster_for(p, &file, &text)
}

/// Two shifts of one agent that overlap cannot both be played: the later row is refused
/// with its line and the line of the shift it overlaps.
fn overlapping_shifts(file: &str, rows: &[(usize, (String, ShiftInstance))]) -> Result<()> {
    let mut order: Vec<&(usize, (String, ShiftInstance))> = rows.iter().collect();
    order.sort_by(|a, b| (&a.1 .0, a.1 .1.start, a.0).cmp(&(&b.1 .0, b.1 .1.start, b.0)));
    for w in order.windows(2) {
        let [(l0, (a0, s0)), (l1, (a1, s1))] = w else {
            continue;
        };
        if a0 == a1 && s1.start < s0.end {
            // Named at the later line, against the earlier one.
            let ((line, shift), (other, earlier)) = if l0 > l1 {
                ((l0, s0), (l1, s1))
            } else {
                ((l1, s1), (l0, s0))
            };
            return Err(Error::parse(
                file,
                *line,
                format!(
                    "agent {a1:?}: the shift {} to {} overlaps the shift {} to {} of the same agent on line {other}",
                    crate::time::fmt_utc(shift.start),
                    crate::time::fmt_utc(shift.end),
                    crate::time::fmt_utc(earlier.start),
                    crate::time::fmt_utc(earlier.end),
                ),
            ));
        }
    }
    Ok(())
}

/// [`read_roster_for`] on the text of a roster CSV (from a program rather than a file);
/// `file` names it in errors.
///
/// # Errors
///
/// Those of [`read_roster_for`] after the file is read.
pub fn parse_roster_for(
    p: &Prepared,
    file: &str,
    text: &str,
) -> Result<Vec<(String, ShiftInstance)>> {
    let file = file.to_string();
    let rows = parse_roster_routed_lines(text, &file, &p.sites, &routing(p)?)?;
    // A shift with no minute inside the horizon would not be played: refused, not dropped.
    let (start, end) = (p.horizon.start(), p.horizon.end());
    if let Some((line, (agent, shift))) = rows
        .iter()
        .find(|(_, (_, s))| s.end <= start || s.start >= end)
    {
        return Err(Error::parse(
            &file,
            *line,
            format!(
                "agent {agent:?}: the shift {} to {} lies outside the horizon {} to {}, so it would not be simulated; fix the row or remove it",
                shift.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                shift.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        ));
    }
    overlapping_shifts(&file, &rows)?;
    if !p.agents.is_empty() {
        for (line, (agent, shift)) in &rows {
            match p.agents.iter().find(|a| &a.name == agent) {
                None => {
                    return Err(Error::parse(
                        &file,
                        *line,
                        format!("column agent: {agent:?} is not an agent of the scenario"),
                    ))
                }
                Some(a) if a.site != shift.site => {
                    return Err(Error::parse(
                        &file,
                        *line,
                        format!(
                            "column site: agent {agent:?} works at site {:?}, not {:?}",
                            a.site, shift.site
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// Takes shrinkage off the phones (see the module docs).
fn apply_shrinkage(p: &Prepared, agents: &mut [SimAgent]) -> Result<()> {
    let n = p.horizon.len();
    let period = p.horizon.interval_minutes() as f64 * 60.0;
    let mut off = vec![vec![false; n]; agents.len()];
    for (q, queue) in p.queues.iter().enumerate() {
        if queue.shrinkage <= 0.0 {
            continue;
        }
        let mut taken = vec![0usize; agents.len()];
        for (i, off_i) in (0..n).map(|i| (i, i as f64 * period)) {
            let mut on: Vec<usize> = agents
                .iter()
                .enumerate()
                .filter(|(_, a)| a.skills.iter().any(|s| s.queue == q))
                .filter(|(_, a)| {
                    a.segments
                        .iter()
                        .any(|s| s.start <= off_i && s.end >= off_i + period)
                })
                .map(|(k, _)| k)
                .collect();
            if on.is_empty() {
                continue;
            }
            let scheduled = on.len() as u32;
            let productive = productive_agents(scheduled, queue.shrinkage)
                .map_err(|e| Error::invalid(format!("queues[{q}].shrinkage"), e.to_string()))?;
            // Whoever is already off (for another queue of a multi-skill agent) counts
            // first; then whoever was off stays off (fewest comings and goings), then
            // whoever has been off the least.
            on.sort_by_key(|&k| (!off[k][i], i == 0 || !off[k][i - 1], taken[k], k));
            for &k in on
                .iter()
                .take((scheduled - productive.min(scheduled)) as usize)
            {
                if !off[k][i] {
                    off[k][i] = true;
                    taken[k] += 1;
                }
            }
        }
    }
    for (a, off) in agents.iter_mut().zip(&off) {
        if !off.iter().any(|&x| x) {
            continue;
        }
        let mut segments = Vec::with_capacity(a.segments.len());
        for s in &a.segments {
            let mut from = s.start;
            let first = (s.start / period).floor().max(0.0) as usize;
            let last = ((s.end / period).ceil() as usize).min(n);
            for (i, &o) in off.iter().enumerate().take(last).skip(first) {
                let (b0, b1) = (i as f64 * period, (i + 1) as f64 * period);
                if !o || b1 <= from || b0 >= s.end {
                    continue;
                }
                if b0 > from {
                    segments.push(Segment {
                        start: from,
                        end: b0,
                        then: SegmentEnd::OffPhone,
                    });
                }
                from = from.max(b1);
            }
            if s.end > from {
                segments.push(Segment {
                    start: from,
                    end: s.end,
                    then: s.then,
                });
            }
        }
        a.segments = segments;
    }
    Ok(())
}

/// The simulation model of a scenario and roster; with a replayed log, the number of
/// contacts replayed and of log contacts left out.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--queue` when a replayed log names a queue the scenario lacks, or
/// names none when the scenario has several; the errors of [`crate::forecast::read_contact_log`]
/// and [`crate::simulate::replay_contacts`] for the log; the errors of
/// [`crate::simulate::agents_from_roster`] for the roster (an entry that fails
/// [`crate::evaluate::validate_entry`], a site and template that serve no queue, overlapping shifts
/// of one agent).
pub fn sim_model(
    p: &Prepared,
    roster: &[(String, ShiftInstance)],
    spec: &SimulateSpec,
) -> Result<(SimModel, Option<(usize, usize)>)> {
    let mut queues: Vec<SimQueue> = p
        .queues
        .iter()
        .map(|q| SimQueue {
            name: q.name.clone(),
            channel: q.channel,
            volume: q.volume.clone(),
            aht_seconds: q.aht_seconds.clone(),
            within_seconds: within_seconds(q),
            handle: spec.handle,
            patience: match (q.channel, q.patience_seconds) {
                (Channel::Backlog { .. }, _) | (_, None) => Patience::None,
                (_, Some(p)) => Patience::Exponential { mean_seconds: p },
            },
            replay: None,
        })
        .collect();
    let mut replayed = None;
    if let Some(r) = &spec.replay {
        let k = match &r.queue {
            Some(name) => p
                .queues
                .iter()
                .position(|q| &q.name == name)
                .ok_or_else(|| {
                    Error::invalid(
                        "--queue",
                        format!("{name:?} is not a queue of the scenario"),
                    )
                })?,
            None if p.queues.len() == 1 => 0,
            None => {
                return Err(Error::invalid(
                    "--queue",
                    "the scenario has several queues: name the one the log replays",
                ))
            }
        };
        let file = r.path.display().to_string();
        let log = read_contact_log(&r.path, &r.format)?;
        let replay = replay_contacts(&log, &file, &p.horizon, r.sort)?;
        replayed = Some((replay.contacts.len(), replay.abandoned_before_queue));
        let q = &mut queues[k];
        q.handle = HandleTime::Replayed;
        if !matches!(q.channel, Channel::Backlog { .. }) {
            q.patience = Patience::Replayed;
        }
        q.replay = Some(replay.contacts);
    }
    let routing = routing(p)?;
    let mut agents = agents_from_roster(&p.horizon, roster, &routing, p.queues.len())?;
    if p.templates.iter().any(|t| t.skills.len() > 1) {
        agents = multi_skill_agents(p, roster, &routing)?;
    }
    apply_shrinkage(p, &mut agents)?;
    Ok((
        SimModel {
            horizon: p.horizon,
            queues,
            agents,
        },
        replayed,
    ))
}

/// The roster's agents when templates serve several queues: the shifts of each agent are
/// grouped by their template's skills, and each group plays as one simulated agent with
/// those skills and priorities (a freed agent takes the waiting contact of its smallest
/// priority number). The whole roster has been checked by [`agents_from_roster`] first.
fn multi_skill_agents(
    p: &Prepared,
    roster: &[(String, ShiftInstance)],
    routing: &Routing,
) -> Result<Vec<SimAgent>> {
    type Rows = Vec<(String, ShiftInstance)>;
    let mut groups: Vec<(Vec<simulate::SimSkill>, Rows)> = Vec::new();
    for (agent, shift) in roster {
        let skills: Vec<simulate::SimSkill> = match p
            .templates
            .iter()
            .find(|t| t.site == shift.site && t.name == shift.template)
        {
            Some(t) => t
                .skill_list()
                .iter()
                .filter_map(|s| {
                    let q = p.queues.iter().position(|q| q.name == s.queue)?;
                    Some(simulate::SimSkill {
                        queue: q,
                        priority: s.priority,
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        match groups.iter_mut().find(|(k, _)| *k == skills) {
            Some((_, rows)) => rows.push((agent.clone(), shift.clone())),
            None => groups.push((skills, vec![(agent.clone(), shift.clone())])),
        }
    }
    let mut out = Vec::new();
    for (skills, rows) in groups {
        let mut agents = agents_from_roster(&p.horizon, &rows, routing, p.queues.len())?;
        if !skills.is_empty() {
            for a in &mut agents {
                a.skills = skills.clone();
            }
        }
        out.extend(agents);
    }
    Ok(out)
}

/// Simulates `roster` under the scenario. `progress` hears replications done.
///
/// # Errors
///
/// The errors of [`sim_model`], and of [`crate::simulate::simulate`] ([`Error::Invalid`] naming a
/// field of the model or `spec.options`, e.g. `replications` when 0 or `warm_up_intervals` when
/// warm-up and cool-down leave no interval).
pub fn simulate_roster(
    p: &Prepared,
    roster: &[(String, ShiftInstance)],
    spec: &SimulateSpec,
    progress: Option<&(dyn Fn(u32) + Sync)>,
) -> Result<Simulated> {
    let (model, replay) = sim_model(p, roster, spec)?;
    let results = simulate::simulate(&model, &spec.options, progress)?;
    Ok(Simulated { results, replay })
}

fn value(e: &Estimate) -> SimulatedValue {
    SimulatedValue::new(e.mean, e.ci_low, e.ci_high)
}

/// Puts the simulated service level beside the prediction in a coverage and summary
/// (`wfm plan --simulate`).
pub fn attach_simulation(coverage: &mut Coverage, summary: &mut Summary, r: &SimResults) {
    coverage.simulated = Some(SimulatedCoverage {
        replications: r.replications,
        seed: r.seed,
        service_level: r
            .queues
            .iter()
            .map(|q| {
                q.intervals
                    .iter()
                    .map(|f| value(&f.service_level))
                    .collect()
            })
            .collect(),
    });
    summary.simulated = Some(SimulatedSummary {
        replications: r.replications,
        seed: r.seed,
        service_level: value(&r.total.service_level),
        queues: r
            .queues
            .iter()
            .map(|q| SimulatedQueue {
                queue: q.name.clone(),
                service_level: value(&q.total.service_level),
                asa_seconds: value(&q.total.asa_seconds),
                abandon_share: value(&q.total.abandon_share),
            })
            .collect(),
    });
}

/// Simulates the roster of a run (`wfm plan --simulate`) and puts the simulated service
/// beside the prediction in its coverage and summary.
///
/// # Errors
///
/// The errors of [`simulate_roster`] for the outcome's roster.
pub fn simulate_outcome(
    p: &Prepared,
    outcome: &mut super::Outcome,
    spec: &SimulateSpec,
    progress: Option<&(dyn Fn(u32) + Sync)>,
) -> Result<Simulated> {
    let s = simulate_roster(p, &outcome.roster, spec, progress)?;
    attach_simulation(&mut outcome.coverage, &mut outcome.summary, &s.results);
    Ok(s)
}

/// Writes `simulation.csv` and `simulation.json` into `dir` (both built first, so an error
/// writes nothing). Returns the paths written.
///
/// # Errors
///
/// [`Error::Invalid`] naming `simulation of queue "NAME"` when the results have fewer intervals
/// than the horizon; the errors of [`crate::io::write_files`] (a `dir` that is a file, or
/// [`Error::Io`] naming the folder or a file that cannot be written or moved into place).
pub fn write_simulation(dir: &Path, p: &Prepared, s: &Simulated) -> Result<Vec<PathBuf>> {
    let files = [
        ("simulation.csv", crate::io::simulation_csv(&s.results)?),
        (
            "simulation.json",
            crate::io::simulation_json(&p.name, &s.results, s.replay)?,
        ),
    ];
    crate::io::write_files(dir, &files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    const SCENARIO: &str = r#"{
      "name": "t",
      "horizon": { "start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1 },
      "sites": [ { "name": "s", "zone": "UTC" } ],
      "queues": [ { "name": "v", "volume": 10, "aht_seconds": 60, "shrinkage": 0.3,
          "targets": { "service_level": { "fraction": 0.8, "within_seconds": 20 } } } ],
      "templates": [ { "name": "t", "site": "s", "queue": "v", "paid_minutes": 480,
          "start_windows": [ { "days": ["mon"], "from": "00:00", "to": "16:00" } ] } ]
    }"#;

    fn on_phones(agents: &[SimAgent], i: usize) -> Vec<usize> {
        let (a, b) = (i as f64 * 3600.0, (i + 1) as f64 * 3600.0);
        agents
            .iter()
            .enumerate()
            .filter(|(_, x)| x.segments.iter().any(|s| s.start <= a && s.end >= b))
            .map(|(k, _)| k)
            .collect()
    }

    #[test]
    fn shrinkage_takes_the_productive_count_off_and_keeps_the_same_agents_off() {
        let p = Scenario::parse(SCENARIO, "t.json")
            .unwrap()
            .prepare(Path::new("."))
            .unwrap();
        let mut agents: Vec<SimAgent> = (0..10)
            .map(|k| SimAgent {
                name: format!("a{k}"),
                skills: vec![crate::simulate::SimSkill {
                    queue: 0,
                    priority: 0,
                }],
                segments: vec![Segment {
                    start: 0.0,
                    end: 8.0 * 3600.0,
                    then: SegmentEnd::ShiftEnd,
                }],
            })
            .collect();
        apply_shrinkage(&p, &mut agents).unwrap();
        let first = on_phones(&agents, 0);
        for i in 0..8 {
            // round(10 × 0.7) = 7 on the phones, the same 7 all day.
            assert_eq!(on_phones(&agents, i), first, "interval {i}");
        }
        assert_eq!(first.len(), 7);
        assert!(on_phones(&agents, 8).is_empty());
        // The three off are off the whole shift: nothing of it is left on the phones.
        let off: Vec<&SimAgent> = agents.iter().filter(|a| a.segments.is_empty()).collect();
        assert_eq!(off.len(), 3);
    }
}
