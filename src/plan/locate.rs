//! Finds the line and column of a node in a YAML text, given its path.
//!
//! The plan is validated on a position-free tree; only when something is
//! wrong do we look up where. The lookup re-reads the text with a serde
//! visitor that walks the path and fails on the node it names, so the
//! YAML library itself reports that node's position (flow or block style,
//! aliases, CRLF and all).

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One step into a YAML tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// The value under this key.
    Key(String),
    /// The key itself (for unknown keys).
    KeyName(String),
    /// The item at this index of a list.
    Index(usize),
}

pub type Path = Vec<Seg>;

/// The 1-based line and column of the node at `path`, or of its nearest
/// ancestor that exists.
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    for len in (0..=path.len()).rev() {
        let probe = Probe { path: &path[..len] };
        if let Err(error) = probe.deserialize(serde_yaml::Deserializer::from_str(text))
            && let Some(location) = error.location()
        {
            return Some((location.line(), location.column()));
        }
    }
    None
}

struct Probe<'p> {
    path: &'p [Seg],
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.path.split_first() {
            None => deserializer.deserialize_any(Hit),
            Some((Seg::Index(index), rest)) => deserializer.deserialize_seq(SeqProbe { index: *index, rest }),
            Some((Seg::Key(key), rest)) => deserializer.deserialize_map(MapProbe { key, rest, at_key: false }),
            Some((Seg::KeyName(key), _)) => deserializer.deserialize_map(MapProbe { key, rest: &[], at_key: true }),
        }
    }
}

/// Fails on whatever node it is given: the failure carries the node's position.
struct Hit;

impl Visitor<'_> for Hit {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("nothing (locating a node)")
    }
}

struct SeqProbe<'p> {
    index: usize,
    rest: &'p [Seg],
}

impl<'de> Visitor<'de> for SeqProbe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            let found = if i == self.index {
                seq.next_element_seed(Probe { path: self.rest })?.is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !found {
                return Ok(());
            }
            i += 1;
        }
    }
}

struct MapProbe<'p> {
    key: &'p str,
    rest: &'p [Seg],
    at_key: bool,
}

impl<'de> Visitor<'de> for MapProbe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(matched) = map.next_key_seed(KeyProbe { key: self.key, fail: self.at_key })? {
            if matched {
                map.next_value_seed(Probe { path: self.rest })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Reads a key; says whether it is the one sought, or fails on it when asked.
struct KeyProbe<'p> {
    key: &'p str,
    fail: bool,
}

impl<'de> DeserializeSeed<'de> for KeyProbe<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyProbe<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        match (value == self.key, self.fail) {
            (true, true) => Err(E::custom("located")),
            (matched, _) => Ok(matched),
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.to_string())
    }

    const TEXT: &str = "a: 1\nphases:\n  - id: p1\n    modules: [x, {id: m, efort: 3}]\n  - id: p2\n";

    #[test]
    fn finds_values_keys_and_items() {
        assert_eq!(locate(TEXT, &[key("a")]), Some((1, 4)));
        assert_eq!(locate(TEXT, &[key("phases"), Seg::Index(1), key("id")]), Some((5, 9)));
        assert_eq!(locate(TEXT, &[key("phases"), Seg::Index(0)]), Some((3, 5)));
        let flow = [key("phases"), Seg::Index(0), key("modules"), Seg::Index(1), Seg::KeyName("efort".into())];
        assert_eq!(locate(TEXT, &flow), Some((4, 26)));
    }

    #[test]
    fn falls_back_to_the_nearest_existing_ancestor() {
        assert_eq!(locate(TEXT, &[key("phases"), Seg::Index(1), key("title")]), Some((5, 5)));
        assert_eq!(locate(TEXT, &[key("phases"), Seg::Index(7)]), Some((3, 3)));
    }

    #[test]
    fn crlf_and_bom_keep_lines() {
        let text = "a: 1\r\nb:\r\n  c: 2\r\n";
        assert_eq!(locate(text, &[key("b"), key("c")]), Some((3, 6)));
    }
}
