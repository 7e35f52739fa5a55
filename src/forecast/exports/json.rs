//! JSON exports (Zendesk's ticket list and incremental export API, its account data export
//! of one ticket per line), turned into the table the CSV reader reads.
//!
//! Three shapes are read: an object whose first array of objects among `tickets`,
//! `ticket_metrics`, `results`, `records` and `data` holds the records (`{"tickets": [...],
//! "next_page": ..., "end_of_stream": true}`, as the list and incremental endpoints write
//! them); a top-level array of objects; and newline-delimited objects (one record per
//! line). Each record becomes a row whose columns are its keys, nested objects flattened
//! with dots (`via.channel`, `reply_time_in_minutes.calendar`). The fields of a sideloaded
//! `metric_set` (or `metrics`, `dates`) object are also given without their prefix
//! (`solved_at`), when the record has no such key itself. A record with a `group_id` also
//! gets a column `group`: the group's name when the document sideloads `groups`
//! (`[{"id": 1, "name": "Billing"}]`), else the id. Arrays are kept as their JSON
//! text, `null` is an empty cell. Columns come in the order first seen, each record's keys in
//! name order.
//!
//! Each row keeps the line its record starts on, so every error the reader gives names
//! the JSON file's line.

use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Keys of a top-level object that may hold the records, in the order tried.
const RECORD_KEYS: [&str; 5] = ["tickets", "ticket_metrics", "results", "records", "data"];
/// Nested objects whose fields are also given without their prefix.
const HOISTED: [&str; 3] = ["metric_set", "metrics", "dates"];
/// Most cells (records × columns) of the table an export becomes. Every record is a row
/// with a cell for each key any record has: records that each bring keys of their own
/// would make a table growing with the square of the file (a 2 MB file, 30 000 records of
/// one key each, is 900 million cells). A real ticket export has tens to hundreds of
/// columns: 256 MB of 1 KB tickets with 300 columns is 80 million.
pub(crate) const MAX_TABLE_CELLS: usize = 100_000_000;

/// Whether the text (its first bytes will do) starts, after a BOM and blanks, like JSON.
pub(crate) fn looks_like_json(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// 1-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    1 + text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Byte spans of the objects at nesting depth `depth` (0: the top level), each with the
/// top-level key it sits under (empty at depth 0 and 1 of an array).
fn object_spans(text: &str, depth: usize) -> Vec<(String, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut d, mut in_str, mut esc) = (0usize, false, false);
    let (mut key, mut str_start, mut last_str) = (String::new(), 0usize, String::new());
    let mut open: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
                if d == 1 {
                    last_str = text[str_start..i].to_string();
                }
            }
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                str_start = i + 1;
            }
            b':' if d == 1 => key = std::mem::take(&mut last_str),
            b'{' | b'[' => {
                if c == b'{' && d == depth {
                    open = Some(i);
                }
                d += 1;
            }
            b'}' | b']' => {
                d = d.saturating_sub(1);
                if c == b'}' && d == depth {
                    if let Some(s) = open.take() {
                        out.push((key.clone(), s, i + 1));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Flattens `v` under `prefix` into `row`.
fn flatten(prefix: &str, v: &Value, row: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, row);
            }
        }
        Value::Null => row.push((prefix.to_string(), String::new())),
        Value::String(s) => row.push((prefix.to_string(), s.clone())),
        other => row.push((prefix.to_string(), other.to_string())),
    }
}

/// One record as `(column, cell)` pairs.
fn record_row(rec: &Map<String, Value>, groups: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut row = Vec::new();
    flatten("", &Value::Object(rec.clone()), &mut row);
    for h in HOISTED {
        if let Some(Value::Object(m)) = rec.get(h) {
            for (k, x) in m {
                if !rec.contains_key(k) {
                    flatten(k, x, &mut row);
                }
            }
        }
    }
    if !rec.contains_key("group") {
        if let Some(g) = rec.get("group_id").filter(|g| !g.is_null()) {
            let id = g.as_str().map_or_else(|| g.to_string(), str::to_string);
            row.push(("group".into(), groups.get(&id).cloned().unwrap_or(id)));
        }
    }
    row
}

/// The records of a JSON export as CSV text (a header, one row per record) and the line of
/// the JSON file each CSV line stands for (index 0: the header, line 1).
///
/// # Errors
///
/// [`Error::Parse`] naming `file` and the line when the text is not JSON (or not one
/// object per line), holds no array of records, or a record is not an object.
pub(crate) fn to_csv(file: &str, text: &str) -> Result<(String, Vec<usize>)> {
    let text = crate::limits::strip_bom(text);
    let syntax = |e: serde_json::Error| Error::parse(file, e.line(), format!("not JSON: {e}"));
    // One document, or one object per line.
    let whole = serde_json::from_str::<serde::de::IgnoredAny>(text);
    let (spans, groups) = match whole {
        Ok(_) => {
            let top = text.trim_start();
            if top.starts_with('[') {
                let spans = object_spans(text, 1);
                // Every entry must be a record: one that is not is refused, not left out.
                let entries = serde_json::from_str::<Vec<serde::de::IgnoredAny>>(text)
                    .map_err(syntax)?
                    .len();
                if entries != spans.len() {
                    return Err(Error::parse(
                        file,
                        1,
                        format!(
                            "the array holds {entries} entries of which {} are objects: every record must be an object",
                            spans.len()
                        ),
                    ));
                }
                (spans, Vec::new())
            } else {
                let spans = object_spans(text, 2);
                let Some(key) = RECORD_KEYS
                    .into_iter()
                    .find(|k| spans.iter().any(|(s, _, _)| s == k))
                else {
                    return Err(Error::parse(
                        file,
                        1,
                        format!(
                            "no records: the object has no array of objects under any of the keys {}",
                            RECORD_KEYS.join(", ")
                        ),
                    ));
                };
                let (records, rest): (Vec<_>, Vec<_>) =
                    spans.into_iter().partition(|(s, _, _)| s == key);
                let groups: Vec<_> = rest.into_iter().filter(|(s, _, _)| s == "groups").collect();
                (records, groups)
            }
        }
        Err(e) if e.is_syntax() || e.is_eof() => {
            // Newline-delimited: every line an object (blank lines aside).
            let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
            let mut spans = Vec::new();
            loop {
                let start = stream.byte_offset();
                match stream.next() {
                    None => break,
                    Some(Ok(_)) => {
                        let end = stream.byte_offset();
                        let at =
                            start + text[start..end].len() - text[start..end].trim_start().len();
                        spans.push((String::new(), at, end));
                    }
                    Some(Err(_)) => return Err(syntax(e)),
                }
            }
            if spans.len() < 2 {
                return Err(syntax(e));
            }
            (spans, Vec::new())
        }
        Err(e) => return Err(syntax(e)),
    };
    let parse = |a: usize, b: usize| -> Result<Map<String, Value>> {
        match serde_json::from_str::<Value>(&text[a..b]) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(Error::parse(
                file,
                line_of(text, a),
                "a record is not an object",
            )),
            Err(e) => Err(Error::parse(
                file,
                line_of(text, a) + e.line() - 1,
                format!("not JSON: {e}"),
            )),
        }
    };
    let mut names = HashMap::new();
    for (_, a, b) in &groups {
        let g = parse(*a, *b)?;
        if let (Some(id), Some(Value::String(n))) = (g.get("id"), g.get("name")) {
            let id = id.as_str().map_or_else(|| id.to_string(), str::to_string);
            names.insert(id, n.clone());
        }
    }
    if spans.is_empty() {
        return Err(Error::parse(file, 1, "no records in the file"));
    }
    // The columns: every key of every record, in the order first seen.
    let mut columns: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (_, a, b) in &spans {
        for (k, _) in record_row(&parse(*a, *b)?, &names) {
            if !index.contains_key(&k) {
                if (columns.len() + 1).saturating_mul(spans.len()) > MAX_TABLE_CELLS {
                    return Err(Error::parse(
                        file,
                        line_of(text, *a),
                        format!(
                            "the record's key {k:?} makes {} columns: with {} records that is more than {MAX_TABLE_CELLS} cells (do the records of this file share their keys?)",
                            columns.len() + 1,
                            spans.len()
                        ),
                    ));
                }
                index.insert(k.clone(), columns.len());
                columns.push(k);
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::parse(file, 1, e.to_string());
    w.write_record(&columns).map_err(io)?;
    let mut lines = vec![1];
    // Lines counted in one pass: the spans are in file order.
    let (mut at, mut line) = (0usize, 1usize);
    for (_, a, b) in &spans {
        line += text.as_bytes()[at..*a]
            .iter()
            .filter(|&&c| c == b'\n')
            .count();
        at = *a;
        let mut cells: Vec<Option<String>> = vec![None; columns.len()];
        for (k, v) in record_row(&parse(*a, *b)?, &names) {
            if let Some(&c) = index.get(&k) {
                match &cells[c] {
                    // Two keys of one record flatten to one column with two values: keeping
                    // either would drop the other.
                    Some(first) if *first != v => {
                        return Err(Error::parse(
                            file,
                            line,
                            format!(
                                "the record gives column {k:?} twice, as {first:?} and {v:?} (a key with a dot beside a nested object of the same path, or a field of two sideloaded objects)"
                            ),
                        ));
                    }
                    _ => cells[c] = Some(v),
                }
            }
        }
        w.write_record(cells.iter().map(|c| c.as_deref().unwrap_or("")))
            .map_err(io)?;
        lines.push(line);
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::parse(file, 1, e.to_string()))?;
    let csv = String::from_utf8(bytes).map_err(|e| Error::parse(file, 1, e.to_string()))?;
    Ok((csv, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_incremental_and_line_delimited_shapes() {
        let list = "{\"tickets\": [\n {\"id\": 1, \"created_at\": \"2027-02-01T08:00:00Z\", \"group_id\": 7,\n  \"metric_set\": {\"solved_at\": \"2027-02-02T08:00:00Z\", \"reply_time_in_minutes\": {\"calendar\": 12, \"business\": 3}}},\n {\"id\": 2, \"created_at\": \"2027-02-01T09:00:00Z\", \"group_id\": 8, \"tags\": [\"a\", \"b\"], \"metric_set\": null}\n],\n\"groups\": [{\"id\": 7, \"name\": \"Billing\"}],\n\"end_of_stream\": true}\n";
        let (csv, lines) = to_csv("t.json", list).unwrap();
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        for k in [
            "id",
            "created_at",
            "group_id",
            "metric_set.solved_at",
            "solved_at",
            "reply_time_in_minutes.calendar",
            "group",
            "tags",
        ] {
            assert!(h.contains(&k.to_string()), "{k} in {h:?}");
        }
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let col = |k: &str| h.iter().position(|x| x == k).unwrap();
        assert_eq!(&rows[0][col("group")], "Billing");
        assert_eq!(&rows[1][col("group")], "8");
        assert_eq!(&rows[0][col("reply_time_in_minutes.calendar")], "12");
        assert_eq!(&rows[1][col("solved_at")], "");
        assert_eq!(&rows[1][col("tags")], "[\"a\",\"b\"]");
        assert_eq!(lines, vec![1, 2, 4]);

        let ndjson = "{\"id\": 1, \"created_at\": \"2027-02-01T08:00:00Z\"}\n\n{\"id\": 2, \"created_at\": \"2027-02-01T09:00:00Z\"}\n";
        let (csv, lines) = to_csv("t.json", ndjson).unwrap();
        assert_eq!(csv.lines().count(), 3);
        assert_eq!(lines, vec![1, 1, 3]);

        let array = "[{\"id\": 1, \"created_at\": \"x\"}, {\"id\": 2}]";
        let (csv, _) = to_csv("t.json", array).unwrap();
        // Keys in name order within a record, new ones after.
        assert_eq!(csv, "created_at,id\nx,1\n,2\n");
    }

    #[test]
    fn bad_documents_name_their_line() {
        let e = to_csv("t.json", "{\"tickets\": [\n{\"id\": 1},\n{\"id\": }]}").unwrap_err();
        assert!(e.to_string().starts_with("t.json:3: not JSON"), "{e}");
        let e = to_csv("t.json", "{\"count\": 3}").unwrap_err();
        assert!(
            e.to_string()
                .contains("no records: the object has no array"),
            "{e}"
        );
        let e = to_csv("t.json", "{\"tickets\": []}").unwrap_err();
        assert!(e.to_string().contains("no records"), "{e}");
        let e = to_csv("t.json", "[1, 2]").unwrap_err();
        assert!(
            e.to_string().contains("2 entries of which 0 are objects"),
            "{e}"
        );
        // An entry that is not a record is refused, not left out.
        let e = to_csv("t.json", "[{\"id\": 1}, 5, {\"id\": 2}]").unwrap_err();
        assert!(
            e.to_string().contains("3 entries of which 2 are objects"),
            "{e}"
        );
        // Records of keys of their own would make a table quadratic in the file's size.
        let wide: Vec<String> = (0..20_000)
            .map(|i| format!("{{\"id\": {i}, \"k{i}\": 1}}"))
            .collect();
        let e = to_csv("t.json", &format!("[{}]", wide.join(",\n"))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json:5000: the record's key \"k4999\" makes 5001 columns: with 20000 records that is more than 100000000 cells (do the records of this file share their keys?)"
        );
        // A dotted key and a nested object of the same path: neither value is dropped.
        let e = to_csv(
            "t.json",
            "[{\"id\": 1},\n {\"id\": 2, \"via.channel\": \"web\", \"via\": {\"channel\": \"email\"}}]",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.json:2: the record gives column \"via.channel\" twice, as \"email\" and \"web\" (a key with a dot beside a nested object of the same path, or a field of two sideloaded objects)"
        );
        // The same value twice is one value.
        let (csv, _) = to_csv(
            "t.json",
            "[{\"id\": 2, \"via.channel\": \"web\", \"via\": {\"channel\": \"web\"}}]",
        )
        .unwrap();
        assert_eq!(csv, "id,via.channel\n2,web\n");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(to_csv("t.json", &deep).is_err());
    }
}
