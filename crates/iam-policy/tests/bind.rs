//! Binding the parameters of a template, on templates written with `policy!`.

use iam_policy::{BindError, ParameterKind, Policy, Template, UnknownNames, policy};

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

fn json(policy: &Policy) -> serde_json::Result<serde_json::Value> {
    serde_json::from_str(&policy.to_json())
}

const EVERY_VALUE: [(&str, &str); 4] = [
    ("region", "eu-west-1"),
    ("account-id", "111122223333"),
    ("tag-key", "Team"),
    ("tag-value", "Web Servers"),
];

#[test]
fn binding_every_parameter_leaves_no_placeholder() -> Result<(), BindError> {
    let bound = TAGGED.bind(&EVERY_VALUE)?;
    assert_eq!(
        json(&bound).unwrap(),
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
fn a_parameter_without_a_value_is_an_error() {
    let error = TAGGED.bind(&[("account-id", "111122223333")]);
    assert_eq!(
        error,
        Err(BindError::MissingValues {
            names: vec!["region".into(), "tag-key".into(), "tag-value".into()]
        })
    );
    assert_eq!(
        error.unwrap_err().to_string(),
        "no value for `region`, `tag-key`, `tag-value`: bind every parameter"
    );
}

#[test]
fn binding_some_keeps_the_rest_declared() -> Result<(), BindError> {
    let some = TAGGED.bind_some(&[("account-id", "111122223333")], UnknownNames::Refuse)?;
    let names: Vec<&str> = some.parameters.iter().map(|p| &*p.name).collect();
    assert_eq!(names, ["region", "tag-key", "tag-value"]);
    assert_eq!(
        json(&some.policy).unwrap()["Statement"][0]["Resource"],
        "arn:aws:ec2:{region}:111122223333:instance/*"
    );
    // Binding in steps gives what binding at once gives.
    let rest = some.bind(&[
        ("region", "eu-west-1"),
        ("tag-key", "Team"),
        ("tag-value", "Web Servers"),
    ])?;
    assert_eq!(rest, TAGGED.bind(&EVERY_VALUE)?);
    Ok(())
}

#[test]
fn more_names_than_declared_are_refused_unless_asked() -> Result<(), BindError> {
    let mut deployment = EVERY_VALUE.to_vec();
    deployment.push(("vpc-id", "vpc-0123456789abcdef0"));
    assert!(matches!(
        TAGGED.bind(&deployment),
        Err(BindError::UnknownParameter { name, .. }) if name == "vpc-id"
    ));
    let bound = TAGGED.bind_with(&deployment, UnknownNames::Ignore)?;
    assert_eq!(bound, TAGGED.bind(&EVERY_VALUE)?);
    Ok(())
}

#[test]
fn a_template_built_by_hand_with_an_undeclared_placeholder_does_not_bind() {
    let mut template: Template = TAGGED.clone();
    template
        .parameters
        .to_mut()
        .retain(|p| p.name != "tag-value");
    let error = template.bind(&EVERY_VALUE[..3]);
    assert!(
        matches!(&error, Err(BindError::UndeclaredPlaceholder { name, .. }) if name == "tag-value"),
        "{error:?}"
    );
}

#[test]
fn the_documented_form_prints_placeholders_as_bare_names() {
    let text = TAGGED.to_json_pretty_with_placeholder_names();
    assert!(
        text.contains("arn:aws:ec2:region:account-id:instance/*"),
        "{text}"
    );
    assert!(text.contains("ssm:resourceTag/tag-key"), "{text}");
}

#[test]
fn unknown_name_is_reported_with_the_declared_ones() {
    let error = TAGGED.bind(&[("acount-id", "111122223333")]);
    assert_eq!(
        error.map_err(|e| e.to_string()),
        Err(
            "unknown parameter `acount-id`; the declared parameters are `region`, \
             `account-id`, `tag-key`, `tag-value`; did you mean `account-id`?"
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
    assert_eq!(SID_FROM_TAG.validate(), Ok(()));
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
