//! The state file on disk: JSON Lines, a header line then one event a line.
//!
//! Writers hold an exclusive OS lock on a sidecar `<state>.lock` file across
//! the whole read-modify-write (the lock dies with its process, so a killed
//! command never blocks the next). New events are appended in one write and
//! synced; if the write or the sync fails, the file is cut back to its old
//! length. A last line cut off by a crash is detected, ignored on read and
//! removed by the next write; a last line that is complete but lacks its
//! newline (a hand edit) is kept. Whole-file rewrites go through a temporary
//! file in the same directory, synced, renamed over the state, and the
//! directory synced. Readers take no lock: they see the old or the new file;
//! one that catches an append half-way waits for a shared lock and reads
//! again.

use crate::core::progress::{Progress, replay};
use crate::core::state::{Event, Header, STATE_VERSION, State};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A write that failed; `hint` says what became of the saved progress.
    #[error("cannot {action} {path}: {source}\n  hint: {hint}")]
    Write {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
        hint: String,
    },
    #[error(
        "{path}:{line}:{column}: {message}\n  hint: the file was left as it is; fix or delete that line (keep a copy), or restore a backup"
    )]
    Corrupt { path: PathBuf, line: usize, column: usize, message: String },
    #[error(
        "{path}:1: the header line is not valid: {message}\n  hint: that line holds your calendar and baseline: fix it by hand (keep a copy) or restore a backup; the file was left as it is"
    )]
    Header { path: PathBuf, message: String },
    #[error(
        "{path} was written by a newer roadmap (state format {found}; this one reads {STATE_VERSION})\n  hint: update roadmap; the file was left as it is"
    )]
    Newer { path: PathBuf, found: u64 },
    #[error(
        "{path} is not a roadmap state file ({why})\n  hint: point --state or ROADMAP_STATE at a roadmap state file; the file was left as it is"
    )]
    Foreign { path: PathBuf, why: String },
    #[error(
        "{path}: {error}\n  hint: the file was left as it is; fix or delete that line (keep a copy), or restore a backup"
    )]
    Replay { path: PathBuf, error: crate::core::progress::ReplayError },
    #[error(
        "another roadmap command has held the lock on {path} for {waited}\n  hint: wait for it to finish and try again (the lock is released when that process ends, even if it is killed; ROADMAP_LOCK_WAIT=SECONDS waits longer)"
    )]
    Busy { path: PathBuf, waited: String },
}

/// The state file and its sidecar lock.
#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    /// Where the snapshot of the replayed state is cached, if anywhere.
    snapshot: Option<PathBuf>,
}

/// Proof that the lock is held; released on drop.
pub struct Lock {
    _file: File,
}

/// A whole state file parsed: the header and every event, with the byte
/// length of its complete lines.
#[derive(Debug)]
pub struct Parsed {
    pub state: State,
    /// Warnings about harmless oddities (a cut-off last line).
    pub warnings: Vec<String>,
    /// Where the file's lines end; see `Loaded`.
    pub ends: Ends,
}

/// Where a state file's lines end, for the next append.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ends {
    /// Bytes of complete lines (and of a last line kept without its newline).
    complete_len: u64,
    file_len: u64,
    /// The last kept line has no newline: the next append writes one first.
    needs_newline: bool,
    /// The bytes after `complete_len` are a cut-off line (not just blanks).
    torn: bool,
}

impl Parsed {
    /// The length of a cut-off last line, if there is one.
    pub fn torn_bytes(&self) -> Option<u64> {
        self.ends.torn.then(|| self.ends.file_len - self.ends.complete_len)
    }
}

impl Ends {
    /// A file of `len` bytes of whole lines.
    pub fn clean(len: u64) -> Ends {
        Ends { complete_len: len, file_len: len, needs_newline: false, torn: false }
    }

    pub fn complete_len(&self) -> u64 {
        self.complete_len
    }

    /// True when the file holds only whole lines ending in a newline.
    pub fn is_clean(&self) -> bool {
        self.complete_len == self.file_len && !self.needs_newline && !self.torn
    }
}

/// The state as commands use it: the header and what the events imply,
/// read through the snapshot cache when possible (see `snapshot`).
#[derive(Clone, Debug)]
pub struct Loaded {
    pub header: Header,
    pub progress: Progress,
    /// The seq the next event gets.
    pub next_seq: u64,
    /// The seq and time of the last event.
    pub last_event: Option<(u64, chrono::DateTime<chrono::Utc>)>,
    /// Warnings about harmless oddities (a cut-off last line).
    pub warnings: Vec<String>,
    pub ends: Ends,
}

impl Loaded {
    /// The length of a cut-off last line, if there is one.
    pub fn torn_bytes(&self) -> Option<u64> {
        self.ends.torn.then(|| self.ends.file_len - self.ends.complete_len)
    }

    /// A state that exists only in memory, to be written whole.
    pub fn unsaved(header: Header) -> Result<Loaded, StoreError> {
        let state = State { header, events: Vec::new() };
        let progress = replay(&state).map_err(|error| StoreError::Replay { path: PathBuf::new(), error })?;
        Ok(Loaded {
            header: state.header,
            progress,
            next_seq: 1,
            last_event: None,
            warnings: Vec::new(),
            ends: Ends::default(),
        })
    }

    /// True when events have been recorded.
    pub fn has_events(&self) -> bool {
        self.next_seq > 1
    }

    pub fn from_parsed(path: &Path, parsed: Parsed) -> Result<Loaded, StoreError> {
        let progress = replay(&parsed.state).map_err(|error| StoreError::Replay { path: path.to_path_buf(), error })?;
        Ok(Loaded {
            next_seq: parsed.state.next_seq(),
            last_event: parsed.state.events.last().map(|e| (e.seq, e.at)),
            header: parsed.state.header,
            progress,
            warnings: parsed.warnings,
            ends: parsed.ends,
        })
    }

    /// Takes note of events just appended and applied (their bytes end at `len`).
    pub fn absorb(&mut self, events: &[Event], len: u64) {
        if let Some(last) = events.last() {
            self.next_seq = last.seq + 1;
            self.last_event = Some((last.seq, last.at));
        }
        self.ends = Ends::clean(len);
    }
}

/// How long a writer waits for the lock, unless `ROADMAP_LOCK_WAIT` (in
/// seconds) says otherwise.
const LOCK_WAIT: Duration = Duration::from_secs(10);

fn lock_wait() -> Duration {
    std::env::var("ROADMAP_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
        .map_or(LOCK_WAIT, Duration::from_secs_f64)
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{s:.0} s") } else { format!("{s:.1} s") }
}

fn io_error<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |source| StoreError::Io { action, path: path.to_path_buf(), source }
}

fn write_error<'p>(action: &'static str, path: &'p Path, hint: &'p str) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |source| StoreError::Write { action, path: path.to_path_buf(), source, hint: hint.to_string() }
}

const NOTHING_RECORDED: &str = "nothing was recorded and the saved progress is unchanged; free some disk space or fix the permissions, then run the command again";
const NOT_REPLACED: &str =
    "the state file was not changed; free some disk space or fix the permissions, then run the command again";

/// Polls `try` until it succeeds or `wait` has passed.
fn acquire(wait: Duration, mut attempt: impl FnMut() -> Result<(), fs::TryLockError>) -> Result<bool, io::Error> {
    let started = Instant::now();
    loop {
        match attempt() {
            Ok(()) => return Ok(true),
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(fs::TryLockError::WouldBlock) => return Ok(false),
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store { path, snapshot: None }
    }

    /// Caches snapshots of the replayed state in `dir`.
    pub fn with_snapshots(mut self, dir: Option<&Path>) -> Store {
        self.snapshot = dir.map(|dir| {
            let key = crate::shell::cache::hash(self.path.as_os_str().as_encoded_bytes());
            dir.join(format!("state-{key:016x}.bin"))
        });
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sidecar(&self, suffix: &str) -> PathBuf {
        let mut name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(suffix);
        self.path.with_file_name(name)
    }

    fn dir(&self) -> Option<&Path> {
        self.path.parent().filter(|d| !d.as_os_str().is_empty())
    }

    /// Takes the exclusive lock, creating the directory if needed.
    pub fn lock(&self) -> Result<Lock, StoreError> {
        if let Some(dir) = self.dir() {
            fs::create_dir_all(dir).map_err(io_error("create the directory", dir))?;
        }
        let lock_path = self.sidecar(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(write_error(
                "open the lock file",
                &lock_path,
                "roadmap keeps a lock file beside the state file; check that its directory is writable (nothing was recorded)",
            ))?;
        let wait = lock_wait();
        if acquire(wait, || file.try_lock()).map_err(io_error("lock", &lock_path))? {
            Ok(Lock { _file: file })
        } else {
            Err(StoreError::Busy { path: self.path.clone(), waited: seconds(wait) })
        }
    }

    fn read_bytes(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let mut bytes = Vec::new();
        match File::open(&self.path) {
            Ok(mut file) => file.read_to_end(&mut bytes).map_err(io_error("read", &self.path))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("open", &self.path)(e)),
        };
        Ok(Some(bytes))
    }

    /// Reads the whole state, every event, without the lock; `None` when
    /// there is no file yet. A reader that finds a cut-off or unreadable
    /// last line may have caught a writer half-way: it waits for a shared
    /// lock (no writer at work) and reads again, so only a real leftover of
    /// a crash is reported.
    pub fn read_all(&self) -> Result<Option<Parsed>, StoreError> {
        let first = self.read_once()?;
        let suspicious = match &first {
            Ok(Some(parsed)) => parsed.ends.torn,
            Ok(None) => false,
            Err(_) => true,
        };
        if !suspicious {
            return first;
        }
        let Ok(file) = File::open(self.sidecar(".lock")) else {
            return first;
        };
        match acquire(lock_wait(), || file.try_lock_shared()) {
            Ok(true) => self.read_once()?,
            _ => first,
        }
    }

    /// Reads the state as commands use it, through the snapshot when it is
    /// still true to the file; `None` when there is no file yet.
    pub fn read(&self) -> Result<Option<Loaded>, StoreError> {
        if let Some(loaded) = self.read_snapshot()? {
            return Ok(Some(loaded));
        }
        let Some(parsed) = self.read_all()? else { return Ok(None) };
        self.loaded(parsed).map(Some)
    }

    /// Reads the whole state, every event, while holding the lock.
    pub fn read_all_locked(&self, _lock: &Lock) -> Result<Option<Parsed>, StoreError> {
        self.read_once()?
    }

    /// Reads the state while holding the lock.
    pub fn read_locked(&self, _lock: &Lock) -> Result<Option<Loaded>, StoreError> {
        if let Some(loaded) = self.read_snapshot()? {
            return Ok(Some(loaded));
        }
        let Some(parsed) = self.read_once()?? else { return Ok(None) };
        self.loaded(parsed).map(Some)
    }

    fn read_snapshot(&self) -> Result<Option<Loaded>, StoreError> {
        let Some(snapshot) = &self.snapshot else { return Ok(None) };
        match crate::shell::snapshot::read(&self.path, snapshot) {
            Ok(loaded) => Ok(loaded),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read", &self.path)(e)),
        }
    }

    fn loaded(&self, parsed: Parsed) -> Result<Loaded, StoreError> {
        let loaded = Loaded::from_parsed(&self.path, parsed)?;
        self.remember(&loaded);
        Ok(loaded)
    }

    /// Saves a snapshot of `loaded` (best effort; only of a clean file).
    pub fn remember(&self, loaded: &Loaded) {
        if let Some(snapshot) = &self.snapshot
            && loaded.ends.is_clean()
        {
            crate::shell::snapshot::write(&self.path, snapshot, loaded);
        }
    }

    /// Reads once: the outer error is an I/O failure, the inner one a
    /// content problem.
    #[allow(clippy::type_complexity)]
    fn read_once(&self) -> Result<Result<Option<Parsed>, StoreError>, StoreError> {
        Ok(match self.read_bytes()? {
            Some(bytes) => parse(&self.path, &bytes).map(Some),
            None => Ok(None),
        })
    }

    /// Appends events (their seqs already set) and syncs. Removes a cut-off
    /// last line first. On failure the file is cut back to what it held.
    /// Returns the file's new length.
    pub fn append(&self, _lock: &Lock, loaded: &Ends, events: &[Event]) -> Result<u64, StoreError> {
        let mut buffer = Vec::new();
        if loaded.needs_newline {
            buffer.push(b'\n');
        }
        for event in events {
            serde_json::to_writer(&mut buffer, event)
                .map_err(|e| io_error("encode an event for", &self.path)(e.into()))?;
            buffer.push(b'\n');
        }
        let mut file = OpenOptions::new().write(true).open(&self.path).map_err(write_error(
            "open",
            &self.path,
            NOTHING_RECORDED,
        ))?;
        if loaded.file_len != loaded.complete_len {
            file.set_len(loaded.complete_len).map_err(write_error(
                "trim the cut-off line of",
                &self.path,
                NOTHING_RECORDED,
            ))?;
        }
        let written = (|| -> Result<(), (&'static str, io::Error)> {
            file.seek(SeekFrom::Start(loaded.complete_len)).map_err(|e| ("seek in", e))?;
            fault::inject("append", &mut file, &buffer).map_err(|e| ("write", e))?;
            file.write_all(&buffer).map_err(|e| ("write", e))?;
            fault::inject("append-sync", &mut file, &[]).map_err(|e| ("sync", e))?;
            file.sync_data().map_err(|e| ("sync", e))
        })();
        let Err((action, source)) = written else {
            return Ok(loaded.complete_len + buffer.len() as u64);
        };
        let restored = file.set_len(loaded.complete_len).and_then(|()| file.sync_data());
        let hint = match restored {
            Ok(()) => NOTHING_RECORDED.to_string(),
            Err(_) => "the saved progress is intact, but the last line may be cut off: it is ignored, and the next change (or `roadmap doctor --fix`) removes it".to_string(),
        };
        Err(StoreError::Write { action, path: self.path.clone(), source, hint })
    }

    /// Replaces the whole file atomically.
    pub fn write_all(&self, _lock: &Lock, state: &State) -> Result<(), StoreError> {
        let mut buffer = Vec::new();
        encode(state, &mut buffer).map_err(io_error("encode", &self.path))?;
        let temp = self.sidecar(&format!(".tmp-{}", std::process::id()));
        let result = self.replace_with(&temp, &buffer);
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }

    fn replace_with(&self, temp: &Path, buffer: &[u8]) -> Result<(), StoreError> {
        let mut file = File::create(temp).map_err(write_error("create", temp, NOT_REPLACED))?;
        fault::inject("rewrite", &mut file, buffer).map_err(write_error("write", temp, NOT_REPLACED))?;
        file.write_all(buffer).map_err(write_error("write", temp, NOT_REPLACED))?;
        fault::inject("rewrite-sync", &mut file, &[]).map_err(write_error("sync", temp, NOT_REPLACED))?;
        file.sync_all().map_err(write_error("sync", temp, NOT_REPLACED))?;
        drop(file);
        fault::inject("rename", &mut io::sink(), &[]).map_err(write_error("rename", temp, NOT_REPLACED))?;
        fs::rename(temp, &self.path).map_err(write_error("replace", &self.path, NOT_REPLACED))?;
        self.sync_dir();
        Ok(())
    }

    fn sync_dir(&self) {
        if let Some(dir) = self.dir()
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
    }

    /// Copies the current file beside itself as `<state>.bak-<stamp>` (with
    /// `-2`, `-3`, … when that name is taken: a backup is never overwritten),
    /// synced before it is relied on.
    pub fn backup(&self, _lock: &Lock, stamp: &str) -> Result<PathBuf, StoreError> {
        let bytes = fs::read(&self.path).map_err(io_error("back up", &self.path))?;
        let hint = "no backup was made and the state file was not changed";
        for n in 1..=1000 {
            let suffix = if n == 1 { format!(".bak-{stamp}") } else { format!(".bak-{stamp}-{n}") };
            let backup = self.sidecar(&suffix);
            let mut file = match OpenOptions::new().write(true).create_new(true).open(&backup) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(write_error("create the backup", &backup, hint)(e)),
            };
            let written = file.write_all(&bytes).and_then(|()| file.sync_all());
            if let Err(e) = written {
                drop(file);
                let _ = fs::remove_file(&backup);
                return Err(write_error("write the backup", &backup, hint)(e));
            }
            self.sync_dir();
            return Ok(backup);
        }
        Err(write_error("find a free backup name beside", &self.path, hint)(io::Error::other(
            "a thousand backups already carry this time stamp",
        )))
    }

    /// Removes a cut-off last line (for `doctor --fix`).
    pub fn trim_torn(&self, _lock: &Lock, loaded: &Ends) -> Result<(), StoreError> {
        if !loaded.torn {
            return Ok(());
        }
        let file = OpenOptions::new().write(true).open(&self.path).map_err(io_error("open", &self.path))?;
        file.set_len(loaded.complete_len)
            .and_then(|()| file.sync_data())
            .map_err(io_error("trim the cut-off line of", &self.path))
    }

    /// Temporary files left beside the state by a rewrite that was
    /// interrupted (`<state>.tmp-PID`); never the state itself.
    pub fn stale_temps(&self) -> Vec<PathBuf> {
        let Some(name) = self.path.file_name().and_then(|n| n.to_str()) else {
            return Vec::new();
        };
        let prefix = format!("{name}.tmp-");
        let dir = self.dir().unwrap_or(Path::new("."));
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| {
                e.file_name().to_str().is_some_and(|n| {
                    n.strip_prefix(&prefix)
                        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
                })
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }
}

/// Writes a whole state as JSON Lines.
pub fn encode(state: &State, out: &mut Vec<u8>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &state.header)?;
    out.push(b'\n');
    for event in &state.events {
        serde_json::to_writer(&mut *out, event)?;
        out.push(b'\n');
    }
    Ok(())
}

/// The largest event seq (what JSON numbers hold exactly).
const MAX_SEQ: u64 = (1 << 53) - 1;

/// Parses a state file's bytes.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Parsed, StoreError> {
    let after_newline = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let tail = &bytes[after_newline..];
    let blank_tail = tail.iter().all(u8::is_ascii_whitespace);
    // A last line without its newline is kept when it is whole JSON (a hand
    // edit); otherwise it is a write cut off by a crash.
    let whole_tail = !blank_tail && serde_json::from_slice::<serde::de::IgnoredAny>(tail).is_ok();
    let complete_len = if whole_tail { bytes.len() } else { after_newline };
    let torn = !blank_tail && !whole_tail;
    let mut warnings = Vec::new();
    let mut lines = bytes[..complete_len].split(|&b| b == b'\n');
    let header_line = lines.next().filter(|l| !l.is_empty()).ok_or_else(|| StoreError::Foreign {
        path: path.to_path_buf(),
        why: if bytes.iter().all(u8::is_ascii_whitespace) {
            "it is empty".into()
        } else {
            "its first line is incomplete".into()
        },
    })?;
    let header = parse_header(path, header_line)?;
    let events = parse_events(path, lines, 2, None, &mut warnings)?;
    if torn {
        warnings.push(format!(
            "{}: the last line was cut off (a crash during a write?) and is ignored; the next change removes it",
            path.display()
        ));
    }
    let ends =
        Ends { complete_len: complete_len as u64, file_len: bytes.len() as u64, needs_newline: whole_tail, torn };
    Ok(Parsed { state: State { header, events }, warnings, ends })
}

/// Parses event lines, the first being line `first_line` of the file and
/// `previous` the seq and time of the event before them.
pub fn parse_events<'a>(
    path: &Path,
    lines: impl Iterator<Item = &'a [u8]>,
    first_line: usize,
    previous: Option<(u64, chrono::DateTime<chrono::Utc>)>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Event>, StoreError> {
    let mut events: Vec<Event> = Vec::new();
    let mut last = previous;
    for (i, line) in lines.enumerate() {
        let line_no = i + first_line;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let event: Event = serde_json::from_slice(line).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            line: line_no,
            column: e.column().max(1),
            message: clean_json_error(&e),
        })?;
        if event.seq == 0 || event.seq > MAX_SEQ {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                line: line_no,
                column: 1,
                message: format!("event seq {} is out of range (1 to {MAX_SEQ})", event.seq),
            });
        }
        if let Some((last_seq, last_at)) = last {
            if event.seq <= last_seq {
                return Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    line: line_no,
                    column: 1,
                    message: format!("event seq {} does not follow seq {last_seq}", event.seq),
                });
            }
            if event.at < last_at {
                warnings.push(format!(
                    "{}:{line_no}: event {} is dated before the one above it (the clock moved back?); order by seq is kept",
                    path.display(),
                    event.seq
                ));
            }
        }
        last = Some((event.seq, event.at));
        events.push(event);
    }
    Ok(events)
}

fn parse_header(path: &Path, line: &[u8]) -> Result<Header, StoreError> {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| StoreError::Foreign {
        path: path.to_path_buf(),
        why: format!("line 1 is not JSON: {}", clean_json_error(&e)),
    })?;
    let version = value.get("roadmap_state").ok_or_else(|| StoreError::Foreign {
        path: path.to_path_buf(),
        why: "line 1 has no `roadmap_state` version".into(),
    })?;
    match version.as_u64() {
        Some(v) if v > u64::from(STATE_VERSION) => {
            return Err(StoreError::Newer { path: path.to_path_buf(), found: v });
        }
        Some(v) if v >= 1 => {}
        _ => {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
                why: format!("unknown state format {version}"),
            });
        }
    }
    serde_json::from_value(value).map_err(|e| {
        let message = clean_json_error(&e);
        let newer = if message.starts_with("unknown field") {
            " (written by a newer roadmap? then update roadmap)"
        } else {
            ""
        };
        StoreError::Header { path: path.to_path_buf(), message: format!("{message}{newer}") }
    })
}

fn clean_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

/// Test-only fault injection for crash-safety tests: `ROADMAP_FAULT=POINT:ACTION`
/// with POINT one of `append`, `append-sync`, `rewrite`, `rewrite-sync`,
/// `rename`, and ACTION `fail` (an I/O error, as from a full disk), `abort`
/// (the process dies there), `half` (half the bytes are written, then the
/// process dies) or `pause` (it says so on stderr and sleeps a minute,
/// holding the lock, for a test to kill it).
mod fault {
    use std::io::{self, Write};

    pub fn inject(point: &str, out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        let Some(spec) = std::env::var_os("ROADMAP_FAULT") else {
            return Ok(());
        };
        let spec = spec.to_string_lossy();
        let Some((at, action)) = spec.split_once(':') else {
            return Ok(());
        };
        if at != point {
            return Ok(());
        }
        match action {
            "fail" => Err(io::Error::new(io::ErrorKind::StorageFull, "no space left on device (injected)")),
            "abort" => std::process::abort(),
            "half" => {
                out.write_all(&bytes[..bytes.len() / 2])?;
                out.flush()?;
                std::process::abort()
            }
            "pause" => {
                eprintln!("roadmap: paused at {point} (ROADMAP_FAULT)");
                std::thread::sleep(std::time::Duration::from_secs(60));
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
