//! The policy document as a JSON tree in which every node keeps its place in the source.
//!
//! Both front ends build this tree: the CLI and the runtime parser from text (spans are byte
//! offsets), the `policy!` macro from Rust tokens (spans are indices into its own table of
//! token spans). The rules only ever hand spans back inside findings.
//!
//! Strings, member names and numbers borrow the source text where they can (a literal without
//! escapes is its own contents), so that parsing a document allocates one vector per array
//! and object (more for a long one, which grows) and nothing per string. A literal with escapes, or a tree made from Rust
//! tokens, owns its text.

use std::borrow::Cow;

/// A region of the source. Its meaning belongs to the front end that built the tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// A JSON value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'s> {
    pub value: Value<'s>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'s> {
    Null,
    Bool(bool),
    /// The number exactly as written, so that serializing gives back the same text.
    Number(Cow<'s, str>),
    /// The decoded contents.
    String(Cow<'s, str>),
    Array(Vec<Node<'s>>),
    /// Members in source order; duplicated keys are kept so the rules can report them.
    Object(Vec<Member<'s>>),
}

/// One `"key": value` pair of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member<'s> {
    /// The decoded name.
    pub key: Cow<'s, str>,
    pub key_span: Span,
    pub value: Node<'s>,
}

/// How serde_json writes a byte of a string: the letter of its short escape (`\\n`), `u` for a
/// control character written `\\u00XX`, or `None` when it is written as it is. The one
/// statement of the rule that `write_string` follows and the size rules count by.
pub(crate) const fn escape(byte: u8) -> Option<u8> {
    match byte {
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        b'\n' => Some(b'n'),
        b'\r' => Some(b'r'),
        b'\t' => Some(b't'),
        0x08 => Some(b'b'),
        0x0C => Some(b'f'),
        0x00..=0x1F => Some(b'u'),
        _ => None,
    }
}

/// Characters that a byte of a string adds to its JSON literal: a UTF-8 continuation byte adds
/// none (it belongs to the character before), an escaped byte its whole escape.
// `iam-policy-core`'s `minified_size` counts with it too.
#[doc(hidden)]
pub const fn written_characters(byte: u8) -> usize {
    match escape(byte) {
        Some(b'u') => 6,
        Some(_) => 2,
        None if byte & 0xC0 == 0x80 => 0,
        None => 1,
    }
}

/// Appends `text` as a JSON string literal, byte for byte as serde_json writes it: `"`, `\`
/// and control characters escaped, nothing else. The runs between them (nearly all of the
/// text a policy tool writes) are found eight bytes at a time and copied in one go.
pub fn write_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    loop {
        let rest = bytes.get(plain_from..).unwrap_or_default();
        let at = plain_from + crate::bytes::plain_run(rest);
        out.push_str(text.get(plain_from..at).unwrap_or_default());
        // A plain run ends only at a byte to escape, or at the end.
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let short = escape(byte).unwrap_or(b'u');
        out.push('\\');
        out.push(char::from(short));
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
        plain_from = at + 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let characters = (0u8..0x80)
            .map(char::from)
            .chain(['é', '€', '😀', '\u{2028}']);
        let mut together = String::new();
        for character in characters {
            together.push(character);
            for text in [
                &character.to_string(),
                &together,
                &format!("{together}plain tail"),
            ] {
                let mut written = "[".to_owned();
                super::write_string(&mut written, text);
                let expected = format!("[{}", serde_json::to_string(text).unwrap());
                assert_eq!(written, expected, "{text:?}");
            }
        }
    }
}
