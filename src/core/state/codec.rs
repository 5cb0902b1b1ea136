//! The state file's bytes: JSON Lines, a header line then one event a line.
//! Pure: bytes in, a state (or a codec error naming the line and column)
//! out; the shell's store adds the file's path and does the disk work.
//! Documented in `docs/state-format.md`.

use crate::core::state::event::EventId;
use crate::core::state::{Change, Event, Header, STATE_VERSION, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The largest event seq (what JSON numbers hold exactly).
pub const MAX_SEQ: u64 = (1 << 53) - 1;

/// Why bytes are not a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodecError {
    /// An event line that is not a valid event (1-based line and column).
    Corrupt { line: usize, column: usize, message: String },
    /// The header line is a roadmap header, but not a valid one.
    Header { message: String },
    /// Written by a newer roadmap, in state format `found`.
    Newer { found: u64 },
    /// Not a roadmap state at all.
    Foreign { why: NotState },
}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodecError::Corrupt { line, column, message } => write!(f, "line {line}, column {column}: {message}"),
            CodecError::Header { message } => write!(f, "line 1: the header line is not valid: {message}"),
            CodecError::Newer { found } => {
                write!(f, "written by a newer roadmap (state format {found}; this one reads {STATE_VERSION})")
            }
            CodecError::Foreign { why } => write!(f, "not a roadmap state file ({why})"),
        }
    }
}

/// Why the first line is not a roadmap header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotState {
    Empty,
    FirstLineIncomplete,
    NotJson(String),
    NoVersion,
    UnknownFormat(String),
}

impl std::fmt::Display for NotState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotState::Empty => write!(f, "it is empty"),
            NotState::FirstLineIncomplete => write!(f, "its first line is incomplete"),
            NotState::NotJson(message) => write!(f, "line 1 is not JSON: {message}"),
            NotState::NoVersion => write!(f, "line 1 has no `roadmap_state` version"),
            NotState::UnknownFormat(version) => write!(f, "unknown state format {version}"),
        }
    }
}

/// A harmless oddity found while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The last line was cut off (a crash during a write?) and is ignored.
    CutOff,
    /// The event on `line` is dated before the one above it.
    ClockBack { line: usize, seq: u64 },
}

impl Warning {
    /// The warning's words, after the file's name (`PATH: …` or `PATH:LINE: …`).
    pub fn located(&self, file: &str) -> String {
        match self {
            Warning::CutOff => format!(
                "{file}: the last line was cut off (a crash during a write?) and is ignored; the next change removes it"
            ),
            Warning::ClockBack { line, seq } => format!(
                "{file}:{line}: event {seq} is dated before the one above it (the clock moved back?); order by seq is kept"
            ),
        }
    }
}

/// A whole state parsed: the header and every event, with where its lines end.
#[derive(Debug)]
pub struct Decoded {
    pub state: State,
    pub warnings: Vec<Warning>,
    pub ends: Ends,
}

/// Where a state file's lines end, for the next append.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ends {
    /// Bytes of complete lines (and of a last line kept without its newline).
    complete_len: u64,
    file_len: u64,
    /// The last kept line has no newline: the next append writes one first.
    needs_newline: bool,
    /// The bytes after `complete_len` are a cut-off line (not just blanks).
    torn: bool,
}

impl Ends {
    /// A file of `len` bytes of whole lines.
    pub fn clean(len: u64) -> Ends {
        Ends { complete_len: len, file_len: len, needs_newline: false, torn: false }
    }

    pub fn complete_len(&self) -> u64 {
        self.complete_len
    }

    pub fn file_len(&self) -> u64 {
        self.file_len
    }

    /// The last kept line lacks its newline.
    pub fn needs_newline(&self) -> bool {
        self.needs_newline
    }

    /// The file ends in a cut-off line.
    pub fn is_torn(&self) -> bool {
        self.torn
    }

    /// The length of a cut-off last line, if there is one.
    pub fn torn_bytes(&self) -> Option<u64> {
        self.torn.then(|| self.file_len - self.complete_len)
    }

    /// True when the file holds only whole lines ending in a newline.
    pub fn is_clean(&self) -> bool {
        self.complete_len == self.file_len && !self.needs_newline && !self.torn
    }
}

/// The last event read: where the next lines continue from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Last {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub id: EventId,
}

impl Last {
    pub fn of(event: &Event) -> Last {
        Last { seq: event.seq, at: event.at, id: event.id.clone() }
    }
}

/// Writes a whole state as JSON Lines, in the current format (a format-1
/// state is upgraded: same events, same ids, same order; undo targets by id).
pub fn encode(state: &State, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let mut header = state.header.clone();
    header.roadmap_state = STATE_VERSION;
    serde_json::to_writer(&mut *out, &header)?;
    out.push(b'\n');
    encode_events(&state.events, out)
}

/// Writes events as JSON Lines, one a line.
pub fn encode_events(events: &[Event], out: &mut Vec<u8>) -> serde_json::Result<()> {
    for event in events {
        serde_json::to_writer(&mut *out, event)?;
        out.push(b'\n');
    }
    Ok(())
}

/// Parses a state file's bytes.
pub fn parse(bytes: &[u8]) -> Result<Decoded, CodecError> {
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
    let header_line = lines.next().filter(|l| !l.is_empty()).ok_or_else(|| CodecError::Foreign {
        why: if bytes.iter().all(u8::is_ascii_whitespace) { NotState::Empty } else { NotState::FirstLineIncomplete },
    })?;
    let header = parse_header(header_line)?;
    let events = parse_events(lines, 2, header.roadmap_state, None, &mut warnings)?;
    if torn {
        warnings.push(Warning::CutOff);
    }
    let ends =
        Ends { complete_len: complete_len as u64, file_len: bytes.len() as u64, needs_newline: whole_tail, torn };
    Ok(Decoded { state: State { header, events }, warnings, ends })
}

/// Parses event lines of a file in format `version`, the first being line
/// `first_line` of the file and `previous` the event before them (when
/// reading on from a snapshot). The result is in the events' order, by
/// (`at`, `id`), each event's `seq` its place in it from 1.
///
/// Format 1: each seq is in 1..=`MAX_SEQ` and greater than the one before
/// it; the order is the seqs' (a time earlier than the line above is moved
/// up to it, so sorting by time keeps the file's order); an undo names its
/// target by seq. Format 2: no seq; lines in any order are sorted, the same
/// id twice is one event (the first line kept). Reading on from `previous`,
/// a line that does not sort after it is an error (the caller reads the
/// whole file instead).
pub fn parse_events<'a>(
    lines: impl Iterator<Item = &'a [u8]>,
    first_line: usize,
    version: u32,
    previous: Option<Last>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Event>, CodecError> {
    let mut events: Vec<Event> = Vec::new();
    let mut last = previous.clone();
    let mut by_seq: HashMap<u64, EventId> = HashMap::new();
    let mut lines_of: HashMap<EventId, usize> = HashMap::new();
    for (i, line) in lines.enumerate() {
        let line_no = i + first_line;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let corrupt = |column: usize, message: String| CodecError::Corrupt { line: line_no, column, message };
        let mut event: Event =
            serde_json::from_slice(line).map_err(|e| corrupt(e.column().max(1), clean_json_error(&e)))?;
        if version >= 2 {
            if event.seq != 0 {
                return Err(corrupt(1, "a format-2 event has no `seq` (its order is its time, then its id)".into()));
            }
            if lines_of.contains_key(&event.id) {
                continue;
            }
            if let Some(prev) = &previous
                && (event.at, &event.id) <= (prev.at, &prev.id)
            {
                return Err(corrupt(1, format!("event {} does not sort after the one read before it", event.id)));
            }
            lines_of.insert(event.id.clone(), line_no);
            events.push(event);
            continue;
        }
        if event.seq == 0 || event.seq > MAX_SEQ {
            return Err(corrupt(1, format!("event seq {} is out of range (1 to {MAX_SEQ})", event.seq)));
        }
        if let Some(Last { seq: last_seq, at: last_at, .. }) = &last {
            if event.seq <= *last_seq {
                return Err(corrupt(1, format!("event seq {} does not follow seq {last_seq}", event.seq)));
            }
            if event.at < *last_at {
                warnings.push(Warning::ClockBack { line: line_no, seq: event.seq });
                event.at = *last_at;
            }
        }
        if let Change::Undo { target } = &mut event.change
            && let Some(id) =
                target.0.strip_prefix("seq-").and_then(|n| n.parse::<u64>().ok()).and_then(|n| by_seq.get(&n))
        {
            *target = id.clone();
        }
        by_seq.insert(event.seq, event.id.clone());
        last = Some(Last::of(&event));
        events.push(event);
    }
    if version >= 2 {
        events.sort_by(|a, b| a.order().cmp(&b.order()));
        let first_seq = previous.map_or(1, |p| p.seq + 1);
        for (seq, event) in (first_seq..).zip(events.iter_mut()) {
            event.seq = seq;
        }
    }
    Ok(events)
}

/// Parses the header line (a UTF-8 byte-order mark is allowed).
pub fn parse_header(line: &[u8]) -> Result<Header, CodecError> {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    let value: serde_json::Value = serde_json::from_slice(line)
        .map_err(|e| CodecError::Foreign { why: NotState::NotJson(clean_json_error(&e)) })?;
    let version = value.get("roadmap_state").ok_or(CodecError::Foreign { why: NotState::NoVersion })?;
    match version.as_u64() {
        Some(v) if v > u64::from(STATE_VERSION) => return Err(CodecError::Newer { found: v }),
        Some(v) if v >= 1 => {}
        // (format 1 is read as it is and upgraded by the next write)
        _ => return Err(CodecError::Foreign { why: NotState::UnknownFormat(version.to_string()) }),
    }
    serde_json::from_value(value).map_err(|e| {
        let message = clean_json_error(&e);
        let newer = if message.starts_with("unknown field") {
            " (written by a newer roadmap? then update roadmap)"
        } else {
            ""
        };
        CodecError::Header { message: format!("{message}{newer}") }
    })
}

/// A serde_json message without its ` at line L column C` (the caller
/// knows the line better).
pub fn clean_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit;

    #[test]
    fn a_state_round_trips_and_a_cut_off_line_is_seen() {
        let header = testkit::header("2027-01-04", crate::core::calendar::WeekHours::DEFAULT, Default::default());
        let events = vec![Event {
            seq: 1,
            id: crate::core::state::EventId::new(1, 2, 0),
            ..testkit::done("p.m.t", "2027-01-05")
        }];
        let state = State { header, events };
        let mut bytes = Vec::new();
        encode(&state, &mut bytes).expect("encode");
        let decoded = parse(&bytes).expect("parse");
        assert_eq!(decoded.state, state);
        assert!(decoded.ends.is_clean());
        bytes.extend_from_slice(b"{\"seq\":2,");
        let torn = parse(&bytes).expect("parse");
        assert_eq!(torn.warnings, [Warning::CutOff]);
        assert_eq!(torn.ends.torn_bytes(), Some(9));
    }

    #[test]
    fn errors_name_the_line_and_column_as_data() {
        assert_eq!(parse(b"").err(), Some(CodecError::Foreign { why: NotState::Empty }));
        assert_eq!(parse(b"{\"roadmap_state\":9}\n").err(), Some(CodecError::Newer { found: 9 }));
        let header = testkit::header("2027-01-04", crate::core::calendar::WeekHours::DEFAULT, Default::default());
        let mut bytes = Vec::new();
        encode(&State { header, events: Vec::new() }, &mut bytes).expect("encode");
        bytes.extend_from_slice(b"{\"seq\":0}\n");
        match parse(&bytes) {
            Err(CodecError::Corrupt { line: 2, column, .. }) => assert!(column >= 1),
            other => panic!("{other:?}"),
        }
    }

    use proptest::prelude::*;

    /// A format-1 event line: seq, a time (sometimes before the one above), a kind.
    fn v1_line(seq: u64, minute: i64, kind: u8, target: u64) -> String {
        let at = (chrono::DateTime::parse_from_rfc3339("2027-01-04T08:00:00Z").expect("time").to_utc()
            + chrono::Duration::minutes(minute))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let body = match kind % 5 {
            0 => r#""kind":"done","task":"p.m.a","on":"2027-01-05""#.to_string(),
            1 => r#""kind":"reopened","task":"p.m.a""#.to_string(),
            2 => r#""kind":"logged","task":"p.m.b","on":"2027-01-05","minutes":30"#.to_string(),
            3 => r#""kind":"checkin","habit":"h","on":"2027-01-05","count":1"#.to_string(),
            _ => format!(r#""kind":"undo","target":{}"#, target.clamp(1, seq.saturating_sub(1).max(1))),
        };
        format!(r#"{{"seq":{seq},"at":"{at}",{body}}}"#)
    }

    proptest! {
        /// A generated format-1 state reads as it is, and its upgrade (the
        /// next write) reads back to the same events and the same progress.
        #[test]
        fn a_generated_format_1_state_upgrades_losslessly(specs in proptest::collection::vec((0i64..30, 0u8..5, 1u64..10), 0..25)) {
            let header = testkit::header("2027-01-04", crate::core::calendar::WeekHours::DEFAULT, Default::default());
            let mut text = serde_json::to_string(&Header { roadmap_state: 1, ..header }).expect("header");
            text.push('\n');
            for (i, (minute, kind, target)) in specs.iter().enumerate() {
                text.push_str(&v1_line(i as u64 + 1, *minute, *kind, *target));
                text.push('\n');
            }
            let old = parse(text.as_bytes()).expect("format 1 parses").state;
            prop_assert_eq!(old.header.roadmap_state, 1);
            let mut bytes = Vec::new();
            encode(&old, &mut bytes).expect("encode");
            let new = parse(&bytes).expect("format 2 parses").state;
            prop_assert_eq!(new.header.roadmap_state, 2);
            prop_assert_eq!(&new.events, &old.events);
            let replayed = |s: &State| {
                let mut progress = crate::core::progress::replay(s).expect("replays");
                let undone = std::mem::take(&mut progress.undone);
                (serde_json::to_value(progress).expect("json"), undone)
            };
            prop_assert_eq!(replayed(&new), replayed(&old));
        }
    }
}
