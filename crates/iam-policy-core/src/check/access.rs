//! `CheckAccessNotGranted`: whether a policy can grant any of the listed actions on any of the
//! listed resources.

use super::sets::{
    action_listed, actions_contain, actions_intersect, is_wild, resources_contain,
    resources_intersect, unsatisfiable,
};
use super::view::{Effect, Principals, Statement};
use super::{NotAPolicy, Verdict, full_name, listed, reason, statements};
use crate::json::Node;
use iam_policy_reference as reference;
use std::borrow::Cow;
use std::collections::HashSet;

/// What must not be granted: actions (patterns allowed), resources (ARN patterns), or both.
/// No actions means any action; no resources means any resource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

/// One action asked about: a concrete action, or a wildcard pattern standing for the actions
/// it matches that the reference does not list (AWS adds actions all the time).
enum Asked<'a> {
    Action(Cow<'a, str>),
    Pattern(&'a str),
}

/// Whether `document` can grant any of `access`: `PASS` when no request for a listed action on
/// a listed resource can be allowed by it.
pub fn access_not_granted(document: &Node<'_>, access: &Access) -> Result<Verdict, NotAPolicy> {
    let statements = statements(document)?;
    let any = ["*".to_owned()];
    let actions = if access.actions.is_empty() {
        &any[..]
    } else {
        &access.actions[..]
    };
    let resources = if access.resources.is_empty() {
        &any[..]
    } else {
        &access.resources[..]
    };
    let asked = asked_actions(actions);
    let denies: Vec<&Statement<'_>> = statements
        .iter()
        .filter(|s| denies_for_certain(s))
        .collect();
    let mut reasons = Vec::new();
    for statement in &statements {
        if statement.effect == Effect::Deny && statement.readable {
            continue;
        }
        if statement.readable && unsatisfiable(&statement.conditions) {
            continue;
        }
        let on: Vec<&str> = resources
            .iter()
            .map(String::as_str)
            .filter(|r| resources_intersect(&statement.resources, r))
            .collect();
        if on.is_empty() {
            continue;
        }
        let granted: Vec<&str> = asked
            .iter()
            .filter_map(|item| match item {
                Asked::Action(name) => {
                    action_listed(&statement.actions, name).then_some(name.as_ref())
                }
                Asked::Pattern(pattern) => {
                    actions_intersect(&statement.actions, pattern).then_some(*pattern)
                }
            })
            .filter(|name| !denies.iter().any(|deny| deny_covers(deny, name, resources)))
            .collect();
        if granted.is_empty() {
            continue;
        }
        let description = if statement.readable {
            format!("grants {} on {}", listed(&granted), listed(&on))
        } else {
            format!(
                "cannot be read as IAM reads it, so it may grant {}",
                listed(&granted)
            )
        };
        reasons.push(reason(statement, description));
    }
    Ok(Verdict::new(
        reasons,
        "The policy grants none of the listed actions on the listed resources, for any principal and any values of the condition keys.",
        "The policy can grant one or more of the listed actions on the listed resources.",
    ))
}

/// The concrete actions the patterns match in the reference, in order, each once; and each
/// wildcard pattern itself, for the actions beyond the reference. An action the reference does
/// not know is asked about as written.
fn asked_actions(patterns: &[String]) -> Vec<Asked<'_>> {
    // The actions named outright come first, as asked, so that reasons name them first.
    let mut named: Vec<reference::Action> = Vec::new();
    let mut matched: Vec<reference::Action> = Vec::new();
    let mut beyond = Vec::new();
    for pattern in patterns {
        if !is_wild(pattern) {
            match reference::action(pattern) {
                Some(action) => named.push(action),
                None => beyond.push(Asked::Action(Cow::Borrowed(pattern))),
            }
            continue;
        }
        if let Ok(actions) = reference::actions_matching(pattern) {
            matched.extend(actions.iter().copied());
        }
        beyond.push(Asked::Pattern(pattern));
    }
    let mut seen = HashSet::with_capacity(named.len() + matched.len());
    let mut asked: Vec<Asked<'_>> = named
        .into_iter()
        .chain(matched)
        .filter(|action| seen.insert(*action))
        .map(|action| Asked::Action(Cow::Borrowed(full_name(action))))
        .collect();
    asked.extend(beyond);
    asked
}

/// A `Deny` that applies to every request its actions and resources match: no condition, and
/// every principal.
fn denies_for_certain(statement: &Statement<'_>) -> bool {
    statement.effect == Effect::Deny
        && statement.readable
        && statement.conditions.is_empty()
        && (matches!(statement.principal, Principals::Absent) || statement.principal.is_everyone())
}

/// Whether the `Deny` covers the action (or every action of the pattern) on every listed
/// resource.
fn deny_covers(deny: &Statement<'_>, action: &str, resources: &[String]) -> bool {
    let action_denied = if is_wild(action) {
        actions_contain(&deny.actions, action)
    } else {
        action_listed(&deny.actions, action)
    };
    action_denied
        && resources
            .iter()
            .all(|r| resources_contain(&deny.resources, r))
}
