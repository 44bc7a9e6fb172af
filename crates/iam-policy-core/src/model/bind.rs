//! Binding the parameters of a documented policy (`{account-id}`) to real values.

use std::borrow::Cow;
use std::fmt;

use iam_policy_core::Options;
use iam_policy_core::parameter::replace_placeholders;

use crate::model::{
    ConditionBlock, ConditionEntry, ConditionValue, OneOrMany, Parameter, ParameterKind, Policy,
    Principal, PrincipalEntry, Statement, Text,
};

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
    InvalidPolicy(crate::Error),
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
    fn validate(&self) -> Result<(), crate::Error> {
        // Serialized without its parameters, the policy keeps `{name}` as written, which is what
        // the rules expect next to the declared parameters.
        let literal = Policy {
            parameters: Cow::Borrowed(&[]),
            ..self.clone()
        };
        let text = literal.to_json_pretty();
        let document = iam_policy_core::parse::parse(&text).map_err(|error| {
            let finding = iam_policy_core::Finding {
                code: iam_policy_core::IssueCode::JsonSyntaxError,
                severity: iam_policy_core::Severity::Error,
                message: error.message,
                help: None,
                span: error.span,
                path: String::new(),
                statement: None,
            };
            crate::Error::new(&text, vec![finding])
        })?;
        let options = Options {
            parameters: self
                .parameters
                .iter()
                .map(|p| iam_policy_core::Parameter {
                    name: p.name.to_string(),
                    kind: p.kind,
                })
                .collect(),
            kind: self.kind,
            ..Options::default()
        };
        let errors = crate::errors(&document, &options);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::new(&text, errors))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy;

    policy! {
        /// A documented policy with placeholders in ARNs, a condition key and its value.
        #[parameters("region": Region, "account-id": AccountId, "tag-key": TagKey, "tag-value": TagValue)]
        const TAGGED = {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "ssm:StartSession",
                "Resource": "arn:aws:ec2:{region}:{account-id}:instance/*",
                "Condition": {"StringLike": {"ssm:resourceTag/{tag-key}": ["{tag-value}"]}}
            }]
        };

        /// Valid with the typical tag key (`Finance`), not with one holding a space: a `Sid` takes
        /// only letters and digits.
        #[parameters("tag-key": TagKey)]
        const SID_FROM_TAG = {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "Read{tag-key}",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::example-bucket/*"
            }]
        };
    }

    fn json(policy: &Policy) -> serde_json::Value {
        serde_json::from_str(&policy.to_json()).unwrap_or_default()
    }

    #[test]
    fn binding_every_parameter_leaves_no_placeholder() -> Result<(), BindError> {
        let bound = TAGGED.bind(&[
            ("region", "eu-west-1"),
            ("account-id", "111122223333"),
            ("tag-key", "Team"),
            ("tag-value", "Web Servers"),
        ])?;
        assert!(bound.parameters.is_empty());
        assert_eq!(
            json(&bound),
            serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": "ssm:StartSession",
                    "Resource": "arn:aws:ec2:eu-west-1:111122223333:instance/*",
                    "Condition": {"StringLike": {"ssm:resourceTag/Team": ["Web Servers"]}}
                }]
            })
        );
        Ok(())
    }

    #[test]
    fn partial_binding_keeps_the_rest_declared() -> Result<(), BindError> {
        let bound = TAGGED.bind(&[("account-id", "111122223333")])?;
        let names: Vec<&str> = bound.parameters.iter().map(|p| &*p.name).collect();
        assert_eq!(names, ["region", "tag-key", "tag-value"]);
        assert_eq!(
            json(&bound)["Statement"][0]["Resource"],
            "arn:aws:ec2:region:111122223333:instance/*"
        );
        // Binding in steps gives what binding at once gives.
        let rest = bound.bind(&[("region", "us-east-2"), ("tag-key", "a"), ("tag-value", "")])?;
        let once = TAGGED.bind(&[
            ("account-id", "111122223333"),
            ("region", "us-east-2"),
            ("tag-key", "a"),
            ("tag-value", ""),
        ])?;
        assert_eq!(rest, once);
        Ok(())
    }

    #[test]
    fn unknown_name_is_reported_with_the_declared_ones() {
        let error = TAGGED.bind(&[("acount-id", "111122223333")]);
        assert_eq!(
            error.map_err(|e| e.to_string()),
            Err(
                "unknown parameter `acount-id`; the declared parameters are `region`, \
                 `account-id`, `tag-key`, `tag-value`"
                    .to_owned()
            )
        );
    }

    #[test]
    fn bad_value_names_the_parameter_and_the_rule() {
        let Err(error) = TAGGED.bind(&[("account-id", "12")]) else {
            unreachable!("`12` was accepted as an account ID");
        };
        assert!(matches!(
            &error,
            BindError::InvalidValue { name, kind: ParameterKind::AccountId, .. } if name == "account-id"
        ));
        assert_eq!(
            error.to_string(),
            "invalid value `12` for parameter `account-id`: must be an AWS account ID of exactly \
             12 digits, e.g. `123456789012`"
        );
        let twice = TAGGED.bind(&[("region", "us-east-1"), ("region", "us-east-2")]);
        assert!(matches!(twice, Err(BindError::DuplicateParameter { name }) if name == "region"));
    }

    #[test]
    fn the_bound_policy_is_validated_again() {
        assert!(SID_FROM_TAG.bind(&[("tag-key", "Finance2")]).is_ok());
        let Err(BindError::InvalidPolicy(error)) = SID_FROM_TAG.bind(&[("tag-key", "Cost Center")])
        else {
            unreachable!("a `Sid` with a space was accepted");
        };
        let codes: Vec<&str> = error
            .findings()
            .iter()
            .map(|f| f.finding.code.as_str())
            .collect();
        assert_eq!(codes, ["UNSUPPORTED_SID"]);
        assert!(error.to_string().contains("`ReadCost Center`"), "{error}");
    }
}
