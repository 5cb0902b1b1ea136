//! The session: the plan and the saved progress a command works on, and
//! the one read-modify-write transaction that records events under the lock.

use crate::core::calendar::{Calendar, WeekHours};
use crate::core::outlook::{self, Outlook};
use crate::core::plan::Plan;
use crate::core::progress::{self, Progress};
use crate::core::schedule::ScheduleError;
use crate::core::state::{Event, Header, STATE_VERSION, State};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::loaded::Loaded;
use crate::shell::plan_source::{PlanSource, resolve_plan};
use crate::shell::store::Lock;
use chrono::NaiveDate;
use std::cell::Cell;

/// The plan and progress a command works on.
pub(crate) struct Session {
    pub source: PlanSource,
    /// `None` while nothing is saved: a preview on the defaults.
    pub loaded: Option<Loaded>,
    pub progress: Progress,
    /// The outlook a write already built to check its consequences, for
    /// the first `outlook` of that day (a write schedules once, not twice).
    ready: Cell<Option<(NaiveDate, Outlook)>>,
}

/// A fresh header for `plan`: calendar from `start`, baseline computed.
pub(crate) fn new_header(
    ctx: &Ctx,
    source: &PlanSource,
    start: NaiveDate,
    hours: WeekHours,
    tracks: Option<Vec<String>>,
) -> Result<Header> {
    Ok(new_header_and_outlook(ctx, source, start, hours, tracks)?.0)
}

/// `new_header`, and the outlook on `start` its baseline was made from:
/// the one a state of that header and no events has on `start` (an
/// outlook does not depend on the baseline), which a preview shows.
fn new_header_and_outlook(
    ctx: &Ctx,
    source: &PlanSource,
    start: NaiveDate,
    hours: WeekHours,
    tracks: Option<Vec<String>>,
) -> Result<(Header, Outlook)> {
    let mut header = Header {
        roadmap_state: STATE_VERSION,
        created: ctx.now,
        plan: source.reference.clone(),
        start,
        hours,
        tracks,
        baseline: Default::default(),
        snapshot: Some(source.snapshot()),
    };
    let progress = progress::replay(&State { header: header.clone(), events: Vec::new() })
        .map_err(|e| Error::refused(e.message))?;
    let outlook = Outlook::new(&source.plan, &progress, start)?;
    header.baseline = outlook::baseline(&source.plan, &outlook.schedule, start);
    Ok((header, outlook))
}

impl Session {
    /// Opens the plan and the saved progress for reading.
    pub(crate) fn open(ctx: &Ctx) -> Result<Session> {
        let loaded = ctx.store.read()?;
        Session::from_loaded(ctx, loaded)
    }

    fn from_loaded(ctx: &Ctx, loaded: Option<Loaded>) -> Result<Session> {
        if let Some(l) = &loaded {
            for w in &l.warnings {
                ctx.warn(w);
            }
        }
        let recorded = loaded.as_ref().map(|l| &l.header.plan);
        let source = resolve_plan(ctx.plan_arg.as_deref(), recorded, ctx.cache.as_deref())?;
        Session::with_source(ctx, source, loaded)
    }

    /// The session for a plan already resolved.
    fn with_source(ctx: &Ctx, source: PlanSource, loaded: Option<Loaded>) -> Result<Session> {
        match loaded {
            Some(mut l) => {
                // Progress recorded far out of the plan's order is put in
                // it, and saved so (`Progress::places`: from then on each
                // task's progress is found without a lookup by id).
                if ctx.store.keeps_snapshots() && l.progress.put_in_plan_order(&source.plan) && ctx.store.remember(&l) {
                    // The snapshot now reaches the file's end: a write
                    // that appends to it need not write another at once.
                    l.snapshot_len = Some(l.ends.complete_len());
                }
                let progress = std::mem::take(&mut l.progress);
                Ok(Session { source, loaded: Some(l), progress, ready: Cell::new(None) })
            }
            None => {
                let (header, outlook) = new_header_and_outlook(ctx, &source, ctx.today, WeekHours::DEFAULT, None)?;
                let progress =
                    progress::replay(&State { header, events: Vec::new() }).map_err(|e| Error::refused(e.message))?;
                // The preview's outlook today is the one the baseline came from.
                let ready = Cell::new(Some((ctx.today, outlook)));
                Ok(Session { source, loaded: None, progress, ready })
            }
        }
    }

    pub(crate) fn plan(&self) -> &Plan {
        &self.source.plan
    }

    pub(crate) fn is_preview(&self) -> bool {
        self.loaded.is_none()
    }

    pub(crate) fn calendar(&self) -> &Calendar {
        &self.progress.calendar
    }

    /// Figures for the track `id` alone, as if `config --track` had
    /// selected it (not saved). An outlook already made for the saved
    /// selection (a preview's) is dropped: it would leave the other
    /// tracks in.
    pub(crate) fn select_track(&mut self, id: &str) {
        self.progress.tracks = Some(vec![id.to_string()]);
        self.ready.set(None);
    }

    pub(crate) fn outlook(&self, today: NaiveDate) -> Result<Outlook> {
        match self.ready.take() {
            Some((day, outlook)) if day == today => Ok(outlook),
            _ => Ok(Outlook::new(self.plan(), &self.progress, today)?),
        }
    }
}

/// The result of a write: the session after it, the events recorded, and
/// whether the state file was created for it.
pub(crate) struct Written {
    pub session: Session,
    pub events: Vec<Event>,
    pub created: bool,
}

/// Runs a read-modify-write under the lock: `decide` sees the session and
/// returns the events to append (none: nothing is written); it is given the
/// lock for reads that must see the file as the lock holder does. Without a state
/// file, one is created with the defaults, but only if there is something
/// to record: a refused command leaves no trace.
pub(crate) fn write(ctx: &Ctx, decide: impl FnOnce(&Session, &Lock) -> Result<Vec<Event>>) -> Result<Written> {
    let lock = ctx.store.lock()?;
    let (session, created) = match ctx.store.read_locked(&lock)? {
        Some(loaded) => (Session::from_loaded(ctx, Some(loaded))?, false),
        None => {
            let source = resolve_plan(ctx.plan_arg.as_deref(), None, ctx.cache.as_deref())?;
            let header = new_header(ctx, &source, ctx.today, WeekHours::DEFAULT, None)?;
            let loaded = Loaded::unsaved(header).map_err(|e| Error::refused(e.message))?;
            (Session::with_source(ctx, source, Some(loaded))?, true)
        }
    };
    let mut events = decide(&session, &lock)?;
    let Session { source, loaded, progress, .. } = session;
    let Some(mut loaded) = loaded else {
        return Err(Error::refused("no state to write to"));
    };
    if events.is_empty() {
        let session = Session { source, loaded: Some(loaded), progress, ready: Cell::new(None) };
        return Ok(Written { session, events, created: false });
    }
    ctx.store.stamp(ctx.now, loaded.last_event.as_ref(), &mut events);
    // The reader's value rules, before anything is written: a state that
    // could not be read back is never written (exit 1, file untouched).
    ctx.store.check(&events)?;
    // The consequences, before anything is written: a state whose plan
    // could not be scheduled is never written either.
    let undoes = events.iter().any(Event::is_undo);
    let after = if undoes {
        let mut state = match ctx.store.read_all_locked(&lock)? {
            Some(parsed) => parsed.state,
            None => State { header: loaded.header.clone(), events: Vec::new() },
        };
        state.events.extend(events.iter().cloned());
        progress::replay(&state).map_err(|e| Error::refused(e.message))?
    } else {
        let mut after = progress;
        after.apply_all(&events).map_err(|e| Error::refused(e.message))?;
        after
    };
    let outlook = schedulable(&source.plan, &after, ctx.today)?;
    let ready = Cell::new(Some((ctx.today, outlook)));
    if created {
        ctx.store.write_all(&lock, &State { header: loaded.header.clone(), events: events.clone() })?;
    } else {
        let appended = ctx.store.record(&lock, &loaded.header, (&loaded.ends, loaded.seen), &events)?;
        if let Some(appended) = appended
            && !undoes
        {
            loaded.progress = after;
            loaded.absorb(&events, appended.len, appended.seen);
            ctx.store.remember_appended(&loaded);
            let progress = std::mem::take(&mut loaded.progress);
            return Ok(Written { session: Session { source, loaded: Some(loaded), progress, ready }, events, created });
        }
    }
    // A new file, an upgraded one, or an undo: read the state back whole.
    let mut loaded = ctx.store.read_locked(&lock)?.ok_or_else(|| Error::refused("the state file vanished"))?;
    drop(lock);
    let progress = std::mem::take(&mut loaded.progress);
    Ok(Written { session: Session { source, loaded: Some(loaded), progress, ready }, events, created })
}

/// Refuses a change whose state could not be scheduled (no capacity, past
/// the last date): every command builds its outlook from the state, so
/// such a state would make every later command fail.
fn schedulable(plan: &Plan, progress: &Progress, today: NaiveDate) -> Result<Outlook> {
    let e = match Outlook::new(plan, progress, today) {
        Ok(outlook) => return Ok(outlook),
        Err(e) => e,
    };
    let hint = match e {
        ScheduleError::NoCapacity { .. } => {
            "give more hours (`roadmap config --hours mon-fri=2,sat-sun=4`) or fewer days off (`roadmap off --list`)"
        }
        ScheduleError::PastLastDate { .. } => {
            "give more hours (`roadmap config --hours …`), fewer days off (`roadmap off --list`), or skip tasks"
        }
    };
    Err(Error::refused(format!("nothing was written: with this change, {e}")).with_hint(hint))
}
