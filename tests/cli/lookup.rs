//! Finding a task or habit from what a user typed, on the built-in zh plan:
//! full id, habit id, `list` number, unique id suffix, unique title
//! substring (CJK included, case-insensitive), in that order; ambiguity and
//! no match are errors, never a guess.

use roadmap::core::plan::builtin::BUILTINS;
use roadmap::core::plan::{Item, LookupError, Plan, load};
use roadmap::shell::error::Error;

fn zh() -> Plan {
    let builtin = BUILTINS.iter().find(|b| b.name == "llm-career-4-6.zh").expect("the zh plan is built in");
    load(builtin.name, builtin.text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}"))
}

/// The full id of the task `reference` resolves to.
fn task(plan: &Plan, reference: &str) -> String {
    match plan.lookup(reference) {
        Ok(Item::Task(i)) => plan.tasks[i].full_id.to_string(),
        other => panic!("`{reference}` should name a task, got {other:?}"),
    }
}

#[test]
fn a_full_id() {
    let plan = zh();
    assert_eq!(task(&plan, "p4.frontier.moe"), "p4.frontier.moe");
    assert_eq!(task(&plan, "p4.jobprep.leetcode"), "p4.jobprep.leetcode");
}

#[test]
fn a_habit_id_wins_over_a_task_suffix() {
    // `leetcode` is also the id suffix of the task p4.jobprep.leetcode.
    let plan = zh();
    let Ok(Item::Habit(h)) = plan.lookup("leetcode") else { panic!("`leetcode` should name the habit") };
    assert_eq!(plan.habits[h].id, "leetcode");
    assert!(plan.tasks.iter().any(|t| t.full_id == "p4.jobprep.leetcode"));
}

#[test]
fn a_list_number() {
    let plan = zh();
    assert_eq!(task(&plan, "2"), plan.tasks[1].full_id);
    assert_eq!(task(&plan, "2"), "p4.frontier.moe");
    assert_eq!(task(&plan, "1"), "p4.frontier.agent");
    assert_eq!(task(&plan, &plan.tasks.len().to_string()), "p6.industry.autodrive");
}

#[test]
fn a_number_out_of_range() {
    let plan = zh();
    assert_eq!(plan.tasks.len(), 18);
    for reference in ["19", "0", "99999999999999999999999"] {
        let error = plan.lookup(reference).expect_err("no such task");
        assert_eq!(error, LookupError::NoSuchNumber { reference: reference.to_string(), count: 18 });
    }
    assert_eq!(
        Error::from(plan.lookup("19").expect_err("no such task")).report(),
        "there is no task number 19: the tasks are numbered 1 to 18\n  \
         hint: `roadmap list` shows every task with its number"
    );
}

#[test]
fn a_unique_id_suffix() {
    let plan = zh();
    assert_eq!(task(&plan, "moe"), "p4.frontier.moe");
    assert_eq!(task(&plan, "frontier.moe"), "p4.frontier.moe");
    assert_eq!(task(&plan, "to-p5"), "p4.bridge.to-p5");
    assert_eq!(task(&plan, "  moe  "), "p4.frontier.moe");
}

#[test]
fn a_title_substring_in_cjk() {
    let plan = zh();
    // The contract's example `编辑距离` is in the notes of the LeetCode task,
    // not in any title, so another substring of that title stands in.
    assert!(plan.tasks.iter().all(|t| !t.title.contains("编辑距离")));
    assert_eq!(task(&plan, "刷题"), "p4.jobprep.leetcode");
    assert_eq!(task(&plan, "简历"), "p4.jobprep.resume");
    assert_eq!(task(&plan, "自动驾驶"), "p6.industry.autodrive");
}

#[test]
fn a_title_substring_ignores_case() {
    let plan = zh();
    assert_eq!(task(&plan, "mixtral"), "p4.frontier.moe");
    assert_eq!(task(&plan, "MIXTRAL"), "p4.frontier.moe");
}

#[test]
fn an_ambiguous_substring_lists_every_candidate() {
    let plan = zh();
    assert_eq!(
        plan.lookup("阶段"),
        Err(LookupError::Ambiguous {
            reference: "阶段".to_string(),
            candidates: vec![
                "  7  p4.bridge.to-p5  阶段4→5过渡".to_string(),
                " 12  p5.bridge.to-p6  阶段5→6衔接".to_string()
            ],
        })
    );
    // Habit titles are searched too.
    assert_eq!(
        plan.lookup("论文"),
        Err(LookupError::Ambiguous {
            reference: "论文".to_string(),
            candidates: vec![
                " 13  p6.academic.paper-topic  顶会论文冲刺 · 第1-3月：确定方向+文献综述".to_string(),
                " 14  p6.academic.paper-experiments  顶会论文冲刺 · 第4-6月：实验设计+数据收集".to_string(),
                " 15  p6.academic.paper-writing  顶会论文冲刺 · 第7-9月：论文撰写+投稿".to_string(),
                "habit  arxiv  每周一早晨速读arXiv最新论文（cs.CL、cs.LG）".to_string(),
            ],
        })
    );
    assert_eq!(
        Error::from(plan.lookup("论文").expect_err("ambiguous")).report(),
        "`论文` matches 4 items:\n   \
         13  p6.academic.paper-topic  顶会论文冲刺 · 第1-3月：确定方向+文献综述\n   \
         14  p6.academic.paper-experiments  顶会论文冲刺 · 第4-6月：实验设计+数据收集\n   \
         15  p6.academic.paper-writing  顶会论文冲刺 · 第7-9月：论文撰写+投稿\n  \
         habit  arxiv  每周一早晨速读arXiv最新论文（cs.CL、cs.LG）\n  \
         hint: use the full id or the number from `roadmap list`"
    );
}

#[test]
fn no_match_suggests_the_closest_ids() {
    let plan = zh();
    assert_eq!(
        plan.lookup("moee"),
        Err(LookupError::NotFound { reference: "moee".to_string(), suggestions: vec!["moe".to_string()] })
    );
    assert_eq!(
        Error::from(plan.lookup("moee").expect_err("no match")).report(),
        "no task or habit matches `moee`\n  hint: did you mean `moe`?"
    );
}

#[test]
fn an_empty_reference_matches_nothing() {
    let plan = zh();
    assert_eq!(plan.lookup("  "), Err(LookupError::NotFound { reference: String::new(), suggestions: Vec::new() }));
}
