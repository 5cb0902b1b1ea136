//! Strings in the binary cache. A cached plan and a snapshot hold some
//! fifty thousand strings at 10,000 tasks, nearly all of them ids such as
//! `p3.m12.t0456`; checking each as UTF-8 was the largest single cost of
//! reading them. Bytes that are all ASCII are valid UTF-8 as they are, and
//! telling that is a fraction of the work, so only the others are checked
//! in full. The bytes are the same as `String`'s own (postcard writes text
//! and bytes alike: a length, then the bytes), and human-readable formats
//! are left to serde's usual way.

use serde::de::{Error, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// A `String` read through the fast path: for map keys and tuple
/// elements, where a `deserialize_with` cannot reach.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        string(d).map(Text)
    }
}

/// A key decoded through the fast path: read as its `Wire` form, then
/// turned into itself.
pub(crate) trait Keyed<'de>: Sized {
    type Wire: Deserialize<'de>;
    fn from_wire(wire: Self::Wire) -> Self;
}

impl Keyed<'_> for String {
    type Wire = Text;
    fn from_wire(wire: Text) -> String {
        wire.0
    }
}

impl Keyed<'_> for (Str, Str) {
    type Wire = (Shared, Shared);
    fn from_wire((a, b): (Shared, Shared)) -> (Str, Str) {
        (a.0, b.0)
    }
}

/// For a `String` field.
pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    if d.is_human_readable() { String::deserialize(d) } else { d.deserialize_bytes(Bytes) }
}

/// For a `Vec<String>` field.
pub(crate) fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<Text>::deserialize(d)?.into_iter().map(|t| t.0).collect())
}

/// A map with text keys that `keyed` can fill: a hash map, or an index
/// map that keeps its entries in the order read.
pub(crate) trait KeyedMap<V> {
    fn with_capacity(capacity: usize) -> Self;
    fn put(&mut self, key: Str, value: V);
}

impl<V, H: BuildHasher + Default> KeyedMap<V> for HashMap<Str, V, H> {
    fn with_capacity(capacity: usize) -> Self {
        HashMap::with_capacity_and_hasher(capacity, H::default())
    }
    fn put(&mut self, key: Str, value: V) {
        self.insert(key, value);
    }
}

impl<V, H: BuildHasher + Default> KeyedMap<V> for indexmap::IndexMap<Str, V, H> {
    fn with_capacity(capacity: usize) -> Self {
        indexmap::IndexMap::with_capacity_and_hasher(capacity, H::default())
    }
    fn put(&mut self, key: Str, value: V) {
        self.insert(key, value);
    }
}

/// For a map field with `Str` keys (`KeyedMap`): the keys as `str` reads
/// them.
pub(crate) fn keyed<'de, D, V, M>(d: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
    M: KeyedMap<V> + Deserialize<'de>,
{
    if d.is_human_readable() {
        return M::deserialize(d);
    }
    struct Keyed<V, M>(std::marker::PhantomData<fn() -> (V, M)>);

    impl<'de, V: Deserialize<'de>, M: KeyedMap<V>> Visitor<'de> for Keyed<V, M> {
        type Value = M;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map with text keys")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
            // A length read from the bytes is trusted up to 262,144
            // entries (as many as a plan's tasks, see `plan::model`): a
            // map grown past its capacity is rebuilt, every key hashed
            // again.
            let cap = entries.size_hint().unwrap_or(0).min(1 << 18);
            let mut map = M::with_capacity(cap);
            while let Some((Shared(key), value)) = entries.next_entry::<Shared, V>()? {
                map.put(key, value);
            }
            Ok(map)
        }
    }

    d.deserialize_map(Keyed(std::marker::PhantomData))
}

struct Bytes;

impl Visitor<'_> for Bytes {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UTF-8 text")
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<String, E> {
        from_utf8(bytes).ok_or_else(|| E::invalid_value(Unexpected::Bytes(bytes), &self))
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }
}

/// Text of a plan's task: the program's own (`Owned`, as a plan file is
/// read) or a slice of a cache entry kept for the rest of the run
/// (`Borrowed`, as a cached plan is read, `keeping`). At 10,000 tasks a
/// cached plan then builds no twenty thousand strings of ids and titles.
pub(crate) type Str = std::borrow::Cow<'static, str>;

thread_local! {
    /// The bytes being read on this thread that text may borrow from, for
    /// the rest of the run (`keeping`); empty: none.
    static KEPT: std::cell::Cell<&'static [u8]> = const { std::cell::Cell::new(&[]) };
}

/// Runs `read`, which decodes from `bytes`, letting the text and blocks
/// read (`str`, `kept`) borrow from `bytes` instead of being copied.
pub(crate) fn keeping<R>(bytes: &'static [u8], read: impl FnOnce() -> R) -> R {
    struct Restore(&'static [u8]);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEPT.set(self.0);
        }
    }
    let _restore = Restore(KEPT.replace(bytes));
    read()
}

/// `part` as the same bytes of the ones being kept (`keeping`), when it
/// lies in them.
pub(crate) fn kept(part: &[u8]) -> Option<&'static [u8]> {
    let whole = KEPT.get();
    let from = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(from..from.checked_add(part.len())?)
}

/// For a `Str` field: in the binary form, borrowed from the bytes kept
/// (`keeping`) when read from them, else copied.
pub(crate) fn str<'de, D: Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
    if d.is_human_readable() { String::deserialize(d).map(Str::Owned) } else { d.deserialize_bytes(StrBytes) }
}

/// A `Str` read as `str` reads it: for map keys and tuple elements, where
/// a `deserialize_with` cannot reach.
pub(crate) struct Shared(pub(crate) Str);

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shared, D::Error> {
        str(d).map(Shared)
    }
}

/// For an `Option<Str>` field.
pub(crate) fn option_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Str>, D::Error> {
    Ok(Option::<Shared>::deserialize(d)?.map(|s| s.0))
}

struct StrBytes;

impl<'de> Visitor<'de> for StrBytes {
    type Value = Str;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UTF-8 text")
    }

    fn visit_borrowed_bytes<E: Error>(self, bytes: &'de [u8]) -> Result<Str, E> {
        let Some(kept) = kept(bytes) else { return self.visit_bytes(bytes) };
        let text = if kept.is_ascii() {
            // SAFETY: every ASCII byte is a whole UTF-8 character.
            Some(unsafe { std::str::from_utf8_unchecked(kept) })
        } else {
            std::str::from_utf8(kept).ok()
        };
        text.map(Str::Borrowed).ok_or_else(|| E::invalid_value(Unexpected::Bytes(bytes), &self))
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Str, E> {
        from_utf8(bytes).map(Str::Owned).ok_or_else(|| E::invalid_value(Unexpected::Bytes(bytes), &self))
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Str, E> {
        Ok(Str::Owned(text.to_owned()))
    }
}

/// `bytes` as a `String`, `None` when they are not UTF-8.
fn from_utf8(bytes: &[u8]) -> Option<String> {
    if bytes.is_ascii() {
        // SAFETY: every ASCII byte is a whole UTF-8 character.
        return Some(unsafe { String::from_utf8_unchecked(bytes.to_vec()) });
    }
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Fields {
        #[serde(deserialize_with = "string")]
        id: String,
        #[serde(deserialize_with = "string")]
        title: String,
        #[serde(deserialize_with = "option_str")]
        track: Option<Str>,
        #[serde(deserialize_with = "list")]
        tags: Vec<String>,
        #[serde(deserialize_with = "keyed")]
        by_id: HashMap<Str, u32>,
    }

    fn fields() -> Fields {
        Fields {
            id: "p3.m12.t0456".into(),
            title: "分布式训练（evaluation 3）".into(),
            track: Some("academic".into()),
            tags: vec!["rl".into(), "论文".into(), String::new()],
            by_id: HashMap::from([("p1.m.a".into(), 1), ("模块.b".into(), 2)]),
        }
    }

    /// ASCII and other text come back as written, in the binary form (the
    /// bytes `String` itself writes) and in JSON.
    #[test]
    fn text_comes_back_as_written_in_both_forms() {
        let binary = postcard::to_stdvec(&fields()).expect("binary");
        assert_eq!(postcard::from_bytes::<Fields>(&binary).expect("binary back"), fields());
        let plain: (String, String) = postcard::from_bytes(&binary).expect("as plain strings");
        assert_eq!(plain, ("p3.m12.t0456".to_string(), "分布式训练（evaluation 3）".to_string()));
        let json = serde_json::to_string(&fields()).expect("json");
        assert_eq!(serde_json::from_str::<Fields>(&json).expect("json back"), fields());
    }

    /// Read from the bytes kept (`keeping`), text borrows them; from other
    /// bytes, or after, it is copied.
    #[test]
    fn kept_text_is_borrowed_and_other_text_copied() {
        let kept: &'static [u8] =
            Box::leak(postcard::to_stdvec(&("p1.m.a", "学习")).expect("binary").into_boxed_slice());
        let (a, b): (Shared, Shared) = keeping(kept, || postcard::from_bytes(kept)).expect("kept");
        for (text, written) in [(a.0, "p1.m.a"), (b.0, "学习")] {
            let Str::Borrowed(text) = text else { panic!("{written} copied") };
            assert!(kept.as_ptr_range().contains(&text.as_ptr()) && text == written);
        }
        let copy = kept.to_vec();
        let (a, _): (Shared, Shared) = keeping(kept, || postcard::from_bytes(&copy)).expect("copy");
        assert!(matches!(a.0, Str::Owned(ref t) if t == "p1.m.a"));
        let (a, _): (Shared, Shared) = postcard::from_bytes(kept).expect("after");
        assert!(matches!(a.0, Str::Owned(_)));
    }

    /// Bytes that are not UTF-8 are an error, whether or not they start
    /// as ASCII, kept or not.
    #[test]
    fn bytes_that_are_not_utf8_are_an_error() {
        for bad in [&b"abc\xff"[..], b"\xe4\xb8", b"\x80", b"ok\xc3\x28"] {
            let mut binary = vec![bad.len() as u8];
            binary.extend_from_slice(bad);
            let text: Result<Text, _> = postcard::from_bytes(&binary);
            assert!(text.is_err(), "{bad:?}");
            assert!(postcard::from_bytes::<String>(&binary).is_err(), "String agrees on {bad:?}");
        }
        for bad in [&b"abc\xff"[..], b"\xe4\xb8", b"\x80", b"ok\xc3\x28"] {
            let mut binary = vec![bad.len() as u8];
            binary.extend_from_slice(bad);
            let kept: &'static [u8] = Box::leak(binary.into_boxed_slice());
            assert!(keeping(kept, || postcard::from_bytes::<Shared>(kept)).is_err(), "kept {bad:?}");
        }
        assert_eq!(from_utf8(b"p1.m.a"), Some("p1.m.a".to_string()));
        assert_eq!(from_utf8("学习".as_bytes()), Some("学习".to_string()));
    }
}
