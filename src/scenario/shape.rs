//! The check that every object of a scenario was written as an object: the JSON reader
//! fills an object's fields from a list in field order (`"solve": [5]`), and such a list is
//! refused, not read by position.
//!
//! The text as given and the scenario as read (written back as JSON) are each reduced to
//! their [`Shape`]: which places hold lists and which hold objects, with numbers, text and
//! lists of them left out. A list of a million numbers is one small node, so the check
//! needs memory in proportion to the objects and lists of the file, never several times the
//! file (the full JSON trees it used to compare took over 2 GB for a 60 MB series).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The containers of a JSON value.
#[derive(Debug, PartialEq)]
enum Shape {
    /// A number, text, `true`, `false` or `null`.
    Scalar,
    /// A list: the elements that are lists or objects, with their positions (ascending).
    List(Vec<(usize, Shape)>),
    /// An object: the fields whose values are lists or objects, by name.
    Object(Vec<(String, Shape)>),
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_none<E>(self) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
                Shape::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                let mut kept = Vec::new();
                let mut i = 0;
                while let Some(s) = seq.next_element::<Shape>()? {
                    if s != Shape::Scalar {
                        kept.push((i, s));
                    }
                    i += 1;
                }
                Ok(Shape::List(kept))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut kept = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let s = map.next_value::<Shape>()?;
                    if s != Shape::Scalar {
                        kept.push((k, s));
                    }
                }
                // By name, as the reader's own object type keeps them.
                kept.sort_by(|a: &(String, Shape), b| a.0.cmp(&b.0));
                Ok(Shape::Object(kept))
            }
        }
        d.deserialize_any(V)
    }
}

/// `Err(path)` at the first place where `read` has an object and `given` a list; `path` is
/// built as in error messages (`templates[0].breaks[1]`).
fn objects_given_as_objects(
    given: &Shape,
    read: &Shape,
    path: &mut String,
) -> std::result::Result<(), String> {
    match (given, read) {
        (Shape::List(_), Shape::Object(_)) => Err(path.clone()),
        (Shape::Object(g), Shape::Object(r)) => {
            for (k, gv) in g {
                if let Ok(at) = r.binary_search_by(|(rk, _)| rk.as_str().cmp(k)) {
                    let rv = &r[at].1;
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    objects_given_as_objects(gv, rv, path)?;
                    path.truncate(len);
                }
            }
            Ok(())
        }
        (Shape::List(g), Shape::List(r)) => {
            for (i, gv) in g {
                if let Ok(at) = r.binary_search_by_key(i, |(j, _)| *j) {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    objects_given_as_objects(gv, &r[at].1, path)?;
                    path.truncate(len);
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `Err(path)` at the first place where the scenario read from `text` (`read`, written back
/// as JSON) has an object and `text` has a list. Text that is not JSON passes (the reader
/// has refused it already).
pub(super) fn lists_for_objects(text: &str, read: &impl serde::Serialize) -> Result<(), String> {
    let Ok(given) = serde_json::from_str::<Shape>(text) else {
        return Ok(());
    };
    let Ok(back) = serde_json::to_string(read) else {
        return Ok(());
    };
    let Ok(read) = serde_json::from_str::<Shape>(&back) else {
        return Ok(());
    };
    objects_given_as_objects(&given, &read, &mut String::new())
}

/// `Err((path, reason))` for the first queue whose channel is `{"kind": "voice", ...}` with
/// another field: the JSON reader drops the fields of a variant that has none
/// (`"concurrency"` given to a voice queue), so they are looked for in the text.
pub(super) fn voice_channel_fields(text: &str) -> Result<(), (String, String)> {
    #[derive(serde::Deserialize)]
    struct Queue {
        #[serde(default)]
        channel: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default)]
        queues: Vec<Queue>,
    }
    let Ok(p) = serde_json::from_str::<Probe>(text) else {
        return Ok(());
    };
    for (i, q) in p.queues.iter().enumerate() {
        let Some(ch) = &q.channel else { continue };
        if ch.get("kind").and_then(|k| k.as_str()) != Some("voice") {
            continue;
        }
        if let Some(k) = ch.keys().find(|k| k.as_str() != "kind") {
            return Err((
                format!("queues[{i}].channel.{k}"),
                format!("unknown field `{k}`: a voice channel has only `kind`"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(s: &str) -> Shape {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn lists_of_scalars_are_one_node() {
        assert_eq!(shape("[1, 2, \"x\", null]"), Shape::List(vec![]));
        assert_eq!(
            shape(r#"{"a": 1, "b": [1, {"c": [2]}]}"#),
            Shape::Object(vec![(
                "b".into(),
                Shape::List(vec![(
                    1,
                    Shape::Object(vec![("c".into(), Shape::List(vec![]))])
                )])
            )])
        );
    }

    #[test]
    fn a_list_where_an_object_was_read_is_found_with_its_path() {
        let read = shape(r#"{"t": [{"w": {"a": 1}}, {"w": {"a": 2}}], "v": [1, 2]}"#);
        let given = shape(r#"{"t": [{"w": {"a": 1}}, {"w": [2]}], "v": [1, 2]}"#);
        assert_eq!(
            objects_given_as_objects(&given, &read, &mut String::new()),
            Err("t[1].w".to_string())
        );
        assert_eq!(
            objects_given_as_objects(&read, &read, &mut String::new()),
            Ok(())
        );
    }
}
