//! Condition values: the fit of each value to its operator (types, variables, wildcards), and
//! the Access Analyzer checks on the values of well-known keys.

use super::condition::{Checked, ConditionValue, IpRanges, report, scalar_text};
use super::operator::{Family, Operator, SetQualifier};
use super::value::{self, DateProblem};
use super::{Condition, Context, Effect, Statement};
use crate::IssueCode;
use crate::json::{Node, Value};
use iam_policy_reference::{self as reference, ConditionKey, ConditionKeyType};

/// `[]` as the values: the condition never matches, or matches only when the key is absent.
#[inline]
pub(super) fn check_empty_values(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Option<Operator>,
    ctx: &mut Context<'_>,
) {
    if !matches!(&condition.values_node.value, Value::Array(values) if values.is_empty()) {
        return;
    }
    let (code, help) = match operator {
        Some(Operator {
            qualifier: Some(SetQualifier::ForAllValues),
            ..
        }) => (
            IssueCode::EmptyArrayConditionForallvalues,
            "`ForAllValues` with no values matches only when the key is absent; use `Null` with `true`",
        ),
        Some(Operator {
            qualifier: Some(SetQualifier::ForAnyValue),
            ..
        }) => (
            IssueCode::EmptyArrayConditionForanyvalue,
            "`ForAnyValue` with no values never matches; remove the condition or add values",
        ),
        Some(Operator {
            if_exists: true, ..
        }) => (
            IssueCode::EmptyArrayConditionIfexists,
            "`IfExists` with no values matches only when the key is absent; use `Null` with `true`",
        ),
        _ => (
            IssueCode::EmptyArrayCondition,
            "add the values to compare, or remove the condition",
        ),
    };
    ctx.report(
        code,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        format!("condition key `{}` has no values", condition.key.text),
        Some(help.to_owned()),
    );
}

/// The values of one key must all have the same JSON type.
#[inline]
pub(super) fn check_value_types_agree(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    ctx: &mut Context<'_>,
) {
    let kind = |node: &Node<'_>| match node.value {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Null | Value::Array(_) | Value::Object(_) => "other",
    };
    let Some(first) = condition.values.first() else {
        return;
    };
    if let Some(other) = condition
        .values
        .iter()
        .find(|node| kind(node) != kind(first))
    {
        ctx.report(
            IssueCode::InvalidConditionDataType,
            condition.values_node.span,
            condition.key.path,
            Some(statement.index),
            format!(
                "the values of `{}` mix JSON types ({} and {})",
                condition.key.text,
                kind(first),
                kind(other)
            ),
            Some("write every value of one key with the same type, e.g. all strings".to_owned()),
        );
    }
}

/// Each value must be of the operator's type: `true`/`false` for Bool and Null, numbers, ISO
/// 8601 dates or epoch seconds, IP ranges, base64, ARNs.
#[inline]
pub(super) fn check_value_fits_operator(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    let text = value.text;
    if value.resolves_variable {
        // Reported by the variable check when the family takes no variables.
        return;
    }
    let operator_name = condition.operator.text;
    let problem = match operator.family {
        Family::Bool | Family::Null if value::parse_bool(text).is_none() => Some((
            IssueCode::TypeMismatchBoolean,
            format!("`{operator_name}` takes `true` or `false`, not `{text}`"),
            "write `true` or `false`".to_owned(),
        )),
        Family::Numeric if value::parse_number(text).is_none() => Some((
            IssueCode::TypeMismatchNumber,
            format!("`{operator_name}` takes a number, not `{text}`"),
            "write an integer or a decimal number, e.g. `3600`".to_owned(),
        )),
        Family::Date => match value::check_date(text) {
            Ok(()) => None,
            Err(DateProblem::NotADate) => Some((
                IssueCode::TypeMismatchDate,
                format!("`{operator_name}` takes a date, not `{text}`"),
                "write an ISO 8601 date such as `2026-01-31` or `2026-01-31T12:00:00Z`".to_owned(),
            )),
            Err(DateProblem::Suspicious(reason)) => Some((
                IssueCode::InvalidDateValue,
                format!("date `{text}` may not resolve as intended: {reason}"),
                "write the date as `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`".to_owned(),
            )),
        },
        Family::IpAddress => match value.ip_range {
            None => Some((
                IssueCode::TypeMismatchIpRange,
                format!("`{operator_name}` takes an IP address or CIDR range, not `{text}`"),
                "write an IPv4 or IPv6 range such as `203.0.113.0/24`".to_owned(),
            )),
            Some(range) => range.normalized().map(|normalized| {
                (
                    IssueCode::ImproveIpRange,
                    format!("IP range `{text}` has host bits set after the prefix"),
                    format!("write `{normalized}`"),
                )
            }),
        },
        Family::Binary if !value::is_base64(text) => Some((
            IssueCode::TypeMismatchString,
            format!("`{operator_name}` takes a base64-encoded value, not `{text}`"),
            "encode the bytes in base64".to_owned(),
        )),
        Family::Arn if !value::is_arn_pattern(text) => Some((
            IssueCode::TypeMismatchArn,
            format!("`{operator_name}` takes an ARN, not `{text}`"),
            "write an ARN such as `arn:aws:iam::123456789012:role/name`; wildcards are allowed in each segment".to_owned(),
        )),
        _ => None,
    };
    if let Some((code, message, help)) = problem {
        ctx.report(
            code,
            value.node.span,
            value.path(),
            Some(statement.index),
            message,
            Some(help),
        );
    }
}

/// Policy variables resolve only in the values of String and ARN operators.
#[inline]
pub(super) fn check_variable_fits_operator(
    statement: &Statement<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    if operator.family.takes_variables() || !value.starts_variable {
        return;
    }
    ctx.report(
        IssueCode::InvalidVariableForOperator,
        value.node.span,
        value.path(),
        Some(statement.index),
        format!(
            "a policy variable in `{}` does not resolve with a {} operator",
            value.text,
            operator.family.name()
        ),
        Some("policy variables work only with String and ARN operators".to_owned()),
    );
}

/// `*` and `?` are wildcards only for the `...Like` string operators; elsewhere they are
/// compared as literal characters.
#[inline]
pub(super) fn check_wildcard_needs_like(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    if operator.family != Family::String || operator.matches_wildcards() || !value.wildcard {
        return;
    }
    let like = if operator.negated {
        "StringNotLike"
    } else {
        "StringLike"
    };
    ctx.report(
        IssueCode::WildcardWithoutLikeOperator,
        value.node.span,
        value.path(),
        Some(statement.index),
        format!(
            "`{}` compares `{}` literally: `*` and `?` are not wildcards for it",
            condition.operator.text, value.text
        ),
        Some(format!("use `{like}` to match a pattern")),
    );
}

/// Wildcards are too permissive in the value of a sensitive key (one naming an account,
/// organization or network endpoint, by AWS's list), and in the unique-ID part of `aws:userid`
/// (before the colon); a policy variable mixed with a wildcard there is too permissive as well.
#[inline]
pub(super) fn check_permissive_wildcard(
    statement: &Statement<'_>,
    checked: &Checked<'_, '_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    if !operator.matches_wildcards() || !value.wildcard {
        return;
    }
    let key = checked.condition.key.text;
    let sensitive = checked.key.is_some_and(ConditionKey::is_sensitive);
    let userid_wildcard = key.eq_ignore_ascii_case("aws:userid")
        && value::has_wildcard(value.text.split(':').next().unwrap_or_default());
    if !sensitive && !userid_wildcard {
        return;
    }
    let code = if value.resolves_variable {
        IssueCode::VariableUsageTooPermissive
    } else {
        IssueCode::WildcardUsageTooPermissive
    };
    let help = if userid_wildcard {
        "name the role or user by its unique ID before the colon"
    } else {
        "list the exact values; a wildcard here can match other accounts, organizations or endpoints"
    };
    ctx.report(
        code,
        value.node.span,
        value.path(),
        Some(statement.index),
        format!(
            "wildcard in `{}` for condition key `{key}` is too permissive",
            value.text
        ),
        Some(help.to_owned()),
    );
}

/// Values of keys with a known shape: VPC and VPC endpoint IDs, KMS key ARNs, service
/// principals.
#[inline]
pub(super) fn check_well_known_value(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    let text = value.text;
    let compares_text = matches!(operator.family, Family::String | Family::Arn);
    if !compares_text || value.wildcard || value.starts_variable {
        return;
    }
    // Key names ignore case; compared in place rather than lower-cased for every value.
    let key = condition.key.text;
    let named = |names: &[&str]| names.iter().any(|name| key.eq_ignore_ascii_case(name));
    let problem =
        if named(&["aws:sourcevpc", "aws:ec2instancesourcevpc"]) && !is_resource_id(text, "vpc-") {
            Some((
                IssueCode::InvalidVpcFormat,
                format!("`{text}` is not a VPC ID"),
                "a VPC ID is `vpc-` and 8 or 17 letters and digits, e.g. `vpc-1a2b3c4d`",
            ))
        } else if named(&["aws:sourcevpce"]) && !is_resource_id(text, "vpce-") {
            Some((
                IssueCode::InvalidVpceFormat,
                format!("`{text}` is not a VPC endpoint ID"),
                "a VPC endpoint ID is `vpce-` and 8 or 17 letters and digits, e.g. `vpce-1a2b3c4d`",
            ))
        } else if named(&["kms:viaservice"]) && !is_service_principal(text, 2) {
            Some((
                IssueCode::InvalidServicePrincipalFormat,
                format!("`{text}` is not a service endpoint name"),
                "write `service.region.amazonaws.com`, e.g. `s3.us-east-1.amazonaws.com`",
            ))
        } else if named(&[
            "iam:passedtoservice",
            "iam:awsservicename",
            "aws:principalservicename",
            "aws:principalservicenameslist",
            "aws:calledvia",
            "aws:calledviafirst",
            "aws:calledvialast",
        ]) && !is_service_principal(text, 1)
        {
            Some((
                IssueCode::InvalidServicePrincipalFormat,
                format!("`{text}` is not a service principal"),
                "write the service principal, e.g. `ec2.amazonaws.com`",
            ))
        } else if is_kms_key_condition_key(key) && !is_kms_key_arn(text) {
            Some((
                IssueCode::InvalidKmsKeyValue,
                format!("`{text}` is not a KMS key ARN"),
                "write `arn:aws:kms:region:account-id:key/key-id`",
            ))
        } else {
            None
        };
    if let Some((code, message, help)) = problem {
        ctx.report(
            code,
            value.node.span,
            value.path(),
            Some(statement.index),
            message,
            Some(help.to_owned()),
        );
    }
}

/// `vpc-1a2b3c4d` / `vpc-0123456789abcdef0`: the prefix and 8 or 17 lower-case letters and
/// digits.
fn is_resource_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|id| {
        matches!(id.len(), 8 | 17)
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// DNS names under which AWS service principals live.
const SERVICE_DOMAINS: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazon.com",
    ".aws.internal",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
];

/// A service principal: lower-case DNS labels ending in an AWS domain, with at least
/// `min_labels` labels before the domain (`ec2.amazonaws.com` has 1,
/// `s3.us-east-1.amazonaws.com` has 2).
fn is_service_principal(text: &str, min_labels: usize) -> bool {
    // One pass over the bytes: a dot must follow a label, and the text end with one.
    let mut previous = b'.';
    let labels_ok = text.bytes().all(|byte| {
        let fits = if byte == b'.' {
            previous != b'.'
        } else {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
        };
        previous = byte;
        fits
    }) && previous != b'.';
    let labels = |name: &str| name.bytes().filter(|&byte| byte == b'.').count() + 1;
    labels_ok
        && SERVICE_DOMAINS.iter().any(|domain| {
            text.strip_suffix(domain)
                .is_some_and(|name| labels(name) >= min_labels)
        })
}

/// ARN-typed service keys that name a KMS key, e.g. `s3:x-amz-server-side-encryption-aws-kms-key-id`
/// or `sagemaker:VolumeKmsKey`, in any case.
fn is_kms_key_condition_key(key: &str) -> bool {
    !key.get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("kms:"))
        && key
            .as_bytes()
            .windows(3)
            .any(|part| matches!(part, [b'k' | b'K', b'm' | b'M', b's' | b'S']))
        && reference::condition_key(key).is_some_and(|known| {
            matches!(
                known.value_type(),
                ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn
            )
        })
}

/// `arn:partition:kms:region:account:key/id`.
fn is_kms_key_arn(text: &str) -> bool {
    let fields: Vec<&str> = text.splitn(6, ':').collect();
    matches!(fields.as_slice(), ["arn", _, "kms", _, _, resource] if resource.starts_with("key/"))
}

/// A Bool condition tests one value; several make no sense (`true` or `false` is always true).
#[inline]
pub(super) fn check_multiple_booleans(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    if operator.family != Family::Bool || condition.values.len() < 2 {
        return;
    }
    ctx.report(
        IssueCode::InvalidConditionMultipleBoolean,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        format!(
            "condition key `{}` is given {} boolean values",
            condition.key.text,
            condition.values.len()
        ),
        Some("give one value, `true` or `false`".to_owned()),
    );
}

/// A lone `*` with a wildcard operator only asks whether the key is present (or absent), or
/// always matches.
#[inline]
pub(super) fn check_wildcard_only_value(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    let matches_everything = condition
        .values
        .iter()
        .any(|node| matches!(&node.value, Value::String(text) if text == "*"));
    if !operator.matches_wildcards() || !matches_everything {
        return;
    }
    let key = condition.key.text;
    let (code, message, help) = match (operator.negated, operator.qualifier, operator.if_exists) {
        (false, Some(SetQualifier::ForAllValues), _) | (false, _, true) => (
            IssueCode::RedundantKeyDueToWildcardInCondition,
            format!(
                "`{}` with `*` always matches: the condition on `{key}` adds nothing",
                condition.operator.text
            ),
            "remove the condition".to_owned(),
        ),
        (false, None | Some(SetQualifier::ForAnyValue), false) => (
            IssueCode::EquivalentToNullFalse,
            format!(
                "`{}` with `*` only tests that `{key}` is present",
                condition.operator.text
            ),
            format!("write `\"Null\": {{\"{key}\": \"false\"}}`"),
        ),
        (true, None | Some(SetQualifier::ForAllValues), _) => (
            IssueCode::EquivalentToNullTrue,
            format!(
                "`{}` with `*` only tests that `{key}` is absent",
                condition.operator.text
            ),
            format!("write `\"Null\": {{\"{key}\": \"true\"}}`"),
        ),
        (true, Some(SetQualifier::ForAnyValue), _) => (
            IssueCode::RedundantStatementDueToWildcardInCondition,
            format!(
                "`{}` with `*` never matches: this statement never applies",
                condition.operator.text
            ),
            "remove the statement, or fix the condition".to_owned(),
        ),
    };
    report(ctx, statement, &condition.key, code, message, Some(help));
}

/// `aws:SourceIp` never holds a private address (private traffic comes through VPC endpoints,
/// where `aws:VpcSourceIp` applies): all private ranges make the condition constant, some make
/// those entries dead. `IpRanges` counts the values' ranges, read once by
/// [`super::condition`].
#[inline]
pub(super) fn check_source_ip_private(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    IpRanges {
        parsed: ranges,
        private,
    }: IpRanges,
    ctx: &mut Context<'_>,
) {
    if operator.family != Family::IpAddress
        || private == 0
        || ranges != condition.values.len()
        || !condition.key.text.eq_ignore_ascii_case("aws:SourceIp")
    {
        return;
    }
    let all = private == ranges;
    let code = match (operator.negated, all) {
        (false, true) => IssueCode::PrivateIpAddress,
        (true, true) => IssueCode::PrivateNotIpAddress,
        (false, false) => IssueCode::PrivateIpAddressSubset,
        (true, false) => IssueCode::PrivateNotIpAddressSubset,
    };
    let message = match (operator.negated, all) {
        (false, true) => {
            "`aws:SourceIp` never holds these private ranges: the condition never matches"
        }
        (true, true) => {
            "`aws:SourceIp` never holds these private ranges: the condition always matches"
        }
        (_, false) => "`aws:SourceIp` never holds the private ranges among these values",
    };
    ctx.report(
        code,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        message.to_owned(),
        Some("use `aws:VpcSourceIp` for addresses inside a VPC".to_owned()),
    );
}

/// Several bounds of one numeric comparison: one of them subsumes the others.
#[inline]
pub(super) fn check_redundant_numeric_bounds(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    let is_bound = operator.family == Family::Numeric
        && (operator.base.contains("LessThan") || operator.base.contains("GreaterThan"));
    if !is_bound {
        return;
    }
    let numbers = condition
        .values
        .iter()
        .filter(|node| scalar_text(node).and_then(value::parse_number).is_some())
        .count();
    if numbers < 2 {
        return;
    }
    let keep = if operator.base.contains("LessThan") {
        "largest"
    } else {
        "smallest"
    };
    ctx.report(
        IssueCode::RedundantConditionValueNum,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        format!(
            "`{}` with {numbers} bounds for `{}`: only the {keep} one counts",
            condition.operator.text, condition.key.text
        ),
        Some(format!("keep only the {keep} value")),
    );
}

/// `s3:prefix` in a negative context (a Deny, or a negated operator in an Allow) is bypassed
/// by asking for a shorter prefix.
#[inline]
pub(super) fn check_s3_prefix_context(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    let deny = statement.effect == Some(Effect::Deny);
    if !condition.key.text.eq_ignore_ascii_case("s3:prefix")
        || operator.family != Family::String
        || deny == operator.negated
    {
        return;
    }
    report(
        ctx,
        statement,
        &condition.key,
        IssueCode::S3PrefixInNegativeContext,
        format!(
            "`s3:prefix` under `{}` in a {} statement can be bypassed with a shorter prefix",
            condition.operator.text,
            if deny { "Deny" } else { "Allow" }
        ),
        Some("allow the prefixes that may be listed instead of excluding some".to_owned()),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::conditions::{S3, check, check_effect};
    use super::super::testing::statement;
    use super::super::testing::statement_rules::only;
    use crate::IssueCode::*;

    #[test]
    fn boolean_values() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}"#,
            ),
            None,
            TypeMismatchBoolean,
        );
        assert!(finding.message.contains("`yes`"));
        assert_eq!(check(S3, r#"{"Bool": {"aws:SecureTransport": true}}"#), []);
        assert_eq!(
            check(
                S3,
                r#"{"Bool": {"aws:SecureTransport": ["true", "false"]}}"#
            ),
            [InvalidConditionMultipleBoolean]
        );
        assert_eq!(
            check(S3, r#"{"Null": {"aws:SourceVpc": "maybe"}}"#),
            [TypeMismatchBoolean]
        );
    }

    #[test]
    fn numeric_date_ip_binary_and_arn_values() {
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "an hour"}}"#
            ),
            [TypeMismatchNumber]
        );
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#
            ),
            []
        );
        assert_eq!(
            check(S3, r#"{"DateLessThan": {"aws:CurrentTime": "next year"}}"#),
            [TypeMismatchDate]
        );
        assert_eq!(
            check(S3, r#"{"DateLessThan": {"aws:CurrentTime": "2026-02-30"}}"#),
            [InvalidDateValue]
        );
        assert_eq!(
            check(
                S3,
                r#"{"DateLessThan": {"aws:CurrentTime": "2026-02-28T12:00:00Z"}}"#
            ),
            []
        );
        assert_eq!(
            check(S3, r#"{"IpAddress": {"aws:SourceIp": "203.0.113.300"}}"#),
            [TypeMismatchIpRange]
        );
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.5/24"]}}"#,
            ),
            None,
            ImproveIpRange,
        );
        assert_eq!(finding.help.as_deref(), Some("write `203.0.113.0/24`"));
        assert!(finding.path.ends_with("aws:SourceIp[0]"));
        // A value's path keeps its index in the array when an earlier item is no scalar.
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": [{}, "203.0.113.5/24"]}}"#,
            ),
            None,
            ImproveIpRange,
        );
        assert!(
            finding.path.ends_with("aws:SourceIp[1]"),
            "{}",
            finding.path
        );
        assert_eq!(
            check(S3, r#"{"BinaryEquals": {"aws:UserAgent": "not base64!"}}"#),
            [TypeMismatch, TypeMismatchString]
        );
        assert_eq!(
            check(S3, r#"{"ArnLike": {"aws:PrincipalArn": "role/admin"}}"#),
            [TypeMismatchArn]
        );
    }

    #[test]
    fn mixed_json_types() {
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalAccount": ["123456789012", 210987654321]}}"#
            ),
            [InvalidConditionDataType]
        );
    }

    #[test]
    fn variables_only_with_string_and_arn_operators() {
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:username}"}}"#
            ),
            [InvalidVariableForOperator]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}"#
            ),
            []
        );
    }

    #[test]
    fn wildcards() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s3:prefix": "home/*"}}"#),
            [WildcardWithoutLikeOperator]
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s3:prefix": "home/${*}"}}"#),
            []
        );
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:SourceAccount": "1234*"}}"#),
            [WildcardUsageTooPermissive]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringLike": {"aws:SourceAccount": "${aws:PrincipalAccount}*"}}"#
            ),
            [VariableUsageTooPermissive]
        );
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:userid": "*:alice"}}"#),
            [WildcardUsageTooPermissive]
        );
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}"#),
            []
        );
    }

    #[test]
    fn lone_wildcard_tests_presence() {
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:RequestTag/team": "*"}}"#),
            [EquivalentToNullFalse]
        );
        assert_eq!(
            check(S3, r#"{"StringNotLike": {"aws:RequestTag/team": "*"}}"#),
            [EquivalentToNullTrue]
        );
        assert_eq!(
            check(S3, r#"{"ForAnyValue:StringNotLike": {"aws:TagKeys": "*"}}"#),
            [RedundantStatementDueToWildcardInCondition]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringLikeIfExists": {"aws:RequestTag/team": "*"}}"#
            ),
            [RedundantKeyDueToWildcardInCondition]
        );
    }

    #[test]
    fn empty_value_arrays() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:SourceVpc": []}}"#),
            [EmptyArrayCondition]
        );
        assert_eq!(
            check(S3, r#"{"ForAllValues:StringEquals": {"aws:TagKeys": []}}"#),
            [EmptyArrayConditionForallvalues]
        );
        assert_eq!(
            check(S3, r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": []}}"#),
            [EmptyArrayConditionForanyvalue]
        );
        assert_eq!(
            check(S3, r#"{"StringEqualsIfExists": {"aws:SourceVpc": []}}"#),
            [EmptyArrayConditionIfexists]
        );
    }

    #[test]
    fn source_ip_private_ranges() {
        assert_eq!(
            check(
                S3,
                r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#
            ),
            [PrivateIpAddress]
        );
        assert_eq!(
            check(S3, r#"{"NotIpAddress": {"aws:SourceIp": "172.16.0.0/12"}}"#),
            [PrivateNotIpAddress]
        );
        assert_eq!(
            check(
                S3,
                r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#
            ),
            [PrivateIpAddressSubset]
        );
        assert_eq!(
            check(
                S3,
                r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#
            ),
            [PrivateNotIpAddressSubset]
        );
        assert_eq!(
            check(
                S3,
                r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#
            ),
            []
        );
    }

    #[test]
    fn service_principal_shapes() {
        use super::is_service_principal;
        for (text, min_labels, expected) in [
            ("ec2.amazonaws.com", 1, true),
            ("ec2.amazonaws.com", 2, false),
            ("s3.us-east-1.amazonaws.com", 2, true),
            ("elasticmapreduce.amazonaws.com.cn", 1, true),
            ("my-service.aws.internal", 1, true),
            ("", 1, false),
            (".", 1, false),
            (".amazonaws.com", 1, false),
            ("ec2..amazonaws.com", 1, false),
            ("ec2.amazonaws.com.", 1, false),
            ("EC2.amazonaws.com", 1, false),
            ("ec2_x.amazonaws.com", 1, false),
            ("ec2.example.com", 1, false),
        ] {
            assert_eq!(
                is_service_principal(text, min_labels),
                expected,
                "{text} {min_labels}"
            );
        }
    }

    #[test]
    fn well_known_value_shapes() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:SourceVpc": "vpc-123"}}"#),
            [InvalidVpcFormat]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}"#
            ),
            [InvalidVpceFormat]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""kms:Decrypt""#,
                r#"{"StringEquals": {"kms:ViaService": "s3.amazonaws.com"}}"#
            ),
            [InvalidServicePrincipalFormat]
        );
        assert_eq!(
            check(
                r#""kms:Decrypt""#,
                r#"{"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""iam:PassRole""#,
                r#"{"StringEquals": {"iam:PassedToService": "EC2"}}"#
            ),
            [InvalidServicePrincipalFormat]
        );
        assert_eq!(
            check(
                r#""s3:PutObject""#,
                r#"{"ArnEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:123456789012:alias/a"}}"#
            ),
            [InvalidKmsKeyValue]
        );
        assert_eq!(
            check(
                r#""s3:PutObject""#,
                r#"{"ArnEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}"#
            ),
            []
        );
    }

    #[test]
    fn redundant_numeric_bounds() {
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}"#
            ),
            [RedundantConditionValueNum]
        );
    }

    #[test]
    fn s3_prefix_in_negative_context() {
        assert_eq!(
            check(S3, r#"{"StringNotLike": {"s3:prefix": "private/*"}}"#),
            [S3PrefixInNegativeContext]
        );
        assert_eq!(
            check_effect("Deny", S3, r#"{"StringLike": {"s3:prefix": "private/*"}}"#),
            [S3PrefixInNegativeContext]
        );
        assert_eq!(
            check_effect("Deny", S3, r#"{"StringNotLike": {"s3:prefix": "home/*"}}"#),
            []
        );
    }
}
