//! Action and service names: the case-insensitive order of the tables, and IAM's wildcards
//! (`*`, `?`) matched against names.

use std::cmp::Ordering;

/// Compares as if both were lower-cased (the order the importer sorts the tables in). A plain
/// loop: this runs in every binary search, and the macro runs it unoptimized.
pub fn compare_ignore_case(a: &str, b: &str) -> Ordering {
    compare_bytes_ignore_case(a.as_bytes(), b.as_bytes())
}

/// [`compare_ignore_case`] on the bytes of two strings.
pub(crate) fn compare_bytes_ignore_case(a: &[u8], b: &[u8]) -> Ordering {
    // Names compared in a search mostly share a prefix spelled the same way (`Describe...`):
    // skip it eight bytes at a time, as bytes equal as they are are equal lower-cased.
    let mut same = 0;
    for (x, y) in a.as_chunks::<8>().0.iter().zip(b.as_chunks::<8>().0) {
        if x != y {
            break;
        }
        same += 8;
    }
    let (a, b) = (
        a.get(same..).unwrap_or_default(),
        b.get(same..).unwrap_or_default(),
    );
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// An action or service name pattern: IAM's `*` (any run of characters) and `?` (one
/// character), ignoring ASCII case. Lower-cased once, as it is matched against many names.
/// Names in the reference are ASCII, so bytes are characters here.
pub(crate) struct NamePattern {
    /// The texts between the `*`s.
    pieces: Vec<Vec<u8>>,
}

impl NamePattern {
    pub(crate) fn new(pattern: &str) -> Self {
        let pattern = pattern.as_bytes().to_ascii_lowercase();
        NamePattern {
            pieces: pattern
                .split(|&byte| byte == b'*')
                .map(<[u8]>::to_vec)
                .collect(),
        }
    }

    pub(crate) fn matches(&self, name: &[u8]) -> bool {
        // `*Job*`, the usual pattern that is not a run of names and so is tried on every name
        // of its service: one search, without the general matcher's steps around it.
        if let [first, piece, last] = &self.pieces[..]
            && first.is_empty()
            && last.is_empty()
            && !piece.is_empty()
        {
            return find_name_piece(piece, name).is_some();
        }
        let pieces = self.pieces.iter().map(Vec::as_slice);
        wildcard_match_with(
            pieces,
            name,
            |piece, run| units_fit(piece, run, name_byte_fits),
            find_name_piece,
        )
    }
}

/// Whether a name's byte `c` fits the lower-cased pattern byte `unit`, ignoring case: a
/// lower-case letter is `c` with bit 5 set, anything else `c` itself.
fn name_byte_fits(unit: u8, c: u8) -> bool {
    unit == b'?' || unit == c | case_bit(unit)
}

/// What a name's byte is OR-ed with before it is compared with `unit`, see [`name_byte_fits`].
fn case_bit(unit: u8) -> u8 {
    if unit.is_ascii_lowercase() { 0x20 } else { 0 }
}

/// The first place of a lower-cased, non-empty `piece` in `name`. The places where its first
/// byte fits are found eight at a time: a piece is mostly looked for in every action name of
/// a service (`sagemaker:*Job*`).
fn find_name_piece(piece: &[u8], name: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    let &lead = piece.first()?;
    let last_place = name.len().checked_sub(piece.len())?;
    if lead == b'?' {
        return first_place(piece, name, name_byte_fits);
    }
    let fits_at = |at: usize| {
        name.get(at..at + piece.len()).is_some_and(|run| {
            piece
                .iter()
                .zip(run)
                .all(|(&unit, &c)| name_byte_fits(unit, c))
        })
    };
    let (lead_word, case_word) = (u64::from(lead) * ONES, u64::from(case_bit(lead)) * ONES);
    // The places in the word of `name` at byte `start` where the piece fits: `Err(())` once
    // past the last place.
    let scan = |start: usize, word: u64| -> Result<Option<usize>, ()> {
        // A zero byte where the name's byte fits `lead`. The lowest flag is exact, higher ones
        // may be false; each place is checked whole anyway.
        let differences = (word | case_word) ^ lead_word;
        let mut flags = differences.wrapping_sub(ONES) & !differences & HIGH;
        while flags != 0 {
            let at = start + flags.trailing_zeros() as usize / 8;
            if at > last_place {
                return Err(());
            }
            if fits_at(at) {
                return Ok(Some(at));
            }
            flags &= flags - 1;
        }
        Ok(None)
    };
    let (words, rest) = name.as_chunks::<8>();
    for (start, word) in (0..).step_by(8).zip(words) {
        match scan(start, u64::from_le_bytes(*word)) {
            Ok(None) => {}
            Ok(found) => return found,
            Err(()) => return None,
        }
    }
    if rest.is_empty() {
        return None;
    }
    // The last bytes, padded with zeros to a word (places past the last are ignored): the
    // name's last eight bytes shifted, or byte by byte for a short name.
    let rest_word = match name.last_chunk::<8>() {
        Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - rest.len())),
        None => rest
            .iter()
            .rev()
            .fold(0, |word, &byte| (word << 8) | u64::from(byte)),
    };
    scan(name.len() - rest.len(), rest_word).ok().flatten()
}

/// The first place of the non-empty `piece` in `text`, trying each: the first unit alone rules
/// out most places.
fn first_place<T: Copy>(
    piece: &[T],
    text: &[T],
    unit_fits: impl Fn(T, T) -> bool,
) -> Option<usize> {
    let (&lead, piece_rest) = piece.split_first()?;
    text.windows(piece.len()).position(|run| {
        run.split_first().is_some_and(|(&c, run_rest)| {
            unit_fits(lead, c)
                && piece_rest
                    .iter()
                    .zip(run_rest)
                    .all(|(&unit, &c)| unit_fits(unit, c))
        })
    })
}

/// IAM's wildcard match: `star` matches any run of elements, `one` exactly one, and `same`
/// compares the others (and holds for equal units). Generic so that each caller chooses the
/// unit (bytes, or characters where text may be non-ASCII) and whether case matters (names:
/// no; ARNs: yes).
pub fn wildcard_match_by<T: Copy + PartialEq>(
    pattern: &[T],
    text: &[T],
    star: T,
    one: T,
    same: impl Fn(T, T) -> bool,
) -> bool {
    let unit_fits = |unit: T, c: T| unit == one || same(unit, c);
    let pieces = pattern.split(|&unit| unit == star);
    wildcard_match_with(
        pieces,
        text,
        // A piece spelled as its place is, the usual case of a match, is compared as a whole
        // (bytes: one memory comparison) before unit by unit.
        |piece, run| piece == run || units_fit(piece, run, unit_fits),
        |piece, text| first_place(piece, text, unit_fits),
    )
}

/// Whether each unit of `piece` fits the unit of `run` at its place (`run` as long).
fn units_fit<T: Copy>(piece: &[T], run: &[T], unit_fits: impl Fn(T, T) -> bool) -> bool {
    piece.len() == run.len() && piece.iter().zip(run).all(|(&unit, &c)| unit_fits(unit, c))
}

/// [`wildcard_match_by`] on a pattern split at its stars into `pieces`, with `fits` (whether
/// a piece fits a run of the text, `false` when they differ in length) and `find` (the first
/// place of a non-empty piece in a text) chosen by the caller.
fn wildcard_match_with<'p, T: Copy + 'p>(
    mut pieces: impl DoubleEndedIterator<Item = &'p [T]>,
    text: &[T],
    fits: impl Fn(&[T], &[T]) -> bool,
    find: impl Fn(&[T], &[T]) -> Option<usize>,
) -> bool {
    // The pieces between stars have fixed lengths: the first must open the text, the last end
    // it, and the others follow in order in between. Taking each of those at its first place
    // leaves the most room for the rest, so no backtracking is needed, and a piece is looked
    // for as a run of unit compares rather than one step of a general matcher per unit.
    let first = pieces.next().unwrap_or_default();
    let Some(last) = pieces.next_back() else {
        return fits(first, text);
    };
    if first.len() + last.len() > text.len() {
        return false;
    }
    let (head, rest) = text.split_at(first.len());
    let (mut middle, tail) = rest.split_at(rest.len() - last.len());
    if !fits(first, head) || !fits(last, tail) {
        return false;
    }
    // `**` leaves an empty piece, which fits anywhere.
    for piece in pieces.filter(|piece| !piece.is_empty()) {
        match find(piece, middle) {
            Some(at) => middle = middle.get(at + piece.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_order_is_lower_case_byte_order() {
        assert_eq!(
            compare_ignore_case("StartSession", "startsession"),
            Ordering::Equal
        );
        assert_eq!(compare_ignore_case("ssm", "ssm-contacts"), Ordering::Less);
        assert_eq!(compare_ignore_case("ssm-contacts", "ssm:x"), Ordering::Less);
        assert_eq!(compare_ignore_case("B", "a"), Ordering::Greater);
        // Past the eight-byte blocks that are spelled the same.
        let order = |a: &str, b: &str| a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase());
        let names = [
            "DescribeInstances",
            "describeinstances",
            "DescribeInstancesX",
            "DescribeInstanceStatus",
            "DescribeImages",
            "Describe",
            "DescribeZ",
            "describ",
            "",
        ];
        for a in names {
            for b in names {
                assert_eq!(compare_ignore_case(a, b), order(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn wildcards() {
        assert!(NamePattern::new("Start*").matches(b"StartSession"));
        assert!(NamePattern::new("start*").matches(b"StartSession"));
        assert!(NamePattern::new("Get?bject").matches(b"GetObject"));
        assert!(!NamePattern::new("Get?bject").matches(b"GetObjects"));
        assert!(NamePattern::new("*Session*").matches(b"StartSession"));
        assert!(NamePattern::new("*").matches(b""));
        assert!(!NamePattern::new("?").matches(b""));
        assert!(NamePattern::new("a*b*c").matches(b"axxbyyc"));
        assert!(!NamePattern::new("a*b*c").matches(b"axxbyy"));
    }

    /// IAM's definition, followed literally: `*` takes none or one more unit, `?` one.
    fn matches_by_definition(pattern: &[u8], text: &[u8]) -> bool {
        match (pattern.split_first(), text.split_first()) {
            (None, _) => text.is_empty(),
            (Some((b'*', rest)), _) => {
                matches_by_definition(rest, text)
                    || text
                        .split_first()
                        .is_some_and(|(_, shorter)| matches_by_definition(pattern, shorter))
            }
            (Some((&unit, rest)), Some((&c, text_rest))) => {
                (unit == b'?' || unit.eq_ignore_ascii_case(&c))
                    && matches_by_definition(rest, text_rest)
            }
            (Some(_), None) => false,
        }
    }

    /// Every pattern over `a`, `B`, `*`, `?` up to 5 units against every text over `a`, `b`, `A`
    /// up to 5.
    #[test]
    fn wildcards_agree_with_the_definition() {
        fn all(alphabet: &[u8], up_to: usize) -> Vec<Vec<u8>> {
            let mut found = vec![Vec::new()];
            let mut last = vec![Vec::new()];
            for _ in 0..up_to {
                last = last
                    .iter()
                    .flat_map(|word: &Vec<u8>| {
                        alphabet
                            .iter()
                            .map(move |&unit| [word.as_slice(), &[unit]].concat())
                    })
                    .collect();
                found.extend(last.iter().cloned());
            }
            found
        }
        let texts = all(b"abA", 5);
        for pattern in all(b"aB*?", 5) {
            let shown_pattern = String::from_utf8_lossy(&pattern);
            let name_pattern = NamePattern::new(&shown_pattern);
            for text in &texts {
                let expected = matches_by_definition(&pattern, text);
                let shown_text = String::from_utf8_lossy(text);
                assert_eq!(
                    wildcard_match_by(&pattern, text, b'*', b'?', |a, b| a
                        .eq_ignore_ascii_case(&b)),
                    expected,
                    "{shown_pattern:?} {shown_text:?}"
                );
                assert_eq!(
                    name_pattern.matches(text),
                    expected,
                    "{shown_pattern:?} {shown_text:?}"
                );
            }
        }
        // Pieces found eight bytes at a time: places in every word and in the padded rest,
        // false flags above a fitting byte, and bytes that differ from the piece's only in
        // bit 5.
        let cases = [
            ("*job*", "SendMessageBatchToJobQueueAndJobs", true),
            ("*JOBS", "SendMessageBatchToJobQueueAndJobs", true),
            ("*obq*", "SendMessageBatchToJobQueueAndJobs", true),
            ("*jobz*", "SendMessageBatchToJobQueueAndJobs", false),
            ("*s*m*b*j*q*j*", "SendMessageBatchToJobQueueAndJobs", true),
            ("*ab*", "SendMessageBatchToJobQueueAndJobs", false),
            ("*?ueue*", "SendMessageBatchToJobQueueAndJobs", true),
            ("*Queue?nd*", "SendMessageBatchToJobQueueAndJobs", true),
            ("*1*", "a\x11b", false),
            ("*-*", "a\rb", false),
            ("*@a*", "x`a@a", true),
            ("*aa*", "xxxxxxx\x01aa", true),
            ("*\x01a*", "xxxxxxx\x00\x01a", true),
            ("*\x00*", "abc", false),
            ("*b\x00*", "xxxxxxxab", false),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(
                matches_by_definition(pattern.as_bytes(), name.as_bytes()),
                expected,
                "{pattern:?} {name:?}"
            );
            assert_eq!(
                NamePattern::new(pattern).matches(name.as_bytes()),
                expected,
                "{pattern:?} {name:?}"
            );
        }
    }
}
