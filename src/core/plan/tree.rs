//! The position-free YAML tree the validator walks: the YAML library's own
//! `Value`, read by a visitor of ours so that a whole number too large for
//! 64 bits (`target: 100000000000000000000`) becomes a node the validator
//! can name, with a range message at the key's line, instead of failing
//! the whole file as a syntax error.

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};
use std::fmt;

/// The tag of a whole number beyond 64 bits, kept as its digits. It holds
/// a space, which no tag written in YAML can: a plan cannot forge it.
const BIG_INTEGER: &str = "roadmap big integer";

/// A YAML value, whole numbers of any size included.
pub(super) struct Tree(pub Value);

/// The digits of a whole number too large for 64 bits.
pub(super) fn big_integer(value: &Value) -> Option<&str> {
    match value {
        Value::Tagged(tagged) if tagged.tag == Tag::new(BIG_INTEGER) => tagged.value.as_str(),
        _ => None,
    }
}

fn big(digits: String) -> Value {
    Value::Tagged(Box::new(TaggedValue { tag: Tag::new(BIG_INTEGER), value: Value::String(digits) }))
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Value, E> {
        Ok(match i64::try_from(n) {
            Ok(n) => Value::Number(n.into()),
            Err(_) => big(n.to_string()),
        })
    }
    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Value, E> {
        Ok(match u64::try_from(n) {
            Ok(n) => Value::Number(n.into()),
            Err(_) => big(n.to_string()),
        })
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Tree::deserialize(deserializer).map(|t| t.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(Tree(key)) = map.next_key()? {
            if mapping.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate entry with key {}", shown_key(&key))));
            }
            let Tree(value) = map.next_value()?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let Tree(value) = contents.newtype_variant()?;
        Ok(Value::Tagged(Box::new(TaggedValue { tag: Tag::new(tag), value })))
    }
}

/// A repeated key as the YAML library names it.
fn shown_key(key: &Value) -> String {
    match key {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        _ => "in YAML map".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Value {
        match serde_yaml::from_str::<Tree>(text) {
            Ok(Tree(value)) => value,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[test]
    fn reads_what_the_library_reads() {
        let text = "a: 1\nb: [x, 2.5, true, ~, -3]\nc: {d: 'e'}\nf: !custom 7\n";
        let ours = read(text);
        let theirs: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn keeps_whole_numbers_past_64_bits_as_digits() {
        let value = read("t: 100000000000000000000\nn: -100000000000000000000\nsmall: 18446744073709551615\n");
        assert_eq!(value.get("t").and_then(big_integer), Some("100000000000000000000"));
        assert_eq!(value.get("n").and_then(big_integer), Some("-100000000000000000000"));
        assert_eq!(value.get("small").and_then(Value::as_u64), Some(u64::MAX));
        // A tag in the text cannot pass for one.
        assert_eq!(read("t: !roadmap 5").get("t").and_then(big_integer), None);
    }

    #[test]
    fn refuses_repeated_keys() {
        let error = serde_yaml::from_str::<Tree>("a: 1\na: 2\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.starts_with("duplicate entry with key \"a\""), "{error}");
    }
}
