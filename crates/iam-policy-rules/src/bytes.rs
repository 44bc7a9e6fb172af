//! Searches of text eight bytes at a time, shared by the parser and the rules: most of a policy is
//! strings, and every one of them is scanned (for the end of the literal, wildcards, variables,
//! the colon of an action), so a word-at-a-time test instead of a loop over bytes pays off.

/// The length of the run of bytes at the start of `bytes` that a string literal holds as they
/// are: up to the first `"`, `\` or control character. Most of a policy is strings, so they
/// are scanned eight bytes at a time.
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    let (words, tail) = bytes.as_chunks::<8>();
    for (index, word) in words.iter().enumerate() {
        let special = string_specials(u64::from_le_bytes(*word));
        if special != 0 {
            // The lowest flagged byte comes first in the text.
            return index * 8 + special.trailing_zeros() as usize / 8;
        }
    }
    words.len() * 8
        + tail
            .iter()
            .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
            .unwrap_or(tail.len())
}

pub(crate) const ONES: u64 = u64::from_le_bytes([0x01; 8]);
pub(crate) const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);

/// The bytes of `word` (eight bytes of text, first byte lowest) equal to `byte`: the high bit
/// of the first such byte is set, and of none before it. Bytes after it may be flagged wrongly
/// (a borrow runs on), which is why only the lowest flag or a zero test may be relied on. The
/// text scans of the parser and the rules all test words with it.
#[inline]
pub(crate) fn byte_marks(word: u64, byte: u8) -> u64 {
    // `x - 1` reaches the high bit of a byte that is zero, and `word ^ byte..` is zero where
    // `word` has `byte`; `& !x` drops the bytes whose high bit was set already.
    let difference = word ^ (ONES * u64::from(byte));
    difference.wrapping_sub(ONES) & !difference & HIGH_BITS
}

/// Whether `word` (eight bytes of text) holds a `"`, `\` or control character (below U+0020),
/// those a JSON string literal cannot hold as they are, flagged as [`byte_marks`] flags them.
pub(crate) fn string_specials(word: u64) -> u64 {
    // Flipping bit 1 turns `"` (0x22) into 0x20 and keeps the control characters below it, so
    // one test of the bytes below 0x21 finds both: `x - 0x21` reaches the high bit of such a
    // byte, `& !x` drops the bytes whose high bit was set already.
    let flipped = word ^ (ONES * 0x02);
    flipped.wrapping_sub(ONES * 0x21) & !flipped & HIGH_BITS | byte_marks(word, b'\\')
}

/// True when `bytes` holds `a` or `b`. Every string of a policy is scanned for wildcards and
/// variables, so eight bytes are tested at a time ([`byte_marks`]). The words'
/// marks are gathered and tested once: few strings hold either byte, and a loop without a
/// branch per word is cheaper than stopping early. Inlined, so that `a == b` (the search for
/// `$`) tests each word once.
#[inline]
pub(crate) fn holds_either(bytes: &[u8], a: u8, b: u8) -> bool {
    let marks = |word: &[u8; 8]| {
        let word = u64::from_le_bytes(*word);
        byte_marks(word, a) | byte_marks(word, b)
    };
    let (words, rest) = bytes.as_chunks::<8>();
    let found = words.iter().fold(0, |found, word| found | marks(word));
    // The bytes after the last whole word are in the last eight bytes, tested as one more word.
    // When there are none, that word is tested twice: cheaper than a branch on the length,
    // which strings of every length would mispredict.
    match bytes.last_chunk::<8>() {
        Some(last) => found | marks(last) != 0,
        None => rest.iter().any(|&byte| byte == a || byte == b),
    }
}

/// Where the first `byte` of `bytes` is, e.g. the `:` of an action entry. Eight bytes at a time
/// ([`byte_marks`], whose lowest flag is exact): action prefixes run to twenty bytes, and a
/// loop over bytes costs a mispredicted exit per entry (a character searcher's set-up costs
/// more still).
#[inline]
pub(crate) fn first_of(bytes: &[u8], byte: u8) -> Option<usize> {
    let first_colon = |word: &[u8; 8]| {
        let flags = byte_marks(u64::from_le_bytes(*word), byte);
        (flags != 0).then(|| flags.trailing_zeros() as usize / 8)
    };
    let (words, rest) = bytes.as_chunks::<8>();
    for (start, word) in (0..).step_by(8).zip(words) {
        if let Some(at) = first_colon(word) {
            return Some(start + at);
        }
    }
    if rest.is_empty() {
        return None;
    }
    // The bytes after the last whole word, as the last eight bytes: those before them hold no
    // `byte`, so the first one found is the first of all.
    match bytes.last_chunk::<8>() {
        Some(last) => first_colon(last).map(|at| bytes.len() - 8 + at),
        None => rest.iter().position(|&found| found == byte),
    }
}

#[cfg(test)]
mod tests {
    use super::{first_of, holds_either, plain_run};

    #[test]
    fn plain_runs_end_at_the_first_byte_a_string_cannot_hold() {
        let special = |byte: u8| byte == b'"' || byte == b'\\' || byte < 0x20;
        // Every byte at every place of the first words, after and before bytes that are
        // plain or not: a borrow in the eight-byte test must not move the answer.
        for byte in 0..=u8::MAX {
            for at in 0..20 {
                for before in [b'a', 0x21, 0x5d, 0x7f, 0x80, 0xff] {
                    for after in [b'a', 0x00, 0x1f, b'"', b'\\', 0x80, 0xff] {
                        let mut bytes = vec![before; at];
                        bytes.push(byte);
                        bytes.extend([after; 9]);
                        let expected = bytes.iter().position(|&b| special(b));
                        assert_eq!(
                            plain_run(&bytes),
                            expected.unwrap_or(bytes.len()),
                            "{bytes:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wildcards_and_dollars_are_found_anywhere() {
        // Neighbours of `*`, `?` and `$` in ASCII, and bytes above it, are no match.
        let plain = "arn:aws:s3:::bucket-\u{e9}\u{2603}/+)>@#%\u{7f}";
        for length in 0..=plain.len() {
            let Some(prefix) = plain.get(..length) else {
                continue;
            };
            assert!(!holds_either(prefix.as_bytes(), b'*', b'?'), "{prefix}");
            assert!(!holds_either(prefix.as_bytes(), b'$', b'$'), "{prefix}");
        }
        // Every length up to three words, whole or not, with the mark at every position.
        for length in 1..=24 {
            for at in 0..length {
                for mark in ['*', '?', '$'] {
                    let text = format!("{}{mark}{}", "a".repeat(at), "b".repeat(length - 1 - at));
                    assert_eq!(
                        holds_either(text.as_bytes(), b'*', b'?'),
                        mark != '$',
                        "{text}"
                    );
                    assert_eq!(holds_either(text.as_bytes(), b'$', b'$'), mark == '$');
                }
            }
        }
    }

    #[test]
    fn colon_found_like_a_byte_search() {
        let texts = [
            "",
            ":",
            "s3",
            "s3:GetObject",
            "ssm:",
            ":GetObject",
            "abcdefg:",
            "abcdefgh:",
            "abcdefghijklmnop:x",
            "resource-explorer-2:Search:x",
            "no-colon-in-this-long-entry",
            "\u{e9}\u{2603}:\u{e9}",
        ];
        for text in texts {
            for length in 0..=text.len() {
                let bytes = text.as_bytes().get(..length).unwrap_or_default();
                let expected = bytes.iter().position(|&byte| byte == b':');
                assert_eq!(first_of(bytes, b':'), expected, "{bytes:?}");
            }
        }
    }
}
