//! Finds the line and column of a node in a YAML text, given its path; and
//! walks a text for what its position-free tree cannot show (the first node
//! too deep, a repeated key, the size once aliases are expanded).
//!
//! The plan is validated on a position-free tree; only when something is
//! wrong do we look up where. The lookup re-reads the text with a serde
//! visitor that walks the path and fails on the node it names, so the
//! YAML library itself reports that node's position (flow or block style,
//! aliases, CRLF and all).

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
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

/// Visitor methods that take any scalar but text and answer `$value`.
macro_rules! ignore_other_scalars {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i128<E: de::Error>(self, _: i128) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u128<E: de::Error>(self, _: u128) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
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
    ignore_other_scalars!(false);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// The 1-based line and column of the first node nested deeper than
/// `max` levels (the root is level 0), for texts the YAML library refused
/// as too deep to read whole.
pub(super) fn too_deep_at(text: &str, max: usize) -> Option<(usize, usize)> {
    let error = DepthProbe { left: max }.deserialize(serde_yaml::Deserializer::from_str(text)).err()?;
    error.location().map(|l| (l.line(), l.column()))
}

/// Walks the tree, failing on the first node below `left` more levels.
struct DepthProbe {
    left: usize,
}

impl<'de> DeserializeSeed<'de> for DepthProbe {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DepthProbe {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    ignore_other_scalars!(());
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let found = match self.left {
                0 => seq.next_element_seed(Probe { path: &[] })?,
                left => seq.next_element_seed(DepthProbe { left: left - 1 })?,
            };
            if found.is_none() {
                return Ok(());
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            match self.left {
                0 => map.next_value_seed(Probe { path: &[] })?,
                left => map.next_value_seed(DepthProbe { left: left - 1 })?,
            }
        }
        Ok(())
    }
}

/// Whether the tree, aliases expanded, has more than `budget` nodes. The
/// walk stops there, so it takes at most `budget` steps. False too when the
/// text is not YAML that the library reads (parsing it will say why).
pub(super) fn expands_past(text: &str, budget: usize) -> bool {
    let mut left = budget;
    let result = CountProbe { left: &mut left }.deserialize(serde_yaml::Deserializer::from_str(text));
    result.is_err() && left == 0
}

/// Walks the tree counting nodes, failing on the first one past the budget.
struct CountProbe<'l> {
    left: &'l mut usize,
}

impl CountProbe<'_> {
    fn count<E: de::Error>(self) -> Result<(), E> {
        match self.left.checked_sub(1) {
            Some(left) => {
                *self.left = left;
                Ok(())
            }
            None => Err(E::custom("too many nodes")),
        }
    }
}

impl<'de> DeserializeSeed<'de> for CountProbe<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CountProbe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.count()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.count()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.count()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.count()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.count()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.count()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.count()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.count()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let left = self.left;
        CountProbe { left: &mut *left }.count()?;
        while seq.next_element_seed(CountProbe { left: &mut *left })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let left = self.left;
        CountProbe { left: &mut *left }.count()?;
        while map.next_key_seed(CountProbe { left: &mut *left })?.is_some() {
            map.next_value_seed(CountProbe { left: &mut *left })?;
        }
        Ok(())
    }
}

/// The first key that repeats an earlier key of the same mapping: its text,
/// and its 1-based line and column. The YAML library only says which
/// mapping holds a duplicate; this finds the key itself.
pub(super) fn duplicate_key(text: &str) -> Option<(String, usize, usize)> {
    let mut found = None;
    let error = DupProbe { found: &mut found }.deserialize(serde_yaml::Deserializer::from_str(text)).err()?;
    let location = error.location()?;
    found.map(|key| (key, location.line(), location.column()))
}

/// Walks the whole tree, failing on the first repeated key.
struct DupProbe<'f> {
    found: &'f mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for DupProbe<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DupProbe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    ignore_other_scalars!(());
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(DupProbe { found: &mut *self.found })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while map.next_key_seed(DupKey { seen: &mut seen, found: &mut *self.found })?.is_some() {
            map.next_value_seed(DupProbe { found: &mut *self.found })?;
        }
        Ok(())
    }
}

/// Reads one key of a mapping; fails on it if the mapping already had it.
/// Scalar keys are told apart by kind and text, as the YAML library does.
struct DupKey<'s> {
    seen: &'s mut HashSet<(char, String)>,
    found: &'s mut Option<String>,
}

impl DupKey<'_> {
    fn check<E: de::Error>(self, kind: char, text: String) -> Result<(), E> {
        if self.seen.insert((kind, text.clone())) {
            return Ok(());
        }
        *self.found = Some(text);
        Err(E::custom("duplicate key"))
    }
}

impl<'de> DeserializeSeed<'de> for DupKey<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DupKey<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.check('b', value.to_string())
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<(), E> {
        self.check('n', value.to_string())
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<(), E> {
        self.check('n', value.to_string())
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<(), E> {
        self.check('n', value.to_string())
    }
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<(), E> {
        self.check('n', value.to_string())
    }
    fn visit_u128<E: de::Error>(self, value: u128) -> Result<(), E> {
        self.check('n', value.to_string())
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        self.check('s', value.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.check('~', String::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
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
    fn finds_the_first_node_too_deep() {
        // The root is level 0; `x` is at level 4.
        assert_eq!(too_deep_at("a: [[[x]]]\n", 3), Some((1, 7)));
        assert_eq!(too_deep_at("a: [[[x]]]\n", 2), Some((1, 6)));
        assert_eq!(too_deep_at("a: [[[x]]]\n", 4), None);
        assert_eq!(too_deep_at("a:\n b:\n  c:\n   d: 1\n", 2), Some((4, 4)));
    }

    #[test]
    fn counts_nodes_with_aliases_expanded() {
        // The mapping; `a`, its list and 2 items; `b`, its list and 2 × 3.
        let text = "a: &x [1, 2]\nb: [*x, *x]\n";
        assert!(!expands_past(text, 13));
        assert!(expands_past(text, 12));
        assert!(!expands_past("a: [1, 2", 100));
    }

    #[test]
    fn finds_the_repeated_key() {
        let text = "a: 1\nb:\n  c: 2\n  d: [x, {c: 1, c: 2}]\n  c: 3\n";
        assert_eq!(duplicate_key(text), Some(("c".to_string(), 4, 17)));
        assert_eq!(duplicate_key("a: 1\n1: x\n'1': y\n"), None);
        assert_eq!(duplicate_key("a: 1\nb: 2\na: 3\n"), Some(("a".to_string(), 3, 1)));
    }

    #[test]
    fn crlf_and_bom_keep_lines() {
        let text = "a: 1\r\nb:\r\n  c: 2\r\n";
        assert_eq!(locate(text, &[key("b"), key("c")]), Some((3, 6)));
    }
}
