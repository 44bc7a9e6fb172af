//! The generated tables and their row layouts. Their numbers are in `tables.bin`, which
//! `cargo xtask reference import` writes beside `data.rs` and which is embedded with
//! `include_bytes!`: little-endian `u32`s, read where they lie with `u32::from_le_bytes`. The
//! compiler type-checks no literal table, and nothing is parsed or copied at start-up. `data.rs`
//! says where each table starts in the image and how many rows it has.
//!
//! Rows refer to strings by number (see [`crate::text`]) and to other rows by index; `start, end`
//! pairs are half-open ranges. The `..._SLOTS` tables are hashed indexes of rows by name (see
//! `index.rs`).

use std::ops::Range;

pub(crate) use crate::{AccessLevel, ConditionKeyType};

/// One number of the image, as stored.
pub(crate) type Word = [u8; 4];

/// `u32::from_le_bytes`, spelled out: the macro runs this crate unoptimized, where every
/// look-up reads many numbers and each call of a library helper is a real call.
#[inline(always)]
pub(crate) const fn value(word: &Word) -> u32 {
    word[0] as u32 | (word[1] as u32) << 8 | (word[2] as u32) << 16 | (word[3] as u32) << 24
}

/// The `count` words at byte `start` of `image`; none if the image is too short (then every
/// look-up finds nothing, and the tests of the data fail).
const fn words(image: &'static [u8], start: usize, count: usize) -> &'static [Word] {
    let Some((_, rest)) = image.split_at_checked(start) else {
        return &[];
    };
    let (words, _) = rest.as_chunks::<4>();
    match words.split_at_checked(count) {
        Some((words, _)) => words,
        None => &[],
    }
}

/// A table of single numbers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Numbers(&'static [Word]);

impl Numbers {
    /// The table of `count` numbers at byte `start` of `image`.
    pub(crate) const fn at(image: &'static [u8], start: usize, count: usize) -> Self {
        Self(words(image, start, count))
    }

    pub(crate) const fn len(self) -> usize {
        self.0.len()
    }

    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<u32> {
        // Not `get(index).map(..)`: calls the unoptimized macro would make on every read.
        if index < self.0.len() {
            Some(value(&self.0[index]))
        } else {
            None
        }
    }

    /// The numbers in `range` (none where it is out of bounds).
    pub(crate) fn range(self, range: Range<usize>) -> Self {
        Self(self.0.get(range).unwrap_or_default())
    }

    pub(crate) fn iter(self) -> impl DoubleEndedIterator<Item = u32> + ExactSizeIterator {
        self.0.iter().map(value)
    }

    pub(crate) fn binary_search_by(
        self,
        order: impl FnMut(u32) -> std::cmp::Ordering,
    ) -> Result<usize, usize> {
        let mut order = order;
        self.0.binary_search_by(|word| order(value(word)))
    }

    /// The words themselves, for [`crate::index::find_hashed`].
    pub(crate) fn words(self) -> &'static [Word] {
        self.0
    }
}

/// A table of rows of `N` numbers each.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rows<const N: usize>(&'static [[Word; N]]);

impl<const N: usize> Rows<N> {
    /// The table of `count` rows at byte `start` of `image`.
    pub(crate) const fn at(image: &'static [u8], start: usize, count: usize) -> Self {
        let (rows, _) = words(image, start, count * N).as_chunks::<N>();
        Self(rows)
    }

    pub(crate) const fn len(self) -> usize {
        self.0.len()
    }
}

/// The services, by lower-case prefix: prefix, name, then the ranges of the service's rows in
/// `ACTIONS`, `RESOURCE_TYPES` and `CONDITION_KEYS` (each sorted by lower-case name).
pub(crate) type Services = Rows<8>;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ServiceRow(&'static [Word; 8]);

impl Services {
    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<ServiceRow> {
        // As in `Numbers::get`.
        if index < self.0.len() {
            Some(ServiceRow(&self.0[index]))
        } else {
            None
        }
    }
}

impl ServiceRow {
    pub(crate) const EMPTY: Self =
        Self(&[NONE, NONE, [0; 4], [0; 4], [0; 4], [0; 4], [0; 4], [0; 4]]);

    #[inline(always)]
    pub(crate) fn prefix(self) -> u32 {
        value(&self.0[0])
    }

    #[inline(always)]
    pub(crate) fn name(self) -> u32 {
        value(&self.0[1])
    }

    #[inline(always)]
    pub(crate) fn actions(self) -> Range<u32> {
        value(&self.0[2])..value(&self.0[3])
    }

    #[inline(always)]
    pub(crate) fn resource_types(self) -> Range<u32> {
        value(&self.0[4])..value(&self.0[5])
    }

    #[inline(always)]
    pub(crate) fn condition_keys(self) -> Range<u32> {
        value(&self.0[6])..value(&self.0[7])
    }
}

/// The actions, by service then lower-case name: service index, name, access level (see
/// [`access_level_code`]), its range in `ACTION_RESOURCE_TYPES`, then the ranges in
/// `NAME_LISTS` of its condition keys and its dependent actions.
pub(crate) type Actions = Rows<9>;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionRow(&'static [Word; 9]);

impl Actions {
    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<ActionRow> {
        // As in `Numbers::get`.
        if index < self.0.len() {
            Some(ActionRow(&self.0[index]))
        } else {
            None
        }
    }

    /// The rows in `range` (none where it is out of bounds), as a table of their own.
    pub(crate) fn range(self, range: Range<usize>) -> Self {
        Self(self.0.get(range).unwrap_or_default())
    }
}

impl ActionRow {
    pub(crate) const EMPTY: Self = Self(&[
        [0; 4], NONE, [0; 4], [0; 4], [0; 4], [0; 4], [0; 4], [0; 4], [0; 4],
    ]);

    #[inline(always)]
    pub(crate) fn service(self) -> u32 {
        value(&self.0[0])
    }

    #[inline(always)]
    pub(crate) fn name(self) -> u32 {
        value(&self.0[1])
    }

    pub(crate) fn access_level(self) -> AccessLevel {
        match value(&self.0[2]) {
            1 => AccessLevel::Read,
            2 => AccessLevel::Write,
            3 => AccessLevel::PermissionsManagement,
            4 => AccessLevel::Tagging,
            _ => AccessLevel::List,
        }
    }

    #[inline(always)]
    pub(crate) fn resource_types(self) -> Range<u32> {
        value(&self.0[3])..value(&self.0[4])
    }

    #[inline(always)]
    pub(crate) fn condition_keys(self) -> Range<u32> {
        value(&self.0[5])..value(&self.0[6])
    }

    #[inline(always)]
    pub(crate) fn dependent_actions(self) -> Range<u32> {
        value(&self.0[7])..value(&self.0[8])
    }
}

/// The number an access level is stored as.
pub const fn access_level_code(level: AccessLevel) -> u32 {
    match level {
        AccessLevel::List => 0,
        AccessLevel::Read => 1,
        AccessLevel::Write => 2,
        AccessLevel::PermissionsManagement => 3,
        AccessLevel::Tagging => 4,
    }
}

/// The resource types as each action lists them: index in `RESOURCE_TYPES`, required (1) or
/// not (0), then the ranges in `NAME_LISTS` of the condition keys and dependent actions listed
/// on that line.
pub(crate) type ActionResourceTypes = Rows<6>;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionResourceTypeRow(&'static [Word; 6]);

impl ActionResourceTypes {
    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<ActionResourceTypeRow> {
        // As in `Numbers::get`.
        if index < self.0.len() {
            Some(ActionResourceTypeRow(&self.0[index]))
        } else {
            None
        }
    }
}

impl ActionResourceTypeRow {
    pub(crate) const EMPTY: Self = Self(&[NONE, [0; 4], [0; 4], [0; 4], [0; 4], [0; 4]]);

    #[inline(always)]
    pub(crate) fn resource_type(self) -> u32 {
        value(&self.0[0])
    }

    #[inline(always)]
    pub(crate) fn required(self) -> bool {
        value(&self.0[1]) != 0
    }

    #[inline(always)]
    pub(crate) fn condition_keys(self) -> Range<u32> {
        value(&self.0[2])..value(&self.0[3])
    }

    #[inline(always)]
    pub(crate) fn dependent_actions(self) -> Range<u32> {
        value(&self.0[4])..value(&self.0[5])
    }
}

/// The resource types, by service then lower-case name: service index, name, ARN format, then
/// the range of its condition keys in `NAME_LISTS`.
pub(crate) type ResourceTypes = Rows<5>;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ResourceTypeRow(&'static [Word; 5]);

impl ResourceTypes {
    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<ResourceTypeRow> {
        // As in `Numbers::get`.
        if index < self.0.len() {
            Some(ResourceTypeRow(&self.0[index]))
        } else {
            None
        }
    }
}

impl ResourceTypeRow {
    pub(crate) const EMPTY: Self = Self(&[[0; 4], NONE, NONE, [0; 4], [0; 4]]);

    #[inline(always)]
    pub(crate) fn service(self) -> u32 {
        value(&self.0[0])
    }

    #[inline(always)]
    pub(crate) fn name(self) -> u32 {
        value(&self.0[1])
    }

    #[inline(always)]
    pub(crate) fn arn_format(self) -> u32 {
        value(&self.0[2])
    }

    #[inline(always)]
    pub(crate) fn condition_keys(self) -> Range<u32> {
        value(&self.0[3])..value(&self.0[4])
    }
}

/// The condition keys as each service lists them, by service then lower-case name: service
/// index, name, value type (see [`condition_key_type_code`]).
pub(crate) type ConditionKeys = Rows<3>;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ConditionKeyRow(&'static [Word; 3]);

impl ConditionKeys {
    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<ConditionKeyRow> {
        // As in `Numbers::get`.
        if index < self.0.len() {
            Some(ConditionKeyRow(&self.0[index]))
        } else {
            None
        }
    }
}

impl ConditionKeyRow {
    #[inline(always)]
    pub(crate) fn service(self) -> u32 {
        value(&self.0[0])
    }

    #[inline(always)]
    pub(crate) fn name(self) -> u32 {
        value(&self.0[1])
    }

    pub(crate) fn value_type(self) -> ConditionKeyType {
        CONDITION_KEY_TYPES
            .get(value(&self.0[2]) as usize)
            .copied()
            .unwrap_or(ConditionKeyType::String)
    }
}

/// The value types a service's key may have, in the order of their stored numbers (the
/// global-only `Date or Numeric` is not one of them).
const CONDITION_KEY_TYPES: [ConditionKeyType; 13] = [
    ConditionKeyType::String,
    ConditionKeyType::Arn,
    ConditionKeyType::Bool,
    ConditionKeyType::Numeric,
    ConditionKeyType::Date,
    ConditionKeyType::IpAddress,
    ConditionKeyType::Binary,
    ConditionKeyType::ArrayOfString,
    ConditionKeyType::ArrayOfArn,
    ConditionKeyType::ArrayOfBool,
    ConditionKeyType::ArrayOfNumeric,
    ConditionKeyType::ArrayOfDate,
    ConditionKeyType::ArrayOfIpAddress,
];

/// The number a service key's value type is stored as; `None` for a type no service key has.
pub fn condition_key_type_code(value_type: ConditionKeyType) -> Option<u32> {
    let position = CONDITION_KEY_TYPES
        .iter()
        .position(|&listed| listed == value_type)?;
    u32::try_from(position).ok()
}

/// A string number that names no string: an empty row's name reads as "".
const NONE: Word = u32::MAX.to_le_bytes();
