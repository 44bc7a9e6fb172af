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
    the_one(findings(text, kind), code)
}

/// The one finding of `all` with `code`, failing the test when there is not exactly one.
fn the_one(all: Vec<Finding>, code: IssueCode) -> Finding {
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

/// The statement rules alone: the condition rules and the rules on whole statements.
pub(crate) mod statement_rules {
    use super::super::{Context, action, grammar};
    use crate::{Finding, IssueCode, Options, PolicyKind, parse};

    /// The findings of the condition rules and the rules on whole statements alone on `text`:
    /// the view is built by the grammar and action rules, whose findings (like those of the
    /// other rules) are left out, so each test sees only what it is about.
    pub(crate) fn findings(text: &str, kind: Option<PolicyKind>) -> Vec<Finding> {
        let Ok(node) = parse::parse(text) else {
            unreachable!("test document is not JSON: {text}");
        };
        let options = Options::default();
        let kind = kind.unwrap_or_else(|| grammar::inferred_kind(&node));
        let mut view_ctx = Context::new(&options, kind);
        let mut document = grammar::check_document(&node, &mut view_ctx);
        let mut ctx = Context::new(&options, kind);
        for statement in &mut document.statements {
            let (actions, complete) = action::check_statement(statement, &mut view_ctx);
            statement.actions = actions;
            statement.actions_complete = complete;
            super::super::condition::check_statement(statement, &mut ctx);
        }
        super::super::check_whole_statements(&document, &mut ctx);
        ctx.finish()
    }

    /// The codes of `findings`, in order.
    pub(crate) fn codes(text: &str, kind: Option<PolicyKind>) -> Vec<IssueCode> {
        findings(text, kind)
            .into_iter()
            .map(|finding| finding.code)
            .collect()
    }

    /// The codes of an identity-policy statement with the given elements.
    pub(crate) fn check(elements: &str) -> Vec<IssueCode> {
        codes(&super::statement(elements), None)
    }

    /// The one finding with `code`.
    pub(crate) fn only(text: &str, kind: Option<PolicyKind>, code: IssueCode) -> Finding {
        super::the_one(findings(text, kind), code)
    }
}

/// Statements of the condition rules' tests.
pub(crate) mod conditions {
    use super::statement;
    use super::statement_rules::codes;
    use crate::IssueCode;

    /// The codes of an identity-policy statement `Allow` with `action` and `condition`.
    pub(crate) fn check(action: &str, condition: &str) -> Vec<IssueCode> {
        check_effect("Allow", action, condition)
    }

    pub(crate) fn check_effect(effect: &str, action: &str, condition: &str) -> Vec<IssueCode> {
        codes(
            &statement(&format!(
                r#""Effect": "{effect}", "Action": {action}, "Resource": "*", "Condition": {condition}"#
            )),
            None,
        )
    }

    pub(crate) const S3: &str = r#""s3:ListBucket""#;
}
