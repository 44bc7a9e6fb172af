//! The statements of a document as the checks reason about them: each element read into sets
//! of patterns, and whether the statement could be read in full. A statement the rules would
//! reject (a missing `Effect`, a number where an action belongs) is kept as unreadable: an
//! unreadable `Allow` is taken to grant everything, an unreadable `Deny` to deny nothing.

use crate::json::{Node, Span, Value};
use crate::matching::Operator;

/// One statement of a policy.
#[derive(Clone, Debug)]
pub(crate) struct Statement<'a> {
    /// Index in `Statement` (0 when `Statement` is one object).
    pub index: usize,
    pub sid: Option<&'a str>,
    pub span: Span,
    pub effect: Effect,
    pub actions: Items<'a>,
    pub resources: Items<'a>,
    pub principal: Principals<'a>,
    pub conditions: Vec<Condition<'a>>,
    /// Every element was read as IAM reads it.
    pub readable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
    /// Missing or misspelled: the statement is unreadable.
    Unknown,
}

/// `Action`/`NotAction`, `Resource`/`NotResource`.
#[derive(Clone, Debug)]
pub(crate) enum Items<'a> {
    /// `Action`, `Resource`: what the patterns match.
    Listed(Vec<&'a str>),
    /// `NotAction`, `NotResource`: everything the patterns do not match.
    Except(Vec<&'a str>),
    /// Everything: no such element (a trust policy has no `Resource`), or an unreadable one.
    Any,
}

/// `Principal`/`NotPrincipal` as (principal type, value) pairs; `"*"` is `("AWS", "*")`, as
/// AWS documents the two as the same.
#[derive(Clone, Debug)]
pub(crate) enum Principals<'a> {
    /// An identity-based policy: the principal the policy is attached to.
    Absent,
    Listed(Vec<(&'a str, &'a str)>),
    Except(Vec<(&'a str, &'a str)>),
}

/// One key of one operator of `Condition`.
#[derive(Clone, Debug)]
pub(crate) struct Condition<'a> {
    /// The operator as written.
    pub operator_name: &'a str,
    pub operator: Operator,
    pub key: &'a str,
    /// Values as text; `true`/`false` for JSON booleans, numbers as written.
    pub values: Vec<&'a str>,
}

impl Principals<'_> {
    /// `Principal: "*"` or `{"AWS": "*"}` among the values.
    pub fn is_everyone(&self) -> bool {
        match self {
            Principals::Listed(entries) => entries
                .iter()
                .any(|&(kind, value)| kind == "AWS" && value == "*"),
            _ => false,
        }
    }
}

/// The statements of `document`, or `None` when it is not a policy at all (not an object, or
/// `Statement` missing or neither an object nor an array).
pub(crate) fn statements<'a>(document: &'a Node<'_>) -> Option<Vec<Statement<'a>>> {
    let members = object(document)?;
    let statement = members
        .iter()
        .find(|member| member.key == "Statement")
        .map(|member| &member.value)?;
    match &statement.value {
        Value::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(index, node)| read_statement(index, node))
                .collect(),
        ),
        Value::Object(_) => Some(vec![read_statement(0, statement)]),
        _ => None,
    }
}

fn object<'n, 's>(node: &'n Node<'s>) -> Option<&'n [crate::json::Member<'s>]> {
    match &node.value {
        Value::Object(members) => Some(members),
        _ => None,
    }
}

fn read_statement<'a>(index: usize, node: &'a Node<'_>) -> Statement<'a> {
    let mut statement = Statement {
        index,
        sid: None,
        span: node.span,
        effect: Effect::Unknown,
        actions: Items::Any,
        resources: Items::Any,
        principal: Principals::Absent,
        conditions: Vec::new(),
        readable: false,
    };
    let Some(members) = object(node) else {
        return statement;
    };
    let mut readable = true;
    let mut seen_action = false;
    let mut names = Vec::with_capacity(members.len());
    for member in members {
        // A duplicated element: IAM keeps one of them, which one is not documented.
        if names.contains(&member.key.as_ref()) {
            readable = false;
        }
        names.push(member.key.as_ref());
        let value = &member.value;
        match member.key.as_ref() {
            "Sid" => statement.sid = text(value),
            "Effect" => {
                statement.effect = match text(value) {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    _ => Effect::Unknown,
                }
            }
            "Action" | "NotAction" => {
                seen_action = true;
                match texts(value) {
                    Some(list) if member.key == "Action" => statement.actions = Items::Listed(list),
                    Some(list) => statement.actions = Items::Except(list),
                    None => readable = false,
                }
            }
            "Resource" | "NotResource" => match texts(value) {
                Some(list) if member.key == "Resource" => statement.resources = Items::Listed(list),
                Some(list) => statement.resources = Items::Except(list),
                None => readable = false,
            },
            "Principal" | "NotPrincipal" => match principals(value) {
                Some(list) if member.key == "Principal" => {
                    statement.principal = Principals::Listed(list)
                }
                Some(list) => statement.principal = Principals::Except(list),
                None => readable = false,
            },
            "Condition" => match conditions(value) {
                Some(list) => statement.conditions = list,
                None => readable = false,
            },
            _ => readable = false,
        }
    }
    statement.readable = readable && seen_action && statement.effect != Effect::Unknown;
    if !statement.readable {
        // What an unreadable statement could grant is bounded by nothing.
        statement.actions = Items::Any;
        statement.resources = Items::Any;
    }
    statement
}

fn text<'a>(node: &'a Node<'_>) -> Option<&'a str> {
    match &node.value {
        Value::String(text) => Some(text),
        _ => None,
    }
}

/// A string or an array of strings.
fn texts<'a>(node: &'a Node<'_>) -> Option<Vec<&'a str>> {
    match &node.value {
        Value::String(text) => Some(vec![text]),
        Value::Array(items) => each(items, text),
        _ => None,
    }
}

/// `read` of each of `items`; `None` when one of them is `None`. One function for the readers
/// of strings and of condition values, so that the collecting is compiled once.
fn each<'a>(
    items: &'a [Node<'_>],
    read: fn(&'a Node<'_>) -> Option<&'a str>,
) -> Option<Vec<&'a str>> {
    items.iter().map(read).collect()
}

fn principals<'a>(node: &'a Node<'_>) -> Option<Vec<(&'a str, &'a str)>> {
    if text(node) == Some("*") {
        return Some(vec![("AWS", "*")]);
    }
    let mut found = Vec::new();
    for member in object(node)? {
        for value in texts(&member.value)? {
            found.push((member.key.as_ref(), value));
        }
    }
    Some(found)
}

fn conditions<'a>(node: &'a Node<'_>) -> Option<Vec<Condition<'a>>> {
    let mut found = Vec::new();
    for block in object(node)? {
        let operator = Operator::parse(&block.key).ok()?;
        for entry in object(&block.value)? {
            let values = match &entry.value.value {
                Value::Array(items) => each(items, condition_value)?,
                _ => vec![condition_value(&entry.value)?],
            };
            found.push(Condition {
                operator_name: &block.key,
                operator,
                key: &entry.key,
                values,
            });
        }
    }
    Some(found)
}

fn condition_value<'a>(node: &'a Node<'_>) -> Option<&'a str> {
    match &node.value {
        Value::String(text) | Value::Number(text) => Some(text),
        Value::Bool(true) => Some("true"),
        Value::Bool(false) => Some("false"),
        _ => None,
    }
}
