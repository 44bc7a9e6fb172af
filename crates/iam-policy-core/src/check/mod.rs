//! IAM Access Analyzer's custom policy checks, offline: `CheckAccessNotGranted` ("this policy
//! never grants `iam:PassRole`"), `CheckNoNewAccess` ("this version grants nothing the old
//! one did not") and `CheckNoPublicAccess` ("this bucket policy is not public").
//!
//! `PASS` is a proof over every request: every action the patterns cover (the reference's
//! actions, and for wildcards the actions AWS may add later), every resource the patterns may
//! match, every principal and any values of the condition keys. A condition is taken as
//! satisfiable unless it provably is not, and a `Deny` counts only where it denies for
//! certain. When a question cannot be settled, the answer is `FAIL`. `docs/checks.md` lists
//! where the checks are stricter than Access Analyzer.

mod access;
mod actions;
mod new_access;
mod public;
mod sets;
mod view;

#[cfg(test)]
mod tests;

pub use access::{Access, access_not_granted};
pub use new_access::no_new_access;
pub use public::{
    PUBLIC_ACCESS_RESOURCE_TYPES, PublicAccessResourceType, UnknownResourceType, no_public_access,
};

use crate::json::{Node, Span};
use std::fmt;
use std::sync::OnceLock;

/// `PASS` or `FAIL`, as Access Analyzer answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckResult {
    Pass,
    Fail,
}

impl CheckResult {
    /// `PASS` or `FAIL`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Pass => "PASS",
            CheckResult::Fail => "FAIL",
        }
    }
}

impl fmt::Display for CheckResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a check failed, at one statement (Access Analyzer's `ReasonSummary`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub description: String,
    /// Index in the checked policy's `Statement`; `None` when the reason is about the policy as
    /// a whole or about the existing policy of `no_new_access`.
    pub statement_index: Option<usize>,
    /// The statement's `Sid`.
    pub statement_id: Option<String>,
    /// Where the statement was written in the checked document.
    pub span: Option<Span>,
}

/// A check's answer: the result, a message and the reasons for a `FAIL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub result: CheckResult,
    pub message: String,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.result == CheckResult::Pass
    }

    fn new(reasons: Vec<Reason>, pass: &str, fail: &str) -> Verdict {
        let result = if reasons.is_empty() {
            CheckResult::Pass
        } else {
            CheckResult::Fail
        };
        let message = if reasons.is_empty() { pass } else { fail };
        Verdict {
            result,
            message: message.to_owned(),
            reasons,
        }
    }
}

/// `FAIL` and its reasons, one per line, for assertion messages.
impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.result, self.message)?;
        for reason in &self.reasons {
            f.write_str("\n  - ")?;
            if let Some(index) = reason.statement_index {
                write!(f, "statement {index}")?;
                if let Some(sid) = &reason.statement_id {
                    write!(f, " (`{sid}`)")?;
                }
                f.write_str(": ")?;
            }
            f.write_str(&reason.description)?;
        }
        Ok(())
    }
}

/// A document that is no policy: not an object, or without a `Statement` of statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAPolicy {
    pub span: Span,
}

impl fmt::Display for NotAPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the document is not a policy: expected an object with `Statement`")
    }
}

impl std::error::Error for NotAPolicy {}

fn statements<'a>(document: &'a Node<'_>) -> Result<Vec<view::Statement<'a>>, NotAPolicy> {
    view::statements(document).ok_or(NotAPolicy {
        span: document.span,
    })
}

fn reason(statement: &view::Statement<'_>, description: String) -> Reason {
    Reason {
        description,
        statement_index: Some(statement.index),
        statement_id: statement.sid.map(str::to_owned),
        span: Some(statement.span),
    }
}

/// `a`, `` `a` and `b` ``, `` `a`, `b` and 3 more ``: a list named in a reason, kept short.
fn listed<S: AsRef<str>>(items: &[S]) -> String {
    listed_of(&mut items.iter().map(AsRef::as_ref), items.len())
}

/// How many items a reason names before `and N more`.
const SHOWN: usize = 3;

/// [`listed`] of `total` items of which `first` are the first ones (at least [`SHOWN`] of them
/// when there are that many): the rest need not be gathered. Through `dyn`, so that it is
/// compiled once for its callers' different lists.
fn listed_of(first: &mut dyn Iterator<Item = &str>, total: usize) -> String {
    let quoted: Vec<String> = first.take(SHOWN).map(|item| format!("`{item}`")).collect();
    match total {
        0 => String::new(),
        1 => quoted.concat(),
        n if n <= SHOWN => {
            let (last, rest) = quoted
                .split_last()
                .map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("{} and {last}", rest.join(", "))
        }
        n => format!("{} and {} more", quoted.join(", "), n - SHOWN),
    }
}

/// Every action of the reference with its `service:Action` name, sorted by action: built
/// once, as checks over `*` or `NotAction` go through all of them.
fn all_actions() -> &'static [(iam_policy_reference::Action, String)] {
    static ALL: OnceLock<Vec<(iam_policy_reference::Action, String)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut actions: Vec<iam_policy_reference::Action> = Vec::new();
        for service in iam_policy_reference::services() {
            actions.extend(service.actions());
        }
        actions.sort_unstable();
        actions
            .into_iter()
            .map(|action| {
                let name = format!("{}:{}", action.service().prefix(), action.name());
                (action, name)
            })
            .collect()
    })
}
