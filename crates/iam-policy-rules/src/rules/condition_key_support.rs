//! A statement's condition keys against its actions: a service key its actions support, and
//! keys that need another key beside them.

use super::condition::{Checked, report, scalar_text};
use super::operator::{Family, Operator, SetQualifier};
use super::value;
use super::{Condition, Context, Effect, Statement, backticked};
use crate::IssueCode;
use iam_policy_reference as reference;
use rustc_hash::FxHashSet;

/// A service key must be supported by the statement's actions (listed on the action or on one
/// of its resource types); otherwise a condition that needs the key is never true for them.
/// Like Access Analyzer, only actions written without wildcards are judged, and `NotAction` is
/// left alone. Global keys are supported by every action. Conditions that hold when the key is
/// absent (`...IfExists`, negated operators, `ForAllValues:`, `Null` with `true`) only apply to
/// the actions that have the key, as AWS's Session Manager samples rely on
/// (`BoolIfExists ssm:SessionDocumentAccessCheck` beside `ssm:SendCommand`).
#[inline]
pub(super) fn check_actions_support_keys<'c, 'a: 'c>(
    statement: &Statement<'_>,
    checked: impl Iterator<Item = Checked<'c, 'a>>,
    ctx: &mut Context<'_>,
) {
    if statement
        .action
        .as_ref()
        .is_none_or(|action| action.negated)
    {
        return;
    }
    // Listed only once a condition needs them: most statements have no such condition.
    let mut named: Option<Vec<reference::Action>> = None;
    // The keys reported, in lower case: a statement may repeat a key under many operators.
    let mut reported: FxHashSet<String> = FxHashSet::default();
    let mut has_wildcards: Option<bool> = None;
    for item in checked {
        let (Some(key), Some(operator)) = (item.key, item.operator) else {
            continue;
        };
        let name = item.condition.key.text;
        if key.is_global()
            || !fails_without_key(operator, item.condition)
            || reported.contains(&name.to_ascii_lowercase())
        {
            continue;
        }
        // Each action once, in the order written: each key is tested against every one.
        let named = named.get_or_insert_with(|| {
            let mut seen = FxHashSet::default();
            statement
                .actions
                .iter()
                .filter(|resolved| !resolved.wildcard && !resolved.everything)
                .flat_map(|resolved| resolved.actions.iter().copied())
                .filter(|action| seen.insert(*action))
                .collect()
        });
        if named.is_empty() {
            return;
        }
        reported.insert(name.to_ascii_lowercase());
        // STS authorizes a session's companion actions in the request of the `AssumeRole*`
        // action they come with: the key that request has, they have.
        let assumed = named
            .iter()
            .any(|action| is_assume_role(*action) && supports_condition_key(*action, name));
        let unsupported: Vec<reference::Action> = named
            .iter()
            .copied()
            .filter(|&action| {
                let companion = assumed && is_session_companion(action);
                !(companion || supports_condition_key(action, name))
            })
            .collect();
        if unsupported.is_empty() {
            continue;
        }
        let has_wildcards = *has_wildcards.get_or_insert_with(|| {
            statement.actions.iter().any(|resolved| resolved.wildcard)
                || !statement.actions_complete
        });
        let message = if unsupported.len() == named.len() && !has_wildcards {
            format!("no action of this statement supports condition key `{name}`")
        } else {
            format!(
                "condition key `{name}` is not supported by {}",
                backticked(&unsupported)
            )
        };
        // Removing actions from an Allow, or denying them in a statement of their own, never
        // widens what the policy allows.
        let help = if statement.effect == Some(Effect::Deny) {
            "this statement never denies them: deny them in a statement of their own, with a condition they support"
        } else {
            "this statement never allows them: remove them from it"
        };
        ctx.report_uncertain_entry(
            IssueCode::UnsupportedActionForConditionKey,
            &item.condition.key,
            Some(statement.index),
            message,
            Some(help.to_owned()),
        );
    }
}

/// `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`.
fn is_assume_role(action: reference::Action) -> bool {
    action.service().prefix() == "sts"
        && action
            .name()
            .get(.."AssumeRole".len())
            .is_some_and(|head| head.eq_ignore_ascii_case("AssumeRole"))
}

/// The actions a role trust policy allows beside `sts:AssumeRole*` for the same session:
/// passing session tags, a source identity, a trusted context.
fn is_session_companion(action: reference::Action) -> bool {
    action.service().prefix() == "sts"
        && ["TagSession", "SetSourceIdentity", "SetContext"]
            .iter()
            .any(|name| action.name().eq_ignore_ascii_case(name))
}

/// Whether the condition is false for a request without its key (so an action that never has
/// the key is never allowed, or never denied, by the statement).
#[inline]
pub(super) fn fails_without_key(operator: Operator, condition: &Condition<'_>) -> bool {
    if operator.if_exists {
        return false;
    }
    match (operator.family, operator.qualifier) {
        // `Null: false` asks for the key; `Null: true` holds without it.
        (Family::Null, _) => condition
            .values
            .iter()
            .any(|node| scalar_text(node).and_then(value::parse_bool) == Some(false)),
        (_, Some(SetQualifier::ForAllValues)) => false,
        (_, Some(SetQualifier::ForAnyValue)) => true,
        (_, None) => !operator.negated,
    }
}

/// Keys that AWS documents for actions whose reference entry does not list them:
/// `(key, actions)`, in lower case. AWS Marketplace's buyer guide filters `Subscribe` and
/// `Unsubscribe` by `aws-marketplace:ProductId` (and AWS's `ROSAManageSubscription` does so).
const SUPPORT_MISSING_FROM_REFERENCE: &[(&str, &[&str])] = &[(
    "aws-marketplace:productid",
    &["aws-marketplace:subscribe", "aws-marketplace:unsubscribe"],
)];

/// The reference's answer, completed by `SUPPORT_MISSING_FROM_REFERENCE`.
fn supports_condition_key(action: reference::Action, key: &str) -> bool {
    action.supports_condition_key(key)
        || SUPPORT_MISSING_FROM_REFERENCE
            .iter()
            .any(|(known, actions)| {
                known.eq_ignore_ascii_case(key)
                    && actions
                        .iter()
                        .any(|name| name.eq_ignore_ascii_case(&action.to_string()))
            })
}

/// An Allow that limits `dynamodb:Attributes` must also pin `dynamodb:Select` to
/// `SPECIFIC_ATTRIBUTES`, or a request can read every attribute without naming any.
#[inline]
pub(super) fn check_dynamodb_attributes_with_select(
    statement: &Statement<'_>,
    ctx: &mut Context<'_>,
) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    let has_key = |name: &str| {
        statement
            .conditions
            .iter()
            .find(|condition| condition.key.text.eq_ignore_ascii_case(name))
    };
    if let (Some(attributes), None) = (has_key("dynamodb:Attributes"), has_key("dynamodb:Select")) {
        report(
            ctx,
            statement,
            &attributes.key,
            IssueCode::DynamodbAttributesWithoutSelect,
            "`dynamodb:Attributes` is limited but `dynamodb:Select` is not".to_owned(),
            Some(
                "add `\"StringEquals\": {\"dynamodb:Select\": \"SPECIFIC_ATTRIBUTES\"}`".to_owned(),
            ),
        );
    }
}

/// Keys that are only safe together with a companion key: `aws:VpcSourceIp` matches the same
/// private address in every VPC unless the VPC or endpoint is pinned too.
const PAIRED_KEYS: &[(&str, &[&str])] =
    &[("aws:VpcSourceIp", &["aws:SourceVpc", "aws:SourceVpce"])];

/// A key of `PAIRED_KEYS` used in an Allow without any of its companions.
#[inline]
pub(super) fn check_paired_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    for (key, companions) in PAIRED_KEYS {
        let uses = |name: &str| {
            statement
                .conditions
                .iter()
                .find(|condition| condition.key.text.eq_ignore_ascii_case(name))
        };
        let Some(item) = uses(key) else {
            continue;
        };
        if companions.iter().any(|companion| uses(companion).is_some()) {
            continue;
        }
        let names: Vec<String> = companions.iter().map(|name| (*name).to_owned()).collect();
        report(
            ctx,
            statement,
            &item.key,
            IssueCode::MissingPairedConditionKeys,
            format!(
                "`{}` without {} matches the same address in every VPC",
                item.key.text,
                backticked(&names).replace(", ", " or ")
            ),
            Some(format!("add a condition on `{}`", companions[0])),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::conditions::{S3, check};
    use super::super::testing::statement;
    use super::super::testing::statement_rules::codes;
    use crate::IssueCode::{self, *};
    use crate::{Options, PolicyKind, parse};

    /// Session Manager's sample policies (AWS documentation), placeholders filled in.
    #[test]
    fn session_manager_samples_pass() {
        let end_user = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ssm:StartSession"],
             "Resource": ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
                          "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"],
             "Condition": {"BoolIfExists": {"ssm:SessionDocumentAccessCheck": "true"}}},
            {"Effect": "Allow", "Action": ["ssm:DescribeSessions", "ssm:GetConnectionStatus",
             "ssm:DescribeInstanceProperties", "ec2:DescribeInstances"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["ssm:TerminateSession", "ssm:ResumeSession"],
             "Resource": ["arn:aws:ssm:*:*:session/${aws:userid}-*"]},
            {"Effect": "Allow", "Action": ["kms:GenerateDataKey"],
             "Resource": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#;
        assert_eq!(codes(end_user, None), []);
        let administrator = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ssm:StartSession"],
             "Resource": ["arn:aws:ec2:us-east-1:123456789012:instance/*"],
             "Condition": {"StringLike": {"ssm:resourceTag/Finance": ["WebServers"]}}},
            {"Effect": "Allow", "Action": ["ssm:DescribeSessions", "ssm:GetConnectionStatus",
             "ssm:DescribeInstanceProperties", "ec2:DescribeInstances"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["ssm:CreateDocument", "ssm:UpdateDocument", "ssm:GetDocument", "ssm:StartSession"],
             "Resource": "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"},
            {"Effect": "Allow", "Action": ["ssm:TerminateSession", "ssm:ResumeSession"],
             "Resource": ["arn:aws:ssm:*:*:session/${aws:userid}-*"]}]}"#;
        assert_eq!(codes(administrator, None), []);
    }

    #[test]
    fn session_companions_have_the_keys_of_the_assume_role_request() {
        // Terraform's role modules: the trust actions with `sts:ExternalId`, `saml:sub`,
        // `sts:RoleSessionName`, each with its companion actions.
        for (actions, principal, key) in [
            (
                r#"["sts:AssumeRole", "sts:TagSession"]"#,
                r#"{"AWS": "arn:aws:iam::123456789012:root"}"#,
                "sts:ExternalId",
            ),
            (
                r#"["sts:AssumeRoleWithSAML", "sts:TagSession"]"#,
                r#"{"Federated": "arn:aws:iam::123456789012:saml-provider/idp"}"#,
                "saml:sub",
            ),
            (
                r#"["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]"#,
                r#"{"AWS": "arn:aws:iam::123456789012:root"}"#,
                "sts:RoleSessionName",
            ),
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": {actions}, "Condition": {{"StringEquals": {{"{key}": "x"}}}}}}]}}"#
            );
            let Ok(node) = parse::parse(&text) else {
                unreachable!("valid JSON")
            };
            let found: Vec<IssueCode> = crate::validate(
                &node,
                &Options {
                    kind: Some(PolicyKind::RoleTrust),
                    ..Options::default()
                },
            )
            .into_iter()
            .map(|finding| finding.code)
            .collect();
            assert!(
                !found.contains(&UnsupportedActionForConditionKey),
                "{actions} {key}: {found:?}"
            );
        }
        // Alone, a companion action is judged by its own keys.
        assert_eq!(
            check(
                r#""sts:TagSession""#,
                r#"{"StringEquals": {"sts:ExternalId": "x"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
    }

    #[test]
    fn an_unsupported_key_is_a_warning_whose_help_never_widens_the_policy() {
        let allow = statement(
            r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a*"}}"#,
        );
        let deny = allow.replace("\"Allow\"", "\"Deny\"");
        for (text, help) in [(allow, "remove them"), (deny, "deny them")] {
            let finding =
                super::super::testing::only(&text, None, UnsupportedActionForConditionKey);
            assert_eq!(finding.severity, crate::Severity::Warning);
            assert!(
                finding
                    .help
                    .as_deref()
                    .is_some_and(|found| found.contains(help)),
                "{:?}",
                finding.help
            );
            assert!(
                !finding
                    .help
                    .unwrap_or_default()
                    .contains("without this key")
            );
        }
    }

    #[test]
    fn actions_must_support_service_keys() {
        // `s3:prefix` belongs to ListBucket, not to GetObject.
        assert_eq!(
            check(
                r#"["s3:ListBucket", "s3:GetObject"]"#,
                r#"{"StringLike": {"s3:prefix": "home/*"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
        assert_eq!(
            check(
                r#""s3:GetObject""#,
                r#"{"StringLike": {"s3:prefix": "home/*"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
        // Keys of a resource type count: StartSession on an instance has ssm:resourceTag.
        assert_eq!(
            check(
                r#""ssm:StartSession""#,
                r#"{"StringEquals": {"ssm:resourceTag/a": "b"}}"#
            ),
            []
        );
        // Global keys go with every action; wildcard entries and NotAction are not judged.
        assert_eq!(
            check(
                r#""s3:GetObject""#,
                r#"{"StringEquals": {"aws:ResourceAccount": "123456789012"}}"#
            ),
            []
        );
        assert_eq!(
            check(r#""s3:Get*""#, r#"{"StringLike": {"s3:prefix": "home/*"}}"#),
            []
        );
        assert!(
            !codes(&statement(r#""Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a*"}}"#), None)
                .contains(&UnsupportedActionForConditionKey)
        );
        // The cross-service keys of the global-keys page go with every action too.
        assert_eq!(
            check(
                r#""s3:GetObject""#,
                r#"{"ArnEquals": {"lambda:SourceFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:f"}}"#
            ),
            []
        );
        // A condition that holds without the key does not stop the other actions.
        for condition in [
            r#"{"StringLikeIfExists": {"s3:prefix": "home/*"}}"#,
            r#"{"StringNotLike": {"s3:prefix": "home/*"}}"#,
            r#"{"ForAllValues:StringEquals": {"s3:prefix": "home/"}}"#,
            r#"{"Null": {"s3:prefix": "true"}}"#,
        ] {
            assert!(
                !check(r#"["s3:ListBucket", "s3:GetObject"]"#, condition)
                    .contains(&UnsupportedActionForConditionKey),
                "{condition}"
            );
        }
        assert_eq!(
            check(
                r#"["s3:ListBucket", "s3:GetObject"]"#,
                r#"{"Null": {"s3:prefix": "false"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
        // A gap of the reference that AWS documents.
        assert_eq!(
            check(
                r#""aws-marketplace:Subscribe""#,
                r#"{"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": "abc"}}"#
            ),
            []
        );
    }

    #[test]
    fn dynamodb_attributes_need_select() {
        let action = r#""dynamodb:GetItem""#;
        assert_eq!(
            check(
                action,
                r#"{"ForAllValues:StringEquals": {"dynamodb:Attributes": ["id"]}}"#
            ),
            [DynamodbAttributesWithoutSelect]
        );
        assert_eq!(
            check(
                action,
                r#"{"ForAllValues:StringEquals": {"dynamodb:Attributes": ["id"]}, "StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}"#
            ),
            []
        );
    }

    #[test]
    fn vpc_source_ip_needs_its_pair() {
        assert_eq!(
            check(S3, r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}"#),
            [MissingPairedConditionKeys]
        );
    }
}
