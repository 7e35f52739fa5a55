//! Deterministic mutations of a valid input file, for `tests/hostile_mutations.rs`: cuts,
//! line and column edits, encodings, hostile numbers and dates, long cells and, for JSON,
//! deep nesting, duplicate keys and numbers written as strings. Each mutation has a label
//! that the harness prints with any failure, so a failing case can be rebuilt by hand.

/// A mutated file: what was done, and the bytes.
pub struct Case {
    /// What was done to the valid file (e.g. `drop column 2`).
    pub label: String,
    /// The mutated file.
    pub bytes: Vec<u8>,
}

/// Numbers that break naive code.
pub const NASTY_NUMBERS: [&str; 14] = [
    "0",
    "-1",
    "-0",
    "1e308",
    "-1e308",
    "1e400",
    "NaN",
    "inf",
    "-inf",
    "4294967296",
    "18446744073709551616",
    "0.0000001",
    "1,5",
    "\"12\"",
];

/// Dates and times out of range, impossible, or in a daylight-saving gap or fold (New
/// York, Paris and London all change clocks on these nights).
pub const NASTY_DATES: [&str; 12] = [
    "0000-01-01 00:00",
    "9999-12-31 23:59",
    "10000-01-01 00:00",
    "2024-02-30 08:00",
    "2027-13-01 08:00",
    "2027-02-01 24:00",
    "2027-02-01 23:60",
    "2027-03-14 02:30",
    "2027-11-07 01:30",
    "2027-03-28 01:30",
    "2027-10-31 02:30",
    "-2027-02-01 08:00",
];

fn case(label: impl Into<String>, bytes: Vec<u8>) -> Case {
    Case {
        label: label.into(),
        bytes,
    }
}

/// Lines of `text` without their ends.
fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn join(lines: &[String]) -> Vec<u8> {
    let mut s = lines.join("\n");
    s.push('\n');
    s.into_bytes()
}

/// The field delimiter of a CSV text: the most frequent of `,` `;` tab on its first line.
fn delimiter(text: &str) -> char {
    let first = text.lines().next().unwrap_or("");
    [',', ';', '\t', '|']
        .into_iter()
        .max_by_key(|&d| first.matches(d).count())
        .unwrap_or(',')
}

/// Splits a line on `d` (no quoting: the bundled files quote nothing that holds `d`).
fn cells(line: &str, d: char) -> Vec<String> {
    line.split(d).map(str::to_string).collect()
}

/// Byte offsets where a number starts (a digit not preceded by a letter, digit or dot).
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let prev_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        if b[i].is_ascii_digit() && prev_ok {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            // A date or time is not a number here.
            let next = b.get(j).copied().unwrap_or(b'\n');
            if !matches!(next, b'-' | b':' | b'/' | b'T') && !b[i..j].contains(&b'-') {
                out.push((i, j));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Byte spans of `YYYY-MM-DD?HH:MM` date-times.
fn datetime_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let shape = b"dddd-dd-dd?dd:dd";
    let mut out = Vec::new();
    let mut i = 0;
    while i + shape.len() <= b.len() {
        let ok = shape.iter().zip(&b[i..]).all(|(s, c)| match s {
            b'd' => c.is_ascii_digit(),
            b'?' => *c == b' ' || *c == b'T',
            _ => s == c,
        });
        if ok {
            out.push((i, i + shape.len()));
            i += shape.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Every mutation of a CSV file; `thorough` adds a cut every 13 bytes of the file.
pub fn csv_cases(valid: &str, thorough: bool) -> Vec<Case> {
    let mut out = common_cases(valid, thorough);
    let d = delimiter(valid);
    let ls = lines(valid);
    let n = ls.len();
    let picks: Vec<usize> = {
        let mut v = vec![0, 1, n / 2, n.saturating_sub(1)];
        v.dedup();
        v.retain(|&i| i < n);
        v
    };
    for &i in &picks {
        let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
        v.remove(i);
        out.push(case(format!("drop line {}", i + 1), join(&v)));
        let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
        v.insert(i, ls[i].to_string());
        out.push(case(format!("duplicate line {}", i + 1), join(&v)));
        if i + 1 < n {
            let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
            v.swap(i, i + 1);
            out.push(case(
                format!("swap lines {} and {}", i + 1, i + 2),
                join(&v),
            ));
        }
        let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
        v[i] = String::new();
        out.push(case(format!("blank line {}", i + 1), join(&v)));
    }
    let width = cells(ls.first().copied().unwrap_or(""), d).len();
    let map_cols = |f: &dyn Fn(Vec<String>) -> Vec<String>| -> Vec<u8> {
        let v: Vec<String> = ls
            .iter()
            .map(|l| f(cells(l, d)).join(&d.to_string()))
            .collect();
        join(&v)
    };
    for j in 0..width {
        out.push(case(
            format!("drop column {}", j + 1),
            map_cols(&|mut c| {
                if j < c.len() {
                    c.remove(j);
                }
                c
            }),
        ));
        out.push(case(
            format!("duplicate column {}", j + 1),
            map_cols(&|mut c| {
                if j < c.len() {
                    let x = c[j].clone();
                    c.insert(j, x);
                }
                c
            }),
        ));
        if j + 1 < width {
            out.push(case(
                format!("swap columns {} and {}", j + 1, j + 2),
                map_cols(&|mut c| {
                    if j + 1 < c.len() {
                        c.swap(j, j + 1);
                    }
                    c
                }),
            ));
        }
        // An empty cell in the first and in the last data row.
        for row in [1, n.saturating_sub(1)] {
            if row == 0 || row >= n {
                continue;
            }
            let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
            let mut c = cells(&v[row], d);
            if j < c.len() {
                c[j] = String::new();
            }
            v[row] = c.join(&d.to_string());
            out.push(case(
                format!("empty cell line {} column {}", row + 1, j + 1),
                join(&v),
            ));
        }
        // A very long cell (100 000 characters) on line 2, and a long name in the header.
        if n > 1 {
            let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
            let mut c = cells(&v[1], d);
            if j < c.len() {
                c[j] = "x".repeat(100_000);
            }
            v[1] = c.join(&d.to_string());
            out.push(case(format!("long cell line 2 column {}", j + 1), join(&v)));
        }
    }
    // Extra unknown columns, with and without cells.
    let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
    for (k, l) in v.iter_mut().enumerate() {
        l.push(d);
        l.push_str(if k == 0 { "extra" } else { "1" });
    }
    out.push(case("extra column", join(&v)));
    let mut v: Vec<String> = ls.iter().map(|s| s.to_string()).collect();
    if n > 1 {
        v[1].push(d);
        v[1].push_str("stray");
    }
    out.push(case("stray cell on line 2", join(&v)));
    out
}

/// Every mutation of a JSON file; `thorough` adds a cut every 13 bytes of the file.
pub fn json_cases(valid: &str, thorough: bool) -> Vec<Case> {
    let mut out = common_cases(valid, thorough);
    // Deep nesting in place of the first value, and as the whole file.
    if let Some(at) = valid.find(':') {
        let mut s = valid.to_string();
        s.insert_str(
            at + 1,
            &format!("{}1{},", "[".repeat(100_000), "]".repeat(100_000)),
        );
        out.push(case("deeply nested first value", s.into_bytes()));
    }
    out.push(case(
        "deeply nested file",
        format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000)).into_bytes(),
    ));
    // Every key given twice, one at a time (the first dozen keys).
    let keys: Vec<(usize, String)> = valid
        .match_indices('"')
        .filter_map(|(i, _)| {
            let rest = &valid[i + 1..];
            let end = rest.find('"')?;
            let after = rest[end + 1..].trim_start();
            after.starts_with(':').then(|| (i, rest[..end].to_string()))
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (i, key) in keys.iter().filter(|(_, k)| seen.insert(k.clone())).take(12) {
        let mut s = valid.to_string();
        let line_end = valid[*i..].find('\n').map_or(valid.len(), |e| i + e);
        let entry = valid[*i..line_end].trim_end_matches(',').to_string();
        // Only a scalar entry on one line can be repeated as is.
        if entry.ends_with('{') || entry.ends_with('[') {
            continue;
        }
        s.insert_str(*i, &format!("{entry},\n"));
        out.push(case(format!("duplicate key {key}"), s.into_bytes()));
        let mut s = valid.to_string();
        s.insert_str(*i, &format!("\"{key}_unknown\": 1,\n"));
        out.push(case(format!("unknown key beside {key}"), s.into_bytes()));
    }
    // Numbers written as strings.
    for (a, b) in number_spans(valid).into_iter().take(8) {
        let mut s = valid.to_string();
        s.replace_range(a..b, &format!("\"{}\"", &valid[a..b]));
        out.push(case(
            format!("number at byte {a} as a string"),
            s.into_bytes(),
        ));
    }
    out.push(case("null", b"null".to_vec()));
    out.push(case("array", b"[]".to_vec()));
    out
}

/// Mutations that fit any text: cuts, encodings, bytes, numbers and dates.
fn common_cases(valid: &str, thorough: bool) -> Vec<Case> {
    let b = valid.as_bytes();
    let mut out = Vec::new();
    // Cuts: the first bytes, then every eighth of the file, then every few bytes around the
    // end of the first data line.
    let first_line_end = valid.find('\n').unwrap_or(b.len());
    let mut cuts: Vec<usize> = vec![0, 1, 2, 3, 5, 8];
    cuts.extend((1..8).map(|k| b.len() * k / 8));
    cuts.extend((first_line_end..(first_line_end + 80).min(b.len())).step_by(7));
    if thorough {
        cuts.extend((0..b.len()).step_by(13));
    }
    cuts.sort_unstable();
    cuts.dedup();
    for at in cuts {
        out.push(case(format!("cut at byte {at}"), b[..at].to_vec()));
    }
    let mid = valid.len() / 2;
    out.push(case("BOM", [b"\xef\xbb\xbf".as_slice(), b].concat()));
    out.push(case("CRLF", valid.replace('\n', "\r\n").into_bytes()));
    out.push(case("CR only", valid.replace('\n', "\r").into_bytes()));
    let mut v = b.to_vec();
    v.insert(mid, 0);
    out.push(case("NUL in the middle", v));
    let mut v = b.to_vec();
    v.splice(mid..mid, [0xff, 0xfe, 0xc3]);
    out.push(case("invalid UTF-8 in the middle", v));
    let mut v = b.to_vec();
    v.extend_from_slice(&[0xc3]);
    out.push(case("invalid UTF-8 at the end", v));
    out.push(case(
        "UTF-16",
        [
            vec![0xff, 0xfe],
            valid.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ]
        .concat(),
    ));
    // Numbers: the first number of the second line and of the middle of the file.
    let spans = number_spans(valid);
    let second = spans.iter().find(|(a, _)| *a > first_line_end).copied();
    let middle = spans.iter().find(|(a, _)| *a > mid).copied();
    for (where_, span) in [("first", second), ("middle", middle)] {
        let Some((a, e)) = span else { continue };
        for num in NASTY_NUMBERS {
            let mut s = valid.to_string();
            s.replace_range(a..e, num);
            out.push(case(format!("{where_} number {num}"), s.into_bytes()));
        }
    }
    // Date-times: the first and one in the middle.
    let dates = datetime_spans(valid);
    let picks = [dates.first().copied(), dates.get(dates.len() / 2).copied()];
    for (where_, span) in ["first", "middle"].into_iter().zip(picks) {
        let Some((a, e)) = span else { continue };
        let sep = &valid[a + 10..a + 11];
        for d in NASTY_DATES {
            let mut s = valid.to_string();
            s.replace_range(a..e, &d.replacen(' ', sep, 1));
            out.push(case(format!("{where_} date-time {d}"), s.into_bytes()));
        }
    }
    // A very long line of one cell, and a file of only line ends.
    out.push(case(
        "long first line",
        format!("{}\n{valid}", "y".repeat(2_000_000)).into_bytes(),
    ));
    out.push(case("only line ends", vec![b'\n'; 10_000]));
    out
}
