//! `CheckAccessNotGranted`: whether a policy can grant any of the listed actions on any of the
//! listed resources.

use super::actions::{ActionSet, position_of};
use super::sets::{
    action_listed, actions_contain, actions_intersect, is_wild, resources_contain,
    resources_intersect, unsatisfiable,
};
use super::view::{Effect, Principals, Statement};
use super::{NotAPolicy, SHOWN, Verdict, all_actions, listed, listed_of, reason, statements};
use crate::json::Node;

/// What must not be granted: actions (patterns allowed), resources (ARN patterns), or both.
/// No actions means any action; no resources means any resource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

/// The actions asked about: the reference's actions as a set (with those named outright, in
/// the order asked, so that reasons name them first), and what lies beyond the reference:
/// actions it does not know, asked as written, and each wildcard pattern, standing for the
/// actions AWS may add that it matches.
struct Asked<'a> {
    set: ActionSet,
    named: Vec<usize>,
    named_set: ActionSet,
    beyond: Vec<&'a str>,
}

impl Asked<'_> {
    fn new(patterns: &[String]) -> Asked<'_> {
        let mut asked = Asked {
            set: ActionSet::empty(),
            named: Vec::new(),
            named_set: ActionSet::empty(),
            beyond: Vec::new(),
        };
        for pattern in patterns {
            if !is_wild(pattern) {
                match position_of(pattern) {
                    Some(index) if !asked.named_set.contains(index) => {
                        asked.named.push(index);
                        asked.named_set.insert(index);
                    }
                    Some(_) => {}
                    None => asked.beyond.push(pattern),
                }
                continue;
            }
            if let Some(matched) = ActionSet::matching(&[pattern]) {
                asked.set = asked.set.union(&matched);
            }
            asked.beyond.push(pattern);
        }
        asked.set = asked.set.union(&asked.named_set);
        asked
    }
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
    let asked = Asked::new(actions);
    // The denies that hold every listed resource, and the reference's actions they deny.
    let denies: Vec<&Statement<'_>> = statements
        .iter()
        .filter(|s| denies_for_certain(s))
        .filter(|s| resources.iter().all(|r| resources_contain(&s.resources, r)))
        .collect();
    let denied = denies.iter().fold(ActionSet::empty(), |set, deny| {
        set.union(&ActionSet::of(&deny.actions))
    });
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
        let granted_set = ActionSet::of(&statement.actions)
            .intersection(&asked.set)
            .minus(&denied);
        let beyond: Vec<&str> = asked
            .beyond
            .iter()
            .copied()
            .filter(|item| {
                let (may_grant, denied) = if is_wild(item) {
                    (
                        actions_intersect(&statement.actions, item),
                        denies.iter().any(|d| actions_contain(&d.actions, item)),
                    )
                } else {
                    (
                        action_listed(&statement.actions, item),
                        denies.iter().any(|d| action_listed(&d.actions, item)),
                    )
                };
                may_grant && !denied
            })
            .collect();
        let total = granted_set.len() + beyond.len();
        if total == 0 {
            continue;
        }
        // Only the first few are named: those asked outright first, then the others.
        let named = asked
            .named
            .iter()
            .filter(|index| granted_set.contains(**index))
            .take(SHOWN)
            .copied();
        let others = granted_set
            .iter()
            .filter(|index| !asked.named_set.contains(*index));
        let mut first = named
            .chain(others)
            .filter_map(|index| all_actions().get(index))
            .map(|(_, name)| name.as_str())
            .chain(beyond.iter().copied());
        let granted = listed_of(&mut first, total);
        let description = if statement.readable {
            format!("grants {granted} on {}", listed(&on))
        } else {
            format!("cannot be read as IAM reads it, so it may grant {granted}")
        };
        reasons.push(reason(statement, description));
    }
    Ok(Verdict::new(
        reasons,
        "The policy grants none of the listed actions on the listed resources, for any principal and any values of the condition keys.",
        "The policy can grant one or more of the listed actions on the listed resources.",
    ))
}

/// A `Deny` that applies to every request its actions and resources match: no condition, and
/// every principal.
fn denies_for_certain(statement: &Statement<'_>) -> bool {
    statement.effect == Effect::Deny
        && statement.readable
        && statement.conditions.is_empty()
        && (matches!(statement.principal, Principals::Absent) || statement.principal.is_everyone())
}
