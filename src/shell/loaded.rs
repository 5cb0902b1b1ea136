//! The state as commands use it: the header and what the events imply,
//! with where the file's lines end. Made by the store (from a whole file)
//! and by the snapshot cache (from a snapshot and the lines after it);
//! below both, so neither needs the other.

use crate::core::progress::{Progress, ReplayError, replay};
use crate::core::state::codec::{Ends, Last};
use crate::core::state::{Event, Header, State};

#[derive(Clone, Debug)]
pub struct Loaded {
    pub header: Header,
    pub progress: Progress,
    /// The seq the next event gets.
    pub next_seq: u64,
    /// The seq, time and id of the last event in the order.
    pub last_event: Option<Last>,
    /// Warnings about harmless oddities (a cut-off last line), in words.
    pub warnings: Vec<String>,
    pub ends: Ends,
    /// How far into the file the snapshot this was read through reaches,
    /// when it was read through one (`snapshot::read`).
    pub snapshot_len: Option<u64>,
    /// The file as this was read from it; `None` when that is not known
    /// (it changed while it was read, or it was never read).
    pub seen: Option<Seen>,
}

/// A state file as a read found it: its length, modification time and
/// inode from before the read (which ended at that length), and the hash
/// of the 4 KiB that end there when the read had those bytes; after an
/// append, the file as the append left it (taken from the file written).
/// A snapshot is saved only of a file that is still so
/// (`snapshot::write`), and events are appended only to it
/// (`Store::append`): a file replaced or rewritten in place in between,
/// to the same length, would otherwise be taken for what was read, and
/// the events that made the difference hidden behind the snapshot or
/// followed by events made without them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub len: u64,
    pub modified: u128,
    pub inode: u64,
    pub tail_hash: Option<u64>,
}

impl Loaded {
    /// The length of a cut-off last line, if there is one.
    pub fn torn_bytes(&self) -> Option<u64> {
        self.ends.torn_bytes()
    }

    /// A state that exists only in memory, to be written whole.
    pub fn unsaved(header: Header) -> Result<Loaded, ReplayError> {
        let state = State { header, events: Vec::new() };
        let progress = replay(&state)?;
        Ok(Loaded {
            header: state.header,
            progress,
            next_seq: 1,
            last_event: None,
            warnings: Vec::new(),
            ends: Ends::default(),
            snapshot_len: None,
            seen: None,
        })
    }

    /// True when events have been recorded.
    pub fn has_events(&self) -> bool {
        self.next_seq > 1
    }

    /// Replays a whole state read from a file whose lines end at `ends`
    /// (and which was as `seen` says, when known).
    pub fn from_state(
        state: State,
        warnings: Vec<String>,
        ends: Ends,
        seen: Option<Seen>,
    ) -> Result<Loaded, ReplayError> {
        let progress = replay(&state)?;
        Ok(Loaded {
            next_seq: state.next_seq(),
            last_event: state.events.last().map(Last::of),
            header: state.header,
            progress,
            warnings,
            ends,
            snapshot_len: None,
            seen,
        })
    }

    /// Takes note of events just appended and applied (their bytes end at
    /// `len`; the file is as `seen` says after them, when known).
    pub fn absorb(&mut self, events: &[Event], len: u64, seen: Option<Seen>) {
        if let Some(last) = events.last() {
            self.next_seq = last.seq + 1;
            self.last_event = Some(Last::of(last));
        }
        self.ends = Ends::clean(len);
        self.seen = seen;
    }
}
