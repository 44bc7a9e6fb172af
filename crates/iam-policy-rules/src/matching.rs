//! What the rules and the evaluation engine of `iam-policy` share: IAM's wildcard match, the
//! condition operators, the readers of condition values and the policy variables. One copy, so
//! that what the rules accept is what the engine evaluates.

use iam_policy_reference as reference;

pub use crate::rules::operator::{Family, Operator, SetQualifier};
pub use crate::rules::value::{IpRange, parse_bool, parse_date, parse_number};
pub use crate::rules::variable::{Form, Variable, scan as variables};

/// IAM's wildcard match with case: `*` matches any run of characters (across `/` and `:`),
/// `?` any one character. How resources and `...Like` condition values match.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, false)
}

/// [`wildcard_match`] without ASCII case: how actions match (`s3:get*` matches
/// `s3:GetObject`).
pub fn wildcard_match_ignore_case(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, true)
}

#[inline]
fn wildcard_match_with(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // ASCII text, the usual case, is matched byte by byte; otherwise `?` must take a whole
    // character.
    if pattern.is_ascii() && text.is_ascii() {
        let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
        return if ignore_case {
            reference::wildcard_match_by(pattern, text, b'*', b'?', |a, b| {
                a.eq_ignore_ascii_case(&b)
            })
        } else {
            reference::wildcard_match_by(pattern, text, b'*', b'?', |a, b| a == b)
        };
    }
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    // Through `dyn`, so that the generic matcher is compiled once for every match over
    // characters (rare text here, and the set checks' containment).
    let same: &dyn Fn(char, char) -> bool = if ignore_case {
        &|a, b| a.eq_ignore_ascii_case(&b)
    } else {
        &|a, b| a == b
    };
    reference::wildcard_match_by(&pattern, &text, '*', '?', same)
}

/// Whether some text matches both IAM wildcard patterns (`*` any run, `?` one character), so
/// that a statement written with one may cover what the other asks about. Exact, in time
/// proportional to the product of the lengths: a search over pairs of positions.
pub fn patterns_intersect(a: &str, b: &str, ignore_case: bool) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut seen = vec![false; (a.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let Some(slot) = seen.get_mut(i * width + j) else {
            continue;
        };
        if *slot {
            continue;
        }
        *slot = true;
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        match (x, y) {
            (None, None) => return true,
            (Some('*'), _) | (_, Some('*')) => {
                // A star matches nothing, or one more character the other side spells.
                if x == Some('*') {
                    stack.push((i + 1, j));
                    if y.is_some_and(|y| y != '*') {
                        stack.push((i, j + 1));
                    }
                }
                if y == Some('*') {
                    stack.push((i, j + 1));
                    if x.is_some_and(|x| x != '*') {
                        stack.push((i + 1, j));
                    }
                }
            }
            (Some(x), Some(y)) if same_character(x, y, ignore_case) => stack.push((i + 1, j + 1)),
            _ => {}
        }
    }
    false
}

fn same_character(x: char, y: char, ignore_case: bool) -> bool {
    x == '?' || y == '?' || x == y || (ignore_case && x.eq_ignore_ascii_case(&y))
}

/// Whether every text that `narrow` matches is matched by `wide` too. Sound, not complete:
/// `true` is a proof, `false` may be wrong for some contained pairs (`a*` in `a?*|a`). It reads
/// `narrow` as a word in which `*` and `?` are symbols that only a `*` of `wide` (or, for `?`,
/// a `?` of `wide`) can stand for: a match then holds for every text `narrow` matches.
pub fn pattern_contains(wide: &str, narrow: &str, ignore_case: bool) -> bool {
    // `?` of `wide` is handled by `fits` below, so the matcher's own single-character unit is
    // one that `wide` does not hold.
    const NO_UNIT: char = '\u{FFFF}';
    if wide.contains(NO_UNIT) {
        return false;
    }
    let (wide, narrow): (Vec<char>, Vec<char>) = (wide.chars().collect(), narrow.chars().collect());
    let fits: &dyn Fn(char, char) -> bool = &|unit, symbol| match (unit, symbol) {
        (_, '*') => false,
        ('?', _) => true,
        (_, '?') => false,
        (x, y) => x == y || (ignore_case && x.eq_ignore_ascii_case(&y)),
    };
    reference::wildcard_match_by(&wide, &narrow, '*', NO_UNIT, fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert!(wildcard_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b"
        ));
        assert!(wildcard_match("a?c*", "abcdef"));
        assert!(wildcard_match("*x*", "axb"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(!wildcard_match(
            "arn:aws:s3:::Bucket",
            "arn:aws:s3:::bucket"
        ));
        assert!(wildcard_match("é?", "éü"));
        assert!(wildcard_match_ignore_case("s3:get*", "S3:GetObject"));
        assert!(!wildcard_match_ignore_case("s3:Get?", "s3:GetObject"));
    }

    #[test]
    fn dates_read_as_seconds_since_the_epoch() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("2020-03-01T00:00:00Z"), Some(1_583_020_800.0));
        assert_eq!(
            parse_date("2020-03-01T01:00:00+01:00"),
            Some(1_583_020_800.0)
        );
        assert_eq!(parse_date("2020-02-29T23:59:59.5Z"), Some(1_583_020_799.5));
        assert_eq!(parse_date("1583020800"), Some(1_583_020_800.0));
        assert_eq!(parse_date("2020-02-30"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn ranges_hold_their_addresses() {
        let range = IpRange::parse("203.0.113.0/24");
        let inside = "203.0.113.7".parse().ok();
        let outside = "203.0.114.7".parse().ok();
        let v6 = "2001:db8::1".parse().ok();
        assert!(range.zip(inside).is_some_and(|(r, a)| r.contains(a)));
        assert!(!range.zip(outside).is_some_and(|(r, a)| r.contains(a)));
        assert!(!range.zip(v6).is_some_and(|(r, a)| r.contains(a)));
    }

    #[test]
    fn patterns_intersect_when_some_text_matches_both() {
        assert!(patterns_intersect("iam:Create*", "iam:*Role", true));
        assert!(patterns_intersect("IAM:PASSROLE", "iam:pass*", true));
        assert!(!patterns_intersect("IAM:PASSROLE", "iam:pass*", false));
        assert!(patterns_intersect("a?c", "*c", false));
        assert!(!patterns_intersect("a?c", "*d", false));
        assert!(!patterns_intersect(
            "arn:aws:s3:::a/*",
            "arn:aws:s3:::b/*",
            false
        ));
        assert!(patterns_intersect(
            "arn:aws:s3:::a*",
            "arn:aws:s3:::*b",
            false
        ));
        assert!(patterns_intersect("", "*", false));
        assert!(!patterns_intersect("", "?", false));
        assert!(patterns_intersect("*a*", "*b*", false));
    }

    #[test]
    fn containment_is_proved_only_when_it_holds() {
        assert!(pattern_contains("*", "anything*?", false));
        assert!(pattern_contains("s3:Get*", "s3:GetObject*", false));
        assert!(pattern_contains("s3:get*", "S3:GetObject", true));
        assert!(!pattern_contains("s3:get*", "S3:GetObject", false));
        assert!(pattern_contains("a?c", "a?c", false));
        assert!(pattern_contains("a?c", "abc", false));
        assert!(!pattern_contains("abc", "a?c", false));
        assert!(!pattern_contains("a?c", "a*c", false));
        assert!(!pattern_contains(
            "arn:aws:s3:::b/x*",
            "arn:aws:s3:::b/*",
            false
        ));
        assert!(pattern_contains(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/x/*",
            false
        ));
    }
}
