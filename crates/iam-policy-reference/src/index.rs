//! Hashed name indexes: the importer builds them into the generated tables with
//! [`build_hashed_index`], and look-ups hash the same way. A name is then found in about one
//! probe and one compare, where a binary search made a dozen case-insensitive string compares.
//!
//! Layout: open addressing with linear probing over a power-of-two number of slots, each
//! [`EMPTY_SLOT`] or a row number in the bits that index a slot, the rest of its name's hash
//! above them; at most three slots in four are used, so a probe sequence for an absent name
//! ends soon at an empty slot. The hash bits in the slot rule out the other names of a probe
//! sequence without reading their rows and strings (each a likely cache miss).
//!
//! Changing the hash or the layout makes the committed indexes unreadable, and the `policy!`
//! samples that `cargo xtask export` compiles then fail their look-ups: regenerate with the
//! importer alone, `cargo run -p xtask --no-default-features -- reference import PATH...`, which
//! compiles no policy.

use crate::table::{Word, value};

/// A slot with no row.
pub(crate) const EMPTY_SLOT: u32 = u32::MAX;

/// Hash of `name` lower-cased (ASCII), mixed with `seed` (a service's number, so that the same
/// action name in two services lands in different slots). Eight bytes at a time: this runs on
/// every look-up, and the macro runs this crate unoptimized. A `const fn` (hence the plain
/// loops), so that small fixed tables can be indexed at compile time.
const fn name_hash(seed: u32, name: &[u8]) -> u32 {
    let (mut words, rest) = name.as_chunks::<8>();
    let mut hash = (((seed as u64) << 32) | name.len() as u64).wrapping_mul(HASH_FACTOR);
    while let [word, later @ ..] = words {
        hash = mix(hash, u64::from_le_bytes(*word));
        words = later;
    }
    if !rest.is_empty() {
        // The last bytes as a little-endian word padded with zeros: the name's last eight
        // bytes shifted, or byte by byte for a short name.
        let last = match name.last_chunk::<8>() {
            Some(tail) => u64::from_le_bytes(*tail) >> (8 * (8 - rest.len())),
            None => {
                let (mut last, mut bytes) = (0, rest);
                while let [earlier @ .., byte] = bytes {
                    last = (last << 8) | *byte as u64;
                    bytes = earlier;
                }
                last
            }
        };
        hash = mix(hash, last);
    }
    // The high half of a product depends on every bit of the input.
    (hash.wrapping_mul(HASH_FACTOR) >> 32) as u32
}

const HASH_FACTOR: u64 = 0x517c_c1b7_2722_0a95;

const fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ lower_case_word(word)).wrapping_mul(HASH_FACTOR)
}

/// `u8::to_ascii_lowercase` on each byte of `word` at once: adds 0x20 to the bytes `A`..=`Z`.
const fn lower_case_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    let low7 = word & !HIGH;
    // Bit 7 of each byte: set where its low seven bits are at least `A`, and at most `Z`.
    let at_least_a = low7 + (0x80 - b'A' as u64) * ONES;
    let above_z = low7 + (0x80 - b'Z' as u64 - 1) * ONES;
    let upper = at_least_a & !above_z & !word & HIGH;
    word | (upper >> 2)
}

/// How many slots an index of `rows` rows has: the smallest power of two of which they use at
/// most three in four.
pub(crate) const fn slot_count(rows: usize) -> usize {
    let mut size = 1;
    while size * 3 < rows * 4 + 1 {
        size *= 2;
    }
    size
}

/// Files `row` under `(seed, name)` in `slots`, made of [`slot_count`] slots. A row number is
/// below three quarters of the slot count, so it fits the slot-index bits without setting all
/// of them: a filed slot is never [`EMPTY_SLOT`].
pub(crate) const fn place(slots: &mut [u32], seed: u32, name: &[u8], row: u32) {
    let mask = slots.len() - 1;
    let hash = name_hash(seed, name);
    let mut slot = hash as usize & mask;
    while slots[slot] != EMPTY_SLOT {
        slot = (slot + 1) & mask;
    }
    slots[slot] = row | (hash & !(mask as u32));
}

/// The slots for `rows` (seed, name, row number), for the importer. Rows are placed in the
/// order given, so the result is deterministic.
pub fn build_hashed_index<'a>(rows: impl IntoIterator<Item = (u32, &'a str, u32)>) -> Vec<u32> {
    let rows: Vec<(u32, &str, u32)> = rows.into_iter().collect();
    let mut slots = vec![EMPTY_SLOT; slot_count(rows.len())];
    for (seed, name, row) in rows {
        place(&mut slots, seed, name.as_bytes(), row);
    }
    slots
}

/// The row in `slots` for which `is_row` holds, among those filed under `(seed, name)`.
pub(crate) fn find_hashed(
    slots: &[Word],
    seed: u32,
    name: &[u8],
    is_row: impl Fn(u32) -> bool,
) -> Option<u32> {
    let mask = slots.len().wrapping_sub(1);
    let row_bits = mask as u32;
    let hash = name_hash(seed, name);
    let start = hash as usize;
    for probe in 0..slots.len() {
        let filed = value(slots.get(start.wrapping_add(probe) & mask)?);
        if filed == EMPTY_SLOT {
            return None;
        }
        // Another name's slot, mostly, told by its hash bits alone.
        if (filed ^ hash) & !row_bits == 0 && is_row(filed & row_bits) {
            return Some(filed & row_bits);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slots as the generated image stores them.
    fn stored(slots: &[u32]) -> Vec<Word> {
        slots.iter().map(|slot| slot.to_le_bytes()).collect()
    }

    #[test]
    fn words_lower_case_like_bytes() {
        let samples: [&[u8; 8]; 4] = [
            b"AZaz@[`{",
            b"Describe",
            b"\x80\xc1\xdaAZ0-_",
            b"\xff\xfe\x41\x5a\x5b\x40\x00\x7f",
        ];
        for sample in samples {
            let word = u64::from_le_bytes(*sample);
            let expected = u64::from_le_bytes(sample.map(|byte| byte.to_ascii_lowercase()));
            assert_eq!(lower_case_word(word), expected, "{sample:?}");
        }
        for byte in 0..=u8::MAX {
            let word = u64::from_le_bytes([byte; 8]);
            let expected = u64::from_le_bytes([byte.to_ascii_lowercase(); 8]);
            assert_eq!(lower_case_word(word), expected, "{byte}");
        }
    }

    #[test]
    fn names_are_found_ignoring_case_and_absent_ones_are_not() {
        let rows = [
            (7, "StartSession"),
            (7, "startsessions"),
            (8, "GetObject"),
            (7, "DescribeInstances"),
        ];
        let slots = build_hashed_index(
            rows.iter()
                .zip(0..)
                .map(|((seed, name), row)| (*seed, *name, row)),
        );
        assert!(slots.len().is_power_of_two() && slots.len() * 3 >= rows.len() * 4);
        let find = |seed, name: &str| {
            find_hashed(&stored(&slots), seed, name.as_bytes(), |row| {
                rows.get(row as usize)
                    .is_some_and(|listed| listed.0 == seed && listed.1.eq_ignore_ascii_case(name))
            })
        };
        assert_eq!(find(7, "STARTSESSION"), Some(0));
        assert_eq!(find(7, "describeinstances"), Some(3));
        assert_eq!(find(8, "getobject"), Some(2));
        assert_eq!(find(7, "StartSessio"), None);
        assert_eq!(find(7, "GetObject"), None);
        assert_eq!(
            find_hashed(&stored(&build_hashed_index([])), 0, b"x", |_| true),
            None
        );
    }

    #[test]
    fn hash_bits_in_slots_spare_reading_other_rows() {
        let names: Vec<String> = (0..300).map(|number| format!("Action{number}")).collect();
        let slots =
            build_hashed_index(names.iter().zip(0..).map(|(name, row)| (1, &name[..], row)));
        for (name, row) in names.iter().zip(0..) {
            let read = std::cell::RefCell::new(Vec::new());
            let found = find_hashed(&stored(&slots), 1, name.as_bytes(), |candidate| {
                read.borrow_mut().push(candidate);
                candidate == row
            });
            assert_eq!(found, Some(row), "{name}");
            // Only rows filed under the very same hash are read.
            let hash = name_hash(1, name.as_bytes());
            for other in read.into_inner() {
                let other_name = names.get(other as usize).map_or("", String::as_str);
                assert_eq!(
                    name_hash(1, other_name.as_bytes()),
                    hash,
                    "{name}: {other_name}"
                );
            }
        }
    }
}
