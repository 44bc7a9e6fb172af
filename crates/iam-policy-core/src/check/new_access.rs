//! `CheckNoNewAccess`: whether a new version of a policy grants anything the existing version
//! did not.
//!
//! The new version grants nothing new when (1) every request one of its `Allow` statements
//! allows, some `Allow` statement of the existing version allows too, and (2) every `Deny`
//! statement of the existing version is still in force: some `Deny` of the new version denies
//! at least as much. Then what the new version allows, its allows less its denies, lies within
//! the existing version's allows less the existing denies. Each side is proved action by
//! action: an action of the new statement is covered by an existing statement whose resources,
//! principals and conditions hold the new statement's.

use super::sets::{
    action_listed, action_set_contains, conditions_imply, is_wild, principals_contain,
    resource_set_contains, unsatisfiable,
};
use super::view::{Effect, Items, Statement};
use super::{NotAPolicy, Reason, Verdict, all_actions, full_name, listed, reason, statements};
use crate::json::Node;
use iam_policy_reference as reference;

/// Whether `new` grants no access that `existing` does not.
pub fn no_new_access(new: &Node<'_>, existing: &Node<'_>) -> Result<Verdict, NotAPolicy> {
    let new = statements(new)?;
    let existing = statements(existing)?;
    let mut reasons = Vec::new();
    let old_allows: Vec<&Statement<'_>> = existing
        .iter()
        .filter(|s| s.readable && s.effect == Effect::Allow)
        .collect();
    for statement in &new {
        if statement.effect == Effect::Deny && statement.readable {
            continue;
        }
        if !statement.readable {
            reasons.push(reason(
                statement,
                "cannot be read as IAM reads it, so it may grant anything".to_owned(),
            ));
            continue;
        }
        if let Some(description) = uncovered(statement, &old_allows, Role::Allow) {
            reasons.push(reason(statement, description));
        }
    }
    let new_denies: Vec<&Statement<'_>> = new
        .iter()
        .filter(|s| s.readable && s.effect == Effect::Deny)
        .collect();
    for statement in &existing {
        if statement.effect == Effect::Allow {
            continue;
        }
        if !statement.readable {
            reasons.push(old_reason(
                statement,
                "cannot be read as IAM reads it, so whether the new version keeps what it denies is unknown",
            ));
            continue;
        }
        if let Some(description) = uncovered(statement, &new_denies, Role::Deny) {
            reasons.push(old_reason(
                statement,
                &format!("no longer holds: {description}"),
            ));
        }
    }
    Ok(Verdict::new(
        reasons,
        "The new version grants no access that the existing version does not.",
        "The new version may grant access that the existing version does not.",
    ))
}

/// A reason about a statement of the existing version: it has no index in the checked one.
fn old_reason(statement: &Statement<'_>, what: &str) -> Reason {
    let sid = statement
        .sid
        .map(|sid| format!(" (`{sid}`)"))
        .unwrap_or_default();
    Reason {
        description: format!(
            "the existing version's `Deny` statement {}{sid} {what}",
            statement.index
        ),
        statement_index: None,
        statement_id: None,
        span: None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A new `Allow` covered by existing ones.
    Allow,
    /// An existing `Deny` covered by new ones.
    Deny,
}

/// Why some request `narrow` applies to is not covered by any of `wides`, or `None` when every
/// one is.
fn uncovered(narrow: &Statement<'_>, wides: &[&Statement<'_>], role: Role) -> Option<String> {
    if unsatisfiable(&narrow.conditions) {
        return None;
    }
    // The statements that hold `narrow` in everything but actions.
    let holding: Vec<&Statement<'_>> = wides
        .iter()
        .copied()
        .filter(|wide| holds_but_actions(wide, narrow))
        .collect();
    let mut missing: Vec<&str> = Vec::new();
    let mut elsewhere: Vec<&str> = Vec::new();
    for name in concrete_actions(&narrow.actions) {
        if holding
            .iter()
            .any(|wide| action_listed(&wide.actions, name))
        {
            continue;
        }
        if wides.iter().any(|wide| action_listed(&wide.actions, name)) {
            elsewhere.push(name);
        } else {
            missing.push(name);
        }
    }
    let verb = match role {
        Role::Allow => ("grants", "grant"),
        Role::Deny => ("denies", "deny"),
    };
    if !missing.is_empty() {
        return Some(format!(
            "{} {}, which no statement of the {} version {}s",
            verb.0,
            listed(&missing),
            if role == Role::Allow {
                "existing"
            } else {
                "new"
            },
            verb.1
        ));
    }
    if !elsewhere.is_empty() {
        let why = wides
            .iter()
            .find(|wide| {
                elsewhere
                    .iter()
                    .any(|name| action_listed(&wide.actions, name))
            })
            .map_or("", |wide| what_differs(wide, narrow));
        return Some(format!(
            "{} {} {why} than the {} version does",
            verb.0,
            listed(&elsewhere),
            if role == Role::Allow {
                "existing"
            } else {
                "new"
            },
        ));
    }
    // The actions beyond the reference: what a wildcard or `NotAction` may come to match.
    if !holding
        .iter()
        .any(|wide| action_set_contains(&wide.actions, &narrow.actions))
        && !actions_beyond_covered(narrow, &holding)
    {
        let written = match &narrow.actions {
            Items::Listed(patterns) => patterns
                .iter()
                .copied()
                .filter(|p| beyond_reference(p))
                .collect(),
            Items::Except(_) => vec!["NotAction"],
            Items::Any => vec!["*"],
        };
        return Some(format!(
            "{} {} that may match actions beyond the reference (a wildcard, `NotAction` or an unknown action), which no one statement of the {} version is proved to {} as widely",
            verb.0,
            listed(&written),
            if role == Role::Allow {
                "existing"
            } else {
                "new"
            },
            verb.1
        ));
    }
    None
}

/// Each wildcard pattern of `narrow` held by one statement of `holding` (several may share
/// the patterns).
fn actions_beyond_covered(narrow: &Statement<'_>, holding: &[&Statement<'_>]) -> bool {
    match &narrow.actions {
        Items::Listed(patterns) => patterns.iter().all(|pattern| {
            !beyond_reference(pattern)
                || holding
                    .iter()
                    .any(|wide| action_set_contains(&wide.actions, &Items::Listed(vec![pattern])))
        }),
        _ => false,
    }
}

/// Whether `wide` holds `narrow`'s resources and principals, under conditions `narrow`'s imply.
fn holds_but_actions(wide: &Statement<'_>, narrow: &Statement<'_>) -> bool {
    resource_set_contains(&wide.resources, &narrow.resources)
        && principals_contain(&wide.principal, &narrow.principal)
        && conditions_imply(&narrow.conditions, &wide.conditions)
}

/// The first element in which `wide` does not hold `narrow`, for a reason's text.
fn what_differs(wide: &Statement<'_>, narrow: &Statement<'_>) -> &'static str {
    if !resource_set_contains(&wide.resources, &narrow.resources) {
        "on more resources"
    } else if !principals_contain(&wide.principal, &narrow.principal) {
        "to more principals"
    } else {
        "under fewer or weaker conditions"
    }
}

/// The `service:Action` names of the reference's actions a statement's actions name.
fn concrete_actions(items: &Items<'_>) -> Vec<&'static str> {
    match items {
        Items::Listed(patterns) => {
            let mut found: Vec<reference::Action> = Vec::new();
            for pattern in patterns {
                if let Ok(actions) = reference::actions_matching(pattern) {
                    found.extend(actions.iter().copied());
                }
            }
            found.sort_unstable();
            found.dedup();
            found.into_iter().map(full_name).collect()
        }
        Items::Except(_) | Items::Any => all_actions()
            .iter()
            .map(|(_, name)| name.as_str())
            .filter(|name| action_listed(items, name))
            .collect(),
    }
}

/// A pattern that may match actions the reference does not list: a wildcard, or a name it
/// does not know.
fn beyond_reference(pattern: &str) -> bool {
    is_wild(pattern) || reference::action(pattern).is_none()
}
