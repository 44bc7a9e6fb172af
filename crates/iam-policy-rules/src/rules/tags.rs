//! Global tag keys (`aws:ResourceTag/`, `aws:RequestTag/`, `aws:TagKeys`) on actions of services
//! that do not support them.

use super::{Context, Effect, Statement, backticked};
use crate::IssueCode;
use iam_policy_reference as reference;
use rustc_hash::FxHashMap;

/// The global tag keys, whose support differs from service to service.
const TAG_KEYS: &[&str] = &["aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys"];

/// A condition on a global tag key that an action's service never sets makes the condition
/// false for that action: an Allow never allows it, a Deny never denies it. Only conditions
/// that are false for an absent key are judged (not `...IfExists`, negated operators,
/// `ForAllValues:` or `Null: true`).
#[inline]
pub(super) fn check_tag_keys_supported(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let (Some(effect), Some(actions)) = (statement.effect, &statement.action) else {
        return;
    };
    // Most statements have no condition: nothing to set up for them.
    if statement.conditions.is_empty() {
        return;
    }
    let mut services: Option<Vec<reference::Service>> = None;
    let mut unsupported_by_template: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for condition in &statement.conditions {
        let key = condition.key.text;
        // Told apart from most keys by the letter after `aws:` before any comparison.
        let is_tag_key = matches!(key.as_bytes().get(4), Some(b'R' | b'r' | b'T' | b't'))
            && TAG_KEYS.iter().any(|tag| {
                key.get(..tag.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(tag))
            });
        let Some(template) = is_tag_key.then(|| reference::condition_key(key)).flatten() else {
            continue;
        };
        let Ok(operator) = super::operator::Operator::parse(condition.operator.text) else {
            continue;
        };
        if !super::condition_key_support::fails_without_key(operator, condition) {
            continue;
        }
        if actions.negated {
            let code = match effect {
                Effect::Allow => IssueCode::AllowNotactionWithUnsupportedTagConditionKeyForService,
                Effect::Deny => IssueCode::DenyNotactionWithUnsupportedTagConditionKeyForService,
            };
            let verb = if effect == Effect::Allow {
                "allows"
            } else {
                "denies"
            };
            ctx.report_entry(
                code,
                &condition.key,
                Some(statement.index),
                format!(
                    "with `NotAction`, this statement only {verb} the actions of services that support `{key}`"
                ),
                Some("list the actions instead of excluding some".to_owned()),
            );
            continue;
        }
        // Worked out once per statement and per tag key template: a statement may hold
        // thousands of actions and of tag conditions.
        let services = services.get_or_insert_with(|| {
            let mut services: Vec<reference::Service> = statement
                .actions
                .iter()
                .filter(|resolved| !resolved.everything)
                .flat_map(|resolved| resolved.actions.iter().map(|action| action.service()))
                .collect();
            // An entry's actions come in runs of one service: fewer to sort.
            services.dedup();
            services.sort_unstable_by_key(|service| service.prefix());
            services.dedup_by_key(|service| service.prefix());
            services
        });
        let unsupported = unsupported_by_template
            .entry(template.name())
            .or_insert_with(|| {
                services
                    .iter()
                    .filter(|service| {
                        !service
                            .condition_keys()
                            .any(|known| known.name().eq_ignore_ascii_case(template.name()))
                    })
                    .map(|service| service.prefix())
                    .collect::<Vec<&str>>()
            });
        if unsupported.is_empty() {
            continue;
        }
        let (code, outcome) = match effect {
            Effect::Allow => (
                IssueCode::AllowWithUnsupportedTagConditionKeyForService,
                "never allowed",
            ),
            Effect::Deny => (
                IssueCode::DenyWithUnsupportedTagConditionKeyForService,
                "never denied",
            ),
        };
        ctx.report_entry(
            code,
            &condition.key,
            Some(statement.index),
            format!(
                "the actions of {} are {outcome} here: the service does not support `{key}`",
                backticked(unsupported)
            ),
            // Removing actions from an Allow, or denying them in a statement of their own,
            // never widens what the policy allows.
            Some(
                match effect {
                    Effect::Deny => "deny them in a statement of their own, with a condition their service supports",
                    Effect::Allow => "remove them from this statement: it never allows them",
                }
                .to_owned(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::statement_rules::check;
    use crate::IssueCode::*;

    /// The rule tells keys apart by the letter after `aws:` first.
    #[test]
    fn tag_keys_start_with_aws_and_r_or_t() {
        for tag in super::TAG_KEYS {
            assert!(
                tag.starts_with("aws:R") || tag.starts_with("aws:T"),
                "{tag}"
            );
        }
    }

    #[test]
    fn tag_keys_on_services_without_tags() {
        // Resource Groups Tagging API (`tag:`) has no `aws:ResourceTag` support.
        let condition = r#""Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}"#;
        assert_eq!(
            check(&format!(
                r#""Effect": "Allow", "Action": ["ec2:StartInstances", "tag:GetResources"], "Resource": "*", {condition}"#
            )),
            [AllowWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Deny", "Action": ["ec2:StartInstances", "tag:GetResources"], "Resource": "*", {condition}"#
            )),
            [DenyWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Allow", "NotAction": "iam:*", "Resource": "*", {condition}"#
            )),
            [AllowNotactionWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Deny", "NotAction": "iam:*", "Resource": "*", {condition}"#
            )),
            [DenyNotactionWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", {condition}"#
            )),
            []
        );
        // `ForAllValues:` holds without the key: nothing is left out.
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": ["ec2:CreateTags", "tag:TagResources"], "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}"#
            ),
            []
        );
        // A negated condition is true when the key is absent: nothing escapes.
        assert_eq!(
            check(
                r#""Effect": "Deny", "Action": ["ec2:StartInstances", "tag:GetResources"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/team": "blue"}}"#
            ),
            []
        );
    }
}
