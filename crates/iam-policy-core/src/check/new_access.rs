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

use super::actions::ActionSet;
use super::sets::{
    action_listed, action_set_contains, conditions_imply, is_wild, principals_contain,
    resource_set_contains, unsatisfiable,
};
use super::view::{Effect, Items, Statement};
use super::{NotAPolicy, Reason, Verdict, listed, reason, statements};
use crate::json::Node;
use iam_policy_reference as reference;

/// Whether `new` grants no access that `existing` does not.
pub fn no_new_access(new: &Node<'_>, existing: &Node<'_>) -> Result<Verdict, NotAPolicy> {
    let new = statements(new)?;
    let existing = statements(existing)?;
    let mut reasons = Vec::new();
    let old_allows: Vec<Wide<'_, '_>> = existing
        .iter()
        .filter(|s| s.readable && s.effect == Effect::Allow)
        .map(Wide::new)
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
    let new_denies: Vec<Wide<'_, '_>> = new
        .iter()
        .filter(|s| s.readable && s.effect == Effect::Deny)
        .map(Wide::new)
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

/// A statement that may cover others, with the reference's actions it names.
struct Wide<'s, 'a> {
    statement: &'s Statement<'a>,
    actions: ActionSet,
}

impl<'s, 'a> Wide<'s, 'a> {
    fn new(statement: &'s Statement<'a>) -> Self {
        Wide {
            statement,
            actions: ActionSet::of(&statement.actions),
        }
    }
}

/// Why some request `narrow` applies to is not covered by any of `wides`, or `None` when every
/// one is.
fn uncovered(narrow: &Statement<'_>, wides: &[Wide<'_, '_>], role: Role) -> Option<String> {
    if unsatisfiable(&narrow.conditions) {
        return None;
    }
    // The statements that hold `narrow` in everything but actions.
    let holding: Vec<&Wide<'_, '_>> = wides
        .iter()
        .filter(|wide| holds_but_actions(wide.statement, narrow))
        .collect();
    let union = |wides: &mut dyn Iterator<Item = &Wide<'_, '_>>| {
        wides.fold(ActionSet::empty(), |set, wide| set.union(&wide.actions))
    };
    let named = ActionSet::of(&narrow.actions);
    let anywhere = union(&mut wides.iter());
    let held = union(&mut holding.iter().copied());
    let missing = named.clone().minus(&anywhere).names();
    let elsewhere = named.minus(&held).intersection(&anywhere).names();
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
                    .any(|name| action_listed(&wide.statement.actions, name))
            })
            .map_or("", |wide| what_differs(wide.statement, narrow));
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
        .any(|wide| action_set_contains(&wide.statement.actions, &narrow.actions))
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
fn actions_beyond_covered(narrow: &Statement<'_>, holding: &[&Wide<'_, '_>]) -> bool {
    match &narrow.actions {
        Items::Listed(patterns) => patterns.iter().all(|pattern| {
            !beyond_reference(pattern)
                || holding.iter().any(|wide| {
                    action_set_contains(&wide.statement.actions, &Items::Listed(vec![pattern]))
                })
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

/// A pattern that may match actions the reference does not list: a wildcard, or a name it
/// does not know.
fn beyond_reference(pattern: &str) -> bool {
    is_wild(pattern) || reference::action(pattern).is_none()
}
