//! Resource control policies: a deny on the caller's or the source's keys must be limited to the
//! callers that carry them, or it denies AWS services acting for the account.

use super::{Context, Effect, Statement};
use crate::json::Value;
use crate::{IssueCode, PolicyKind};

/// Keys about the calling principal, which service principals do not carry.
const PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalTag/",
];

/// Keys about the resource a service principal acts for, which only service calls carry.
const SOURCE_GUARDED_KEYS: &[&str] =
    &["aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceAccount"];

/// An RCP deny on principal keys must be limited to non-service callers
/// (`BoolIfExists aws:PrincipalIsAWSService false`), or it denies AWS services acting for the
/// account; a deny on source keys must be limited to service callers
/// (`aws:PrincipalIsAWSService true`) and to requests that carry a source
/// (`Null aws:SourceAccount false`).
#[inline]
pub(super) fn check_rcp_principal_guards(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::Rcp || statement.effect != Some(Effect::Deny) {
        return;
    }
    let uses = |keys: &[&str]| {
        statement.conditions.iter().find(|condition| {
            keys.iter().any(|key| {
                let name = condition.key.text;
                if key.ends_with('/') {
                    name.get(..key.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(key))
                } else {
                    name.eq_ignore_ascii_case(key)
                }
            })
        })
    };
    let tests = |key: &str, operator_prefix: &str, value: &str| {
        statement.conditions.iter().any(|condition| {
            condition.key.text.eq_ignore_ascii_case(key)
                && condition.operator.text.starts_with(operator_prefix)
                && condition.values.iter().any(|node| match &node.value {
                    Value::String(text) => text.eq_ignore_ascii_case(value),
                    Value::Bool(flag) => flag.to_string() == value,
                    _ => false,
                })
        })
    };
    if let Some(condition) = uses(PRINCIPAL_KEYS)
        && !tests("aws:PrincipalIsAWSService", "Bool", "false")
    {
        ctx.report_entry(
            IssueCode::RcpMissingRelatedPrincipalConditionKey,
            &condition.key,
            Some(statement.index),
            format!(
                "`{}` is absent for AWS services, so this deny also stops services acting for you",
                condition.key.text
            ),
            Some("add `\"BoolIfExists\": {\"aws:PrincipalIsAWSService\": \"false\"}`".to_owned()),
        );
    }
    if let Some(condition) = uses(SOURCE_GUARDED_KEYS) {
        if !tests("aws:PrincipalIsAWSService", "Bool", "true") {
            ctx.report_entry(
                IssueCode::RcpMissingRelatedServicePrincipalConditionKey,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is only set for AWS services, so this deny also stops every other caller",
                    condition.key.text
                ),
                Some("add `\"Bool\": {\"aws:PrincipalIsAWSService\": \"true\"}`".to_owned()),
            );
        }
        if !tests("aws:SourceAccount", "Null", "false") && !tests("aws:SourceArn", "Null", "false")
        {
            ctx.report_entry(
                IssueCode::RcpMissingServiceConditionKeyNullCheck,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is absent when a service acts for no resource, so this deny also stops those calls",
                    condition.key.text
                ),
                Some("add `\"Null\": {\"aws:SourceAccount\": \"false\"}`".to_owned()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::statement_rules::codes;
    use crate::IssueCode::*;
    use crate::PolicyKind;

    #[test]
    fn rcp_guards() {
        let rcp = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {condition}}}}}"#
            )
        };
        let rcp_codes = |condition: &str| codes(&rcp(condition), Some(PolicyKind::Rcp));
        assert_eq!(
            rcp_codes(r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#),
            [RcpMissingRelatedPrincipalConditionKey]
        );
        assert_eq!(
            rcp_codes(
                r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}"#
            ),
            []
        );
        assert_eq!(
            rcp_codes(r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}"#),
            [
                RcpMissingRelatedServicePrincipalConditionKey,
                RcpMissingServiceConditionKeyNullCheck
            ]
        );
        assert_eq!(
            rcp_codes(
                r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}, "Null": {"aws:SourceAccount": "false"}, "Bool": {"aws:PrincipalIsAWSService": "true"}}"#
            ),
            []
        );
    }
}
