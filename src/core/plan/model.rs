//! The validated plan: phases → modules → tasks, habits and tracks, with
//! dependencies resolved to task indexes. Built only by `plan::load`.

use super::apart;
use crate::core::cadence::Cadence;
use crate::core::effort::Effort;
pub(crate) use crate::core::text::Str;
use crate::core::window::Window;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    /// Language of the plan's text (`zh`, `en`), a project extension.
    pub lang: Option<String>,
    pub tracks: Vec<Track>,
    pub phases: Vec<Phase>,
    pub modules: Vec<Module>,
    /// Every task in plan order; `list` numbers are index + 1.
    #[serde(deserialize_with = "presized")]
    pub tasks: Vec<Task>,
    pub habits: Vec<Habit>,
    /// The plan-level `review:` block; `None`: the plan has no reviews.
    pub review: Option<Review>,
}

/// Tasks read back from the cache into a vector of the length written.
/// serde's own `Vec` reserves at most a mebibyte up front, some four
/// thousand tasks, and then doubles: at 10,000 tasks two of those copies
/// moved three megabytes, a twentieth of a `next`. Up to 262,144 tasks
/// are reserved at once (a length that large in a damaged entry reserves
/// no more than that); more are grown into.
fn presized<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Task>, D::Error> {
    struct Tasks;

    impl<'de> serde::de::Visitor<'de> for Tasks {
        type Value = Vec<Task>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence of tasks")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Task>, A::Error> {
            let mut tasks = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 18));
            while let Some(task) = seq.next_element()? {
                tasks.push(task);
            }
            Ok(tasks)
        }
    }

    d.deserialize_seq(Tasks)
}

/// Spaced review of finished tasks (the plan's `review:` block).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Time one review takes, reserved on its due day.
    pub effort: Effort,
    /// Desired retention, 0.7 to 0.97 (default 0.9).
    pub retention: f64,
}

impl Review {
    pub const DEFAULT_RETENTION: f64 = 0.9;
    pub const MIN_RETENTION: f64 = 0.7;
    pub const MAX_RETENTION: f64 = 0.97;
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Track {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Phase {
    pub id: String,
    pub title: String,
    pub duration: Option<Window>,
    pub summary: Option<String>,
    /// Indexes into `Plan::modules`.
    pub modules: Range<usize>,
    /// Indexes into `Plan::tasks`.
    pub tasks: Range<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Module {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub phase: usize,
    /// Indexes into `Plan::tasks`.
    pub tasks: Range<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    /// `phase.module.task`, the key of saved progress (its last part is
    /// the task's own id, `id()`).
    #[serde(deserialize_with = "crate::core::text::str")]
    pub full_id: Str,
    #[serde(deserialize_with = "crate::core::text::str")]
    pub title: Str,
    pub effort: Effort,
    /// Notes, resources and deliverables (`details()`).
    pub details: Lazy,
    /// Indexes of the tasks this one waits for.
    pub after: Vec<usize>,
    #[serde(deserialize_with = "crate::core::text::option_str")]
    pub track: Option<Str>,
    #[serde(deserialize_with = "crate::core::text::list")]
    pub tags: Vec<String>,
    pub phase: usize,
    pub module: usize,
    /// `review: false`: never reviewed, even when the plan has reviews.
    pub review: bool,
}

impl Task {
    /// The task's own id: the last part of `full_id` (ids are slugs, which
    /// hold no dot). Not kept apart: at 10,000 tasks the cached plan read
    /// ten thousand strings fewer.
    pub fn id(&self) -> &str {
        self.full_id.rsplit_once('.').map_or(&self.full_id, |(_, id)| id)
    }

    /// The task's notes, resources and deliverables.
    pub fn details(&self) -> &Details {
        self.details.get()
    }
}

/// The text of a task that only some screens show.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Details {
    pub notes: Option<String>,
    pub resources: Vec<Resource>,
    pub deliverables: Vec<Deliverable>,
}

/// A task's `Details`, kept in the plan cache as one block of bytes and
/// decoded when first asked for: a command that lists thousands of tasks
/// then builds no string of their notes, resources or deliverables.
#[derive(Clone)]
pub struct Lazy {
    /// The details in the cache's binary form (empty when built here).
    encoded: Encoded,
    /// Boxed: most tasks of a long list never decode theirs, and inline
    /// the details took 80 of a task's 248 bytes (at 100,000 tasks a third
    /// of `list` was the kernel handing it zeroed pages).
    decoded: OnceLock<Box<Details>>,
}

/// Where a `Lazy`'s bytes are.
#[derive(Clone)]
enum Encoded {
    Owned(Box<[u8]>),
    /// Task `index` of a block of details written apart (`apart`): what
    /// a cached plan holds, so that a plan of 10,000 tasks copies no
    /// megabyte and a half of details into ten thousand blocks of its own,
    /// nor reads them.
    Apart {
        block: Arc<apart::Block>,
        index: u32,
    },
}

impl Lazy {
    pub fn new(details: Details) -> Lazy {
        Lazy { encoded: Encoded::Owned(Box::default()), decoded: OnceLock::from(Box::new(details)) }
    }

    pub fn get(&self) -> &Details {
        // The bytes were written by `serialize`: inline ones come from
        // a cache entry whose checksum matched (should they not decode,
        // nothing is shown); a block's are checked task by task, and come
        // from the plan's source when damaged (`apart::Block::details`).
        self.decoded.get_or_init(|| {
            Box::new(match &self.encoded {
                Encoded::Owned(bytes) => postcard::from_bytes(bytes).unwrap_or_default(),
                Encoded::Apart { block, index } => block.details(*index),
            })
        })
    }

    /// Whether the details were decoded (or built) yet.
    #[cfg(test)]
    pub(super) fn is_decoded(&self) -> bool {
        self.decoded.get().is_some()
    }

    /// The details in the binary form, as they are or encoded anew.
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, postcard::Error> {
        match (self.decoded.get(), &self.encoded) {
            (None, Encoded::Owned(bytes)) => Ok((&bytes[..]).into()),
            (None, Encoded::Apart { block, index }) => match block.checked(*index) {
                Some(bytes) => Ok(bytes.into()),
                None => postcard::to_stdvec(self.get()).map(Into::into),
            },
            (Some(_), _) => postcard::to_stdvec(self.get()).map(Into::into),
        }
    }
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for Lazy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return self.get().serialize(s);
        }
        let bytes = self.bytes().map_err(serde::ser::Error::custom)?;
        if apart::write(&bytes) {
            return s.serialize_unit();
        }
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Lazy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lazy, D::Error> {
        if d.is_human_readable() {
            return Details::deserialize(d).map(Lazy::new);
        }
        if let Some((block, index)) = apart::read() {
            <()>::deserialize(d)?;
            return Ok(Lazy { encoded: Encoded::Apart { block, index }, decoded: OnceLock::new() });
        }
        Ok(Lazy { encoded: d.deserialize_bytes(EncodedBytes)?, decoded: OnceLock::new() })
    }
}

struct EncodedBytes;

impl<'de> serde::de::Visitor<'de> for EncodedBytes {
    type Value = Encoded;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a task's details as bytes")
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Encoded, E> {
        Ok(Encoded::Owned(bytes.into()))
    }

    fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Encoded, E> {
        Ok(Encoded::Owned(bytes.into_boxed_slice()))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resource {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Deliverable {
    pub id: Option<String>,
    pub title: String,
}

impl Deliverable {
    /// The key progress is saved under: the id when there is one, else the text.
    pub fn key(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.title)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Habit {
    pub id: String,
    pub title: String,
    pub every: Cadence,
    pub target: u32,
    pub unit: Option<String>,
    /// Hours reserved on each due day.
    pub effort: Effort,
    /// Phase indexes; empty means active in every phase.
    pub phases: Vec<usize>,
}

impl Habit {
    pub fn active_in(&self, phase: Option<usize>) -> bool {
        self.phases.is_empty() || phase.is_some_and(|p| self.phases.contains(&p))
    }
}

impl Plan {
    pub fn task_index(&self, full_id: &str) -> Option<usize> {
        self.tasks.iter().position(|t| t.full_id == full_id)
    }

    pub fn habit_index(&self, id: &str) -> Option<usize> {
        self.habits.iter().position(|h| h.id == id)
    }

    pub fn phase_effort(&self, phase: usize, selected: impl Fn(&Task) -> bool) -> Effort {
        self.tasks[self.phases[phase].tasks.clone()].iter().filter(|t| selected(t)).map(|t| t.effort).sum()
    }

    pub fn total_effort(&self) -> Effort {
        self.tasks.iter().map(|t| t.effort).sum()
    }

    /// Tasks that list `task` in their `after`.
    pub fn dependents(&self, task: usize) -> Vec<usize> {
        (0..self.tasks.len()).filter(|&i| self.tasks[i].after.contains(&task)).collect()
    }
}

/// The largest habit `target`: the state's limit for a check-in's count,
/// so that a plan's target can always be checked in.
pub(super) const MAX_TARGET: u32 = crate::core::state::limits::MAX_COUNT;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_keeps_its_details_out_of_line() {
        // 248 bytes with the details inline; a task is read for every
        // command, the details only by a few.
        assert!(std::mem::size_of::<Lazy>() <= 40, "Lazy is {} bytes", std::mem::size_of::<Lazy>());
        assert!(std::mem::size_of::<Task>() <= 184, "Task is {} bytes", std::mem::size_of::<Task>());
    }

    fn details() -> Details {
        Details {
            notes: Some("**核心概念**\n- Agent".into()),
            resources: vec![Resource { title: "Paper".into(), url: Some("https://example.org".into()) }],
            deliverables: vec![
                Deliverable { id: Some("d1".into()), title: "完成实验".into() },
                Deliverable { id: None, title: "写总结".into() },
            ],
        }
    }

    fn task(title: &str, details: Details) -> Task {
        Task {
            full_id: "p1.m.moe".into(),
            title: title.to_string().into(),
            effort: Effort::from_minutes(90),
            details: Lazy::new(details),
            after: vec![0],
            track: Some("industry".into()),
            tags: vec!["rl".into()],
            phase: 0,
            module: 0,
            review: true,
        }
    }

    /// Read through `text::keeping`, the tasks' ids, titles and tracks stay
    /// where they lie in the bytes read; read otherwise, or when they lie
    /// elsewhere, they are copied. Details written inline are copied either
    /// way (a cached plan keeps them apart, `apart`). The source is gone
    /// after the read.
    #[test]
    fn tasks_read_from_kept_bytes_stay_in_them() {
        use crate::core::text::keeping;
        let bytes = postcard::to_stdvec(&[task("MoE架构（Mixtral）", details()), task("B", Details::default())])
            .expect("encode");
        let all: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
        let within = |part: &[u8]| all.as_ptr_range().contains(&part.as_ptr());
        let read = |from: &[u8]| postcard::from_bytes::<[Task; 2]>(from).expect("decode");
        let [kept, other] = keeping(all, || read(all));
        let Encoded::Owned(details_bytes) = &kept.details.encoded else { panic!("details apart") };
        assert_eq!(&details_bytes[..], &postcard::to_stdvec(&details()).expect("encode")[..]);
        let track = kept.track.as_ref().expect("track");
        for (text, written) in [(&kept.full_id, "p1.m.moe"), (&kept.title, "MoE架构（Mixtral）"), (track, "industry")]
        {
            assert!(matches!(text, Str::Borrowed(_)), "{written} copied");
            assert!(within(text.as_bytes()), "{written} lies in the bytes read");
            assert_eq!(text, written);
        }
        assert_eq!(format!("{:?}", kept.details()), format!("{:?}", details()));
        assert_eq!(format!("{:?}", other.details()), format!("{:?}", Details::default()));
        // Not through `keeping`, and from other bytes than the source.
        let plain = read(&bytes);
        assert!(matches!(plain[0].details.encoded, Encoded::Owned(_)));
        assert!(matches!((&plain[0].full_id, &plain[0].title), (Str::Owned(_), Str::Owned(_))));
        let copy = bytes.clone();
        let copied = keeping(all, || read(&copy));
        assert!(matches!(copied[0].details.encoded, Encoded::Owned(_)));
        assert!(matches!(copied[0].title, Str::Owned(_)));
        assert_eq!(copied[0].title, "MoE架构（Mixtral）");
        assert_eq!(format!("{:?}", copied[0].details()), format!("{:?}", details()));
        assert!(crate::core::text::kept(&all[..1]).is_none(), "the source is cleared");
    }

    /// Through the cache's binary form the details stay bytes until asked
    /// for, then come back field for field; a second trip keeps them.
    #[test]
    fn details_cross_the_cache_as_bytes_and_decode_when_asked() {
        let lazy = Lazy::new(details());
        let bytes = postcard::to_stdvec(&lazy).expect("encode");
        let back: Lazy = postcard::from_bytes(&bytes).expect("decode");
        assert!(back.decoded.get().is_none(), "not decoded on reading");
        assert_eq!(format!("{:?}", back.get()), format!("{:?}", details()));
        let again: Lazy = postcard::from_bytes(&postcard::to_stdvec(&back).expect("encode")).expect("decode");
        assert_eq!(format!("{again:?}"), format!("{:?}", details()));
        // Text formats hold the details themselves.
        let json = serde_json::to_value(&lazy).expect("json");
        assert_eq!(json["deliverables"][1]["title"], "写总结");
        let from_json: Lazy = serde_json::from_value(json).expect("from json");
        assert_eq!(format!("{from_json:?}"), format!("{:?}", details()));
    }
}
