//! Routines written as such: `每日2题`, `每周一早晨速读arXiv`, `定期更新博客`,
//! `daily`, `every Monday`, `3 problems a day`. Each becomes a habit with a
//! cadence in the contract's grammar, and the target and unit when the text
//! states them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Routine {
    /// An `every:` the loader accepts.
    pub every: String,
    pub target: Option<u32>,
    pub unit: Option<String>,
    /// Set when the cadence is read from a vague word (`定期`, `regularly`).
    pub guessed: Option<String>,
}

const ZH_DAYS: &[(char, &str)] = &[
    ('一', "mon"),
    ('二', "tue"),
    ('三', "wed"),
    ('四', "thu"),
    ('五', "fri"),
    ('六', "sat"),
    ('日', "sun"),
    ('天', "sun"),
];
const EN_DAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The routine a line states, if it states one.
pub(crate) fn detect(line: &str) -> Option<Routine> {
    chinese(line).or_else(|| english(line))
}

fn routine(every: &str) -> Routine {
    Routine { every: every.into(), target: None, unit: None, guessed: None }
}

fn chinese(line: &str) -> Option<Routine> {
    for daily in ["每日", "每天"] {
        if let Some(at) = line.find(daily) {
            let mut r = routine("day");
            let (target, unit) = count_and_unit(&line[at + daily.len()..]);
            r.target = target;
            r.unit = unit;
            return Some(r);
        }
    }
    if let Some(at) = line.find("每周") {
        let rest = &line[at + "每周".len()..];
        let day = rest.chars().next().and_then(|c| ZH_DAYS.iter().find(|(d, _)| *d == c));
        if let Some((_, day)) = day {
            return Some(routine(day));
        }
        let mut r = routine("week");
        let (target, unit) = count_and_unit(rest);
        r.target = target;
        r.unit = unit;
        return Some(r);
    }
    if line.contains("每月") {
        return Some(routine("month"));
    }
    if line.starts_with("定期") {
        let mut r = routine("2 weeks");
        r.guessed = Some("定期 (regularly) read as every 2 weeks".into());
        return Some(r);
    }
    None
}

/// `2题（…）` → (2, 题): a count written right after the cadence word.
fn count_and_unit(rest: &str) -> (Option<u32>, Option<String>) {
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 6 {
        return (None, None);
    }
    let target = rest[..digits].parse::<u32>().ok().filter(|&n| n >= 1);
    let unit = rest[digits..].chars().next().filter(|c| !c.is_ascii() && !"（(，,。：:".contains(*c));
    (target, unit.map(String::from))
}

fn english(line: &str) -> Option<Routine> {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |w: &str| words.contains(&w);
    for (i, w) in words.iter().enumerate() {
        if (*w == "every" || *w == "each") && i + 1 < words.len() {
            let next = words[i + 1];
            if let Some(day) = EN_DAYS
                .iter()
                .find(|d| **d == next || d.trim_end_matches("day").len() >= 3 && next == d.get(..3).unwrap_or(""))
            {
                return Some(routine(&day[..3]));
            }
            match next {
                "day" | "morning" | "evening" | "night" => return Some(with_count(routine("day"), &words)),
                "weekday" => return Some(routine("weekday")),
                "week" => return Some(with_count(routine("week"), &words)),
                "month" => return Some(routine("month")),
                _ => {}
            }
            if let (Ok(n), Some(unit)) = (next.parse::<u32>(), words.get(i + 2))
                && n >= 1
                && ["days", "weeks", "months"].contains(unit)
            {
                return Some(routine(&format!("{n} {unit}")));
            }
        }
        if let Some(day) = EN_DAYS.iter().find(|d| w.strip_suffix('s') == Some(d))
            && i > 0
            && words[i - 1] == "on"
        {
            return Some(routine(&day[..3]));
        }
    }
    if has("daily") {
        return Some(with_count(routine("day"), &words));
    }
    if has("weekly") {
        return Some(with_count(routine("week"), &words));
    }
    if has("monthly") {
        return Some(routine("month"));
    }
    if words.windows(2).any(|p| (p[0] == "a" || p[0] == "per") && p[1] == "day") {
        return Some(with_count(routine("day"), &words));
    }
    None
}

/// `3 problems a day`, `2 katas daily`: the first number and the word after it.
fn with_count(mut r: Routine, words: &[&str]) -> Routine {
    const NOT_UNITS: &[&str] = &["a", "per", "every", "times", "x", "day", "days", "hours", "h"];
    if let Some(i) = words.iter().position(|w| w.parse::<u32>().is_ok_and(|n| (1..=1000).contains(&n)))
        && let Some(unit) = words.get(i + 1).filter(|u| !NOT_UNITS.contains(*u))
    {
        r.target = words[i].parse().ok();
        r.unit = Some((*unit).to_string());
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(every: &str, target: Option<u32>, unit: Option<&str>) -> Option<Routine> {
        Some(Routine { every: every.into(), target, unit: unit.map(String::from), guessed: None })
    }

    #[test]
    fn routines_in_both_languages() {
        assert_eq!(detect("每日2题（1道新题+1道复习）"), r("day", Some(2), Some("题")));
        assert_eq!(detect("每周一早晨速读arXiv最新论文"), r("mon", None, None));
        assert_eq!(detect("定期更新技术博客，打造个人品牌").map(|r| r.every), Some("2 weeks".into()));
        assert_eq!(detect("Solve 3 problems a day on LeetCode"), r("day", Some(3), Some("problems")));
        assert_eq!(detect("Every Monday: read one paper"), r("mon", None, None));
        assert_eq!(detect("Review your flashcards daily"), r("day", None, None));
        assert_eq!(detect("Write a weekly summary"), r("week", None, None));
        assert_eq!(detect("Ship it on Fridays"), r("fri", None, None));
        assert_eq!(detect("every 2 weeks: retro"), r("2 weeks", None, None));
        assert_eq!(detect("每个Token由路由层选择1-2个专家处理"), None);
        assert_eq!(detect("Read the day one chapter"), None);
    }
}
