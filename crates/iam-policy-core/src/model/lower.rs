//! The lowering: a JSON tree the rules have read into the model, elements kept in the shape
//! they were written in. It checks nothing: every shape it cannot hold (an element of the wrong
//! JSON type, an unknown or repeated element, a statement without a valid `Effect`) is a grammar
//! finding that cannot be waived, and [`read`](super::read) then keeps the document from
//! having a policy at all. `None` here is that case seen from the model's side.

use std::borrow::Cow;

use super::element;
use super::{
    ConditionBlock, ConditionEntry, ConditionValue, Effect, OneOrMany, Policy, Principal,
    PrincipalEntry, Statement, Text,
};
use crate::Options;
use crate::json::{Member, Node, Value};

/// The policy `document` describes, with the kind `options` declares.
pub(super) fn policy(document: &Node<'_>, options: &Options) -> Option<Policy> {
    let (mut version, mut id, mut statement) = (None, None, None);
    for member in object(document)? {
        let value = &member.value;
        match &*member.key {
            element::VERSION if version.is_none() => version = Some(text(value)?),
            element::ID if id.is_none() => id = Some(text(value)?),
            element::STATEMENT if statement.is_none() => {
                statement = Some(match &value.value {
                    Value::Array(items) => {
                        // Each statement is put straight into its place in the vector: a
                        // statement is large, and returning it first is a copy of it.
                        let mut statements = Vec::with_capacity(items.len());
                        for item in items {
                            self::statement(item, |statement| statements.push(statement))?;
                        }
                        OneOrMany::Many(statements.into())
                    }
                    _ => self::statement(value, OneOrMany::One)?,
                });
            }
            _ => return None,
        }
    }
    Some(Policy {
        version,
        id,
        statement: statement?,
        kind: options.kind,
    })
}

/// The statement `node` describes, handed to `place`.
#[inline(always)]
fn statement<T>(node: &Node<'_>, place: impl FnOnce(Statement) -> T) -> Option<T> {
    let mut sid = None;
    let mut effect = None;
    let mut principal = None;
    let mut not_principal = None;
    let mut action = None;
    let mut not_action = None;
    let mut resource = None;
    let mut not_resource = None;
    let mut condition = None;
    for member in object(node)? {
        let value = &member.value;
        match &*member.key {
            element::SID if sid.is_none() => sid = Some(text(value)?),
            element::EFFECT if effect.is_none() => {
                effect = Some(match &value.value {
                    Value::String(text) if text == Effect::Allow.as_str() => Effect::Allow,
                    Value::String(text) if text == Effect::Deny.as_str() => Effect::Deny,
                    _ => return None,
                });
            }
            element::PRINCIPAL if principal.is_none() => principal = Some(self::principal(value)?),
            element::NOT_PRINCIPAL if not_principal.is_none() => {
                not_principal = Some(self::principal(value)?);
            }
            element::ACTION if action.is_none() => action = Some(texts(value)?),
            element::NOT_ACTION if not_action.is_none() => not_action = Some(texts(value)?),
            element::RESOURCE if resource.is_none() => resource = Some(texts(value)?),
            element::NOT_RESOURCE if not_resource.is_none() => not_resource = Some(texts(value)?),
            element::CONDITION if condition.is_none() => condition = Some(self::condition(value)?),
            _ => return None,
        }
    }
    Some(place(Statement {
        sid,
        effect: effect?,
        principal,
        not_principal,
        action,
        not_action,
        resource,
        not_resource,
        condition,
    }))
}

fn principal(node: &Node<'_>) -> Option<Principal> {
    match &node.value {
        Value::String(text) if text == "*" => Some(Principal::Any),
        Value::Object(types) => all(types, |member| {
            Some(PrincipalEntry {
                principal_type: key(member),
                values: texts(&member.value)?,
            })
        })
        .map(|entries| Principal::Map(entries.into())),
        _ => None,
    }
}

fn condition(node: &Node<'_>) -> Option<Cow<'static, [ConditionBlock]>> {
    let blocks = all(object(node)?, |operator| {
        let entries = all(object(&operator.value)?, |entry| {
            Some(ConditionEntry {
                key: key(entry),
                values: one_or_many(&entry.value, condition_value)?,
            })
        })?;
        Some(ConditionBlock {
            operator: key(operator),
            entries: entries.into(),
        })
    })?;
    Some(blocks.into())
}

fn condition_value(node: &Node<'_>) -> Option<ConditionValue> {
    match &node.value {
        Value::String(text) => Some(ConditionValue::String(owned(text))),
        Value::Number(text) => Some(ConditionValue::Number(owned(text))),
        Value::Bool(value) => Some(ConditionValue::Bool(*value)),
        _ => None,
    }
}

fn texts(node: &Node<'_>) -> Option<OneOrMany<Text>> {
    one_or_many(node, text)
}

fn one_or_many<T: Clone>(
    node: &Node<'_>,
    item: fn(&Node<'_>) -> Option<T>,
) -> Option<OneOrMany<T>> {
    match &node.value {
        Value::Array(items) => all(items, item).map(|items| OneOrMany::Many(items.into())),
        _ => item(node).map(OneOrMany::One),
    }
}

/// `read` of each of `items`, or `None` when one gives `None`: in a vector of the right size
/// from the start (an iterator collected into `Option` knows no length and grows its vector).
fn all<I, T>(items: &[I], read: impl Fn(&I) -> Option<T>) -> Option<Vec<T>> {
    let mut all = Vec::with_capacity(items.len());
    for item in items {
        all.push(read(item)?);
    }
    Some(all)
}

fn text(node: &Node<'_>) -> Option<Text> {
    match &node.value {
        Value::String(text) => Some(owned(text)),
        _ => None,
    }
}

fn key(member: &Member<'_>) -> Text {
    owned(&member.key)
}

/// The text as the model keeps it: the few texts nearly every policy writes (`*` for every
/// action, resource or principal, the current `Version`) without an allocation.
fn owned(text: &str) -> Text {
    match text {
        "*" => Cow::Borrowed("*"),
        "2012-10-17" => Cow::Borrowed("2012-10-17"),
        _ => Cow::Owned(text.to_owned()),
    }
}

fn object<'n>(node: &'n Node<'n>) -> Option<&'n [Member<'n>]> {
    match &node.value {
        Value::Object(members) => Some(members),
        _ => None,
    }
}
