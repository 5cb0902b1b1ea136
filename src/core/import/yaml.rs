//! The draft as plan YAML: every string double-quoted with YAML's escapes
//! (or a literal block for multi-line text), estimates marked `# estimated`.

use super::draft::{Draft, Habit, Module, Phase, Task};
use std::fmt::Write as _;

pub(crate) fn write(draft: &Draft) -> String {
    let mut out = String::new();
    out.push_str("# Made by `roadmap import`; efforts marked `# estimated` are the importer's guesses.\n");
    out.push_str("format: 1\n");
    line(&mut out, 0, "id", &quote(&draft.id));
    line(&mut out, 0, "title", &quote(&draft.title));
    if let Some(lang) = &draft.lang {
        line(&mut out, 0, "lang", &quote(lang));
    }
    text(&mut out, 0, "summary", draft.summary.as_deref());
    if !draft.tracks.is_empty() {
        out.push_str("\ntracks:\n");
        for track in &draft.tracks {
            item(&mut out, 2, "id", &quote(&track.id));
            line(&mut out, 4, "title", &quote(&track.title));
        }
    }
    out.push_str("\nphases:\n");
    for phase in &draft.phases {
        write_phase(&mut out, phase);
    }
    if !draft.habits.is_empty() {
        out.push_str("\nhabits:\n");
        for habit in &draft.habits {
            write_habit(&mut out, habit);
        }
    }
    out
}

fn write_phase(out: &mut String, phase: &Phase) {
    item(out, 2, "id", &quote(&phase.id));
    line(out, 4, "title", &quote(&phase.title));
    if let Some(duration) = &phase.duration {
        line(out, 4, "duration", &quote(duration));
    }
    text(out, 4, "summary", phase.summary.as_deref());
    line(out, 4, "modules", "");
    for module in &phase.modules {
        write_module(out, module);
    }
}

fn write_module(out: &mut String, module: &Module) {
    item(out, 6, "id", &quote(&module.id));
    line(out, 8, "title", &quote(&module.title));
    text(out, 8, "summary", module.summary.as_deref());
    line(out, 8, "tasks", "");
    for task in &module.tasks {
        write_task(out, task);
    }
}

fn write_task(out: &mut String, task: &Task) {
    item(out, 10, "id", &quote(&task.id));
    line(out, 12, "title", &quote(&task.title));
    let effort = task.effort.to_string();
    line(out, 12, "effort", &if task.estimated { format!("{effort}  # estimated") } else { effort });
    if let Some(track) = &task.track {
        line(out, 12, "track", &quote(track));
    }
    if !task.after.is_empty() {
        line(out, 12, "after", &flow(&task.after));
    }
    if !task.tags.is_empty() {
        line(out, 12, "tags", &flow(&task.tags));
    }
    text(out, 12, "notes", task.notes.as_deref());
    if !task.resources.is_empty() {
        line(out, 12, "resources", "");
        for r in &task.resources {
            item(out, 14, "title", &quote(&r.title));
            line(out, 16, "url", &quote(&r.url));
        }
    }
    if !task.deliverables.is_empty() {
        line(out, 12, "deliverables", "");
        for d in &task.deliverables {
            let title = quote(&d.title);
            let title = if d.ticked { format!("{title}  # ticked in the guide") } else { title };
            if d.text_key {
                let _ = writeln!(out, "{:14}- {title}", "");
            } else {
                item(out, 14, "id", &quote(&d.id));
                line(out, 16, "title", &title);
            }
        }
    }
}

fn write_habit(out: &mut String, habit: &Habit) {
    item(out, 2, "id", &quote(&habit.id));
    line(out, 4, "title", &quote(&habit.title));
    line(out, 4, "every", &quote(&habit.every));
    if let Some(target) = habit.target {
        line(out, 4, "target", &target.to_string());
    }
    if let Some(unit) = &habit.unit {
        line(out, 4, "unit", &quote(unit));
    }
    let effort = habit.effort.to_string();
    line(out, 4, "effort", &if habit.estimated { format!("{effort}  # estimated") } else { effort });
    if !habit.phases.is_empty() {
        line(out, 4, "phases", &flow(&habit.phases));
    }
}

fn line(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}{key}:{}{value}", "", if value.is_empty() { "" } else { " " });
}

/// `- key: value` at `indent`: the first line of a list item.
fn item(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{:indent$}- {key}: {value}", "");
}

fn flow(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(", "))
}

/// Multi-line text as a literal block where it can be one, else quoted.
fn text(out: &mut String, indent: usize, key: &str, value: Option<&str>) {
    let Some(value) = value else { return };
    let literal = value.contains('\n')
        && !value.starts_with([' ', '\t'])
        && !value.ends_with([' ', '\t', '\n'])
        && value.chars().all(|c| c == '\n' || c == '\t' || !needs_escape(c));
    if !literal {
        line(out, indent, key, &quote(value));
        return;
    }
    let _ = writeln!(out, "{:indent$}{key}: |-", "");
    let inner = indent + 2;
    for l in value.split('\n') {
        if l.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{:inner$}{l}", "");
        }
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// A YAML double-quoted scalar.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_yaml_would_read_otherwise() {
        assert_eq!(quote("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(quote("x\u{1}\u{2028}y"), r#""x\u0001\u2028y""#);
        let value: String = serde_yaml::from_str(&quote("x\u{1}\u{2028}y: #z\n")).expect("YAML");
        assert_eq!(value, "x\u{1}\u{2028}y: #z\n");
    }
}
