//! Binding the parameters of a documented policy, on policies written with `policy!`.

use iam_policy::{BindError, ParameterKind, Policy, policy};

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
fn partial_binding_keeps_the_rest_declared() -> Result<(), BindError> {
    let bound = TAGGED.bind(&[("account-id", "111122223333")])?;
    let names: Vec<&str> = bound.parameters.iter().map(|p| &*p.name).collect();
    assert_eq!(names, ["region", "tag-key", "tag-value"]);
    assert_eq!(
        json(&bound).unwrap()["Statement"][0]["Resource"],
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
