//! Helpers for the rules' unit tests: documents are written as JSON text.

use crate::{Finding, IssueCode, Options, PolicyKind, parse};

/// Every finding of `text` validated as `kind` (`None`: inferred).
pub(crate) fn findings(text: &str, kind: Option<PolicyKind>) -> Vec<Finding> {
    match parse::parse(text) {
        Ok(document) => crate::validate(
            &document,
            &Options {
                kind,
                ..Options::default()
            },
        ),
        Err(error) => unreachable!("test document is not JSON: {error}: {text}"),
    }
}

/// The codes of `findings`, in order.
pub(crate) fn codes(text: &str, kind: Option<PolicyKind>) -> Vec<IssueCode> {
    findings(text, kind)
        .into_iter()
        .map(|finding| finding.code)
        .collect()
}

/// The one finding with `code`, failing the test when there is not exactly one.
pub(crate) fn only(text: &str, kind: Option<PolicyKind>, code: IssueCode) -> Finding {
    let all = findings(text, kind);
    let mut matching = all.iter().filter(|finding| finding.code == code);
    match (matching.next(), matching.next()) {
        (Some(finding), None) => finding.clone(),
        _ => unreachable!("expected one {code:?} in {all:#?}"),
    }
}

/// A statement of an identity policy with the given elements, as a document.
pub(crate) fn statement(elements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{{{elements}}}]}}"#)
}
