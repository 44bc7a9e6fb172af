//! The IAM policy model, its serialization and the custom policy checks, over the grammar and
//! the rules of `iam-policy-rules` (re-exported here, so every path stays
//! `iam_policy_core::...`). The rules need no serde; the model does, so splitting them lets the
//! rules compile while `serde_core` does. Implementation detail of `iam-policy`; not covered by
//! semver.

pub mod check;
pub mod model;

pub use iam_policy_rules::{
    Finding, IssueCode, Member, Node, Options, Parameter, ParameterKind, PolicyKind, Severity,
    Span, Value, Waiver, policy_kind, validate, validate_parsed,
};
pub use iam_policy_rules::{finding, json, matching, parameter, parse, suggest};
// The model's paths to what it shares with the rules, kept as they were before the split.
use iam_policy_rules::{order, rules};
