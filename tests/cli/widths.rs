//! Every table at any width: the exact screens of `list`, `schedule`,
//! `next`, `report` and `habits` at 40, 60, 80 and 120 columns and piped
//! (no `COLUMNS`: one line a row), against files in
//! `tests/fixtures/widths/`; and at every width, no line wider than the
//! terminal and every id and date whole on one line.
//!
//! To see a changed screen: `ROADMAP_WRITE_WIDTHS=1 cargo test --test cli
//! widths` writes the files anew, for `git diff` to show (and a person to
//! read) before they are committed.

use crate::support::{Sandbox, fixture};
use unicode_width::UnicodeWidthStr;

const SCREENS: &[&[&str]] =
    &[&["list"], &["schedule"], &["next"], &["report", "--week", "2027-W02"], &["habits", "--weeks", "2"]];
const WIDTHS: &[Option<u16>] = &[Some(40), Some(60), Some(80), Some(120), None];

/// The study fixture two weeks in: a task done, one half logged, a day off.
fn sandbox() -> Sandbox {
    let sandbox = Sandbox::with_fixture("study.yaml").dated("2027-01-13");
    sandbox.on("2027-01-04").args(["init", "--start", "2027-01-04"]).ok();
    sandbox.on("2027-01-06").args(["log", "agent", "3h"]).ok();
    sandbox.on("2027-01-08").args(["done", "agent"]).ok();
    sandbox.on("2027-01-09").args(["log", "moe", "2h"]).ok();
    sandbox.on("2027-01-10").args(["off", "2027-01-11"]).ok();
    sandbox
}

fn name(args: &[&str], width: Option<u16>) -> String {
    let width = width.map_or("piped".to_string(), |w| w.to_string());
    format!("widths/{}-{width}.txt", args[0])
}

fn screen(sandbox: &Sandbox, args: &[&str], width: Option<u16>) -> String {
    let run = sandbox.roadmap().args(args);
    let run = match width {
        Some(w) => run.env("COLUMNS", w.to_string()),
        None => run.env_remove("COLUMNS"),
    };
    run.ok()
}

#[test]
fn every_table_is_exact_at_every_width_and_piped() {
    let sandbox = sandbox();
    let write = std::env::var_os("ROADMAP_WRITE_WIDTHS").is_some();
    let mut differ = Vec::new();
    for args in SCREENS {
        for &width in WIDTHS {
            let text = screen(&sandbox, args, width);
            let path = fixture(&name(args, width));
            if write {
                std::fs::create_dir_all(path.parent().expect("a folder")).expect("make the folder");
                std::fs::write(&path, &text).expect("write the screen");
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if text != expected {
                differ.push(format!("{} (got):\n{text}", name(args, width)));
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// Ids (`p1.core.agent`) and dates (`2027-01-13`, `Wed 01-13`) in a text.
fn words(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| c.is_whitespace() || "()·,".contains(c))
        .filter(|w| {
            let id = w.starts_with('p')
                && w.contains('.')
                && w.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
            let date = w.len() >= 5
                && w.bytes().filter(|b| *b == b'-').count() >= 1
                && w.bytes().all(|b| b.is_ascii_digit() || b == b'-');
            id || date
        })
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn no_line_is_wider_than_the_terminal_and_no_id_or_date_is_split() {
    let sandbox = sandbox();
    for args in SCREENS {
        // Piped, a row is one line: every id and date there is whole.
        let whole = words(&screen(&sandbox, args, None));
        assert!(!whole.is_empty(), "{args:?} shows ids or dates");
        for &width in WIDTHS.iter().flatten() {
            let text = screen(&sandbox, args, Some(width));
            // Table rows and blocks (indented) fit; a sentence at the left
            // margin (the health line) is left to the terminal to wrap.
            for line in text.lines().filter(|l| l.starts_with("  ")) {
                assert!(line.width() <= usize::from(width), "{args:?} at {width}: {line:?} is {} wide", line.width());
            }
            assert_eq!(words(&text), whole, "{args:?} at {width}: an id or a date split across lines:\n{text}");
        }
    }
}
