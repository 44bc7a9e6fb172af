//! `Resource`/`NotResource`: every entry is `"*"` or an ARN of a known resource type, and a
//! resource that none of the statement's actions can act on is reported, because the
//! statement then grants (or denies) nothing on it.

use super::{Context, Entry, Statement, arn};
use crate::IssueCode;
use iam_policy_reference as reference;

pub(crate) fn check_statement(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let Some(element) = &statement.resource else {
        return;
    };
    let at = Some(statement.index);
    // The action match needs the statement's whole, explicit list of actions: `NotAction`,
    // `"*"` or an entry that did not resolve make it unknowable.
    let actions_known = statement
        .action
        .as_ref()
        .is_some_and(|action| !action.negated)
        && statement.actions_complete
        && !statement.allows_every_action()
        && !element.negated;
    for entry in &element.entries {
        if entry.text == "*" {
            continue;
        }
        let Some(types) = arn::check(entry, at, ctx) else {
            continue;
        };
        if actions_known && !types.is_empty() {
            match_actions(statement, entry, &types, ctx);
        }
    }
}

/// Same resource type: same owning service and name.
fn same_type(left: reference::ResourceType, right: reference::ResourceType) -> bool {
    left.name() == right.name() && left.service().prefix() == right.service().prefix()
}

fn match_actions(
    statement: &Statement<'_>,
    entry: &Entry<'_>,
    types: &[reference::ResourceType],
    ctx: &mut Context<'_>,
) {
    let acts_on = |action: reference::Action| {
        action.resource_types().any(|listed| {
            types
                .iter()
                .any(|resource_type| same_type(listed.resource_type, *resource_type))
        })
    };
    if statement.named_actions().any(acts_on) {
        return;
    }
    let Some(first) = types.first() else { return };
    // Point at an action that would act on it, from the service that owns the type.
    let example = first
        .service()
        .actions()
        .find(|action| acts_on(*action))
        .map(|action| action.to_string());
    ctx.report_entry(
        IssueCode::ResourceNotSupportedByActions,
        entry,
        Some(statement.index),
        format!(
            "no action of this statement acts on `{}` (a `{}` of `{}`), so the statement grants nothing on it",
            entry.text,
            first.name(),
            first.service().prefix()
        ),
        Some(match example {
            Some(action) => format!(
                "move it to a statement with actions on it, such as `{action}`, or remove it"
            ),
            None => "move it to a statement with actions on it, or remove it".to_owned(),
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, only, statement};
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
                "no action of this statement acts on `{VOLUME}` (a `volume` of `ec2`)"
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
    fn skipped_when_the_actions_are_not_a_closed_list() {
        for action in [r#""*""#, r#"["ssm:StartSession", "*"]"#] {
            assert!(
                codes(&doc(action, &format!(r#""{VOLUME}""#)), None).is_empty(),
                "{action}"
            );
        }
        let not_action = statement(&format!(
            r#""Effect": "Allow", "NotAction": "ssm:StartSession", "Resource": "{VOLUME}""#
        ));
        assert!(codes(&not_action, None).is_empty());
        // A wildcard narrower than `*` is expanded and checked.
        assert_eq!(
            codes(&doc(r#""ssm:Start*""#, &format!(r#""{VOLUME}""#)), None),
            vec![C::ResourceNotSupportedByActions]
        );
        assert!(codes(&doc(r#""ec2:*""#, &format!(r#""{VOLUME}""#)), None).is_empty());
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
}
