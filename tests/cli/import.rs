//! `roadmap import`: a Markdown guide becomes a plan that the loader
//! accepts; the seed document round-trips (every URL, ✅ item, module and
//! numbered item); `--into` keeps the ids of matching items; the test guides
//! import with exact counts and start a learner's day; bad input is refused
//! with a message, quickly.

use super::builtin_plans::{seed_checks, seed_module_titles, seed_urls};
use super::support::{Sandbox, fixture, say_once};
use roadmap::core::plan::{Plan, load};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

/// Where the seed document sits: beside the project, as CI puts it.
const SEED: &str = "../shared/seed/roadmap-phases-4-6.zh.md";

/// The seed document, or `None` (said once) when it is not beside the project.
fn seed() -> Option<String> {
    static SAID: std::sync::Once = std::sync::Once::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            say_once(&SAID, &format!("import: the seed round trips not run: {SEED} is not beside the project"));
            None
        }
        Err(e) => panic!("the seed document {} cannot be read: {e}", path.display()),
    }
}

fn guide(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("guides/{name}"))).expect("a guide fixture")
}

/// Imports `text` (written as `name`) in the sandbox to `out`, with more
/// arguments; the JSON summary.
fn import(sandbox: &Sandbox, name: &str, text: &str, out: &str, more: &[&str]) -> Value {
    std::fs::write(sandbox.path(name), text).expect("write the guide");
    let mut args = vec!["import", name, "--out", out, "--json"];
    args.extend_from_slice(more);
    sandbox.json(&args)
}

fn load_out(sandbox: &Sandbox, out: &str) -> (Plan, String) {
    let text = std::fs::read_to_string(sandbox.path(out)).expect("the imported plan");
    let plan = load(out, text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}\n{text}"));
    (plan, text)
}

fn task_ids(plan: &Plan) -> Vec<(String, String)> {
    plan.tasks.iter().map(|t| (t.full_id.to_string(), t.title.to_string())).collect()
}

fn items(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| (i["id"].as_str().unwrap_or("").to_string(), i["title"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// `**N. TITLE**` paragraphs of the seed: the titles.
fn seed_bold_items(seed: &str) -> Vec<String> {
    seed.lines()
        .filter_map(|l| l.trim().strip_prefix("**").and_then(|l| l.strip_suffix("**")))
        .filter_map(|l| l.split_once(". ").filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit())))
        .map(|(_, t)| t.to_string())
        .collect()
}

/// `N. text` list items of the seed (outside code blocks): the text.
fn seed_numbered_lines(seed: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_code = false;
    for line in seed.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let Some((n, text)) = line.trim_start().split_once(". ") else { continue };
        if !in_code && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && !line.trim_start().starts_with("**") {
            lines.push(text.to_string());
        }
    }
    lines
}

#[test]
fn the_seed_imports_into_a_plan_with_everything_it_names() {
    let Some(seed) = seed() else { return };
    let sandbox = Sandbox::new();
    let summary = import(&sandbox, "seed.md", &seed, "seed.yaml", &[]);
    let (plan, text) = load_out(&sandbox, "seed.yaml");
    // Every URL, ✅ item, module title and numbered item.
    let urls: BTreeSet<&str> =
        plan.tasks.iter().flat_map(|t| &t.details().resources).filter_map(|r| r.url.as_deref()).collect();
    let want = seed_urls(&seed);
    assert_eq!(want.len(), 14);
    assert!(want.iter().all(|u| urls.contains(u.as_str())), "{want:#?} vs {urls:#?}");
    let deliverables: BTreeSet<&str> =
        plan.tasks.iter().flat_map(|t| &t.details().deliverables).map(|d| d.title.as_str()).collect();
    assert_eq!(deliverables, seed_checks(&seed).iter().map(String::as_str).collect());
    let modules: Vec<&str> = plan.modules.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(modules, seed_module_titles(&seed));
    let bold = seed_bold_items(&seed);
    assert_eq!(bold.len(), 14);
    let titles: Vec<&str> = plan.tasks.iter().map(|t| &*t.title).collect();
    assert_eq!(titles, bold);
    let numbered = seed_numbered_lines(&seed);
    assert_eq!(numbered.len(), 10, "{numbered:#?}");
    let missing: Vec<&String> = numbered.iter().filter(|n| !text.contains(n.as_str())).collect();
    assert!(missing.is_empty(), "numbered items not in the plan: {missing:#?}");
    // Three phases with their windows.
    let phases: Vec<(&str, &str, Option<&str>)> = plan
        .phases
        .iter()
        .map(|p| (p.id.as_str(), p.title.as_str(), p.duration.as_ref().map(|d| d.text.as_str())))
        .collect();
    assert_eq!(
        phases,
        [
            ("p4", "高阶项目与实习准备", Some("2-3个月")),
            ("p5", "实习与行业深耕", Some("3-6个月")),
            ("p6", "长期规划", Some("1-N年"))
        ]
    );
    // The three routines as habits.
    let habits: Vec<(&str, &str, u32, Option<&str>)> =
        plan.habits.iter().map(|h| (h.title.as_str(), h.every.text.as_str(), h.target, h.unit.as_deref())).collect();
    assert_eq!(
        habits,
        [
            ("每日2题（1道新题+1道复习）", "day", 2, Some("题")),
            ("每周一早晨速读arXiv最新论文（关注cs.CL、cs.LG分类）", "mon", 1, None),
            ("定期更新技术博客，打造个人品牌", "2 weeks", 1, None),
        ]
    );
    assert_eq!(plan.habits[0].phases, [0], "the daily routine is found in phase 4");
    // The two routes of phase 6 as tracks.
    let tracks: Vec<&str> = plan.tracks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(tracks, ["学术路线", "工业路线"]);
    let tracked: Vec<(&str, Option<&str>)> = plan.tasks.iter().map(|t| (&*t.full_id, t.track.as_deref())).collect();
    assert_eq!(
        &tracked[10..],
        [
            ("p6.m1.t1", Some("track1")),
            ("p6.m1.t2", Some("track1")),
            ("p6.m2.t1", Some("track2")),
            ("p6.m2.t2", Some("track2"))
        ]
    );
    assert!(tracked[..10].iter().all(|(_, t)| t.is_none()));
    // Every effort is an estimate, each phase fits its window.
    assert_eq!(summary["estimated"], 14);
    assert_eq!(text.matches("  # estimated\n").count(), 14 + 3, "14 tasks and 3 habits");
    let fits: Vec<&str> =
        summary["phases"].as_array().unwrap().iter().map(|p| p["fit"].as_str().unwrap_or("-")).collect();
    assert_eq!(fits, ["fits", "fits", "fits"]);
    let validate = sandbox.ok(&["validate", "seed.yaml"]);
    assert!(validate.contains("valid plan `seed`"), "{validate}");
}

#[test]
fn into_the_builtin_plan_keeps_the_ids_of_what_matches() {
    let Some(seed) = seed() else { return };
    let sandbox = Sandbox::new();
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/llm-career-4-6.zh.yaml");
    std::fs::copy(&builtin, sandbox.path("builtin.yaml")).expect("copy the built-in plan");
    let old = load("builtin", &std::fs::read(&builtin).expect("read")).expect("the built-in plan loads");
    let summary = import(&sandbox, "seed.md", &seed, "into.yaml", &["--into", "builtin.yaml"]);
    let (plan, _) = load_out(&sandbox, "into.yaml");
    let into = &summary["into"];
    assert_eq!(into["tasks_before"], 18);
    let matched: Vec<&str> = into["matched"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(matched.len(), 14);
    // Every task kept an id of the built-in plan, with its effort.
    for task in &plan.tasks {
        let was =
            old.tasks.iter().find(|t| t.full_id == task.full_id).unwrap_or_else(|| panic!("{} is new", task.full_id));
        assert_eq!(was.effort, task.effort, "{}", task.full_id);
    }
    let by: Vec<(&str, &str)> = into["matched"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["by"] != "title")
        .map(|m| (m["id"].as_str().unwrap(), m["by"].as_str().unwrap()))
        .collect();
    assert_eq!(by, [("p6.academic.paper-topic", "position")]);
    assert_eq!(items(&into["added"]), []);
    assert_eq!(
        items(&into["removed"]),
        pairs(&[
            ("p4.bridge.to-p5", "阶段4→5过渡"),
            ("p5.bridge.to-p6", "阶段5→6衔接"),
            ("p6.academic.paper-experiments", "顶会论文冲刺 · 第4-6月：实验设计+数据收集"),
            ("p6.academic.paper-writing", "顶会论文冲刺 · 第7-9月：论文撰写+投稿"),
        ])
    );
    assert_eq!(into["habits_matched"], 3);
    let habits: Vec<&str> = plan.habits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(habits, ["leetcode", "arxiv", "blog"]);
    let tracks: Vec<&str> = plan.tracks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tracks, ["academic", "industry"]);
    assert_eq!(plan.id, "llm-career-4-6");
}

/// The seed with a title reworded, a task added, one removed and a link changed.
fn edited(seed: &str) -> String {
    let reworded = seed.replacen("**2. MoE架构（Mixtral）**", "**2. MoE稀疏专家架构（Mixtral）**", 1);
    let added = reworded.replacen(
        "  - ✅ 在Hugging Face上部署Mixtral-Instruct并实现API服务\n",
        "  - ✅ 在Hugging Face上部署Mixtral-Instruct并实现API服务\n\n**3. 模型量化实践**\n\n- 用GPTQ把7B模型量化到4比特并比较困惑度\n",
        1,
    );
    let start = added.find("**2. 简历优化技巧**").expect("the resume task");
    let end = start + added[start..].find("\n---\n").expect("the end of module 2");
    let removed = format!("{}{}", &added[..start], &added[end..]);
    let relinked = removed.replacen("https://mlflow.org/", "https://mlflow.org/docs/latest/", 1);
    assert_ne!(relinked, removed);
    relinked
}

#[test]
fn re_importing_an_edited_seed_keeps_every_unchanged_id() {
    let Some(seed) = seed() else { return };
    let sandbox = Sandbox::new();
    import(&sandbox, "seed.md", &seed, "plan.yaml", &[]);
    let (before, _) = load_out(&sandbox, "plan.yaml");
    let summary = import(&sandbox, "edited.md", &edited(&seed), "plan.yaml", &["--into", "plan.yaml"]);
    let (after, text) = load_out(&sandbox, "plan.yaml");
    let into = &summary["into"];
    assert_eq!(items(&into["added"]), pairs(&[("p4.m1.t3", "模型量化实践")]));
    assert_eq!(items(&into["removed"]), pairs(&[("p4.m2.t2", "简历优化技巧")]));
    assert_eq!(into["matched"].as_array().unwrap().len(), 13);
    // Every task but the removed one has its id, title (or the new wording) and effort.
    let mut want: Vec<(String, String)> = task_ids(&before).into_iter().filter(|(id, _)| id != "p4.m2.t2").collect();
    want[1].1 = "MoE稀疏专家架构（Mixtral）".into();
    want.insert(2, ("p4.m1.t3".into(), "模型量化实践".into()));
    assert_eq!(task_ids(&after), want);
    for task in after.tasks.iter().filter(|t| t.full_id != "p4.m1.t3") {
        let old = before.tasks.iter().find(|t| t.full_id == task.full_id).expect("kept");
        assert_eq!(old.effort, task.effort, "{}", task.full_id);
    }
    let moe = after.tasks.iter().find(|t| t.full_id == "p4.m1.t2").expect("the reworded task");
    assert!(into["matched"].as_array().unwrap().iter().any(|m| m["id"] == "p4.m1.t2" && m["by"] == "position"));
    assert_eq!(moe.details().deliverables.len(), 2);
    assert!(text.contains("https://mlflow.org/docs/latest/") && !text.contains("\"https://mlflow.org/\""));
    assert_eq!(into["habits_matched"], 3);
}

/// `(phases, modules, tasks, links, deliverables, habits, ticked boxes)`.
type Counts = (usize, usize, usize, usize, usize, usize, usize);

const GUIDES: &[(&str, Counts)] = &[
    ("python-checklist.en.md", (2, 2, 6, 6, 10, 2, 1)),
    ("web-by-month.en.md", (3, 3, 7, 4, 6, 0, 0)),
    ("rust-no-bold.zh.md", (2, 2, 6, 3, 3, 2, 0)),
];

#[test]
fn each_test_guide_imports_with_its_exact_counts_and_starts_a_day() {
    for &(name, counts) in GUIDES {
        let sandbox = Sandbox::new();
        let summary = import(&sandbox, name, &guide(name), "plan.yaml", &[]);
        let (plan, _) = load_out(&sandbox, "plan.yaml");
        let got = (
            plan.phases.len(),
            plan.modules.len(),
            plan.tasks.len(),
            plan.tasks.iter().map(|t| t.details().resources.len()).sum::<usize>(),
            plan.tasks.iter().map(|t| t.details().deliverables.len()).sum::<usize>(),
            plan.habits.len(),
            summary["ticked"].as_array().unwrap().len(),
        );
        assert_eq!(got, counts, "{name}");
        assert_eq!(summary["links"], counts.3, "{name}");
        sandbox.ok(&["--plan", "plan.yaml", "init"]);
        let next = sandbox.ok(&["next"]);
        assert!(next.contains(&*plan.tasks[0].full_id), "{name}: {next}");
    }
}

#[test]
fn the_checkbox_guide_summary_says_what_was_found_and_guessed() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path("plan.md"), guide("python-checklist.en.md")).expect("write");
    let out = sandbox.ok(&["import", "plan.md"]);
    assert_eq!(
        out,
        "Imported plan.md into plan.yaml (plan python-for-data-analysis-a-10-week).
  levels: phases h2, tasks h3
  found: 2 phases, 2 modules, 6 tasks, 6 links, 10 deliverables, 2 habits, 0 tracks
  phase foundations Foundations: 3 tasks, 51h, window 4 weeks, ahead by 1 day at the default calendar
  phase data-tools Data tools: 3 tasks, 78h, window 6 weeks, fits at the default calendar
  habit solve-2-exercises-a-day-on-a-practice (every day): Solve 2 exercises a day on a practice site
  habit every-sunday-write-down-what-you (every sun): Every Sunday: write down what you learned this week
Guesses:
  - section \"Habits\" has no tasks: kept in the plan's summary
  - 6 task effort(s) estimated so that each phase fits its window at the default calendar (8h where a phase states none); each is marked `# estimated` in the plan
Ticked in the guide (mark them done with `roadmap done TASK --deliverable ID`):
  - foundations.m1.core-syntax: Install Python 3.12 and a virtual environment
Next: roadmap validate plan.yaml; roadmap init --plan plan.yaml
"
    );
    // The guide's `.yaml` is not overwritten by a second import.
    let again = sandbox.run(&["import", "plan.md"]);
    assert_eq!(again.code, 1);
    assert_eq!(
        again.stderr,
        "error: plan.yaml exists already\n  hint: name another file with --out, or update it with --into plan.yaml\n"
    );
}

#[test]
fn levels_override_and_standard_output() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path("g.md"), guide("web-by-month.en.md")).expect("write");
    let yaml = sandbox.ok(&["import", "g.md", "--out", "-", "--levels", "3"]);
    let plan = load("stdout", yaml.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((plan.phases.len(), plan.tasks.len()), (1, 7));
    assert_eq!(plan.phases[0].title, "Frontend developer roadmap");
    assert!(!sandbox.path("g.yaml").exists());
    let run = sandbox.run(&["import", "g.md", "--levels", "1,2,4"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: g.md: --levels h1,h2,h4: the guide has no section at h4\n  hint: leave --levels out to let the importer choose\n"
    );
    let run = sandbox.run(&["import", "g.md", "--effort", "5h", "--out", "five.yaml", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (plan, _) = load_out(&sandbox, "five.yaml");
    assert!(plan.tasks.iter().all(|t| t.effort.minutes() == 300));
}

#[test]
fn bad_guides_get_a_clear_message_quickly() {
    let sandbox = Sandbox::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "error: image.png is not a text file (a NUL byte at byte 8)\n  hint: import a Markdown (.md) file\n",
        ),
        (
            "latin1.md",
            b"# Plan\n## Caf\xe9\n".to_vec(),
            "error: latin1.md is not UTF-8 text: invalid bytes at line 2 (byte 13)\n  hint: save the guide as UTF-8 (e.g. `iconv -f GB18030 -t UTF-8 guide.md > guide-utf8.md`)\n",
        ),
        (
            "prose.md",
            b"Just some prose.\n\n- and\n- a list\n".to_vec(),
            "error: prose.md: the guide has no headings and no bold numbered paragraphs (`**1. …**`), so no tasks can be found in it\n  hint: give each task a heading (`## Topic`) or a bold numbered line (`**1. Topic**`)\n",
        ),
        (
            "huge.md",
            vec![b'a'; 20 * 1024 * 1024],
            "error: huge.md is 20971520 bytes, over the limit of 4 MiB for a guide\n  hint: import the part of it that is a learning guide, or split it into several guides\n",
        ),
    ];
    for (name, bytes, message) in cases {
        std::fs::write(sandbox.path(name), bytes).expect("write");
        let run = sandbox.roadmap().args(["import", name]).timeout(Duration::from_secs(20)).run();
        assert_eq!((run.code, run.stderr.as_str()), (1, message), "{name}");
        assert!(!sandbox.path(&name.replace(".md", ".yaml").replace(".png", ".yaml")).exists(), "{name}");
    }
    // A directory is not a guide.
    let run = sandbox.run(&["import", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: . is not a regular file"), "{}", run.stderr);
}

#[test]
fn one_giant_list_imports_in_bounded_time() {
    let sandbox = Sandbox::new();
    let mut text = String::from("# Everything\n\n## The list\n\n");
    for i in 0..60_000 {
        text.push_str(&format!("- item {i} [docs](https://example.com/{})\n", i % 40));
    }
    std::fs::write(sandbox.path("list.md"), &text).expect("write");
    let run = sandbox.roadmap().args(["import", "list.md", "--json"]).timeout(Duration::from_secs(60)).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!((summary["tasks"].as_u64(), summary["links"].as_u64()), (Some(1), Some(40)));
    let (plan, _) = load_out(&sandbox, "list.yaml");
    assert_eq!(plan.tasks[0].details().notes.as_deref().map(|n| n.lines().count()), Some(60_000));
    // The same list without a heading: no tasks to find.
    std::fs::write(sandbox.path("bare.md"), &text[text.find("- item").unwrap_or(0)..]).expect("write");
    let run = sandbox.roadmap().args(["import", "bare.md"]).timeout(Duration::from_secs(60)).run();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("has no headings"), "{}", run.stderr);
}
