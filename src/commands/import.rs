//! `roadmap import GUIDE.md [--out PLAN.yaml] [--id SLUG] [--lang zh|en]
//! [--levels …] [--into EXISTING.yaml] [--effort 8h]`: a Markdown guide
//! becomes a plan file. The guide is read and the plan written through the
//! shell; the import itself is pure (`core::import`). The plan is loaded
//! with the project's own loader before it is written: a plan the loader
//! refuses is the importer's bug, and nothing is written.

use super::{emit, style_of};
use crate::core::calendar::{Calendar, WeekHours};
use crate::core::effort::Effort;
use crate::core::import::{self, Imported, Options, rank_name};
use crate::core::outlook::Outlook;
use crate::core::plan::{self, Plan};
use crate::core::schedule::Work;
use crate::render::import::{self as screen, HabitRow, ImportView, IntoView, Level, PhaseRow};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::files;
use crate::shell::plan_source::read_plan_file;
use std::path::{Path, PathBuf};

/// The command line of one import.
#[derive(Debug)]
pub(crate) struct Request {
    pub guide: PathBuf,
    pub out: Option<PathBuf>,
    pub id: Option<String>,
    pub lang: Option<String>,
    pub levels: Option<String>,
    pub into: Option<PathBuf>,
    pub effort: Option<String>,
}

pub(crate) fn run(ctx: &Ctx, request: Request, as_json: bool) -> Result<String> {
    let options = options(&request)?;
    let existing = match &request.into {
        Some(path) => Some(plan::load(&path.display().to_string(), &read_plan_file(path)?)?),
        None => None,
    };
    let text = files::read_guide(&request.guide)?;
    let imported = import::import(&text, &options, existing.as_ref()).map_err(|e| {
        let hint = match e {
            import::ImportError::NoSections => {
                "give each task a heading (`## Topic`) or a bold numbered line (`**1. Topic**`)"
            }
            import::ImportError::MissingLevel { .. } => "leave --levels out to let the importer choose",
        };
        Error::refused(format!("{}: {e}", request.guide.display())).with_hint(hint)
    })?;
    let out = out_path(&request)?;
    let label = out.as_ref().map_or("the imported plan".to_string(), |p| p.display().to_string());
    let plan = plan::load(&label, imported.yaml.as_bytes()).map_err(|errors| {
        Error::refused(format!(
            "the plan imported from {} does not load (a bug of the importer; nothing was written):\n{errors}",
            request.guide.display()
        ))
        .with_hint("please report it with the guide; --levels may give a plan that loads meanwhile")
    })?;
    let Some(out) = out else { return Ok(imported.yaml) };
    files::write_file(&out, imported.yaml.as_bytes())?;
    let view = view(&request, &out, &imported, &plan, ctx);
    Ok(emit(&view, as_json, |v| screen::text(v, style_of(ctx))))
}

fn options(request: &Request) -> Result<Options> {
    if let Some(id) = &request.id
        && !plan::is_slug(id)
    {
        return Err(
            Error::option("--id", format!("`{id}` is not a slug")).with_hint("use a-z, 0-9 and '-', e.g. ml-roadmap")
        );
    }
    if let Some(lang) = &request.lang
        && lang != "zh"
        && lang != "en"
    {
        return Err(Error::option("--lang", format!("`{lang}` is not zh or en")));
    }
    let levels = match &request.levels {
        Some(text) => Some(import::parse_levels(text).map_err(|e| Error::option("--levels", e))?),
        None => None,
    };
    let effort = match &request.effort {
        Some(text) => Some(Effort::parse(text).map_err(|e| Error::option("--effort", e.message))?),
        None => None,
    };
    if effort.is_some_and(Effort::is_zero) {
        return Err(Error::option("--effort", "must be more than zero"));
    }
    let name = request.guide.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Options { name, id: request.id.clone(), lang: request.lang.clone(), levels, effort })
}

/// Where the plan goes (`None`: standard output). Without --out: the
/// --into file (re-importing updates it), else the guide with `.yaml`,
/// which must not exist yet.
fn out_path(request: &Request) -> Result<Option<PathBuf>> {
    if request.out.as_deref() == Some(Path::new("-")) {
        return Ok(None);
    }
    if let Some(out) = &request.out {
        return Ok(Some(out.clone()));
    }
    if let Some(into) = &request.into {
        return Ok(Some(into.clone()));
    }
    let out = request.guide.with_extension("yaml");
    if files::exists(&out) {
        return Err(Error::refused(format!("{} exists already", out.display()))
            .with_hint(format!("name another file with --out, or update it with --into {}", out.display())));
    }
    Ok(Some(out))
}

fn view(request: &Request, out: &Path, imported: &Imported, plan: &Plan, ctx: &Ctx) -> ImportView {
    let roles: &[&'static str] = match imported.levels.len() {
        3 => &["phases", "modules", "tasks"],
        2 => &["phases", "tasks"],
        _ => &["tasks"],
    };
    let levels =
        roles.iter().zip(&imported.levels).map(|(role, &rank)| Level { role, level: rank_name(rank) }).collect();
    let fits = fits(plan, ctx);
    ImportView {
        guide: request.guide.display().to_string(),
        out: out.display().to_string(),
        id: plan.id.clone(),
        title: plan.title.clone(),
        lang: plan.lang.clone(),
        levels,
        phases: phase_rows(plan, &fits),
        modules: plan.modules.len(),
        tasks: plan.tasks.len(),
        habits: habit_rows(plan),
        tracks: plan.tracks.iter().map(|t| t.id.clone()).collect(),
        links: imported.links,
        deliverables: plan.tasks.iter().map(|t| t.details().deliverables.len()).sum(),
        estimated: imported.estimated,
        ticked: imported.ticked.clone(),
        guesses: imported.guesses.clone(),
        into: request
            .into
            .as_ref()
            .zip(imported.changes.as_ref())
            .map(|(file, changes)| IntoView { file: file.display().to_string(), changes: changes.clone() }),
    }
}

/// The plan's phases, with their effort and fit.
fn phase_rows(plan: &Plan, fits: &[Option<String>]) -> Vec<PhaseRow> {
    let row = |(p, phase): (usize, &crate::core::plan::Phase)| PhaseRow {
        id: phase.id.clone(),
        title: phase.title.clone(),
        duration: phase.duration.as_ref().map(|d| d.text.clone()),
        tasks: phase.tasks.len(),
        effort_minutes: plan.phase_effort(p, |_| true).minutes(),
        fit: fits.get(p).cloned().flatten(),
    };
    plan.phases.iter().enumerate().map(row).collect()
}

/// The routines found, as habits.
fn habit_rows(plan: &Plan) -> Vec<HabitRow> {
    plan.habits
        .iter()
        .map(|h| HabitRow { id: h.id.clone(), title: h.title.clone(), every: h.every.text.clone() })
        .collect()
}

/// Each phase's fit at the default calendar from today, as `validate` says it.
fn fits(plan: &Plan, ctx: &Ctx) -> Vec<Option<String>> {
    let calendar = Calendar::new(ctx.today, WeekHours::DEFAULT);
    let work: Vec<Work> = plan.tasks.iter().map(|t| Work::Open { remaining: t.effort, first: None }).collect();
    match Outlook::with_calendar(plan, &calendar, work, ctx.today) {
        Ok(outlook) => (0..plan.phases.len()).map(|p| outlook.fit(p).map(|fit| fit.to_string())).collect(),
        Err(_) => Vec::new(),
    }
}
