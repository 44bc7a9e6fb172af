//! From the core's JSON tree to the model, and `Deserialize` through that tree.
//!
//! Validation belongs to the core: `Deserialize` builds the tree, runs every rule and only then
//! converts. The conversion still refuses a shape it cannot represent (with a finding, never a
//! panic), because the tree it gets may come from anywhere.

use std::borrow::Cow;
use std::fmt;

use iam_policy_core::{Finding, IssueCode, Member, Node, Options, Severity, Span, Value};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::{
    ConditionBlock, ConditionEntry, ConditionValue, Effect, OneOrMany, Policy, Principal,
    PrincipalEntry, Statement, Text,
};

/// The policy a valid document describes.
pub(crate) fn policy_from_node(document: &Node<'_>) -> Result<Policy, Finding> {
    let members = object(document, "")?;
    let mut policy = Policy {
        version: None,
        id: None,
        statement: OneOrMany::Many(Cow::Borrowed(&[])),
        kind: None,
        parameters: Cow::Borrowed(&[]),
    };
    let mut has_statement = false;
    for member in members {
        let path = &*member.key;
        match path {
            "Version" => policy.version = Some(string(&member.value, path)?),
            "Id" => policy.id = Some(string(&member.value, path)?),
            "Statement" => {
                has_statement = true;
                policy.statement = match &member.value.value {
                    Value::Array(items) => OneOrMany::Many(Cow::Owned(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| statement(item, &format!("Statement[{i}]")))
                            .collect::<Result<_, _>>()?,
                    )),
                    _ => OneOrMany::One(statement(&member.value, path)?),
                };
            }
            _ => return Err(unknown_element(member, path)),
        }
    }
    if !has_statement {
        return Err(finding(
            IssueCode::MissingStatement,
            document.span,
            "",
            "the policy has no `Statement`".to_owned(),
        ));
    }
    Ok(policy)
}

fn statement(node: &Node<'_>, path: &str) -> Result<Statement, Finding> {
    // The same defaults as a `policy!` statement: every element unwritten.
    let mut statement = crate::__private::STATEMENT;
    let mut has_effect = false;
    for member in object(node, path)? {
        let path = &format!("{path}.{}", member.key);
        let value = &member.value;
        match &*member.key {
            "Sid" => statement.sid = Some(string(value, path)?),
            "Effect" => {
                has_effect = true;
                statement.effect = match string(value, path)?.as_ref() {
                    "Allow" => Effect::Allow,
                    "Deny" => Effect::Deny,
                    other => {
                        return Err(finding(
                            IssueCode::InvalidEffect,
                            value.span,
                            path,
                            format!("`{other}` is not an effect: use `Allow` or `Deny`"),
                        ));
                    }
                };
            }
            "Principal" => statement.principal = Some(principal(value, path)?),
            "NotPrincipal" => statement.not_principal = Some(principal(value, path)?),
            "Action" => statement.action = Some(strings(value, path)?),
            "NotAction" => statement.not_action = Some(strings(value, path)?),
            "Resource" => statement.resource = Some(strings(value, path)?),
            "NotResource" => statement.not_resource = Some(strings(value, path)?),
            "Condition" => statement.condition = Some(condition(value, path)?),
            _ => return Err(unknown_element(member, path)),
        }
    }
    if !has_effect {
        return Err(finding(
            IssueCode::MissingEffect,
            node.span,
            path,
            "the statement has no `Effect`".to_owned(),
        ));
    }
    Ok(statement)
}

fn principal(node: &Node<'_>, path: &str) -> Result<Principal, Finding> {
    if let Value::String(text) = &node.value
        && text == "*"
    {
        return Ok(Principal::Any);
    }
    let entries = object(node, path)?
        .iter()
        .map(|member| {
            Ok(PrincipalEntry {
                principal_type: Cow::Owned(member.key.clone().into_owned()),
                values: strings(&member.value, &format!("{path}.{}", member.key))?,
            })
        })
        .collect::<Result<Vec<_>, Finding>>()?;
    Ok(Principal::Map(Cow::Owned(entries)))
}

fn condition(node: &Node<'_>, path: &str) -> Result<Cow<'static, [ConditionBlock]>, Finding> {
    let blocks = object(node, path)?
        .iter()
        .map(|operator| {
            let path = format!("{path}.{}", operator.key);
            let entries = object(&operator.value, &path)?
                .iter()
                .map(|key| {
                    let path = format!("{path}.{}", key.key);
                    Ok(ConditionEntry {
                        key: Cow::Owned(key.key.clone().into_owned()),
                        values: one_or_many(&key.value, &path, condition_value)?,
                    })
                })
                .collect::<Result<Vec<_>, Finding>>()?;
            Ok(ConditionBlock {
                operator: Cow::Owned(operator.key.clone().into_owned()),
                entries: Cow::Owned(entries),
            })
        })
        .collect::<Result<Vec<_>, Finding>>()?;
    Ok(Cow::Owned(blocks))
}

fn condition_value(node: &Node<'_>, path: &str) -> Result<ConditionValue, Finding> {
    match &node.value {
        Value::String(text) => Ok(ConditionValue::String(Cow::Owned(
            text.clone().into_owned(),
        ))),
        Value::Number(text) => Ok(ConditionValue::Number(Cow::Owned(
            text.clone().into_owned(),
        ))),
        Value::Bool(value) => Ok(ConditionValue::Bool(*value)),
        _ => Err(mismatch(node, path, "a string, number or boolean")),
    }
}

fn strings(node: &Node<'_>, path: &str) -> Result<OneOrMany<Text>, Finding> {
    one_or_many(node, path, string)
}

fn one_or_many<T: Clone>(
    node: &Node<'_>,
    path: &str,
    item: fn(&Node<'_>, &str) -> Result<T, Finding>,
) -> Result<OneOrMany<T>, Finding> {
    match &node.value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, node)| item(node, &format!("{path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(|items| OneOrMany::Many(Cow::Owned(items))),
        _ => item(node, path).map(OneOrMany::One),
    }
}

fn string(node: &Node<'_>, path: &str) -> Result<Text, Finding> {
    match &node.value {
        Value::String(text) => Ok(Cow::Owned(text.clone().into_owned())),
        _ => Err(mismatch(node, path, "a string")),
    }
}

fn object<'n>(node: &'n Node<'n>, path: &str) -> Result<&'n [Member<'n>], Finding> {
    match &node.value {
        Value::Object(members) => Ok(members),
        _ => Err(mismatch(node, path, "an object")),
    }
}

fn mismatch(node: &Node<'_>, path: &str, expected: &str) -> Finding {
    let found = match node.value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let place = if path.is_empty() { "the policy" } else { path };
    finding(
        IssueCode::DataTypeMismatch,
        node.span,
        path,
        format!("`{place}` must be {expected}, found {found}"),
    )
}

fn unknown_element(member: &Member<'_>, path: &str) -> Finding {
    finding(
        IssueCode::InvalidPolicyElement,
        member.key_span,
        path,
        format!("`{}` is not a policy element", member.key),
    )
}

fn finding(code: IssueCode, span: Span, path: &str, message: String) -> Finding {
    Finding {
        code,
        severity: Severity::Error,
        message,
        help: None,
        span,
        path: path.to_owned(),
        statement: None,
    }
}

impl<'de> Deserialize<'de> for Policy {
    /// Reads the document, validates it with every rule (an identity or resource policy by the
    /// presence of principals) and converts it; the first error-severity finding is the error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let document = NodeSeed.deserialize(deserializer)?;
        let findings = crate::errors(&document, &Options::default());
        if let Some(error) = findings.first() {
            let at = if error.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", error.path)
            };
            return Err(de::Error::custom(format_args!(
                "{at}{} [{}]",
                error.message,
                error.code.as_str()
            )));
        }
        policy_from_node(&document).map_err(|error| de::Error::custom(error.message))
    }
}

/// Builds the core's tree from any serde data format. Spans are left empty: findings then carry
/// only their JSON path.
struct NodeSeed;

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node<'static>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'static>, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

fn node(value: Value<'static>) -> Node<'static> {
    Node {
        value,
        span: Span::default(),
    }
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'static>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node<'static>, E> {
        Ok(node(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Node<'static>, E> {
        Ok(node(Value::Null))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node<'static>, E> {
        Ok(node(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node<'static>, E> {
        Ok(node(Value::Number(value.to_string().into())))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node<'static>, E> {
        Ok(node(Value::Number(value.to_string().into())))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node<'static>, E> {
        Ok(node(Value::Number(value.to_string().into())))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node<'static>, E> {
        Ok(node(Value::String(value.to_owned().into())))
    }

    fn visit_string<E>(self, value: String) -> Result<Node<'static>, E> {
        Ok(node(Value::String(value.into())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'static>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(NodeSeed)? {
            items.push(item);
        }
        Ok(node(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'static>, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(NodeSeed)?;
            members.push(Member {
                key: key.into(),
                key_span: Span::default(),
                value,
            });
        }
        Ok(node(Value::Object(members)))
    }
}
