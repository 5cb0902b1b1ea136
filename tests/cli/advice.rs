//! Advice that works: every command line a message advises, run as printed,
//! acts on the item the message names. The walk drives, for every task and
//! habit of both built-in plans, each message that advises a command (the
//! confirmations of `done`, `skip` and `log`, the refusals of `start` on a
//! done task, of a deliverable number out of range, of a habit where a task
//! is expected, and `show` of a habit), takes every `roadmap …` line out of
//! it and runs it against the same state.

use crate::support::Sandbox;
use roadmap::core::plan::builtin::BUILTINS;
use roadmap::core::plan::{Item, Plan, load};
use serde_json::Value;

const START: &str = "2027-01-04";
/// Late enough that a task's whole estimate can be logged, 20 h a day.
const TODAY: &str = "2027-03-31";

fn plan(name: &str) -> Plan {
    let builtin = BUILTINS.iter().find(|b| b.name == name).expect("a built-in plan");
    load(builtin.name, builtin.text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}"))
}

/// The command lines advised in `text` that name an item: each `roadmap …`
/// inside backticks or parentheses whose command takes a task or habit and
/// that names one, as words (without `roadmap`). A command named alone
/// (`roadmap log` takes a task) or one that names no item (`roadmap list`)
/// is not such advice; placeholders in capitals (`TASK`, `DATE`) and `…`
/// mark a form to fill in, not a line to run.
fn advised(text: &str) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    for (open, close) in [('`', '`'), ('(', ')')] {
        let mut rest = text;
        while let Some(at) = rest.find(&format!("{open}roadmap ")) {
            let after = &rest[at + open.len_utf8() + "roadmap ".len()..];
            let Some(end) = after.find(close) else { break };
            let words: Vec<String> = after[..end].split_whitespace().map(str::to_string).collect();
            let placeholder =
                words.iter().any(|w| w.contains('…') || (w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase())));
            let item_command =
                words.len() >= 2 && ["done", "log", "start", "skip", "reopen", "show"].contains(&words[0].as_str());
            if item_command && !placeholder {
                lines.push(words);
            }
            rest = &after[end..];
        }
    }
    lines
}

/// What an item is in the state's events: a task's full id or a habit's id.
fn named(plan: &Plan, item: Item) -> String {
    match item {
        Item::Task(i) => plan.tasks[i].full_id.to_string(),
        Item::Habit(h) => plan.habits[h].id.clone(),
    }
}

/// Runs every line advised in `message` and checks each acts on `item`: a
/// recording command appends events about it alone; `show` shows it.
/// Returns how many lines were run.
fn run_advice(sandbox: &Sandbox, plan: &Plan, item: Item, message: &str) -> usize {
    let lines = advised(message);
    let want = named(plan, item);
    for words in &lines {
        let before = sandbox.events().len();
        let run = sandbox.on(TODAY).args(words).run();
        let line = format!("roadmap {}", words.join(" "));
        assert_eq!(run.code, 0, "`{line}`, advised in\n{message}\nfailed:\n{}{}", run.stdout, run.stderr);
        match words[0].as_str() {
            "show" => {
                let first = run.stdout.lines().next().unwrap_or_default();
                assert!(
                    first.split_whitespace().any(|w| w == want),
                    "`{line}` (advised in\n{message}\n) shows something else than {want}:\n{}",
                    run.stdout
                );
            }
            "done" | "log" | "start" | "skip" | "reopen" => {
                let events = sandbox.events();
                let new = &events[before..];
                assert!(!new.is_empty(), "`{line}` (advised in\n{message}\n) recorded nothing:\n{}", run.stdout);
                for event in new {
                    let about = event.get("task").or_else(|| event.get("habit")).and_then(Value::as_str);
                    assert_eq!(about, Some(want.as_str()), "`{line}`, advised in\n{message}\nrecorded {event}");
                }
            }
            other => panic!("an advised command this walk does not know: `roadmap {other}` in\n{message}"),
        }
    }
    lines.len()
}

fn message(run: &crate::support::Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

fn sandbox(plan_name: &str) -> Sandbox {
    let sandbox = Sandbox::new().dated(TODAY);
    sandbox.ok(&["--plan", plan_name, "init", "--start", START]);
    sandbox
}

/// Each task through every message about it that advises a command; the
/// number of advised lines run.
fn walk_task(plan_name: &str, plan: &Plan, i: usize) -> usize {
    let sandbox = sandbox(plan_name);
    let number = (i + 1).to_string();
    let task = &plan.tasks[i];
    let item = Item::Task(i);
    let mut ran = 0;

    // `skip` advises `reopen`.
    let run = sandbox.on(TODAY).args(["skip", &number]).run();
    assert_eq!(run.code, 0, "{}", message(&run));
    ran += run_advice(&sandbox, plan, item, &message(&run));

    // `log` until the estimate is used up advises `done`.
    let (mut logged, mut day) = (0u32, chrono::NaiveDate::parse_from_str(START, "%Y-%m-%d").expect("a date"));
    let mut last = String::new();
    while logged < task.effort.minutes() {
        let minutes = (task.effort.minutes() - logged).min(20 * 60);
        let run = sandbox.on(TODAY).args(["log", &number, &format!("{minutes}m"), "--on", &day.to_string()]).run();
        assert_eq!(run.code, 0, "{}", message(&run));
        (logged, last) = (logged + minutes, message(&run));
        day = day.succ_opt().expect("a day");
    }
    assert!(last.contains("The estimate is used up"), "{last}");
    ran += run_advice(&sandbox, plan, item, &last);

    // `start` of a done task advises `reopen` first.
    let run = sandbox.on(TODAY).args(["start", &number]).run();
    assert_eq!(run.code, 1, "{}", message(&run));
    ran += run_advice(&sandbox, plan, item, &message(&run));

    // `done` of a task with deliverables advises checking the first; a
    // number out of range advises `show`.
    let run = sandbox.on(TODAY).args(["done", &number]).run();
    assert_eq!(run.code, 0, "{}", message(&run));
    let advice = run_advice(&sandbox, plan, item, &message(&run));
    assert_eq!(advice, usize::from(!task.details().deliverables.is_empty()), "{}", message(&run));
    ran += advice;
    if !task.details().deliverables.is_empty() {
        let run = sandbox.on(TODAY).args(["done", &number, "--deliverable", "99"]).run();
        assert_eq!(run.code, 2, "{}", message(&run));
        ran += run_advice(&sandbox, plan, item, &message(&run));
    }
    ran
}

/// Each habit through the commands that take a task: the refusal names the
/// task meant (when the habit's id is a task's short id) and the habit's
/// check-in, and every line it advises acts on what it names. `show` of
/// the habit names the task too.
fn walk_habit(plan_name: &str, plan: &Plan, h: usize) -> usize {
    let sandbox = sandbox(plan_name);
    let id = plan.habits[h].id.clone();
    let meant = plan.tasks_meant(&id);
    let mut ran = 0;
    let commands: [&[&str]; 5] =
        [&["log", &id, "1h"], &["start", &id], &["skip", &id], &["reopen", &id], &["done", &id, "--deliverable", "1"]];
    for args in commands {
        let run = sandbox.on(TODAY).args(args).run();
        assert_eq!(run.code, 2, "{args:?}: {}", message(&run));
        let text = message(&run);
        for words in advised(&text) {
            // Each line names either the habit (its check-in) or the task meant.
            let target = match plan.lookup(&words[1]).expect("an advised reference resolves") {
                Item::Habit(_) => Item::Habit(h),
                Item::Task(i) => {
                    assert_eq!(meant, [i], "{args:?} advises a task it does not name: {text}");
                    assert!(text.contains(&*plan.tasks[i].full_id), "{text}");
                    Item::Task(i)
                }
            };
            ran += run_advice(&sandbox, plan, target, &format!("`roadmap {}`", words.join(" ")));
        }
        if let [i] = meant.as_slice() {
            assert!(text.contains(&format!("did you mean task {} {}", i + 1, plan.tasks[*i].full_id)), "{text}");
        }
    }
    let shown = sandbox.on(TODAY).args(["show", &id]).ok();
    for &i in meant.iter().filter(|&&i| plan.tasks[i].full_id.ends_with(&format!(".{id}"))) {
        assert!(shown.contains(&format!("see also task {} {}", i + 1, plan.tasks[i].full_id)), "{shown}");
        ran += run_advice(&sandbox, plan, Item::Task(i), &shown);
    }
    ran
}

#[test]
fn every_advised_command_of_both_builtin_plans_acts_on_the_item_it_names() {
    for name in ["llm-career-4-6.zh", "llm-career-4-6.en"] {
        let plan = plan(name);
        let tasks: usize = (0..plan.tasks.len()).map(|i| walk_task(name, &plan, i)).sum();
        let habits: usize = (0..plan.habits.len()).map(|h| walk_habit(name, &plan, h)).sum();
        // Each task advises reopen twice and done once, plus two lines per
        // task with deliverables; each habit its check-in five times.
        let with_deliverables = plan.tasks.iter().filter(|t| !t.details().deliverables.is_empty()).count();
        assert_eq!(tasks, 3 * plan.tasks.len() + 2 * with_deliverables, "{name}");
        assert!(habits >= 5 * plan.habits.len(), "{name}: {habits}");
    }
}

/// The reproductions of the issue, on the built-in plan: habit `leetcode`,
/// task 3 `p4.jobprep.leetcode`.
#[test]
fn the_leetcode_task_is_reached_by_what_the_tool_advises() {
    let sandbox = sandbox("llm-career-4-6.zh");
    let log = sandbox.on(TODAY).args(["log", "3", "12h"]).ok();
    assert!(log.contains("The estimate is used up: `roadmap done jobprep.leetcode` when it is finished."), "{log}");

    let refused = sandbox.on(TODAY).args(["log", "leetcode", "1h"]).run();
    assert_eq!(refused.code, 2);
    assert_eq!(
        refused.stderr,
        "error: `leetcode` is the habit leetcode; `roadmap log` takes a task\n  hint: did you mean task 3 p4.jobprep.leetcode (LeetCode高效刷题)? `roadmap log jobprep.leetcode 1h` is for it; `roadmap done leetcode` checks in the habit\n"
    );

    let done = sandbox.on(TODAY).args(["done", "3"]).ok();
    assert!(done.contains("(roadmap done jobprep.leetcode --deliverable 1)"), "{done}");
    sandbox.on(TODAY).args(["done", "jobprep.leetcode", "--deliverable", "1"]).ok();
    let last = sandbox.events().pop().expect("an event");
    assert_eq!(last["kind"], "deliverable");
    assert_eq!(last["task"], "p4.jobprep.leetcode");

    let shown = sandbox.on(TODAY).args(["show", "leetcode"]).ok();
    assert!(
        shown.ends_with("  see also task 3 p4.jobprep.leetcode  LeetCode高效刷题 (`roadmap show jobprep.leetcode`)\n"),
        "{shown}"
    );
    let json = sandbox.on(TODAY).args(["show", "leetcode", "--json"]).json();
    assert_eq!(json["see_also"][0]["id"], "p4.jobprep.leetcode");
    assert_eq!(json["see_also"][0]["reference"], "jobprep.leetcode");
}

#[test]
fn a_reference_is_the_shortest_id_suffix_that_resolves_back() {
    let plan = plan("llm-career-4-6.zh");
    let leetcode = plan.task_index("p4.jobprep.leetcode").expect("the task");
    assert_eq!(plan.reference(Item::Task(leetcode)), "jobprep.leetcode");
    let moe = plan.task_index("p4.frontier.moe").expect("the task");
    assert_eq!(plan.reference(Item::Task(moe)), "moe");
    let habit = plan.habit_index("leetcode").expect("the habit");
    assert_eq!(plan.reference(Item::Habit(habit)), "leetcode");
    for (name, plan) in ["llm-career-4-6.zh", "llm-career-4-6.en"].map(|n| (n, self::plan(n))) {
        for i in 0..plan.tasks.len() {
            let reference = plan.reference(Item::Task(i));
            assert_eq!(plan.lookup(&reference), Ok(Item::Task(i)), "{name}: {reference}");
            assert!(plan.tasks[i].full_id.ends_with(&reference), "{name}: {reference}");
        }
    }
}

#[test]
fn a_short_id_taken_by_a_list_number_or_a_habit_falls_back_to_a_longer_suffix() {
    let text = "format: 1\nid: x\ntitle: X\nhabits:\n  - {id: b, title: Habit B, every: day}\nphases:\n  - id: p1\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n          - {id: '2', title: Two, effort: 1h}\n          - {id: b, title: Bee, effort: 1h}\n          - {id: c, title: Cee, effort: 1h}\n";
    let plan = load("x", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.reference(Item::Task(0)), "m.2");
    assert_eq!(plan.reference(Item::Task(1)), "m.b");
    assert_eq!(plan.reference(Item::Task(2)), "c");
}

/// The calendar export's descriptions advise `roadmap done ID` for each
/// task and habit: each line, run, records about the id it names.
#[test]
fn the_calendar_exports_advice_acts_on_the_item_it_names() {
    for name in ["llm-career-4-6.zh", "llm-career-4-6.en"] {
        let plan = plan(name);
        let sandbox = sandbox(name);
        let ics = sandbox.on(START).args(["export", "ics"]).ok().replace("\r\n ", "").replace("\\n", "\n");
        let mut ids: Vec<String> = ics
            .match_indices("roadmap done ")
            .map(|(at, _)| {
                let rest = &ics[at + "roadmap done ".len()..];
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').collect()
            })
            .collect();
        ids.sort();
        ids.dedup();
        assert!(ids.len() > plan.habits.len(), "{name}: {ids:?}");
        for id in &ids {
            let item = plan.lookup(id).unwrap_or_else(|e| panic!("{name}: `roadmap done {id}`: {e}"));
            assert_eq!(&named(&plan, item), id, "{name}: `roadmap done {id}` names something else");
            let before = sandbox.events().len();
            sandbox.on(TODAY).args(["done", id]).ok();
            let events = sandbox.events();
            let about =
                events[before..].iter().map(|e| e.get("task").or_else(|| e.get("habit")).and_then(Value::as_str));
            assert!(about.clone().all(|a| a == Some(id.as_str())) && about.count() == 1, "{name}: {id}");
        }
    }
}

/// "did you mean …?" is advice too: for a typo of every task's and habit's
/// id, each suggestion resolves to one item, and `show` of it shows that item.
#[test]
fn every_suggestion_for_a_typo_names_one_item() {
    for name in ["llm-career-4-6.zh", "llm-career-4-6.en"] {
        let plan = plan(name);
        let sandbox = sandbox(name);
        let typos =
            plan.tasks.iter().map(|t| format!("{}x", t.id())).chain(plan.habits.iter().map(|h| format!("{}x", h.id)));
        for typo in typos {
            let run = sandbox.on(TODAY).args(["show", &typo]).run();
            assert_eq!(run.code, 1, "{typo}: {}", run.stderr);
            let hint = run.stderr.split("hint: ").nth(1).unwrap_or_default();
            let suggestions: Vec<&str> = hint.split('`').skip(1).step_by(2).collect();
            assert!(!suggestions.is_empty(), "{typo}: {}", run.stderr);
            for s in suggestions {
                let item = plan.lookup(s).unwrap_or_else(|e| panic!("{name}: `{s}` suggested for `{typo}`: {e}"));
                let shown = sandbox.on(TODAY).args(["show", s]).ok();
                let first = shown.lines().next().unwrap_or_default().to_string();
                assert!(first.split_whitespace().any(|w| w == named(&plan, item)), "{name}: {s}: {first}");
            }
        }
    }
    let plan = plan("llm-career-4-6.zh");
    let sandbox = sandbox("llm-career-4-6.zh");
    assert_eq!(
        sandbox.on(TODAY).args(["done", "leetcodx"]).run().stderr,
        "error: no task or habit matches `leetcodx`\n  hint: did you mean `jobprep.leetcode` or `leetcode`?\n"
    );
    assert!(plan.habit_index("leetcode").is_some());
}

/// A plan of `ids` (module, task) and habits, ids from a small alphabet so
/// that suffixes, numbers and habit ids collide.
fn colliding_plan(tasks: &[(String, String)], habits: &[String]) -> Option<Plan> {
    let mut text = String::from("format: 1\nid: x\ntitle: X\n");
    if !habits.is_empty() {
        text.push_str("habits:\n");
        for h in habits {
            text.push_str(&format!("  - {{id: '{h}', title: 'Habit {h}', every: day}}\n"));
        }
    }
    text.push_str("phases:\n  - id: p\n    title: P\n    modules:\n");
    let mut modules: Vec<&String> = tasks.iter().map(|(m, _)| m).collect();
    modules.sort();
    modules.dedup();
    for m in modules {
        text.push_str(&format!("      - id: '{m}'\n        title: 'M {m}'\n        tasks:\n"));
        for (_, t) in tasks.iter().filter(|(tm, _)| tm == m) {
            text.push_str(&format!("          - {{id: '{t}', title: 'Task {m} {t}', effort: 1h}}\n"));
        }
    }
    load("x", text.as_bytes()).ok()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Whatever the ids, the reference of every task and habit resolves
    /// back to it, and a task's is a suffix of its full id.
    #[test]
    fn every_reference_resolves_back_to_its_item(
        tasks in proptest::collection::vec(("[ab1]", "[ab12]{1,2}"), 1..8),
        habits in proptest::collection::vec("[ab12]{1,2}", 0..3),
    ) {
        // Plans the loader refuses (a duplicate id) are not plans.
        let Some(plan) = colliding_plan(&tasks, &habits) else { return Ok(()) };
        for i in 0..plan.tasks.len() {
            let reference = plan.reference(Item::Task(i));
            proptest::prop_assert_eq!(plan.lookup(&reference), Ok(Item::Task(i)), "{}", reference);
            proptest::prop_assert!(plan.tasks[i].full_id.ends_with(&reference));
            // The shortest suffix that `lookup` resolves back, by `lookup`.
            let full = &plan.tasks[i].full_id;
            let shortest = [2, 1]
                .iter()
                .filter_map(|&dots| full.splitn(dots + 1, '.').last())
                .chain(std::iter::once(&**full))
                .find(|s| plan.lookup(s) == Ok(Item::Task(i)));
            proptest::prop_assert_eq!(Some(reference.as_str()), shortest);
        }
        for h in 0..plan.habits.len() {
            let reference = plan.reference(Item::Habit(h));
            proptest::prop_assert_eq!(plan.lookup(&reference), Ok(Item::Habit(h)), "{}", reference);
        }
    }
}

#[test]
fn the_colliding_plans_load() {
    let tasks =
        [("a".to_string(), "b".to_string()), ("b".to_string(), "b".to_string()), ("a".to_string(), "1".to_string())];
    let plan = colliding_plan(&tasks, &["b".to_string()]).expect("the plan loads");
    assert_eq!(plan.reference(Item::Task(0)), "a.b");
    assert_eq!(plan.reference(Item::Task(1)), "a.1");
    assert_eq!(plan.reference(Item::Task(2)), "b.b");
}
