//! Snapshots of the replayed state, so that a command reads only the events
//! appended since the last one instead of the whole file.
//!
//! A snapshot records the state file's length, modification time and inode,
//! and a hash of the 4 KiB that end at that length. It is used when the file
//! is the same, or has only grown (events are only ever appended in place;
//! every rewrite replaces the inode): then only the new lines are parsed and
//! applied. Anything else (a shorter file, another inode, different bytes,
//! an `undo` among the new events) falls back to reading the whole file.

use crate::core::journal::{Journal, WireRef};
use crate::core::progress::Progress;
use crate::core::state::codec::{Ends, Last, parse_events};
use crate::core::state::{Event, Header};
use crate::shell::loaded::{Loaded, Seen};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the file before the snapshot's end is checked.
const CHECKED: u64 = 4096;

/// How many bytes of events after a snapshot are read on top of it before
/// it is written anew (some 450 events, a millisecond to parse): a `done`
/// then appends its line and leaves the snapshot be, instead of writing
/// megabytes of it each time.
pub(crate) const TAIL_KEPT: u64 = 64 * 1024;

#[derive(Deserialize)]
struct Snapshot<'a> {
    len: u64,
    modified: u128,
    inode: u64,
    tail_hash: u64,
    /// The header, its baseline left empty when it is the progress's
    /// (as it is until a rebaseline): one copy of the largest part.
    header: Header,
    header_baseline_is_progress: bool,
    /// Without its journal, which comes last.
    progress: Progress,
    last: Option<Last>,
    #[serde(borrow)]
    journal: WireRef<'a>,
}

/// `Snapshot` as written, borrowing instead of cloning the progress.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    len: u64,
    modified: u128,
    inode: u64,
    tail_hash: u64,
    header: &'a Header,
    header_baseline_is_progress: bool,
    progress: &'a Progress,
    last: Option<Last>,
    journal: &'a Journal,
}

fn identity(meta: &fs::Metadata) -> (u128, u64) {
    crate::shell::cache::file_identity(meta)
}

fn key(path: &Path) -> u64 {
    crate::shell::cache::key(path.as_os_str().as_encoded_bytes())
}

/// Reads the bytes from `from` to the end.
fn read_from(file: &mut File, from: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(from))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The file as `meta` (of it, taken before the read) says, when a read of
/// it from `from` gave `read` and ended at its length; `None` when the read
/// ended elsewhere (the file changed while it was read). The tail hash is
/// known when `read` holds the `CHECKED` bytes before that end.
pub(crate) fn seen(meta: &fs::Metadata, from: u64, read: &[u8]) -> Option<Seen> {
    let len = from.checked_add(read.len() as u64)?;
    if len != meta.len() {
        return None;
    }
    let (modified, inode) = identity(meta);
    let skip = len.saturating_sub(CHECKED).checked_sub(from);
    let tail_hash = skip.map(|skip| crate::shell::cache::hash(&read[skip as usize..]));
    Some(Seen { len, modified, inode, tail_hash })
}

/// Whether the file `meta` describes is still the one `seen` (the same
/// length, modification time and inode). An in-place rewrite to the same
/// length within one tick of the file system's clock goes unseen.
pub(crate) fn still(seen: &Seen, meta: &fs::Metadata) -> bool {
    meta.len() == seen.len && identity(meta) == (seen.modified, seen.inode)
}

/// The state through its snapshot; `Ok(None)` when the snapshot cannot be
/// used; an error `NotFound` when there is no state file.
pub(crate) fn read(path: &Path, snapshot_path: &Path) -> io::Result<Option<Loaded>> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        // Never opened here: the store refuses it with a clear message.
        return Ok(None);
    }
    let Some(entry) = crate::shell::cache::Entry::open(snapshot_path, key(path)) else { return Ok(None) };
    // The progress's ids borrow the entry's bytes (`Entry::kept`) in the
    // `roadmap` process; they are copied elsewhere, and on Windows, where the
    // entry may be written anew in this run (below).
    let decode = || postcard::from_bytes::<Snapshot<'_>>(entry.payload());
    let decoded = match entry.kept() {
        Some(kept) => crate::core::text::keeping(kept, decode),
        None => decode(),
    };
    let Ok(snap) = decoded else { return Ok(None) };
    // The file opened is the one measured (not one that replaced it since).
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    let (modified, inode) = identity(&meta);
    if meta.len() < snap.len || inode != snap.inode || (meta.len() == snap.len && modified != snap.modified) {
        return Ok(None);
    }
    let checked_from = snap.len.saturating_sub(CHECKED);
    let bytes = read_from(&mut file, checked_from)?;
    let end = checked_from + bytes.len() as u64;
    let split = (snap.len - checked_from) as usize;
    if bytes.len() < split || crate::shell::cache::hash(&bytes[..split]) != snap.tail_hash {
        return Ok(None);
    }
    let tail = &bytes[split..];
    if !tail.is_empty() && tail.last() != Some(&b'\n') {
        // A cut-off or unterminated last line: the full read sorts it out.
        return Ok(None);
    }
    let mut warnings = Vec::new();
    // Line numbers are unknown without the whole file; a damaged line makes
    // the full read report it properly.
    let Ok(events) =
        parse_events(tail.split(|&b| b == b'\n'), 0, snap.header.roadmap_state, snap.last.clone(), &mut warnings)
    else {
        return Ok(None);
    };
    if events.iter().any(Event::is_undo) || !warnings.is_empty() {
        return Ok(None);
    }
    let mut header = snap.header;
    if snap.header_baseline_is_progress {
        header.baseline = snap.progress.baseline.clone();
    }
    let mut progress = snap.progress;
    // The journal stays in the mapped snapshot; only `show` and `report`
    // read it. (Windows cannot replace a file that is mapped: there it is
    // copied, so that the snapshot can be written anew.)
    progress.journal = match cfg!(windows) {
        false => match Journal::shared(entry.shared(), &snap.journal) {
            Some(journal) => journal,
            None => return Ok(None),
        },
        true => Journal::copied(&snap.journal),
    };
    if progress.apply_all(&events).is_err() {
        return Ok(None);
    }
    let last = events.last().map(Last::of).or(snap.last);
    let loaded = Loaded {
        header,
        progress,
        next_seq: last.as_ref().map_or(1, |l| l.seq + 1),
        last_event: last,
        warnings: Vec::new(),
        ends: Ends::clean(end),
        snapshot_len: Some(snap.len),
        seen: seen(&meta, checked_from, &bytes),
    };
    // The entry itself is done with (a journal kept in it holds its own
    // share): on Windows, where the journal was copied, this unmaps the
    // file, so that the snapshot can be written anew over it.
    drop(entry);
    if tail.len() as u64 > TAIL_KEPT && write(path, snapshot_path, &loaded) {
        return Ok(Some(Loaded { snapshot_len: Some(end), ..loaded }));
    }
    Ok(Some(loaded))
}

/// Saves a snapshot of `loaded` if the file is still as it was read
/// (`Loaded::seen`: the same length, modification time and inode), and
/// says whether it did. Taken when the snapshot is written instead, the
/// file's identity and last bytes could be those of a file that replaced
/// the one read, to the same length, between the read and now.
pub(crate) fn write(path: &Path, snapshot_path: &Path, loaded: &Loaded) -> bool {
    let Some(seen) = loaded.seen else { return false };
    let len = loaded.ends.complete_len();
    let unchanged = |meta: &fs::Metadata| still(&seen, meta);
    if seen.len != len || !fs::metadata(path).is_ok_and(|meta| unchanged(&meta)) {
        return false;
    }
    let tail_hash = match seen.tail_hash {
        Some(hash) => hash,
        None => {
            // Not read with the rest (an append's): read now, from the
            // file as it was seen, and still so once read.
            let checked_from = len.saturating_sub(CHECKED);
            let Ok(mut file) = File::open(path) else { return false };
            let Ok(bytes) = read_from(&mut file, checked_from) else { return false };
            if bytes.len() as u64 != len - checked_from || !file.metadata().is_ok_and(|meta| unchanged(&meta)) {
                return false;
            }
            crate::shell::cache::hash(&bytes)
        }
    };
    let (modified, inode) = (seen.modified, seen.inode);
    let header_baseline_is_progress = loaded.header.baseline == loaded.progress.baseline;
    let header = if header_baseline_is_progress {
        Header { baseline: Default::default(), ..loaded.header.clone() }
    } else {
        loaded.header.clone()
    };
    let snap = SnapshotRef {
        len,
        modified,
        inode,
        tail_hash,
        header: &header,
        header_baseline_is_progress,
        progress: &loaded.progress,
        last: loaded.last_event.clone(),
        journal: &loaded.progress.journal,
    };
    crate::shell::cache::store(snapshot_path, key(path), &snap);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::{DayOff, WeekHours};
    use crate::core::state::codec::{self, encode};
    use crate::core::state::{Baseline, Change, Event, State};
    use chrono::{NaiveDate, TimeZone, Utc};

    /// The state in `path`, read whole (as the store would).
    fn full_read(path: &Path) -> Loaded {
        let meta = std::fs::metadata(path).expect("metadata");
        let bytes = std::fs::read(path).expect("read");
        let decoded = codec::parse(&bytes).expect("parse");
        Loaded::from_state(decoded.state, Vec::new(), decoded.ends, seen(&meta, 0, &bytes)).expect("replay")
    }

    fn header(tracks: Option<Vec<String>>, planned: bool) -> Header {
        let day = |s: &str| s.parse().expect("date");
        let mut baseline = Baseline::default();
        if planned {
            baseline.planned.insert(day("2027-01-04"), 90);
            std::sync::Arc::make_mut(&mut baseline.tasks)
                .insert("p.m.t".into(), [day("2027-01-04"), day("2027-01-05")]);
        }
        Header { tracks, ..crate::core::testkit::header("2027-01-04", WeekHours::DEFAULT, baseline) }
    }

    /// Every optional field empty and full: the binary form has no
    /// self-description, so a skipped field would shift everything after it.
    #[test]
    fn snapshots_round_trip_with_fields_empty_or_full() {
        for (tracks, planned, note) in
            [(None, false, None), (Some(vec!["a".to_string()]), true, Some("春节".to_string()))]
        {
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("state.jsonl");
            let snap_path = dir.path().join("snap.bin");
            let at = "2027-01-04T09:00:00Z".parse().expect("time");
            let off = DayOff { from: "2027-01-06".parse().expect("d"), to: "2027-01-07".parse().expect("d"), note };
            let logged = Change::Logged {
                task: "p.m.t".into(),
                on: "2027-01-05".parse().expect("d"),
                minutes: crate::core::effort::Effort::from_minutes(30),
            };
            let events = vec![
                Event {
                    seq: 1,
                    id: crate::core::state::EventId::new(0, 0, 1),
                    at,
                    ..Event::new(Change::DayOff { off }, None)
                },
                Event { seq: 2, id: crate::core::state::EventId::new(0, 0, 2), at, ..Event::new(logged, None) },
            ];
            let state = State { header: header(tracks, planned), events };
            let mut bytes = Vec::new();
            encode(&state, &mut bytes).expect("encode");
            std::fs::write(&path, &bytes).expect("write");
            let full = full_read(&path);
            write(&path, &snap_path, &full);
            let fast = read(&path, &snap_path).expect("read").expect("snapshot used");
            assert_eq!(fast.header, full.header);
            assert_eq!(fast.next_seq, 3);
            assert_eq!(format!("{:?}", fast.progress.calendar), format!("{:?}", full.progress.calendar));
            assert_eq!(fast.progress.tasks, full.progress.tasks);
            // The journal comes back from the mapped snapshot, entry for entry.
            assert_eq!(fast.progress.journal.len(), if planned { 2 } else { 1 });
            assert_eq!(fast.progress.journal, full.progress.journal);
        }
    }

    fn baseline(end: &str) -> Baseline {
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        Baseline {
            computed: Some(day("2027-01-04")),
            end: Some(day(end)),
            tasks: std::sync::Arc::new([("p1.m.a".into(), [day("2027-01-04"), day(end)])].into()),
            phases: [("p1".to_string(), [day("2027-01-04"), day(end)])].into(),
            ..Default::default()
        }
    }

    /// The header's baseline comes back from a snapshot whether or not a
    /// rebaseline made it differ from the progress's.
    #[test]
    fn header_and_progress_baselines_survive_a_snapshot() {
        // As in the `roadmap` process, which alone keeps what it reads
        // (`Entry::kept`); in this test process, other tests' values are
        // then left to the exit too.
        crate::shell::teardown::exits_after_command();
        let at = Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).single().expect("time");
        let header = crate::core::testkit::header("2027-01-04", WeekHours::DEFAULT, baseline("2027-03-01"));
        let done = Change::Done { task: "p1.m.a".into(), on: "2027-01-05".parse().expect("date") };
        let done = Event { seq: 1, id: crate::core::state::EventId::new(0, 0, 1), at, ..Event::new(done, None) };
        let checked = Change::Deliverable {
            task: "p1.m.a".into(),
            deliverable: "d1".into(),
            on: "2027-01-05".parse().expect("date"),
        };
        let checked = Event { seq: 2, id: crate::core::state::EventId::new(0, 0, 2), at, ..Event::new(checked, None) };
        let rebaselined = Change::Rebaselined { baseline: baseline("2027-04-01"), snapshot: None };
        let rebaselined =
            Event { seq: 3, id: crate::core::state::EventId::new(0, 0, 3), at, ..Event::new(rebaselined, None) };
        for events in [vec![done.clone(), checked.clone()], vec![done, checked, rebaselined]] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("state.jsonl");
            let mut bytes = Vec::new();
            encode(&State { header: header.clone(), events }, &mut bytes).expect("encode");
            std::fs::write(&path, &bytes).expect("write");
            let snap_path = dir.path().join("cache").join("snap.bin");
            let full = full_read(&path);
            write(&path, &snap_path, &full);
            assert!(snap_path.exists(), "a snapshot was written");
            let cached = read(&path, &snap_path).expect("read").expect("the snapshot is used");
            assert_eq!(cached.header, full.header);
            assert_eq!(cached.header.baseline, header.baseline);
            assert_eq!(cached.progress.baseline, full.progress.baseline);
            assert_eq!(cached.progress.tasks, full.progress.tasks);
            // The ids read back are the entry's own bytes, not copies
            // (copied on Windows); replayed, they are the progress's own.
            let borrowed = |id: &crate::core::text::Str| matches!(id, std::borrow::Cow::Borrowed(_));
            let checked = cached.progress.checked.keys().flat_map(|(task, deliverable)| [task, deliverable]);
            let ids =
                || cached.progress.tasks.keys().chain(cached.progress.baseline.tasks.keys()).chain(checked.clone());
            assert_eq!(ids().count(), 4);
            assert_eq!(cached.progress.checked, full.progress.checked);
            assert!(ids().all(borrowed) != cfg!(windows), "the ids are borrowed from the snapshot");
            assert!(!full.progress.tasks.keys().any(borrowed));
        }
    }

    /// A snapshot is saved only of the file as it was read: one replaced
    /// (a new inode) or rewritten in place to the same length since holds
    /// other events, and a snapshot of what was read, stamped with that
    /// file's identity and last bytes, would stand in for them.
    #[test]
    fn a_file_changed_to_the_same_length_since_the_read_gets_no_snapshot() {
        let at = Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).single().expect("time");
        let head = crate::core::testkit::header("2027-01-04", WeekHours::DEFAULT, Baseline::default());
        let state = |minutes: u32| {
            let change = Change::Logged {
                task: "p1.m.a".into(),
                on: "2027-01-05".parse().expect("date"),
                minutes: crate::core::effort::Effort::from_minutes(minutes),
            };
            let event = Event { seq: 1, id: crate::core::state::EventId::new(0, 0, 1), at, ..Event::new(change, None) };
            let mut bytes = Vec::new();
            encode(&State { header: head.clone(), events: vec![event] }, &mut bytes).expect("encode");
            bytes
        };
        let (read_bytes, other) = (state(30), state(45));
        assert_eq!(read_bytes.len(), other.len(), "the same length");
        for replaced in [true, false] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("state.jsonl");
            let snap_path = dir.path().join("snap.bin");
            std::fs::write(&path, &read_bytes).expect("write");
            let read_then = full_read(&path);
            if replaced {
                let new = dir.path().join("state.new");
                std::fs::write(&new, &other).expect("write");
                std::fs::rename(&new, &path).expect("replace");
            } else {
                std::fs::write(&path, &other).expect("rewrite in place");
            }
            // A second later, whatever the file system's clock tick (and
            // where there are no inodes).
            let seen = read_then.seen.expect("the file as read");
            let later = std::time::UNIX_EPOCH
                + std::time::Duration::from_nanos(seen.modified as u64)
                + std::time::Duration::from_secs(1);
            File::options().write(true).open(&path).and_then(|f| f.set_modified(later)).expect("mtime");
            assert!(!write(&path, &snap_path, &read_then), "replaced: {replaced}");
            assert!(!snap_path.exists(), "replaced: {replaced}");
            assert!(read(&path, &snap_path).expect("read").is_none());
            // The file as it is now gets its snapshot, with its own events.
            assert!(write(&path, &snap_path, &full_read(&path)));
            let now = read(&path, &snap_path).expect("read").expect("the snapshot is used");
            assert_eq!(now.progress.tasks["p1.m.a"].logged().minutes(), 45, "replaced: {replaced}");
        }
    }

    /// A few lines after the snapshot are read on top of it and leave it
    /// as it is; past `TAIL_KEPT` bytes of them it is written anew.
    #[test]
    fn a_short_tail_leaves_the_snapshot_and_a_long_one_renews_it() {
        let at = Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).single().expect("time");
        let head = crate::core::testkit::header("2027-01-04", WeekHours::DEFAULT, Baseline::default());
        let logged = |seq: u64| {
            let change = Change::Logged {
                task: "p1.m.a".into(),
                on: "2027-01-05".parse().expect("date"),
                minutes: crate::core::effort::Effort::from_minutes(1),
            };
            Event {
                seq,
                id: crate::core::state::EventId::new(0, 0, seq as u32),
                at,
                ..Event::new(change, Some("x".repeat(200)))
            }
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state.jsonl");
        let snap_path = dir.path().join("snap.bin");
        let save = |n: u64| {
            let mut bytes = Vec::new();
            encode(&State { header: head.clone(), events: (1..=n).map(logged).collect() }, &mut bytes).expect("encode");
            std::fs::write(&path, &bytes).expect("write");
            bytes.len() as u64
        };
        let first = save(1);
        write(&path, &snap_path, &full_read(&path));
        let written = std::fs::read(&snap_path).expect("snapshot");
        save(3);
        let read = read(&path, &snap_path).expect("read").expect("the snapshot is used");
        assert_eq!(read.progress.tasks["p1.m.a"].logged().minutes(), 3);
        assert_eq!(read.snapshot_len, Some(first));
        assert_eq!(std::fs::read(&snap_path).expect("snapshot"), written, "left as it was");
        let long = save(400);
        assert!(long - first > TAIL_KEPT);
        let read = super::read(&path, &snap_path).expect("read").expect("the snapshot is used");
        assert_eq!(read.progress.tasks["p1.m.a"].logged().minutes(), 400);
        assert_eq!(read.snapshot_len, Some(long));
        let renewed = super::read(&path, &snap_path).expect("read").expect("the new snapshot is used");
        assert_eq!(renewed.snapshot_len, Some(long), "it covers the whole file now");
        // The renewed snapshot was written while the old one was still
        // mapped for the journal: every entry is in the new one.
        assert_eq!(renewed.progress.journal.len(), 400);
        assert_eq!(renewed.progress.journal, full_read(&path).progress.journal);
    }
}
