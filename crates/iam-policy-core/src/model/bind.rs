//! Binding the parameters of a template (`{account-id}`) to real values.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use super::{
    ConditionBlock, ConditionEntry, ConditionValue, Error, OneOrMany, ParameterKind, Policy,
    Principal, PrincipalEntry, Statement, Template, Text,
};
use crate::Options;
use crate::parameter::replace_placeholders;

/// Why a template could not be bound.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BindError {
    /// A value names no parameter the template declares.
    UnknownParameter { name: String, declared: Vec<String> },
    /// The same parameter is given twice.
    DuplicateParameter { name: String },
    /// Declared parameters left without a value by [`Template::bind`].
    MissingValues { names: Vec<String> },
    /// The document writes a `{name}` the template does not declare (a template built by hand:
    /// `policy!` refuses it at compile time).
    UndeclaredPlaceholder { name: String, declared: Vec<String> },
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

/// What binding does with a value whose name the template does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownNames {
    /// An error: most likely a misspelt name.
    Refuse,
    /// Left unused: one map of values (a deployment's account, Region, ...) serves templates
    /// that each declare some of them.
    Ignore,
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindError::UnknownParameter { name, declared } if declared.is_empty() => {
                write!(f, "unknown parameter `{name}`: the template declares none")
            }
            BindError::UnknownParameter { name, declared } => {
                write!(
                    f,
                    "unknown parameter `{name}`; the declared parameters are {}",
                    quoted(declared)
                )?;
                if let Some(nearest) = iam_policy_rules::suggest::nearest_name(
                    name,
                    declared.iter().map(String::as_str),
                ) {
                    write!(f, "; did you mean `{nearest}`?")?;
                }
                Ok(())
            }
            BindError::DuplicateParameter { name } => {
                write!(f, "parameter `{name}` is given more than once")
            }
            BindError::MissingValues { names } => {
                write!(f, "no value for {}: bind every parameter", quoted(names))
            }
            BindError::UndeclaredPlaceholder { name, declared } => write!(
                f,
                "the document writes `{{{name}}}`, which is no declared parameter (declared: {})",
                quoted(declared)
            ),
            BindError::InvalidValue {
                name, value, rule, ..
            } => write!(f, "invalid value `{value}` for parameter `{name}`: {rule}"),
            BindError::InvalidPolicy(error) => write!(f, "the bound policy is invalid:\n{error}"),
        }
    }
}

impl std::error::Error for BindError {}

impl Template {
    /// The policy with every parameter replaced by its value from `values` (`("account-id",
    /// "123456789012")`), each checked against its kind's rule, then validated again with every
    /// rule. A parameter without a value, a name the template does not declare, and a `{name}`
    /// left in the document are errors: the policy holds no placeholder.
    pub fn bind(&self, values: &[(&str, &str)]) -> Result<Policy, BindError> {
        self.bind_with(values, UnknownNames::Refuse)
    }

    /// [`Template::bind`], with `unknown` deciding whether values for names the template does
    /// not declare are an error or left unused.
    pub fn bind_with(
        &self,
        values: &[(&str, &str)],
        unknown: UnknownNames,
    ) -> Result<Policy, BindError> {
        let bound = self.bind_some(values, unknown)?;
        if bound.parameters.is_empty() {
            Ok(bound.policy)
        } else {
            Err(BindError::MissingValues {
                names: bound
                    .parameters
                    .iter()
                    .map(|p| p.name.to_string())
                    .collect(),
            })
        }
    }

    /// The template with the parameters named in `values` bound and the others still declared,
    /// e.g. to bind the account now and the Region per deployment.
    pub fn bind_some(
        &self,
        values: &[(&str, &str)],
        unknown: UnknownNames,
    ) -> Result<Template, BindError> {
        let declared = &self.parameters[..];
        let declared_names = || declared.iter().map(|p| p.name.to_string()).collect();
        let mut own: Vec<(&str, &str)> = Vec::with_capacity(values.len());
        for &(name, value) in values {
            let Some(parameter) = declared.iter().find(|p| p.name == name) else {
                match unknown {
                    UnknownNames::Ignore => continue,
                    UnknownNames::Refuse => {
                        return Err(BindError::UnknownParameter {
                            name: name.to_owned(),
                            declared: declared_names(),
                        });
                    }
                }
            };
            if own.iter().any(|&(earlier, _)| earlier == name) {
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
            own.push((name, value));
        }
        let undeclared: RefCell<Option<String>> = RefCell::new(None);
        let value_of = |name: &str| {
            if let Some(&(_, value)) = own.iter().find(|&&(bound, _)| bound == name) {
                return Some(value);
            }
            if !declared.iter().any(|p| p.name == name) {
                undeclared
                    .borrow_mut()
                    .get_or_insert_with(|| name.to_owned());
            }
            None
        };
        let bind = |text: &Text| -> Text {
            match replace_placeholders(text, value_of) {
                Cow::Borrowed(_) => text.clone(),
                Cow::Owned(bound) => Cow::Owned(bound),
            }
        };
        let policy = &self.policy;
        let bound = Template {
            policy: Policy {
                version: policy.version.as_ref().map(bind),
                id: policy.id.as_ref().map(bind),
                statement: map_one_or_many(&policy.statement, |s| bind_statement(s, &bind)),
                kind: policy.kind,
            },
            parameters: declared
                .iter()
                .filter(|p| !own.iter().any(|&(name, _)| p.name == name))
                .cloned()
                .collect(),
        };
        if let Some(name) = undeclared.into_inner() {
            return Err(BindError::UndeclaredPlaceholder {
                name,
                declared: declared_names(),
            });
        }
        if !own.is_empty() {
            bound.validate().map_err(BindError::InvalidPolicy)?;
        }
        Ok(bound)
    }

    /// Runs every rule on the template, its placeholders checked with typical values, for its
    /// declared kind. The model does not carry the waivers of `policy!`, so a check waived
    /// there is reported here.
    pub fn validate(&self) -> Result<(), Error> {
        let options = Options {
            parameters: self
                .parameters
                .iter()
                .map(|p| crate::Parameter {
                    name: p.name.to_string(),
                    kind: p.kind,
                })
                .collect(),
            kind: self.policy.kind,
            ..Options::default()
        };
        Policy::from_json_with(&self.policy.to_json_pretty(), &options).map(|_| ())
    }

    /// The template as pretty JSON with each `{name}` printed as the bare `name`, the way AWS's
    /// documentation prints its samples (`arn:aws:ec2:region:account-id:instance/*`). For
    /// documentation only: such a document names resources nobody meant.
    pub fn to_json_pretty_with_placeholder_names(&self) -> String {
        super::ser::template_to_json_pretty(self)
    }
}

impl Policy {
    /// Runs every rule on the policy for its declared kind. The model does not carry the
    /// waivers of `policy!`, so a check waived there is reported here.
    pub fn validate(&self) -> Result<(), Error> {
        Policy::from_json_with(&self.to_json_pretty(), &self.options()).map(|_| ())
    }

    pub(crate) fn options(&self) -> Options {
        Options {
            kind: self.kind,
            ..Options::default()
        }
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
