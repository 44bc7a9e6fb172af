//! `Principal`/`NotPrincipal`: where the policy kind allows them, and the shape of each value
//! (account IDs, IAM and STS ARNs, service principals, federation providers, canonical IDs).
//! Role trust policies also need actions that fit their principals.

use super::{Context, Effect, Entries, Entry, Statement, arn, holds_wildcard};
use crate::element;
use crate::json::Value;
use crate::{IssueCode, PolicyKind};
use std::borrow::Cow;

pub(crate) fn check_statement(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let at = Some(statement.index);
    if ctx.kind == PolicyKind::Rcp && statement.effect == Some(Effect::Allow) {
        rcp_allow(statement, ctx);
    }
    let Some(element) = &statement.principal else {
        return;
    };
    let name: &Cow<'static, str> = if element.negated {
        &Cow::Borrowed(element::NOT_PRINCIPAL)
    } else {
        &Cow::Borrowed(element::PRINCIPAL)
    };
    let path = statement.path.member(name);
    match ctx.kind {
        PolicyKind::Identity | PolicyKind::Inline => {
            ctx.report(
                IssueCode::UnsupportedPrincipal,
                element.name_span,
                path,
                at,
                format!("an identity policy cannot have `{name}`: it applies to the identity it is attached to"),
                Some("remove it, or declare the policy as a resource or role trust policy".to_owned()),
            );
            return;
        }
        PolicyKind::Scp => {
            ctx.report(
                IssueCode::ScpSyntaxErrorPrincipal,
                element.name_span,
                path,
                at,
                format!("a service control policy cannot have `{name}`"),
                Some("remove it and test `aws:PrincipalArn` in `Condition` instead".to_owned()),
            );
            return;
        }
        PolicyKind::Rcp => {
            if element.negated || !element.wildcard {
                ctx.report(
                    IssueCode::RcpSyntaxErrorPrincipal,
                    element.name_span,
                    path,
                    at,
                    "a resource control policy allows only `\"Principal\": \"*\"`".to_owned(),
                    Some(
                        "write `\"Principal\": \"*\"` and test `aws:PrincipalArn` in `Condition`"
                            .to_owned(),
                    ),
                );
            }
            return;
        }
        PolicyKind::RoleTrust => {
            if element.negated {
                ctx.report(
                    IssueCode::RoleTrustPolicySyntaxErrorNotprincipal,
                    element.name_span,
                    path,
                    at,
                    "a role trust policy cannot have `NotPrincipal`".to_owned(),
                    Some("name the trusted principals in `Principal`".to_owned()),
                );
            } else if element.wildcard {
                ctx.report(
                    IssueCode::RoleTrustPolicyUnsupportedWildcardInPrincipal,
                    element.node.span,
                    path,
                    at,
                    "a role trust policy cannot trust `\"*\"`".to_owned(),
                    Some("name the trusted accounts, roles or services".to_owned()),
                );
            }
        }
        PolicyKind::Resource => {
            if element.negated && statement.effect == Some(Effect::Allow) {
                ctx.report(
                    IssueCode::AllowWithNotPrincipal,
                    element.name_span,
                    path,
                    at,
                    "`Allow` with `NotPrincipal` grants access to everyone not listed, anonymous callers included".to_owned(),
                    Some("use `\"Principal\"` with the principals to allow".to_owned()),
                );
            }
        }
    }
    let mut federated = Vec::new();
    for (principal_type, values) in &element.entries {
        match principal_type.text {
            "AWS" => values.iter().for_each(|value| aws(value, at, ctx)),
            "Service" => values.iter().for_each(|value| service(value, at, ctx)),
            "CanonicalUser" => values
                .iter()
                .for_each(|value| canonical_user(value, at, ctx)),
            _ => {
                if ctx.kind == PolicyKind::RoleTrust {
                    for value in values {
                        if let Some(provider) = federation(value, at, ctx) {
                            federated.push((value, provider));
                        }
                    }
                } else {
                    ctx.report_entry(
                        IssueCode::FederatedPrincipalNotSupported,
                        principal_type,
                        at,
                        "`Federated` principals belong only in role trust policies".to_owned(),
                        Some(
                            "declare the policy as a role trust policy, or remove them".to_owned(),
                        ),
                    );
                }
            }
        }
    }
    if ctx.kind == PolicyKind::RoleTrust && !element.negated {
        trust_actions(statement, &federated, ctx);
    }
}

fn wildcard_in_principal(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) {
    let code = if ctx.kind == PolicyKind::RoleTrust {
        IssueCode::RoleTrustPolicyUnsupportedWildcardInPrincipal
    } else {
        IssueCode::UnsupportedWildcardInPrincipal
    };
    ctx.report_entry(
        code,
        entry,
        at,
        format!(
            "`{}`: principals cannot hold wildcards (only `\"*\"` alone means everyone)",
            entry.text
        ),
        // `{"AWS": "*"}`, which resource and role trust policies both accept: not
        // `"Principal": "*"`, which a role trust policy refuses.
        Some(
            "name the principals exactly, or write `{\"AWS\": \"*\"}` and test `aws:PrincipalArn` with `ArnLike` in `Condition`"
                .to_owned(),
        ),
    );
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn aws(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) {
    let text = entry.text;
    // Every AWS principal: IAM accepts it in role trust policies too, where a condition
    // (`aws:PrincipalOrgID`, `aws:PrincipalArn`) narrows it; only `"Principal": "*"` is refused.
    if text == "*" {
        return;
    }
    if is_account_id(text) {
        return;
    }
    // Unique IDs: IAM stores these in trust policies when the role or user is deleted.
    let unique_id = text.len() >= 16
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if unique_id && text.starts_with("AROA") {
        ctx.report_entry(
            IssueCode::InvalidRoleReference,
            entry,
            at,
            format!("`{text}` is a role's unique ID, not its ARN: the role was probably deleted"),
            Some("write the role ARN `arn:aws:iam::123456789012:role/name`".to_owned()),
        );
        return;
    }
    if unique_id && text.starts_with("AIDA") {
        ctx.report_entry(
            IssueCode::InvalidUserReference,
            entry,
            at,
            format!("`{text}` is a user's unique ID, not its ARN: the user was probably deleted"),
            Some("write the user ARN `arn:aws:iam::123456789012:user/name`".to_owned()),
        );
        return;
    }
    if holds_wildcard(text) {
        wildcard_in_principal(entry, at, ctx);
        return;
    }
    let fits = arn::split(text).is_some_and(|parsed| {
        let name_after = |prefix: &str| {
            parsed
                .resource
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty())
        };
        parsed.region.is_empty()
            && parsed.partition.starts_with("aws")
            && match parsed.service {
                "iam" => {
                    (is_account_id(parsed.account)
                        && (parsed.resource == "root" || name_after("user/") || name_after("role/")))
                        // CloudFront origin access identities are IAM users of account `cloudfront`.
                        || (parsed.account == "cloudfront" && name_after("user/"))
                }
                "sts" => {
                    is_account_id(parsed.account)
                        && (parsed
                            .resource
                            .strip_prefix("assumed-role/")
                            .is_some_and(|rest| rest.split_once('/').is_some_and(|(role, session)| !role.is_empty() && !session.is_empty()))
                            || name_after("federated-user/"))
                }
                _ => false,
            }
    });
    if fits {
        return;
    }
    let group = arn::split(text).is_some_and(|parsed| parsed.resource.starts_with("group/"));
    ctx.report_entry(
        IssueCode::InvalidPrincipalFormat,
        entry,
        at,
        if group {
            format!("`{text}`: an IAM group cannot be a principal")
        } else {
            format!("`{text}` is not an AWS principal")
        },
        Some(if group {
            "name the group's users or roles instead".to_owned()
        } else {
            "write an account ID, `arn:aws:iam::123456789012:root`, or a role, user or session ARN"
                .to_owned()
        }),
    );
}

/// `name.amazonaws.com` (also regional, and `.amazonaws.com.cn` in China).
fn service_principal_shaped(text: &str) -> bool {
    let host = text
        .strip_suffix(".amazonaws.com")
        .or_else(|| text.strip_suffix(".amazonaws.com.cn"));
    host.is_some_and(|host| {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
    })
}

fn service(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) {
    if holds_wildcard(entry.text) {
        wildcard_in_principal(entry, at, ctx);
    } else if !service_principal_shaped(entry.text) {
        ctx.report_entry(
            IssueCode::InvalidServicePrincipalFormat,
            entry,
            at,
            format!("`{}` is not a service principal", entry.text),
            Some(
                "service principals are written `name.amazonaws.com`, e.g. `ec2.amazonaws.com`"
                    .to_owned(),
            ),
        );
    }
}

fn canonical_user(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) {
    let text = entry.text;
    if text.len() != 64
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        ctx.report_entry(
            IssueCode::InvalidPrincipalFormat,
            entry,
            at,
            format!("`{text}` is not a canonical user ID"),
            Some("a canonical user ID is 64 lower-case hexadecimal digits".to_owned()),
        );
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Provider {
    Saml,
    Oidc,
}

/// A `Federated` value of a trust policy: a SAML provider ARN, an OIDC provider ARN, or an
/// identity provider's domain (`cognito-identity.amazonaws.com`, `accounts.google.com`, ...).
fn federation(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) -> Option<Provider> {
    let text = entry.text;
    if holds_wildcard(text) {
        wildcard_in_principal(entry, at, ctx);
        return None;
    }
    if let Some(parsed) = arn::split(text) {
        let provider = (parsed.service == "iam" && is_account_id(parsed.account))
            .then(|| {
                let name_after = |prefix: &str| {
                    parsed
                        .resource
                        .strip_prefix(prefix)
                        .is_some_and(|rest| !rest.is_empty())
                };
                if name_after("saml-provider/") {
                    Some(Provider::Saml)
                } else if name_after("oidc-provider/") {
                    Some(Provider::Oidc)
                } else {
                    None
                }
            })
            .flatten();
        if provider.is_none() {
            invalid_federation(entry, at, ctx);
        }
        return provider;
    }
    let domain = text.contains('.')
        && text.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if domain {
        Some(Provider::Oidc)
    } else {
        invalid_federation(entry, at, ctx);
        None
    }
}

fn invalid_federation(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) {
    ctx.report_entry(
        IssueCode::InvalidFederatedPrincipalSyntaxInRoleTrustPolicy,
        entry,
        at,
        format!(
            "`{}` is neither an identity provider's domain nor a SAML or OIDC provider ARN",
            entry.text
        ),
        Some(
            "write e.g. `arn:aws:iam::123456789012:saml-provider/name` or `accounts.google.com`"
                .to_owned(),
        ),
    );
}

/// Whether the statement's `Action` covers `sts:<name>` (listed, or by a wildcard).
fn covers(statement: &Statement<'_>, name: &str) -> bool {
    statement.allows_every_action()
        || statement.named_actions().any(|action| {
            action.service().prefix() == "sts" && action.name().eq_ignore_ascii_case(name)
        })
}

/// Federation needs its own `AssumeRoleWith...` action, and those actions need their kind of
/// principal; IAM Roles Anywhere needs three STS actions.
fn trust_actions(
    statement: &Statement<'_>,
    federated: &[(&Entry<'_>, Provider)],
    ctx: &mut Context<'_>,
) {
    let Some(action) = &statement.action else {
        return;
    };
    if action.negated || !statement.actions_complete {
        return;
    }
    let at = Some(statement.index);
    for (entry, provider) in federated {
        let needed = match provider {
            Provider::Saml => "AssumeRoleWithSAML",
            Provider::Oidc => "AssumeRoleWithWebIdentity",
        };
        if !covers(statement, needed) {
            ctx.report_entry(
                IssueCode::MismatchedActionForPrincipal,
                entry,
                at,
                format!("the identity provider `{}` can only be trusted with `sts:{needed}`, which this statement does not allow", entry.text),
                Some(format!("add `sts:{needed}` to `Action`")),
            );
        }
    }
    // A `Federated` value that is no provider was reported already; its kind is unknown.
    let federated_values = statement
        .principal
        .iter()
        .flat_map(|element| &element.entries)
        .filter(|(principal_type, _)| principal_type.text == "Federated")
        .map(|(_, values)| values.len())
        .sum::<usize>();
    if federated_values != federated.len() {
        return;
    }
    for (needed, provider) in [
        ("AssumeRoleWithSAML", Provider::Saml),
        ("AssumeRoleWithWebIdentity", Provider::Oidc),
    ] {
        if federated.iter().any(|(_, found)| *found == provider) {
            continue;
        }
        for resolved in statement
            .actions
            .iter()
            .filter(|resolved| !resolved.wildcard)
        {
            let names_it = resolved
                .actions
                .iter()
                .any(|action| action.service().prefix() == "sts" && action.name() == needed);
            if let (true, Some(entry)) = (names_it, action.entries.get(resolved.entry)) {
                let kind = if provider == Provider::Saml {
                    "a SAML"
                } else {
                    "an OIDC"
                };
                ctx.report_entry(
                    IssueCode::MismatchedActionForPrincipal,
                    entry,
                    at,
                    format!("`sts:{needed}` needs {kind} provider in `Principal.Federated`, and this statement trusts none"),
                    Some(format!("remove `sts:{needed}`: no principal this statement trusts can call it")),
                );
            }
        }
    }
    let roles_anywhere = statement
        .principal
        .iter()
        .flat_map(|element| &element.entries)
        .any(|(principal_type, values)| {
            principal_type.text == "Service"
                && values
                    .iter()
                    .any(|value| value.text == "rolesanywhere.amazonaws.com")
        });
    if roles_anywhere {
        let missing: Vec<&str> = ["AssumeRole", "SetSourceIdentity", "TagSession"]
            .into_iter()
            .filter(|name| !covers(statement, name))
            .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|name| format!("`sts:{name}`")).collect();
            ctx.report(
                IssueCode::MissingActionForRolesAnywhereTrustPolicy,
                action.name_span,
                statement.path.member(&Cow::Borrowed(element::ACTION)),
                at,
                format!(
                    "a trust for IAM Roles Anywhere also needs {}",
                    list.join(", ")
                ),
                Some(
                    "allow `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession`"
                        .to_owned(),
                ),
            );
        }
    }
}

/// An RCP `Allow` statement must be exactly `Principal`, `Action` and `Resource` `"*"`
/// without a condition (RCPs restrict; only the full-access statement allows).
fn rcp_allow(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    // `"*"` written as a string, not an array.
    let star = |entries: &Entries<'_>| matches!(entries, Entries::One(entry) if entry.text == "*");
    let principal_ok = statement
        .principal
        .as_ref()
        .is_some_and(|element| !element.negated && element.wildcard);
    let action_ok = statement
        .action
        .as_ref()
        .is_some_and(|element| !element.negated && star(&element.entries));
    let resource_ok = statement
        .resource
        .as_ref()
        .is_some_and(|element| !element.negated && star(&element.entries));
    let has_condition = match &statement.node.value {
        Value::Object(members) => members
            .iter()
            .any(|member| member.key == element::CONDITION),
        _ => false,
    };
    if !(principal_ok && action_ok && resource_ok) || has_condition {
        ctx.report(
            IssueCode::RcpSyntaxErrorAllow,
            statement.node.span,
            statement.path,
            Some(statement.index),
            "an `Allow` statement of a resource control policy must be `\"Principal\": \"*\"`, `\"Action\": \"*\"`, `\"Resource\": \"*\"` without `Condition`".to_owned(),
            Some("restrict with `Deny` statements instead".to_owned()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, only, statement};
    use crate::{IssueCode as C, PolicyKind};

    /// A `Deny` statement: the trust rules warn about `Allow` to bare service principals.
    fn with(principal: &str, action: &str) -> String {
        statement(&format!(
            r#""Effect": "Deny", "Principal": {principal}, "Action": {action}, "Resource": "*""#
        ))
    }

    fn trust(principal: &str, action: &str) -> String {
        statement(&format!(
            r#""Effect": "Allow", "Principal": {principal}, "Action": {action}"#
        ))
    }

    #[test]
    fn valid_principals_pass() {
        let principal = r#"{"AWS": ["*", "123456789012", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/a/b", "arn:aws:iam::123456789012:user/u", "arn:aws:sts::123456789012:assumed-role/r/s", "arn:aws:sts::123456789012:federated-user/f", "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"], "Service": ["ec2.amazonaws.com", "logs.us-east-1.amazonaws.com"], "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#;
        let found = codes(&with(principal, r#""s3:GetObject""#), None);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn where_principals_are_allowed() {
        let doc = with(r#""*""#, r#""s3:GetObject""#);
        assert_eq!(
            codes(&doc, Some(PolicyKind::Identity)),
            vec![C::UnsupportedPrincipal]
        );
        assert_eq!(
            codes(&doc, Some(PolicyKind::Scp)),
            vec![C::ScpSyntaxErrorPrincipal]
        );
        let rcp = statement(
            r#""Effect": "Deny", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*""#,
        );
        assert_eq!(
            codes(&rcp, Some(PolicyKind::Rcp)),
            vec![C::RcpSyntaxErrorPrincipal]
        );
        let not = statement(
            r#""Effect": "Allow", "NotPrincipal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "*""#,
        );
        assert_eq!(codes(&not, None), vec![C::AllowWithNotPrincipal]);
        let trust_not = statement(
            r#""Effect": "Deny", "NotPrincipal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole""#,
        );
        assert_eq!(
            codes(&trust_not, Some(PolicyKind::RoleTrust)),
            vec![C::RoleTrustPolicySyntaxErrorNotprincipal]
        );
        let trust_star = trust(r#""*""#, r#""sts:AssumeRole""#);
        let wildcard = only(
            &trust_star,
            Some(PolicyKind::RoleTrust),
            C::RoleTrustPolicyUnsupportedWildcardInPrincipal,
        );
        assert!(
            wildcard
                .help
                .as_deref()
                .is_some_and(|help| !help.contains("\"*\"`")),
            "{:?}",
            wildcard.help
        );
        // Every AWS principal, narrowed to an organization: accepted, as IAM does.
        let organization = statement(
            r#""Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
        );
        assert_eq!(codes(&organization, Some(PolicyKind::RoleTrust)), vec![]);
        // A partial wildcard's help names the form trust policies accept.
        let partial = statement(
            r#""Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": "sts:AssumeRole""#,
        );
        let finding = only(
            &partial,
            Some(PolicyKind::RoleTrust),
            C::RoleTrustPolicyUnsupportedWildcardInPrincipal,
        );
        assert!(
            finding
                .help
                .as_deref()
                .is_some_and(|help| help.contains(r#"{"AWS": "*"}"#)),
            "{:?}",
            finding.help
        );
    }

    #[test]
    fn malformed_values() {
        for (principal, code) in [
            (
                r#"{"AWS": "arn:aws:iam::123456789012:role/*"}"#,
                C::UnsupportedWildcardInPrincipal,
            ),
            (
                r#"{"AWS": "arn:aws:iam::*:root"}"#,
                C::UnsupportedWildcardInPrincipal,
            ),
            (
                r#"{"AWS": "arn:aws:iam::123456789012:group/admins"}"#,
                C::InvalidPrincipalFormat,
            ),
            (r#"{"AWS": "1234"}"#, C::InvalidPrincipalFormat),
            (
                r#"{"AWS": "AROAEXAMPLEID1234567"}"#,
                C::InvalidRoleReference,
            ),
            (
                r#"{"AWS": "AIDAEXAMPLEID1234567"}"#,
                C::InvalidUserReference,
            ),
            (r#"{"Service": "ec2"}"#, C::InvalidServicePrincipalFormat),
            (r#"{"CanonicalUser": "abc"}"#, C::InvalidPrincipalFormat),
            (
                r#"{"Federated": "accounts.google.com"}"#,
                C::FederatedPrincipalNotSupported,
            ),
        ] {
            let found = codes(&with(principal, r#""s3:GetObject""#), None);
            assert_eq!(found, vec![code], "{principal}");
        }
        let finding = only(
            &with(
                r#"{"AWS": "arn:aws:iam::123456789012:group/admins"}"#,
                r#""s3:GetObject""#,
            ),
            None,
            C::InvalidPrincipalFormat,
        );
        assert_eq!(finding.path, "Statement[0].Principal.AWS");
        assert_eq!(
            finding.message,
            "`arn:aws:iam::123456789012:group/admins`: an IAM group cannot be a principal"
        );
    }

    #[test]
    fn trust_policies_match_actions_to_principals() {
        let kind = Some(PolicyKind::RoleTrust);
        let saml = r#"{"Federated": "arn:aws:iam::123456789012:saml-provider/corp"}"#;
        assert!(codes(&trust(saml, r#""sts:AssumeRoleWithSAML""#), kind).is_empty());
        assert!(codes(&trust(saml, r#""sts:*""#), kind).is_empty());
        assert_eq!(
            codes(&trust(saml, r#""sts:AssumeRoleWithWebIdentity""#), kind),
            vec![
                C::MismatchedActionForPrincipal,
                C::MismatchedActionForPrincipal
            ]
        );
        let oidc = r#"{"Federated": "token.actions.githubusercontent.com"}"#;
        assert!(codes(&trust(oidc, r#""sts:AssumeRoleWithWebIdentity""#), kind).is_empty());
        let service = r#"{"Service": "ec2.amazonaws.com"}"#;
        let finding = only(
            &trust(service, r#"["sts:AssumeRole", "sts:AssumeRoleWithSAML"]"#),
            kind,
            C::MismatchedActionForPrincipal,
        );
        assert_eq!(finding.path, "Statement[0].Action[1]");
        assert_eq!(
            codes(
                &trust(
                    r#"{"Federated": "not a provider"}"#,
                    r#""sts:AssumeRoleWithWebIdentity""#
                ),
                kind
            ),
            vec![C::InvalidFederatedPrincipalSyntaxInRoleTrustPolicy]
        );
        let anywhere = r#"{"Service": "rolesanywhere.amazonaws.com"}"#;
        let finding = only(
            &trust(anywhere, r#"["sts:AssumeRole", "sts:TagSession"]"#),
            kind,
            C::MissingActionForRolesAnywhereTrustPolicy,
        );
        assert_eq!(
            finding.message,
            "a trust for IAM Roles Anywhere also needs `sts:SetSourceIdentity`"
        );
        assert!(
            codes(
                &trust(
                    anywhere,
                    r#"["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]"#
                ),
                kind
            )
            .is_empty()
        );
    }

    #[test]
    fn rcp_allow_is_full_access_only() {
        let full =
            statement(r#""Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*""#);
        assert!(codes(&full, Some(PolicyKind::Rcp)).is_empty());
        let narrow = statement(
            r#""Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*""#,
        );
        assert_eq!(
            codes(&narrow, Some(PolicyKind::Rcp)),
            vec![C::RcpSyntaxErrorAllow]
        );
    }
}

#[cfg(test)]
mod documented_policies {
    use super::super::testing::findings;
    use crate::{PolicyKind, Severity};

    fn errors(document: &str, kind: PolicyKind) -> Vec<crate::Finding> {
        findings(document, Some(kind))
            .into_iter()
            .filter(|finding| finding.severity == Severity::Error)
            .collect()
    }

    /// Resource policies, SCPs and RCPs as AWS documents them: no error from any rule.
    #[test]
    fn other_kinds_pass_without_errors() {
        for (kind, document) in [
            (
                PolicyKind::Resource,
                r#"{"Version": "2012-10-17", "Statement": {"Sid": "AllowCloudFrontServicePrincipalReadOnly", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*", "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}}"#,
            ),
            (
                PolicyKind::Resource,
                r#"{"Version": "2012-10-17", "Id": "key-policy", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
            ),
            (
                PolicyKind::Scp,
                r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyAllOutsideEU", "Effect": "Deny", "NotAction": ["iam:*", "organizations:*", "route53:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}}]}"#,
            ),
            (
                PolicyKind::Rcp,
                r#"{"Version": "2012-10-17", "Statement": [{"Sid": "EnforceSecureTransport", "Effect": "Deny", "Principal": "*", "Action": ["s3:*", "sqs:*", "kms:*"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}"#,
            ),
        ] {
            let errors = errors(document, kind);
            assert!(errors.is_empty(), "{document}: {errors:#?}");
        }
    }

    /// Trust policies as AWS documents them: no error from any rule.
    #[test]
    fn trust_policies_pass_without_errors() {
        for document in [
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/ExampleOrgSSOProvider"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a1b2c3"}}}]}"#,
        ] {
            let errors = errors(document, PolicyKind::RoleTrust);
            assert!(errors.is_empty(), "{document}: {errors:#?}");
        }
    }
}
