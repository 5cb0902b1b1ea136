//! The weekly report as text: a terminal screen (tables through
//! comfy-table, colour only through `Style`) and a markdown weekly review.
//! Both are rendered from `WeeklyFigures` alone and share their phrases, so
//! they carry the same numbers as the JSON form.

use super::Style;
use super::table::{self, cell, right};
use crate::core::consistency::unit_for;
use crate::core::dates;
use crate::core::effort::Effort;
use crate::core::habits::Mark;
use crate::core::period::{Period, monday};
use crate::core::phrase;
use crate::core::progress::JournalEntry;
use crate::core::report::{
    CheckedDeliverable, DayFigures, DoneTask, HabitFigures, NextWeek, PhaseFigures, PlanFigures, Retained,
    RetainedPhase, Velocity, WeeklyFigures, WorkedTask,
};
use crate::render::verdict;
use chrono::{Datelike, Days, NaiveDate};
use std::fmt::Write;

/// Cells of a phase's progress bar.
const BAR_WIDTH: usize = 12;

/// Eight levels of a day's activity, lowest first.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The terminal screen, under a line saying so when it previews the
/// built-in plan (nothing saved yet).
pub(crate) fn screen(f: &WeeklyFigures, preview: bool, s: Style) -> String {
    let text = table(f, s);
    if !preview {
        return text;
    }
    format!("{}\n{text}", s.dim("Preview: nothing saved yet, so this is the built-in plan from today."))
}

/// The terminal screen.
fn table(f: &WeeklyFigures, s: Style) -> String {
    let mut out = format!("{}\n", s.bold(&title(f)));
    out.push_str(&done_table(f, s));
    out.push_str(&worked_table(f, s));
    out.push_str(&deliverables_table(f, s));
    if f.done.is_empty() && f.worked.is_empty() && f.deliverables.is_empty() {
        out.push_str("\nNo task work recorded in these days.\n");
    }
    let _ = writeln!(out, "\n{}", s.bold(&earned_line(f)));
    let _ = writeln!(out, "{}", s.dim(EARNED_MEANS));
    out.push_str(&day_table(&f.days, &f.period, s));
    out.push_str(&notes_table(&f.notes, s));
    out.push_str(&habits_table(f, s));
    out.push_str(&phases_table(&f.phases, s));
    out.push_str(&retained_table(f, s));
    out.push('\n');
    for line in pace_lines(f) {
        let _ = writeln!(out, "{line}");
    }
    out.push_str(&history_section(f, s));
    if let Some(next) = &f.next {
        out.push_str(&next_table(next, s));
    }
    out
}

/// What the history says (calibration, re-estimate, ranges), under its heading.
fn history_section(f: &WeeklyFigures, s: Style) -> String {
    f.history.as_ref().map_or(String::new(), |h| {
        format!("\n{}\n{}", s.bold("From your history"), super::forecast::history_text(h, "the calendar's hours", s))
    })
}

/// What the two kinds of hours mean, in one line under the earned line.
const EARNED_MEANS: &str = "Earned counts a done task's whole estimate; logged is the time you recorded.";

/// The span's notes: day, what, on what, the note.
fn notes_table(notes: &[JournalEntry], s: Style) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut t = table::plain(s);
    for e in notes {
        let (what, about, note) = note_parts(e);
        t.add_row(vec![cell(dates::short(e.on)), cell(what), cell(about), cell(note)]);
    }
    section("Notes", &t, s)
}

/// A note's `logged 1h30m`, its task or habit, and its text.
fn note_parts(e: &JournalEntry) -> (String, String, String) {
    let what = super::show::HistoryEntry::of(e).what();
    let about = e.task.clone().or_else(|| e.habit.clone()).unwrap_or_default();
    (what, about, e.note.clone().unwrap_or_default())
}

/// A section's bold heading over its table.
fn section(heading: &str, t: &table::Table, s: Style) -> String {
    format!("\n{}\n{}", s.bold(heading), table::render(t))
}

fn done_table(f: &WeeklyFigures, s: Style) -> String {
    if f.done.is_empty() {
        return String::new();
    }
    let mut t = table::plain(s);
    for task in &f.done {
        let effort = if task.earned_minutes == task.effort_minutes {
            hours(task.effort_minutes)
        } else {
            format!("{} ({} here)", hours(task.effort_minutes), hours(task.earned_minutes))
        };
        t.add_row(vec![
            right(task.number.to_string()),
            cell(&task.id),
            cell(&task.title),
            cell(dates::short(task.on)),
            right(effort),
            cell(deliverables(task.deliverables_checked, task.deliverables_total)),
        ]);
    }
    section("Done", &t, s)
}

fn worked_table(f: &WeeklyFigures, s: Style) -> String {
    if f.worked.is_empty() {
        return String::new();
    }
    let mut t = table::plain(s);
    for task in &f.worked {
        t.add_row(vec![
            right(task.number.to_string()),
            cell(&task.id),
            cell(&task.title),
            right(hours(task.earned_minutes)),
            cell(worked_so_far(task.earned_total_minutes, task.effort_minutes, task.status)),
        ]);
    }
    section("Worked on", &t, s)
}

fn deliverables_table(f: &WeeklyFigures, s: Style) -> String {
    if f.deliverables.is_empty() {
        return String::new();
    }
    let mut t = table::plain(s);
    for d in &f.deliverables {
        t.add_row(vec![right(d.task_number.to_string()), cell(&d.task), cell(&d.title), cell(dates::short(d.on))]);
    }
    section("Deliverables checked", &t, s)
}

fn habits_table(f: &WeeklyFigures, s: Style) -> String {
    if f.habits.is_empty() {
        return String::new();
    }
    let mut t = table::plain(s);
    t.set_header(vec!["Habits", habits_heading(&f.period), "days", "streak", "4 weeks"]);
    for h in &f.habits {
        t.add_row(vec![
            cell(&h.span.id),
            cell(habit_count(h)),
            cell(strip(h)),
            cell(streak(h)),
            right(adherence(h.recent_adherence_percent)),
        ]);
    }
    format!("\n{}{}\n", table::render(&t), s.dim(&super::fold(super::MARK_LEGEND, s, "  ")))
}

fn phases_table(phases: &[PhaseFigures], s: Style) -> String {
    if phases.is_empty() {
        return String::new();
    }
    let mut t = table::plain(s);
    t.set_header(vec!["Phase", "progress", "hours", "forecast", "slip", "window"]);
    for p in phases {
        let bar = super::bar(p.earned_minutes.minutes(), p.total_minutes.minutes(), BAR_WIDTH);
        t.add_row(vec![
            cell(format!("{} {}", p.id, p.title)),
            cell(format!("{bar} {:>3}%", p.percent)),
            right(phase_hours(p)),
            cell(p.forecast_end.map_or(String::new(), |d| d.to_string())),
            right(slip(p.slip_days)),
            table::red_if(window(p, false), is_over(p), s),
        ]);
    }
    let mut out = format!("\n{}", table::render(&t));
    for line in over_lines(phases) {
        let _ = writeln!(out, "  {}", s.red(&line));
    }
    out
}

/// Spaced review: the span's reviews, then per phase the finished tasks
/// retained today (nothing when the plan has no `review:`).
fn retained_table(f: &WeeklyFigures, s: Style) -> String {
    let Some(r) = &f.retained else { return String::new() };
    let mut out = format!("\n{}\n{}\n", s.bold("Retained"), reviews_line(r, &f.period));
    if !r.phases.is_empty() {
        let mut t = table::plain(s);
        t.set_header(vec!["Phase", "retained", "share"]);
        for p in &r.phases {
            t.add_row(vec![cell(format!("{} {}", p.id, p.title)), right(retained_count(p)), right(share(p))]);
        }
        out.push_str(&table::render(&t));
    }
    let _ = writeln!(out, "{}", s.dim(&retained_means(r)));
    out
}

fn md_retained(f: &WeeklyFigures) -> String {
    let Some(r) = &f.retained else { return String::new() };
    let mut out = format!("\n### Retained\n\n{}\n", reviews_line(r, &f.period));
    if !r.phases.is_empty() {
        out.push_str("\n| phase | retained | share |\n|---|---:|---:|\n");
        for p in &r.phases {
            let _ = writeln!(out, "| {} {} | {} | {} |", p.id, md(&p.title), retained_count(p), share(p));
        }
    }
    let _ = writeln!(out, "\n{}", md(&retained_means(r)));
    out
}

/// `Reviews this week: 1 done of 3 due (30m each).`
fn reviews_line(r: &Retained, period: &Period) -> String {
    let when = habits_heading(period);
    if r.reviews_due == 0 && r.reviews_done == 0 {
        return format!("Reviews {when}: none due.");
    }
    format!("Reviews {when}: {} done of {} due ({} each).", r.reviews_done, r.reviews_due, hours(r.review_minutes))
}

/// `2 of 3 finished`
fn retained_count(p: &RetainedPhase) -> String {
    format!("{} of {} finished", p.retained, p.finished)
}

fn share(p: &RetainedPhase) -> String {
    format!("{}%", p.retained_percent)
}

/// What "retained" means, with the plan's target.
fn retained_means(r: &Retained) -> String {
    let target = (r.target_retention * 100.0).round() as u32;
    format!("Retained: a finished task whose predicted recall today (FSRS-6) is at least the target, {target}%.")
}

/// Velocity, the plan's end and the pace it needs: the lines both forms end
/// their pace section with.
fn pace_lines(f: &WeeklyFigures) -> Vec<String> {
    let velocity = f.velocity.as_ref().map(velocity_line);
    let pace = pace_line(&f.plan, f.velocity.as_ref());
    velocity.into_iter().chain([plan_line(&f.plan)]).chain(pace).collect()
}

fn next_table(next: &NextWeek, s: Style) -> String {
    let mut t = table::plain(s);
    for task in &next.tasks {
        t.add_row(vec![right(task.number.to_string()), cell(&task.id), cell(&task.title), right(hours(task.minutes))]);
    }
    format!("\n{}\n{}", s.bold(&next_line(next)), table::render(&t))
}

/// The markdown weekly review.
pub(crate) fn markdown(f: &WeeklyFigures) -> String {
    let mut out = format!("## {}\n", md(&title_plain(f)));
    if !f.phases_in_period.is_empty() {
        let names: Vec<String> = f.phases_in_period.iter().map(|p| format!("{} {}", p.id, p.title)).collect();
        let _ = writeln!(out, "\nPhase: {}", md(&names.join(", ")));
    }
    let _ = writeln!(out, "\n**{}**", md(&earned_line(f)));
    let _ = writeln!(out, "\n{}", md(EARNED_MEANS));
    out.push_str(&md_done(&f.done));
    out.push_str(&md_worked(&f.worked));
    out.push_str(&md_deliverables(&f.deliverables));
    out.push_str(&md_days(&f.days, &f.period));
    out.push_str(&md_notes(&f.notes));
    out.push_str(&md_habits(f));
    out.push_str(&md_phases(&f.phases));
    out.push_str(&md_retained(f));
    out.push_str("\n### Pace\n\n");
    for line in pace_lines(f) {
        let _ = writeln!(out, "- {line}");
    }
    out.push_str(&md_history(f));
    if let Some(next) = &f.next {
        out.push_str(&md_next(next));
    }
    out
}

fn md_done(done: &[DoneTask]) -> String {
    if done.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n### Done\n\n");
    out.push_str("| # | task | title | done | effort | earned here | deliverables |\n");
    out.push_str("|---:|---|---|---|---:|---:|---:|\n");
    for t in done {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            t.number,
            t.id,
            md(&t.title),
            dates::short(t.on),
            hours(t.effort_minutes),
            hours(t.earned_minutes),
            deliverables(t.deliverables_checked, t.deliverables_total)
        );
    }
    out
}

fn md_worked(worked: &[WorkedTask]) -> String {
    if worked.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n### Worked on\n\n");
    out.push_str("| # | task | title | earned here | so far |\n");
    out.push_str("|---:|---|---|---:|---|\n");
    for t in worked {
        let so_far = worked_so_far(t.earned_total_minutes, t.effort_minutes, t.status);
        let _ =
            writeln!(out, "| {} | {} | {} | {} | {so_far} |", t.number, t.id, md(&t.title), hours(t.earned_minutes));
    }
    out
}

fn md_deliverables(checked: &[CheckedDeliverable]) -> String {
    if checked.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n### Deliverables checked\n\n");
    for d in checked {
        let _ = writeln!(out, "- {} · {} · {}", dates::short(d.on), d.task, md(&d.title));
    }
    out
}

fn md_days(days: &[DayFigures], period: &Period) -> String {
    let mut out = String::from("\n### Days\n\n");
    out.push_str("| week of | Mon | Tue | Wed | Thu | Fri | Sat | Sun |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (week, cells_of) in weeks(days, period) {
        let cells: Vec<String> = cells_of
            .iter()
            .map(|d| d.map_or(String::new(), |d| day_word(d).unwrap_or_else(|| hours(d.earned_minutes))))
            .collect();
        let _ = writeln!(out, "| {} | {} |", dates::short(week), cells.join(" | "));
        if cells_of.iter().flatten().any(|d| !d.logged_minutes.is_zero()) {
            let logged: Vec<String> = cells_of.iter().map(|d| d.map_or(String::new(), logged_word)).collect();
            let _ = writeln!(out, "| logged | {} |", logged.join(" | "));
        }
    }
    out
}

fn md_notes(notes: &[JournalEntry]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n### Notes\n\n");
    for e in notes {
        let (what, about, note) = note_parts(e);
        let _ = writeln!(out, "- {} · {what} · {about} · {}", dates::short(e.on), md(&note));
    }
    out
}

fn md_habits(f: &WeeklyFigures) -> String {
    if f.habits.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n### Habits\n\n");
    let _ = writeln!(out, "| habit | {} | days | streak | 4 weeks |", habits_heading(&f.period));
    out.push_str("|---|---:|---|---|---:|\n");
    for h in &f.habits {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} | {} |",
            h.span.id,
            md(&habit_count(h)),
            strip(h),
            streak(h),
            adherence(h.recent_adherence_percent)
        );
    }
    let _ = writeln!(out, "\n{}", super::MARK_LEGEND);
    out
}

fn md_phases(phases: &[PhaseFigures]) -> String {
    if phases.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n### Phases\n\n");
    out.push_str("| phase | progress | hours | forecast end | slip | window |\n");
    out.push_str("|---|---:|---:|---|---:|---|\n");
    for p in phases {
        let _ = writeln!(
            out,
            "| {} {} | {}% | {} | {} | {} | {} |",
            p.id,
            md(&p.title),
            p.percent,
            phase_hours(p),
            p.forecast_end.map_or("–".to_string(), |d| d.to_string()),
            slip(p.slip_days),
            md(&window(p, true))
        );
    }
    out
}

/// The history's lines as a preformatted block (they hold a small table).
fn md_history(f: &WeeklyFigures) -> String {
    f.history.as_ref().map_or(String::new(), |h| {
        format!(
            "\n### From your history\n\n```text\n{}```\n",
            super::forecast::history_text(h, "the calendar's hours", Style::PLAIN)
        )
    })
}

fn md_next(next: &NextWeek) -> String {
    let mut out = format!("\n### Next week\n\n{}\n\n", next_line(next));
    for t in &next.tasks {
        let _ = writeln!(out, "- {} {} · {}", t.id, md(&t.title), hours(t.minutes));
    }
    out
}

fn hours(effort: Effort) -> String {
    phrase::hours(i64::from(effort.minutes()))
}

/// `Week 2 of 2027 · Mon 2027-01-11 – Sun 2027-01-17 · p4 …`
fn title(f: &WeeklyFigures) -> String {
    let mut line = title_plain(f);
    for p in &f.phases_in_period {
        let _ = write!(line, " · {} {}", p.id, p.title);
    }
    line
}

fn title_plain(f: &WeeklyFigures) -> String {
    let p = &f.period;
    let span = format!("{} – {}", dates::long(p.from), dates::long(p.to));
    match p.week {
        Some(w) => format!("Week {} of {} · {span}", w.week, w.year),
        None => format!("{span} ({})", phrase::days(p.days())),
    }
}

/// `Earned 12h of 13h30m planned (88%)`, with the part planned up to today
/// when the span runs past it.
fn earned_line(f: &WeeklyFigures) -> String {
    let mut line = format!("Earned {}", hours(f.earned_minutes));
    match f.earned_percent {
        Some(pct) => {
            let _ = write!(line, " of {} planned ({pct}%)", hours(f.planned_minutes));
        }
        None => line.push_str(" (nothing planned by the baseline)"),
    }
    let _ = write!(line, " · logged {}", hours(f.logged_minutes));
    if f.days.iter().any(|d| d.future) && f.planned_to_date_minutes != f.planned_minutes {
        let _ = write!(line, " · {} planned up to today", hours(f.planned_to_date_minutes));
    }
    line
}

fn deliverables(checked: usize, total: usize) -> String {
    if total == 0 { "–".to_string() } else { format!("{checked}/{total} deliverables") }
}

/// `3h of 6h so far · in progress`
fn worked_so_far(earned: Effort, effort: Effort, status: &str) -> String {
    format!("{} of {} so far · {status}", hours(earned), hours(effort))
}

/// The days of the span, week by week: each week's Monday and its seven
/// cells (`None` outside the span).
fn weeks<'a>(days: &'a [DayFigures], period: &Period) -> Vec<(NaiveDate, [Option<&'a DayFigures>; 7])> {
    let mut rows: Vec<(NaiveDate, [Option<&DayFigures>; 7])> = Vec::new();
    let mut week = monday(period.from);
    while week <= period.to {
        let mut cells = [None; 7];
        for d in days.iter().filter(|d| monday(d.date) == week) {
            cells[d.date.weekday().num_days_from_monday() as usize] = Some(d);
        }
        rows.push((week, cells));
        week = week + Days::new(7);
    }
    rows
}

/// A day with no hours to show: `off`, `–` (nothing earned) or blank (to come).
fn day_word(d: &DayFigures) -> Option<String> {
    if !d.earned_minutes.is_zero() {
        return None;
    }
    Some(if d.future {
        String::new()
    } else if d.day_off {
        "off".to_string()
    } else {
        "–".to_string()
    })
}

/// Hours earned each day, with a bar glyph scaled to the span's best day.
fn day_table(days: &[DayFigures], period: &Period, s: Style) -> String {
    let best = days.iter().map(|d| d.earned_minutes.minutes()).max().unwrap_or(0);
    let mut t = table::plain(s);
    t.set_header(vec!["Days", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    for (week, cells) in weeks(days, period) {
        let mut row = vec![cell(dates::short(week))];
        row.extend(cells.iter().map(|d| {
            cell(d.map_or(String::new(), |d| {
                day_word(d).unwrap_or_else(|| {
                    format!("{} {}", level(d.earned_minutes.minutes(), best), hours(d.earned_minutes))
                })
            }))
        }));
        t.add_row(row);
        if cells.iter().flatten().any(|d| !d.logged_minutes.is_zero()) {
            let mut logged = vec![cell("logged")];
            logged.extend(cells.iter().map(|d| cell(d.map_or(String::new(), logged_word))));
            t.add_row(logged);
        }
    }
    table::render(&t)
}

/// A day's logged hours, blank when none.
fn logged_word(d: &DayFigures) -> String {
    if d.logged_minutes.is_zero() { String::new() } else { hours(d.logged_minutes) }
}

/// The glyph for `minutes` when `best` is the top: ⌈8 × minutes ÷ best⌉ of eight.
fn level(minutes: u32, best: u32) -> char {
    if best == 0 {
        return LEVELS[0];
    }
    let n = (u64::from(minutes) * 8).div_ceil(u64::from(best)).clamp(1, 8);
    LEVELS[n as usize - 1]
}

fn habits_heading(period: &Period) -> &'static str {
    if period.week.is_some() { "this week" } else { "these days" }
}

/// `8/12 题`, or `not due` when no day of the span was due; for a period
/// habit, the latest period of the span: its count/target and its state
/// (`1/1 met`, `0/1 due by Sun 01-17`, `0/1 missed`).
fn habit_count(h: &HabitFigures) -> String {
    let c = &h.span;
    let unit = c.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    if let Some(p) = c.periods.iter().rev().find(|p| p.mark != Mark::Future) {
        let state = match p.mark {
            Mark::Met => "met".to_string(),
            Mark::Open => format!("due by {}", dates::short(p.to)),
            Mark::Partial => "partial".to_string(),
            Mark::Missed => "missed".to_string(),
            Mark::Off => "off".to_string(),
            Mark::NotDue | Mark::Future => "not due".to_string(),
        };
        return format!("{}/{}{unit} {state}", p.count, p.target);
    }
    if c.target_total == 0 {
        return "not due".to_string();
    }
    format!("{}/{}{unit}", c.done, c.target_total)
}

/// One glyph per day of the span (uncoloured: it sits in a table cell).
fn strip(h: &HabitFigures) -> String {
    let glyphs: String = h.span.days.iter().map(|d| d.mark.symbol()).collect();
    glyphs.trim_end().to_string()
}

fn streak(h: &HabitFigures) -> String {
    let n = h.span.streak;
    format!("{n} {}", unit_for(n, h.span.streak_unit))
}

fn adherence(percent: Option<u32>) -> String {
    percent.map_or("–".to_string(), |p| format!("{p}%"))
}

/// `12h/15h`
fn phase_hours(p: &PhaseFigures) -> String {
    format!("{}/{}", hours(p.earned_minutes), hours(p.total_minutes))
}

/// `+2d`, `-1d`, `0`, or blank without a baseline.
fn slip(days: Option<i64>) -> String {
    match days {
        None => String::new(),
        Some(0) => "0".to_string(),
        Some(d) => super::signed_days(d),
    }
}

/// The verdict against the window; `full` adds the weekly hours that would fit.
fn window(p: &PhaseFigures, full: bool) -> String {
    let Some(w) = &p.window else {
        return String::new();
    };
    let verdict = w.as_verdict();
    if full { verdict::verdict(&w.window, verdict.as_ref()) } else { verdict::fit(&w.window, verdict.map(|v| v.fit)) }
}

fn is_over(p: &PhaseFigures) -> bool {
    p.window.as_ref().is_some_and(|w| w.verdict == Some("over"))
}

/// For each phase over its window: by how much, and the weekly hours that fit.
fn over_lines(phases: &[PhaseFigures]) -> Vec<String> {
    phases
        .iter()
        .filter_map(|p| {
            let w = p.window.as_ref()?;
            let days = w.days.filter(|_| w.verdict == Some("over"))?;
            Some(verdict::over_window(&format!("{} {}", p.id, p.title), &w.window, days, w.weekly_minutes_to_fit))
        })
        .collect()
}

/// `Velocity 12h/week over the last 4 weeks · calendar 18h/week, 12h/week of it for tasks`
fn velocity_line(v: &Velocity) -> String {
    let over = over(v);
    let weekly = |e: Effort| phrase::per_week(i64::from(e.minutes()));
    format!(
        "Velocity {} over {over} · calendar {}, {} of it for tasks",
        weekly(v.weekly_minutes),
        weekly(v.calendar_weekly_minutes),
        weekly(v.capacity_weekly_minutes)
    )
}

/// The days a velocity is measured over: `the last 4 weeks`, or `the 4
/// days Tue 01-05 – Fri 01-08`.
fn over(v: &Velocity) -> String {
    if v.days == crate::core::report::VELOCITY_DAYS {
        "the last 4 weeks".to_string()
    } else {
        format!("the {} {} – {}", phrase::days(v.days), dates::short(v.from), dates::short(v.to))
    }
}

/// `Plan 12h of 35h (34%) · at your calendar's 18h/week: ends 2027-01-23,
/// 2 days behind the baseline (2027-01-21)`: the schedule's forecast,
/// named for the hours it assumes.
fn plan_line(p: &PlanFigures) -> String {
    let mut line = format!("Plan {} of {} ({}%)", hours(p.earned_minutes), hours(p.total_minutes), p.percent);
    let Some(end) = p.forecast_end else {
        line.push_str(" · nothing left to schedule");
        return line;
    };
    let weekly = phrase::per_week(i64::from(p.calendar_weekly_minutes.minutes()));
    let _ = write!(line, " · at your calendar's {weekly}: ends {end}");
    match (p.baseline_end, p.slip_days) {
        (Some(base), None | Some(0)) => {
            let _ = write!(line, ", on track (baseline {base})");
        }
        (Some(base), slip) => {
            let _ = write!(line, ", {} ({base})", verdict::slip(slip));
        }
        (None, _) => {}
    }
    line
}

/// `At your pace of the last 4 weeks (12h/week earned): ends 2027-01-24`,
/// beside the calendar's forecast: the other forecast, named for what it
/// assumes.
fn pace_line(p: &PlanFigures, v: Option<&Velocity>) -> Option<String> {
    p.forecast_end?;
    Some(match (p.end_at_velocity, v) {
        (Some(end), Some(v)) => {
            let weekly = phrase::per_week(i64::from(v.weekly_minutes.minutes()));
            format!("At your pace of {} ({weekly} earned): ends {end}", over(v))
        }
        _ => "No pace yet to forecast from: nothing earned in the last 4 weeks".to_string(),
    })
}

/// `Next week · Mon 01-11 – Sun 01-17: 13h30m of tasks in 13h30m of capacity (baseline 13h30m)`
fn next_line(n: &NextWeek) -> String {
    let mut line = format!(
        "Next week · {} – {}: {} of tasks in {} of capacity (the baseline planned {})",
        dates::short(n.from),
        dates::short(n.to),
        hours(n.scheduled_minutes),
        hours(n.capacity_minutes),
        hours(n.baseline_minutes)
    );
    if n.baseline_minutes > n.capacity_minutes {
        let _ = write!(line, ": {} short", hours(n.baseline_minutes.saturating_sub(n.capacity_minutes)));
    }
    line
}

/// Markdown-safe plan text: a `|` would end a table cell.
fn md(text: &str) -> String {
    text.replace('|', "\\|")
}
