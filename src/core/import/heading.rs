//! A section title taken apart: its own number (`阶段4`, `Phase 2`, `1.`),
//! the calendar window it states (`（2-3个月）`, `(4 weeks)`, `Month 1-3`,
//! `第1-3月`) in the contract's grammar, and the title without either.

use crate::core::window::Window;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub number: Option<u32>,
    pub title: String,
    /// A `duration` the plan loader accepts.
    pub duration: Option<String>,
}

/// Words that number a stage, a module or a step.
const NUMBERED: &[&str] =
    &["阶段", "模块", "phase", "stage", "part", "step", "module", "unit", "chapter", "level", "section"];

pub(crate) fn parse(raw: &str) -> Heading {
    let mut title = raw.trim().to_string();
    let mut duration = None;
    if let Some((rest, window)) = trailing_window(&title) {
        duration = Some(window);
        title = rest;
    }
    let mut number = None;
    if let Some((window, rest)) = leading_span(&title) {
        duration = duration.or(Some(window));
        title = rest;
    } else if let Some((n, rest)) = leading_word_number(&title) {
        number = Some(n);
        title = rest;
    } else if let Some((n, rest)) = leading_number(&title) {
        number = Some(n);
        title = rest.to_string();
    }
    let title = title.trim_matches(|c: char| c.is_whitespace() || "：:.-–—、".contains(c)).to_string();
    let title = if title.is_empty() { raw.trim().to_string() } else { title };
    Heading { number, title, duration }
}

/// `1. Title`, `1、Title`, `1) Title`, `1．Title`: the number and the rest.
pub(crate) fn leading_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 4 {
        return None;
    }
    let n = text[..digits].parse().ok()?;
    let rest = &text[digits..];
    let rest = rest.strip_prefix(['.', '、', ')', '．', '）'])?;
    Some((n, rest.trim_start()))
}

/// `阶段4：…`, `Phase 2 - …`, `第3阶段：…`: the number and the rest.
fn leading_word_number(text: &str) -> Option<(u32, String)> {
    let lower = text.to_lowercase();
    let (after, chinese_ordinal) = match lower.strip_prefix('第') {
        Some(rest) => (rest, true),
        None => {
            let word = NUMBERED.iter().find(|w| lower.starts_with(*w))?;
            (&lower[word.len()..], false)
        }
    };
    let after = after.trim_start();
    let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 4 {
        return None;
    }
    let n = after[..digits].parse().ok()?;
    let mut rest = &after[digits..];
    if chinese_ordinal {
        let word = ["阶段", "部分", "步", "章"].iter().find(|w| rest.starts_with(*w))?;
        rest = &rest[word.len()..];
    }
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || "：:.-–—、".contains(c))) {
        return None;
    }
    // `lower` has the same byte offsets as `text` only for ASCII case
    // changes; take the rest from the original by its length.
    let keep = rest.len();
    let start = text.len().checked_sub(keep)?;
    Some((n, text.get(start..)?.to_string()))
}

/// `（2-3个月）` / `(4 weeks)` at the end: the title before it and the window.
fn trailing_window(title: &str) -> Option<(String, String)> {
    let (open, close) = if title.ends_with('）') {
        ('（', '）')
    } else if title.ends_with(')') {
        ('(', ')')
    } else {
        return None;
    };
    let start = title.rfind(open)?;
    let inner = &title[start + open.len_utf8()..title.len() - close.len_utf8()];
    let window = window_text(inner)?;
    Some((title[..start].trim_end().to_string(), window))
}

/// The text as a window the loader accepts, if it is one.
fn window_text(text: &str) -> Option<String> {
    let text = text.trim().trim_start_matches(['约', '~']).trim();
    let text = text.strip_prefix("about ").unwrap_or(text).trim();
    Window::parse(text).ok().map(|_| text.to_string())
}

/// `Month 1-3: …`, `Weeks 3–4 …`, `Week 2`, `第1-3月：…`, `第2周`: the
/// window the span covers (`3 months`, `2 weeks`, `1 week`, `3个月`) and the rest.
fn leading_span(title: &str) -> Option<(String, String)> {
    let lower = title.to_lowercase();
    let units = [
        ("months", "months"),
        ("month", "months"),
        ("weeks", "weeks"),
        ("week", "weeks"),
        ("days", "days"),
        ("day", "days"),
    ];
    if let Some((word, unit)) = units.iter().find(|(w, _)| lower.starts_with(*w)) {
        let (low, high, used) = span(&lower[word.len()..])?;
        let rest = title.get(word.len() + used..)?;
        if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || "：:.-–—".contains(c))) {
            return None;
        }
        let n = high.checked_sub(low)? + 1;
        let unit = if n == 1 { unit.trim_end_matches('s') } else { unit };
        return Some((format!("{n} {unit}"), rest.to_string()));
    }
    let after = title.strip_prefix('第')?;
    let (low, high, used) = span(after)?;
    let rest = &after[used..];
    let (unit, rest) = if let Some(r) = rest.strip_prefix("个月").or_else(|| rest.strip_prefix('月')) {
        ("个月", r)
    } else if let Some(r) = rest.strip_prefix('周') {
        ("周", r)
    } else if let Some(r) = rest.strip_prefix('天') {
        ("天", r)
    } else {
        return None;
    };
    let n = high.checked_sub(low)? + 1;
    Some((format!("{n}{unit}"), rest.to_string()))
}

/// ` 1-3`, `2`, ` 3–4`: the low and high numbers and the bytes used.
fn span(text: &str) -> Option<(u32, u32, usize)> {
    let trimmed = text.trim_start();
    let mut used = text.len() - trimmed.len();
    let number = |s: &str| -> Option<(u32, usize)> {
        let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 4 {
            return None;
        }
        Some((s[..digits].parse().ok()?, digits))
    };
    let (low, n) = number(trimmed)?;
    used += n;
    let rest = &trimmed[n..];
    for dash in ['-', '–', '~', '—'] {
        if let Some(after) = rest.trim_start().strip_prefix(dash) {
            let skipped = rest.len() - after.len();
            let after_trim = after.trim_start();
            if let Some((high, m)) = number(after_trim) {
                used += skipped + (after.len() - after_trim.len()) + m;
                return (high >= low).then_some((low, high, used));
            }
        }
    }
    Some((low, low, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(number: Option<u32>, title: &str, duration: Option<&str>) -> Heading {
        Heading { number, title: title.into(), duration: duration.map(String::from) }
    }

    #[test]
    fn numbers_durations_and_titles() {
        assert_eq!(parse("阶段4：高阶项目与实习准备（2-3个月）"), h(Some(4), "高阶项目与实习准备", Some("2-3个月")));
        assert_eq!(parse("阶段6：长期规划（1-N年）"), h(Some(6), "长期规划", Some("1-N年")));
        assert_eq!(parse("模块2：求职准备策略"), h(Some(2), "求职准备策略", None));
        assert_eq!(parse("1. Agent系统（AutoGPT）"), h(Some(1), "Agent系统（AutoGPT）", None));
        assert_eq!(parse("Phase 2: Deep learning (4 weeks)"), h(Some(2), "Deep learning", Some("4 weeks")));
        assert_eq!(parse("Month 1-3: Foundations"), h(None, "Foundations", Some("3 months")));
        assert_eq!(parse("Week 2 — SQL"), h(None, "SQL", Some("1 week")));
        assert_eq!(parse("Weeks 3–4: Joins"), h(None, "Joins", Some("2 weeks")));
        assert_eq!(parse("第1-3月：确定方向"), h(None, "确定方向", Some("3个月")));
        assert_eq!(parse("第2阶段：实习"), h(Some(2), "实习", None));
        assert_eq!(parse("Phaser basics"), h(None, "Phaser basics", None));
        assert_eq!(parse("Weekly review"), h(None, "Weekly review", None));
        assert_eq!(parse("Notes (optional)"), h(None, "Notes (optional)", None));
        assert_eq!(parse("2024"), h(None, "2024", None));
    }
}
