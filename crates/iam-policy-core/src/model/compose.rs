//! Composing policies at run time: adding statements, Terraform's merge of source and override
//! documents, and splitting a policy into documents that each fit the kind's size quota.

use std::borrow::Cow;
use std::fmt;

use super::{OneOrMany, Policy, Statement, Text};
use crate::PolicyKind;
use crate::order::{sort_positions, sorted_positions};

/// Why policies could not be composed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ComposeError {
    /// Two source documents hold a statement with the same `Sid`; sources must not overlap
    /// (use an override document to replace a statement).
    DuplicateSid { sid: String },
    /// A statement is larger than the kind's size quota on its own, in a document of nothing
    /// else: no split can make it fit.
    StatementTooLarge {
        /// Its index in `Statement`.
        index: usize,
        sid: Option<String>,
        /// Characters of the smallest document holding it.
        size: usize,
        quota: usize,
        kind: PolicyKind,
    },
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComposeError::DuplicateSid { sid } => write!(
                f,
                "two source documents have a statement with `\"Sid\": \"{sid}\"`; give each its \
                 own `Sid`, or replace the statement with an override document"
            ),
            ComposeError::StatementTooLarge {
                index,
                sid,
                size,
                quota,
                kind,
            } => {
                write!(f, "statement {index}")?;
                if let Some(sid) = sid {
                    write!(f, " (`{sid}`)")?;
                }
                write!(
                    f,
                    " alone makes a document of {size} characters, over the {quota} of a {kind:?} \
                     policy; split its `Action` or `Resource` lists into several statements"
                )
            }
        }
    }
}

impl std::error::Error for ComposeError {}

/// The `Sid` when it is written and not blank: what merging goes by.
fn sid(statement: &Statement) -> Option<&str> {
    statement
        .sid
        .as_deref()
        .filter(|sid| !sid.trim().is_empty())
}

impl Policy {
    /// An empty policy of `Version` `2012-10-17`, to push statements into.
    pub fn new(kind: Option<PolicyKind>) -> Policy {
        Policy {
            version: Some(Cow::Borrowed("2012-10-17")),
            id: None,
            statement: OneOrMany::Many(Cow::Borrowed(&[])),
            kind,
        }
    }

    /// Changes the statements with `edit`; a single statement object becomes an array.
    /// Nothing is checked: [`Policy::validate`] the result.
    pub fn edit_statements<R>(&mut self, edit: impl FnOnce(&mut Vec<Statement>) -> R) -> R {
        let empty = OneOrMany::Many(Cow::Borrowed(&[][..]));
        let mut statements = match std::mem::replace(&mut self.statement, empty) {
            OneOrMany::One(statement) => vec![statement],
            OneOrMany::Many(statements) => statements.into_owned(),
        };
        let result = edit(&mut statements);
        self.statement = OneOrMany::Many(Cow::Owned(statements));
        result
    }

    /// Adds a statement at the end. Nothing is checked: [`Policy::validate`] the result.
    pub fn push(&mut self, statement: Statement) {
        self.edit_statements(|statements| statements.push(statement));
    }

    /// Terraform's `source_policy_documents`: the statements of every source, in order, in one
    /// document. `Version`, `Id` and kind are the first source's. Statements with the same
    /// non-blank `Sid` in two sources are an error.
    pub fn merge_sources(sources: &[&Policy]) -> Result<Policy, ComposeError> {
        let mut merged = match sources.first() {
            Some(first) => Policy {
                statement: OneOrMany::Many(Cow::Borrowed(&[])),
                ..(*first).clone()
            },
            None => Policy::new(None),
        };
        for source in sources {
            for statement in source.statements() {
                if let Some(sid) = sid(statement)
                    && merged
                        .statements()
                        .iter()
                        .any(|s| self::sid(s) == Some(sid))
                {
                    return Err(ComposeError::DuplicateSid {
                        sid: sid.to_owned(),
                    });
                }
                merged.push(statement.clone());
            }
        }
        Ok(merged)
    }

    /// Terraform's `override_policy_documents`, one document: each statement of `overrides`
    /// with a non-blank `Sid` replaces the statement of that `Sid` where it stands; any other
    /// is added at the end. Applied in turn, the last override wins.
    pub fn override_with(&mut self, overrides: &Policy) {
        for statement in overrides.statements() {
            let same = sid(statement).and_then(|wanted| {
                self.statements()
                    .iter()
                    .position(|s| sid(s) == Some(wanted))
            });
            let statement = statement.clone();
            self.edit_statements(
                |statements| match same.and_then(|i| statements.get_mut(i)) {
                    Some(replaced) => *replaced = statement,
                    None => statements.push(statement),
                },
            );
        }
    }

    /// The kind whose quota and rules apply: the declared one, else the one the statements
    /// show (see `iam_policy_core::policy_kind`).
    pub fn effective_kind(&self) -> PolicyKind {
        if let Some(kind) = self.kind {
            return kind;
        }
        let text = self.to_json();
        match crate::parse::parse(&text) {
            Ok(document) => crate::policy_kind(&document, &crate::Options::default()),
            // The model always serializes to JSON that parses.
            Err(_) => PolicyKind::Identity,
        }
    }

    /// The size IAM counts against the quota: characters of the minified document.
    pub fn size(&self) -> usize {
        minified_size(self)
    }

    /// The statements packed into as few documents as the kind's size quota lets them (first
    /// fit, largest statement first: never more than 11/9 of the fewest possible plus one).
    /// Each document keeps `Version`, `Id` and kind, and its statements in their original
    /// order. A policy within its quota comes back whole. A statement that alone makes a
    /// document over the quota is an error.
    pub fn split(&self) -> Result<Vec<Policy>, ComposeError> {
        let kind = self.effective_kind();
        let quota = kind.size_quota();
        if self.size() <= quota {
            return Ok(vec![self.clone()]);
        }
        let empty = Policy {
            statement: OneOrMany::Many(Cow::Borrowed(&[])),
            ..self.clone()
        };
        // `{... "Statement":[]}`: each statement adds its own size and a comma after the first.
        let envelope = empty.size();
        let sizes: Vec<usize> = self.statements().iter().map(statement_size_const).collect();
        if let Some((index, &size)) = sizes
            .iter()
            .enumerate()
            .find(|&(_, &size)| envelope + size > quota)
        {
            return Err(ComposeError::StatementTooLarge {
                index,
                sid: self
                    .statements()
                    .get(index)
                    .and_then(|s| s.sid.as_deref())
                    .map(str::to_owned),
                size: envelope + size,
                quota,
                kind,
            });
        }
        // Largest first.
        let order = sorted_positions(sizes.len(), &|a, b| sizes.get(b).cmp(&sizes.get(a)));
        // Each bin: the size of its document so far and the statements in it.
        let mut bins: Vec<(usize, Vec<usize>)> = Vec::new();
        for index in order {
            let size = sizes.get(index).copied().unwrap_or_default();
            match bins.iter_mut().find(|(used, _)| *used + 1 + size <= quota) {
                Some((used, members)) => {
                    *used += 1 + size;
                    members.push(index);
                }
                None => bins.push((envelope + size, vec![index])),
            }
        }
        let statements = self.statements();
        Ok(bins
            .into_iter()
            .map(|(_, mut members)| {
                sort_positions(&mut members, &|a, b| a.cmp(&b));
                let mut document = empty.clone();
                document.statement = OneOrMany::Many(Cow::Owned(
                    members
                        .iter()
                        .filter_map(|&i| statements.get(i).cloned())
                        .collect(),
                ));
                document
            })
            .collect())
    }
}

impl Extend<Statement> for Policy {
    fn extend<I: IntoIterator<Item = Statement>>(&mut self, statements: I) {
        self.edit_statements(|list| list.extend(statements));
    }
}

impl Statement {
    /// A statement of `effect` with nothing else written, to fill in.
    pub fn new(effect: super::Effect) -> Statement {
        Statement {
            sid: None,
            effect,
            principal: None,
            not_principal: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            condition: None,
        }
    }

    /// The statement with `Sid` set.
    pub fn with_sid(self, sid: impl Into<Text>) -> Statement {
        Statement {
            sid: Some(sid.into()),
            ..self
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What crosses constants, checked by const evaluation: a `policy!` document that includes
// statement constants (`"Statement": [LOGS_READ, {...}]`) is checked for unique `Sid`s and its
// size quota by `const` code the macro generates, which calls these. Written with `while`
// loops and matches only, as `const fn` requires.

/// Why a composed policy is refused at compile time.
const DUPLICATE_SID: &str = "two statements of the policy have the same `Sid`, which only \
                             a resource policy may have (UNIQUE_SIDS_REQUIRED)";
/// See [`DUPLICATE_SID`].
const OVER_QUOTA: &str = "the policy with its statement constants is over the size quota \
                              of its kind; split it (`Policy::split`) or declare another kind";

/// Unique `Sid`s (when `unique_sids`: every kind but resource policies) and a size within
/// `quota` (when given), or the reason not.
pub const fn check_composed(
    policy: &Policy,
    unique_sids: bool,
    quota: Option<usize>,
) -> Result<(), &'static str> {
    let statements = statements_of(policy);
    let mut i = 0;
    while unique_sids && i < statements.len() {
        let mut j = i + 1;
        while j < statements.len() {
            if let (Some(a), Some(b)) = (&statements[i].sid, &statements[j].sid)
                && bytes_equal(text(a), text(b))
            {
                return Err(DUPLICATE_SID);
            }
            j += 1;
        }
        i += 1;
    }
    match quota {
        Some(quota) if minified_size(policy) > quota => Err(OVER_QUOTA),
        _ => Ok(()),
    }
}

const fn statements_of(policy: &Policy) -> &[Statement] {
    match &policy.statement {
        OneOrMany::One(statement) => std::slice::from_ref(statement),
        OneOrMany::Many(statements) => slice(statements),
    }
}

#[expect(
    clippy::ptr_arg,
    reason = "`Deref` of a `Cow` cannot be called in a `const fn`: the match is the only way"
)]
const fn slice<'a, T: Clone>(list: &'a Cow<'static, [T]>) -> &'a [T] {
    match list {
        Cow::Borrowed(items) => items,
        Cow::Owned(items) => items.as_slice(),
    }
}

const fn text(text: &Text) -> &[u8] {
    match text {
        Cow::Borrowed(text) => text.as_bytes(),
        Cow::Owned(text) => text.as_bytes(),
    }
}

const fn bytes_equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Characters of the policy as minified JSON, as IAM counts it against the quota (numbers as
/// written).
pub const fn minified_size(policy: &Policy) -> usize {
    let mut members = 1;
    let mut size = member(b"Statement", statements_size(policy));
    if let Some(version) = &policy.version {
        size += member(b"Version", string(text(version)));
        members += 1;
    }
    if let Some(id) = &policy.id {
        size += member(b"Id", string(text(id)));
        members += 1;
    }
    object(size, members)
}

const fn statements_size(policy: &Policy) -> usize {
    match &policy.statement {
        OneOrMany::One(statement) => statement_size_const(statement),
        OneOrMany::Many(statements) => {
            let statements = slice(statements);
            let mut size = 0;
            let mut i = 0;
            while i < statements.len() {
                size += statement_size_const(&statements[i]);
                i += 1;
            }
            array(size, statements.len())
        }
    }
}

/// `{` members `}` with the commas between them.
const fn object(members_size: usize, members: usize) -> usize {
    2 + members_size + members.saturating_sub(1)
}

const fn array(items_size: usize, items: usize) -> usize {
    2 + items_size + items.saturating_sub(1)
}

/// `"key":value`.
const fn member(key: &[u8], value: usize) -> usize {
    string(key) + 1 + value
}

/// A JSON string literal: quotes, one per character, escapes as `serde_json` writes them.
const fn string(bytes: &[u8]) -> usize {
    let mut size = 2;
    let mut i = 0;
    while i < bytes.len() {
        size += crate::json::written_characters(bytes[i]);
        i += 1;
    }
    size
}

const fn texts(list: &OneOrMany<Text>) -> usize {
    match list {
        OneOrMany::One(value) => string(text(value)),
        OneOrMany::Many(values) => {
            let values = slice(values);
            let mut size = 0;
            let mut i = 0;
            while i < values.len() {
                size += string(text(&values[i]));
                i += 1;
            }
            array(size, values.len())
        }
    }
}

const fn principal(principal: &super::Principal) -> usize {
    match principal {
        super::Principal::Any => 3,
        super::Principal::Map(entries) => {
            let entries = slice(entries);
            let mut size = 0;
            let mut i = 0;
            while i < entries.len() {
                size += string(text(&entries[i].principal_type)) + 1 + texts(&entries[i].values);
                i += 1;
            }
            object(size, entries.len())
        }
    }
}

const fn condition_value(value: &super::ConditionValue) -> usize {
    match value {
        super::ConditionValue::String(value) => string(text(value)),
        super::ConditionValue::Number(value) => text(value).len(),
        super::ConditionValue::Bool(true) => 4,
        super::ConditionValue::Bool(false) => 5,
    }
}

const fn condition(blocks: &[super::ConditionBlock]) -> usize {
    let mut size = 0;
    let mut i = 0;
    while i < blocks.len() {
        let entries = slice(&blocks[i].entries);
        let mut entries_size = 0;
        let mut j = 0;
        while j < entries.len() {
            let values = match &entries[j].values {
                OneOrMany::One(value) => condition_value(value),
                OneOrMany::Many(values) => {
                    let values = slice(values);
                    let mut values_size = 0;
                    let mut k = 0;
                    while k < values.len() {
                        values_size += condition_value(&values[k]);
                        k += 1;
                    }
                    array(values_size, values.len())
                }
            };
            entries_size += string(text(&entries[j].key)) + 1 + values;
            j += 1;
        }
        size += string(text(&blocks[i].operator)) + 1 + object(entries_size, entries.len());
        i += 1;
    }
    object(size, blocks.len())
}

const fn statement_size_const(s: &Statement) -> usize {
    let effect: &[u8] = match s.effect {
        super::Effect::Allow => b"Allow",
        super::Effect::Deny => b"Deny",
    };
    let mut size = member(b"Effect", string(effect));
    let mut members = 1;
    if let Some(sid) = &s.sid {
        size += member(b"Sid", string(text(sid)));
        members += 1;
    }
    if let Some(p) = &s.principal {
        size += member(b"Principal", principal(p));
        members += 1;
    }
    if let Some(p) = &s.not_principal {
        size += member(b"NotPrincipal", principal(p));
        members += 1;
    }
    if let Some(list) = &s.action {
        size += member(b"Action", texts(list));
        members += 1;
    }
    if let Some(list) = &s.not_action {
        size += member(b"NotAction", texts(list));
        members += 1;
    }
    if let Some(list) = &s.resource {
        size += member(b"Resource", texts(list));
        members += 1;
    }
    if let Some(list) = &s.not_resource {
        size += member(b"NotResource", texts(list));
        members += 1;
    }
    if let Some(blocks) = &s.condition {
        size += member(b"Condition", condition(slice(blocks)));
        members += 1;
    }
    object(size, members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Effect;

    fn statement(sid: Option<&str>, resource: String) -> Statement {
        Statement {
            sid: sid.map(|s| Cow::Owned(s.to_owned())),
            action: Some(OneOrMany::One(Cow::Borrowed("s3:GetObject"))),
            resource: Some(OneOrMany::One(Cow::Owned(resource))),
            ..Statement::new(Effect::Allow)
        }
    }

    fn policy(statements: Vec<Statement>) -> Policy {
        let mut policy = Policy::new(Some(PolicyKind::Identity));
        policy.extend(statements);
        policy
    }

    fn sids(policy: &Policy) -> Vec<&str> {
        policy
            .statements()
            .iter()
            .map(|s| s.sid.as_deref().unwrap_or("-"))
            .collect()
    }

    #[test]
    fn push_and_extend_turn_one_statement_into_an_array() {
        let mut one = Policy {
            statement: OneOrMany::One(statement(Some("A"), "arn:aws:s3:::a/*".into())),
            ..Policy::new(None)
        };
        one.push(statement(Some("B"), "arn:aws:s3:::b/*".into()));
        assert_eq!(sids(&one), ["A", "B"]);
        assert_eq!(one.validate(), Ok(()));
    }

    #[test]
    fn sources_merge_in_order_and_must_not_share_a_sid() {
        let a = policy(vec![statement(Some("A"), "arn:aws:s3:::a/*".into())]);
        let b = policy(vec![
            statement(None, "arn:aws:s3:::x/*".into()),
            statement(Some("B"), "arn:aws:s3:::b/*".into()),
        ]);
        let merged = Policy::merge_sources(&[&a, &b]).unwrap();
        assert_eq!(sids(&merged), ["A", "-", "B"]);
        assert_eq!(
            Policy::merge_sources(&[&a, &b, &a]),
            Err(ComposeError::DuplicateSid { sid: "A".into() })
        );
    }

    #[test]
    fn overrides_replace_by_sid_in_place_and_the_last_wins() {
        let mut merged = policy(vec![
            statement(Some("A"), "arn:aws:s3:::a/*".into()),
            statement(Some("B"), "arn:aws:s3:::b/*".into()),
        ]);
        merged.override_with(&policy(vec![
            statement(Some("A"), "arn:aws:s3:::first/*".into()),
            statement(None, "arn:aws:s3:::new/*".into()),
        ]));
        merged.override_with(&policy(vec![statement(
            Some("A"),
            "arn:aws:s3:::last/*".into(),
        )]));
        assert_eq!(sids(&merged), ["A", "B", "-"]);
        assert!(merged.to_json().contains("arn:aws:s3:::last/*"));
        assert!(!merged.to_json().contains("first"));
    }

    #[test]
    fn split_packs_within_the_quota_and_keeps_the_order() {
        // 40 statements of about 240 characters: about 9,700 characters, over 6,144.
        let statements: Vec<Statement> = (0..40)
            .map(|i| {
                statement(
                    Some(&format!("S{i}")),
                    format!("arn:aws:s3:::bucket-{i}/{}", "p".repeat(180)),
                )
            })
            .collect();
        let whole = policy(statements);
        assert!(whole.size() > PolicyKind::Identity.size_quota());
        let parts = whole.split().unwrap();
        assert_eq!(parts.len(), 2);
        let total: usize = parts.iter().map(|p| p.statements().len()).sum();
        assert_eq!(total, 40);
        for part in &parts {
            assert!(
                part.size() <= PolicyKind::Identity.size_quota(),
                "{}",
                part.size()
            );
            assert_eq!(part.validate(), Ok(()));
            let indices: Vec<usize> = sids(part).iter().map(|s| s[1..].parse().unwrap()).collect();
            assert!(indices.windows(2).all(|w| w[0] < w[1]), "{indices:?}");
        }
        let small = policy(vec![statement(None, "arn:aws:s3:::a/*".into())]);
        assert_eq!(small.split().unwrap(), [small]);
    }

    #[test]
    fn the_const_size_is_the_length_of_the_minified_json() {
        let text = r#"{"Version": "2012-10-17", "Id": "é\"x", "Statement": [{"Sid": "A", "Effect": "Deny",
            "Principal": {"AWS": ["arn:aws:iam::123456789012:root"], "Service": "ssm.amazonaws.com"},
            "NotAction": "s3:GetObject", "Resource": ["*"], "Condition": {"NumericLessThan":
            {"s3:max-keys": [10, 5]}, "Bool": {"aws:SecureTransport": false},
            "StringLike": {"aws:userid": "a\nb→"}}}, {"Effect": "Allow", "Principal": "*",
            "Action": [], "Resource": "*"}]}"#;
        let policy = Policy::from_json_as(text, PolicyKind::Resource).unwrap();
        assert_eq!(policy.size(), policy.to_json().chars().count());
        let one = policy.statements()[1].clone();
        assert_eq!(
            statement_size_const(&one),
            serde_json::to_string(&one).unwrap().chars().count()
        );
    }

    #[test]
    fn composed_checks_find_a_duplicate_sid_and_an_oversize() {
        let a = policy(vec![
            statement(Some("A"), "arn:aws:s3:::a/*".into()),
            statement(Some("A"), "arn:aws:s3:::b/*".into()),
        ]);
        assert_eq!(check_composed(&a, true, None), Err(DUPLICATE_SID));
        assert_eq!(check_composed(&a, false, None), Ok(()));
        let b = policy(vec![statement(Some("A"), "arn:aws:s3:::a/*".into())]);
        assert_eq!(check_composed(&b, true, Some(10_000)), Ok(()));
        assert_eq!(check_composed(&b, true, Some(20)), Err(OVER_QUOTA));
    }

    #[test]
    fn split_names_a_statement_too_large_alone() {
        let huge = policy(vec![
            statement(Some("Small"), "arn:aws:s3:::a/*".into()),
            statement(Some("Huge"), format!("arn:aws:s3:::b/{}", "p".repeat(7000))),
        ]);
        let error = huge.split().unwrap_err();
        assert!(
            matches!(&error, ComposeError::StatementTooLarge { index: 1, sid: Some(sid), quota: 6_144, .. } if sid == "Huge"),
            "{error:?}"
        );
        assert!(error.to_string().contains("(`Huge`)"), "{error}");
    }
}
