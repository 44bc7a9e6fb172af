//! Condition operators: each one IAM defines, fitting its key's type, with the set qualifiers
//! that fit a multivalued key.

use super::condition::report;
use super::condition_key::is_identity_provider;
use super::operator::{Family, Operator, SetQualifier};
use super::{Condition, Context, Statement, did_you_mean};
use crate::IssueCode;
use iam_policy_reference::{ConditionKey, ConditionKeyType};

/// The operator must be one IAM defines; `Null` takes no `IfExists` and no set qualifier.
#[inline]
pub(super) fn check_operator(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    first_of_block: bool,
    ctx: &mut Context<'_>,
) -> Option<Operator> {
    let entry = &condition.operator;
    let operator = match Operator::parse(entry.text) {
        Ok(operator) => operator,
        Err(suggestion) => {
            if first_of_block {
                report(
                    ctx,
                    statement,
                    entry,
                    IssueCode::InvalidConditionOperator,
                    format!("unknown condition operator `{}`", entry.text),
                    did_you_mean(suggestion.as_deref()),
                );
            }
            return None;
        }
    };
    if first_of_block && operator.family == Family::Null && operator.if_exists {
        report(
            ctx,
            statement,
            entry,
            IssueCode::NullWithIfExists,
            format!(
                "`{}`: the `Null` operator takes no `IfExists` suffix",
                entry.text
            ),
            Some("write `Null`; it already tests whether the key is present".to_owned()),
        );
    }
    if first_of_block
        && operator.family == Family::Null
        && let Some(qualifier) = operator.qualifier
    {
        let outcome = match qualifier {
            SetQualifier::ForAllValues => "always true",
            SetQualifier::ForAnyValue => "always false",
        };
        report(
            ctx,
            statement,
            entry,
            IssueCode::NullWithQualifier,
            format!("`{}` is {outcome}", entry.text),
            Some("write `Null` without a set qualifier".to_owned()),
        );
    }
    Some(operator)
}

/// The operator family must fit the key's type (ARN keys also take String operators, but
/// `StringLike` lets `*` run across ARN segments, so it gets a warning).
#[inline]
pub(super) fn check_operator_fits_key(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    key: ConditionKey,
    ctx: &mut Context<'_>,
) {
    let allowed = allowed_families(key.value_type());
    if operator.family == Family::Null {
        return;
    }
    if !allowed.contains(&operator.family) {
        // Name the key's own family; the others are accepted, not recommended.
        let own = allowed.first().map_or("matching", |family| family.name());
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::TypeMismatch,
            format!(
                "operator `{}` does not fit condition key `{}` of type {}",
                condition.operator.text,
                condition.key.text,
                key.value_type().as_str()
            ),
            Some(format!("use a {own} operator")),
        );
        return;
    }
    let arn_key = matches!(
        key.value_type(),
        ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn
    );
    if operator.family == Family::String && arn_key && operator.matches_wildcards() {
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::StringLikeOperatorWithArnConditionKeys,
            format!(
                "`{}` on ARN condition key `{}` lets `*` match across ARN segments",
                condition.operator.text, condition.key.text
            ),
            Some(format!(
                "use `{}`, which matches each ARN segment on its own",
                operator
                    .full_name()
                    .replace("StringNotLike", "ArnNotLike")
                    .replace("StringLike", "ArnLike")
            )),
        );
    }
}

/// The operator families a key type takes; the first is the key's own.
fn allowed_families(key_type: ConditionKeyType) -> &'static [Family] {
    match key_type {
        // ARN operators compare strings too, segment by segment; AWS documents them on string
        // keys that hold ARNs (`kms:EncryptionContext:aws:s3:arn`).
        ConditionKeyType::String | ConditionKeyType::ArrayOfString => {
            &[Family::String, Family::Arn]
        }
        ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn => &[Family::Arn, Family::String],
        ConditionKeyType::Bool | ConditionKeyType::ArrayOfBool => &[Family::Bool],
        ConditionKeyType::Numeric | ConditionKeyType::ArrayOfNumeric => &[Family::Numeric],
        ConditionKeyType::Date | ConditionKeyType::ArrayOfDate => &[Family::Date],
        ConditionKeyType::DateOrNumeric => &[Family::Date, Family::Numeric],
        ConditionKeyType::IpAddress | ConditionKeyType::ArrayOfIpAddress => &[Family::IpAddress],
        ConditionKeyType::Binary => &[Family::Binary],
    }
}

/// Multivalued keys need `ForAllValues:`/`ForAnyValue:`; `ForAllValues:` on a single-valued key
/// is also true when the key is absent.
#[inline]
pub(super) fn check_set_qualifier(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    key: ConditionKey,
    ctx: &mut Context<'_>,
) {
    if operator.family == Family::Null {
        return;
    }
    match (operator.qualifier, key.is_multivalued()) {
        (None, true) => report(
            ctx,
            statement,
            &condition.key,
            IssueCode::MissingQualifier,
            format!(
                "condition key `{}` has several values in a request, but `{}` has no set qualifier",
                condition.key.text, condition.operator.text
            ),
            Some(format!(
                "write `ForAnyValue:{0}` (any value matches), or `ForAllValues:{0}` (every value matches; also true when the key is absent)",
                condition.operator.text
            )),
        ),
        (Some(SetQualifier::ForAllValues), false) => report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::ForallvaluesWithSingleValuedKey,
            format!(
                "`ForAllValues` on single-valued condition key `{}` is also true when the key is absent",
                condition.key.text
            ),
            Some(format!(
                "write `{}` without the set qualifier",
                operator_without_qualifier(operator)
            )),
        ),
        _ => {}
    }
}

/// A set qualifier on an identity provider's `aud` claim: `ForAnyValue:` treats the single
/// audience as a set; `ForAllValues:` is also true without any audience, so the claim had better
/// really hold several values.
#[inline]
pub(super) fn check_audience_qualifier(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    // Most operators have no set qualifier: their key need not be read.
    let is_audience = operator.qualifier.is_some()
        && condition
            .key
            .text
            .rsplit_once(':')
            .is_some_and(|(prefix, claim)| {
                is_identity_provider(prefix) && claim.eq_ignore_ascii_case("aud")
            });
    if is_audience && operator.qualifier == Some(SetQualifier::ForAllValues) {
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::ConfirmAudienceClaimType,
            format!(
                "`ForAllValues` on audience claim `{}` matches even a token without an audience",
                condition.key.text
            ),
            Some(format!(
                "confirm the provider sends several audiences; otherwise write `{}`",
                operator_without_qualifier(operator)
            )),
        );
    }
    if is_audience && operator.qualifier == Some(SetQualifier::ForAnyValue) {
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::ForanyvalueWithAudienceClaimType,
            format!(
                "`ForAnyValue` on audience claim `{}`, which holds a single value",
                condition.key.text
            ),
            Some(format!("write `{}`", operator_without_qualifier(operator))),
        );
    }
}

fn operator_without_qualifier(operator: Operator) -> String {
    Operator {
        qualifier: None,
        ..operator
    }
    .full_name()
}

#[cfg(test)]
mod tests {
    use super::super::testing::conditions::{S3, check};
    use super::super::testing::statement;
    use super::super::testing::statement_rules::only;
    use crate::IssueCode::*;

    #[test]
    fn operator_must_exist() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEqual": {"s3:prefix": "a", "aws:SourceVpc": "vpc-1a2b3c4d"}}"#,
            ),
            None,
            InvalidConditionOperator,
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `StringEquals`?")
        );
        assert!(finding.path.ends_with("Condition.StringEqual"));
        assert!(
            check(S3, r#"{"stringlike": {"s3:prefix": "a"}}"#).contains(&InvalidConditionOperator)
        );
    }

    #[test]
    fn null_takes_no_if_exists_or_qualifier() {
        assert_eq!(
            check(S3, r#"{"NullIfExists": {"aws:SourceVpc": "true"}}"#),
            [NullWithIfExists]
        );
        assert_eq!(
            check(S3, r#"{"ForAnyValue:Null": {"aws:TagKeys": "true"}}"#),
            [NullWithQualifier]
        );
    }

    #[test]
    fn operator_family_fits_key_type() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:SecureTransport": "true"}}"#,
            ),
            None,
            TypeMismatch,
        );
        assert_eq!(finding.help.as_deref(), Some("use a Bool operator"));
        assert_eq!(
            check(S3, r#"{"NumericLessThan": {"aws:SourceVpc": "3"}}"#),
            [TypeMismatch]
        );
        assert_eq!(
            check(
                S3,
                r#"{"DateGreaterThan": {"aws:EpochTime": "2026-01-01"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                S3,
                r#"{"NumericGreaterThan": {"aws:EpochTime": "1700000000"}}"#
            ),
            []
        );
        assert_eq!(
            check(S3, r#"{"Null": {"aws:SecureTransport": "false"}}"#),
            []
        );
        // ARN keys take ARN and String operators; StringLike lets `*` cross segments.
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/a"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/a"}}"#
            ),
            [StringLikeOperatorWithArnConditionKeys]
        );
    }

    #[test]
    fn set_qualifiers() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:TagKeys": "a"}}"#),
            [MissingQualifier]
        );
        assert_eq!(
            check(S3, r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "a"}}"#),
            []
        );
        assert_eq!(
            check(
                S3,
                r#"{"ForAllValues:StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#
            ),
            [ForallvaluesWithSingleValuedKey]
        );
        assert_eq!(
            check(
                S3,
                r#"{"ForAnyValue:StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"ForAnyValue:StringEquals": {"accounts.google.com:aud": "x"}}"#
            ),
            [ForanyvalueWithAudienceClaimType]
        );
        assert_eq!(
            check(
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"ForAllValues:StringEquals": {"example.com:aud": "x"}}"#
            ),
            [ConfirmAudienceClaimType]
        );
    }
}
