//! "Did you mean": the closest candidates to a mistyped word.

/// Edit distance between two strings, by characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Candidates close enough to `word` to be a typo of it, best first, at most `n`.
pub(crate) fn closest_n<'a>(word: &str, candidates: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| {
            let lower = c.to_lowercase();
            let d = if lower.contains(&word) || word.contains(&lower) { 1 } else { distance(&word, &lower) };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

pub(crate) fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    closest_n(word, candidates, 1).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("efort", "effort"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("编辑距离", "编辑距"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_near_words() {
        let keys = ["id", "title", "effort", "notes"];
        assert_eq!(closest("efort", keys.iter().copied()), Some("effort"));
        assert_eq!(closest("titel", keys.iter().copied()), Some("title"));
        assert_eq!(closest("zzzzzzzz", keys.iter().copied()), None);
    }
}
