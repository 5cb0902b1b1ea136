//! The validation rules of the plan contract (`plan-format.md`), one fixture
//! each in `tests/fixtures/invalid/`, each with the exact message and the
//! place it points at; and hostile input, refused with an error, never a panic.
//!
//! Where an error points, by the contract: a missing field at the line where
//! its mapping starts, an unknown key at the key, a wrong value at the value.

use roadmap::core::plan::{MAX_DEPTH, MAX_PLAN_BYTES, PlanErrors, load};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A fixture and everything `load` must say about it, rendered.
struct Case {
    file: &'static str,
    expected: &'static str,
}

const CASES: &[Case] = &[
    // Malformed YAML.
    Case {
        file: "syntax-error.yaml",
        expected: "syntax-error.yaml:7:12: did not find expected ',' or ']' \
                   (while parsing a flow sequence that starts at line 6, column 12)\n  \
                   hint: fix the YAML syntax at that point",
    },
    Case {
        file: "duplicate-mapping-key.yaml",
        expected: "duplicate-mapping-key.yaml:14:13: the key `title` appears twice in one mapping\n  \
                   hint: keep one of them",
    },
    Case {
        file: "empty-file.yaml",
        expected: "empty-file.yaml:1:1: the plan is empty\n  \
                   hint: a plan needs `format: 1`, `id`, `title` and `phases`",
    },
    Case { file: "not-a-mapping.yaml", expected: "not-a-mapping.yaml:1:1: the plan must be a mapping, not a list" },
    // A value of the wrong type: at the value.
    Case {
        file: "wrong-type-list.yaml",
        expected: "wrong-type-list.yaml:14:19: `tags` of task p1.m1.t1 must be a list, not text\n  \
                   hint: write a list: `tags: [llm]`",
    },
    Case {
        file: "format-text.yaml",
        expected: "format-text.yaml:1:9: `format` must be the number 1, not text\n  hint: write `format: 1`",
    },
    // A missing required field: where its mapping starts.
    Case {
        file: "missing-format.yaml",
        expected: "missing-format.yaml:1:1: the plan has no `format`\n  hint: add `format: 1` at the top",
    },
    Case {
        file: "missing-plan-title.yaml",
        expected: "missing-plan-title.yaml:1:1: the plan has no `title`\n  hint: add `title: …`",
    },
    Case {
        file: "missing-phases.yaml",
        expected: "missing-phases.yaml:1:1: the plan has no `phases`\n  hint: add `phases:` with at least one entry",
    },
    Case {
        file: "missing-track-id.yaml",
        expected: "missing-track-id.yaml:6:5: track #2 has no `id`\n  hint: add `id: …`",
    },
    Case {
        file: "missing-phase-id.yaml",
        expected: "missing-phase-id.yaml:5:5: phase #1 has no `id`\n  hint: add `id: …`",
    },
    Case {
        file: "missing-module-title.yaml",
        expected: "missing-module-title.yaml:8:9: module p1.m1 has no `title`\n  hint: add `title: …`",
    },
    Case {
        file: "missing-task-id.yaml",
        expected: "missing-task-id.yaml:11:13: task #1 of module p1.m1 has no `id`\n  hint: add `id: …`",
    },
    Case {
        file: "missing-task-title.yaml",
        expected: "missing-task-title.yaml:14:13: task p1.m1.t2 has no `title`\n  hint: add `title: …`",
    },
    Case {
        file: "missing-task-effort.yaml",
        expected: "missing-task-effort.yaml:11:13: task p1.m1.t1 has no `effort`\n  hint: add e.g. `effort: 10h`",
    },
    Case {
        file: "missing-habit-title.yaml",
        expected: "missing-habit-title.yaml:15:5: habit read has no `title`\n  hint: add `title: …`",
    },
    Case {
        file: "missing-habit-every.yaml",
        expected: "missing-habit-every.yaml:15:5: habit read has no `every`\n  hint: add `every: …`",
    },
    Case {
        file: "resource-without-url.yaml",
        expected: "resource-without-url.yaml:16:17: resource #2 of task p1.m1.t1 has no `url`\n  hint: add `url: …`",
    },
    Case {
        file: "deliverable-mapping-without-id.yaml",
        expected: "deliverable-mapping-without-id.yaml:16:17: deliverable #2 of task p1.m1.t1 has no `id`\n  \
                   hint: add `id: …`",
    },
    Case {
        file: "deliverable-mapping-without-title.yaml",
        expected: "deliverable-mapping-without-title.yaml:15:17: deliverable #1 of task p1.m1.t1 has no `title`\n  \
                   hint: add `title: …`",
    },
    // Empty required lists: at the empty list.
    Case {
        file: "empty-phases.yaml",
        expected: "empty-phases.yaml:4:9: `phases` of the plan is empty\n  hint: add at least one",
    },
    Case {
        file: "empty-modules.yaml",
        expected: "empty-modules.yaml:7:14: `modules` of phase p1 is empty\n  hint: add at least one",
    },
    Case {
        file: "empty-tasks.yaml",
        expected: "empty-tasks.yaml:10:16: `tasks` of module p1.m1 is empty\n  hint: add at least one",
    },
    // An unknown key: at the key. The contract's own typo also leaves the
    // task without its effort, and both are said.
    Case {
        file: "unknown-key.yaml",
        expected: "unknown-key.yaml:11:13: task p1.m1.t1 has no `effort`\n  \
                   hint: add e.g. `effort: 10h`\n\
                   unknown-key.yaml:13:13: unknown key `efort` in task p1.m1.t1\n  \
                   hint: did you mean `effort`? task p1.m1.t1 takes: \
                   id, title, effort, notes, resources, deliverables, after, track, tags, review",
    },
    // Spaced review: the plan's `review:` block and a task's `review: false`.
    Case {
        file: "review-retention-out-of-range.yaml",
        expected: "review-retention-out-of-range.yaml:16:14: `retention` of the plan's `review` must be a number \
                   from 0.7 to 0.97, not 0.99\n  \
                   hint: write e.g. `retention: 0.9` (the share of reviews you expect to recall)",
    },
    Case {
        file: "review-unknown-key.yaml",
        expected: "review-unknown-key.yaml:16:3: unknown key `retension` in the plan's `review`\n  \
                   hint: did you mean `retention`? the plan's `review` takes: effort, retention",
    },
    Case {
        file: "review-without-effort.yaml",
        expected: "review-without-effort.yaml:15:3: the plan's `review` has no `effort`\n  \
                   hint: add the time one review takes, e.g. `effort: 20m`",
    },
    Case {
        file: "task-review-not-bool.yaml",
        expected: "task-review-not-bool.yaml:14:21: `review` of task p1.m1.t1 must be true or false, not `never`\n  \
                   hint: write `review: false` to never review this task",
    },
    // The format version.
    Case {
        file: "format-2.yaml",
        expected: "format-2.yaml:1:9: plan format 2 is not supported: this roadmap reads format 1\n  \
                   hint: write `format: 1`, or update roadmap",
    },
    // Duplicate ids: at the second one; the hint says where the first is.
    Case {
        file: "duplicate-track-id.yaml",
        expected: "duplicate-track-id.yaml:7:9: track id `academic` is used twice\n  \
                   hint: the first is at line 5; give each one its own id",
    },
    Case {
        file: "duplicate-phase-id.yaml",
        expected: "duplicate-phase-id.yaml:14:9: phase id `p1` is used twice\n  \
                   hint: the first is at line 5; give each one its own id",
    },
    Case {
        file: "duplicate-module-id.yaml",
        expected: "duplicate-module-id.yaml:14:13: module id `m1` is used twice in phase p1\n  \
                   hint: the first is at line 8; give each one its own id",
    },
    Case {
        file: "duplicate-task-id.yaml",
        expected: "duplicate-task-id.yaml:14:17: task id `t1` is used twice in module p1.m1\n  \
                   hint: the first is at line 11; give each one its own id",
    },
    Case {
        file: "duplicate-deliverable-id.yaml",
        expected: "duplicate-deliverable-id.yaml:17:21: deliverable id `report` is used twice in task p1.m1.t1\n  \
                   hint: the first is at line 15; give each one its own id",
    },
    Case {
        file: "duplicate-habit-id.yaml",
        expected: "duplicate-habit-id.yaml:18:9: habit id `read` is used twice\n  \
                   hint: the first is at line 15; give each one its own id",
    },
    // Ids that are not slugs.
    Case {
        file: "bad-slug.yaml",
        expected: "bad-slug.yaml:11:17: id `Agent_System` of task #1 of module p1.m1 is not a slug\n  \
                   hint: use only a-z, 0-9 and '-', e.g. `agent-system`",
    },
    // Dependencies: at the `after` entry.
    Case {
        file: "after-unknown.yaml",
        expected: "after-unknown.yaml:17:21: `after: setpu` in task p1.m1.train names no task\n  \
                   hint: did you mean `p1.m1.setup`? Name a task of the same module by its id, \
                   any other by its full id",
    },
    Case {
        file: "cycle.yaml",
        expected: "cycle.yaml:14:21: dependency cycle between p1.m1.a, p1.m1.b and p1.m1.c\n  \
                   hint: p1.m1.a waits for p1.m1.c, p1.m1.b waits for p1.m1.a, p1.m1.c waits for p1.m1.b: \
                   remove one of these `after` entries",
    },
    Case {
        file: "self-dependency.yaml",
        expected: "self-dependency.yaml:14:21: task p1.m1.t1 depends on itself\n  \
                   hint: remove it from its own `after`",
    },
    Case {
        file: "dependency-on-later-phase.yaml",
        expected: "dependency-on-later-phase.yaml:14:21: task p1.m1.t1 depends on p2.m2.t2, a task of a later phase\n  \
                   hint: phases run in order: move one of them, or drop the dependency",
    },
    Case {
        file: "undeclared-track.yaml",
        expected: "undeclared-track.yaml:17:20: track `industry` of task p1.m1.t1 is not declared\n  \
                   hint: declared tracks: academic",
    },
    // Efforts: at the value.
    Case {
        file: "effort-zero.yaml",
        expected: "effort-zero.yaml:13:21: effort `0h` is zero in task p1.m1.t1\n  \
                   hint: every task needs some work time, e.g. 30m",
    },
    Case {
        file: "effort-negative.yaml",
        expected: "effort-negative.yaml:13:21: effort `-2h` is negative in task p1.m1.t1\n  \
                   hint: write a positive duration such as 20h",
    },
    Case {
        file: "effort-bare-number.yaml",
        expected: "effort-bare-number.yaml:13:21: effort `20` in task p1.m1.t1 has no unit\n  hint: write 20h",
    },
    Case {
        file: "effort-fraction-of-minute.yaml",
        expected: "effort-fraction-of-minute.yaml:13:21: \
                   effort `0.01h` is not a whole number of minutes in task p1.m1.t1\n  \
                   hint: round it to the minute, e.g. 1.5h or 2h10m",
    },
    Case {
        file: "effort-unparsable.yaml",
        expected: "effort-unparsable.yaml:13:21: `twenty hours` is not an effort in task p1.m1.t1\n  \
                   hint: write hours and minutes such as 20h, 1.5h, 90m or 2h30m",
    },
    // Phase durations: at the value.
    Case {
        file: "duration-unparsable.yaml",
        expected: "duration-unparsable.yaml:7:15: duration of phase p1: `a few weeks` is not a window: \
                   write N, N-M or N+ before the unit, e.g. 2-3 months\n  \
                   hint: write e.g. `2-3 months`, `6 weeks` or `1-N年`",
    },
    Case {
        file: "duration-low-above-high.yaml",
        expected: "duration-low-above-high.yaml:7:15: duration of phase p1: `6-3 months` starts above its end (6 > 3)\n  \
                   hint: write e.g. `2-3 months`, `6 weeks` or `1-N年`",
    },
    // Habits: at the value.
    Case {
        file: "habit-bad-every.yaml",
        expected: "habit-bad-every.yaml:17:12: `every` of habit read: `fortnightly` is not a cadence: \
                   write day, weekday, weekend, week, month, weekday names (mon,thu) or N days|weeks|months",
    },
    Case {
        file: "habit-target-zero.yaml",
        expected: "habit-target-zero.yaml:18:13: `target` of habit read must be a whole number from 1 to 1,000,000, not 0\n  \
                   hint: write e.g. `target: 2`",
    },
    Case {
        file: "habit-target-fraction.yaml",
        expected: "habit-target-fraction.yaml:18:13: `target` of habit read must be a whole number from 1 to 1,000,000, not 1.5\n  \
                   hint: write e.g. `target: 2`",
    },
    Case {
        file: "habit-target-text.yaml",
        expected: "habit-target-text.yaml:18:13: `target` of habit read must be a whole number from 1 to 1,000,000, not text\n  \
                   hint: write e.g. `target: 2`",
    },
    Case {
        file: "habit-target-huge.yaml",
        expected: "habit-target-huge.yaml:18:13: `target` of habit read must be a whole number from 1 to 1,000,000, \
                   not 100000000000000000000\n  \
                   hint: write e.g. `target: 2`",
    },
    Case {
        file: "habit-target-over-limit.yaml",
        expected: "habit-target-over-limit.yaml:18:13: `target` of habit read must be a whole number from 1 to \
                   1,000,000, not 1000001\n  \
                   hint: write e.g. `target: 2`",
    },
    Case {
        file: "after-other-module.yaml",
        expected: "after-other-module.yaml:14:21: `after: b` in task p1.m1.a names no task\n  \
                   hint: did you mean `p1.m2.b`? Name a task of the same module by its id, \
                   any other by its full id",
    },
    Case {
        file: "habit-unknown-phase.yaml",
        expected: "habit-unknown-phase.yaml:18:18: habit read names phase `p9`, which the plan does not have\n  \
                   hint: phases: p1",
    },
    // Independent errors are all reported, in the order of the file.
    Case {
        file: "multiple-errors.yaml",
        expected: "multiple-errors.yaml:2:5: id `Demo Plan` of the plan is not a slug\n  \
                   hint: use only a-z, 0-9 and '-', e.g. `demo-plan`\n\
                   multiple-errors.yaml:7:15: duration of phase p1: `soon` has no known unit: \
                   write days, weeks, months or years (or 天, 周, 个月, 年)\n  \
                   hint: write e.g. `2-3 months`, `6 weeks` or `1-N年`\n\
                   multiple-errors.yaml:14:21: effort `20` in task p1.m1.t1 has no unit\n  \
                   hint: write 20h\n\
                   multiple-errors.yaml:15:13: task p1.m1.t2 has no `title`\n  \
                   hint: add `title: …`\n\
                   multiple-errors.yaml:17:21: `after: t9` in task p1.m1.t2 names no task\n  \
                   hint: did you mean `p1.m1.t1`? Name a task of the same module by its id, any other by its full id\n\
                   multiple-errors.yaml:18:13: unknown key `tagz` in task p1.m1.t2\n  \
                   hint: did you mean `tags`? task p1.m1.t2 takes: \
                   id, title, effort, notes, resources, deliverables, after, track, tags, review\n\
                   multiple-errors.yaml:23:13: `target` of habit read must be a whole number from 1 to 1,000,000, not 0\n  \
                   hint: write e.g. `target: 2`",
    },
];

fn fixtures_dir() -> PathBuf {
    super::support::fixture("invalid")
}

fn read_fixture(file: &str) -> Vec<u8> {
    let path = fixtures_dir().join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The errors of a plan that must not load.
fn errors(source: &str, bytes: &[u8]) -> PlanErrors {
    match load(source, bytes) {
        Ok(plan) => panic!("{source} loaded, but must be refused (plan id `{}`)", plan.id),
        Err(errors) => errors,
    }
}

#[test]
fn every_rule_is_reported_exactly_where_it_is_broken() {
    let mut failures = Vec::new();
    for case in CASES {
        let errors = errors(case.file, &read_fixture(case.file));
        let rendered = errors.to_string();
        if rendered != case.expected {
            failures.push(format!("{}:\n--- expected\n{}\n--- got\n{rendered}\n", case.file, case.expected));
        }
        // Every fixture's problems are in the file: each names a place.
        for d in &errors.diagnostics {
            if d.line.is_none() || d.column.is_none() {
                failures.push(format!("{}: `{}` has no line and column", case.file, d.message));
            }
        }
        if errors.more != 0 {
            failures.push(format!("{}: {} errors were left unlisted", case.file, errors.more));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures differ:\n\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn every_fixture_is_in_the_table() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/invalid exists")
        .map(|entry| entry.expect("a readable directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    let in_table: BTreeSet<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    assert_eq!(in_table.len(), CASES.len(), "a fixture is listed twice in CASES");
    let untested: Vec<&String> = on_disk.difference(&in_table).collect();
    let missing: Vec<&String> = in_table.difference(&on_disk).collect();
    assert!(untested.is_empty(), "fixtures with no entry in CASES: {untested:?}");
    assert!(missing.is_empty(), "CASES entries with no fixture file: {missing:?}");
}

#[test]
fn ids_name_the_item_concerned() {
    let ids = |file: &str| -> Vec<Option<String>> {
        errors(file, &read_fixture(file)).diagnostics.into_iter().map(|d| d.id).collect()
    };
    assert_eq!(ids("cycle.yaml"), [Some("p1.m1.a".to_string())]);
    assert_eq!(ids("effort-zero.yaml"), [Some("p1.m1.t1".to_string())]);
    assert_eq!(ids("missing-task-effort.yaml"), [Some("p1.m1.t1".to_string())]);
    assert_eq!(ids("habit-target-zero.yaml"), [Some("read".to_string())]);
    assert_eq!(ids("duplicate-phase-id.yaml"), [Some("p1".to_string())]);
}

/// A BOM and CRLF line endings change no line or column of any report.
#[test]
fn bom_and_crlf_do_not_move_any_report() {
    for case in CASES {
        let text = String::from_utf8(read_fixture(case.file)).expect("fixtures are UTF-8");
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let rendered = errors(case.file, windows.as_bytes()).to_string();
        assert_eq!(rendered, case.expected, "{} with a BOM and CRLF", case.file);
    }
}

// Hostile input. Each must come back as an error, never a panic or a hang.

const HEAD: &str = "format: 1\nid: hostile\ntitle: Hostile\n";

#[test]
fn an_alias_bomb_is_refused() {
    // Nine levels of nine aliases: 9^9 (387 million) nodes once expanded.
    let mut text = String::from(HEAD);
    text.push_str("l1: &l1 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 2..=9 {
        let aliases = vec![format!("*l{}", level - 1); 9].join(", ");
        text.push_str(&format!("l{level}: &l{level} [{aliases}]\n"));
    }
    let rendered = errors("bomb.yaml", text.as_bytes()).to_string();
    assert_eq!(
        rendered,
        "bomb.yaml: aliases expand to too many nodes (an alias bomb?)\n  \
         hint: write the repeated parts out, or use fewer aliases"
    );
}

#[test]
fn a_wide_alias_bomb_is_refused() {
    // Few jumps, each copying a long list: a million nodes from 5 KB, and
    // nothing in the YAML library's own alias limit stops it.
    let items = vec!["lol"; 1000].join(",");
    let aliases = vec!["*wide"; 1000].join(",");
    let text = format!("{HEAD}wide: &wide [{items}]\nsummary: [{aliases}]\n");
    let rendered = errors("wide.yaml", text.as_bytes()).to_string();
    assert_eq!(
        rendered,
        "wide.yaml: aliases expand to too many nodes (an alias bomb?)\n  \
         hint: write the repeated parts out, or use fewer aliases"
    );
}

#[test]
fn modest_aliases_are_fine() {
    let text = format!(
        "{HEAD}phases:\n  - id: p1\n    title: One\n    modules:\n      - id: m1\n        title: M\n        tasks:\n\
         {}\n{}\n",
        "          - {id: a, title: A, effort: 2h, tags: &tags [llm, moe]}",
        "          - {id: b, title: B, effort: 2h, tags: *tags}",
    );
    let plan = load("aliases.yaml", text.as_bytes()).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(plan.tasks[1].tags, ["llm", "moe"]);
}

#[test]
fn a_file_over_16_mib_is_refused_before_parsing() {
    let mut text = String::from(HEAD);
    text.push_str("summary: ");
    let size = 20 * 1024 * 1024;
    text.push_str(&"x".repeat(size - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), size);
    let rendered = errors("big.yaml", text.as_bytes()).to_string();
    assert_eq!(
        rendered,
        "big.yaml: the plan is 20971520 bytes, over the limit of 16 MiB\n  \
         hint: split it, or move long notes out of the plan"
    );
}

#[test]
fn one_byte_over_16_mib_is_refused() {
    assert_eq!(MAX_PLAN_BYTES, 16 * 1024 * 1024);
    let bytes = vec![b' '; MAX_PLAN_BYTES + 1];
    let errors = errors("big.yaml", &bytes);
    assert_eq!(errors.diagnostics[0].message, "the plan is 16777217 bytes, over the limit of 16 MiB");
}

const TOO_DEEP: &str = "nesting deeper than 64 levels\n  hint: a plan needs about 8 levels; flatten the structure";

#[test]
fn deep_flow_nesting_is_refused_at_the_first_level_too_deep() {
    // The root is level 0 and the first `[` (column 10) level 1, so the
    // first level too deep is the 65th `[`, at column 74.
    let text = format!("{HEAD}summary: {}{}\n", "[".repeat(2000), "]".repeat(2000));
    let rendered = errors("deep.yaml", text.as_bytes()).to_string();
    assert_eq!(rendered, format!("deep.yaml:4:74: {TOO_DEEP}"));
}

#[test]
fn deep_block_nesting_is_refused_at_the_first_level_too_deep() {
    // The mapping at level N starts on line 4 + N, indented N spaces.
    let mut text = format!("{HEAD}summary:\n");
    for depth in 1..=2000 {
        text.push_str(&" ".repeat(depth));
        text.push_str("k:\n");
    }
    let rendered = errors("deep.yaml", text.as_bytes()).to_string();
    assert_eq!(rendered, format!("deep.yaml:69:66: {TOO_DEEP}"));
}

#[test]
fn nesting_just_over_the_limit_is_refused_at_the_same_place() {
    // Deeper than 64 levels, yet within what the YAML library itself reads.
    let text = format!("{HEAD}summary: {}{}\n", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let rendered = errors("deep.yaml", text.as_bytes()).to_string();
    assert_eq!(rendered, format!("deep.yaml:4:74: {TOO_DEEP}"));
    // 64 levels are allowed (the error here is only that `summary` is no text).
    let text = format!("{HEAD}summary: {}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let errors = errors("deep.yaml", text.as_bytes());
    assert!(errors.diagnostics.iter().all(|d| !d.message.contains("nesting")), "{errors}");
}

#[test]
fn invalid_utf8_is_refused_at_its_line() {
    let bytes = b"format: 1\nid: demo\ntitle: De\xff\xfemo\nphases: []\n";
    let rendered = errors("latin.yaml", bytes).to_string();
    assert_eq!(rendered, "latin.yaml:3:10: the file is not valid UTF-8\n  hint: save it as UTF-8");
}

#[test]
fn a_bom_and_crlf_keep_the_line() {
    let bytes = "\u{feff}format: 1\r\nid: demo\r\ntitle: Demo\r\nphases: []\r\n";
    let rendered = errors("windows.yaml", bytes.as_bytes()).to_string();
    assert_eq!(rendered, "windows.yaml:4:9: `phases` of the plan is empty\n  hint: add at least one");
}

#[test]
fn tabs_in_indentation_are_refused() {
    let text = format!("{HEAD}phases:\n\t- id: p1\n");
    let rendered = errors("tabs.yaml", text.as_bytes()).to_string();
    assert_eq!(
        rendered,
        "tabs.yaml:5:1: a tab is used for indentation\n  \
         hint: indent with spaces: YAML does not allow tabs in indentation"
    );
    let text = format!("{HEAD}phases:\n  - id: p1\n\t  title: Basics\n");
    let rendered = errors("tabs.yaml", text.as_bytes()).to_string();
    assert_eq!(
        rendered,
        "tabs.yaml:6:1: a tab is used for indentation\n  \
         hint: indent with spaces: YAML does not allow tabs in indentation"
    );
}

#[test]
fn duplicate_keys_are_refused_at_the_second_key() {
    let text = format!("{HEAD}id: again\n");
    let rendered = errors("dup.yaml", text.as_bytes()).to_string();
    assert_eq!(rendered, "dup.yaml:4:1: the key `id` appears twice in one mapping\n  hint: keep one of them");
    let text = format!("{HEAD}phases: [{{id: p1, title: One, id: p2}}]\n");
    let rendered = errors("dup.yaml", text.as_bytes()).to_string();
    assert_eq!(rendered, "dup.yaml:4:31: the key `id` appears twice in one mapping\n  hint: keep one of them");
}

#[test]
fn several_documents_are_refused() {
    let text = format!("{HEAD}---\n{HEAD}");
    let rendered = errors("two.yaml", text.as_bytes()).to_string();
    assert_eq!(rendered, "two.yaml: the file holds more than one YAML document\n  hint: remove the `---` separators");
}

#[test]
fn many_errors_are_capped() {
    // 30 tasks with no effort: 20 listed in file order, the rest counted.
    let mut text = format!(
        "{HEAD}phases:\n  - id: p1\n    title: One\n    modules:\n      - id: m1\n        title: M\n        tasks:\n"
    );
    for i in 1..=30 {
        text.push_str(&format!("          - {{id: t{i}, title: T}}\n"));
    }
    let errors = errors("many.yaml", text.as_bytes());
    assert_eq!(errors.diagnostics.len(), 20);
    assert_eq!(errors.more, 10);
    assert_eq!(errors.count(), 30);
    assert_eq!(errors.diagnostics[0].line, Some(11));
    assert!(errors.to_string().ends_with("\n… and 10 more errors"), "{errors}");
}
