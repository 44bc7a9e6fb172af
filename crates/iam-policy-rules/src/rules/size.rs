//! Policy size against the quota of the policy kind. IAM and Organizations count characters
//! without the whitespace between JSON tokens, so the size is that of the minified document.
//!
//! Resource policies have a quota per service (SQS 8,192 bytes, S3 bucket policies 20 KB,
//! KMS key policies 32 KB). Without the target resource type we use 20,480, the S3 bucket
//! policy quota, which is also Lambda's and Secrets Manager's: the common case, and no false
//! warning for policies that fit the larger quotas.

use super::Context;
use crate::bytes::{HIGH_BITS, string_specials};
use crate::json::{Node, Value};
use crate::{IssueCode, PolicyKind};

/// The quota of `kind`, in characters, and the code reported above it.
fn quota(kind: PolicyKind) -> (usize, IssueCode, &'static str) {
    match kind {
        PolicyKind::Identity => (
            6_144,
            IssueCode::PolicySizeExceedsIdentityPolicyQuota,
            "a managed policy",
        ),
        PolicyKind::Inline => (
            10_240,
            IssueCode::PolicySizeExceedsIdentityPolicyQuota,
            "a role's inline policies (a user's 2,048, a group's 5,120)",
        ),
        PolicyKind::Resource => (
            20_480,
            IssueCode::PolicySizeExceedsResourcePolicyQuota,
            "a resource policy (S3 bucket policy quota)",
        ),
        PolicyKind::RoleTrust => (
            2_048,
            IssueCode::PolicySizeExceedsRoleTrustPolicyQuota,
            "a role trust policy (default quota)",
        ),
        PolicyKind::Scp => (
            5_120,
            IssueCode::PolicySizeExceedsScpQuota,
            "a service control policy",
        ),
        PolicyKind::Rcp => (
            5_120,
            IssueCode::PolicySizeExceedsRcpQuota,
            "a resource control policy",
        ),
    }
}

impl PolicyKind {
    /// The default size quota of a policy of this kind, in characters of its minified JSON.
    pub fn size_quota(self) -> usize {
        quota(self).0
    }
}

/// Characters of `node` written as minified JSON.
pub(crate) fn minified_size(node: &Node<'_>) -> usize {
    match &node.value {
        Value::String(text) => string_size(text),
        // Brackets plus the commas between items.
        Value::Array(items) => {
            2 + items.len().saturating_sub(1) + items.iter().map(value_size).sum::<usize>()
        }
        // Braces, commas, and a colon per member.
        Value::Object(members) => {
            2 + members.len().saturating_sub(1)
                + members
                    .iter()
                    .map(|member| string_size(&member.key) + 1 + value_size(&member.value))
                    .sum::<usize>()
        }
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(text) => text.len(),
    }
}

/// [`minified_size`] of an item or member value: most are strings (`Action`, `Resource` and
/// condition values), measured here without a recursive call each.
#[inline]
fn value_size(node: &Node<'_>) -> usize {
    match &node.value {
        Value::String(text) => string_size(text),
        _ => minified_size(node),
    }
}

/// Characters of a JSON string literal, quotes and escapes included.
fn string_size(text: &str) -> usize {
    // Every string of a document over its quota goes through here, and most are plain ASCII
    // (no `"`, `\`, control or non-ASCII byte): as many characters as bytes. That is tested
    // eight bytes at a time, the bytes after the last whole word as the last eight bytes, and
    // a string of four to seven bytes (member names, `Allow`) as its first and last four;
    // other strings are counted byte by byte.
    let bytes = text.as_bytes();
    let not_plain = |word: u64| string_specials(word) | word & HIGH_BITS;
    let plain = match (bytes.last_chunk::<8>(), bytes.first_chunk::<4>()) {
        (Some(last), _) => {
            let (words, _) = bytes.as_chunks::<8>();
            let marks = words.iter().fold(0, |marks, word| {
                marks | not_plain(u64::from_le_bytes(*word))
            });
            marks | not_plain(u64::from_le_bytes(*last)) == 0
        }
        (None, Some(first)) => bytes.last_chunk::<4>().is_some_and(|last| {
            let halves =
                u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
            not_plain(halves) == 0
        }),
        (None, None) => false,
    };
    2 + if plain {
        bytes.len()
    } else {
        characters(bytes)
    }
}

/// What `bytes` add to a string's minified size. By bytes, without decoding: a character is
/// one byte that is not a UTF-8 continuation byte (0b10xx_xxxx), and every escaped character
/// is ASCII.
fn characters(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&byte| usize::from(CHARACTERS_OF_BYTE[usize::from(byte)]))
        .sum()
}

/// What each byte of a string adds to its minified size.
static CHARACTERS_OF_BYTE: [u8; 256] = {
    let mut table = [1; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = crate::json::written_characters(byte as u8) as u8;
        byte += 1;
    }
    table
};

/// Reports a document over its kind's quota. `text_length`, the length in bytes of the text the
/// document was parsed from, bounds the minified size: removing whitespace only shortens it, a
/// byte is at most one character, and no character needs a longer escape than its text had
/// (`"`, `\\` and controls must be escaped in the text already, and a control with no short
/// escape is `\u00XX` there too). Within the quota, there is nothing to count.
pub(crate) fn check_document(
    document: &Node<'_>,
    text_length: Option<usize>,
    ctx: &mut Context<'_>,
) {
    let (limit, code, what) = quota(ctx.kind);
    if text_length.is_some_and(|length| length <= limit) {
        return;
    }
    let size = minified_size(document);
    if size > limit {
        ctx.report(
            code,
            document.span,
            "",
            None,
            format!("the policy has {size} characters without whitespace; {what} may have at most {limit}"),
            Some("split it into several policies".to_owned()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, only};
    use super::*;
    use crate::{IssueCode as C, parse};

    #[test]
    fn size_is_the_minified_length() {
        let text = r#"{ "a" : [1, true, null, "x\"y\u0001é"], "b": {} }"#;
        let Ok(node) = parse::parse(text) else {
            unreachable!("valid JSON")
        };
        let minified = r#"{"a":[1,true,null,"x\"y\u0001é"],"b":{}}"#;
        assert_eq!(minified_size(&node), minified.chars().count());
    }

    #[test]
    fn every_character_counts_as_serde_json_writes_it() {
        // Every ASCII character (controls, quote, backslash, DEL) and characters of two, three
        // and four UTF-8 bytes, alone and together, against serde_json's minified string.
        let characters = (0u8..0x80)
            .map(char::from)
            .chain(['é', '€', '😀', '\u{2028}']);
        let mut together = String::new();
        for character in characters {
            together.push(character);
            let alone = character.to_string();
            for text in [&alone, &together] {
                let Ok(written) = serde_json::to_string(text) else {
                    unreachable!("a string serializes")
                };
                assert_eq!(string_size(text), written.chars().count(), "{text:?}");
            }
        }
    }

    #[test]
    fn a_character_that_is_not_plain_counts_wherever_it_falls_in_a_word() {
        // Strings are tested for plain ASCII a word at a time: a quote, backslash, control or
        // non-ASCII character in any lane of a word or of a short string's halves, and a word
        // straddled by a multi-byte character.
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'é', '€', '😀'] {
            for before in 0..17 {
                for after in ["", "a", "abc", "abcdefghijklmnop"] {
                    let text = format!("{}{special}{after}", "x".repeat(before));
                    let Ok(written) = serde_json::to_string(&text) else {
                        unreachable!("a string serializes")
                    };
                    assert_eq!(string_size(&text), written.chars().count(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_text_bounds_the_minified_size() {
        // Escapes of every kind, whitespace, and characters of several UTF-8 bytes.
        let escapes = r#""\"\\\/\b\f\n\r\t\u0001\u001f\u00e9\u20ac\ud83d\ude00 é€😀""#;
        for text in [
            format!(r#"{{"Sid": {escapes}}}"#),
            format!("{{ \"a\" :\n\t[ {escapes} , 1.5e3 , true , null ] }}"),
            document_of_size(3),
        ] {
            let Ok(node) = parse::parse(&text) else {
                unreachable!("valid JSON: {text}")
            };
            assert!(minified_size(&node) <= text.len(), "{text}");
        }
    }

    #[test]
    fn parsed_documents_are_measured_only_when_their_text_may_exceed() {
        // Around the quota, and with the text far longer than the minified document.
        let padded = |actions| document_of_size(actions).replace(", ", ",\n                    ");
        for text in [
            document_of_size(400),
            document_of_size(420),
            padded(400),
            padded(420),
        ] {
            let Ok(node) = parse::parse(&text) else {
                unreachable!("valid JSON")
            };
            let options = crate::Options::default();
            assert_eq!(
                crate::validate_parsed(&node, &options),
                crate::validate(&node, &options)
            );
        }
    }

    fn document_of_size(actions: usize) -> String {
        let list: Vec<String> = (0..actions)
            .map(|_| "\"s3:GetObject\"".to_owned())
            .collect();
        format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Deny", "Action": [{}], "Resource": "*"}}}}"#,
            list.join(", ")
        )
    }

    #[test]
    fn quotas_per_kind() {
        // 81 characters of frame plus 15 per action.
        let under = document_of_size(400);
        assert!(!codes(&under, None).contains(&C::PolicySizeExceedsIdentityPolicyQuota));
        let over = document_of_size(420);
        let finding = only(&over, None, C::PolicySizeExceedsIdentityPolicyQuota);
        assert!(
            finding
                .message
                .starts_with("the policy has 6380 characters"),
            "{}",
            finding.message
        );
        assert!(codes(&over, Some(PolicyKind::Scp)).contains(&C::PolicySizeExceedsScpQuota));
        assert!(
            codes(&document_of_size(340), Some(PolicyKind::Rcp))
                .contains(&C::PolicySizeExceedsRcpQuota)
        );
        assert!(
            !codes(&document_of_size(330), Some(PolicyKind::Rcp))
                .contains(&C::PolicySizeExceedsRcpQuota)
        );
        // An inline policy of a role may have 10,240 characters.
        assert!(
            !codes(&over, Some(PolicyKind::Inline))
                .contains(&C::PolicySizeExceedsIdentityPolicyQuota)
        );
        let inline = only(
            &document_of_size(690),
            Some(PolicyKind::Inline),
            C::PolicySizeExceedsIdentityPolicyQuota,
        );
        assert!(
            inline.message.ends_with(
                "a role's inline policies (a user's 2,048, a group's 5,120) may have at most 10240"
            ),
            "{}",
            inline.message
        );
    }
}
