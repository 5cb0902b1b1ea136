//! The state file on disk: JSON Lines, a header line then one event a line.
//!
//! Writers hold an exclusive OS lock on a sidecar `<state>.lock` file across
//! the whole read-modify-write (the lock dies with its process, so a killed
//! command never blocks the next). New events are appended in one write and
//! synced; a last line cut off by a crash is detected, ignored on read and
//! removed by the next write. Whole-file rewrites go through a temporary
//! file in the same directory, synced, renamed over the state, and the
//! directory synced. Readers take no lock: they see the old or the new file.

use crate::progress::{Progress, replay};
use crate::state::{Event, Header, STATE_VERSION, State};
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
    #[error(
        "{path}:{line}:{column}: {message}\n  hint: the file was left as it is; fix or delete that line (keep a copy), or restore a backup"
    )]
    Corrupt { path: PathBuf, line: usize, column: usize, message: String },
    #[error(
        "{path} was written by a newer roadmap (state format {found}; this one reads {STATE_VERSION})\n  hint: update roadmap; the file was left as it is"
    )]
    Newer { path: PathBuf, found: u64 },
    #[error(
        "{path} is not a roadmap state file ({why})\n  hint: point --state or ROADMAP_STATE at a roadmap state file; the file was left as it is"
    )]
    Foreign { path: PathBuf, why: String },
    #[error("{path}: event {seq}: {message}\n  hint: the file was left as it is; fix or delete that line")]
    Replay { path: PathBuf, seq: u64, message: String },
    #[error(
        "another roadmap command has held the lock on {path} for {seconds} s\n  hint: wait for it to finish and try again"
    )]
    Busy { path: PathBuf, seconds: u64 },
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

/// A whole state file parsed: header and every event.
#[derive(Debug)]
pub struct Parsed {
    pub state: State,
    /// Warnings about harmless oddities (a cut-off last line).
    pub warnings: Vec<String>,
    /// Bytes up to the end of the last complete line, and in the file.
    pub complete_len: u64,
    pub file_len: u64,
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
    complete_len: u64,
    file_len: u64,
}

impl Loaded {
    /// A state that exists only in memory, to be written whole.
    pub fn unsaved(header: Header) -> Result<Loaded, StoreError> {
        let state = State { header, events: Vec::new() };
        let progress =
            replay(&state).map_err(|e| StoreError::Replay { path: PathBuf::new(), seq: e.seq, message: e.message })?;
        Ok(Loaded {
            header: state.header,
            progress,
            next_seq: 1,
            last_event: None,
            warnings: Vec::new(),
            complete_len: 0,
            file_len: 0,
        })
    }

    pub(crate) fn from_parts(
        header: Header,
        progress: Progress,
        last_event: Option<(u64, chrono::DateTime<chrono::Utc>)>,
        warnings: Vec<String>,
        complete_len: u64,
        file_len: u64,
    ) -> Loaded {
        let next_seq = last_event.map_or(1, |(seq, _)| seq + 1);
        Loaded { header, progress, next_seq, last_event, warnings, complete_len, file_len }
    }

    /// Bytes up to the end of the last complete line.
    pub fn complete_len(&self) -> u64 {
        self.complete_len
    }

    /// True when events have been recorded.
    pub fn has_events(&self) -> bool {
        self.next_seq > 1
    }

    fn from_parsed(path: &Path, parsed: Parsed) -> Result<Loaded, StoreError> {
        let progress = replay(&parsed.state).map_err(|e| StoreError::Replay {
            path: path.to_path_buf(),
            seq: e.seq,
            message: e.message,
        })?;
        Ok(Loaded {
            next_seq: parsed.state.next_seq(),
            last_event: parsed.state.events.last().map(|e| (e.seq, e.at)),
            header: parsed.state.header,
            progress,
            warnings: parsed.warnings,
            complete_len: parsed.complete_len,
            file_len: parsed.file_len,
        })
    }

    /// Takes note of events just appended and applied (their bytes end at `len`).
    pub fn absorb(&mut self, events: &[Event], len: u64) {
        if let Some(last) = events.last() {
            self.next_seq = last.seq + 1;
            self.last_event = Some((last.seq, last.at));
        }
        self.complete_len = len;
        self.file_len = len;
    }
}

/// How long a writer waits for the lock.
const LOCK_WAIT: Duration = Duration::from_secs(10);

fn io_error<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> StoreError + 'p {
    move |source| StoreError::Io { action, path: path.to_path_buf(), source }
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store { path, snapshot: None }
    }

    /// Caches snapshots of the replayed state in `dir`.
    pub fn with_snapshots(mut self, dir: Option<&Path>) -> Store {
        self.snapshot = dir.map(|dir| {
            let key = crate::cache::hash(self.path.as_os_str().as_encoded_bytes());
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

    /// Takes the exclusive lock, creating the directory if needed.
    pub fn lock(&self) -> Result<Lock, StoreError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_error("create the directory", dir))?;
        }
        let lock_path = self.sidecar(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_error("open the lock file", &lock_path))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Busy { path: self.path.clone(), seconds: LOCK_WAIT.as_secs() });
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", &lock_path)(e)),
            }
        }
    }

    /// Reads the whole state, every event; `None` when there is no file yet.
    pub fn read_all(&self) -> Result<Option<Parsed>, StoreError> {
        let mut bytes = Vec::new();
        match File::open(&self.path) {
            Ok(mut file) => file.read_to_end(&mut bytes).map_err(io_error("read", &self.path))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("open", &self.path)(e)),
        };
        parse(&self.path, &bytes).map(Some)
    }

    /// Reads the state as commands use it, through the snapshot when it is
    /// still true to the file; `None` when there is no file yet.
    pub fn read(&self) -> Result<Option<Loaded>, StoreError> {
        if let Some(snapshot) = &self.snapshot {
            match crate::snapshot::read(&self.path, snapshot) {
                Ok(Some(loaded)) => return Ok(Some(loaded)),
                Ok(None) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(io_error("read", &self.path)(e)),
            }
        }
        let Some(parsed) = self.read_all()? else { return Ok(None) };
        let loaded = Loaded::from_parsed(&self.path, parsed)?;
        self.remember(&loaded);
        Ok(Some(loaded))
    }

    /// Saves a snapshot of `loaded` (best effort).
    pub fn remember(&self, loaded: &Loaded) {
        if let Some(snapshot) = &self.snapshot
            && loaded.complete_len == loaded.file_len
        {
            crate::snapshot::write(&self.path, snapshot, loaded);
        }
    }

    /// Appends events (their seqs already set) and syncs. Removes a cut-off
    /// last line first.
    pub fn append(&self, _lock: &Lock, loaded: &Loaded, events: &[Event]) -> Result<u64, StoreError> {
        let mut buffer = Vec::new();
        for event in events {
            serde_json::to_writer(&mut buffer, event)
                .map_err(|e| io_error("encode an event for", &self.path)(e.into()))?;
            buffer.push(b'\n');
        }
        let mut file = OpenOptions::new().write(true).open(&self.path).map_err(io_error("open", &self.path))?;
        if loaded.file_len != loaded.complete_len {
            file.set_len(loaded.complete_len).map_err(io_error("trim the cut-off line of", &self.path))?;
        }
        file.seek(SeekFrom::Start(loaded.complete_len)).map_err(io_error("seek in", &self.path))?;
        fault::inject("append", &mut file, &buffer).map_err(io_error("write", &self.path))?;
        file.write_all(&buffer).map_err(io_error("write", &self.path))?;
        fault::inject("append-sync", &mut file, &[]).map_err(io_error("write", &self.path))?;
        file.sync_data().map_err(io_error("sync", &self.path))?;
        Ok(loaded.complete_len + buffer.len() as u64)
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
        let mut file = File::create(temp).map_err(io_error("create", temp))?;
        fault::inject("rewrite", &mut file, buffer).map_err(io_error("write", temp))?;
        file.write_all(buffer).map_err(io_error("write", temp))?;
        fault::inject("rewrite-sync", &mut file, &[]).map_err(io_error("write", temp))?;
        file.sync_all().map_err(io_error("sync", temp))?;
        drop(file);
        fault::inject("rename", &mut io::sink(), &[]).map_err(io_error("rename", temp))?;
        fs::rename(temp, &self.path).map_err(io_error("replace", &self.path))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Copies the current file beside itself as `<state>.bak-<stamp>`.
    pub fn backup(&self, _lock: &Lock, stamp: &str) -> Result<PathBuf, StoreError> {
        let backup = self.sidecar(&format!(".bak-{stamp}"));
        fs::copy(&self.path, &backup).map_err(io_error("back up", &self.path))?;
        Ok(backup)
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

/// Parses a state file's bytes.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Parsed, StoreError> {
    let complete_len = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let mut warnings = Vec::new();
    let mut lines = bytes[..complete_len].split(|&b| b == b'\n');
    let header_line = lines.next().filter(|l| !l.is_empty()).ok_or_else(|| StoreError::Foreign {
        path: path.to_path_buf(),
        why: if bytes.is_empty() { "it is empty".into() } else { "its first line is incomplete".into() },
    })?;
    let header = parse_header(path, header_line)?;
    let events = parse_events(path, lines, 2, None, &mut warnings)?;
    if complete_len < bytes.len() {
        warnings.push(format!(
            "{}: the last line was cut off (a crash during a write?) and is ignored; the next change removes it",
            path.display()
        ));
    }
    Ok(Parsed {
        state: State { header, events },
        warnings,
        complete_len: complete_len as u64,
        file_len: bytes.len() as u64,
    })
}

/// Parses event lines, the first being line `first_line` of the file.
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
        if line.is_empty() {
            continue;
        }
        let event: Event = serde_json::from_slice(line).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            line: line_no,
            column: e.column(),
            message: clean_json_error(&e),
        })?;
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
    serde_json::from_value(value).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: clean_json_error(&e),
    })
}

fn clean_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

/// Test-only fault injection for crash-safety tests: `ROADMAP_FAULT=POINT:ACTION`
/// with POINT one of `append`, `append-sync`, `rewrite`, `rewrite-sync`,
/// `rename`, and ACTION `fail` (an I/O error, as from a full disk), `abort`
/// (the process dies there) or `half` (half the bytes are written, then the
/// process dies).
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
            _ => Ok(()),
        }
    }
}
