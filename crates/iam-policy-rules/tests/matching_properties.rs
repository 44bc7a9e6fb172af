//! Properties of IAM's wildcard match, which the rules and the evaluation engine share, against
//! a plain recursive matcher written from the definition ("IAM JSON policy elements: Resource":
//! `*` any run of characters, `?` any one character).

use iam_policy_rules::matching::{wildcard_match, wildcard_match_ignore_case};
use proptest::prelude::*;

/// The definition, by recursion on the pattern: slow but evidently right.
fn by_definition(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|skip| by_definition(rest, &text[skip..])),
        Some(('?', rest)) => !text.is_empty() && by_definition(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && by_definition(rest, &text[1..]),
    }
}

/// Short texts over a small alphabet (with a capital and a non-ASCII letter), so that patterns
/// and texts often meet.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![Just('a'), Just('b'), Just('A'), Just('/'), Just('é')],
        0..8,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn pattern() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('b'),
            Just('A'),
            Just('/'),
            Just('é'),
            Just('*'),
            Just('?')
        ],
        0..8,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn the_match_is_the_definition(pattern in pattern(), text in text()) {
        let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
        prop_assert_eq!(wildcard_match(&pattern, &text), by_definition(&p, &t));
    }

    #[test]
    fn without_case_is_the_definition_on_lower_case(pattern in pattern(), text in text()) {
        let (p, t): (Vec<char>, Vec<char>) = (
            pattern.to_ascii_lowercase().chars().collect(),
            text.to_ascii_lowercase().chars().collect(),
        );
        prop_assert_eq!(wildcard_match_ignore_case(&pattern, &text), by_definition(&p, &t));
    }

    #[test]
    fn a_text_made_a_pattern_matches_it(text in text(), stars in proptest::collection::vec(any::<bool>(), 8)) {
        // Every other character replaced by `?` or followed by `*` where `stars` says so.
        let pattern: String = text
            .chars()
            .zip(stars.iter().cycle())
            .map(|(c, &star)| if star { format!("{c}*") } else { "?".to_owned() })
            .collect();
        prop_assert!(wildcard_match(&pattern, &text));
        prop_assert!(wildcard_match("*", &text));
        prop_assert!(wildcard_match(&text, &text));
    }
}
