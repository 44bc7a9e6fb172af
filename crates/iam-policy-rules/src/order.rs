//! Sorting by a computed order, written once. The standard library's sort is compiled anew for
//! every element type and comparison it is given (some 4,000 lines of LLVM IR each, a stable sort
//! more), so the crate's stable sorts and its sorts off the lint's common path sort positions
//! through the one comparison here instead. Sorts that run for most statements stay in place:
//! there, the positions' allocation and the indirect compares would cost lint time.

use std::cmp::Ordering;

/// `positions` (indices into some list) in the order `compare` gives, equal ones in their
/// numeric order: what a stable sort of `0..n` by `compare` gives.
// `iam-policy-core`'s `compose` sorts with it too.
#[doc(hidden)]
pub fn sort_positions(positions: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    positions.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
}

/// The positions of a list of `len` items in the order `compare` gives, equal ones in list
/// order.
// `iam-policy-core`'s `compose` sorts with it too.
#[doc(hidden)]
pub fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    sort_positions(&mut positions, compare);
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_items_keep_their_list_order() {
        let keys = [3, 1, 3, 0, 1];
        let key = |index: usize| keys.get(index).copied();
        let order = sorted_positions(keys.len(), &|a, b| key(a).cmp(&key(b)));
        assert_eq!(order, [3, 1, 4, 0, 2]);
    }
}
