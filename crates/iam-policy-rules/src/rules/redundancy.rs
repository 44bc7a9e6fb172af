//! Redundancy: an `Action` or `Resource` entry that another entry of its list already covers,
//! and a statement that repeats another.

use super::{
    Context, Document, Effect, Entry, ListElement, PAIRWISE_UP_TO, ResolvedAction, Statement,
    bounds, holds_wildcard,
};
use crate::IssueCode;
use crate::element;
use crate::json::{Member, Node, Value};
use iam_policy_reference as reference;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};

/// An `Action` entry whose actions another entry of the same list already names all of.
#[inline]
pub(super) fn check_redundant_actions(
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
    if statement.actions.len() <= SHORT_LIST {
        // Compared pair by pair, with no list built.
        let wide_entries = || {
            (statement.actions.iter().enumerate())
                .filter_map(|(index, resolved)| Some((index, wide_bounds(resolved)?)))
        };
        let any_wide = wide_entries().next().is_some();
        for (index, resolved) in statement.actions.iter().enumerate() {
            // The first earlier entry naming the same single action.
            let same = match (resolved.everything, &resolved.actions[..]) {
                (false, &[action]) => statement
                    .actions
                    .get(..index)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .find(|&(other_index, other)| {
                        !other.everything
                            && other.actions[..] == [action]
                            && distinct(index, other_index)
                    })
                    .map(|(other_index, _)| other_index),
                _ => None,
            };
            let wider = any_wide
                .then(|| covering_wide_entry(statement, wide_entries(), index))
                .flatten();
            // The first covering entry in list order.
            if let Some(other_index) = [wider, same].into_iter().flatten().min() {
                report_redundant_action(statement, element, index, other_index, ctx);
            }
        }
        return;
    }
    // Only `"*"` or an entry naming several actions can cover another, apart from an earlier
    // entry naming the same single action ([`covering_wide_entries`]). The lists are sized once
    // and serve every long list of the document.
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
        match (wide_bounds(resolved), &resolved.actions[..]) {
            (Some(bounds), _) => several.push((index, bounds)),
            (None, &[action]) => single.push((action, index)),
            (None, _) => {}
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
    // A short list's entries, or any list's with few wide entries, are each compared with
    // every wide entry instead.
    let pairwise = statement.actions.len() <= PAIRWISE_UP_TO || several.len() <= FEW_WIDE_ENTRIES;
    let wider = if pairwise {
        Vec::new()
    } else {
        covering_wide_entries(statement, several)
    };
    for index in 0..statement.actions.len() {
        let same = repeats
            .binary_search_by_key(&index, |&(repeat, _)| repeat)
            .ok()
            .and_then(|at| repeats.get(at))
            .map(|&(_, first)| first);
        let wider = if pairwise {
            covering_wide_entry(statement, several.iter().copied(), index)
        } else {
            wider.get(index).copied().flatten()
        };
        // The first covering entry in list order.
        if let Some(other_index) = [wider, same].into_iter().flatten().min() {
            report_redundant_action(statement, element, index, other_index, ctx);
        }
    }
}

/// For an entry that may cover others, `"*"` or one naming several actions, its first and last
/// actions (`None` for `"*"`); `None` for any other entry.
fn wide_bounds(
    resolved: &ResolvedAction,
) -> Option<Option<(reference::Action, reference::Action)>> {
    if resolved.everything {
        return Some(None);
    }
    (resolved.actions.len() > 1).then(|| bounds(&resolved.actions))
}

/// Action lists up to this long (most statements' lists) have their entries compared pair by
/// pair, cheaper than filling and sorting the scratch lists; longer ones, for which the pairs
/// cost more than the sorting, fill the lists.
const SHORT_LIST: usize = 4;

/// With at most this many entries naming several actions (or `"*"`), a list's entries are each
/// compared with all of them: linear, and cheaper than the indexes for a long list.
const FEW_WIDE_ENTRIES: usize = 4;

/// The first entry of `several` (as for [`covering_wide_entries`]) that covers the resolved
/// entry at `index`, by comparing it with each: what [`covering_wide_entries`] finds for it.
fn covering_wide_entry(
    statement: &Statement<'_>,
    several: impl Iterator<Item = (usize, Option<(reference::Action, reference::Action)>)>,
    index: usize,
) -> Option<usize> {
    let resolved = statement.actions.get(index)?;
    let narrow_first = resolved.actions.first();
    several
        .filter(|(_, bounds)| match (bounds, narrow_first) {
            // An entry covers only the entries whose first action lies within its bounds.
            (Some((first, last)), Some(narrow_first)) => (first..=last).contains(&narrow_first),
            _ => true,
        })
        .map(|(wide_index, _)| wide_index)
        .find(|&wide_index| {
            let Some(wide) = statement.actions.get(wide_index) else {
                return false;
            };
            if !distinct_entries(statement, index, wide_index) {
                return false;
            }
            // A `"*"` entry is covered by the first `"*"` entry before it.
            if resolved.everything {
                return wide.everything && wide_index < index;
            }
            let (wide, narrow) = (action_set(wide), action_set(resolved));
            actions_cover(wide, narrow) && (wide_index < index || !actions_cover(narrow, wide))
        })
}

/// The actions an entry names, sorted; `None` for `"*"`.
fn action_set(resolved: &ResolvedAction) -> Option<&[reference::Action]> {
    (!resolved.everything).then_some(&resolved.actions[..])
}

/// True when the actions `wide` names include every action `narrow` names, and `narrow` names
/// some; each sorted, `None` standing for `"*"`.
fn actions_cover(wide: Option<&[reference::Action]>, narrow: Option<&[reference::Action]>) -> bool {
    match (wide, narrow) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(wide), Some(narrow)) => {
            !narrow.is_empty()
                && narrow.len() <= wide.len()
                && narrow
                    .iter()
                    .all(|action| wide.binary_search(action).is_ok())
        }
    }
}

/// Reports the resolved entry at `index` as covered by the one at `other_index`.
fn report_redundant_action(
    statement: &Statement<'_>,
    element: &ListElement<'_>,
    index: usize,
    other_index: usize,
    ctx: &mut Context<'_>,
) {
    let (Some(resolved), Some(other)) = (
        statement.actions.get(index),
        statement.actions.get(other_index),
    ) else {
        return;
    };
    let (Some(written), Some(other_written)) = (
        element.entries.get(resolved.entry),
        element.entries.get(other.entry),
    ) else {
        return;
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
    let covers = actions_cover;
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
pub(super) struct RedundantActionLists {
    several: Vec<(usize, Option<(reference::Action, reference::Action)>)>,
    single: Vec<(reference::Action, usize)>,
    repeats: Vec<(usize, usize)>,
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
#[inline]
pub(super) fn check_redundant_resources(statement: &Statement<'_>, ctx: &mut Context<'_>) {
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
    if entries.len() <= PAIRWISE_UP_TO {
        // Whether each entry holds a wildcard, found once rather than for each pair.
        let mut wild = [false; PAIRWISE_UP_TO];
        for (wild, entry) in wild.iter_mut().zip(entries) {
            *wild = holds_wildcard(entry.text);
        }
        for (index, (entry, &entry_wild)) in entries.iter().zip(&wild).enumerate() {
            let narrow = (entry.text, entry_wild);
            // The first entry that is the same text written earlier or a wildcard matching it.
            let covering = entries.iter().zip(&wild).enumerate().find(
                |&(other_index, (other, &other_wild))| {
                    if other.text == entry.text {
                        return other_index < index;
                    }
                    other_wild && resource_covers((other.text, true), narrow)
                },
            );
            if let Some((_, (other, _))) = covering {
                report_redundant_resource(statement, entry, other, ctx);
            }
        }
        return;
    }
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
    // By entry: the first wildcard covering it. Filled in once one is found: mostly none is.
    let mut covered_by: Vec<Option<usize>> = Vec::new();
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
                    covered_by.resize(entries.len(), None);
                    if let Some(slot) = covered_by.get_mut(narrow) {
                        *slot = Some(wide);
                    }
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
        let covering = match (covered_by.get(first).copied().flatten(), earlier_same) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => match a.or(b) {
                Some(other) => other,
                None => continue,
            },
        };
        if let Some(other) = entries.get(covering) {
            report_redundant_resource(statement, entry, other, ctx);
        }
    }
}

/// Reports the `Resource` entry `entry` as covered by `other`.
fn report_redundant_resource(
    statement: &Statement<'_>,
    entry: &Entry<'_>,
    other: &Entry<'_>,
    ctx: &mut Context<'_>,
) {
    ctx.report_entry(
        IssueCode::RedundantResource,
        entry,
        Some(statement.index),
        format!("`{}` is already covered by `{}`", entry.text, other.text),
        Some(format!("remove `{}`", entry.text)),
    );
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
/// object members, and compared only within their group; a cheaper shallow hash first tells
/// apart all the statements of most policies.
#[inline]
pub(super) fn check_redundant_statements(document: &Document<'_>, ctx: &mut Context<'_>) {
    // Up to a few dozen statements: mostly no two, or few, have the same shallow hash, and
    // only those are compared in full. Otherwise the full hashes below group the statements.
    // Most policies have a few statements: their hashes fit a smaller array, cheaper to clear.
    let checked = if document.statements.len() <= FEW_STATEMENTS {
        check_redundant_statements_pairwise::<FEW_STATEMENTS>(document, ctx)
    } else {
        check_redundant_statements_pairwise::<STATEMENTS_PAIRWISE_UP_TO>(document, ctx)
    };
    if checked {
        return;
    }
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
        report_redundant_statement(statement, earlier, ctx);
    }
}

/// [`check_redundant_statements`] for up to `N` statements whose shallow hashes have at most
/// [`PAIRWISE_UP_TO`] alike pairs; false (nothing done) for any other document.
fn check_redundant_statements_pairwise<const N: usize>(
    document: &Document<'_>,
    ctx: &mut Context<'_>,
) -> bool {
    let statements = &document.statements;
    if statements.len() > N {
        return false;
    }
    // Their shapes first, which mostly tell every statement apart; where some are alike,
    // their sampled texts too.
    let mut shallow = [0u64; N];
    for (slot, statement) in shallow.iter_mut().zip(statements) {
        *slot = shape_hash(statement);
    }
    if alike_pairs(&shallow, statements.len()) == 0 {
        return true;
    }
    for (slot, statement) in shallow.iter_mut().zip(statements) {
        *slot = shallow_hash(statement);
    }
    match alike_pairs(&shallow, statements.len()) {
        0 => return true,
        alike if alike > PAIRWISE_UP_TO => return false,
        _ => {}
    }
    let hashes = shallow.get(..statements.len()).unwrap_or_default();
    for (position, (statement, hash)) in statements.iter().zip(hashes).enumerate() {
        let earlier = hashes
            .get(..position)
            .unwrap_or_default()
            .iter()
            .zip(statements)
            .filter(|&(other, _)| other == hash)
            .map(|(_, other)| other)
            .find(|other| same_members(other.node, statement.node));
        if let Some(earlier) = earlier {
            report_redundant_statement(statement, earlier, ctx);
        }
    }
    true
}

/// How many pairs of the first `len` hashes are equal. Plain index loops: mostly none are,
/// and then nothing else is done.
fn alike_pairs(hashes: &[u64], len: usize) -> usize {
    let hashes = hashes.get(..len).unwrap_or_default();
    let mut alike = 0;
    for (position, hash) in hashes.iter().enumerate() {
        for earlier in hashes.get(..position).unwrap_or_default() {
            alike += usize::from(earlier == hash);
        }
    }
    alike
}

fn report_redundant_statement(
    statement: &Statement<'_>,
    earlier: &Statement<'_>,
    ctx: &mut Context<'_>,
) {
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

/// The most statements whose shallow hashes [`check_redundant_statements`] compares pair by
/// pair.
const STATEMENTS_PAIRWISE_UP_TO: usize = 64;

/// The statements of most policies.
const FEW_STATEMENTS: usize = 8;

/// A hash of a statement apart from its `Sid` that is equal for statements [`same_members`]
/// finds equal and is cheaper still than [`shallow_hash`]: a statement whose elements are well
/// formed is hashed by the shape of its view (the grammar read it from the same members, so
/// the same members make the same view): its effect, and which elements it has with how many
/// entries. Others by their members: a well-formed statement never has the same members as
/// another.
#[inline]
fn shape_hash(statement: &Statement<'_>) -> u64 {
    if !statement.elements_well_formed {
        return shallow_members_hash(statement.node);
    }
    let list = |element: &Option<ListElement<'_>>| {
        element.as_ref().map_or(0, |element| {
            1 | u64::from(element.negated) << 1 | (element.entries.len() as u64) << 2
        })
    };
    let principal = statement.principal.as_ref().map_or(0, |principal| {
        1 | u64::from(principal.negated) << 1
            | u64::from(principal.wildcard) << 2
            | (principal.entries.len() as u64) << 3
    });
    let effect = statement
        .effect
        .map_or(0, |effect| 1 + u64::from(effect == Effect::Allow));
    // Packed, not mixed: only compared for equality, and counts past their bits only collide.
    effect
        ^ (statement.conditions.len() as u64) << 2
        ^ principal << 20
        ^ list(&statement.action) << 32
        ^ list(&statement.resource) << 48
}

/// [`shape_hash`] with a sample of the first entry of `Action` and `Resource` (of a
/// well-formed statement), for statements of the same shape.
fn shallow_hash(statement: &Statement<'_>) -> u64 {
    let shape = shape_hash(statement);
    if !statement.elements_well_formed {
        return shape;
    }
    let first = |element: &Option<ListElement<'_>>| {
        let text = element
            .as_ref()
            .and_then(|element| element.entries.first())
            .map_or("", |entry| entry.text);
        sampled(text)
    };
    mix(
        mix(shape, first(&statement.action)),
        first(&statement.resource),
    )
}

/// A hash of a statement's members apart from `Sid`, in any order, that looks at no more of
/// a member's value than its kind, length and first string: equal for statements
/// [`same_members`] finds equal, and cheap to take.
fn shallow_members_hash(statement: &Node<'_>) -> u64 {
    match &statement.value {
        Value::Object(members) => unordered_hash(
            members
                .iter()
                .filter(|member| member.key != element::SID)
                .map(shallow_member_hash),
        ),
        _ => 0,
    }
}

/// A few multiplications per member: a name's length and first byte tell the statement
/// elements apart, and a value's kind, length and sampled first string tell most values apart.
fn shallow_member_hash(member: &Member<'_>) -> u64 {
    let name = member.key.as_bytes();
    let name = (name.len() as u64) << 8 | u64::from(name.first().copied().unwrap_or_default());
    let (kind, text): (u64, &str) = match &member.value.value {
        Value::Null => (0, ""),
        Value::Bool(value) => (1 + u64::from(*value), ""),
        Value::Number(text) => (3, text),
        Value::String(text) => (4, text),
        Value::Array(items) => {
            let first = match items.first() {
                Some(Node {
                    value: Value::String(text),
                    ..
                }) => text,
                _ => "",
            };
            (5 | (items.len() as u64) << 8, first)
        }
        Value::Object(members) => (6 | (members.len() as u64) << 8, ""),
    };
    mix(mix(name, kind), sampled(text))
}

/// A text's length and its first and last eight bytes (all of a shorter one): different for
/// nearly all texts that differ (ARNs and actions differ at one end or the other), and cheaper
/// than hashing every byte.
fn sampled(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let words = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        (Some(first), Some(last)) => {
            u64::from_le_bytes(*first) ^ u64::from_le_bytes(*last).rotate_left(29)
        }
        _ => bytes
            .iter()
            .fold(0, |word, &byte| word << 8 | u64::from(byte)),
    };
    mix(bytes.len() as u64, words)
}

/// One step of FxHash's mixing.
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95)
}

/// The hash of a statement's members apart from `Sid`, in any order.
fn members_hash(statement: &Node<'_>) -> u64 {
    match &statement.value {
        Value::Object(members) => unordered_hash(
            members
                .iter()
                .filter(|member| member.key != element::SID)
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
            .filter(|&index| {
                members
                    .get(index)
                    .is_some_and(|member| member.key != element::SID)
            })
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

#[cfg(test)]
mod tests {
    use super::super::testing::statement;
    use super::super::testing::statement_rules::{check, codes, findings, only};
    use crate::IssueCode::*;

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
            // Short lists are compared pairwise, long ones through the indexes.
            let longest = if next(2) == 0 { 7 } else { 30 };
            let length = 2 + next(longest);
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
            // Short lists are compared pairwise, long ones through the indexes.
            let longest = if next(2) == 0 { 7 } else { 30 };
            let length = 2 + next(longest);
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

    /// Statements are told apart by their views only where the grammar read every member the
    /// same way whatever their order: a repeat is found through a second `Sid`, a pair of
    /// exclusive elements in either order and an unknown element, and statements that differ
    /// only in a value the view leaves out (a malformed `Effect`) are no repeats.
    #[test]
    fn redundant_statements_whatever_the_grammar_kept() {
        let repeat = |first: &str, second: &str| {
            let doc =
                format!(r#"{{"Version": "2012-10-17", "Statement": [{{{first}}}, {{{second}}}]}}"#);
            findings(&doc, None)
                .iter()
                .any(|finding| finding.code == RedundantStatement && finding.statement == Some(1))
        };
        let body = r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*""#;
        assert!(repeat(
            &format!(r#""Sid": "A", {body}"#),
            &format!(r#""Sid": "B", "Sid": "C", {body}"#)
        ));
        assert!(repeat(
            r#""Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*""#,
            r#""Effect": "Allow", "NotAction": "s3:PutObject", "Action": "s3:GetObject", "Resource": "*""#
        ));
        assert!(repeat(
            &format!(r#"{body}, "Unknown": 1"#),
            &format!(r#""Unknown": 1, {body}"#)
        ));
        assert!(!repeat(
            &format!(r#"{body}, "Unknown": 1"#),
            &format!(r#"{body}, "Unknown": 2"#)
        ));
        let effect = |effect: &str| format!(r#""Effect": "{effect}", "Action": "s3:GetObject""#);
        assert!(!repeat(&effect("allow"), &effect("ALLOW")));
        assert!(repeat(&effect("allow"), &effect("allow")));
    }

    /// Statements alike at first sight (the same first action, as many actions), few or many,
    /// among few or many statements: each repeat is reported once, naming the first statement
    /// it repeats, whichever way the statements were compared.
    #[test]
    fn redundant_statements_few_or_many_alike() {
        for (count, alike) in [(3, 3), (12, 12), (40, 2), (40, 40), (70, 2), (70, 70)] {
            let statements: Vec<String> = (0..count)
                .map(|index| {
                    // `alike` statements share their first action and length; the others differ.
                    let first = if index < alike {
                        "s3:GetObject".to_owned()
                    } else {
                        format!("s3:Get{index}")
                    };
                    format!(
                        r#"{{"Effect": "Allow", "Action": ["{first}", "s3:Put{index}"], "Resource": "*"}}"#
                    )
                })
                .chain([
                    r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Put1"], "Resource": "*"}"#
                        .to_owned(),
                ])
                .collect();
            let doc = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
                statements.join(", ")
            );
            let repeats: Vec<(Option<usize>, String)> = findings(&doc, None)
                .into_iter()
                .filter(|finding| finding.code == RedundantStatement)
                .map(|finding| (finding.statement, finding.message))
                .collect();
            assert_eq!(
                repeats,
                [(
                    Some(count),
                    format!("statement {count} repeats statement 1")
                )],
                "{count} statements, {alike} alike"
            );
        }
    }
}
