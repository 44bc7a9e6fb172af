//! Access Analyzer's security warnings and suggestions that look at a statement as a whole or
//! at the document: privilege-escalation patterns (`iam:PassRole`,
//! `iam:CreateServiceLinkedRole`), redundancy, tag keys on services without tag support, and
//! unguarded service and identity-provider principals.
//!
//! Each check is one small function; its comment states the rule.

use super::{Context, Document, Effect, Entry, ListElement, Statement, backticked, holds_wildcard};
use crate::json::{Member, Node, Value};
use crate::{IssueCode, PolicyKind};
use iam_policy_reference as reference;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// Runs every advisory check on the document.
pub(crate) fn check_document(document: &Document<'_>, ctx: &mut Context<'_>) {
    // Looked up once per process: the same two actions for every document.
    static TARGETS: OnceLock<(Option<reference::Action>, Option<reference::Action>)> =
        OnceLock::new();
    let &(pass_role, create_service_linked_role) = TARGETS.get_or_init(|| {
        (
            reference::action(PASS_ROLE.action),
            reference::action(CREATE_SERVICE_LINKED_ROLE.action),
        )
    });
    let mut lists = RedundantActionLists::default();
    for statement in &document.statements {
        check_guarded_actions(
            statement,
            [
                (&PASS_ROLE, pass_role),
                (&CREATE_SERVICE_LINKED_ROLE, create_service_linked_role),
            ],
            ctx,
        );
        check_redundant_actions(statement, &mut lists, ctx);
        check_redundant_resources(statement, ctx);
        check_wildcard_in_service_name(statement, ctx);
        check_tag_keys_supported(statement, ctx);
        check_service_principal_restricted(statement, ctx);
        check_service_principal_weak_keys(statement, ctx);
        check_identity_provider_conditions(statement, ctx);
        check_redundant_session_principals(statement, ctx);
        check_rcp_principal_guards(statement, ctx);
    }
    check_redundant_statements(document, ctx);
}

// ---------------------------------------------------------------------------------------------
// iam:PassRole and iam:CreateServiceLinkedRole

/// An action that is dangerous on every resource unless a condition key narrows it, with the
/// six codes of its family.
struct GuardedAction {
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
fn check_guarded_actions<const N: usize>(
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

fn has_condition_key(statement: &Statement<'_>, key: &str) -> bool {
    statement
        .conditions
        .iter()
        .any(|condition| condition.key.text.eq_ignore_ascii_case(key))
}

// ---------------------------------------------------------------------------------------------
// Redundancy

/// An `Action` entry whose actions another entry of the same list already names all of.
fn check_redundant_actions(
    statement: &Statement<'_>,
    lists: &mut RedundantActionLists,
    ctx: &mut Context<'_>,
) {
    let Some(element) = statement.action.as_ref().filter(|element| !element.negated) else {
        return;
    };
    if statement.actions.len() < 2 {
        return;
    }
    let distinct =
        |index: usize, other_index: usize| distinct_entries(statement, index, other_index);
    // Only `"*"` or an entry naming several actions can cover another, apart from an earlier
    // entry naming the same single action ([`covering_wide_entries`]). The lists are sized once
    // and serve every statement of the document.
    let RedundantActionLists {
        several,
        single,
        repeats,
    } = lists;
    several.clear();
    single.clear();
    repeats.clear();
    several.reserve(statement.actions.len());
    single.reserve(statement.actions.len());
    for (index, resolved) in statement.actions.iter().enumerate() {
        match (resolved.everything, &resolved.actions[..]) {
            (true, _) => several.push((index, None)),
            (false, &[action]) => single.push((action, index)),
            (false, actions) if actions.len() > 1 => several.push((index, bounds(actions))),
            (false, _) => {}
        }
    }
    // Of two entries naming the same single action, only the later one is redundant: each
    // entry naming the action of an earlier one, by index, with the first such earlier entry.
    // Mostly there are none.
    single.sort_unstable();
    for run in single.chunk_by(|a, b| a.0 == b.0) {
        for (position, &(_, index)) in run.iter().enumerate().skip(1) {
            let earlier = run.get(..position).unwrap_or_default();
            if let Some(&(_, first)) = earlier.iter().find(|&&(_, other)| distinct(index, other)) {
                repeats.push((index, first));
            }
        }
    }
    // Mostly every entry names one action, of its own: then none is redundant.
    if several.is_empty() && repeats.is_empty() {
        return;
    }
    repeats.sort_unstable();
    let wider = covering_wide_entries(statement, several);
    for (index, resolved) in statement.actions.iter().enumerate() {
        let same = repeats
            .binary_search_by_key(&index, |&(repeat, _)| repeat)
            .ok()
            .and_then(|at| repeats.get(at))
            .map(|&(_, first)| first);
        let wider = wider.get(index).copied().flatten();
        // The first covering entry in list order.
        let covering = match (wider, same) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .and_then(|other_index| statement.actions.get(other_index));
        let Some(other) = covering else {
            continue;
        };
        let (Some(written), Some(other_written)) = (
            element.entries.get(resolved.entry),
            element.entries.get(other.entry),
        ) else {
            continue;
        };
        let message = if written.text.eq_ignore_ascii_case(other_written.text) {
            format!("`{}` is listed twice", written.text)
        } else {
            format!(
                "`{}` is already covered by `{}`",
                written.text, other_written.text
            )
        };
        ctx.report_entry(
            IssueCode::RedundantAction,
            written,
            Some(statement.index),
            message,
            Some(format!("remove `{}`", written.text)),
        );
    }
}

/// Two resolved entries of the statement that are not the same entry.
fn distinct_entries(statement: &Statement<'_>, index: usize, other_index: usize) -> bool {
    other_index != index
        && statement
            .actions
            .get(index)
            .zip(statement.actions.get(other_index))
            .is_some_and(|(resolved, other)| other.entry != resolved.entry)
}

/// For each resolved entry of the statement, the first entry of `several` (the entries naming
/// several actions, or `"*"`, in list order with their first and last actions) that names all
/// its actions, unless both name the same actions and the entry comes first.
///
/// Actions are sorted, so an entry can cover only the entries whose first action lies within
/// its bounds: the wide entries are taken in list order, each tested against the entries of its
/// range (by first action) that no earlier one covers; a wide entry naming the same actions as
/// an earlier one covers nothing new. [`COVER_TESTS`] bounds the work.
fn covering_wide_entries(
    statement: &Statement<'_>,
    several: &[(usize, Option<(reference::Action, reference::Action)>)],
) -> Vec<Option<usize>> {
    let actions = &statement.actions;
    // Each entry's actions (sorted by the action rules); `None` stands for `"*"`.
    let set = |index: usize| {
        actions
            .get(index)
            .and_then(|resolved| (!resolved.everything).then_some(&resolved.actions[..]))
    };
    let covers = |wide: Option<&[reference::Action]>, narrow: Option<&[reference::Action]>| match (
        wide, narrow,
    ) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(wide), Some(narrow)) => {
            !narrow.is_empty()
                && narrow.len() <= wide.len()
                && narrow
                    .iter()
                    .all(|action| wide.binary_search(action).is_ok())
        }
    };
    let mut wider = vec![None; actions.len()];
    if several.is_empty() {
        return wider;
    }
    // The entries naming actions, by their first action.
    let mut by_first: Vec<(reference::Action, usize)> = actions
        .iter()
        .enumerate()
        .filter(|(_, resolved)| !resolved.everything)
        .filter_map(|(index, resolved)| Some((*resolved.actions.first()?, index)))
        .collect();
    by_first.sort_unstable();
    let mut uncovered = Uncovered::new(by_first.len());
    let mut sets_seen: FxHashSet<Option<&[reference::Action]>> = FxHashSet::default();
    let mut tests = 0usize;
    'wide: for &(wide_index, bounds) in several {
        let wide = set(wide_index);
        if !sets_seen.insert(wide) {
            continue;
        }
        let range = match bounds {
            None => 0..by_first.len(),
            Some((first, last)) => {
                by_first.partition_point(|&(action, _)| action < first)
                    ..by_first.partition_point(|&(action, _)| action <= last)
            }
        };
        let mut at = uncovered.next(range.start);
        while at < range.end {
            tests += 1;
            if tests > COVER_TESTS {
                break 'wide;
            }
            let Some(&(_, narrow_index)) = by_first.get(at) else {
                break;
            };
            let narrow = set(narrow_index);
            if distinct_entries(statement, narrow_index, wide_index)
                && covers(wide, narrow)
                && (wide_index < narrow_index || !covers(narrow, wide))
            {
                if let Some(slot) = wider.get_mut(narrow_index) {
                    *slot = Some(wide_index);
                }
                uncovered.remove(at);
            }
            at = uncovered.next(at + 1);
        }
    }
    // A `"*"` entry is covered by the first `"*"` entry before it.
    let everything: Vec<usize> = several
        .iter()
        .filter(|(_, bounds)| bounds.is_none())
        .map(|&(index, _)| index)
        .collect();
    for (position, &index) in everything.iter().enumerate() {
        let earlier = everything
            .get(..position)
            .unwrap_or_default()
            .iter()
            .find(|&&other| distinct_entries(statement, index, other));
        if let (Some(&earlier), Some(slot)) = (earlier, wider.get_mut(index)) {
            *slot = Some(earlier);
        }
    }
    wider
}

/// The working lists of [`check_redundant_actions`], allocated once per document: the entries
/// that may cover others with their bounds, the entries naming a single action, and the
/// repeats of a single action (entry, first earlier entry).
#[derive(Default)]
struct RedundantActionLists {
    several: Vec<(usize, Option<(reference::Action, reference::Action)>)>,
    single: Vec<(reference::Action, usize)>,
    repeats: Vec<(usize, usize)>,
}

/// The first and last of sorted actions.
fn bounds(actions: &[reference::Action]) -> Option<(reference::Action, reference::Action)> {
    actions.first().copied().zip(actions.last().copied())
}

/// A `Resource` entry that another entry of the same list already matches: a wildcard entry
/// that matches it, or the same text written earlier. Each entry names the first such entry in
/// list order.
///
/// Only a wildcard can cover a different text, and only texts that start with its literal
/// prefix (the text before its first wildcard): equal texts are found by hashing, and each
/// wildcard is compared with the entries in its prefix's range of the sorted texts, skipping
/// those an earlier wildcard already covers. Near-linear for any list but one with many
/// wildcards sharing a prefix and matching little, where [`COVER_TESTS`] bounds the work.
fn check_redundant_resources(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let Some(element) = statement
        .resource
        .as_ref()
        .filter(|element| !element.negated)
    else {
        return;
    };
    let entries = &element.entries[..];
    if entries.len() < 2 {
        return;
    }
    let text = |index: usize| entries.get(index).map_or("", |entry| entry.text);
    // The first entry of each text, and each entry's.
    let mut first_of: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(entries.len(), FxBuildHasher);
    let first: Vec<usize> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| *first_of.entry(entry.text).or_insert(index))
        .collect();
    // Each distinct text once (its first entry), sorted, with the first wildcard covering it.
    let mut sorted: Vec<usize> = (0..entries.len())
        .filter(|&index| first.get(index) == Some(&index))
        .collect();
    let wildcards: Vec<(usize, bool)> = sorted
        .iter()
        .map(|&index| (index, holds_wildcard(text(index))))
        .filter(|&(_, wild)| wild)
        .collect();
    let mut covered_by: FxHashMap<usize, usize> = FxHashMap::default();
    if !wildcards.is_empty() {
        sorted.sort_unstable_by_key(|&index| text(index));
        let wild: Vec<bool> = sorted
            .iter()
            .map(|&index| holds_wildcard(text(index)))
            .collect();
        let mut uncovered = Uncovered::new(sorted.len());
        let mut tests = 0usize;
        // In list order, so the first wildcard to cover an entry is the one to name.
        'wildcards: for (wide, _) in wildcards {
            let pattern = text(wide);
            let prefix_end = pattern
                .bytes()
                .position(|byte| byte == b'*' || byte == b'?')
                .unwrap_or(pattern.len());
            let prefix = pattern.get(..prefix_end).unwrap_or_default();
            let start = sorted.partition_point(|&index| text(index) < prefix);
            let end = start
                + sorted
                    .get(start..)
                    .unwrap_or_default()
                    .partition_point(|&index| text(index).starts_with(prefix));
            let mut at = uncovered.next(start);
            while at < end {
                tests += 1;
                if tests > COVER_TESTS {
                    break 'wildcards;
                }
                let (Some(&narrow), Some(&narrow_wild)) = (sorted.get(at), wild.get(at)) else {
                    break;
                };
                if narrow != wide && resource_covers((pattern, true), (text(narrow), narrow_wild)) {
                    covered_by.insert(narrow, wide);
                    uncovered.remove(at);
                }
                at = uncovered.next(at + 1);
            }
        }
    }
    for (index, entry) in entries.iter().enumerate() {
        let Some(&first) = first.get(index) else {
            continue;
        };
        let earlier_same = (first < index).then_some(first);
        let covering = match (covered_by.get(&first).copied(), earlier_same) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => match a.or(b) {
                Some(other) => other,
                None => continue,
            },
        };
        let Some(other) = entries.get(covering) else {
            continue;
        };
        ctx.report_entry(
            IssueCode::RedundantResource,
            entry,
            Some(statement.index),
            format!("`{}` is already covered by `{}`", entry.text, other.text),
            Some(format!("remove `{}`", entry.text)),
        );
    }
}

/// How many wildcard-against-entry tests a redundancy check makes at most for one list: far
/// more than any policy within IAM's size quotas needs (a 20 KB bucket policy holds at most a
/// few hundred entries), and small enough that a list of a million wildcards sharing a prefix
/// takes a fraction of a second. Past it, the remaining wildcards are not compared.
const COVER_TESTS: usize = 1 << 22;

/// The positions of a sorted list not yet covered, each found past the covered ones in
/// near-constant time (a disjoint-set forest whose root is the next uncovered position).
struct Uncovered {
    next: Vec<usize>,
}

impl Uncovered {
    fn new(len: usize) -> Self {
        Uncovered {
            next: (0..=len).collect(),
        }
    }

    /// The first uncovered position at or after `at` (the list's length if none).
    fn next(&mut self, at: usize) -> usize {
        let mut root = at.min(self.next.len() - 1);
        while let Some(&parent) = self.next.get(root)
            && parent != root
        {
            root = parent;
        }
        // Path compression: every position passed now points at the root.
        let mut position = at.min(self.next.len() - 1);
        while let Some(slot) = self.next.get_mut(position)
            && *slot != root
        {
            position = std::mem::replace(slot, root);
        }
        root
    }

    fn remove(&mut self, at: usize) {
        if let Some(slot) = self.next.get_mut(at) {
            *slot = at + 1;
        }
    }
}

/// A wildcard in an ARN's service name (`arn:aws:*code*:...`) reaches unrelated services, and
/// services yet to come. A service field that is `*` alone names every service on purpose, like
/// `"Resource": "*"`.
fn check_wildcard_in_service_name(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let Some(element) = &statement.resource else {
        return;
    };
    for entry in &element.entries {
        // The third field: `arn:partition:service:...`.
        let colon = |text: &str| text.bytes().position(|byte| byte == b':');
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

/// True when every resource `narrow` can name is named by `wide` as well; each comes with
/// whether it holds a wildcard. A `narrow` pattern with wildcards of its own is covered only by
/// `*` or by a prefix ending in `*`.
fn resource_covers((wide, wide_wild): (&str, bool), (narrow, narrow_wild): (&str, bool)) -> bool {
    if !wide_wild {
        return wide == narrow;
    }
    if wide == narrow || wide == "*" {
        return true;
    }
    if narrow_wild {
        return wide
            .strip_suffix('*')
            .is_some_and(|prefix| !holds_wildcard(prefix) && narrow.starts_with(prefix));
    }
    crate::matching::wildcard_match(wide, narrow)
}

/// A statement that repeats another one exactly (apart from its `Sid`): the same members,
/// each as often, in any order. Statements are grouped by a hash that ignores the order of
/// object members, and compared only within their group.
fn check_redundant_statements(document: &Document<'_>, ctx: &mut Context<'_>) {
    // The statements not repeating an earlier one, by hash: a repeat of a repeat is a repeat
    // of the first one, so only those are compared with.
    let mut firsts: FxHashMap<u64, Vec<&Statement<'_>>> =
        FxHashMap::with_capacity_and_hasher(document.statements.len(), FxBuildHasher);
    for statement in &document.statements {
        let group = firsts.entry(members_hash(statement.node)).or_default();
        let earlier = group
            .iter()
            .find(|other| same_members(other.node, statement.node));
        let Some(earlier) = earlier else {
            group.push(statement);
            continue;
        };
        ctx.report(
            IssueCode::RedundantStatement,
            statement.node.span,
            statement.path,
            Some(statement.index),
            format!(
                "statement {} repeats statement {}",
                statement.index, earlier.index
            ),
            Some("remove one of them".to_owned()),
        );
    }
}

/// The hash of a statement's members apart from `Sid`, in any order.
fn members_hash(statement: &Node<'_>) -> u64 {
    match &statement.value {
        Value::Object(members) => unordered_hash(
            members
                .iter()
                .filter(|member| member.key != "Sid")
                .map(member_hash),
        ),
        _ => json_hash(statement),
    }
}

fn member_hash(member: &Member<'_>) -> u64 {
    let mut hasher = FxHasher::default();
    member.key.hash(&mut hasher);
    json_hash(&member.value).hash(&mut hasher);
    hasher.finish()
}

/// A hash of members that does not depend on their order: each member's hash spread over the
/// whole word (so that sums do not collide where the hashes share low bits), then summed.
fn unordered_hash(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0u64, |sum, hash| {
        sum.wrapping_add(hash.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29))
    })
}

/// The hash of a JSON value, spans ignored, object members in any order: equal for values
/// [`same_json`] finds equal.
fn json_hash(node: &Node<'_>) -> u64 {
    let mut hasher = FxHasher::default();
    std::mem::discriminant(&node.value).hash(&mut hasher);
    match &node.value {
        Value::Null => {}
        Value::Bool(value) => value.hash(&mut hasher),
        Value::Number(text) | Value::String(text) => text.hash(&mut hasher),
        Value::Array(items) => {
            items.len().hash(&mut hasher);
            for item in items {
                json_hash(item).hash(&mut hasher);
            }
        }
        Value::Object(members) => unordered_hash(members.iter().map(member_hash)).hash(&mut hasher),
    }
    hasher.finish()
}

/// Two statement objects with the same members apart from `Sid`, each as often, in any order.
fn same_members(a: &Node<'_>, b: &Node<'_>) -> bool {
    let (Value::Object(a), Value::Object(b)) = (&a.value, &b.value) else {
        return false;
    };
    let elements = |members: &'_ [Member<'_>]| -> Vec<usize> {
        (0..members.len())
            .filter(|&index| members.get(index).is_some_and(|member| member.key != "Sid"))
            .collect()
    };
    same_member_lists(a, &elements(a), b, &elements(b))
}

/// Equal JSON values, spans ignored; object members in any order.
fn same_json(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (&a.value, &b.value) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            let all = |members: &[Member<'_>]| (0..members.len()).collect::<Vec<usize>>();
            same_member_lists(a, &all(a), b, &all(b))
        }
        (a, b) => a == b,
    }
}

/// The members of `a` at `a_picked` and of `b` at `b_picked` are the same, each as often, in
/// any order: both sorted by name and value hash, then compared in turn.
fn same_member_lists(
    a: &[Member<'_>],
    a_picked: &[usize],
    b: &[Member<'_>],
    b_picked: &[usize],
) -> bool {
    if a_picked.len() != b_picked.len() {
        return false;
    }
    fn sorted<'m>(members: &'m [Member<'_>], picked: &[usize]) -> Vec<(&'m str, u64, usize)> {
        let mut keyed: Vec<(&str, u64, usize)> = picked
            .iter()
            .filter_map(|&index| {
                let member = members.get(index)?;
                Some((&*member.key, json_hash(&member.value), index))
            })
            .collect();
        keyed.sort_unstable();
        keyed
    }
    let (a_sorted, b_sorted) = (sorted(a, a_picked), sorted(b, b_picked));
    a_sorted.len() == b_sorted.len()
        && a_sorted.iter().zip(&b_sorted).all(
            |(&(a_key, a_hash, a_index), &(b_key, b_hash, b_index))| {
                a_key == b_key
                    && a_hash == b_hash
                    && a.get(a_index)
                        .zip(b.get(b_index))
                        .is_some_and(|(a, b)| same_json(&a.value, &b.value))
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Tag keys

/// The global tag keys, whose support differs from service to service.
const TAG_KEYS: &[&str] = &["aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys"];

/// A condition on a global tag key that an action's service never sets makes the condition
/// false for that action: an Allow never allows it, a Deny never denies it. Only conditions
/// that are false for an absent key are judged (not `...IfExists`, negated operators,
/// `ForAllValues:` or `Null: true`).
fn check_tag_keys_supported(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let (Some(effect), Some(actions)) = (statement.effect, &statement.action) else {
        return;
    };
    let mut services: Option<Vec<reference::Service>> = None;
    let mut unsupported_by_template: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for (position, condition) in statement.conditions.iter().enumerate() {
        let key = condition.key.text;
        let is_tag_key = TAG_KEYS.iter().any(|tag| {
            key.get(..tag.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(tag))
        });
        // The condition rules' look-up, where they made one.
        let template = || {
            statement
                .condition_keys
                .get(position)
                .copied()
                .flatten()
                .or_else(|| reference::condition_key(key))
        };
        let Some(template) = is_tag_key.then(template).flatten() else {
            continue;
        };
        let Ok(operator) = super::operator::Operator::parse(condition.operator.text) else {
            continue;
        };
        if !super::condition::fails_without_key(operator, condition) {
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

// ---------------------------------------------------------------------------------------------
// Principals

/// The keys that tie a service principal to the resource it acts for (confused deputy).
const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

/// A resource policy that allows a service principal without `aws:SourceArn`,
/// `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` lets the service act for
/// anyone's resources.
fn check_service_principal_restricted(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::Resource || statement.effect != Some(Effect::Allow) {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    if SOURCE_KEYS
        .iter()
        .any(|key| has_condition_key(statement, key))
    {
        return;
    }
    for (kind, values) in &principal.entries {
        if kind.text != "Service" {
            continue;
        }
        for value in values {
            ctx.report_entry(
                IssueCode::RestrictAccessToServicePrincipal,
                value,
                Some(statement.index),
                format!(
                    "service principal `{}` is allowed for every account's resources",
                    value.text
                ),
                Some("add a condition on `aws:SourceArn` or `aws:SourceAccount`".to_owned()),
            );
        }
    }
}

/// Keys whose value the caller sets, which say nothing trustworthy about a service principal.
const WEAK_SERVICE_PRINCIPAL_KEYS: &[&str] = &["aws:Referer", "aws:UserAgent"];

/// A service principal limited by `aws:Referer` or `aws:UserAgent` instead of the `aws:Source*`
/// keys, which AWS sets itself.
fn check_service_principal_weak_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let has_service = statement.principal.as_ref().is_some_and(|principal| {
        !principal.negated
            && principal
                .entries
                .iter()
                .any(|(kind, _)| kind.text == "Service")
    });
    if !has_service || statement.effect != Some(Effect::Allow) {
        return;
    }
    for condition in &statement.conditions {
        if WEAK_SERVICE_PRINCIPAL_KEYS
            .iter()
            .any(|key| key.eq_ignore_ascii_case(condition.key.text))
        {
            ctx.report_entry(
                IssueCode::RecommendedConditionKeyForServicePrincipal,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is set by the caller and does not identify what a service acts for",
                    condition.key.text
                ),
                Some("use `aws:SourceArn` or `aws:SourceAccount`".to_owned()),
            );
        }
    }
}

/// A role trust policy that trusts a role needs no entry for that role's sessions
/// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` beside `arn:aws:iam::ACCOUNT:role/ROLE`).
fn check_redundant_session_principals(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::RoleTrust {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    let values: Vec<&Entry<'_>> = principal
        .entries
        .iter()
        .filter(|(kind, _)| kind.text == "AWS")
        .flat_map(|(_, values)| values)
        .collect();
    let roles: Vec<(&str, &str)> = values
        .iter()
        .filter_map(|value| {
            let (_partition, rest) = value.text.strip_prefix("arn:")?.split_once(":iam::")?;
            let (account, role) = rest.split_once(":role/")?;
            Some((account, role.rsplit('/').next().unwrap_or(role)))
        })
        .collect();
    for value in &values {
        let Some((account, session)) = value
            .text
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(":sts::"))
            .and_then(|(_, rest)| rest.split_once(":assumed-role/"))
        else {
            continue;
        };
        let Some((role, _)) = session.split_once('/') else {
            continue;
        };
        if roles.contains(&(account, role)) {
            ctx.report_entry(
                IssueCode::RedundantPrincipalInRoleTrustPolicy,
                value,
                Some(statement.index),
                format!(
                    "session `{}` is already trusted through its role `{role}`",
                    value.text
                ),
                Some(format!("remove `{}`", value.text)),
            );
        }
    }
}

/// GitHub's OIDC provider: its `sub` claim names the repository and branch.
const GITHUB: &str = "token.actions.githubusercontent.com";

/// Web identity providers that are named by host rather than by provider ARN.
const BUILT_IN_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// Trust to an OIDC provider needs a condition on that provider's claims, or every identity of
/// the provider (any GitHub repository, any Google user) may assume the role; for GitHub the
/// `sub` claim must be there and should name a repository and branch.
fn check_identity_provider_conditions(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    for (kind, values) in &principal.entries {
        if kind.text != "Federated" {
            continue;
        }
        for value in values {
            let Some(provider) = oidc_provider(value.text) else {
                continue;
            };
            let claims: Vec<_> = statement
                .conditions
                .iter()
                .filter(|condition| {
                    condition
                        .key
                        .text
                        .rsplit_once(':')
                        .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(provider))
                })
                .collect();
            if provider.eq_ignore_ascii_case(GITHUB) {
                check_github_subject(statement, value, &claims, ctx);
            } else if claims.is_empty() {
                ctx.report_entry(
                    IssueCode::MissingConditionKeyForOidcPrincipal,
                    value,
                    Some(statement.index),
                    format!("any identity of `{provider}` may assume this role"),
                    Some(format!(
                        "add a condition on `{provider}:aud` or `{provider}:sub`"
                    )),
                );
            }
        }
    }
}

/// The provider host of a Federated principal that is an OIDC provider, if it is one.
fn oidc_provider(federated: &str) -> Option<&str> {
    if let Some((_, path)) = federated.split_once(":oidc-provider/") {
        return Some(path);
    }
    BUILT_IN_PROVIDERS
        .iter()
        .find(|provider| provider.eq_ignore_ascii_case(federated))
        .map(|_| federated)
}

/// GitHub trust needs `token.actions.githubusercontent.com:sub`, without wildcards.
fn check_github_subject(
    statement: &Statement<'_>,
    principal: &Entry<'_>,
    claims: &[&super::Condition<'_>],
    ctx: &mut Context<'_>,
) {
    let subjects: Vec<_> = claims
        .iter()
        .filter(|condition| condition.key.text.to_ascii_lowercase().ends_with(":sub"))
        .collect();
    if subjects.is_empty() {
        ctx.report_entry(
            IssueCode::MissingGithubRepoConditionKey,
            principal,
            Some(statement.index),
            "any GitHub repository may assume this role".to_owned(),
            Some(format!(
                "add `\"StringEquals\": {{\"{GITHUB}:sub\": \"repo:OWNER/REPO:ref:refs/heads/BRANCH\"}}`"
            )),
        );
        return;
    }
    for condition in subjects {
        for node in &condition.values {
            let Value::String(text) = &node.value else {
                continue;
            };
            if holds_wildcard(text) {
                ctx.report(
                    IssueCode::SpecificGithubRepoAndBranchRecommended,
                    node.span,
                    condition.key.path,
                    Some(statement.index),
                    format!("`{text}` lets several repositories or branches assume this role"),
                    Some("name one repository and branch, e.g. `repo:OWNER/REPO:ref:refs/heads/main`".to_owned()),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Resource control policies

/// Keys about the calling principal, which service principals do not carry.
const PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalTag/",
];

/// Keys about the resource a service principal acts for, which only service calls carry.
const SOURCE_GUARDED_KEYS: &[&str] =
    &["aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceAccount"];

/// An RCP deny on principal keys must be limited to non-service callers
/// (`BoolIfExists aws:PrincipalIsAWSService false`), or it denies AWS services acting for the
/// account; a deny on source keys must be limited to service callers
/// (`aws:PrincipalIsAWSService true`) and to requests that carry a source
/// (`Null aws:SourceAccount false`).
fn check_rcp_principal_guards(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::Rcp || statement.effect != Some(Effect::Deny) {
        return;
    }
    let uses = |keys: &[&str]| {
        statement.conditions.iter().find(|condition| {
            keys.iter().any(|key| {
                let name = condition.key.text;
                if key.ends_with('/') {
                    name.get(..key.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(key))
                } else {
                    name.eq_ignore_ascii_case(key)
                }
            })
        })
    };
    let tests = |key: &str, operator_prefix: &str, value: &str| {
        statement.conditions.iter().any(|condition| {
            condition.key.text.eq_ignore_ascii_case(key)
                && condition.operator.text.starts_with(operator_prefix)
                && condition.values.iter().any(|node| match &node.value {
                    Value::String(text) => text.eq_ignore_ascii_case(value),
                    Value::Bool(flag) => flag.to_string() == value,
                    _ => false,
                })
        })
    };
    if let Some(condition) = uses(PRINCIPAL_KEYS)
        && !tests("aws:PrincipalIsAWSService", "Bool", "false")
    {
        ctx.report_entry(
            IssueCode::RcpMissingRelatedPrincipalConditionKey,
            &condition.key,
            Some(statement.index),
            format!(
                "`{}` is absent for AWS services, so this deny also stops services acting for you",
                condition.key.text
            ),
            Some("add `\"BoolIfExists\": {\"aws:PrincipalIsAWSService\": \"false\"}`".to_owned()),
        );
    }
    if let Some(condition) = uses(SOURCE_GUARDED_KEYS) {
        if !tests("aws:PrincipalIsAWSService", "Bool", "true") {
            ctx.report_entry(
                IssueCode::RcpMissingRelatedServicePrincipalConditionKey,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is only set for AWS services, so this deny also stops every other caller",
                    condition.key.text
                ),
                Some("add `\"Bool\": {\"aws:PrincipalIsAWSService\": \"true\"}`".to_owned()),
            );
        }
        if !tests("aws:SourceAccount", "Null", "false") && !tests("aws:SourceArn", "Null", "false")
        {
            ctx.report_entry(
                IssueCode::RcpMissingServiceConditionKeyNullCheck,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is absent when a service acts for no resource, so this deny also stops those calls",
                    condition.key.text
                ),
                Some("add `\"Null\": {\"aws:SourceAccount\": \"false\"}`".to_owned()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::condition::tests::{codes, findings, only};
    use super::super::testing::statement;
    use crate::IssueCode::{self, *};
    use crate::PolicyKind;

    fn check(elements: &str) -> Vec<IssueCode> {
        codes(&statement(elements), None)
    }

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

    #[test]
    fn redundant_actions() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": ["iam:Get*", "iam:GetCredentialReport"], "Resource": "*""#,
            ),
            None,
            RedundantAction,
        );
        assert_eq!(
            finding.message,
            "`iam:GetCredentialReport` is already covered by `iam:Get*`"
        );
        assert!(finding.path.ends_with("Action[1]"));
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": ["s3:GetObject", "S3:getobject"], "Resource": "*""#,
            ),
            None,
            RedundantAction,
        );
        assert!(finding.path.ends_with("Action[1]"), "{finding:?}");
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*""#
            ),
            []
        );
        // Each entry names the first entry in list order that covers it: a later wildcard for
        // the first, the first spelling of the action for its repeats.
        let found = findings(
            &statement(
                r#""Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "s3:GetObject", "ssm:StartSession", "S3:getobject", "s3:get*"], "Resource": "*""#,
            ),
            None,
        );
        let messages: Vec<(&str, &str)> = found
            .iter()
            .filter(|finding| finding.code == RedundantAction)
            .map(|finding| (finding.path.as_str(), finding.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "Statement[0].Action[0]",
                    "`s3:GetObject` is already covered by `s3:Get*`"
                ),
                ("Statement[0].Action[2]", "`s3:GetObject` is listed twice"),
                ("Statement[0].Action[4]", "`S3:getobject` is listed twice"),
                ("Statement[0].Action[5]", "`s3:get*` is listed twice"),
            ]
        );
    }

    #[test]
    fn redundant_resources() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/2026.csv"]"#,
            ),
            None,
            RedundantResource,
        );
        assert!(finding.path.ends_with("Resource[1]"));
        // `x*` covers `x?`, but `x?` does not cover `x*`.
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/x?", "arn:aws:s3:::b/x*"]"#,
            ),
            None,
            RedundantResource,
        );
        assert!(finding.path.ends_with("Resource[0]"));
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"]"#
            ),
            [RedundantResource]
        );
    }

    /// As for resources: the first covering entry of each action entry is the one a test of
    /// every pair finds, on lists of repeats, overlapping wildcards and `"*"`.
    #[test]
    fn redundant_actions_match_a_test_of_every_pair() {
        use iam_policy_reference::{Action, actions_matching};
        let pieces = [
            "s3:GetObject",
            "S3:getobject",
            "s3:Get*",
            "s3:GetObject*",
            "s3:Get?bject",
            "s3:*Object",
            "s3:*",
            "*",
            "s3:PutObject",
            "ec2:Describe*",
            "ec2:DescribeInstances",
            "ec2:*",
        ];
        // `None` for `"*"`.
        let set = |text: &str| -> Option<Vec<Action>> {
            (text != "*").then(|| {
                actions_matching(text)
                    .map(|set| set.to_vec())
                    .unwrap_or_default()
            })
        };
        let covers = |wide: &Option<Vec<Action>>, narrow: &Option<Vec<Action>>| match (wide, narrow)
        {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(wide), Some(narrow)) => narrow.iter().all(|action| wide.contains(action)),
        };
        let mut state = 11u64;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % bound
        };
        for _ in 0..300 {
            let length = 2 + next(7);
            let list: Vec<&str> = (0..length).map(|_| pieces[next(pieces.len())]).collect();
            let sets: Vec<Option<Vec<Action>>> = list.iter().map(|text| set(text)).collect();
            let several = |set: &Option<Vec<Action>>| set.as_ref().is_none_or(|set| set.len() > 1);
            let expected: Vec<(String, String)> = list
                .iter()
                .enumerate()
                .filter_map(|(index, &narrow)| {
                    let narrow_set = &sets[index];
                    let other = (0..list.len()).find(|&other| {
                        let wide_set = &sets[other];
                        other != index
                            && ((several(wide_set)
                                && covers(wide_set, narrow_set)
                                && (other < index || !covers(narrow_set, wide_set)))
                                || (other < index && !several(wide_set) && wide_set == narrow_set))
                    })?;
                    let wide = list[other];
                    let message = if wide.eq_ignore_ascii_case(narrow) {
                        format!("`{narrow}` is listed twice")
                    } else {
                        format!("`{narrow}` is already covered by `{wide}`")
                    };
                    Some((format!("Statement[0].Action[{index}]"), message))
                })
                .collect();
            let quoted: Vec<String> = list.iter().map(|text| format!("\"{text}\"")).collect();
            let found: Vec<(String, String)> = findings(
                &statement(&format!(
                    r#""Effect": "Allow", "Action": [{}], "Resource": "*""#,
                    quoted.join(", ")
                )),
                None,
            )
            .into_iter()
            .filter(|finding| finding.code == RedundantAction)
            .map(|finding| (finding.path, finding.message))
            .collect();
            assert_eq!(found, expected, "{list:?}");
        }
    }

    /// The index only changes how covering entries are found: on lists mixing repeats, prefixes
    /// of each other, `*`, `?` and wildcards in the middle, every entry names the same covering
    /// entry as a test of every pair would.
    #[test]
    fn redundant_resources_match_a_test_of_every_pair() {
        let pieces = [
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/a",
            "arn:aws:s3:::b/a*",
            "arn:aws:s3:::b/a?",
            "arn:aws:s3:::b/ab",
            "arn:aws:s3:::b/*b",
            "arn:aws:s3:::*",
            "*",
            "arn:aws:s3:::c/a",
            "arn:aws:s3:::b/?b",
            "arn:aws:s3:::b/a*b*",
        ];
        // A small linear congruential generator: the same lists on every run.
        let mut state = 7u64;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % bound
        };
        for _ in 0..400 {
            let length = 2 + next(7);
            let list: Vec<&str> = (0..length).map(|_| pieces[next(pieces.len())]).collect();
            fn with_wild(text: &str) -> (&str, bool) {
                (text, super::holds_wildcard(text))
            }
            let expected: Vec<(String, String)> = list
                .iter()
                .enumerate()
                .filter_map(|(index, &narrow)| {
                    let (_, &wide) = list.iter().enumerate().find(|&(other, &wide)| {
                        other != index
                            && super::resource_covers(with_wild(wide), with_wild(narrow))
                            && (!super::resource_covers(with_wild(narrow), with_wild(wide))
                                || other < index)
                    })?;
                    Some((
                        format!("Statement[0].Resource[{index}]"),
                        format!("`{narrow}` is already covered by `{wide}`"),
                    ))
                })
                .collect();
            let quoted: Vec<String> = list.iter().map(|text| format!("\"{text}\"")).collect();
            let found: Vec<(String, String)> = findings(
                &statement(&format!(
                    r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}]"#,
                    quoted.join(", ")
                )),
                None,
            )
            .into_iter()
            .filter(|finding| finding.code == RedundantResource)
            .map(|finding| (finding.path, finding.message))
            .collect();
            assert_eq!(found, expected, "{list:?}");
        }
    }

    #[test]
    fn redundant_statements() {
        let doc = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Sid": "B", "Resource": "arn:aws:s3:::b/*", "Action": "s3:GetObject", "Effect": "Allow"}]}"#;
        let finding = only(doc, None, RedundantStatement);
        assert_eq!(finding.statement, Some(1));
        let different = doc.replace("\"Effect\": \"Allow\"}", "\"Effect\": \"Deny\"}");
        assert_eq!(codes(&different, None), []);
        // Elements given twice, in another order: still a repeat, though the first `Action`
        // of each differs.
        let twice = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:ListBucket"},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Action": "s3:GetObject"}]}"#;
        let found = findings(twice, None);
        assert!(
            found
                .iter()
                .any(|finding| finding.code == RedundantStatement && finding.statement == Some(1)),
            "{found:#?}"
        );
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

    #[test]
    fn service_principals_need_a_source() {
        let policy = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Service": "sns.amazonaws.com"}}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"{condition}}}}}"#
            )
        };
        assert_eq!(
            codes(&policy(""), Some(PolicyKind::Resource)),
            [RestrictAccessToServicePrincipal]
        );
        assert_eq!(
            codes(
                &policy(
                    r#", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}}"#
                ),
                Some(PolicyKind::Resource)
            ),
            []
        );
    }

    #[test]
    fn service_principals_with_caller_set_keys() {
        let policy = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#;
        assert_eq!(
            codes(policy, Some(PolicyKind::Resource)),
            [RecommendedConditionKeyForServicePrincipal]
        );
    }

    #[test]
    fn rcp_guards() {
        let rcp = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {condition}}}}}"#
            )
        };
        let rcp_codes = |condition: &str| codes(&rcp(condition), Some(PolicyKind::Rcp));
        assert_eq!(
            rcp_codes(r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#),
            [RcpMissingRelatedPrincipalConditionKey]
        );
        assert_eq!(
            rcp_codes(
                r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}"#
            ),
            []
        );
        assert_eq!(
            rcp_codes(r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}"#),
            [
                RcpMissingRelatedServicePrincipalConditionKey,
                RcpMissingServiceConditionKeyNullCheck
            ]
        );
        assert_eq!(
            rcp_codes(
                r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}, "Null": {"aws:SourceAccount": "false"}, "Bool": {"aws:PrincipalIsAWSService": "true"}}"#
            ),
            []
        );
    }

    #[test]
    fn identity_providers_need_claims() {
        let trust = |federated: &str, condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Federated": "{federated}"}}, "Action": "sts:AssumeRoleWithWebIdentity"{condition}}}}}"#
            )
        };
        let github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        let trust_codes =
            |federated, condition| codes(&trust(federated, condition), Some(PolicyKind::RoleTrust));
        assert_eq!(trust_codes(github, ""), [MissingGithubRepoConditionKey]);
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#
            ),
            [MissingGithubRepoConditionKey]
        );
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo/app:*"}}"#
            ),
            [SpecificGithubRepoAndBranchRecommended]
        );
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo/app:ref:refs/heads/main"}}"#
            ),
            []
        );
        assert_eq!(
            trust_codes("accounts.google.com", ""),
            [MissingConditionKeyForOidcPrincipal]
        );
        assert_eq!(
            trust_codes(
                "accounts.google.com",
                r#", "Condition": {"StringEquals": {"accounts.google.com:aud": "my-app"}}"#
            ),
            []
        );
        assert_eq!(
            trust_codes("arn:aws:iam::123456789012:saml-provider/corp", ""),
            []
        );
    }

    #[test]
    fn sessions_beside_their_role() {
        let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/ops/Admin", "arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:sts::123456789012:assumed-role/Other/bob"]}, "Action": "sts:AssumeRole"}}"#;
        let finding = only(
            trust,
            Some(PolicyKind::RoleTrust),
            RedundantPrincipalInRoleTrustPolicy,
        );
        assert!(finding.path.ends_with("AWS[1]"), "{finding:?}");
    }

    #[test]
    fn wildcards_in_service_names() {
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:*code*:us-east-1:123456789012:*", "arn:aws:s3:::b/*"]"#
            ),
            [WildcardInServiceName]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:*:*:*:*""#),
            []
        );
    }

    /// Trust policies from AWS's documentation: none of them may be reported.
    #[test]
    fn documented_trust_policies_pass() {
        let saml = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/corp"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"], "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}}"#;
        let eks = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:my-sa", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"}}}}"#;
        let ec2 = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#;
        let cross_account = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}}"#;
        let google = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"accounts.google.com:aud": "66677788899900pro0"}}}}"#;
        for trust in [saml, eks, ec2, cross_account, google] {
            assert_eq!(codes(trust, Some(PolicyKind::RoleTrust)), [], "{trust}");
        }
    }
}
