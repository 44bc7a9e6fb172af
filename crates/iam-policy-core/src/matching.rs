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
    // ASCII text, the usual case, is matched byte by byte; otherwise `?` must take a whole
    // character.
    if pattern.is_ascii() && text.is_ascii() {
        return reference::wildcard_match_by(
            pattern.as_bytes(),
            text.as_bytes(),
            b'*',
            b'?',
            |a, b| a == b,
        );
    }
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    reference::wildcard_match_by(&pattern, &text, '*', '?', |a, b| a == b)
}

/// [`wildcard_match`] without ASCII case: how actions match (`s3:get*` matches
/// `s3:GetObject`).
pub fn wildcard_match_ignore_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return reference::wildcard_match_by(
            pattern.as_bytes(),
            text.as_bytes(),
            b'*',
            b'?',
            |a, b| a.eq_ignore_ascii_case(&b),
        );
    }
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    reference::wildcard_match_by(&pattern, &text, '*', '?', |a, b| a.eq_ignore_ascii_case(&b))
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
}
