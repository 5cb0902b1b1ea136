//! The study journal: every event on a task, and the check-ins and days off
//! that carry a note, as `show` and `report` list them. It is kept encoded
//! (each entry its length, then the entry in the cache's binary form, one
//! after another), so that reading a snapshot leaves one block of bytes
//! where it was read (`SharedBytes`) instead of building a hundred thousand
//! strings for commands that never show the journal; the entries are
//! decoded, borrowing their text, only when read, and a reader after some
//! days steps over the others by their day alone.

use crate::core::state::{Change, Event, TaskId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// One line of the study journal: an event on a task (every one), or a
/// habit check-in or day off that carries a note, as `show` and `report`
/// list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The day the event is about (the day it was recorded, for a kind
    /// without one).
    #[serde(with = "crate::core::state::day::one")]
    pub on: NaiveDate,
    /// `done`, `log`, `skip`, `start`, `reopen`, `deliverable`, `checkin`, `off`.
    pub kind: String,
    /// The task's full id, when the event is about a task.
    pub task: Option<String>,
    /// The habit's id, for a check-in.
    pub habit: Option<String>,
    /// The time logged, for a log.
    pub minutes: Option<u32>,
    /// The deliverable checked (its id, or its text), for `deliverable`.
    pub deliverable: Option<String>,
    pub note: Option<String>,
    /// The rating, for a spaced `review` (always written: the snapshot's
    /// encoding is not self-describing).
    pub rating: Option<String>,
}

impl JournalEntry {
    /// The entry an event makes, if it makes one.
    pub(crate) fn of(event: &Event) -> Option<JournalEntry> {
        let day = event.at.date_naive();
        let entry = |kind: &str, on: NaiveDate, task: Option<&TaskId>| JournalEntry {
            on,
            kind: kind.to_string(),
            task: task.map(|t| t.0.clone()),
            habit: None,
            minutes: None,
            deliverable: None,
            note: event.note.clone(),
            rating: None,
        };
        Some(match &event.change {
            Change::Done { task, on } => entry("done", *on, Some(task)),
            Change::Logged { task, on, minutes } => {
                JournalEntry { minutes: Some(minutes.minutes()), ..entry("log", *on, Some(task)) }
            }
            Change::Skipped { task, on } => entry("skip", on.unwrap_or(day), Some(task)),
            Change::Started { task, on } => entry("start", *on, Some(task)),
            Change::Reviewed { task, on, rating } => {
                JournalEntry { rating: Some(rating.word().to_string()), ..entry("review", *on, Some(task)) }
            }
            Change::Reopened { task } => entry("reopen", day, Some(task)),
            Change::Deliverable { task, on, deliverable } => {
                JournalEntry { deliverable: Some(deliverable.clone()), ..entry("deliverable", *on, Some(task)) }
            }
            Change::Checkin { habit, on, .. } if event.note.is_some() => {
                JournalEntry { habit: Some(habit.0.clone()), ..entry("checkin", *on, None) }
            }
            // `off --note` writes the note on the days off themselves.
            Change::DayOff { off } if event.note.is_some() || off.note.is_some() => {
                JournalEntry { note: event.note.clone().or_else(|| off.note.clone()), ..entry("off", off.from, None) }
            }
            _ => return None,
        })
    }
}

/// A journal entry as read from the encoded journal, borrowing its text:
/// the same fields in the same order as `JournalEntry`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct EntryRef<'a> {
    #[serde(with = "crate::core::state::day::one")]
    pub on: NaiveDate,
    pub kind: &'a str,
    #[serde(borrow)]
    pub task: Option<&'a str>,
    #[serde(borrow)]
    pub habit: Option<&'a str>,
    pub minutes: Option<u32>,
    #[serde(borrow)]
    pub deliverable: Option<&'a str>,
    #[serde(borrow)]
    pub note: Option<&'a str>,
    #[serde(borrow)]
    pub rating: Option<&'a str>,
}

impl EntryRef<'_> {
    pub fn to_owned(&self) -> JournalEntry {
        let own = |s: Option<&str>| s.map(str::to_string);
        JournalEntry {
            on: self.on,
            kind: self.kind.to_string(),
            task: own(self.task),
            habit: own(self.habit),
            minutes: self.minutes,
            deliverable: own(self.deliverable),
            note: own(self.note),
            rating: own(self.rating),
        }
    }
}

/// Bytes kept where they were read (a snapshot mapped from the cache):
/// shared, never copied.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The journal, in the order the events were recorded.
#[derive(Clone, Default)]
pub struct Journal {
    /// The entries recorded before this run, as the bytes of the snapshot
    /// they were read from (kept there, or copied where a mapping cannot
    /// be kept): the range of `bytes` they fill.
    earlier: Option<(SharedBytes, Range<usize>)>,
    /// Where in `earlier` each run of `BLOCK` entries begins, and the days
    /// it is about: a reader after some days steps over the runs about
    /// none of them. Empty when there is none (then every entry is read).
    blocks: Vec<Block>,
    /// The entries recorded since, one after another: each its length,
    /// then the entry, in postcard's form.
    encoded: Vec<u8>,
    /// How many entries, earlier and since.
    len: usize,
}

/// Entries per `Block`. A year of a 10,000-task plan's events is some
/// 100,000 entries, 400 blocks; a week's report reads eight of them.
const BLOCK: usize = 256;

/// A run of up to `BLOCK` entries of the journal's bytes: where it begins
/// (an offset into the bytes, at an entry's length), and the first and last
/// day (as numbers from the common era) that any of its entries is about.
/// The run ends where the next begins, or with the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Block {
    start: usize,
    first: i32,
    last: i32,
}

/// The blocks of `bytes`, entries one after another as `Journal` writes them.
fn blocks_of(bytes: &[u8]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut at = 0;
    for (n, entry) in sized(bytes).enumerate() {
        // An entry whose day cannot be read is about any day.
        let (first, last) = postcard::take_from_bytes::<i32>(entry).map_or((i32::MIN, i32::MAX), |(d, _)| (d, d));
        match blocks.last_mut() {
            Some(block) if n % BLOCK != 0 => {
                block.first = block.first.min(first);
                block.last = block.last.max(last);
            }
            _ => blocks.push(Block { start: at, first, last }),
        }
        // `sized` gives each entry as a piece of `bytes`: the next length
        // follows it.
        at = entry.as_ptr() as usize - bytes.as_ptr() as usize + entry.len();
    }
    blocks
}

/// `blocks` if they can be the blocks of `len` bytes: the first at 0, each
/// after the one before, inside the bytes, days in order; else none (a
/// reader then reads every entry).
fn checked(blocks: Vec<Block>, len: usize) -> Vec<Block> {
    let starts_ok = blocks.first().is_some_and(|b| b.start == 0)
        && blocks.windows(2).all(|w| w[0].start < w[1].start)
        && blocks.last().is_some_and(|b| b.start < len);
    match starts_ok && blocks.iter().all(|b| b.first <= b.last) {
        true => blocks,
        false => Vec::new(),
    }
}

/// The journal as written: its entries' bytes, their count, and the blocks
/// of the bytes.
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(with = "serde_bytes")]
    encoded: &'a [u8],
    len: usize,
    blocks: Vec<Block>,
}

/// `Wire` read back, borrowing the bytes from what is read.
#[derive(Deserialize)]
pub struct WireRef<'a> {
    #[serde(borrow, with = "serde_bytes")]
    encoded: &'a [u8],
    len: usize,
    blocks: Vec<Block>,
}

#[derive(Deserialize)]
struct WireOwned {
    #[serde(with = "serde_bytes")]
    encoded: Vec<u8>,
    len: usize,
    blocks: Vec<Block>,
}

impl Journal {
    /// The journal written as `wire`, whose bytes lie inside `bytes`: kept
    /// there rather than copied (`None` if they are not inside).
    pub fn shared(bytes: SharedBytes, wire: &WireRef<'_>) -> Option<Journal> {
        let all = (*bytes).as_ref();
        let from = (wire.encoded.as_ptr() as usize).checked_sub(all.as_ptr() as usize)?;
        let to = from.checked_add(wire.encoded.len()).filter(|&to| to <= all.len())?;
        let blocks = checked(wire.blocks.clone(), wire.encoded.len());
        Some(Journal { earlier: Some((bytes, from..to)), blocks, encoded: Vec::new(), len: wire.len })
    }

    /// The journal written as `wire`, copied.
    pub fn copied(wire: &WireRef<'_>) -> Journal {
        Journal::owned(wire.encoded.to_vec(), wire.len, wire.blocks.clone())
    }

    /// The journal of `encoded`'s `len` entries, read before this run, and
    /// their blocks.
    fn owned(encoded: Vec<u8>, len: usize, blocks: Vec<Block>) -> Journal {
        let blocks = checked(blocks, encoded.len());
        let range = 0..encoded.len();
        let bytes: SharedBytes = Arc::new(encoded);
        Journal { earlier: Some((bytes, range)), blocks, encoded: Vec::new(), len }
    }

    /// Appends the entry `event` makes, if it makes one.
    pub fn record(&mut self, event: &Event) {
        if let Some(entry) = JournalEntry::of(event) {
            self.push(&entry);
        }
    }

    pub fn push(&mut self, entry: &JournalEntry) {
        // Encoding a struct of strings and numbers into memory cannot fail.
        // Each entry is preceded by its length, so that a reader after
        // some days only can step over the others by their day alone.
        if let Ok(bytes) = postcard::to_stdvec(entry)
            && let Ok(size) = postcard::to_stdvec(&bytes.len())
        {
            self.encoded.extend_from_slice(&size);
            self.encoded.extend_from_slice(&bytes);
            self.len += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn earlier(&self) -> &[u8] {
        self.earlier.as_ref().map_or(&[], |(bytes, range)| &(**bytes).as_ref()[range.clone()])
    }

    /// Every entry's bytes, oldest first, in one piece (copied only when
    /// some were recorded on top of earlier ones).
    fn bytes(&self) -> Cow<'_, [u8]> {
        match (self.earlier(), self.encoded.as_slice()) {
            (earlier, []) => Cow::Borrowed(earlier),
            ([], since) => Cow::Borrowed(since),
            (earlier, since) => Cow::Owned([earlier, since].concat()),
        }
    }

    /// Every entry, oldest first, decoded as it is reached.
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'_>> + '_ {
        self.entries_on(NaiveDate::MIN, NaiveDate::MAX)
    }

    /// The entries about a day from `from` to `to` (both included), oldest
    /// first: the others are stepped over, their text never decoded, and
    /// the earlier entries' blocks about none of those days are not read.
    pub fn entries_on(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = EntryRef<'_>> + '_ {
        let days = from.num_days_from_ce()..=to.num_days_from_ce();
        let earlier = self.earlier();
        // The pieces of the earlier bytes to read: the blocks about one of
        // the days (all of the bytes when there are no blocks).
        let whole = self.blocks.is_empty().then_some(earlier);
        let blocks = self.blocks.iter().enumerate().filter_map({
            let days = days.clone();
            move |(i, block)| {
                let end = self.blocks.get(i + 1).map_or(earlier.len(), |next| next.start);
                let about = block.first <= *days.end() && *days.start() <= block.last;
                about.then(|| earlier.get(block.start..end)).flatten()
            }
        });
        let wanted =
            move |bytes: &&[u8]| postcard::take_from_bytes::<i32>(bytes).is_ok_and(|(day, _)| days.contains(&day));
        let earlier = whole.into_iter().chain(blocks).flat_map(sized).filter(wanted.clone());
        earlier.chain(sized(&self.encoded).filter(wanted)).map_while(|bytes| postcard::from_bytes(bytes).ok())
    }
}

/// The entries' bytes in `rest`, one after another, each without its
/// length. Only this type writes them; where they cannot be read as
/// written, they end, rather than guess.
fn sized(mut rest: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    std::iter::from_fn(move || {
        let (size, after) = postcard::take_from_bytes::<usize>(rest).ok()?;
        let Some((entry, after)) = after.split_at_checked(size) else {
            rest = &[];
            return None;
        };
        rest = after;
        Some(entry)
    })
}

impl PartialEq for Journal {
    fn eq(&self, other: &Journal) -> bool {
        self.len == other.len && self.bytes() == other.bytes()
    }
}

impl Eq for Journal {}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("len", &self.len).field("bytes", &self.bytes().len()).finish()
    }
}

impl Serialize for Journal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes = self.bytes();
        Wire { encoded: &bytes, len: self.len, blocks: blocks_of(&bytes) }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Journal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Journal, D::Error> {
        let wire = WireOwned::deserialize(d)?;
        Ok(Journal::owned(wire.encoded, wire.len, wire.blocks))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(on: &str, kind: &str, task: Option<&str>, note: Option<&str>) -> JournalEntry {
        JournalEntry {
            on: on.parse().expect("date"),
            kind: kind.into(),
            task: task.map(Into::into),
            habit: None,
            minutes: Some(45),
            deliverable: Some("demo".into()),
            note: note.map(Into::into),
            rating: None,
        }
    }

    /// What goes in comes back, field for field and in order, through the
    /// snapshot's own encoding too.
    #[test]
    fn entries_come_back_as_pushed() {
        let pushed = [
            entry("2027-01-05", "done", Some("p4.m.t"), Some("读完 ✅")),
            entry("2027-01-06", "checkin", None, None),
            entry("1900-01-01", "log", Some("x"), Some("")),
        ];
        let mut journal = Journal::default();
        for e in &pushed {
            journal.push(e);
        }
        assert_eq!(journal.len(), 3);
        let back: Vec<JournalEntry> = journal.entries().map(|e| e.to_owned()).collect();
        assert_eq!(back, pushed);
        let bytes = postcard::to_stdvec(&journal).expect("encode");
        let again: Journal = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(again, journal);
        assert_eq!(again.entries().count(), 3);
        assert!(Journal::default().entries().next().is_none());
        // A span of days steps over the entries about other days.
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        let on_days: Vec<JournalEntry> =
            journal.entries_on(day("2027-01-05"), day("2027-01-06")).map(|e| e.to_owned()).collect();
        assert_eq!(on_days, pushed[..2]);
        let one: Vec<&str> = journal.entries_on(day("1900-01-01"), day("2027-01-05")).map(|e| e.kind).collect();
        assert_eq!(one, ["done", "log"]);
        assert_eq!(journal.entries_on(day("2027-01-07"), day("2099-01-01")).count(), 0);
    }

    /// A journal kept in the bytes it was read from gives the same entries
    /// as a copied one, takes new ones on top, and is written back whole.
    #[test]
    fn a_shared_journal_reads_and_grows_like_a_copied_one() {
        let mut written = Journal::default();
        written.push(&entry("2027-01-05", "done", Some("p4.m.t"), Some("读完")));
        written.push(&entry("2027-01-06", "log", Some("p4.m.u"), None));
        // Something before the journal, as in a snapshot.
        let mut file = b"head".to_vec();
        file.extend(postcard::to_stdvec(&written).expect("encode"));
        let bytes: SharedBytes = Arc::new(file);
        let wire: WireRef<'_> = postcard::from_bytes(&(*bytes).as_ref()[4..]).expect("decode");
        let mut shared = Journal::shared(bytes.clone(), &wire).expect("inside");
        let mut copied = Journal::copied(&wire);
        assert_eq!(shared, written);
        assert_eq!(copied, written);
        let later = entry("2027-01-07", "skip", Some("p4.m.v"), Some("跳过"));
        shared.push(&later);
        copied.push(&later);
        assert_eq!(shared.len(), 3);
        assert_eq!(shared, copied);
        let kinds: Vec<&str> = shared.entries().map(|e| e.kind).collect();
        assert_eq!(kinds, ["done", "log", "skip"]);
        let again: Journal = postcard::from_bytes(&postcard::to_stdvec(&shared).expect("encode")).expect("decode");
        assert_eq!(again, copied);
        // Bytes from elsewhere are not taken for the journal's.
        let other = b"elsewhere".to_vec();
        let encoded = postcard::to_stdvec(&Wire { encoded: &other, len: 0, blocks: Vec::new() }).expect("encode");
        let foreign: WireRef<'_> = postcard::from_bytes(&encoded).expect("decode");
        assert!(Journal::shared(bytes, &foreign).is_none());
    }

    /// A journal read back from a snapshot steps over the blocks about
    /// none of the days asked for, and gives what a walk of every entry
    /// gives: entries in order of recording, some `--on` an earlier day,
    /// across blocks, spans inside one block and across several, with
    /// entries recorded since on top.
    #[test]
    fn a_span_of_days_reads_the_blocks_about_them_and_gives_every_entry() {
        let day = |n: i64| NaiveDate::from_ymd_opt(2027, 1, 1).expect("date") + chrono::Days::new(n as u64);
        let mut written = Journal::default();
        for n in 0..(3 * BLOCK + 17) as i64 {
            // A day every ten entries, and every 50th entry back-dated
            // by 100 days (a log `--on` an earlier day).
            let on = if n % 50 == 49 { day(n / 10) } else { day(n / 10 + 100) };
            let note = format!("note {n}");
            written.push(&entry(&on.to_string(), "log", Some("p.m.t"), Some(&note)));
        }
        let bytes: SharedBytes = Arc::new(postcard::to_stdvec(&written).expect("encode"));
        let wire: WireRef<'_> = postcard::from_bytes((*bytes).as_ref()).expect("decode");
        assert_eq!(wire.blocks.len(), 4);
        // Kept in the bytes read, copied out of them (Windows), and
        // decoded on their own: the same blocks, the same entries.
        let copied: Journal = Journal::copied(&wire);
        let decoded: Journal = postcard::from_bytes((*bytes).as_ref()).expect("decode");
        let since = entry(&day(130).to_string(), "done", Some("p.m.t"), Some("since"));
        let walk = |j: &Journal, from: NaiveDate, to: NaiveDate| -> Vec<JournalEntry> {
            j.entries().filter(|e| (from..=to).contains(&e.on)).map(|e| e.to_owned()).collect()
        };
        written.push(&since);
        for mut read in [Journal::shared(bytes.clone(), &wire).expect("inside"), copied, decoded] {
            assert_eq!(read.blocks.len(), 4);
            read.push(&since);
            for (from, to) in [(0, 0), (100, 106), (120, 135), (125, 125), (0, 400), (101, 200), (130, 130), (500, 600)]
            {
                let (from, to) = (day(from), day(to));
                let got: Vec<JournalEntry> = read.entries_on(from, to).map(|e| e.to_owned()).collect();
                assert_eq!(got, walk(&written, from, to), "{from}..={to}");
            }
            assert_eq!(read.entries().count(), 3 * BLOCK + 18);
            assert_eq!(read, written);
        }

        // The blocks not read: damage in the first block's bytes ends the
        // reading of that block (without blocks, of every entry) and leaves
        // a span of a later block's days whole.
        let mut damaged = (*bytes).as_ref().to_vec();
        let first = wire.encoded.as_ptr() as usize - (*bytes).as_ref().as_ptr() as usize;
        damaged[first..first + 2].copy_from_slice(&[0xff, 0xff]);
        let damaged: SharedBytes = Arc::new(damaged);
        let wire: WireRef<'_> = postcard::from_bytes((*damaged).as_ref()).expect("decode");
        let read = Journal::shared(damaged.clone(), &wire).expect("inside");
        assert_eq!(read.entries().count(), 2 * BLOCK + 17);
        let (from, to) = (day(160), day(165));
        let got: Vec<JournalEntry> = read.entries_on(from, to).map(|e| e.to_owned()).collect();
        assert_eq!(got.len(), 59);
        assert_eq!(got, walk(&written, from, to));
    }

    /// Blocks that cannot be those of the bytes are not used: every entry
    /// is read instead.
    #[test]
    fn blocks_that_do_not_fit_the_bytes_are_dropped() {
        let block = |start, first, last| Block { start, first, last };
        assert_eq!(checked(vec![block(0, 1, 2), block(10, 3, 3)], 20).len(), 2);
        assert!(checked(vec![block(1, 1, 2)], 20).is_empty());
        assert!(checked(vec![block(0, 1, 2), block(0, 3, 3)], 20).is_empty());
        assert!(checked(vec![block(0, 1, 2), block(20, 3, 3)], 20).is_empty());
        assert!(checked(vec![block(0, 3, 2)], 20).is_empty());
        assert!(checked(Vec::new(), 20).is_empty());
    }
}
