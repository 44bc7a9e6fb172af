//! AFL++ target: any bytes through the same path as `iam-policy lint` (UTF-8 check, JSON
//! parser, `get-policy-version` unwrapping and URL decoding, every rule, line and column
//! mapping) for every policy kind. Besides "never panics", it checks what the output formats
//! rely on: spans inside the text on character boundaries, 1-based positions in order.

#[path = "../../crates/iam-policy-cli/src/lint/document.rs"]
mod document;

use iam_policy_core::{Options, PolicyKind};

const KINDS: [PolicyKind; 5] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::RoleTrust,
    PolicyKind::Scp,
    PolicyKind::Rcp,
];

fn main() {
    afl::fuzz!(|bytes: &[u8]| {
        for kind in KINDS {
            let options = Options {
                kind: Some(kind),
                ..Options::default()
            };
            let linted = document::lint_bytes(bytes, &options);
            for diagnostic in &linted.diagnostics {
                let span = diagnostic.finding.span;
                let (start, end) = (span.start as usize, span.end as usize);
                assert!(
                    start <= end && end <= linted.text.len(),
                    "span {span:?} out of the text"
                );
                assert!(
                    linted.text.is_char_boundary(start) && linted.text.is_char_boundary(end),
                    "span {span:?} splits a character"
                );
                let (from, to) = (diagnostic.start, diagnostic.end);
                assert!(from.line >= 1 && from.column >= 1, "positions are 1-based");
                assert!(
                    (from.line, from.column) <= (to.line, to.column),
                    "start after end"
                );
                assert!(
                    !diagnostic.finding.message.is_empty(),
                    "a finding without a message"
                );
            }
        }
    });
}
