//! The policy model: one set of types for policies written with `policy!` (built in `const`
//! context from borrowed `'static` data) and for policies parsed at run time (owned data).
//!
//! Every text and list is a `Cow<'static, _>`: `Cow::Borrowed` is what the macro writes in
//! constants, `Cow::Owned` is what the parser builds. Elements keep the shape they were written
//! in (a single value stays single, an array stays an array), so serializing gives back the
//! document as written.

use std::borrow::Cow;

pub use iam_policy_core::{ParameterKind, PolicyKind};

/// A text of the policy: a borrowed literal in constants, an owned string at run time.
pub type Text = Cow<'static, str>;

/// An IAM policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `Version`: `2012-10-17` or `2008-10-17`.
    pub version: Option<Text>,
    /// `Id`.
    pub id: Option<Text>,
    /// `Statement`: one statement object or an array of them.
    pub statement: OneOrMany<Statement>,
    /// The declared kind (`#[kind = "..."]`), which decides the rules and the size quota that
    /// apply; `None`: the kind the statements show (see `iam_policy_core::policy_kind`). Not
    /// part of the JSON document.
    pub kind: Option<PolicyKind>,
    /// The placeholders the policy declares (written `{name}` in its strings), not part of the
    /// JSON document.
    pub parameters: Cow<'static, [Parameter]>,
}

/// A placeholder of a documented policy, such as `{account-id}`; unbound, it serializes as the
/// bare name (`account-id`), the way AWS's documentation prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The name as the documentation prints it, e.g. `account-id`.
    pub name: Text,
    pub kind: ParameterKind,
}

/// An element IAM accepts either as one value or as an array, kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OneOrMany<T: Clone + 'static> {
    One(T),
    Many(Cow<'static, [T]>),
}

impl<T: Clone + 'static> OneOrMany<T> {
    /// The values, one or many.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }
}

impl<'a, T: Clone + 'static> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One statement of a policy. At most one of each `X`/`NotX` pair is set in a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<Text>,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub action: Option<OneOrMany<Text>>,
    pub not_action: Option<OneOrMany<Text>>,
    pub resource: Option<OneOrMany<Text>>,
    pub not_resource: Option<OneOrMany<Text>>,
    /// `Condition`: condition operators in the order written.
    pub condition: Option<Cow<'static, [ConditionBlock]>>,
}

/// `Effect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: everyone.
    Any,
    /// `{"AWS": ..., "Service": ...}`, in the order written.
    Map(Cow<'static, [PrincipalEntry]>),
}

/// One principal type of a `Principal` map and its values, e.g. `"Service": "ssm.amazonaws.com"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub principal_type: Text,
    pub values: OneOrMany<Text>,
}

/// One condition operator of `Condition` with its keys, e.g.
/// `"StringLike": {"ssm:resourceTag/Finance": ["WebServers"]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionBlock {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: Text,
    pub entries: Cow<'static, [ConditionEntry]>,
}

/// One condition key under an operator and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionEntry {
    /// The condition key as written, e.g. `aws:PrincipalTag/team`.
    pub key: Text,
    pub values: OneOrMany<ConditionValue>,
}

/// A condition value as written: IAM compares strings, but the JSON type is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionValue {
    String(Text),
    /// A number exactly as written, e.g. `3600` or `-1.5`.
    Number(Text),
    Bool(bool),
}

impl Policy {
    /// The statements, whether `Statement` was written as one object or as an array.
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_slice()
    }
}
