//! What a statement's elements cover, as sets: whether an action, a resource pattern, a
//! principal or a condition falls inside what another statement (or a question) names. Every
//! "yes" here is a proof; where a question cannot be settled exactly the answer errs the way
//! the caller names (`intersects` towards yes, `contains` towards no).

use super::view::{Condition, Items, Principals};
use crate::matching::{Family, pattern_contains, patterns_intersect, wildcard_match_ignore_case};
use std::borrow::Cow;

/// Whether a pattern has IAM wildcards.
pub(crate) fn is_wild(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// A resource pattern with its policy variables read as `*`: a variable takes some value at
/// request time, so the pattern matches no more than this. `${*}`, `${?}` and `${$}` stand for
/// themselves, and a `*` or `?` there only widens the pattern.
pub(crate) fn widened(pattern: &str) -> Cow<'_, str> {
    let variables = crate::matching::variables(pattern);
    if variables.is_empty() {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len());
    let mut from = 0;
    for variable in variables {
        out.push_str(pattern.get(from..variable.start).unwrap_or_default());
        out.push('*');
        from = variable.start + variable.text.len();
    }
    out.push_str(pattern.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

/// Whether `wide` matches every text `narrow` does. A `wide` with a policy variable matches
/// one value per request, which is proved to hold `narrow` only when both are written alike.
fn resource_contains(wide: &str, narrow: &str) -> bool {
    if wide == narrow {
        return true;
    }
    !wide.contains("${") && pattern_contains(wide, &widened(narrow), false)
}

fn resource_intersects(a: &str, b: &str) -> bool {
    patterns_intersect(&widened(a), &widened(b), false)
}

/// Whether the statement's actions may include the action named `name` (a concrete action).
pub(crate) fn action_listed(items: &Items<'_>, name: &str) -> bool {
    match items {
        Items::Listed(patterns) => patterns.iter().any(|p| wildcard_match_ignore_case(p, name)),
        Items::Except(patterns) => !patterns.iter().any(|p| wildcard_match_ignore_case(p, name)),
        Items::Any => true,
    }
}

/// Whether the statement's actions may share an action with the pattern (over-approximated).
pub(crate) fn actions_intersect(items: &Items<'_>, pattern: &str) -> bool {
    match items {
        Items::Listed(patterns) => patterns
            .iter()
            .any(|p| patterns_intersect(p, pattern, true)),
        Items::Except(patterns) => !patterns.iter().any(|p| pattern_contains(p, pattern, true)),
        Items::Any => true,
    }
}

/// Whether the statement's actions hold every action the pattern matches (proved).
pub(crate) fn actions_contain(items: &Items<'_>, pattern: &str) -> bool {
    match items {
        Items::Listed(patterns) => patterns.iter().any(|p| pattern_contains(p, pattern, true)),
        Items::Except(patterns) => !patterns
            .iter()
            .any(|p| patterns_intersect(p, pattern, true)),
        Items::Any => true,
    }
}

/// Whether the statement's resources may share a resource with the pattern.
pub(crate) fn resources_intersect(items: &Items<'_>, pattern: &str) -> bool {
    match items {
        Items::Listed(patterns) => patterns.iter().any(|p| resource_intersects(p, pattern)),
        Items::Except(patterns) => !patterns.iter().any(|p| resource_contains(p, pattern)),
        Items::Any => true,
    }
}

/// Whether the statement's resources hold every resource the pattern matches (proved).
pub(crate) fn resources_contain(items: &Items<'_>, pattern: &str) -> bool {
    match items {
        Items::Listed(patterns) => patterns.iter().any(|p| resource_contains(p, pattern)),
        Items::Except(patterns) => !patterns.iter().any(|p| resource_intersects(p, pattern)),
        Items::Any => true,
    }
}

/// Whether `wide` covers every resource `narrow` covers (proved).
pub(crate) fn resource_set_contains(wide: &Items<'_>, narrow: &Items<'_>) -> bool {
    match (wide, narrow) {
        (Items::Any, _) => true,
        (_, Items::Listed(patterns)) => patterns.iter().all(|p| resources_contain(wide, p)),
        (Items::Listed(patterns), _) => patterns.contains(&"*"),
        // Everything but W holds everything but N when W lies within N.
        (Items::Except(excluded), Items::Except(narrow_excluded)) => excluded
            .iter()
            .all(|w| narrow_excluded.iter().any(|n| resource_contains(n, w))),
        (Items::Except(_), Items::Any) => false,
    }
}

/// Whether `wide` holds every action pattern or exclusion of `narrow` matches, including
/// actions that the reference does not list yet (proved). Concrete actions are compared one by
/// one by the callers; this covers what lies beyond them.
pub(crate) fn action_set_contains(wide: &Items<'_>, narrow: &Items<'_>) -> bool {
    match (wide, narrow) {
        (Items::Any, _) => true,
        (_, Items::Listed(patterns)) => patterns.iter().all(|p| actions_contain(wide, p)),
        (Items::Listed(patterns), _) => patterns.contains(&"*"),
        (Items::Except(excluded), Items::Except(narrow_excluded)) => excluded
            .iter()
            .all(|w| narrow_excluded.iter().any(|n| pattern_contains(n, w, true))),
        (Items::Except(_), Items::Any) => false,
    }
}

/// An account written either way: `123456789012` or `arn:aws:iam::123456789012:root`.
fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let rest = value.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let account = rest.strip_prefix("iam::")?.strip_suffix(":root")?;
    Some(account)
}

fn same_principal(a: (&str, &str), b: (&str, &str)) -> bool {
    a.0 == b.0 && (a.1 == b.1 || account_of(a.1).is_some_and(|x| account_of(b.1) == Some(x)))
}

/// Whether `wide` names every principal `narrow` does (proved). A principal is compared as
/// written (an account and its root ARN alike): an account does not hold its roles, as a role
/// named in a resource policy needs no identity-based policy of its own while an account's
/// principals do.
pub(crate) fn principals_contain(wide: &Principals<'_>, narrow: &Principals<'_>) -> bool {
    match (wide, narrow) {
        (Principals::Absent, Principals::Absent) => true,
        (Principals::Absent, _) | (_, Principals::Absent) => false,
        (wide, _) if wide.is_everyone() => true,
        (Principals::Listed(wide), Principals::Listed(narrow)) => narrow
            .iter()
            .all(|&n| wide.iter().any(|&w| same_principal(w, n))),
        // Everyone but W holds everyone but N when each of W is one of N.
        (Principals::Except(wide), Principals::Except(narrow)) => wide
            .iter()
            .all(|&w| narrow.iter().any(|&n| same_principal(w, n))),
        _ => false,
    }
}

/// Whether the conditions `strong` can only hold where every one of `weak` holds too (proved):
/// each condition of `weak` appears in `strong` with the same operator and key and values that
/// allow no more.
pub(crate) fn conditions_imply(strong: &[Condition<'_>], weak: &[Condition<'_>]) -> bool {
    weak.iter().all(|w| {
        strong.iter().any(|s| {
            s.operator_name == w.operator_name
                && s.key.eq_ignore_ascii_case(w.key)
                && values_no_wider(s, w)
        })
    })
}

/// Whether `strong`'s values let through no request `weak`'s values do not (same operator).
fn values_no_wider(strong: &Condition<'_>, weak: &Condition<'_>) -> bool {
    let operator = weak.operator;
    let within = |narrow: &[&str], wide: &[&str]| {
        narrow.iter().all(|n| {
            wide.iter().any(|w| {
                n == w
                    || (operator.matches_wildcards()
                        && !w.contains("${")
                        && pattern_contains(w, n, false))
            })
        })
    };
    match operator.family {
        // Fewer values allow less; for the negated operators more values allow less.
        Family::String | Family::Arn | Family::IpAddress | Family::Binary if operator.negated => {
            within(&weak.values, &strong.values)
        }
        Family::String | Family::Arn | Family::IpAddress | Family::Binary => {
            within(&strong.values, &weak.values)
        }
        // Numbers, dates, booleans and `Null`: the same values.
        _ => {
            strong.values.iter().all(|s| weak.values.contains(s))
                && weak.values.iter().all(|w| strong.values.contains(w))
        }
    }
}

/// Whether no request can satisfy all of `conditions` (proved): a key required absent by
/// `Null` and tested by an operator that is false on an absent key, or a single-valued key
/// required equal to values the same statement requires it to differ from.
pub(crate) fn unsatisfiable(conditions: &[Condition<'_>]) -> bool {
    conditions.iter().any(|first| {
        conditions
            .iter()
            .any(|second| first.key.eq_ignore_ascii_case(second.key) && contradict(first, second))
    })
}

fn contradict(first: &Condition<'_>, second: &Condition<'_>) -> bool {
    let (a, b) = (first.operator, second.operator);
    // A positive operator without `IfExists` or `ForAllValues:` is false on an absent key.
    let needs_key = |operator: crate::matching::Operator| {
        operator.family != Family::Null
            && !operator.negated
            && !operator.if_exists
            && operator.qualifier.is_none()
    };
    if a.family == Family::Null && first.values == ["true"] && needs_key(b) {
        return true;
    }
    a.base == "StringEquals"
        && b.base == "StringNotEquals"
        && a.qualifier.is_none()
        && b.qualifier.is_none()
        && !a.if_exists
        && !first.values.is_empty()
        && first
            .values
            .iter()
            .all(|v| !v.contains("${") && second.values.contains(v))
}
