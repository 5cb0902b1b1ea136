//! `roadmap export ics [--out FILE] [--start-time HH:MM]`: the forecast
//! schedule as an iCalendar file.

use crate::cli::ExportFormat;
use crate::core::ics::{self, Options};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use chrono::NaiveTime;
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

pub fn run(ctx: &Ctx, format: ExportFormat) -> Result<String> {
    match format {
        ExportFormat::Ics { out, start_time } => {
            let start_time = parse_time(&start_time).map_err(|e| Error::option("--start-time", e))?;
            let session = Session::open(ctx)?;
            let outlook = session.outlook(ctx.today)?;
            let export = ics::export(ics::Input {
                plan: session.plan(),
                calendar: session.calendar(),
                work: &outlook.work,
                checkins: &session.progress.checkins,
                schedule: &outlook.schedule,
                now: ctx.now,
                options: Options { start_time },
            });
            match out {
                None => Ok(export.text),
                Some(path) => {
                    write_atomically(&path, export.text.as_bytes())?;
                    Ok(format!(
                        "Wrote {} to {}: {}, {}, {}.\n",
                        crate::core::phrase::count(export.events() as i64, "event", "events"),
                        path.display(),
                        crate::core::phrase::count(export.task_events as i64, "task day", "task days"),
                        crate::core::phrase::count(export.habit_series as i64, "recurring habit", "recurring habits"),
                        crate::core::phrase::count(export.days_off as i64, "range of days off", "ranges of days off"),
                    ))
                }
            }
        }
    }
}

/// `19:00`, `7:30`: a time of day.
fn parse_time(text: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("`{}` is not a time of day: write HH:MM, e.g. 19:00", text.trim()))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it
/// over `path`: a reader (or an interrupted export) never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let name = path.file_name().ok_or_else(|| Error::usage(format!("--out {shown}: not a file name")))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = dir.join(temp_name);
    let result = (|| -> std::io::Result<()> {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(Error::refused(format!("cannot write {shown}: {e}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
