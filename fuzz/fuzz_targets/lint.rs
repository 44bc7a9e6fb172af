//! AFL++ target: any bytes through the same path as `iam-policy lint` (UTF-8 check, JSON
//! parser, `get-policy-version` unwrapping and URL decoding, every rule, line and column
//! mapping) for every policy kind. Besides "never panics", it checks what the output formats
//! rely on: spans inside the text on character boundaries, 1-based positions in order.
//!
//! Size-stress mode (`IAM_POLICY_FUZZ_STRESS=1`): the first byte picks a nesting depth and the
//! rest, when it is JSON, is amplified to a document of about a megabyte of that shape
//! (`stress::amplify`): many statements, elements given many times, long lists, many condition
//! operators, keys or values. A rule slower than near-linear then shows as a hang (run AFL
//! with `-t 5000`), and every message must stay short (quotes are cut).

// The CLI's own modules, of which the target uses the lint's path only.
#[allow(dead_code)]
#[path = "../../crates/iam-policy-cli/src/lint/document.rs"]
mod document;
// `document` locates findings through the CLI's line index.
#[allow(dead_code)]
#[path = "../../crates/iam-policy-cli/src/lines.rs"]
mod lines;
mod stress;

use iam_policy_core::{Options, PolicyKind};

/// The size of an amplified document in the size-stress mode.
const STRESS_BYTES: usize = 1 << 20;

const KINDS: [PolicyKind; 5] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::RoleTrust,
    PolicyKind::Scp,
    PolicyKind::Rcp,
];

fn main() {
    let stress_mode = std::env::var_os("IAM_POLICY_FUZZ_STRESS").is_some();
    afl::fuzz!(|bytes: &[u8]| {
        if stress_mode {
            let Some((&depth, rest)) = bytes.split_first() else {
                return;
            };
            let Some(amplified) = std::str::from_utf8(rest)
                .ok()
                .and_then(|text| stress::amplify(text, usize::from(depth % 6), STRESS_BYTES))
            else {
                return;
            };
            check(amplified.as_bytes(), &KINDS[..1]);
        } else {
            check(bytes, &KINDS);
        }
    });
}

/// Lints `bytes` as each of `kinds` and checks the findings.
fn check(bytes: &[u8], kinds: &[PolicyKind]) {
    for &kind in kinds {
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
            assert!(
                diagnostic.finding.message.len() <= stress::MAX_MESSAGE_BYTES,
                "a message of {} bytes",
                diagnostic.finding.message.len()
            );
        }
    }
}
