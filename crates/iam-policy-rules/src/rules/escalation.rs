//! Privilege escalation through `iam:PassRole` and `iam:CreateServiceLinkedRole`: an Allow of
//! either on every role needs a condition key that names the service receiving the role.

use super::{Context, Effect, Entry, ListElement, Statement, bounds, has_condition_key};
use crate::IssueCode;
use iam_policy_reference as reference;
use std::sync::OnceLock;

/// The guarded actions, each with the reference's action, looked up once per process: the same
/// two actions for every document.
#[inline]
pub(super) fn guarded_actions() -> [(&'static GuardedAction, Option<reference::Action>); 2] {
    static TARGETS: OnceLock<(Option<reference::Action>, Option<reference::Action>)> =
        OnceLock::new();
    let &(pass_role, create_service_linked_role) = TARGETS.get_or_init(|| {
        (
            reference::action(PASS_ROLE.action),
            reference::action(CREATE_SERVICE_LINKED_ROLE.action),
        )
    });
    [
        (&PASS_ROLE, pass_role),
        (&CREATE_SERVICE_LINKED_ROLE, create_service_linked_role),
    ]
}

/// An action that is dangerous on every resource unless a condition key narrows it, with the
/// six codes of its family.
pub(super) struct GuardedAction {
    action: &'static str,
    /// The key that names what the action may be used for; a condition on it disarms the check.
    guard_key: &'static str,
    /// Resource patterns, after the ARN's fifth colon, that mean "every role".
    star_resources: &'static [&'static str],
    not_resource: IssueCode,
    star_in_action_and_not_resource: IssueCode,
    not_action_and_not_resource: IssueCode,
    star_in_resource: IssueCode,
    star_in_action_and_resource: IssueCode,
    star_in_resource_and_not_action: IssueCode,
}

const PASS_ROLE: GuardedAction = GuardedAction {
    action: "iam:PassRole",
    guard_key: "iam:PassedToService",
    star_resources: &["*", "role/*"],
    not_resource: IssueCode::PassRoleWithNotResource,
    star_in_action_and_not_resource: IssueCode::PassRoleWithStarInActionAndNotResource,
    not_action_and_not_resource: IssueCode::PassRoleWithNotActionAndNotResource,
    star_in_resource: IssueCode::PassRoleWithStarInResource,
    star_in_action_and_resource: IssueCode::PassRoleWithStarInActionAndResource,
    star_in_resource_and_not_action: IssueCode::PassRoleWithStarInResourceAndNotAction,
};

const CREATE_SERVICE_LINKED_ROLE: GuardedAction = GuardedAction {
    action: "iam:CreateServiceLinkedRole",
    guard_key: "iam:AWSServiceName",
    star_resources: &["*", "role/*", "role/aws-service-role/*"],
    not_resource: IssueCode::CreateSlrWithNotResource,
    star_in_action_and_not_resource: IssueCode::CreateSlrWithStarInActionAndNotResource,
    not_action_and_not_resource: IssueCode::CreateSlrWithNotActionAndNotResource,
    star_in_resource: IssueCode::CreateSlrWithStarInResource,
    star_in_action_and_resource: IssueCode::CreateSlrWithStarInActionAndResource,
    star_in_resource_and_not_action: IssueCode::CreateSlrWithStarInResourceAndNotAction,
};

/// How a statement's `Action`/`NotAction` grants a guarded action.
enum Grant<'e> {
    /// Written by name.
    Named(&'e Entry<'e>),
    /// Through a wildcard entry such as `iam:*` or `*`.
    Wildcard(&'e Entry<'e>),
    /// `NotAction` that does not exclude it.
    NotAction,
}

/// An Allow that grants `iam:PassRole` (or `iam:CreateServiceLinkedRole`) on every role, or
/// through `NotResource`, without a condition on `iam:PassedToService` (`iam:AWSServiceName`)
/// lets the caller hand any role to any service. Only identity policies grant these actions
/// (an SCP or RCP `Allow` only sets a ceiling).
#[inline]
pub(super) fn check_guarded_actions<const N: usize>(
    statement: &Statement<'_>,
    guarded: [(&GuardedAction, Option<reference::Action>); N],
    ctx: &mut Context<'_>,
) {
    if statement.effect != Some(Effect::Allow) || !ctx.kind.is_identity() {
        return;
    }
    let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
        return;
    };
    // One walk of the statement's actions for every guarded action.
    let grants = grants_of(statement, actions, guarded.map(|(_, target)| target));
    for ((guarded, _), grant) in guarded.into_iter().zip(grants) {
        if let Some(grant) = grant
            && !has_condition_key(statement, guarded.guard_key)
        {
            check_guarded_action(statement, resources, guarded, grant, ctx);
        }
    }
}

/// The finding, if any, for a statement that grants a guarded action without its guard key.
// Rarely reached: kept out of the per-statement loop.
#[inline(never)]
fn check_guarded_action(
    statement: &Statement<'_>,
    resources: &ListElement<'_>,
    guarded: &GuardedAction,
    grant: Grant<'_>,
    ctx: &mut Context<'_>,
) {
    let star_resource = resources
        .entries
        .iter()
        .find(|entry| is_star_resource(entry.text, guarded.star_resources));
    let (code, entry) = match (&grant, resources.negated, star_resource) {
        (Grant::Named(entry), true, _) => (guarded.not_resource, *entry),
        (Grant::Wildcard(entry), true, _) => (guarded.star_in_action_and_not_resource, *entry),
        (Grant::NotAction, true, _) => match resources.entries.first() {
            Some(entry) => (guarded.not_action_and_not_resource, entry),
            None => return,
        },
        (Grant::Named(_), false, Some(resource)) => (guarded.star_in_resource, resource),
        (Grant::Wildcard(_), false, Some(resource)) => {
            (guarded.star_in_action_and_resource, resource)
        }
        (Grant::NotAction, false, Some(resource)) => {
            (guarded.star_in_resource_and_not_action, resource)
        }
        (_, false, None) => return,
    };
    let how = match grant {
        Grant::Named(_) => format!("`{}`", guarded.action),
        Grant::Wildcard(entry) => format!("`{}` (which includes `{}`)", entry.text, guarded.action),
        Grant::NotAction => format!("`NotAction` (which leaves `{}` in)", guarded.action),
    };
    let scope = if resources.negated {
        "every resource outside `NotResource`".to_owned()
    } else {
        format!("`{}`, which names every role", entry.text)
    };
    ctx.report_entry(
        code,
        entry,
        Some(statement.index),
        format!("{how} is allowed on {scope}"),
        Some(format!(
            "name the roles in `Resource`, or add a condition on `{}`",
            guarded.guard_key
        )),
    );
}

/// How the statement's action element grants each of `targets`, if it does.
fn grants_of<'e, const N: usize>(
    statement: &'e Statement<'_>,
    actions: &'e ListElement<'e>,
    targets: [Option<reference::Action>; N],
) -> [Option<Grant<'e>>; N] {
    let mut grants: [Option<Grant<'e>>; N] = std::array::from_fn(|_| None);
    // A target is settled once its grant is known: named, excluded by `NotAction`, or unknown.
    let mut settled = [false; N];
    // Sorted actions: most entries are ruled out by their bounds against all targets at once.
    let lowest = targets.iter().flatten().min().copied();
    let highest = targets.iter().flatten().max().copied();
    for resolved in &statement.actions {
        if !resolved.everything {
            let in_span = bounds(&resolved.actions)
                .zip(lowest.zip(highest))
                .is_some_and(|((first, last), (lowest, highest))| {
                    first <= highest && lowest <= last
                });
            if !in_span {
                continue;
            }
        }
        for ((target, grant), settled) in targets.iter().zip(&mut grants).zip(&mut settled) {
            let names_target = resolved.everything
                || target.is_some_and(|target| resolved.actions.binary_search(&target).is_ok());
            if *settled || !names_target {
                continue;
            }
            if actions.negated {
                *settled = true;
                continue;
            }
            let Some(entry) = actions.entries.get(resolved.entry) else {
                *grant = None;
                *settled = true;
                continue;
            };
            if !resolved.wildcard && !resolved.everything {
                *grant = Some(Grant::Named(entry));
                *settled = true;
            } else if grant.is_none() {
                *grant = Some(Grant::Wildcard(entry));
            }
        }
    }
    if actions.negated {
        for (grant, settled) in grants.iter_mut().zip(settled) {
            if !settled {
                *grant = Some(Grant::NotAction);
            }
        }
    }
    grants
}

/// `*`, or an IAM ARN whose resource part is one of `star_resources`.
fn is_star_resource(text: &str, star_resources: &[&str]) -> bool {
    if text == "*" {
        return true;
    }
    let mut fields = text.splitn(6, ':');
    fields.next() == Some("arn")
        && matches!(fields.nth(1), Some("iam" | "*"))
        && fields
            .nth(2)
            .is_some_and(|resource| star_resources.contains(&resource))
}

#[cfg(test)]
mod tests {

    use super::super::testing::statement_rules::{check, codes};
    use crate::IssueCode::*;
    use crate::PolicyKind;

    #[test]
    fn pass_role_on_every_role() {
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "*""#),
            [PassRoleWithStarInResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*""#
            ),
            [PassRoleWithStarInResource]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:Pass*", "Resource": "*""#),
            [PassRoleWithStarInActionAndResource]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "NotAction": "s3:*", "Resource": "*""#),
            [
                PassRoleWithStarInResourceAndNotAction,
                CreateSlrWithStarInResourceAndNotAction
            ]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::123456789012:role/admin""#
            ),
            [PassRoleWithNotResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:*", "NotResource": "arn:aws:iam::123456789012:role/admin""#
            ),
            [
                PassRoleWithStarInActionAndNotResource,
                CreateSlrWithStarInActionAndNotResource
            ]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b""#),
            [
                PassRoleWithNotActionAndNotResource,
                CreateSlrWithNotActionAndNotResource
            ]
        );
    }

    #[test]
    fn pass_role_that_is_scoped_passes() {
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-*""#
            ),
            []
        );
        assert_eq!(
            check(r#""Effect": "Deny", "Action": "iam:PassRole", "Resource": "*""#),
            []
        );
        assert_eq!(
            check(r#""Effect": "Allow", "NotAction": "iam:*", "Resource": "*""#),
            []
        );
    }

    #[test]
    fn pass_role_only_in_identity_policies() {
        let full = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#;
        assert_eq!(codes(full, Some(PolicyKind::Rcp)), []);
        let scp = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#;
        assert_eq!(codes(scp, Some(PolicyKind::Scp)), []);
        assert_eq!(
            codes(scp, None),
            [
                PassRoleWithStarInActionAndResource,
                CreateSlrWithStarInActionAndResource
            ]
        );
    }

    #[test]
    fn create_service_linked_role_on_every_role() {
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*""#),
            [CreateSlrWithStarInResource]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:Create*", "Resource": "*""#),
            [CreateSlrWithStarInActionAndResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": "arn:aws:iam::123456789012:role/x""#
            ),
            [CreateSlrWithNotResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "rds.amazonaws.com"}}"#
            ),
            []
        );
    }
}
