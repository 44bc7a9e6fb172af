//! Sets of the reference's actions as bit sets, one bit per action in the order of
//! [`all_actions`]: a statement's actions are found once with the reference's own pattern
//! index, and the checks then combine whole sets a word at a time instead of matching every
//! action against every pattern.

use super::all_actions;
use super::sets::action_listed;
use super::view::Items;
use iam_policy_reference as reference;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ActionSet {
    words: Vec<u64>,
}

impl ActionSet {
    pub fn empty() -> ActionSet {
        ActionSet {
            words: vec![0; all_actions().len().div_ceil(64)],
        }
    }

    pub fn full() -> ActionSet {
        let mut set = ActionSet::empty();
        set.words.fill(u64::MAX);
        set.trim();
        set
    }

    /// The reference's actions a statement's `Action`, `NotAction` or absent element covers.
    pub fn of(items: &Items<'_>) -> ActionSet {
        match items {
            Items::Any => ActionSet::full(),
            Items::Listed(patterns) => {
                ActionSet::matching(patterns).unwrap_or_else(|| ActionSet::scan(items))
            }
            Items::Except(patterns) => match ActionSet::matching(patterns) {
                Some(excluded) => ActionSet::full().minus(&excluded),
                None => ActionSet::scan(items),
            },
        }
    }

    /// The actions any of `patterns` matches, by the reference's index; `None` when a pattern
    /// is not of the form it indexes (`service:action`).
    pub fn matching(patterns: &[&str]) -> Option<ActionSet> {
        let mut set = ActionSet::empty();
        for pattern in patterns {
            match reference::actions_matching(pattern) {
                Ok(actions) => {
                    for action in actions.iter() {
                        set.insert(position(*action)?);
                    }
                }
                // A service the reference does not know has none of its actions.
                Err(reference::PatternError::UnknownService { .. }) => {}
                Err(_) => return None,
            }
        }
        Some(set)
    }

    /// Every action tested one by one: for patterns the index does not take.
    fn scan(items: &Items<'_>) -> ActionSet {
        let mut set = ActionSet::empty();
        for (index, (_, name)) in all_actions().iter().enumerate() {
            if action_listed(items, name) {
                set.insert(index);
            }
        }
        set
    }

    fn trim(&mut self) {
        let extra = self.words.len() * 64 - all_actions().len();
        if let Some(last) = self.words.last_mut()
            && extra > 0
        {
            *last &= u64::MAX >> extra;
        }
    }

    pub fn insert(&mut self, index: usize) {
        if let Some(word) = self.words.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    pub fn contains(&self, index: usize) -> bool {
        self.words
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    pub fn union(mut self, other: &ActionSet) -> ActionSet {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a |= b);
        self
    }

    pub fn intersection(mut self, other: &ActionSet) -> ActionSet {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= b);
        self
    }

    pub fn minus(mut self, other: &ActionSet) -> ActionSet {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= !b);
        self
    }

    /// How many actions the set holds.
    pub fn len(&self) -> usize {
        self.words
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
    }

    /// The positions of the actions in the set, in order.
    pub fn iter(&self) -> Positions<'_> {
        Positions {
            words: self.words.iter().enumerate(),
            at: 0,
            rest: 0,
        }
    }

    /// The `service:Action` names of the set, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.iter()
            .filter_map(|index| all_actions().get(index))
            .map(|(_, name)| name.as_str())
            .collect()
    }
}

/// The positions of the actions in an [`ActionSet`], in order. A type of its own rather than a
/// `flat_map`, whose machinery would be compiled again for each way the positions are used.
pub(crate) struct Positions<'s> {
    words: std::iter::Enumerate<std::slice::Iter<'s, u64>>,
    /// The index of the word `rest` comes from.
    at: usize,
    /// The bits of that word not yet given.
    rest: u64,
}

impl Iterator for Positions<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.rest == 0 {
            let (at, &word) = self.words.next()?;
            (self.at, self.rest) = (at, word);
        }
        let bit = self.rest.trailing_zeros() as usize;
        self.rest &= self.rest - 1;
        Some(self.at * 64 + bit)
    }
}

/// Where the action named `name` (`service:Action`, any case) is in [`all_actions`]. Names as
/// the reference spells them, the usual case, are found in a table built once.
pub(crate) fn position_of(name: &str) -> Option<usize> {
    static BY_NAME: OnceLock<FxHashMap<&'static str, usize>> = OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        all_actions()
            .iter()
            .enumerate()
            .map(|(index, (_, name))| (name.as_str(), index))
            .collect()
    });
    match by_name.get(name) {
        Some(index) => Some(*index),
        None => reference::action(name).and_then(position),
    }
}

/// Where an action is in [`all_actions`].
pub(crate) fn position(action: reference::Action) -> Option<usize> {
    all_actions()
        .binary_search_by_key(&action, |(known, _)| *known)
        .ok()
}
