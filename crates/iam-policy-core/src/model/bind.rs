//! Binding the parameters of a documented policy (`{account-id}`) to real values.

use std::borrow::Cow;
use std::fmt;

use super::{
    ConditionBlock, ConditionEntry, ConditionValue, Error, OneOrMany, Parameter, ParameterKind,
    Policy, Principal, PrincipalEntry, Statement, Text,
};
use crate::Options;
use crate::parameter::replace_placeholders;

/// Why a policy could not be bound.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BindError {
    /// A value names no parameter the policy declares.
    UnknownParameter { name: String, declared: Vec<String> },
    /// The same parameter is given twice.
    DuplicateParameter { name: String },
    /// The value breaks the rule of the parameter's kind.
    InvalidValue {
        name: String,
        kind: ParameterKind,
        value: String,
        rule: String,
    },
    /// The bound policy breaks a policy rule (the values are each valid, but not together, or a
    /// rule needs the real value).
    InvalidPolicy(Error),
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindError::UnknownParameter { name, declared } if declared.is_empty() => {
                write!(f, "unknown parameter `{name}`: the policy declares none")
            }
            BindError::UnknownParameter { name, declared } => {
                let declared: Vec<String> = declared.iter().map(|n| format!("`{n}`")).collect();
                write!(
                    f,
                    "unknown parameter `{name}`; the declared parameters are {}",
                    declared.join(", ")
                )
            }
            BindError::DuplicateParameter { name } => {
                write!(f, "parameter `{name}` is given more than once")
            }
            BindError::InvalidValue {
                name, value, rule, ..
            } => write!(f, "invalid value `{value}` for parameter `{name}`: {rule}"),
            BindError::InvalidPolicy(error) => write!(f, "the bound policy is invalid:\n{error}"),
        }
    }
}

impl std::error::Error for BindError {}

impl Policy {
    /// The policy with the named parameters replaced by `values` (`("account-id",
    /// "123456789012")`), each checked against its kind's rule; parameters left out stay
    /// declared and unbound. The bound policy is validated again with every rule; once every
    /// parameter is bound it holds no placeholder text.
    pub fn bind(&self, values: &[(&str, &str)]) -> Result<Policy, BindError> {
        let declared = &self.parameters[..];
        for (i, &(name, value)) in values.iter().enumerate() {
            let Some(parameter) = declared.iter().find(|p| p.name == name) else {
                return Err(BindError::UnknownParameter {
                    name: name.to_owned(),
                    declared: declared.iter().map(|p| p.name.to_string()).collect(),
                });
            };
            if values[..i].iter().any(|&(earlier, _)| earlier == name) {
                return Err(BindError::DuplicateParameter {
                    name: name.to_owned(),
                });
            }
            parameter
                .kind
                .check(value)
                .map_err(|rule| BindError::InvalidValue {
                    name: name.to_owned(),
                    kind: parameter.kind,
                    value: value.to_owned(),
                    rule,
                })?;
        }
        if values.is_empty() {
            // Nothing changes: the policy is as valid as it was when it was built.
            return Ok(self.clone());
        }
        let value_of = |name: &str| {
            values
                .iter()
                .find(|&&(bound, _)| bound == name)
                .map(|&(_, value)| value)
        };
        let bind = |text: &Text| -> Text {
            match replace_placeholders(text, value_of) {
                Cow::Borrowed(_) => text.clone(),
                Cow::Owned(bound) => Cow::Owned(bound),
            }
        };
        let unbound: Vec<Parameter> = declared
            .iter()
            .filter(|p| value_of(&p.name).is_none())
            .cloned()
            .collect();
        let bound = Policy {
            version: self.version.as_ref().map(bind),
            id: self.id.as_ref().map(bind),
            statement: map_one_or_many(&self.statement, |s| bind_statement(s, &bind)),
            kind: self.kind,
            parameters: Cow::Owned(unbound),
        };
        bound.validate().map_err(BindError::InvalidPolicy)?;
        Ok(bound)
    }

    /// Runs every rule on the policy, its unbound parameters checked with typical values, for its
    /// declared kind. The model does not carry the waivers of `policy!`, so a check waived
    /// there is reported here.
    fn validate(&self) -> Result<(), Error> {
        // Serialized without its parameters, the policy keeps `{name}` as written, which is what
        // the rules expect next to the declared parameters.
        let literal = Policy {
            parameters: Cow::Borrowed(&[]),
            ..self.clone()
        };
        let options = Options {
            parameters: self
                .parameters
                .iter()
                .map(|p| crate::Parameter {
                    name: p.name.to_string(),
                    kind: p.kind,
                })
                .collect(),
            kind: self.kind,
            ..Options::default()
        };
        Policy::from_json_with(&literal.to_json_pretty(), &options).map(|_| ())
    }
}

fn map_one_or_many<T: Clone + 'static>(list: &OneOrMany<T>, f: impl Fn(&T) -> T) -> OneOrMany<T> {
    match list {
        OneOrMany::One(value) => OneOrMany::One(f(value)),
        OneOrMany::Many(values) => OneOrMany::Many(values.iter().map(f).collect()),
    }
}

fn bind_statement(s: &Statement, bind: &impl Fn(&Text) -> Text) -> Statement {
    let list = |list: &Option<OneOrMany<Text>>| list.as_ref().map(|l| map_one_or_many(l, bind));
    let principal = |principal: &Option<Principal>| {
        principal.as_ref().map(|principal| match principal {
            Principal::Any => Principal::Any,
            Principal::Map(entries) => Principal::Map(
                entries
                    .iter()
                    .map(|entry| PrincipalEntry {
                        principal_type: bind(&entry.principal_type),
                        values: map_one_or_many(&entry.values, bind),
                    })
                    .collect(),
            ),
        })
    };
    let value = |value: &ConditionValue| match value {
        ConditionValue::String(text) => ConditionValue::String(bind(text)),
        other => other.clone(),
    };
    let condition = s.condition.as_ref().map(|blocks| {
        blocks
            .iter()
            .map(|block| ConditionBlock {
                operator: bind(&block.operator),
                entries: block
                    .entries
                    .iter()
                    .map(|entry| ConditionEntry {
                        key: bind(&entry.key),
                        values: map_one_or_many(&entry.values, value),
                    })
                    .collect(),
            })
            .collect()
    });
    Statement {
        sid: s.sid.as_ref().map(bind),
        effect: s.effect,
        principal: principal(&s.principal),
        not_principal: principal(&s.not_principal),
        action: list(&s.action),
        not_action: list(&s.not_action),
        resource: list(&s.resource),
        not_resource: list(&s.not_resource),
        condition,
    }
}
