//! The last few answers of a look-up that depends on a short text alone, kept per thread: the
//! policies of one run (a simulate file's scenarios, a repository's policies) name resources
//! and actions with few partitions, accounts and wildcards, so a policy mostly asks what an
//! earlier one asked already. Bounded: a handful of entries, each replaced in turn. The rules
//! keep their own answers in one too (the ARNs that checked clean).

use std::cell::RefCell;
use std::thread::LocalKey;

/// The longest text a [`Recent`] keeps: longer ones are looked up each time.
pub const KEY_WIDTH: usize = 48;

/// Up to `N` answers of type `V`, each by a tag (what else the answer depends on, such as the
/// service) and a text of up to [`KEY_WIDTH`] bytes.
#[derive(Debug)]
pub struct Recent<V, const N: usize> {
    entries: [Entry<V>; N],
    /// The entry the next new answer replaces.
    next: usize,
}

#[derive(Debug)]
struct Entry<V> {
    tag: (usize, usize),
    key: [u8; KEY_WIDTH],
    /// The text's length; 0 for an entry not filled yet (an empty text is never kept).
    length: usize,
    /// `None` only in an entry not filled yet.
    value: Option<V>,
}

impl<V: Clone, const N: usize> Recent<V, N> {
    /// No answers yet.
    #[expect(
        clippy::new_without_default,
        reason = "const, for a `thread_local!` initializer"
    )]
    pub const fn new() -> Self {
        Recent {
            entries: [const {
                Entry {
                    tag: (0, 0),
                    key: [0; KEY_WIDTH],
                    length: 0,
                    value: None,
                }
            }; N],
            next: 0,
        }
    }

    /// Whether `key` is a text this memo keeps: not empty, and not longer than [`KEY_WIDTH`].
    pub fn keeps(key: &[u8]) -> bool {
        (1..=KEY_WIDTH).contains(&key.len())
    }

    /// The answer kept for `tag` and `key`, if any.
    pub fn get(&self, tag: (usize, usize), key: &[u8]) -> Option<V> {
        self.entries
            .iter()
            .find(|entry| {
                entry.length == key.len()
                    && entry.tag == tag
                    && entry.key.get(..key.len()) == Some(key)
            })
            .and_then(|entry| entry.value.clone())
    }

    /// The answer for `tag` and `key` kept in `memo` (a thread's), else what `find` gives, kept
    /// there for the next time; a text the memo does not keep is always looked up.
    pub fn remembered(
        memo: &'static LocalKey<RefCell<Self>>,
        tag: (usize, usize),
        key: &[u8],
        find: impl FnOnce() -> V,
    ) -> V {
        if !Self::keeps(key) {
            return find();
        }
        if let Some(known) = memo.with_borrow(|recent| recent.get(tag, key)) {
            return known;
        }
        let found = find();
        memo.with_borrow_mut(|recent| recent.put(tag, key, found.clone()));
        found
    }

    /// Keeps `value` for `tag` and `key` (a text [`Self::keeps`]), in place of the oldest answer.
    pub fn put(&mut self, tag: (usize, usize), key: &[u8], value: V) {
        if !Self::keeps(key) {
            return;
        }
        if let Some(entry) = self.entries.get_mut(self.next)
            && let Some(room) = entry.key.get_mut(..key.len())
        {
            room.copy_from_slice(key);
            entry.tag = tag;
            entry.length = key.len();
            entry.value = Some(value);
        }
        self.next = (self.next + 1) % N;
    }
}

#[cfg(test)]
mod tests {
    use super::{KEY_WIDTH, Recent};
    use std::cell::{Cell, RefCell};

    #[test]
    fn keeps_the_last_answers_by_tag_and_text() {
        let mut recent: Recent<u32, 2> = Recent::new();
        assert_eq!(recent.get((1, 0), b"s3"), None);
        recent.put((1, 0), b"s3", 10);
        recent.put((2, 0), b"s3", 20);
        assert_eq!(recent.get((1, 0), b"s3"), Some(10));
        assert_eq!(recent.get((2, 0), b"s3"), Some(20));
        // A prefix or a longer text is another key.
        assert_eq!(recent.get((1, 0), b"s"), None);
        assert_eq!(recent.get((1, 0), b"s3x"), None);
        // The oldest answer makes room for a new one.
        recent.put((3, 0), b"ec2", 30);
        assert_eq!(recent.get((1, 0), b"s3"), None);
        assert_eq!(recent.get((3, 0), b"ec2"), Some(30));
        // Empty and overlong texts are never kept.
        recent.put((4, 0), b"", 40);
        assert_eq!(recent.get((4, 0), b""), None);
        let long = [b'a'; KEY_WIDTH + 1];
        recent.put((5, 0), &long, 50);
        assert_eq!(recent.get((5, 0), &long), None);
    }

    #[test]
    fn remembered_looks_up_a_kept_text_once() {
        thread_local! {
            static MEMO: RefCell<Recent<usize, 2>> = const { RefCell::new(Recent::new()) };
        }
        let lookups = Cell::new(0);
        let find = |answer| {
            lookups.set(lookups.get() + 1);
            answer
        };
        assert_eq!(Recent::remembered(&MEMO, (0, 0), b"s3", || find(1)), 1);
        assert_eq!(Recent::remembered(&MEMO, (0, 0), b"s3", || find(2)), 1);
        assert_eq!(lookups.get(), 1);
        // A text the memo does not keep is looked up every time.
        let long = [b'a'; KEY_WIDTH + 1];
        assert_eq!(Recent::remembered(&MEMO, (0, 0), &long, || find(3)), 3);
        assert_eq!(Recent::remembered(&MEMO, (0, 0), &long, || find(4)), 4);
        assert_eq!(lookups.get(), 3);
    }
}
