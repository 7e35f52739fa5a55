//! `docs/scenario.schema.json` agrees with what `wfm` reads: every bundled scenario is valid
//! against it, so is each one after a round trip through the library's own types (which
//! writes every field, defaults included, so a field the code knows and the schema does not
//! fails here), and the broken scenarios whose JSON shape is wrong are invalid.
//!
//! The validator below implements the part of JSON Schema (2020-12) that the schema uses:
//! `type`, `properties`, `required`, `additionalProperties: false`, `items`, `enum`,
//! `const`, `oneOf`, `$ref` into `$defs`, `minimum`, `maximum`, `exclusiveMinimum`,
//! `exclusiveMaximum`, `minItems`, `minLength`. Any other keyword makes the test fail, so the
//! schema cannot quietly use something unchecked here.

use serde_json::Value;
use std::path::Path;

const KNOWN: &[&str] = &[
    "$schema",
    "$defs",
    "$ref",
    "title",
    "description",
    "format",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "oneOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "uniqueItems",
    "minLength",
];

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some(),
        other => panic!("unknown type {other}"),
    }
}

fn validate(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let s = schema.as_object().expect("schema object");
    for k in s.keys() {
        assert!(
            KNOWN.contains(&k.as_str()),
            "schema keyword {k} at {at} is not checked here"
        );
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        validate(root, &root["$defs"][name], v, at, errors);
    }
    if let Some(t) = s.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
            _ => panic!("bad type"),
        };
        if !ok {
            errors.push(format!("{at}: expected type {t}, got {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            errors.push(format!("{at}: {v} is not {c}"));
        }
    }
    if let Some(x) = v.as_f64() {
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        if num("minimum").is_some_and(|m| x < m)
            || num("maximum").is_some_and(|m| x > m)
            || num("exclusiveMinimum").is_some_and(|m| x <= m)
            || num("exclusiveMaximum").is_some_and(|m| x >= m)
        {
            errors.push(format!("{at}: {x} out of range"));
        }
    }
    if let (Some(m), Some(t)) = (s.get("minLength").and_then(Value::as_u64), v.as_str()) {
        if (t.chars().count() as u64) < m {
            errors.push(format!("{at}: shorter than {m}"));
        }
    }
    if let Some(a) = v.as_array() {
        if s.get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| (a.len() as u64) < m)
        {
            errors.push(format!("{at}: fewer items than allowed"));
        }
        if s.get("uniqueItems") == Some(&Value::Bool(true))
            && a.iter().enumerate().any(|(i, x)| a[..i].contains(x))
        {
            errors.push(format!("{at}: an item repeats"));
        }
        if let Some(items) = s.get("items") {
            for (i, x) in a.iter().enumerate() {
                validate(root, items, x, &format!("{at}[{i}]"), errors);
            }
        }
    }
    if let Some(o) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !o.contains_key(r.as_str().unwrap()) {
                errors.push(format!("{at}: missing {r}"));
            }
        }
        for (k, x) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(root, ps, x, &format!("{at}.{k}"), errors),
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: unknown field {k}"))
                }
                None => {}
            }
        }
    }
    if let Some(alts) = s.get("oneOf").and_then(Value::as_array) {
        let passing = alts
            .iter()
            .filter(|alt| {
                let mut e = Vec::new();
                validate(root, alt, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!("{at}: matches {passing} of the oneOf alternatives"));
        }
    }
}

fn schema() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario.schema.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn errors_of(doc: &Value) -> Vec<String> {
    let root = schema();
    let mut errors = Vec::new();
    validate(&root, &root, doc, "$", &mut errors);
    errors
}

fn json_files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn bundled_scenarios_and_their_round_trips_are_valid() {
    let files = json_files("examples/scenarios");
    assert!(files.len() >= 4);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let e = errors_of(&doc);
        assert!(e.is_empty(), "{}: {e:?}", f.display());
        let parsed = wfm::scenario::Scenario::parse(&text, "x").unwrap();
        let round = serde_json::to_value(&parsed).unwrap();
        let e = errors_of(&round);
        assert!(e.is_empty(), "{} after a round trip: {e:?}", f.display());
    }
}

#[test]
fn misshapen_scenarios_are_invalid() {
    // The broken scenarios whose JSON shape is wrong (rather than their values or their
    // meaning, which only wfm can judge).
    for name in [
        "missing_horizon",
        "unknown_field",
        "bad_interval",
        "zero_days",
        "nan_like_volume",
        "negative_volume",
        "shrinkage_one",
        "sl_above_one",
        "bad_weekday",
        "time_limit_zero",
        "unknown_backend",
    ] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/data/bad_scenarios/{name}.json"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        assert!(!errors_of(&doc).is_empty(), "{name} should be invalid");
    }
}
