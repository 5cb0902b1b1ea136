//! The state file on disk (its bytes are `core::state::codec`'s).
//!
//! The path given is resolved to the real file first (symlinks followed;
//! for a file not there yet, its directory made canonical), so one file has
//! one lock whatever path reaches it, and a write through a link keeps the
//! link. Anything that is not a regular file (a directory, FIFO, device,
//! socket) is refused before it is opened or a lock file is made.
//!
//! Writers hold an exclusive OS lock on a sidecar `<real file>.lock`
//! across the whole read-modify-write (the lock dies with its process, so a
//! killed command never blocks the next). New events are appended in one
//! write and synced; if the write or the sync fails, the file is cut back to
//! its old length. A last line cut off by a crash is detected, ignored on
//! read and removed by the next write; a last line that is complete but
//! lacks its newline (a hand edit) is kept. Whole-file rewrites go through
//! `atomic` (a synced temporary file renamed over the state, the directory
//! synced). Readers take no lock: they see the old or the new file; one that
//! catches an append half-way waits for a shared lock and reads again.

use crate::core::progress::ReplayError;
use crate::core::state::codec::{self, CodecError, Ends, Last};
use crate::core::state::limits::{self, Violation};
use crate::core::state::{Event, EventId, Header, STATE_VERSION, State};
use crate::shell::atomic::{self, Target};
use crate::shell::fault;
use crate::shell::loaded::{Loaded, Seen};
use chrono::{DateTime, Utc};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Everything that can go wrong with the state file, as data; the words
/// are built once, in `Display` (the message, then the hint).
#[derive(Debug)]
pub enum StoreError {
    /// An I/O error on `path` while doing `action` ("read", "open", …).
    Io { action: &'static str, path: PathBuf, source: io::Error },
    /// A write that failed; `after` says what became of the saved progress.
    Write { action: &'static str, path: PathBuf, source: io::Error, after: Aftermath },
    /// The bytes are not a state this roadmap reads.
    Decode { path: PathBuf, error: CodecError },
    /// The events cannot be applied (a value out of range, …).
    Replay { path: PathBuf, error: ReplayError },
    /// Another command held the lock for all of `waited`.
    Busy { path: PathBuf, waited: Duration },
    /// The path names something other than a regular file.
    NotAFile { path: PathBuf, kind: FileKind },
    /// An event (or header) to be written breaks the value rules the reader
    /// applies; nothing was written.
    Refused { path: PathBuf, violation: Violation },
    /// The file is no longer the one the command read (another program
    /// replaced or rewrote it since, which the lock does not hold off);
    /// nothing was written.
    Changed { path: PathBuf },
}

/// What became of the saved progress after a failed write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aftermath {
    /// An append failed and was rolled back.
    NothingRecorded,
    /// A rewrite failed before its rename.
    NotReplaced,
    /// An append failed and could not be rolled back.
    MaybeTorn,
    /// A backup could not be made.
    NoBackup,
    /// The lock file could not be made.
    NoLockFile,
}

impl Aftermath {
    fn hint(self) -> &'static str {
        match self {
            Aftermath::NothingRecorded => {
                "nothing was recorded and the saved progress is unchanged; free some disk space or fix the permissions, then run the command again"
            }
            Aftermath::NotReplaced => {
                "the state file was not changed; free some disk space or fix the permissions, then run the command again"
            }
            Aftermath::MaybeTorn => {
                "the saved progress is intact, but the last line may be cut off: it is ignored, and the next change (or `roadmap doctor --fix`) removes it"
            }
            Aftermath::NoBackup => "no backup was made and the state file was not changed",
            Aftermath::NoLockFile => {
                "roadmap keeps a lock file beside the state file; check that its directory is writable (nothing was recorded)"
            }
        }
    }
}

/// What a path names, when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl FileKind {
    fn of(meta: &fs::Metadata) -> FileKind {
        let kind = meta.file_type();
        if kind.is_dir() {
            return FileKind::Directory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return FileKind::Fifo;
            }
            if kind.is_char_device() {
                return FileKind::CharDevice;
            }
            if kind.is_block_device() {
                return FileKind::BlockDevice;
            }
            if kind.is_socket() {
                return FileKind::Socket;
            }
        }
        FileKind::Other
    }

    fn words(self) -> &'static str {
        match self {
            FileKind::Directory => "a directory",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Socket => "a socket",
            FileKind::Other => "not a regular file",
        }
    }
}

const FIX_THAT_LINE: &str = "the file was left as it is; fix or delete that line (keep a copy), or restore a backup";

impl StoreError {
    /// What to do about it, if there is advice.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            StoreError::Io { .. } => return None,
            StoreError::Write { after, .. } => after.hint().to_string(),
            StoreError::Decode { error, .. } => match error {
                CodecError::Corrupt { .. } => FIX_THAT_LINE.to_string(),
                CodecError::Header { .. } => "that line holds your calendar and baseline: fix it by hand (keep a copy) or restore a backup; the file was left as it is".to_string(),
                CodecError::Newer { .. } => "update roadmap; the file was left as it is".to_string(),
                CodecError::Foreign { .. } => "point --state or ROADMAP_STATE at a roadmap state file; the file was left as it is".to_string(),
            },
            StoreError::Replay { .. } => FIX_THAT_LINE.to_string(),
            StoreError::Busy { .. } => "wait for it to finish and try again (the lock is released when that process ends, even if it is killed; ROADMAP_LOCK_WAIT=SECONDS waits longer)".to_string(),
            StoreError::NotAFile { .. } => "point --state or ROADMAP_STATE at a roadmap state file, or at a path where one can be created; nothing was read or written".to_string(),
            StoreError::Changed { .. } => "nothing was written; run the command again, once the other program (git, an editor, a sync tool) is done with the file".to_string(),
            StoreError::Refused { .. } => format!(
                "nothing was written; a state holds dates {}..{} and counts up to {}: check the value (a mistyped year?) and run the command again",
                limits::EARLIEST,
                limits::LATEST,
                limits::MAX_COUNT
            ),
        })
    }

    /// The message without the hint.
    pub fn message(&self) -> String {
        struct Message<'a>(&'a StoreError);
        impl std::fmt::Display for Message<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.write_message(f)
            }
        }
        Message(self).to_string()
    }

    fn write_message(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Io { action, path, source } | StoreError::Write { action, path, source, .. } => {
                write!(f, "cannot {action} {}: {source}", path.display())
            }
            StoreError::Decode { path, error } => {
                let path = path.display();
                match error {
                    CodecError::Corrupt { line, column, message } => write!(f, "{path}:{line}:{column}: {message}"),
                    CodecError::Header { message } => write!(f, "{path}:1: the header line is not valid: {message}"),
                    CodecError::Newer { found } => write!(
                        f,
                        "{path} was written by a newer roadmap (state format {found}; this one reads {STATE_VERSION})"
                    ),
                    CodecError::Foreign { why } => write!(f, "{path} is not a roadmap state file ({why})"),
                }
            }
            StoreError::Replay { path, error } => write!(f, "{}: {error}", path.display()),
            StoreError::Busy { path, waited } => {
                write!(f, "another roadmap command has held the lock on {} for {}", path.display(), seconds(*waited))
            }
            StoreError::NotAFile { path, kind } => {
                write!(f, "{} is {}, not a roadmap state file", path.display(), kind.words())
            }
            StoreError::Refused { path, violation } => {
                write!(f, "{}: refusing to record a value the state cannot hold: {violation}", path.display())
            }
            StoreError::Changed { path } => {
                write!(f, "{} was changed by another program while this command ran", path.display())
            }
        }
    }
}

/// The message, then the hint on its own line.
impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_message(f)?;
        match self.hint() {
            Some(hint) => write!(f, "\n  hint: {hint}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } | StoreError::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The state file and its sidecar lock.
#[derive(Clone, Debug)]
pub struct Store {
    /// The path as given (what messages name).
    path: PathBuf,
    /// Where the snapshot of the replayed state is cached, if anywhere.
    snapshot: Option<PathBuf>,
}

/// Proof that the lock is held (released on drop), with the real file it
/// locks: every write goes there.
pub struct Lock {
    _file: File,
    real: PathBuf,
}

/// A whole state file read: the header and every event, its warnings in
/// words (naming the file), and where its lines end.
#[derive(Debug)]
pub struct Parsed {
    pub state: State,
    /// Warnings about harmless oddities (a cut-off last line).
    pub warnings: Vec<String>,
    pub ends: Ends,
    /// The file as it was read, when known (`Loaded::seen`).
    pub seen: Option<Seen>,
}

/// Events appended: the file's new length, and the file as it is after
/// them (when the file before them was known: `Loaded::seen`).
#[derive(Clone, Copy, Debug)]
pub struct Appended {
    pub len: u64,
    pub seen: Option<Seen>,
}

/// The file written, `len` bytes long now, as it is (from the open file,
/// not its path); known only when the file before was (`known`).
fn seen_now(file: &File, len: u64, known: Option<Seen>) -> Option<Seen> {
    let meta = known.and(file.metadata().ok())?;
    let (modified, inode) = crate::shell::cache::file_identity(&meta);
    (meta.len() == len).then_some(Seen { len, modified, inode, tail_hash: None })
}

/// A state file's bytes, and the file as they were read from it.
struct ReadBytes {
    bytes: Vec<u8>,
    seen: Option<Seen>,
}

impl Parsed {
    /// The length of a cut-off last line, if there is one.
    pub fn torn_bytes(&self) -> Option<u64> {
        self.ends.torn_bytes()
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

fn write_error<'p>(
    action: &'static str,
    path: &'p Path,
    after: Aftermath,
) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |source| StoreError::Write { action, path: path.to_path_buf(), source, after }
}

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

/// `path` with `suffix` added to its file name.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The most symlinks followed (as Linux's own limit).
const MAX_LINKS: usize = 40;

/// Follows symlinks from `path` to the first path that is not one (it may
/// not exist: a dangling link leads to the file it would create).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = parent(&current).join(target);
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Opens a regular file for reading without ever blocking on a FIFO
/// (`O_NONBLOCK`; a regular file reads as usual). `None` when absent.
fn open_regular(path: &Path) -> Result<Option<File>, StoreError> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("open", path)(e)),
    };
    if !meta.is_file() {
        return Err(StoreError::NotAFile { path: path.to_path_buf(), kind: FileKind::of(&meta) });
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("open", path)(e)),
    };
    // Swapped for something else between the two looks?
    let meta = file.metadata().map_err(io_error("read", path))?;
    if !meta.is_file() {
        return Err(StoreError::NotAFile { path: path.to_path_buf(), kind: FileKind::of(&meta) });
    }
    Ok(Some(file))
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store { path, snapshot: None }
    }

    /// Caches snapshots of the replayed state in `dir`, one per real file.
    pub fn with_snapshots(mut self, dir: Option<&Path>) -> Store {
        // Named after the real file, as `read` and `remember` find it: the
        // same snapshot whichever path reaches the file, even one that
        // does not exist yet.
        let real = self.real();
        self.snapshot = dir.map(|dir| {
            let key = crate::shell::cache::hash(real.as_os_str().as_encoded_bytes());
            dir.join(format!("state-{key:016x}.bin"))
        });
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The real file: symlinks followed, the directory canonical (created
    /// first when `create`); refused when it is not a regular file.
    fn resolve(&self, create: bool) -> Result<PathBuf, StoreError> {
        let end = follow_links(&self.path).map_err(io_error("follow the links of", &self.path))?;
        match fs::metadata(&end) {
            Ok(meta) if meta.is_file() => fs::canonicalize(&end).map_err(io_error("resolve", &self.path)),
            Ok(meta) => Err(StoreError::NotAFile { path: self.path.clone(), kind: FileKind::of(&meta) }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let dir = parent(&end);
                if create {
                    fs::create_dir_all(dir).map_err(io_error("create the directory", dir))?;
                }
                let name = end.file_name().ok_or_else(|| {
                    io_error("find a file name in", &self.path)(io::Error::other("the path ends in `..`"))
                })?;
                let dir = fs::canonicalize(dir).map_err(io_error("find the directory", dir))?;
                Ok(dir.join(name))
            }
            Err(e) => Err(io_error("read", &self.path)(e)),
        }
    }

    /// Takes the exclusive lock on the real file, creating its directory if
    /// needed. A path that is not a regular file is refused first: no lock
    /// file is made for it.
    pub fn lock(&self) -> Result<Lock, StoreError> {
        let real = self.resolve(true)?;
        let lock_path = sidecar(&real, ".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(write_error("open the lock file", &lock_path, Aftermath::NoLockFile))?;
        let wait = lock_wait();
        if acquire(wait, || file.try_lock()).map_err(io_error("lock", &lock_path))? {
            Ok(Lock { _file: file, real })
        } else {
            Err(StoreError::Busy { path: self.path.clone(), waited: wait })
        }
    }

    /// The file's bytes, and the file as they were read from it.
    fn read_bytes(&self, file: &Path) -> Result<Option<ReadBytes>, StoreError> {
        let Some(mut opened) = open_regular(file).map_err(|e| self.named(e))? else { return Ok(None) };
        let meta = opened.metadata().ok();
        if let Some(meta) = &meta {
            crate::shell::alloc::expect_large(meta.len());
        }
        let mut bytes = Vec::new();
        opened.read_to_end(&mut bytes).map_err(io_error("read", &self.path))?;
        let seen = meta.and_then(|meta| crate::shell::snapshot::seen(&meta, 0, &bytes));
        Ok(Some(ReadBytes { bytes, seen }))
    }

    /// An error about the real file, told with the path as given.
    fn named(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::NotAFile { kind, .. } => StoreError::NotAFile { path: self.path.clone(), kind },
            StoreError::Io { action, source, .. } => StoreError::Io { action, path: self.path.clone(), source },
            other => other,
        }
    }

    /// Reads the whole state, every event, without the lock; `None` when
    /// there is no file yet. A reader that finds a cut-off or unreadable
    /// last line may have caught a writer half-way: it waits for a shared
    /// lock (no writer at work) and reads again, so only a real leftover of
    /// a crash is reported.
    pub fn read_all(&self) -> Result<Option<Parsed>, StoreError> {
        let first = self.read_once(&self.path)?;
        let suspicious = match &first {
            Ok(Some(parsed)) => parsed.ends.is_torn(),
            Ok(None) => false,
            Err(_) => true,
        };
        if !suspicious {
            return first;
        }
        let Ok(real) = self.resolve(false) else { return first };
        let Ok(file) = File::open(sidecar(&real, ".lock")) else {
            return first;
        };
        match acquire(lock_wait(), || file.try_lock_shared()) {
            Ok(true) => self.read_once(&self.path)?,
            _ => first,
        }
    }

    /// Reads the state as commands use it, through the snapshot when it is
    /// still true to the file; `None` when there is no file yet.
    pub fn read(&self) -> Result<Option<Loaded>, StoreError> {
        if self.snapshot.is_some()
            && let Some(loaded) = self.read_snapshot(&self.real())?
        {
            return Ok(Some(loaded));
        }
        let Some(parsed) = self.read_all()? else { return Ok(None) };
        self.loaded(parsed).map(Some)
    }

    /// Reads the whole state, every event, while holding the lock.
    pub fn read_all_locked(&self, lock: &Lock) -> Result<Option<Parsed>, StoreError> {
        self.read_once(&lock.real)?
    }

    /// Reads the state while holding the lock.
    pub fn read_locked(&self, lock: &Lock) -> Result<Option<Loaded>, StoreError> {
        if let Some(loaded) = self.read_snapshot(&lock.real)? {
            return Ok(Some(loaded));
        }
        let Some(parsed) = self.read_once(&lock.real)?? else { return Ok(None) };
        self.loaded(parsed).map(Some)
    }

    fn read_snapshot(&self, file: &Path) -> Result<Option<Loaded>, StoreError> {
        let Some(snapshot) = &self.snapshot else { return Ok(None) };
        match crate::shell::snapshot::read(file, snapshot) {
            Ok(loaded) => Ok(loaded),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read", &self.path)(e)),
        }
    }

    fn loaded(&self, parsed: Parsed) -> Result<Loaded, StoreError> {
        let loaded = Loaded::from_state(parsed.state, parsed.warnings, parsed.ends, parsed.seen)
            .map_err(|error| StoreError::Replay { path: self.path.clone(), error })?;
        self.remember(&loaded);
        Ok(loaded)
    }

    /// After events were appended to the state `loaded` was read through
    /// a snapshot from: a new snapshot only once the lines after the old
    /// one pass `snapshot::TAIL_KEPT` (the old one still holds for the
    /// file, which only grew).
    pub fn remember_appended(&self, loaded: &Loaded) {
        let after = loaded.snapshot_len.map(|covered| loaded.ends.complete_len().saturating_sub(covered));
        if after.is_none_or(|after| after > crate::shell::snapshot::TAIL_KEPT) {
            self.remember(loaded);
        }
    }

    /// Whether this store saves snapshots (it has a cache to keep them in).
    pub fn keeps_snapshots(&self) -> bool {
        self.snapshot.is_some()
    }

    /// Saves a snapshot of `loaded` (best effort; only of a clean file
    /// that is still as it was read), and says whether it did.
    pub fn remember(&self, loaded: &Loaded) -> bool {
        match &self.snapshot {
            Some(snapshot) if loaded.ends.is_clean() => crate::shell::snapshot::write(&self.real(), snapshot, loaded),
            _ => false,
        }
    }

    /// The real file, as the snapshot names it: read and saved by this
    /// path, a snapshot serves every path that reaches the file (a link
    /// to it or to its directory), not only the one it was saved through.
    fn real(&self) -> PathBuf {
        self.resolve(false).unwrap_or_else(|_| self.path.clone())
    }

    /// Parses a state file's bytes; errors and warnings name this store's path.
    pub fn parse(&self, bytes: &[u8]) -> Result<Parsed, StoreError> {
        let decoded = codec::parse(bytes).map_err(|error| StoreError::Decode { path: self.path.clone(), error })?;
        let shown = self.path.display().to_string();
        let warnings = decoded.warnings.iter().map(|w| w.located(&shown)).collect();
        Ok(Parsed { state: decoded.state, warnings, ends: decoded.ends, seen: None })
    }

    /// Reads `file` once: the outer error is an I/O failure, the inner one
    /// a content problem.
    #[allow(clippy::type_complexity)]
    fn read_once(&self, file: &Path) -> Result<Result<Option<Parsed>, StoreError>, StoreError> {
        Ok(match self.read_bytes(file)? {
            Some(ReadBytes { bytes, seen }) => self.parse(&bytes).map(|parsed| Some(Parsed { seen, ..parsed })),
            None => Ok(None),
        })
    }

    /// Checks events against the value rules the reader applies: what is
    /// refused here is never written.
    pub fn check(&self, events: &[Event]) -> Result<(), StoreError> {
        for event in events {
            limits::check_event(event)
                .map_err(|violation| StoreError::Refused { path: self.path.clone(), violation })?;
        }
        Ok(())
    }

    /// Appends events (their seqs already set) to the file read as `seen`
    /// says (when known: refused, `Changed`, if it is another file now),
    /// and syncs. Removes a cut-off last line first. On failure the file is
    /// cut back to what it held. Returns the file as it is after them.
    pub fn append(
        &self,
        lock: &Lock,
        loaded: &Ends,
        seen: Option<Seen>,
        events: &[Event],
    ) -> Result<Appended, StoreError> {
        self.check(events)?;
        let mut buffer = Vec::new();
        if loaded.needs_newline() {
            buffer.push(b'\n');
        }
        codec::encode_events(events, &mut buffer).map_err(|e| io_error("encode an event for", &self.path)(e.into()))?;
        let nothing = Aftermath::NothingRecorded;
        let mut file =
            OpenOptions::new().write(true).open(&lock.real).map_err(write_error("open", &self.path, nothing))?;
        // The file written to is the one read: appended to a file another
        // program put in its place, or rewrote, the events would follow
        // lines they were not made after, and a cut-off line trimmed by the
        // lengths read could be that program's own.
        self.still_as_read(&file, seen)?;
        let start = loaded.complete_len();
        if loaded.file_len() != start {
            file.set_len(start).map_err(write_error("trim the cut-off line of", &self.path, nothing))?;
        }
        let written = (|| -> Result<(), (&'static str, io::Error)> {
            file.seek(SeekFrom::Start(start)).map_err(|e| ("seek in", e))?;
            fault::inject("append", &mut file, &buffer).map_err(|e| ("write", e))?;
            file.write_all(&buffer).map_err(|e| ("write", e))?;
            fault::inject("append-sync", &mut file, &[]).map_err(|e| ("sync", e))?;
            file.sync_data().map_err(|e| ("sync", e))
        })();
        let Err((action, source)) = written else {
            let len = start + buffer.len() as u64;
            return Ok(Appended { len, seen: seen_now(&file, len, seen) });
        };
        let restored = file.set_len(start).and_then(|()| file.sync_data());
        let after = if restored.is_ok() { Aftermath::NothingRecorded } else { Aftermath::MaybeTorn };
        Err(StoreError::Write { action, path: self.path.clone(), source, after })
    }

    /// Gives new events their identity and time: the ids of one command
    /// share this copy's origin and one random number, then count up; the
    /// time is `now`, or just after the last event when the clock is behind
    /// it, so that the events sort after every event already recorded.
    pub fn stamp(&self, now: DateTime<Utc>, last: Option<&Last>, events: &mut [Event]) {
        let at = match last {
            Some(last) if last.at >= now => last.at + chrono::Duration::milliseconds(1),
            _ => now,
        };
        let random = random_u64();
        for (index, event) in (0u32..).zip(events.iter_mut()) {
            event.id = EventId::new(self.origin(), random, index);
            event.at = at;
            event.seq = last.map_or(1, |l| l.seq + 1) + u64::from(index);
        }
    }

    /// This copy of the state: a hash of the machine's name and the file's real path.
    pub fn origin(&self) -> u32 {
        let real = self.resolve(false).unwrap_or_else(|_| self.path.clone());
        let mut key = host_name().into_bytes();
        key.push(0);
        key.extend_from_slice(real.as_os_str().as_encoded_bytes());
        (crate::shell::cache::hash(&key) >> 32) as u32
    }

    /// The real file (links followed), for commands that work beside it (`sync`).
    pub fn real_path(&self) -> Result<PathBuf, StoreError> {
        self.resolve(false)
    }

    /// Records events: appended to a file of the current format; a file of
    /// an older format is rewritten whole in the current one with the events
    /// added (the upgrade on first write: every event kept, with its id and
    /// place). The file is the one read as `seen` says, when known.
    /// Returns the file after the events when appended, `None` when
    /// rewritten.
    pub fn record(
        &self,
        lock: &Lock,
        header: &Header,
        (ends, seen): (&Ends, Option<Seen>),
        events: &[Event],
    ) -> Result<Option<Appended>, StoreError> {
        if header.roadmap_state >= STATE_VERSION {
            return self.append(lock, ends, seen, events).map(Some);
        }
        let Some(parsed) = self.read_all_locked(lock)? else {
            return Err(io_error("read", &self.path)(io::Error::other("the state file vanished")));
        };
        let mut state = parsed.state;
        state.events.extend_from_slice(events);
        self.write_all(lock, &state)?;
        Ok(None)
    }

    /// Writes `state` whole to a file that is not a live state (a git merge
    /// driver's temporary file): atomically, without a lock.
    pub fn write_unlocked(path: &Path, state: &State) -> Result<(), StoreError> {
        let mut buffer = Vec::new();
        codec::encode(state, &mut buffer).map_err(|e| io_error("encode", path)(e.into()))?;
        atomic::replace(path, &buffer, Target::State).map_err(|failed| StoreError::Write {
            action: failed.step.action(),
            path: path.to_path_buf(),
            source: failed.source,
            after: Aftermath::NotReplaced,
        })
    }

    /// Reads and parses a state file that is not the live one (a conflict
    /// copy, a merge driver's side); `None` when absent.
    pub fn read_other(path: &Path) -> Result<Option<Parsed>, StoreError> {
        Store::new(path.to_path_buf()).read_all()
    }

    /// Replaces the whole file atomically (through a link: its target).
    pub fn write_all(&self, lock: &Lock, state: &State) -> Result<(), StoreError> {
        limits::check_header(&state.header)
            .map_err(|violation| StoreError::Refused { path: self.path.clone(), violation })?;
        self.check(&state.events)?;
        let mut buffer = Vec::new();
        codec::encode(state, &mut buffer).map_err(|e| io_error("encode", &self.path)(e.into()))?;
        atomic::replace(&lock.real, &buffer, Target::State).map_err(|failed| StoreError::Write {
            action: failed.step.action(),
            path: self.path.clone(),
            source: failed.source,
            after: Aftermath::NotReplaced,
        })
    }

    /// Copies the current file beside the real one as `<state>.bak-<stamp>`
    /// (with `-2`, `-3`, … when that name is taken: a backup is never
    /// overwritten), synced before it is relied on.
    pub fn backup(&self, lock: &Lock, stamp: &str) -> Result<PathBuf, StoreError> {
        let bytes = fs::read(&lock.real).map_err(io_error("back up", &self.path))?;
        let after = Aftermath::NoBackup;
        for n in 1..=1000 {
            let suffix = if n == 1 { format!(".bak-{stamp}") } else { format!(".bak-{stamp}-{n}") };
            let backup = sidecar(&lock.real, &suffix);
            let mut file = match OpenOptions::new().write(true).create_new(true).open(&backup) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(write_error("create the backup", &backup, after)(e)),
            };
            let written = file.write_all(&bytes).and_then(|()| file.sync_all());
            if let Err(e) = written {
                drop(file);
                let _ = fs::remove_file(&backup);
                return Err(write_error("write the backup", &backup, after)(e));
            }
            atomic::sync_dir(parent(&lock.real));
            return Ok(backup);
        }
        Err(write_error("find a free backup name beside", &self.path, after)(io::Error::other(
            "a thousand backups already carry this time stamp",
        )))
    }

    /// Removes a cut-off last line (for `doctor --fix`).
    /// Returns the file as it is after (`seen` as it was when nothing was
    /// cut); refused, `Changed`, when the file is no longer the one read.
    pub fn trim_torn(&self, lock: &Lock, loaded: &Ends, seen: Option<Seen>) -> Result<Option<Seen>, StoreError> {
        if !loaded.is_torn() {
            return Ok(seen);
        }
        let file = OpenOptions::new().write(true).open(&lock.real).map_err(io_error("open", &self.path))?;
        self.still_as_read(&file, seen)?;
        file.set_len(loaded.complete_len())
            .and_then(|()| file.sync_data())
            .map_err(io_error("trim the cut-off line of", &self.path))?;
        Ok(seen_now(&file, loaded.complete_len(), seen))
    }

    /// Refuses (`Changed`) when `file`, opened to be written, is no longer
    /// the one read as `seen` says; an unknown `seen` is not checked.
    fn still_as_read(&self, file: &File, seen: Option<Seen>) -> Result<(), StoreError> {
        let Some(seen) = seen else { return Ok(()) };
        let now = file.metadata().map_err(write_error("check", &self.path, Aftermath::NothingRecorded))?;
        match crate::shell::snapshot::still(&seen, &now) {
            true => Ok(()),
            false => Err(StoreError::Changed { path: self.path.clone() }),
        }
    }

    /// Temporary files left beside the real state by a rewrite that was
    /// interrupted (`.<state>.tmp-XXXXXX`, or `<state>.tmp-PID` from older
    /// versions); never the state itself.
    /// Removes the leftover temporary files `stale_temps` found (`doctor --fix`).
    pub(crate) fn remove_temps(&self, _lock: &Lock, paths: &[PathBuf]) -> Result<(), StoreError> {
        paths.iter().try_for_each(|p| fs::remove_file(p).map_err(io_error("remove", p)))
    }

    /// Conflict copies a synced folder made beside the real state:
    /// `state.sync-conflict-*.jsonl` (Syncthing) and
    /// `state (… conflicted copy …).jsonl` (Dropbox), for `state.jsonl`.
    pub fn conflict_copies(&self) -> Vec<PathBuf> {
        let real = self.resolve(false).unwrap_or_else(|_| self.path.clone());
        let Some(name) = real.file_name().and_then(|n| n.to_str()) else {
            return Vec::new();
        };
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
            _ => (name.to_string(), String::new()),
        };
        let Ok(entries) = fs::read_dir(parent(&real)) else {
            return Vec::new();
        };
        let is_copy = |n: &str| {
            let Some(middle) = n.strip_prefix(stem.as_str()).and_then(|r| r.strip_suffix(ext.as_str())) else {
                return false;
            };
            let syncthing = middle.starts_with(".sync-conflict-");
            let dropbox = middle.starts_with(" (") && middle.ends_with(')') && middle.contains("conflicted copy");
            n != name && (syncthing || dropbox)
        };
        let mut found: Vec<PathBuf> =
            entries.flatten().filter(|e| e.file_name().to_str().is_some_and(is_copy)).map(|e| e.path()).collect();
        found.sort();
        found
    }

    pub fn stale_temps(&self) -> Vec<PathBuf> {
        let real = self.resolve(false).unwrap_or_else(|_| self.path.clone());
        let Some(name) = real.file_name().and_then(|n| n.to_str()) else {
            return Vec::new();
        };
        let current = atomic::temp_prefix(&real);
        let older = format!("{name}.tmp-");
        let Ok(entries) = fs::read_dir(parent(&real)) else {
            return Vec::new();
        };
        let is_temp = |n: &str| {
            let random =
                n.strip_prefix(&current).is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric()));
            let pid = n.strip_prefix(&older).is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            random || pid
        };
        let mut found: Vec<PathBuf> =
            entries.flatten().filter(|e| e.file_name().to_str().is_some_and(is_temp)).map(|e| e.path()).collect();
        found.sort();
        found
    }
}

/// 64 random bits from the system (the time and process id when it has none).
fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    let read = File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_ok() {
        return u64::from_le_bytes(bytes);
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    crate::shell::cache::hash(format!("{nanos}-{}", std::process::id()).as_bytes())
}

/// The machine's name ("" when it cannot be told).
fn host_name() -> String {
    #[cfg(unix)]
    {
        let mut buffer = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes at most that.
        let done = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
        if done == 0 {
            let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
            return String::from_utf8_lossy(&buffer[..end]).into_owned();
        }
    }
    std::env::var("COMPUTERNAME").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hint is data; the text is the message, then the hint.
    #[test]
    fn an_error_carries_its_values_and_its_hint_apart() {
        let error = StoreError::Decode {
            path: PathBuf::from("s.jsonl"),
            error: CodecError::Corrupt { line: 3, column: 7, message: "expected value".into() },
        };
        assert_eq!(error.message(), "s.jsonl:3:7: expected value");
        assert_eq!(error.hint().as_deref(), Some(FIX_THAT_LINE));
        assert_eq!(error.to_string(), format!("s.jsonl:3:7: expected value\n  hint: {FIX_THAT_LINE}"));
        let busy = StoreError::Busy { path: PathBuf::from("s.jsonl"), waited: Duration::from_millis(300) };
        assert_eq!(busy.message(), "another roadmap command has held the lock on s.jsonl for 0.3 s");
    }

    /// A chain of relative links ends at the file they name, even a file
    /// not there yet; the lock and the writes go there.
    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_real_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = fs::canonicalize(dir.path()).expect("canonical");
        fs::create_dir(base.join("data")).expect("mkdir");
        std::os::unix::fs::symlink("data/second", base.join("first")).expect("link");
        std::os::unix::fs::symlink("state.jsonl", base.join("data/second")).expect("link");
        let store = Store::new(base.join("first"));
        assert_eq!(store.resolve(false).expect("resolve"), base.join("data/state.jsonl"));
        let lock = store.lock().expect("lock");
        assert_eq!(lock.real, base.join("data/state.jsonl"));
        assert!(base.join("data/state.jsonl.lock").exists());
        assert!(!base.join("first.lock").exists());
        std::os::unix::fs::symlink("loop", base.join("loop")).expect("link");
        assert!(matches!(Store::new(base.join("loop")).lock(), Err(StoreError::Io { .. })));
        assert!(!base.join("loop.lock").exists());
    }

    /// Events are appended only to the file the command read: one that
    /// another program (git, an editor) replaced or rewrote to the same
    /// length since is left as that program left it, and the command is
    /// refused. The file as read takes the events, and is known after them.
    #[test]
    fn events_are_appended_only_to_the_file_read() {
        use crate::core::state::{Baseline, Change, EventId};
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 4, 8, 0, 0).single().expect("time");
        let header =
            crate::core::testkit::header("2027-01-04", crate::core::calendar::WeekHours::DEFAULT, Baseline::default());
        let done = |seq: u64, task: &str| Event {
            seq,
            id: EventId::new(0, 0, seq as u32),
            at,
            ..Event::new(Change::Done { task: task.into(), on: "2027-01-05".parse().expect("date") }, None)
        };
        let bytes = |task: &str| {
            let mut out = Vec::new();
            codec::encode(&State { header: header.clone(), events: vec![done(1, task)] }, &mut out).expect("encode");
            out
        };
        let (read, other) = (bytes("p1.m.a"), bytes("p1.m.b"));
        assert_eq!(read.len(), other.len());
        for replaced in [true, false] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("state.jsonl");
            fs::write(&path, &read).expect("write");
            let store = Store::new(path.clone());
            let lock = store.lock().expect("lock");
            let loaded = store.read_locked(&lock).expect("read").expect("a state");
            let seen = loaded.seen.expect("the file as read");
            if replaced {
                let new = dir.path().join("state.new");
                fs::write(&new, &other).expect("write");
                fs::rename(&new, &path).expect("replace");
            } else {
                fs::write(&path, &other).expect("rewrite in place");
            }
            // A second later, whatever the file system's clock tick.
            let later = std::time::UNIX_EPOCH + Duration::from_nanos(seen.modified as u64) + Duration::from_secs(1);
            File::options().write(true).open(&path).and_then(|f| f.set_modified(later)).expect("mtime");
            let refused = store.record(&lock, &loaded.header, (&loaded.ends, loaded.seen), &[done(2, "p1.m.c")]);
            assert!(matches!(refused, Err(StoreError::Changed { .. })), "replaced: {replaced}: {refused:?}");
            assert_eq!(fs::read(&path).expect("read"), other, "left as the other program left it");
            // Read again, the file takes the event, and is known after it.
            let loaded = store.read_locked(&lock).expect("read").expect("a state");
            let appended = store
                .record(&lock, &loaded.header, (&loaded.ends, loaded.seen), &[done(2, "p1.m.c")])
                .expect("appended")
                .expect("in place");
            let after = appended.seen.expect("the file after");
            assert_eq!((after.len, appended.len), (fs::metadata(&path).expect("meta").len(), after.len));
            assert!(crate::shell::snapshot::still(&after, &fs::metadata(&path).expect("meta")));
        }
    }
}
