//! What the events imply: each task's status and logged time, checked
//! deliverables, habit check-ins, the calendar and tracks in force, and the
//! baseline. Derived on every run, never stored.

use crate::core::calendar::Calendar;
use crate::core::effort::Effort;
pub use crate::core::journal::{Journal, JournalEntry};
use crate::core::logs::Logs;
use crate::core::plan::Plan;
use crate::core::state::limits::{self, Violation};
use crate::core::state::{Baseline, Change, Event, EventId, PlanSnapshot, State, TaskId};
use crate::core::text::Str;
use crate::core::work::Work;
use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Each task's progress by full id, in the order first recorded until
/// `put_in_plan_order` puts them in the plan's (a snapshot keeps the
/// order), so that `places` finds them by walking both side by side.
pub type Tasks = indexmap::IndexMap<Str, TaskProgress, FxBuildHasher>;

/// Where each plan task's progress is among `Progress::tasks`, by plan
/// position: the entry's index, or `Places::NONE` for none. Made by
/// `Progress::places` and read by `Progress::at`, which checks the id of
/// the entry it finds, and takes a task to have none only while the plan
/// and the entries are as many as when the places were made: for the same
/// progress, that means nothing was added since (entries are only ever
/// added). Places are only to be read with the progress they were made of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Places {
    of_task: Vec<u32>,
    /// How many entries `tasks` had.
    entries: usize,
    /// How many tasks' entries were found out of the plan's order.
    out_of_order: usize,
}

impl Places {
    const NONE: u32 = u32::MAX;

    /// How many plan tasks have progress.
    pub fn tracked(&self) -> usize {
        self.of_task.iter().filter(|&&k| k != Places::NONE).count()
    }
}

/// When the walk of `places` leaves at most this many entries untaken,
/// the tasks it passed over are looked for in a small map of those
/// entries; when it leaves more, each of those tasks is looked up in
/// `tasks` itself.
const FEW_LEFT: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Todo,
    InProgress,
    Done(#[serde(with = "crate::core::state::day::one")] NaiveDate),
    Skipped,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in progress",
            Status::Done(_) => "done",
            Status::Skipped => "skipped",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProgress {
    pub status: Status,
    #[serde(with = "crate::core::state::day::option")]
    pub started: Option<NaiveDate>,
    /// Time logged, by day.
    pub logs: Logs,
}

impl Default for TaskProgress {
    fn default() -> Self {
        TaskProgress { status: Status::Todo, started: None, logs: Logs::default() }
    }
}

impl TaskProgress {
    pub fn logged(&self) -> Effort {
        self.logs.minutes().map(Effort::from_minutes).sum()
    }

    pub fn first_worked(&self) -> Option<NaiveDate> {
        self.first_worked_after(self.logs.first_day())
    }

    /// `first_worked` and `logged`, in one walk of the logs.
    pub fn first_worked_and_logged(&self) -> (Option<NaiveDate>, Effort) {
        let (first_log, logged) = self.logs.first_day_and(Effort::ZERO, |sum, m| sum + Effort::from_minutes(m));
        (self.first_worked_after(first_log), logged)
    }

    /// The first day worked, when `first_log` is the first day logged.
    fn first_worked_after(&self, first_log: Option<NaiveDate>) -> Option<NaiveDate> {
        match (first_log, self.started) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Everything the events say, keyed by ids (plan-independent).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Progress {
    pub calendar: Calendar,
    pub tracks: Option<Vec<String>>,
    pub baseline: Baseline,
    #[serde(deserialize_with = "crate::core::text::keyed")]
    pub tasks: Tasks,
    /// (task full id, deliverable key) → the day it was checked.
    #[serde(with = "crate::core::state::day::values")]
    pub checked: FxHashMap<(Str, Str), NaiveDate>,
    /// Habit id → count per day.
    pub checkins: crate::core::reserve::Checkins,
    /// Ids of events reverted by an `undo` (itself not reverted by a `redo`).
    pub undone: FxHashSet<EventId>,
    /// The plan as last recorded (at init, rebaseline or `doctor --fix`).
    pub snapshot: Option<PlanSnapshot>,
    /// The study journal, in the order the events were recorded. Not
    /// serialized with the rest: a snapshot writes it last, on its own, so
    /// that reading one leaves the journal's bytes where they lie.
    #[serde(skip)]
    pub journal: Journal,
    /// Task full id → its spaced reviews (day, rating), in the order recorded.
    #[serde(default)]
    pub reviews: FxHashMap<String, Vec<(NaiveDate, crate::core::state::Rating)>>,
}

impl Default for Progress {
    /// Nothing recorded, on a placeholder calendar.
    fn default() -> Self {
        Progress {
            calendar: Calendar::new(NaiveDate::MIN, crate::core::calendar::WeekHours::DEFAULT),
            tracks: None,
            baseline: Baseline::default(),
            tasks: Tasks::default(),
            checked: FxHashMap::default(),
            checkins: Default::default(),
            undone: FxHashSet::default(),
            snapshot: None,
            journal: Journal::default(),
            reviews: FxHashMap::default(),
        }
    }
}

/// An event that cannot be applied: the seq (0 for the header) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    pub seq: u64,
    pub message: String,
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seq {
            0 => write!(f, "the header: {}", self.message),
            seq => write!(f, "event {seq}: {}", self.message),
        }
    }
}

/// The value rules of `core::state::limits`, as a replay error.
fn check(seq: u64, checked: Result<(), Violation>) -> Result<(), ReplayError> {
    checked.map_err(|v| ReplayError { seq, message: v.to_string() })
}

/// Replays the events of a state.
pub fn replay(state: &State) -> Result<Progress, ReplayError> {
    let header = &state.header;
    check(0, limits::check_header(header))?;
    let mut progress = Progress {
        calendar: Calendar::new(header.start, header.hours),
        tracks: header.tracks.clone(),
        baseline: header.baseline.clone(),
        tasks: Tasks::default(),
        checked: FxHashMap::default(),
        checkins: Default::default(),
        undone: undone(&state.events),
        snapshot: header.snapshot.clone(),
        journal: Journal::default(),
        reviews: FxHashMap::default(),
    };
    for event in &state.events {
        check(event.seq, limits::check_event(event))?;
        if event.is_undo() || progress.undone.contains(&event.id) {
            continue;
        }
        progress.apply(event);
    }
    Ok(progress)
}

/// The ids of the events that are reverted: an undo reverts its target
/// unless it is reverted itself (a redo is an undo of an undo). Targets come
/// before their undos, so one walk from the end settles it.
pub fn undone(events: &[Event]) -> FxHashSet<EventId> {
    let mut undone = FxHashSet::default();
    for event in events.iter().rev() {
        if let Change::Undo { target } = &event.change
            && !undone.contains(&event.id)
        {
            undone.insert(target.clone());
        }
    }
    undone
}

/// The events of the command `first` belongs to that are still in force.
fn command_of<'a>(events: &'a [Event], first: &Event, undone: &FxHashSet<EventId>) -> Vec<&'a Event> {
    events.iter().filter(|e| e.same_command(first) && !undone.contains(&e.id)).collect()
}

/// What the next `undo` reverts: the events of the latest command still in
/// force (an undo itself is reverted by `redo`, not `undo`), in order. With
/// `here` (the origin of this copy of the state), the latest command
/// recorded on this copy, when it has one in force: changes that came from
/// another machine are undone there; a copy that has recorded nothing of its
/// own (a fresh clone, a format-1 history) undoes the latest of all.
pub fn undo_target<'a>(state: &'a State, here: Option<&str>) -> Vec<&'a Event> {
    let undone = undone(&state.events);
    let candidates = || state.events.iter().rev().filter(|e| !e.is_undo() && !undone.contains(&e.id));
    let mine = here.and_then(|h| candidates().find(|e| e.id.origin() == h));
    let Some(last) = mine.or_else(|| candidates().next()) else {
        return Vec::new();
    };
    command_of(&state.events, last, &undone).into_iter().filter(|e| !e.is_undo()).collect()
}

/// What the next `redo` reverts: the undo events of the latest `undo` still
/// in force (of this copy, with `here`, when it has one), if nothing but
/// undos and redos was recorded since (on this copy, with `here`).
pub fn redo_target<'a>(state: &'a State, here: Option<&str>) -> Vec<&'a Event> {
    let undone = undone(&state.events);
    let is_undo_id = |id: &EventId| state.events.iter().any(|e| &e.id == id && e.is_undo());
    let find = |only: Option<&str>| -> Option<Vec<&'a Event>> {
        for event in state.events.iter().rev() {
            if undone.contains(&event.id) || only.is_some_and(|h| event.id.origin() != h) {
                continue;
            }
            match &event.change {
                Change::Undo { target } if is_undo_id(target) => continue,
                Change::Undo { .. } => {
                    return Some(
                        command_of(&state.events, event, &undone).into_iter().filter(|e| e.is_undo()).collect(),
                    );
                }
                _ => return Some(Vec::new()),
            }
        }
        None
    };
    match here.and_then(|h| find(Some(h))) {
        Some(found) => found,
        None => find(None).unwrap_or_default(),
    }
}

/// The events that `undos` revert, in order.
pub fn targets<'a>(state: &'a State, undos: &[&Event]) -> Vec<&'a Event> {
    let ids: HashSet<&EventId> = undos
        .iter()
        .filter_map(|e| if let Change::Undo { target } = &e.change { Some(target) } else { None })
        .collect();
    state.events.iter().filter(|e| ids.contains(&e.id)).collect()
}

impl Progress {
    fn task(&mut self, id: &TaskId) -> &mut TaskProgress {
        self.tasks.entry(id.0.clone().into()).or_default()
    }

    /// Applies events recorded after the ones replayed so far. An `undo`
    /// among them needs the event it reverts: replay the whole state then.
    pub fn apply_all(&mut self, events: &[Event]) -> Result<(), ReplayError> {
        for event in events {
            if event.is_undo() {
                return Err(ReplayError { seq: event.seq, message: "an undo needs a full replay".into() });
            }
            self.apply(event);
        }
        Ok(())
    }

    fn apply(&mut self, event: &Event) {
        self.journal.record(event);
        match &event.change {
            Change::Done { task, on } => self.task(task).status = Status::Done(*on),
            Change::Reopened { task } => {
                let task = self.task(task);
                task.status =
                    if task.logs.is_empty() && task.started.is_none() { Status::Todo } else { Status::InProgress };
            }
            Change::Started { task, on } => {
                let task = self.task(task);
                task.started = Some(task.started.map_or(*on, |s| s.min(*on)));
                if matches!(task.status, Status::Todo | Status::Skipped) {
                    task.status = Status::InProgress;
                }
            }
            Change::Skipped { task, .. } => self.task(task).status = Status::Skipped,
            Change::Deliverable { task, deliverable, on } => {
                self.checked.insert((task.0.clone().into(), deliverable.clone().into()), *on);
            }
            Change::Checkin { habit, on, count } => {
                let days = self.checkins.entry(habit.0.clone()).or_default();
                let day = days.entry(*on).or_default();
                *day = day.saturating_add(*count);
            }
            Change::Logged { task, on, minutes } => {
                let task = self.task(task);
                task.logs.push(*on, minutes.minutes());
                if task.status == Status::Todo {
                    task.status = Status::InProgress;
                }
            }
            Change::DayOff { off } => self.calendar.add_off(off.clone()),
            Change::DayOffRemoved { off } => self.calendar.days_off.retain(|r| r.from != off.from || r.to != off.to),
            Change::Settings { start, hours, tracks } => {
                if let Some(hours) = hours {
                    self.calendar.hours = *hours;
                }
                if let Some(start) = start {
                    self.calendar.start = *start;
                }
                if tracks.is_some() {
                    self.tracks = tracks.clone().filter(|t| !t.is_empty());
                }
            }
            Change::Rebaselined { baseline, snapshot } => {
                self.baseline = baseline.clone();
                if snapshot.is_some() {
                    self.snapshot = snapshot.clone();
                }
            }
            Change::PlanAccepted { snapshot } => self.snapshot = Some(snapshot.clone()),
            Change::Reviewed { task, on, rating } => {
                self.reviews.entry(task.0.clone()).or_default().push((*on, *rating))
            }
            Change::Undo { .. } => {}
        }
    }

    pub fn status(&self, full_id: &str) -> Status {
        self.tasks.get(full_id).map_or(Status::Todo, |t| t.status)
    }

    /// `status` of plan task `i`, read off its entry of the work list
    /// (`work`) where that tells it: done and skipped say so, and open
    /// work is in progress once it was started or logged (`apply` keeps
    /// the two together), so only a task off the selected tracks is
    /// looked up. At 100,000 tasks a second lookup of every task's
    /// progress by id was a tenth of `list` and `schedule`.
    pub fn status_of(&self, plan: &Plan, work: &[Work], i: usize) -> Status {
        let status = match work[i] {
            Work::Unselected => self.status(&plan.tasks[i].full_id),
            Work::Skipped => Status::Skipped,
            Work::Done { on, .. } => Status::Done(on),
            Work::Open { first: None, .. } => Status::Todo,
            Work::Open { first: Some(_), .. } => Status::InProgress,
        };
        debug_assert_eq!(status, self.status(&plan.tasks[i].full_id), "status of task {i}");
        status
    }

    pub fn is_selected(&self, track: Option<&str>) -> bool {
        match (track, &self.tracks) {
            (Some(track), Some(selected)) => selected.iter().any(|t| t == track),
            _ => true,
        }
    }

    /// The scheduler's view of each plan task.
    pub fn work(&self, plan: &Plan) -> Vec<Work> {
        self.work_and_tracked(plan).0
    }

    /// `work`, and how many plan tasks have progress recorded (which
    /// `orphans_given` uses to skip its own lookups).
    pub fn work_and_tracked(&self, plan: &Plan) -> (Vec<Work>, usize) {
        let places = self.places(plan);
        (self.work_at(plan, &places), places.tracked())
    }

    /// `work`, each task's progress found at its `places`.
    pub fn work_at(&self, plan: &Plan, places: &Places) -> Vec<Work> {
        plan.tasks
            .iter()
            .enumerate()
            .map(|(i, task)| {
                if !self.is_selected(task.track.as_deref()) {
                    return Work::Unselected;
                }
                let Some(p) = self.at(plan, places, i) else {
                    return Work::Open { remaining: task.effort, first: None };
                };
                if p.status == Status::Skipped {
                    return Work::Skipped;
                }
                let (first, logged) = p.first_worked_and_logged();
                match p.status {
                    Status::Done(on) => Work::Done { first: first.unwrap_or(on), on, logged },
                    _ => Work::Open { remaining: task.effort.saturating_sub(logged), first },
                }
            })
            .collect()
    }

    /// Where each plan task's progress is in `tasks`. The plan and the
    /// entries are walked side by side, an entry taken when it is the
    /// task's; when every entry was taken that way, no task is looked up
    /// at all (each entry is some task's, in the plan's order, so a task
    /// passed over has none). Entries left after the walk (recorded out of
    /// the plan's order, or of tasks the plan no longer has) are found for
    /// the tasks passed over by id. At 100,000 tasks a lookup by id of
    /// each task's progress, its entry anywhere in memory, was a tenth of
    /// `report`, and `earnings` made it twice.
    pub fn places(&self, plan: &Plan) -> Places {
        let mut of_task = Vec::with_capacity(plan.tasks.len());
        let mut next = 0;
        for task in &plan.tasks {
            match self.tasks.get_index(next) {
                Some((id, _)) if **id == *task.full_id => {
                    of_task.push(next as u32);
                    next += 1;
                }
                _ => of_task.push(Places::NONE),
            }
        }
        let left = self.tasks.len() - next;
        let mut out_of_order = 0;
        if left > 0 {
            let few: FxHashMap<&str, usize> = match left <= FEW_LEFT {
                true => self.tasks.keys().enumerate().skip(next).map(|(k, id)| (&**id, k)).collect(),
                false => FxHashMap::default(),
            };
            for (place, task) in of_task.iter_mut().zip(&plan.tasks) {
                if *place != Places::NONE {
                    continue;
                }
                let found = match left <= FEW_LEFT {
                    true => few.get(&*task.full_id).copied(),
                    false => self.tasks.get_index_of(&*task.full_id),
                };
                if let Some(k) = found {
                    *place = k as u32;
                    out_of_order += 1;
                }
            }
        }
        Places { of_task, entries: self.tasks.len(), out_of_order }
    }

    /// Plan task `i`'s progress, found at its place (or by id, when
    /// `places` does not hold it).
    pub fn at(&self, plan: &Plan, places: &Places, i: usize) -> Option<&TaskProgress> {
        let id = &*plan.tasks[i].full_id;
        match places.of_task.get(i) {
            Some(&Places::NONE) if places.of_task.len() == plan.tasks.len() && places.entries == self.tasks.len() => {
                debug_assert!(self.tasks.get(id).is_none(), "places of another progress for task {i}");
                None
            }
            Some(&k) => match self.tasks.get_index(k as usize) {
                Some((key, p)) if **key == *id => Some(p),
                _ => self.tasks.get(id),
            },
            None => self.tasks.get(id),
        }
    }

    /// Puts `tasks` in the plan's order (the tasks the plan does not have
    /// last, as they were) when many were found out of it, so that `places`
    /// finds them all in one walk from then on. Whether anything moved: a
    /// snapshot of the state is worth writing again.
    pub fn put_in_plan_order(&mut self, plan: &Plan) -> bool {
        // Entries out of order are found in a small map (see `places`),
        // which costs little for a few hundred. They are put in order once
        // there are `REORDER_FROM` of them and they make up a thirty-second
        // of all the entries or more: each time, the snapshot is written anew.
        const REORDER_FROM: usize = 256;
        if self.tasks.len() < REORDER_FROM {
            return false;
        }
        let places = self.places(plan);
        if places.out_of_order < REORDER_FROM.max(self.tasks.len() / 32) {
            return false;
        }
        self.order_as(&places);
        true
    }

    /// Puts `tasks` in the order of `places` (this progress's), the
    /// entries no task has last, in the order they were.
    fn order_as(&mut self, places: &Places) {
        let old = std::mem::take(&mut self.tasks);
        let mut taken: Vec<Option<(Str, TaskProgress)>> = old.into_iter().map(Some).collect();
        let mut tasks = Tasks::with_capacity_and_hasher(taken.len(), FxBuildHasher);
        for &k in places.of_task.iter().filter(|&&k| k != Places::NONE) {
            if let Some((id, p)) = taken.get_mut(k as usize).and_then(Option::take) {
                tasks.insert(id, p);
            }
        }
        tasks.extend(taken.into_iter().flatten());
        self.tasks = tasks;
    }

    /// The journal entries about the task `full_id`, oldest first.
    pub fn history<'a>(&'a self, full_id: &'a str) -> impl Iterator<Item = JournalEntry> + 'a {
        self.journal.entries().filter(move |e| e.task == Some(full_id)).map(|e| e.to_owned())
    }

    /// Minutes logged on `day`, on any task (today's: what the schedule
    /// takes off today's capacity).
    pub fn logged_on(&self, day: NaiveDate) -> u32 {
        let minutes: u64 = self.tasks.values().map(|t| t.logs.on(day)).sum();
        u32::try_from(minutes).unwrap_or(u32::MAX)
    }

    /// Minutes logged on each day of `from..=to`, on any task, each as
    /// `logged_on` gives it, in one walk of the logs (a report asks for
    /// every day of its period).
    pub fn logged_by_day(&self, from: NaiveDate, to: NaiveDate) -> Vec<u32> {
        let (first, last) = (from.num_days_from_ce(), to.num_days_from_ce());
        let mut sums = vec![0u64; usize::try_from(i64::from(last) - i64::from(first) + 1).unwrap_or(0)];
        for (day, minutes) in self.tasks.values().flat_map(|t| t.logs.numbered()) {
            if let Some(sum) = usize::try_from(i64::from(day) - i64::from(first)).ok().and_then(|i| sums.get_mut(i)) {
                *sum += u64::from(minutes);
            }
        }
        sums.into_iter().map(|sum| u32::try_from(sum).unwrap_or(u32::MAX)).collect()
    }

    /// Effort earned on a task: its estimate when done, else the time logged.
    pub fn earned(&self, plan: &Plan, task: usize) -> Effort {
        let t = &plan.tasks[task];
        match self.tasks.get(&*t.full_id) {
            Some(p) if matches!(p.status, Status::Done(_)) => t.effort,
            Some(p) if p.status != Status::Skipped => p.logged().min(t.effort),
            _ => Effort::ZERO,
        }
    }

    pub fn is_checked(&self, task: &str, deliverable: &str) -> bool {
        self.checked.contains_key(&(Str::Owned(task.to_string()), Str::Owned(deliverable.to_string())))
    }

    pub fn checkin_count(&self, habit: &str, on: NaiveDate) -> u32 {
        self.checkins.get(habit).and_then(|d| d.get(&on)).copied().unwrap_or(0)
    }

    /// `orphans`, knowing that `tracked` plan tasks have progress (from
    /// `work_and_tracked`): when that is every task with progress and every
    /// checked deliverable belongs to one of them, nothing is orphaned, and
    /// no set of the plan's ids is built.
    pub fn orphans_given(&self, plan: &Plan, tracked: usize) -> Vec<String> {
        if tracked == self.tasks.len() && self.checked.keys().all(|(task, _)| self.tasks.contains_key(&task[..])) {
            debug_assert!(self.orphans(plan).is_empty());
            return Vec::new();
        }
        self.orphans(plan)
    }

    /// Task ids with events that the plan does not have.
    pub fn orphans(&self, plan: &Plan) -> Vec<String> {
        let known: HashSet<&str> = plan.tasks.iter().map(|t| &*t.full_id).collect();
        let mut ids: Vec<String> =
            self.tasks.keys().filter(|id| !known.contains(&id[..])).map(|id| id.to_string()).collect();
        ids.extend(self.checked.keys().map(|(t, _)| t).filter(|id| !known.contains(&id[..])).map(|id| id.to_string()));
        ids.sort();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;

    use chrono::{TimeZone, Utc};

    fn state(events: Vec<Event>) -> State {
        State { header: crate::core::testkit::header("2027-01-04", WeekHours::DEFAULT, Baseline::default()), events }
    }

    fn event(seq: u64, task: &str, deliverable: Option<&str>) -> Event {
        let at = Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).single().expect("time");
        let on = "2027-01-04".parse().expect("date");
        let change = match deliverable {
            Some(key) => Change::Deliverable { task: task.into(), deliverable: key.into(), on },
            None => Change::Done { task: task.into(), on },
        };
        Event { seq, at, id: EventId(format!("{seq:032x}")), ..Event::new(change, None) }
    }

    /// The shortcut that reuses the work list's lookups finds the same
    /// orphans as the full check.
    #[test]
    fn orphans_given_the_tracked_count_match_the_full_check() {
        let builtin = crate::core::plan::builtin::default_plan();
        let plan = crate::core::plan::load("zh", builtin.text.as_bytes()).expect("plan");
        let known = plan.tasks[0].full_id.clone();
        let cases: Vec<(Vec<Event>, Vec<&str>)> = vec![
            (vec![], vec![]),
            (vec![event(1, &known, None), event(2, &known, Some("x"))], vec![]),
            (vec![event(1, &known, None), event(2, "gone.task.id", None)], vec!["gone.task.id"]),
            (vec![event(1, "gone.other", Some("d1"))], vec!["gone.other"]),
            (vec![event(1, &known, Some("d1"))], vec![]),
        ];
        for (events, expected) in cases {
            let progress = replay(&state(events)).expect("replays");
            let (work, tracked) = progress.work_and_tracked(&plan);
            assert_eq!(work, progress.work(&plan));
            assert_eq!(progress.orphans_given(&plan, tracked), expected);
            assert_eq!(progress.orphans(&plan), expected);
        }
    }

    /// A day's minutes from `logged_by_day` are `logged_on`'s, for days
    /// before, within and after the logs, a day past `u32::MAX` minutes
    /// included, and an empty or reversed span gives none.
    #[test]
    fn logged_by_day_is_logged_on_each_day() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let mut progress = Progress::default();
        let logs = [("a", "2027-01-05", 90), ("b", "2027-01-05", 30), ("a", "2027-01-07", 1), ("c", "2027-01-09", 5)];
        for (task, day, minutes) in logs {
            progress.tasks.entry(task.into()).or_default().logs.push(d(day), minutes);
        }
        for task in ["a", "b"] {
            progress.tasks.entry(task.into()).or_default().logs.push(d("2027-01-08"), u32::MAX);
        }
        let (from, to) = (d("2027-01-03"), d("2027-01-10"));
        let each: Vec<u32> = from.iter_days().take(8).map(|day| progress.logged_on(day)).collect();
        assert_eq!(each, [0, 0, 120, 0, 1, u32::MAX, 5, 0]);
        assert_eq!(progress.logged_by_day(from, to), each);
        assert_eq!(progress.logged_by_day(d("2027-01-05"), d("2027-01-05")), [120]);
        assert!(progress.logged_by_day(to, from).is_empty());
    }

    /// A plan of `n` tasks, `p1.m.t0` to `p1.m.t{n-1}`.
    fn numbered_plan(n: usize) -> Plan {
        let mut yaml = String::from(
            "format: 1\nid: t\ntitle: T\nphases:\n  - id: p1\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n",
        );
        for i in 0..n {
            yaml += &format!("          - {{id: t{i}, title: T{i}, effort: 1h}}\n");
        }
        crate::core::testkit::plan(&yaml)
    }

    /// Progress recorded for `ids` in that order, each with its own log.
    fn recorded(ids: &[String]) -> Progress {
        let mut progress = Progress::default();
        for (k, id) in ids.iter().enumerate() {
            let minutes = u32::try_from(k).expect("few") + 1;
            progress
                .tasks
                .entry(id.as_str().to_string().into())
                .or_default()
                .logs
                .push(crate::core::testkit::d("2027-01-04"), minutes);
        }
        progress
    }

    /// Every task's progress found at its place is the one looked up by id.
    fn assert_found(plan: &Plan, progress: &Progress, places: &Places) {
        for (i, task) in plan.tasks.iter().enumerate() {
            assert_eq!(progress.at(plan, places, i), progress.tasks.get(&*task.full_id), "task {i}");
        }
    }

    /// `assert_found`, and the places (this progress's) count the tasks
    /// with progress.
    fn assert_placed(plan: &Plan, progress: &Progress, places: &Places) {
        assert_found(plan, progress, places);
        let tracked = plan.tasks.iter().filter(|t| progress.tasks.contains_key(&*t.full_id)).count();
        assert_eq!(places.tracked(), tracked);
    }

    /// Far out of the plan's order (more than `FEW_LEFT` left after the
    /// walk: each task passed over looked up in the map), progress is put
    /// in it once, the tasks the plan lacks last; then one walk finds all,
    /// and nothing moves again.
    #[test]
    fn progress_far_out_of_order_is_put_in_the_plans_once() {
        let plan = numbered_plan(10_000);
        let mut ids: Vec<String> = (0..10_000).rev().step_by(2).map(|i| format!("p1.m.t{i}")).collect();
        ids.insert(7, "gone.a".into());
        ids.push("gone.b".into());
        let mut progress = recorded(&ids);
        let before = progress.tasks.clone();
        let places = progress.places(&plan);
        // The walk takes t9999's entry (the first) and none after it.
        assert_eq!(places.out_of_order, 4999);
        assert!(places.out_of_order > FEW_LEFT, "the tasks passed over are looked up in the map");
        assert_placed(&plan, &progress, &places);
        assert!(progress.put_in_plan_order(&plan));
        assert_eq!(progress.tasks, before, "the same progress");
        let order: Vec<&str> = progress.tasks.keys().map(|k| &**k).collect();
        let mut expected: Vec<String> = (0..10_000).skip(1).step_by(2).map(|i| format!("p1.m.t{i}")).collect();
        expected.extend(["gone.a".to_string(), "gone.b".to_string()]);
        assert_eq!(order, expected);
        let places = progress.places(&plan);
        assert_eq!(places.out_of_order, 0);
        assert_placed(&plan, &progress, &places);
        assert!(!progress.put_in_plan_order(&plan), "in order: left as it is");
    }

    /// A few tasks out of order are found (in the small map of those left)
    /// and left where they are; places of another progress or none are
    /// only slower.
    #[test]
    fn a_few_out_of_order_are_found_and_left_where_they_are() {
        let plan = numbered_plan(40);
        let ids: Vec<String> = [3, 1, 2, 9, 30, 4].iter().map(|i| format!("p1.m.t{i}")).collect();
        let mut progress = recorded(&ids);
        let places = progress.places(&plan);
        // The walk takes t3 for the third task, and is out of step with
        // every entry after it: those are found in the map of the few left.
        assert_eq!(places.out_of_order, 5);
        assert_placed(&plan, &progress, &places);
        assert_found(&plan, &progress, &Places::default());
        assert_found(&plan, &progress, &recorded(&ids[..2]).places(&plan));
        assert!(!progress.put_in_plan_order(&plan));
        // An entry added after the places were made is looked up.
        progress.tasks.entry("p1.m.t0".into()).or_default();
        assert_found(&plan, &progress, &places);
    }

    proptest::proptest! {
        /// Each task's progress is found at its place whatever the order it
        /// was recorded in, with tasks the plan lacks among them; ordered as
        /// the plan, the same progress is found in one walk.
        #[test]
        fn places_find_each_tasks_progress_in_any_order(
            order in proptest::collection::vec((0usize..14, 0u32..100), 0..20),
        ) {
            let plan = numbered_plan(12);
            let mut ids: Vec<String> = Vec::new();
            for &(t, _) in &order {
                let id = if t < 12 { format!("p1.m.t{t}") } else { format!("gone.t{t}") };
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            let mut progress = recorded(&ids);
            let places = progress.places(&plan);
            assert_placed(&plan, &progress, &places);
            let before = progress.tasks.clone();
            progress.order_as(&places);
            proptest::prop_assert_eq!(&progress.tasks, &before);
            let places = progress.places(&plan);
            proptest::prop_assert_eq!(places.out_of_order, 0);
            assert_placed(&plan, &progress, &places);
        }

        /// A task's status read off the work list is the one looked up by
        /// id, after any run of starts, logs (of no minutes too), skips,
        /// completions and reopenings, on tasks of a selected track, of an
        /// unselected one and of none.
        #[test]
        fn the_status_read_off_the_work_list_is_the_looked_up_one(
            changes in proptest::collection::vec((0usize..3, 0u8..5, 0u64..6, 0u32..3), 0..24),
            select in proptest::bool::ANY,
        ) {
            use crate::core::testkit::{d, done, logged, plan, progress, skipped};
            let plan = plan(
                "format: 1\nid: t\ntitle: T\ntracks:\n  - {id: a, title: A}\n  - {id: b, title: B}\nphases:\n  - id: p1\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n          - {id: x, title: X, effort: 1h, track: a}\n          - {id: y, title: Y, effort: 1h, track: b}\n          - {id: z, title: Z, effort: 1h}\n",
            );
            let day = |n: u64| d("2027-01-04").checked_add_days(chrono::Days::new(n)).expect("day").to_string();
            let tasks = ["p1.m.x", "p1.m.y", "p1.m.z"];
            let plain = |change| Event { at: chrono::DateTime::UNIX_EPOCH, ..Event::new(change, None) };
            let mut events: Vec<Event> = changes
                .iter()
                .map(|&(t, kind, on, minutes)| match kind {
                    0 => plain(Change::Started { task: tasks[t].into(), on: d(&day(on)) }),
                    1 => logged(tasks[t], &day(on), minutes * 30),
                    2 => done(tasks[t], &day(on)),
                    3 => skipped(tasks[t], &day(on)),
                    _ => plain(Change::Reopened { task: tasks[t].into() }),
                })
                .collect();
            if select {
                events.insert(0, plain(Change::Settings { start: None, hours: None, tracks: Some(vec!["a".into()]) }));
            }
            let progress = progress("2027-01-04", WeekHours::DEFAULT, Baseline::default(), events);
            let work = progress.work(&plan);
            for (i, task) in plan.tasks.iter().enumerate() {
                proptest::prop_assert_eq!(progress.status_of(&plan, &work, i), progress.status(&task.full_id));
            }
            // Calibration's ratios, sparing lookups by the work list, are
            // those of looking every task up (an empty work list).
            // (The time logged of a done task comes with its work entry.)
            let ratios = |work: &[Work]| -> Vec<(usize, Effort)> {
                crate::core::calibration::ratios(&plan, &progress, work).iter().map(|r| (r.task, r.actual_minutes)).collect()
            };
            proptest::prop_assert_eq!(ratios(&work), ratios(&[]));
        }
    }
}
