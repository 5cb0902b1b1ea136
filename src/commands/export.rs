//! `roadmap export ics [--out FILE] [--start-time HH:MM]`: the forecast
//! schedule as an iCalendar file.

use crate::cli::ExportFormat;
use crate::core::ics::{self, Options};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use chrono::NaiveTime;
use std::path::Path;

pub(crate) fn run(ctx: &Ctx, format: ExportFormat) -> Result<String> {
    match format {
        ExportFormat::Ics { out, start_time } => {
            let start_time = parse_time(&start_time).map_err(|e| Error::option("--start-time", e))?;
            let export = ics(ctx, Options { start_time })?;
            match out {
                None => Ok(export.text),
                Some(path) => {
                    write_atomically(&path, export.text.as_bytes())?;
                    Ok(wrote(&export, &path))
                }
            }
        }
    }
}

/// The forecast schedule as iCalendar.
fn ics(ctx: &Ctx, options: Options) -> Result<ics::Export> {
    let session = Session::open(ctx)?;
    let outlook = session.outlook(ctx.today)?;
    Ok(ics::export(ics::Input {
        plan: session.plan(),
        calendar: session.calendar(),
        work: &outlook.work,
        checkins: &session.progress.checkins,
        schedule: &outlook.schedule,
        now: ctx.now,
        options,
        today: ctx.today,
        memories: &crate::core::review::memories(session.plan(), &session.progress),
    }))
}

/// `Wrote 650 events to roadmap.ics: 599 task days, 2 recurring habits,
/// 48 habit periods, 1 range of days off.` (the periods left out when none).
fn wrote(export: &ics::Export, path: &Path) -> String {
    let periods = if export.habit_periods > 0 {
        format!("{}, ", count(export.habit_periods, "habit period", "habit periods"))
    } else {
        String::new()
    };
    let reviews = if export.review_events > 0 {
        format!(", {}", count(export.review_events, "review", "reviews"))
    } else {
        String::new()
    };
    format!(
        "Wrote {} to {}: {}, {}, {periods}{}{reviews}.\n",
        count(export.events(), "event", "events"),
        path.display(),
        count(export.task_events, "task day", "task days"),
        count(export.habit_series, "recurring habit", "recurring habits"),
        count(export.days_off, "range of days off", "ranges of days off"),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    crate::core::phrase::count(n as i64, one, many)
}

/// `19:00`, `7:30`: a time of day.
fn parse_time(text: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("`{}` is not a time of day: write HH:MM, e.g. 19:00", text.trim()))
}

/// Writes `bytes` over `path` through the one atomic-write path: a reader
/// (or an interrupted export) never sees half a file, and a failed write
/// leaves no temporary file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    if path.file_name().is_none() {
        return Err(Error::usage(format!("--out {shown}: not a file name")));
    }
    crate::shell::atomic::replace(path, bytes, crate::shell::atomic::Target::Export)
        .map_err(|failed| Error::io(failed.step.action(), path, failed.source))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // Tests read their fixtures.
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn parses_times_of_day() {
        assert_eq!(parse_time("19:00"), Ok(NaiveTime::from_hms_opt(19, 0, 0).unwrap()));
        assert_eq!(parse_time("7:30"), Ok(NaiveTime::from_hms_opt(7, 30, 0).unwrap()));
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("7pm").is_err());
    }

    #[test]
    fn writes_atomically_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roadmap.ics");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["roadmap.ics"]);
    }
}
