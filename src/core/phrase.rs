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

/// Hours with at most one decimal, no trailing `.0`: `12h`, `1.5h`.
pub(crate) fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 { format!("{}h", tenths / 10) } else { format!("{}.{}h", tenths / 10, (tenths % 10).abs()) }
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
        assert_eq!(hours(90), "1.5h");
        assert_eq!(hours(120), "2h");
        assert_eq!(hours(100), "1.7h");
        assert_eq!(hours(0), "0h");
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(and_list(&["a".into()]), "a");
    }
}
