//! Row layouts of the generated tables in `data.rs`. Rows refer to strings by number (see
//! [`crate::text`]) and to other rows by index; `start, end` pairs are half-open ranges. Plain
//! numbers keep the generated file cheap to compile and free to load (nothing is parsed at
//! start-up). The `..._SLOTS` tables are hashed indexes of rows by name (see `index.rs`).

pub(crate) use crate::{AccessLevel, ConditionKeyType};

/// A service: prefix, name, then the ranges of its rows in `ACTIONS`, `RESOURCE_TYPES` and
/// `CONDITION_KEYS` (each sorted by lower-case name).
#[derive(Debug)]
pub(crate) struct ServiceRow(
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
);

/// An action: service index, name, access level, its range in `ACTION_RESOURCE_TYPES`, then
/// the ranges in `NAME_LISTS` of its condition keys and its dependent actions.
#[derive(Debug)]
pub(crate) struct ActionRow(
    pub(crate) u16,
    pub(crate) u32,
    pub(crate) AccessLevel,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
);

/// A resource type as one action lists it: index in `RESOURCE_TYPES`, required or not, then
/// the ranges in `NAME_LISTS` of the condition keys and dependent actions listed on that line.
#[derive(Debug)]
pub(crate) struct ActionResourceTypeRow(
    pub(crate) u32,
    pub(crate) bool,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
);

/// A resource type: service index, name, ARN format, range of its condition keys in
/// `NAME_LISTS`.
#[derive(Debug)]
pub(crate) struct ResourceTypeRow(
    pub(crate) u16,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
    pub(crate) u32,
);

/// A condition key as one service lists it: service index, name, value type.
#[derive(Debug)]
pub(crate) struct ConditionKeyRow(pub(crate) u16, pub(crate) u32, pub(crate) ConditionKeyType);

// Handles are only made from valid indices. These empty rows stand in for a row that is missing
// anyway, so an accessor never needs to panic (the string and list ranges are empty).
pub(crate) static EMPTY_SERVICE: ServiceRow = ServiceRow(u32::MAX, u32::MAX, 0, 0, 0, 0, 0, 0);
pub(crate) static EMPTY_ACTION: ActionRow =
    ActionRow(0, u32::MAX, AccessLevel::List, 0, 0, 0, 0, 0, 0);
pub(crate) static EMPTY_ACTION_RESOURCE_TYPE: ActionResourceTypeRow =
    ActionResourceTypeRow(u32::MAX, false, 0, 0, 0, 0);
pub(crate) static EMPTY_RESOURCE_TYPE: ResourceTypeRow =
    ResourceTypeRow(0, u32::MAX, u32::MAX, 0, 0);
