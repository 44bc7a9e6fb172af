//! Whom a statement trusts: a service principal needs the keys that tie it to a source, an
//! identity provider needs conditions on its claims, and a role's sessions need no entry beside
//! the role.

use super::{Context, Effect, Entry, Statement, has_condition_key, holds_wildcard};
use crate::json::Value;
use crate::{IssueCode, PolicyKind};

/// The keys that tie a service principal to the resource it acts for (confused deputy).
const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

/// A resource policy that allows a service principal without `aws:SourceArn`,
/// `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` lets the service act for
/// anyone's resources.
#[inline]
pub(super) fn check_service_principal_restricted(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::Resource || statement.effect != Some(Effect::Allow) {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    if SOURCE_KEYS
        .iter()
        .any(|key| has_condition_key(statement, key))
    {
        return;
    }
    for (kind, values) in &principal.entries {
        if kind.text != "Service" {
            continue;
        }
        for value in values {
            ctx.report_entry(
                IssueCode::RestrictAccessToServicePrincipal,
                value,
                Some(statement.index),
                format!(
                    "service principal `{}` is allowed for every account's resources",
                    value.text
                ),
                Some("add a condition on `aws:SourceArn` or `aws:SourceAccount`".to_owned()),
            );
        }
    }
}

/// Keys whose value the caller sets, which say nothing trustworthy about a service principal.
const WEAK_SERVICE_PRINCIPAL_KEYS: &[&str] = &["aws:Referer", "aws:UserAgent"];

/// A service principal limited by `aws:Referer` or `aws:UserAgent` instead of the `aws:Source*`
/// keys, which AWS sets itself.
#[inline]
pub(super) fn check_service_principal_weak_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let has_service = statement.principal.as_ref().is_some_and(|principal| {
        !principal.negated
            && principal
                .entries
                .iter()
                .any(|(kind, _)| kind.text == "Service")
    });
    if !has_service || statement.effect != Some(Effect::Allow) {
        return;
    }
    for condition in &statement.conditions {
        if WEAK_SERVICE_PRINCIPAL_KEYS
            .iter()
            .any(|key| key.eq_ignore_ascii_case(condition.key.text))
        {
            ctx.report_entry(
                IssueCode::RecommendedConditionKeyForServicePrincipal,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is set by the caller and does not identify what a service acts for",
                    condition.key.text
                ),
                Some("use `aws:SourceArn` or `aws:SourceAccount`".to_owned()),
            );
        }
    }
}

/// A role trust policy that trusts a role needs no entry for that role's sessions
/// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` beside `arn:aws:iam::ACCOUNT:role/ROLE`).
#[inline]
pub(super) fn check_redundant_session_principals(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::RoleTrust {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    let values: Vec<&Entry<'_>> = principal
        .entries
        .iter()
        .filter(|(kind, _)| kind.text == "AWS")
        .flat_map(|(_, values)| values)
        .collect();
    let roles: Vec<(&str, &str)> = values
        .iter()
        .filter_map(|value| {
            let (_partition, rest) = value.text.strip_prefix("arn:")?.split_once(":iam::")?;
            let (account, role) = rest.split_once(":role/")?;
            Some((account, role.rsplit('/').next().unwrap_or(role)))
        })
        .collect();
    for value in &values {
        let Some((account, session)) = value
            .text
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(":sts::"))
            .and_then(|(_, rest)| rest.split_once(":assumed-role/"))
        else {
            continue;
        };
        let Some((role, _)) = session.split_once('/') else {
            continue;
        };
        if roles.contains(&(account, role)) {
            ctx.report_entry(
                IssueCode::RedundantPrincipalInRoleTrustPolicy,
                value,
                Some(statement.index),
                format!(
                    "session `{}` is already trusted through its role `{role}`",
                    value.text
                ),
                Some(format!("remove `{}`", value.text)),
            );
        }
    }
}

/// GitHub's OIDC provider: its `sub` claim names the repository and branch.
const GITHUB: &str = "token.actions.githubusercontent.com";

/// Web identity providers that are named by host rather than by provider ARN.
const BUILT_IN_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// Trust to an OIDC provider needs a condition on that provider's claims, or every identity of
/// the provider (any GitHub repository, any Google user) may assume the role; for GitHub the
/// `sub` claim must be there and should name a repository and branch.
#[inline]
pub(super) fn check_identity_provider_conditions(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    for (kind, values) in &principal.entries {
        if kind.text != "Federated" {
            continue;
        }
        for value in values {
            let Some(provider) = oidc_provider(value.text) else {
                continue;
            };
            let claims: Vec<_> = statement
                .conditions
                .iter()
                .filter(|condition| {
                    condition
                        .key
                        .text
                        .rsplit_once(':')
                        .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(provider))
                })
                .collect();
            if provider.eq_ignore_ascii_case(GITHUB) {
                check_github_subject(statement, value, &claims, ctx);
            } else if claims.is_empty() {
                ctx.report_entry(
                    IssueCode::MissingConditionKeyForOidcPrincipal,
                    value,
                    Some(statement.index),
                    format!("any identity of `{provider}` may assume this role"),
                    Some(format!(
                        "add a condition on `{provider}:aud` or `{provider}:sub`"
                    )),
                );
            }
        }
    }
}

/// The provider host of a Federated principal that is an OIDC provider, if it is one.
fn oidc_provider(federated: &str) -> Option<&str> {
    if let Some((_, path)) = federated.split_once(":oidc-provider/") {
        return Some(path);
    }
    BUILT_IN_PROVIDERS
        .iter()
        .find(|provider| provider.eq_ignore_ascii_case(federated))
        .map(|_| federated)
}

/// GitHub trust needs `token.actions.githubusercontent.com:sub`, without wildcards.
fn check_github_subject(
    statement: &Statement<'_>,
    principal: &Entry<'_>,
    claims: &[&super::Condition<'_>],
    ctx: &mut Context<'_>,
) {
    let subjects: Vec<_> = claims
        .iter()
        .filter(|condition| condition.key.text.to_ascii_lowercase().ends_with(":sub"))
        .collect();
    if subjects.is_empty() {
        ctx.report_entry(
            IssueCode::MissingGithubRepoConditionKey,
            principal,
            Some(statement.index),
            "any GitHub repository may assume this role".to_owned(),
            Some(format!(
                "add `\"StringEquals\": {{\"{GITHUB}:sub\": \"repo:OWNER/REPO:ref:refs/heads/BRANCH\"}}`"
            )),
        );
        return;
    }
    for condition in subjects {
        for node in &condition.values {
            let Value::String(text) = &node.value else {
                continue;
            };
            if holds_wildcard(text) {
                ctx.report(
                    IssueCode::SpecificGithubRepoAndBranchRecommended,
                    node.span,
                    condition.key.path,
                    Some(statement.index),
                    format!("`{text}` lets several repositories or branches assume this role"),
                    Some("name one repository and branch, e.g. `repo:OWNER/REPO:ref:refs/heads/main`".to_owned()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::statement_rules::{codes, only};
    use crate::IssueCode::*;
    use crate::PolicyKind;

    #[test]
    fn service_principals_need_a_source() {
        let policy = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Service": "sns.amazonaws.com"}}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"{condition}}}}}"#
            )
        };
        assert_eq!(
            codes(&policy(""), Some(PolicyKind::Resource)),
            [RestrictAccessToServicePrincipal]
        );
        assert_eq!(
            codes(
                &policy(
                    r#", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}}"#
                ),
                Some(PolicyKind::Resource)
            ),
            []
        );
    }

    #[test]
    fn service_principals_with_caller_set_keys() {
        let policy = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#;
        assert_eq!(
            codes(policy, Some(PolicyKind::Resource)),
            [RecommendedConditionKeyForServicePrincipal]
        );
    }

    #[test]
    fn identity_providers_need_claims() {
        let trust = |federated: &str, condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Federated": "{federated}"}}, "Action": "sts:AssumeRoleWithWebIdentity"{condition}}}}}"#
            )
        };
        let github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        let trust_codes =
            |federated, condition| codes(&trust(federated, condition), Some(PolicyKind::RoleTrust));
        assert_eq!(trust_codes(github, ""), [MissingGithubRepoConditionKey]);
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#
            ),
            [MissingGithubRepoConditionKey]
        );
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo/app:*"}}"#
            ),
            [SpecificGithubRepoAndBranchRecommended]
        );
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo/app:ref:refs/heads/main"}}"#
            ),
            []
        );
        assert_eq!(
            trust_codes("accounts.google.com", ""),
            [MissingConditionKeyForOidcPrincipal]
        );
        assert_eq!(
            trust_codes(
                "accounts.google.com",
                r#", "Condition": {"StringEquals": {"accounts.google.com:aud": "my-app"}}"#
            ),
            []
        );
        assert_eq!(
            trust_codes("arn:aws:iam::123456789012:saml-provider/corp", ""),
            []
        );
    }

    #[test]
    fn sessions_beside_their_role() {
        let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/ops/Admin", "arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:sts::123456789012:assumed-role/Other/bob"]}, "Action": "sts:AssumeRole"}}"#;
        let finding = only(
            trust,
            Some(PolicyKind::RoleTrust),
            RedundantPrincipalInRoleTrustPolicy,
        );
        assert!(finding.path.ends_with("AWS[1]"), "{finding:?}");
    }

    /// Trust policies from AWS's documentation: none of them may be reported.
    #[test]
    fn documented_trust_policies_pass() {
        let saml = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/corp"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"], "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}}"#;
        let eks = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:my-sa", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"}}}}"#;
        let ec2 = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#;
        let cross_account = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}}"#;
        let google = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"accounts.google.com:aud": "66677788899900pro0"}}}}"#;
        for trust in [saml, eks, ec2, cross_account, google] {
            assert_eq!(codes(trust, Some(PolicyKind::RoleTrust)), [], "{trust}");
        }
    }
}
