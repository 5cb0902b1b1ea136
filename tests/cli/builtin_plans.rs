//! The shipped plans: each loads; the Chinese and English plans are the same
//! plan in two languages (every id, effort and dependency alike, so progress
//! carries over when a learner switches); and the Chinese plan covers the
//! seed document it was written from.

use roadmap::core::plan::builtin::BUILTINS;
use roadmap::core::plan::{Plan, load};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn plans_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("plans")
}

fn plan_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(plans_dir())
        .expect("plans/ exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    files.sort();
    files
}

fn load_file(path: &Path) -> Plan {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    load(&path.display().to_string(), &bytes).unwrap_or_else(|errors| panic!("{errors}"))
}

fn builtin(name: &str) -> Plan {
    let builtin = BUILTINS.iter().find(|b| b.name == name).unwrap_or_else(|| panic!("no built-in plan {name}"));
    load(builtin.name, builtin.text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}"))
}

#[test]
fn every_file_in_plans_loads() {
    let files = plan_files();
    assert!(!files.is_empty(), "plans/ holds no plan");
    for path in files {
        let plan = load_file(&path);
        assert!(!plan.tasks.is_empty(), "{} has no task", path.display());
    }
}

#[test]
fn every_file_in_plans_is_built_in_and_the_same() {
    let files = plan_files();
    assert_eq!(files.len(), BUILTINS.len(), "plans/ and BUILTINS list different plans");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("plans are UTF-8");
        let name = path.file_stem().expect("a file name").to_string_lossy();
        let builtin = BUILTINS.iter().find(|b| b.name == name).unwrap_or_else(|| panic!("{name} is not built in"));
        assert!(builtin.text == text, "the built-in {name} differs from {}", path.display());
    }
}

/// Everything about a plan that does not depend on its language, one line
/// per item, in plan order.
fn skeleton(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(format!("plan {}", plan.id));
    let review = plan.review.as_ref().map(|r| (r.effort.minutes(), r.retention));
    lines.push(format!("review {review:?}"));
    for track in &plan.tracks {
        lines.push(format!("track {}", track.id));
    }
    for phase in &plan.phases {
        let duration = phase.duration.as_ref().map(|w| (w.low, w.high, w.unit));
        lines.push(format!(
            "phase {} duration {duration:?} modules {:?} tasks {:?}",
            phase.id, phase.modules, phase.tasks
        ));
    }
    for module in &plan.modules {
        let phase = &plan.phases[module.phase].id;
        lines.push(format!("module {phase}.{} tasks {:?}", module.id, module.tasks));
    }
    for task in &plan.tasks {
        let after: Vec<&str> = task.after.iter().map(|&i| &*plan.tasks[i].full_id).collect();
        let deliverables: Vec<(Option<&str>, &str)> =
            task.details().deliverables.iter().map(|d| (d.id.as_deref(), d.key())).collect();
        let urls: Vec<Option<&str>> = task.details().resources.iter().map(|r| r.url.as_deref()).collect();
        lines.push(format!(
            "task {} ({}) effort {} after {after:?} track {:?} review {} tags {:?} deliverables {deliverables:?} urls {urls:?}",
            task.full_id,
            task.id(),
            task.effort.minutes(),
            task.track,
            task.review,
            task.tags,
        ));
    }
    for habit in &plan.habits {
        let phases: Vec<&str> = habit.phases.iter().map(|&p| plan.phases[p].id.as_str()).collect();
        lines.push(format!(
            "habit {} every {:?} target {} effort {} phases {phases:?}",
            habit.id,
            habit.every.rule,
            habit.target,
            habit.effort.minutes(),
        ));
    }
    lines
}

#[test]
fn zh_and_en_plans_have_the_same_structure_and_ids() {
    let zh = skeleton(&builtin("llm-career-4-6.zh"));
    let en = skeleton(&builtin("llm-career-4-6.en"));
    let differences: Vec<String> =
        zh.iter().zip(&en).filter(|(z, e)| z != e).map(|(z, e)| format!("  zh: {z}\n  en: {e}")).collect();
    assert!(differences.is_empty(), "the zh and en plans differ:\n{}", differences.join("\n"));
    assert_eq!(zh.len(), en.len(), "the zh and en plans differ in length:\nzh: {zh:#?}\nen: {en:#?}");
}

#[test]
fn the_comparison_notices_a_changed_effort_or_dependency() {
    let en = BUILTINS.iter().find(|b| b.name == "llm-career-4-6.en").expect("the en plan is built in");
    let original = skeleton(&load("en", en.text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}")));
    for (from, to) in [
        ("effort: 22h", "effort: 23h"),
        ("after: [p4.frontier.agent]", "after: [p4.frontier.moe]"),
        ("  effort: 20m\n", "  effort: 25m\n"),
        ("effort: 40h\n            review: false\n", "effort: 40h\n"),
    ] {
        assert_eq!(en.text.matches(from).count(), 1, "{from}");
        let changed = en.text.replace(from, to);
        let changed = skeleton(&load("en", changed.as_bytes()).unwrap_or_else(|errors| panic!("{errors}")));
        assert_ne!(original, changed, "replacing {from} with {to} went unnoticed");
    }
}

#[test]
fn every_deliverable_of_the_builtin_plans_has_an_id() {
    // Progress on a deliverable without an id is keyed by its text, which
    // differs between the languages.
    for builtin in BUILTINS {
        let plan = load(builtin.name, builtin.text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}"));
        for task in &plan.tasks {
            for d in &task.details().deliverables {
                assert!(d.id.is_some(), "{}: a deliverable of {} has no id: {}", builtin.name, task.full_id, d.title);
            }
        }
    }
}

// Seed coverage: the zh plan was written from the seed document and must
// keep everything it names.

/// Where the seed document sits: beside the project, as CI puts it.
const SEED: &str = "../shared/seed/roadmap-phases-4-6.zh.md";

/// The seed document, or `None` (said once, on the real stderr) when a
/// fresh clone has no `../shared` beside it: the four seed checks then pass
/// without running. `.ci/run` refuses to start without the document, so CI
/// always runs them.
fn seed() -> Option<String> {
    static SAID: std::sync::Once = std::sync::Once::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            super::support::say_once(
                &SAID,
                &format!("seed coverage: 4 checks not run: {SEED} is not beside the project (CI copies it there)"),
            );
            None
        }
        Err(e) => panic!("the seed document {} cannot be read: {e}", path.display()),
    }
}

/// Every `](http…)` link target of the seed, in order.
pub(crate) fn seed_urls(seed: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = seed;
    while let Some(start) = rest.find("](http") {
        let after = &rest[start + 2..];
        let end = after.find(')').expect("a link target ends with `)`");
        urls.push(after[..end].to_string());
        rest = &after[end..];
    }
    urls
}

/// The text after ✅ on every line that has one.
pub(crate) fn seed_checks(seed: &str) -> Vec<String> {
    seed.lines().filter_map(|line| line.split_once('✅')).map(|(_, text)| text.trim().to_string()).collect()
}

/// `#### **模块N：TITLE**` headings, and the `#### **TITLE**` ones of 阶段6.
pub(crate) fn seed_module_titles(seed: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut in_phase_6 = false;
    for line in seed.lines() {
        if line.starts_with("### ") {
            in_phase_6 = line.contains("阶段6");
            continue;
        }
        let Some(heading) = line.strip_prefix("#### **").and_then(|h| h.trim_end().strip_suffix("**")) else {
            continue;
        };
        if let Some(title) = heading.strip_prefix("模块").and_then(|h| h.split_once('：')).map(|(_, t)| t) {
            titles.push(title.trim().to_string());
        } else if in_phase_6 {
            titles.push(heading.trim().to_string());
        }
    }
    titles
}

fn missing(wanted: &[String], have: &BTreeSet<&str>) -> Vec<String> {
    wanted.iter().filter(|w| !have.contains(w.as_str())).cloned().collect()
}

#[test]
fn the_seed_scan_finds_what_the_seed_holds() {
    // Guards the scans below against silently finding nothing.
    let Some(seed) = seed() else { return };
    let urls = seed_urls(&seed);
    assert_eq!(urls.len(), 14, "{urls:#?}");
    assert_eq!(urls[0], "https://arxiv.org/abs/2401.04088");
    assert_eq!(
        seed_checks(&seed),
        ["对比MoE与稠密模型在相同算力下的吞吐量差异", "在Hugging Face上部署Mixtral-Instruct并实现API服务"]
    );
    assert_eq!(
        seed_module_titles(&seed),
        [
            "前沿技术深度实践",
            "求职准备策略",
            "开源贡献实操",
            "工程化能力提升",
            "业务与行业认知",
            "学术路线深度规划",
            "工业路线发展路径",
        ]
    );
}

#[test]
fn every_seed_url_is_a_resource_of_the_zh_plan() {
    let Some(seed) = seed() else { return };
    let plan = builtin("llm-career-4-6.zh");
    let urls: BTreeSet<&str> =
        plan.tasks.iter().flat_map(|t| &t.details().resources).filter_map(|r| r.url.as_deref()).collect();
    let missing = missing(&seed_urls(&seed), &urls);
    assert!(missing.is_empty(), "seed links that no resource of the zh plan has: {missing:#?}");
}

#[test]
fn every_seed_check_item_is_a_deliverable_of_the_zh_plan() {
    let Some(seed) = seed() else { return };
    let plan = builtin("llm-career-4-6.zh");
    let titles: BTreeSet<&str> =
        plan.tasks.iter().flat_map(|t| &t.details().deliverables).map(|d| d.title.as_str()).collect();
    let missing = missing(&seed_checks(&seed), &titles);
    assert!(missing.is_empty(), "seed ✅ items that no deliverable of the zh plan has: {missing:#?}");
}

#[test]
fn every_seed_module_is_a_module_of_the_zh_plan() {
    let Some(seed) = seed() else { return };
    let plan = builtin("llm-career-4-6.zh");
    let titles: BTreeSet<&str> = plan.modules.iter().map(|m| m.title.as_str()).collect();
    let missing = missing(&seed_module_titles(&seed), &titles);
    assert!(missing.is_empty(), "seed modules that the zh plan lacks: {missing:#?}");
}
