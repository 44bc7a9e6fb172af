//! The lowering: a JSON tree the rules have read into the model, elements kept in the shape
//! they were written in. It checks nothing: every shape it cannot hold (an element of the wrong
//! JSON type, an unknown or repeated element, a statement without a valid `Effect`) is a grammar
//! finding that cannot be waived, and [`read`](super::read) then keeps the document from
//! having a policy at all. `None` here is that case seen from the model's side.

use std::borrow::Cow;
use std::cell::Cell;

use super::element;
use super::{
    ConditionBlock, ConditionEntry, ConditionValue, Effect, OneOrMany, Policy, Principal,
    PrincipalEntry, Statement, Text,
};
use crate::Options;
use crate::json::{Member, Node, Value};
use crate::matching::Operator;

/// The policy `document` describes, with the kind `options` declares.
pub(super) fn policy(document: &Node<'_>, options: &Options) -> Option<Policy> {
    // A `Statement` array, the usual case, is kept apart from a single statement: the policy
    // is then built in its place, with no copy of a large `OneOrMany::One` on the way.
    let (mut version, mut id, mut many, mut one) = (None, None, None, None);
    for member in object(document)? {
        let value = &member.value;
        match &*member.key {
            element::VERSION if version.is_none() => version = Some(text(value)?),
            element::ID if id.is_none() => id = Some(text(value)?),
            element::STATEMENT if many.is_none() && one.is_none() => match &value.value {
                Value::Array(items) => {
                    // Each statement is read straight into its place in the vector: a
                    // statement is large, and each move of it is a copy.
                    let mut statements = Vec::with_capacity(items.len());
                    for item in items {
                        statements.push(Statement::new(Effect::Allow));
                        let place = statements.last_mut()?;
                        self::statement(item, place)?;
                    }
                    many = Some(statements);
                }
                _ => {
                    let mut single = Statement::new(Effect::Allow);
                    self::statement(value, &mut single)?;
                    one = Some(single);
                }
            },
            _ => return None,
        }
    }
    let statement = match (many, one) {
        (Some(statements), _) => OneOrMany::Many(statements.into()),
        (None, single) => OneOrMany::One(single?),
    };
    Some(Policy {
        version,
        id,
        statement,
        kind: options.kind,
    })
}

/// Fills in `place` (a [`Statement::new`], to be filled in) with the statement `node` describes.
#[inline(always)]
fn statement(node: &Node<'_>, place: &mut Statement) -> Option<()> {
    let mut effect = None;
    for member in object(node)? {
        let value = &member.value;
        match &*member.key {
            element::SID if place.sid.is_none() => place.sid = Some(text(value)?),
            element::EFFECT if effect.is_none() => {
                effect = Some(match &value.value {
                    Value::String(text) if text == Effect::Allow.as_str() => Effect::Allow,
                    Value::String(text) if text == Effect::Deny.as_str() => Effect::Deny,
                    _ => return None,
                });
            }
            element::PRINCIPAL if place.principal.is_none() => {
                place.principal = Some(self::principal(value)?);
            }
            element::NOT_PRINCIPAL if place.not_principal.is_none() => {
                place.not_principal = Some(self::principal(value)?);
            }
            element::ACTION if place.action.is_none() => place.action = Some(texts(value)?),
            element::NOT_ACTION if place.not_action.is_none() => {
                place.not_action = Some(texts(value)?);
            }
            element::RESOURCE if place.resource.is_none() => place.resource = Some(texts(value)?),
            element::NOT_RESOURCE if place.not_resource.is_none() => {
                place.not_resource = Some(texts(value)?);
            }
            element::CONDITION if place.condition.is_none() => {
                place.condition = Some(self::condition(value)?);
            }
            _ => return None,
        }
    }
    place.effect = effect?;
    Some(())
}

#[inline(always)]
fn principal(node: &Node<'_>) -> Option<Principal> {
    match &node.value {
        Value::String(text) if matches!(text.as_bytes(), [b'*']) => Some(Principal::Any),
        Value::Object(types) => all(types, |member| {
            Some(PrincipalEntry {
                principal_type: principal_type(&member.key),
                values: texts(&member.value)?,
            })
        })
        .map(|entries| Principal::Map(entries.into())),
        _ => None,
    }
}

#[inline(always)]
fn condition(node: &Node<'_>) -> Option<Cow<'static, [ConditionBlock]>> {
    let blocks = all(object(node)?, |operator| {
        let entries = all(object(&operator.value)?, |entry| {
            Some(ConditionEntry {
                key: condition_key(&entry.key),
                values: one_or_many(&entry.value, condition_value)?,
            })
        })?;
        Some(ConditionBlock {
            operator: condition_operator(&operator.key),
            entries: entries.into(),
        })
    })?;
    Some(blocks.into())
}

#[inline(always)]
fn condition_value(node: &Node<'_>) -> Option<ConditionValue> {
    match &node.value {
        Value::String(text) => Some(ConditionValue::String(match &**text {
            "true" => Cow::Borrowed("true"),
            "false" => Cow::Borrowed("false"),
            _ => Cow::Owned(String::from(&**text)),
        })),
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

/// A principal type as written: the four IAM knows ([`element::PRINCIPAL_TYPES`]) without an
/// allocation.
fn principal_type(text: &str) -> Text {
    (element::PRINCIPAL_TYPES.iter())
        .find(|&&known| known == text)
        .map_or_else(
            || Cow::Owned(text.to_owned()),
            |&known| Cow::Borrowed(known),
        )
}

/// A condition key as written: one spelt exactly as the reference spells it is its `'static`
/// name there. The keys borrowed lately on this thread are tried first: a run's policies
/// condition on few keys, and a look-up in the reference costs about what the allocation does.
fn condition_key(text: &str) -> Text {
    thread_local! {
        static RECENT: Cell<[&'static str; 4]> = const { Cell::new([""; 4]) };
    }
    let recent = RECENT.get();
    if let Some(&name) = recent.iter().find(|&&name| name == text) {
        return Cow::Borrowed(name);
    }
    match iam_policy_reference::condition_key(text).map(|key| key.name()) {
        Some(name) if name == text => {
            let [first, second, third, _] = recent;
            RECENT.set([name, first, second, third]);
            Cow::Borrowed(name)
        }
        _ => Cow::Owned(text.to_owned()),
    }
}

/// A condition operator as written: a base operator without an allocation. Only a byte-exact
/// match is borrowed, so the rules' list decides what allocates, never what is kept.
fn condition_operator(text: &str) -> Text {
    Operator::base_name(text).map_or_else(|| Cow::Owned(text.to_owned()), Cow::Borrowed)
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
