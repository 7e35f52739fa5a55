//! Cells of the CSV files `wfm` writes: numbers and text made safe for the next tool.
//!
//! * **Numbers** ([`number`], [`fixed`]): rounded to a documented number of decimals per
//!   column kind, so no `2932.2999999999997`; an undefined number (an unbounded ASA, a
//!   metric without data) is an **empty cell**, never `inf` or `NaN`.
//! * **Text** ([`text`]): a name starting with `=`, `+`, `-`, `@`, a tab or a carriage
//!   return would be run as a formula by a spreadsheet; such a cell gets a leading `'`,
//!   which spreadsheets show as "text" and hide. A cell that already starts with `'` gets
//!   one more, so that [`untext`], used by the roster reader, gives back exactly the name
//!   that was written.
//!
//! `docs/outputs.md` states these rules for users.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A number rounded to `decimals` decimals with trailing zeros dropped (`2932.3`, `12`);
/// empty for NaN and infinities. `-0` is written `0`.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// A number with exactly `decimals` decimals (`0.800000`); empty for NaN and infinities.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A text cell neutralised against formula injection (see the module docs).
pub fn text(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) || s.starts_with('\'') {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The text [`text`] was given: one leading `'` is removed when what follows it would have
/// been neutralised (a formula character or another `'`). A hand-written `'abc` stays as
/// it is.
pub fn untext(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers() {
        assert_eq!(number(2932.2999999999997, 3), "2932.3");
        assert_eq!(number(12.0, 3), "12");
        assert_eq!(number(-0.0001, 3), "0");
        assert_eq!(number(f64::INFINITY, 3), "");
        assert_eq!(number(f64::NAN, 3), "");
        assert_eq!(fixed(0.8, 6), "0.800000");
        assert_eq!(fixed(-0.0, 6), "0.000000");
        assert_eq!(fixed(f64::INFINITY, 6), "");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("Ann"), "Ann");
        assert_eq!(text("'quoted"), "''quoted");
        assert_eq!(untext("'abc"), "'abc");
    }

    proptest! {
        #[test]
        fn text_round_trips(s in ".{0,12}") {
            let t = text(&s);
            prop_assert_eq!(untext(&t), s.as_str());
            prop_assert!(!t.starts_with(FORMULA_STARTS));
        }
    }
}
