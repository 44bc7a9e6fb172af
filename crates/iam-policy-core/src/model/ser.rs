//! `Serialize`: the JSON document as written, elements in AWS's order (`Version`, `Id`,
//! `Statement`; `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`,
//! `NotResource`, `Condition`). A [`Template`] has no `Serialize`: only
//! [`Template::to_json_pretty_with_placeholder_names`] prints one, its placeholders as the bare
//! name, the way AWS's documentation prints its samples.
//!
//! Written by hand rather than derived because a template's strings need its parameters to be
//! rendered, and numbers are kept as the text they were written as.

use std::borrow::Cow;

use serde_core::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde_core::{Serialize, Serializer};

use super::{
    ConditionBlock, ConditionValue, OneOrMany, Parameter, Policy, Principal, Statement, Template,
};
use super::{element, json_writer};
use crate::parameter::replace_placeholders;

/// The policy as JSON text, minified or indented by two spaces.
#[expect(
    clippy::expect_used,
    reason = "the writer fails only on data the model does not have (a map key that is no \
              string, a `char`, ...) or a failing `Serialize` impl; these impls fail only when \
              the writer does: an error here is a bug to see, not a document to write out empty"
)]
pub(crate) fn to_json(policy: &Policy, pretty: bool) -> String {
    json_writer::to_string(&with(policy, &[]), pretty).expect("a policy serializes to JSON")
}

/// A template as pretty JSON, each `{name}` printed as `name`.
#[expect(
    clippy::expect_used,
    reason = "as for `to_json`: the serializer fails only on a bug"
)]
pub(crate) fn template_to_json_pretty(template: &Template) -> String {
    json_writer::to_string(&with(&template.policy, &template.parameters), true)
        .expect("a template serializes to JSON")
}

/// A part of a policy together with the parameters its strings may name.
struct With<'a, T: ?Sized> {
    value: &'a T,
    parameters: &'a [Parameter],
}

fn with<'a, T: ?Sized>(value: &'a T, parameters: &'a [Parameter]) -> With<'a, T> {
    With { value, parameters }
}

/// `text` with each declared `{name}` printed as `name` (a `{` right after `$` opens an IAM
/// policy variable such as `${aws:userid}` and is left alone).
pub(crate) fn render<'t>(text: &'t str, parameters: &[Parameter]) -> Cow<'t, str> {
    if parameters.is_empty() {
        return Cow::Borrowed(text);
    }
    replace_placeholders(text, |name| {
        parameters
            .iter()
            .any(|parameter| parameter.name == name)
            .then_some(name)
    })
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        with(self, &[]).serialize(serializer)
    }
}

impl Serialize for With<'_, Policy> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (policy, parameters) = (self.value, self.parameters);
        let len = 1 + usize::from(policy.version.is_some()) + usize::from(policy.id.is_some());
        let mut document = serializer.serialize_struct("Policy", len)?;
        if let Some(version) = &policy.version {
            document.serialize_field(element::VERSION, &render(version, parameters))?;
        }
        if let Some(id) = &policy.id {
            document.serialize_field(element::ID, &render(id, parameters))?;
        }
        document.serialize_field(element::STATEMENT, &with(&policy.statement, parameters))?;
        document.end()
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        with(self, &[]).serialize(serializer)
    }
}

impl Serialize for With<'_, OneOrMany<Statement>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            OneOrMany::One(statement) => with(statement, self.parameters).serialize(serializer),
            OneOrMany::Many(statements) => {
                let mut seq = serializer.serialize_seq(Some(statements.len()))?;
                for statement in statements.iter() {
                    seq.serialize_element(&with(statement, self.parameters))?;
                }
                seq.end()
            }
        }
    }
}

impl Serialize for With<'_, Statement> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (s, parameters) = (self.value, self.parameters);
        let len = 1
            + usize::from(s.sid.is_some())
            + usize::from(s.principal.is_some())
            + usize::from(s.not_principal.is_some())
            + usize::from(s.action.is_some())
            + usize::from(s.not_action.is_some())
            + usize::from(s.resource.is_some())
            + usize::from(s.not_resource.is_some())
            + usize::from(s.condition.is_some());
        let mut statement = serializer.serialize_struct("Statement", len)?;
        if let Some(sid) = &s.sid {
            statement.serialize_field(element::SID, &render(sid, parameters))?;
        }
        statement.serialize_field(element::EFFECT, s.effect.as_str())?;
        if let Some(principal) = &s.principal {
            statement.serialize_field(element::PRINCIPAL, &with(principal, parameters))?;
        }
        if let Some(principal) = &s.not_principal {
            statement.serialize_field(element::NOT_PRINCIPAL, &with(principal, parameters))?;
        }
        let lists = [
            (element::ACTION, &s.action),
            (element::NOT_ACTION, &s.not_action),
            (element::RESOURCE, &s.resource),
            (element::NOT_RESOURCE, &s.not_resource),
        ];
        for (name, list) in lists {
            if let Some(list) = list {
                statement.serialize_field(name, &with(list, parameters))?;
            }
        }
        if let Some(condition) = &s.condition {
            statement.serialize_field(element::CONDITION, &with(&condition[..], parameters))?;
        }
        statement.end()
    }
}

impl Serialize for With<'_, Principal> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Principal::Any => serializer.serialize_str("*"),
            Principal::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for entry in entries.iter() {
                    map.serialize_entry(
                        &render(&entry.principal_type, self.parameters),
                        &with(&entry.values, self.parameters),
                    )?;
                }
                map.end()
            }
        }
    }
}

impl Serialize for With<'_, OneOrMany<Cow<'static, str>>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            OneOrMany::One(text) => serializer.serialize_str(&render(text, self.parameters)),
            OneOrMany::Many(texts) => {
                let mut seq = serializer.serialize_seq(Some(texts.len()))?;
                for text in texts.iter() {
                    seq.serialize_element(&render(text, self.parameters))?;
                }
                seq.end()
            }
        }
    }
}

impl Serialize for With<'_, [ConditionBlock]> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut operators = serializer.serialize_map(Some(self.value.len()))?;
        for block in self.value {
            operators.serialize_entry(&block.operator, &with(block, self.parameters))?;
        }
        operators.end()
    }
}

impl Serialize for With<'_, ConditionBlock> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries = &self.value.entries;
        let mut keys = serializer.serialize_map(Some(entries.len()))?;
        for entry in entries.iter() {
            keys.serialize_entry(
                &render(&entry.key, self.parameters),
                &with(&entry.values, self.parameters),
            )?;
        }
        keys.end()
    }
}

impl Serialize for With<'_, OneOrMany<ConditionValue>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            OneOrMany::One(value) => with(value, self.parameters).serialize(serializer),
            OneOrMany::Many(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values.iter() {
                    seq.serialize_element(&with(value, self.parameters))?;
                }
                seq.end()
            }
        }
    }
}

impl Serialize for With<'_, ConditionValue> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            ConditionValue::String(text) => {
                serializer.serialize_str(&render(text, self.parameters))
            }
            ConditionValue::Bool(value) => serializer.serialize_bool(*value),
            ConditionValue::Number(text) => serialize_number(text, serializer),
        }
    }
}

/// A number as written: integers exactly, other numbers as the nearest `f64`. Text that is no
/// number (only a hand-built `ConditionValue::Number` can hold one) is written as a string,
/// which is how IAM compares condition values anyway.
fn serialize_number<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if let Ok(value) = text.parse::<u64>() {
        serializer.serialize_u64(value)
    } else if let Ok(value) = text.parse::<i64>() {
        serializer.serialize_i64(value)
    } else if let Ok(value) = text.parse::<f64>()
        && value.is_finite()
    {
        serializer.serialize_f64(value)
    } else {
        serializer.serialize_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParameterKind;

    fn parameter(name: &'static str, kind: ParameterKind) -> Parameter {
        Parameter {
            name: Cow::Borrowed(name),
            kind,
        }
    }

    /// Every element, escapes, numbers of each form and the placeholders of a template: the
    /// text is `serde_json`'s, minified and pretty.
    #[test]
    fn the_json_is_serde_jsons_byte_for_byte() {
        let text = r#"{"Version": "2012-10-17", "Id": "é\"x\u0001\t", "Statement": [{"Sid": "A",
            "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::123456789012:root"],
            "Service": "ssm.amazonaws.com"}, "NotAction": "s3:GetObject", "NotResource": [],
            "Condition": {"NumericLessThan": {"s3:max-keys": [10, -5, 1.5, 2E3, 0.1,
            123456789012345678901234, 1e400]}, "Bool": {"aws:SecureTransport": false},
            "StringLike": {"aws:userid": "a\nb→"}}}, {"Effect": "Allow", "Principal": "*",
            "Action": [], "Resource": "arn:aws:s3:::{region}/*"}]}"#;
        let policy = Policy::from_json_unchecked(text).unwrap();
        let minified = policy.to_json();
        assert!(
            minified.contains(r#"[10,-5,1.5,2000.0,0.1,1.2345678901234569e+23,"1e400"]"#),
            "{minified}"
        );
        assert_eq!(minified, serde_json::to_string(&policy).unwrap());
        assert_eq!(
            policy.to_json_pretty(),
            serde_json::to_string_pretty(&policy).unwrap()
        );
        let template = Template {
            policy,
            parameters: Cow::Owned(vec![parameter("region", ParameterKind::Region)]),
        };
        let pretty = template.to_json_pretty_with_placeholder_names();
        assert!(pretty.contains("arn:aws:s3:::region/*"), "{pretty}");
        assert_eq!(
            pretty,
            serde_json::to_string_pretty(&with(&template.policy, &template.parameters)).unwrap()
        );
    }

    #[test]
    fn render_prints_declared_placeholders_as_bare_names() {
        let parameters = [
            parameter("region", ParameterKind::Region),
            parameter("account-id", ParameterKind::AccountId),
            parameter("instance-id", ParameterKind::InstanceId),
        ];
        assert_eq!(
            render(
                "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                &parameters
            ),
            "arn:aws:ec2:region:account-id:instance/instance-id"
        );
    }

    #[test]
    fn render_leaves_policy_variables_and_undeclared_braces_alone() {
        let parameters = [parameter("region", ParameterKind::Region)];
        assert_eq!(
            render("arn:aws:ssm:*:*:session/${aws:userid}-*", &parameters),
            "arn:aws:ssm:*:*:session/${aws:userid}-*"
        );
        assert_eq!(render("a{other}b{region", &parameters), "a{other}b{region");
        assert_eq!(render("{region}", &[]), "{region}");
    }
}
