//! Condition keys: each one known (or a well-formed claim of an identity provider), deprecated
//! keys, and keys or operators given twice.

use super::condition::report;
use super::{Condition, Context, Entry, PAIRWISE_UP_TO, Statement, did_you_mean};
use crate::IssueCode;
use crate::element;
use crate::json::Value;
use crate::order::sorted_positions;
use iam_policy_reference::{self as reference, ConditionKey};
use rustc_hash::FxHashMap;

/// Tag keys that need a `/tag-key` suffix, in lower case.
const TAG_FAMILIES: &[&str] = &["resourcetag", "requesttag", "principaltag"];

/// The key must be `prefix:name` and known: a global `aws:` key, a key of the service named by
/// the prefix (templated keys such as `ssm:resourceTag/${TagKey}` match any tag), or a claim of
/// an identity provider (any OIDC provider URL may be a prefix, e.g.
/// `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub`, so these are not judged).
#[inline]
pub(super) fn check_key(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    ctx: &mut Context<'_>,
) -> Option<ConditionKey> {
    let entry = &condition.key;
    let name = entry.text;
    // Split at the first colon, found as a byte (cheaper than a character search).
    let colon = name.bytes().position(|byte| byte == b':');
    let split = colon.and_then(|at| Some((name.get(..at)?, name.get(at + 1..)?)));
    let Some((prefix, rest)) = split.filter(|(prefix, rest)| {
        !prefix.is_empty() && !rest.is_empty() && !prefix.contains(char::is_whitespace)
    }) else {
        report(
            ctx,
            statement,
            entry,
            IssueCode::InvalidConditionKeyFormat,
            format!("condition key `{name}` is not of the form `prefix:name`"),
            Some("write a key such as `aws:SourceIp` or `s3:prefix`".to_owned()),
        );
        return None;
    };
    if let Some(deprecated) = reference::deprecated_condition_key(name) {
        let replacements: Vec<String> = deprecated
            .replacements
            .iter()
            .map(|replacement| format!("`{replacement}`"))
            .collect();
        let help = format!("use {}", replacements.join(" or "));
        if deprecated.unsupported {
            report(
                ctx,
                statement,
                entry,
                IssueCode::UnsupportedGlobalConditionKey,
                format!("global condition key `{name}` is not supported"),
                Some(help.clone()),
            );
        }
        report(
            ctx,
            statement,
            entry,
            IssueCode::DeprecatedGlobalConditionKey,
            format!("global condition key `{name}` is deprecated"),
            Some(help),
        );
        return None;
    }
    if let Some(key) = reference::condition_key(name) {
        return Some(key);
    }
    if is_tag_family_without_key(rest) {
        report(
            ctx,
            statement,
            entry,
            IssueCode::MissingTagKeyInCondition,
            format!("condition key `{name}` names no tag key"),
            Some(format!(
                "write the tag key after a slash, e.g. `{}/CostCenter`",
                name.trim_end_matches('/')
            )),
        );
        return None;
    }
    // Searched only for the findings that show it (not for identity-provider claims).
    let help = |ctx: &mut Context<'_>| {
        did_you_mean(
            ctx.suggest(|| crate::suggest::suggest_condition_key(name))
                .first()
                .map(|suggestion| fill_template(suggestion, name))
                .as_deref(),
        )
    };
    if prefix.eq_ignore_ascii_case("aws") {
        let help = help(ctx);
        report(
            ctx,
            statement,
            entry,
            IssueCode::InvalidGlobalConditionKey,
            format!("unknown global condition key `{name}`"),
            help,
        );
        return None;
    }
    if let Some(spelling) = reference::retired_condition_key(name) {
        report(
            ctx,
            statement,
            entry,
            IssueCode::RetiredConditionKey,
            format!("condition key `{spelling}` was retired: it is in the 2024 reference but not any more"),
            // Removing the condition could widen the statement: the help only states the fact.
            Some("no request has this key any more, so the condition holds only where an absent key satisfies it".to_owned()),
        );
        return None;
    }
    if reference::service(prefix).is_some() {
        let help = help(ctx);
        report(
            ctx,
            statement,
            entry,
            IssueCode::InvalidServiceConditionKey,
            format!("service `{prefix}` has no condition key `{name}`"),
            help,
        );
        return None;
    }
    if is_identity_provider(prefix) {
        return None;
    }
    if reference::retired_service(prefix) {
        report(
            ctx,
            statement,
            entry,
            IssueCode::RetiredService,
            format!(
                "the service `{}` of condition key `{name}` was retired: it is in the 2024 reference but not any more",
                prefix.to_ascii_lowercase()
            ),
            // Removing the condition could widen the statement: the help only states the fact.
            Some("no request has this key any more, so the condition holds only where an absent key satisfies it".to_owned()),
        );
        return None;
    }
    let suggestions = ctx.suggest(|| crate::suggest::suggest_service(prefix));
    report(
        ctx,
        statement,
        entry,
        IssueCode::InvalidService,
        format!("unknown service prefix `{prefix}` in condition key `{name}`"),
        did_you_mean(suggestions.first().copied()),
    );
    None
}

/// A suggested templated key with the variable part the user wrote: `aws:PrincipalTag/${TagKey}`
/// for `aws:PrincipalTagg/team` becomes `aws:PrincipalTag/team`.
fn fill_template(suggestion: &str, written: &str) -> String {
    let template_at_end = suggestion.find("${").filter(|_| suggestion.ends_with('}'));
    match (template_at_end, written.split_once('/')) {
        (Some(at), Some((_, part))) if !part.is_empty() && suggestion[..at].ends_with('/') => {
            format!("{}{part}", &suggestion[..at])
        }
        _ => suggestion.to_owned(),
    }
}

/// `aws:ResourceTag`, `ec2:ResourceTag/` and the like: a tag key family without its tag key.
fn is_tag_family_without_key(rest: &str) -> bool {
    let family = rest.strip_suffix('/').unwrap_or(rest);
    TAG_FAMILIES
        .iter()
        .any(|tag| family.eq_ignore_ascii_case(tag))
}

/// Identity-provider claims are prefixed with the provider's host name (and path), which holds
/// a dot: `accounts.google.com:aud`, `token.actions.githubusercontent.com:sub`.
#[inline]
pub(super) fn is_identity_provider(prefix: &str) -> bool {
    prefix.contains('.')
}

/// `Condition` must not hold an operator twice, nor an operator block a key twice: JSON readers
/// keep only one of the two, so a restriction vanishes between review and deployment. Both
/// places are reported. A key repeated in different case is Access Analyzer's
/// `DUPLICATE_KEYS_WITH_DIFFERENT_CASE` (key names are case-insensitive, so IAM would see two
/// values for one key), reported at the later key.
///
/// A few names are compared pairwise; more are sorted, so that repeats are neighbours.
#[inline]
pub(super) fn check_duplicate_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    check_duplicate_operators(statement, ctx);
    let conditions = &statement.conditions;
    let same_key = |a: &Condition<'_>, b: &Condition<'_>| {
        a.operator.span == b.operator.span && a.key.text.eq_ignore_ascii_case(b.key.text)
    };
    // Mostly there are a few keys, all different: told by comparing each pair, with no sorting.
    if conditions.len() <= PAIRWISE_UP_TO
        && conditions.iter().enumerate().all(|(position, condition)| {
            conditions
                .get(..position)
                .unwrap_or_default()
                .iter()
                .all(|earlier| !same_key(earlier, condition))
        })
    {
        return;
    }
    // By operator block, then by key in any case, then in source order.
    fn lowered(text: &str) -> impl Iterator<Item = u8> + '_ {
        text.bytes().map(|byte| byte.to_ascii_lowercase())
    }
    let order = sorted_positions(conditions.len(), &|a, b| {
        let (Some(a), Some(b)) = (conditions.get(a), conditions.get(b)) else {
            return std::cmp::Ordering::Equal;
        };
        (a.operator.span.start.cmp(&b.operator.span.start))
            .then_with(|| lowered(a.key.text).cmp(lowered(b.key.text)))
    });
    let picked: Vec<&Condition<'_>> = order
        .iter()
        .filter_map(|&index| conditions.get(index))
        .collect();
    for group in picked.chunk_by(|a, b| same_key(a, b)) {
        let [first, ..] = group else { continue };
        // The first key of the group (in source order) spelled otherwise than the first one.
        let first_other = group
            .iter()
            .position(|condition| condition.key.text != first.key.text);
        // How often each spelling is given, for the keys given twice alike.
        let mut spellings: FxHashMap<&str, usize> = FxHashMap::default();
        if group.len() > 1 {
            for condition in group {
                *spellings.entry(condition.key.text).or_default() += 1;
            }
        }
        for (position, condition) in group.iter().enumerate() {
            let earlier = if condition.key.text != first.key.text {
                Some(first)
            } else {
                first_other
                    .filter(|&other| other < position)
                    .and_then(|other| group.get(other))
            };
            if let Some(earlier) = earlier {
                report(
                    ctx,
                    statement,
                    &condition.key,
                    IssueCode::DuplicateKeysWithDifferentCase,
                    format!(
                        "condition key `{}` repeats `{}` under `{}` (key names ignore case)",
                        condition.key.text, earlier.key.text, condition.operator.text
                    ),
                    Some("merge the values under one key".to_owned()),
                );
            }
            let given = spellings.get(condition.key.text).copied().unwrap_or(1);
            if given > 1 {
                report(
                    ctx,
                    statement,
                    &condition.key,
                    IssueCode::DuplicateConditionKey,
                    format!(
                        "condition key `{}` is given {} under `{}`: JSON readers keep only one of its values, and the other restrictions are lost",
                        condition.key.text,
                        times(given),
                        condition.operator.text
                    ),
                    Some("merge the values into one array under one key".to_owned()),
                );
            }
        }
    }
}

/// The operators of the statement's `Condition` (empty blocks too, as an empty block written
/// last would replace a full one), each repeat reported at every place.
fn check_duplicate_operators(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    static CONDITION: std::borrow::Cow<'static, str> =
        std::borrow::Cow::Borrowed(element::CONDITION);
    if !statement.several_operators {
        return;
    }
    let Value::Object(members) = &statement.node.value else {
        return;
    };
    let Some(Value::Object(operators)) = members
        .iter()
        .find(|member| member.key == element::CONDITION)
        .map(|member| &member.value.value)
    else {
        return;
    };
    if operators.len() < 2 {
        return;
    }
    // Mostly a few operators, all different: told by comparing each pair, with no sorting.
    if operators.len() <= PAIRWISE_UP_TO
        && operators.iter().enumerate().all(|(position, operator)| {
            operators
                .get(..position)
                .unwrap_or_default()
                .iter()
                .all(|earlier| earlier.key != operator.key)
        })
    {
        return;
    }
    // By name, then in source order.
    let key = |index: usize| {
        operators
            .get(index)
            .map(|operator| (&operator.key, operator.key_span.start))
    };
    let order = sorted_positions(operators.len(), &|a, b| key(a).cmp(&key(b)));
    let name = |index: usize| operators.get(index).map(|operator| &operator.key);
    let path = statement.path.member(&CONDITION);
    for group in order.chunk_by(|&a, &b| name(a) == name(b)) {
        if group.len() < 2 {
            continue;
        }
        for operator in group.iter().filter_map(|&index| operators.get(index)) {
            let entry = Entry {
                text: &operator.key,
                span: operator.key_span,
                path: path.member(&operator.key),
            };
            report(
                ctx,
                statement,
                &entry,
                IssueCode::DuplicateConditionOperator,
                format!(
                    "condition operator `{}` is given {} in this `Condition`: JSON readers keep only one of its blocks, and the other blocks' restrictions are lost",
                    operator.key,
                    times(group.len())
                ),
                Some("merge the blocks into one: all their keys apply".to_owned()),
            );
        }
    }
}

/// "twice", "3 times", ...
fn times(count: usize) -> String {
    if count == 2 {
        "twice".to_owned()
    } else {
        format!("{count} times")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::conditions::{S3, check};
    use super::super::testing::statement;
    use super::super::testing::statement_rules::{findings, only};
    use crate::IssueCode::{self, *};

    #[test]
    fn key_format_and_known_keys() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"SourceVpc": "vpc-1a2b3c4d"}}"#),
            [InvalidConditionKeyFormat]
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:SourceVcp": "vpc-1a2b3c4d"}}"#),
            [InvalidGlobalConditionKey]
        );
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTagg/team": "ops"}}"#,
            ),
            None,
            InvalidGlobalConditionKey,
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `aws:PrincipalTag/team`?")
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s3:prefixx": "a"}}"#),
            [InvalidServiceConditionKey]
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s4:prefix": "a"}}"#),
            [InvalidService]
        );
        // A key of a service retired since 2024 is named as such, a warning.
        assert_eq!(
            check(S3, r#"{"StringEquals": {"deepracer:UserToken": "a"}}"#),
            [RetiredService]
        );
        // So is a retired key of a current service.
        assert_eq!(
            check(S3, r#"{"StringEquals": {"omics:VariantStoreName": "a"}}"#),
            [RetiredConditionKey]
        );
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVcp": "vpc-1a2b3c4d"}}"#,
            ),
            None,
            InvalidGlobalConditionKey,
        );
        assert!(
            finding
                .help
                .is_some_and(|help| help.starts_with("did you mean `aws:Source"))
        );
        // Key names are case-insensitive.
        assert_eq!(
            check(S3, r#"{"StringEquals": {"AWS:sourcevpc": "vpc-1a2b3c4d"}}"#),
            []
        );
        // Claims of any OIDC provider are keys too.
        assert_eq!(
            check(
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:a:b"}}"#
            ),
            []
        );
    }

    #[test]
    fn aws_arn_is_unsupported_and_deprecated() {
        assert_eq!(
            check(
                S3,
                r#"{"ArnEquals": {"aws:ARN": "arn:aws:iam::123456789012:role/x"}}"#
            ),
            [UnsupportedGlobalConditionKey, DeprecatedGlobalConditionKey]
        );
    }

    #[test]
    fn aws_source_owner_is_deprecated() {
        // SNS's default topic policy still writes it.
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "sns:Publish", "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}"#,
            ),
            None,
            DeprecatedGlobalConditionKey,
        );
        assert_eq!(finding.help.as_deref(), Some("use `aws:SourceAccount`"));
        assert_eq!(
            check(
                r#""sns:Publish""#,
                r#"{"StringEquals": {"AWS:SourceOwner": "123456789012"}}"#
            ),
            [DeprecatedGlobalConditionKey]
        );
    }

    #[test]
    fn tag_keys_need_a_tag() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:ResourceTag": "x"}}"#),
            [MissingTagKeyInCondition]
        );
        assert_eq!(
            check(
                r#""ssm:StartSession""#,
                r#"{"StringEquals": {"ssm:resourceTag/": "x"}}"#
            ),
            [MissingTagKeyInCondition]
        );
    }

    /// JSON readers keep one of two equal names: each place of the repeat is reported.
    #[test]
    fn operators_and_keys_given_twice() {
        // The issue's policy: `aws:PrincipalOrgID` would vanish.
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "StringEquals": {"aws:username": "bob"}}"#
            ),
            [DuplicateConditionOperator, DuplicateConditionOperator]
        );
        // An empty block written last would replace the full one (the grammar, left out of
        // these findings, reports the empty block).
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "StringEquals": {}}"#
            ),
            [DuplicateConditionOperator, DuplicateConditionOperator]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:username": "bob", "aws:PrincipalOrgID": "o-f6g7h8i9j0"}}"#
            ),
            [DuplicateConditionKey, DuplicateConditionKey]
        );
        // Alike and in another case at once: both findings, each where it applies.
        let found = findings(
            &statement(&format!(
                r#""Effect": "Allow", "Action": {S3}, "Resource": "*", "Condition": {{"StringEquals": {{"aws:SourceVpc": "vpc-1a2b3c4d", "aws:sourcevpc": "vpc-2a2b3c4d", "aws:SourceVpc": "vpc-3a2b3c4d"}}}}"#
            )),
            None,
        );
        let found: Vec<(IssueCode, &str)> = found
            .iter()
            .map(|finding| (finding.code, finding.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    DuplicateConditionKey,
                    "condition key `aws:SourceVpc` is given twice under `StringEquals`: JSON readers keep only one of its values, and the other restrictions are lost"
                ),
                (
                    DuplicateKeysWithDifferentCase,
                    "condition key `aws:sourcevpc` repeats `aws:SourceVpc` under `StringEquals` (key names ignore case)"
                ),
                (
                    DuplicateKeysWithDifferentCase,
                    "condition key `aws:SourceVpc` repeats `aws:sourcevpc` under `StringEquals` (key names ignore case)"
                ),
                (
                    DuplicateConditionKey,
                    "condition key `aws:SourceVpc` is given twice under `StringEquals`: JSON readers keep only one of its values, and the other restrictions are lost"
                ),
            ]
        );
        // The same key under two operators is two conditions, both applied.
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:username": "bob"}, "StringLike": {"aws:username": "b*"}}"#
            ),
            []
        );
    }

    #[test]
    fn keys_differing_in_case_only() {
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d", "aws:sourcevpc": "vpc-2a2b3c4d"}}"#
            ),
            [DuplicateKeysWithDifferentCase]
        );
    }
}
