//! `Deserialize` through the core's tree: any serde data format is read into the tree, which
//! [`read`](super::read) validates and lowers like a parsed text.

use std::fmt;

use serde_core::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_core::{Deserialize, Deserializer};

use super::{Policy, Reading, read};
use crate::{Member, Node, Options, Severity, Span, Value};

impl<'de> Deserialize<'de> for Policy {
    /// Reads the document, validates it with every rule (an identity or resource policy by the
    /// presence of principals) and converts it; the first error-severity finding is the error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let document = NodeSeed.deserialize(deserializer)?;
        let Reading { findings, policy } = read(&document, &Options::default());
        let first_error = findings
            .iter()
            .find(|finding| finding.severity == Severity::Error);
        if let Some(error) = first_error {
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
        // Without an error, the document has a meaning: `read` lowered it.
        policy.ok_or_else(|| de::Error::custom("the document is not a policy"))
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
