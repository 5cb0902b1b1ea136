//! The study journal: every event on a task, and the check-ins and days off
//! that carry a note, as `show` and `report` list them. It is kept encoded
//! (each entry in the cache's binary form, one after another), so that
//! reading a snapshot copies one block of bytes instead of building a
//! hundred thousand strings for commands that never show the journal; the
//! entries are decoded, borrowing their text, only when read.

use crate::core::state::{Change, Event, TaskId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// The journal, in the order the events were recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The entries, each in postcard's form, one after another.
    #[serde(with = "serde_bytes")]
    encoded: Vec<u8>,
    len: usize,
}

impl Journal {
    /// Appends the entry `event` makes, if it makes one.
    pub fn record(&mut self, event: &Event) {
        if let Some(entry) = JournalEntry::of(event) {
            self.push(&entry);
        }
    }

    pub fn push(&mut self, entry: &JournalEntry) {
        // Encoding a struct of strings and numbers into memory cannot fail.
        if let Ok(bytes) = postcard::to_stdvec(entry) {
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

    /// Every entry, oldest first, decoded as it is reached.
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'_>> + '_ {
        let mut rest = self.encoded.as_slice();
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            match postcard::take_from_bytes::<EntryRef<'_>>(rest) {
                Ok((entry, after)) => {
                    rest = after;
                    Some(entry)
                }
                // Only this type writes the bytes; stop rather than guess.
                Err(_) => {
                    rest = &[];
                    None
                }
            }
        })
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
    }
}
