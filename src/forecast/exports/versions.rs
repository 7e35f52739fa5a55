//! Versions of one contact in an export (a system that delivers a record again when it
//! learns more): a first pass finds, for each id, the version updated last.

use super::read::MAX_IDS;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The export's rows (a header line first; rows may differ in length: the reader names
/// short ones).
pub(super) fn rows_of<R: std::io::Read>(source: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(source)
}

/// The key an id is known by (its hash).
pub(super) fn id_key(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(id, &mut h);
    std::hash::Hasher::finish(&h)
}

/// The update instant and the record index of the version to read of each id, read in a
/// first pass over an export whose rows are versions of contacts
/// ([`Layout::updated_column`]): the version updated last, on a tie the later row; an
/// empty update cell is older than any instant. Rows the second pass refuses (short,
/// without an id) are passed over here and named there.
#[allow(clippy::type_complexity)]
pub(super) fn latest_versions(
    file: &str,
    source: Box<dyn std::io::Read + '_>,
    delimiter: u8,
    (id, updated, (name, number)): (usize, usize, (&str, usize)),
    line_of: &dyn Fn(Option<&csv::Position>, usize) -> usize,
    parse: impl Fn(&str) -> std::result::Result<DateTime<Utc>, String>,
) -> Result<HashMap<u64, (Option<DateTime<Utc>>, u64)>> {
    let mut rdr = rows_of(source, delimiter);
    let mut out: HashMap<u64, (Option<DateTime<Utc>>, u64)> = HashMap::new();
    let mut rec = csv::StringRecord::new();
    let mut n = 0usize;
    while rdr
        .read_record(&mut rec)
        .map_err(|e| Error::parse(file, line_of(e.position(), n + 2), e.to_string()))?
    {
        n += 1;
        let (Some(key), Some(v)) = (rec.get(id).map(str::trim), rec.get(updated).map(str::trim))
        else {
            continue;
        };
        if key.is_empty() || rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let t = match v {
            "" => None,
            v => Some(parse(v).map_err(|r| {
                Error::parse(
                    file,
                    line_of(rec.position(), n + 1),
                    format!("column {name:?} ({number}): {r}"),
                )
            })?),
        };
        let at = rec.position().map_or(0, csv::Position::record);
        let key = id_key(key);
        let full = out.len() >= MAX_IDS;
        match out.get_mut(&key) {
            Some(v) if t >= v.0 => *v = (t, at),
            Some(_) => {}
            None if full => {
                return Err(Error::parse(
                    file,
                    line_of(rec.position(), n + 1),
                    format!("more than {MAX_IDS} ids: split the export, or read it without an id column"),
                ));
            }
            None => {
                out.insert(key, (t, at));
            }
        }
    }
    Ok(out)
}
