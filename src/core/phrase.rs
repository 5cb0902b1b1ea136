//! Small English phrasing of units: counts with plurals, hours, lists.
//! Pure and dependency-free, so the core's messages and the renderers
//! phrase units alike.

/// "1 day", "3 days".
pub(crate) fn days(n: i64) -> String {
    count(n, "day", "days")
}

/// "1 task", "2 tasks"; any noun pair.
pub(crate) fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 || n == -1 { format!("{n} {one}") } else { format!("{n} {many}") }
}

/// A duration, the one way every screen writes it (as `Effort` does, and
/// as the plan and the command line accept it): `12h`, `1h30m`, `45m`,
/// `0h`; a negative amount with a leading `-`.
pub(crate) fn hours(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.unsigned_abs();
    match (minutes / 60, minutes % 60) {
        (0, 0) => "0h".to_string(),
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h{m}m"),
    }
}

/// A weekly amount: `18h/week`, `15h30m/week`.
pub(crate) fn per_week(minutes: i64) -> String {
    format!("{}/week", hours(minutes))
}

/// "a, b and c".
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(0), "0 days");
        assert_eq!(days(12), "12 days");
        assert_eq!(hours(90), "1h30m");
        assert_eq!(hours(120), "2h");
        assert_eq!(hours(100), "1h40m");
        assert_eq!(hours(45), "45m");
        assert_eq!(hours(0), "0h");
        assert_eq!(hours(-90), "-1h30m");
        assert_eq!(per_week(930), "15h30m/week");
        // The same spelling as `Effort`, which parses it back.
        for minutes in [0u32, 1, 45, 60, 90, 100, 1230, 6000] {
            let effort = crate::core::effort::Effort::from_minutes(minutes);
            assert_eq!(hours(i64::from(minutes)), effort.to_string());
        }
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(and_list(&["a".into()]), "a");
    }
}
