//! `Resource`/`NotResource`: every entry is `"*"` or an ARN of a known resource type, and a
//! resource that none of the statement's actions can act on is reported, because the
//! statement then grants (or denies) nothing on it.

use super::{Context, Effect, Entry, Statement, arn, holds_wildcard};
use crate::IssueCode;
use iam_policy_reference as reference;

pub(crate) fn check_statement<'a>(
    statement: &Statement<'a>,
    arns: &mut arn::DocumentArns<'a>,
    ctx: &mut Context<'_>,
) {
    let Some(element) = &statement.resource else {
        return;
    };
    let at = Some(statement.index);
    // The action match needs the statement's whole, explicit list of actions: `NotAction`,
    // `"*"` or an entry that did not resolve make it unknowable, and `Action: []` is reported
    // as such (EMPTY_ARRAY_ACTION), not once more for each resource.
    let actions_known = statement
        .action
        .as_ref()
        .is_some_and(|action| !action.negated && !action.entries.is_empty())
        && statement.actions_complete
        && !statement.allows_every_action()
        && !element.negated;
    for entry in &element.entries {
        if entry.text == "*" {
            continue;
        }
        let Some(types) = arn::check(entry, at, arns, ctx) else {
            continue;
        };
        if actions_known && !types.is_empty() {
            match_actions(statement, entry, &types, ctx);
        }
    }
}

/// Service prefixes renamed with both names still authorizing the same resources.
const ALIASES: [(&str, &str); 1] = [("codestar-connections", "codeconnections")];

fn aliased(left: &str, right: &str) -> bool {
    ALIASES
        .iter()
        .any(|&(a, b)| (left == a && right == b) || (left == b && right == a))
}

/// Reports a resource none of the statement's actions acts on, as a warning either way: the
/// reference's per-action resource lists have gaps. The code says whether the statement has
/// actions of the service that owns the resource type. An action on a resource type whose ARN
/// format is generic (`arn:${Partition}:${Vendor}:...`, Backup's recovery points of every
/// service) may act on any ARN.
fn match_actions(
    statement: &Statement<'_>,
    entry: &Entry<'_>,
    types: &[reference::ResourceType],
    ctx: &mut Context<'_>,
) {
    // One handle per resource type (a test of the reference): comparing handles compares the
    // owning service and name without reading either.
    let acts_on = |action: reference::Action| {
        action
            .resource_types()
            .any(|listed| types.contains(&listed.resource_type))
    };
    // The generic formats only for the rare resource no action lists: most are listed.
    let acts_on_any = |action: reference::Action| {
        action
            .resource_types()
            .any(|listed| generic_format(listed.resource_type))
    };
    if statement.named_actions().any(acts_on) || statement.named_actions().any(acts_on_any) {
        return;
    }
    let owners = |action: reference::Action| {
        let prefix = action.service().prefix();
        types
            .iter()
            .map(|resource_type| resource_type.service().prefix())
            .find(|owner| *owner == prefix || aliased(owner, prefix))
    };
    let same_service = statement.named_actions().find_map(owners);
    if same_service.is_some_and(|owner| {
        statement
            .named_actions()
            .any(|action| aliased(owner, action.service().prefix()))
    }) {
        return;
    }
    // Name the type the ARN's own service owns (an `ec2` volume ARN is also a type of
    // `workspaces-instances`).
    let arn_service = arn::split(entry.text).map_or("", |arn| arn.service);
    let Some(first) = types
        .iter()
        .find(|resource_type| resource_type.service().prefix() == arn_service)
        .or_else(|| types.first())
    else {
        return;
    };
    let own_types = types
        .iter()
        .filter(|resource_type| resource_type.service().prefix() == arn_service)
        .count();
    let what = if own_types <= 1 {
        format!(
            "resource type `{}` of `{}`",
            first.name(),
            first.service().prefix()
        )
    } else {
        format!("resource types of `{arn_service}`")
    };
    // Point at an action that would act on it, from the service that owns the type.
    let example = first
        .service()
        .actions()
        .find(|action| acts_on(*action))
        .map(|action| action.to_string());
    let (code, message) = match same_service {
        None => (
            IssueCode::ResourceNotSupportedByActions,
            format!(
                "no action of this statement acts on `{}` ({what}), so the statement grants nothing on it",
                entry.text
            ),
        ),
        Some(owner) => (
            IssueCode::ResourceTypeNotListedForActions,
            format!(
                "none of the `{owner}` actions of this statement lists `{}` ({what}) among its resource types",
                entry.text
            ),
        ),
    };
    // Removing a resource from an Allow, or naming more actions in a Deny, never widens what
    // the policy allows.
    let help = match (statement.effect, example) {
        (Some(Effect::Deny), Some(action)) => {
            format!("add the actions to deny on it, such as `{action}`")
        }
        (Some(Effect::Deny), None) => "add the actions to deny on it".to_owned(),
        (_, Some(action)) => format!("remove it (actions on it include `{action}`)"),
        (_, None) => "remove it".to_owned(),
    };
    ctx.report_uncertain_entry(code, entry, Some(statement.index), message, Some(help));
}

/// Whether the resource type's ARN format leaves the service open (`${Vendor}`), so that it
/// names resources of many services.
fn generic_format(resource_type: reference::ResourceType) -> bool {
    resource_type
        .arn_formats()
        .any(|format| format.starts_with("arn:${Partition}:${"))
}

/// A wildcard in an ARN's service name (`arn:aws:*code*:...`) reaches unrelated services, and
/// services yet to come. A service field that is `*` alone names every service on purpose, like
/// `"Resource": "*"`.
#[inline]
pub(super) fn check_wildcard_in_service_name(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let Some(element) = &statement.resource else {
        return;
    };
    for entry in &element.entries {
        // The third field: `arn:partition:service:...`, its colons found eight bytes at a time.
        let colon = |text: &str| crate::bytes::first_of(text.as_bytes(), b':');
        let Some(rest) = entry.text.strip_prefix("arn:") else {
            continue;
        };
        let Some(service) = colon(rest).and_then(|at| rest.get(at + 1..)) else {
            continue;
        };
        let service = colon(service)
            .and_then(|at| service.get(..at))
            .unwrap_or(service);
        if service != "*" && holds_wildcard(service) {
            ctx.report_entry(
                IssueCode::WildcardInServiceName,
                entry,
                Some(statement.index),
                format!(
                    "service field `{service}` of `{}` matches several services, future ones too",
                    entry.text
                ),
                Some("name the service in each ARN".to_owned()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, only, statement, statement_rules};
    use crate::{IssueCode as C, Options, Waiver, parse};

    const VOLUME: &str = "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0";
    const INSTANCE: &str = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

    fn doc(action: &str, resources: &str) -> String {
        statement(&format!(
            r#""Effect": "Allow", "Action": {action}, "Resource": {resources}"#
        ))
    }

    #[test]
    fn a_resource_no_action_acts_on() {
        let text = doc(
            r#""ssm:StartSession""#,
            &format!(r#"["{INSTANCE}", "{VOLUME}"]"#),
        );
        let finding = only(&text, None, C::ResourceNotSupportedByActions);
        assert_eq!(finding.path, "Statement[0].Resource[1]");
        assert!(
            finding.message.starts_with(&format!(
                "no action of this statement acts on `{VOLUME}` (resource type `volume` of `ec2`)"
            )),
            "{}",
            finding.message
        );
        // The instance is an `ssm` resource type with an `ec2` ARN: it passes.
        assert!(
            codes(
                &doc(r#""ssm:StartSession""#, &format!(r#""{INSTANCE}""#)),
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn the_verdict_is_a_warning_whose_help_never_widens_the_policy() {
        let allow = only(
            &doc(r#""ssm:StartSession""#, &format!(r#""{VOLUME}""#)),
            None,
            C::ResourceNotSupportedByActions,
        );
        assert_eq!(allow.severity, crate::Severity::Warning);
        assert!(
            allow
                .help
                .as_deref()
                .is_some_and(|help| help.starts_with("remove it")),
            "{:?}",
            allow.help
        );
        let deny = statement(&format!(
            r#""Effect": "Deny", "Action": "ssm:StartSession", "Resource": "{VOLUME}""#
        ));
        let deny = only(&deny, None, C::ResourceNotSupportedByActions);
        assert!(
            deny.help
                .as_deref()
                .is_some_and(|help| help.starts_with("add the actions to deny")),
            "{:?}",
            deny.help
        );
    }

    #[test]
    fn an_action_on_a_generic_format_may_act_on_any_arn() {
        // Backup's recovery points are `arn:${Partition}:${Vendor}:...`: EC2 images among them.
        let text = doc(
            r#""backup:DeleteRecoveryPoint""#,
            r#"["arn:aws:ec2:*::image/*", "arn:aws:rds:*:*:snapshot:awsbackup:*"]"#,
        );
        assert!(codes(&text, None).is_empty(), "{:?}", codes(&text, None));
    }

    #[test]
    fn a_resource_type_the_services_actions_do_not_list() {
        let text = doc(r#""s3:ListAllMyBuckets""#, r#""arn:aws:s3:::*""#);
        let finding = only(&text, None, C::ResourceTypeNotListedForActions);
        assert!(
            finding.message.starts_with("none of the `s3` actions of this statement lists `arn:aws:s3:::*` (resource types of `s3`)"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn skipped_when_the_actions_are_not_a_closed_list() {
        for action in [r#""*""#, r#"["ssm:StartSession", "*"]"#] {
            let found = codes(&doc(action, &format!(r#""{VOLUME}""#)), None);
            assert!(
                !found.contains(&C::ResourceNotSupportedByActions),
                "{action}: {found:?}"
            );
        }
        let not_action = statement(&format!(
            r#""Effect": "Allow", "NotAction": "ssm:StartSession", "Resource": "{VOLUME}""#
        ));
        assert!(codes(&not_action, None).is_empty());
        // Renamed services authorize each other's resources.
        let renamed = doc(
            r#""codestar-connections:PassConnection""#,
            r#""arn:aws:codeconnections:us-east-1:123456789012:connection/c""#,
        );
        assert!(codes(&renamed, None).is_empty());
        // A wildcard narrower than `*` is expanded and checked.
        assert_eq!(
            codes(&doc(r#""ssm:Start*""#, &format!(r#""{VOLUME}""#)), None),
            vec![C::ResourceNotSupportedByActions]
        );
        assert!(codes(&doc(r#""ec2:*""#, &format!(r#""{VOLUME}""#)), None).is_empty());
        // `Action: []` has its own finding, not one more per resource.
        assert!(
            !codes(&doc("[]", &format!(r#""{VOLUME}""#)), None)
                .contains(&C::ResourceNotSupportedByActions)
        );
    }

    #[test]
    fn it_can_be_waived_per_statement() {
        let text = doc(r#""ssm:StartSession""#, &format!(r#""{VOLUME}""#));
        let Ok(node) = parse::parse(&text) else {
            unreachable!("valid JSON")
        };
        let options = Options {
            waivers: vec![Waiver {
                code: C::ResourceNotSupportedByActions,
                statement: Some(0),
            }],
            ..Options::default()
        };
        assert!(crate::validate(&node, &options).is_empty());
        let other = Options {
            waivers: vec![Waiver {
                code: C::ResourceNotSupportedByActions,
                statement: Some(1),
            }],
            ..Options::default()
        };
        assert_eq!(crate::validate(&node, &other).len(), 1);
    }

    #[test]
    fn wildcards_in_service_names() {
        assert_eq!(
            statement_rules::codes(
                &statement(
                    r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:*code*:us-east-1:123456789012:*", "arn:aws:s3:::b/*"]"#
                ),
                None
            ),
            [C::WildcardInServiceName]
        );
        assert_eq!(
            statement_rules::codes(
                &statement(
                    r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:*:*:*:*""#
                ),
                None
            ),
            []
        );
    }
}
