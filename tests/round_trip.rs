//! Round trips: a policy written with `policy!` serializes to JSON equal (as a value) to what was
//! written, and parsing that JSON back gives the same policy; parsing then serializing a document
//! written in AWS's element order gives back the same text.

use iam_policy::{IssueCode, Policy, policy};
use serde_json::Value;

/// Writes the same document with `policy!` and with `serde_json::json!` and compares them.
macro_rules! round_trip {
    ($name:ident, $(#[$($attr:tt)*])* => $document:tt) => {
        #[test]
        fn $name() -> Result<(), String> {
            const POLICY: Policy = policy!($(#[$($attr)*])* $document);
            check(&POLICY, &serde_json::json!($document))
        }
    };
}

fn check(policy: &Policy, written: &Value) -> Result<(), String> {
    let serialized = serde_json::to_value(policy).map_err(|error| error.to_string())?;
    if &serialized != written {
        return Err(format!("serialized {serialized:#}\nwritten {written:#}"));
    }
    let text = policy.to_json_pretty();
    let parsed = match policy.kind {
        Some(kind) => Policy::from_json_as(&text, kind),
        None => Policy::from_json(&text),
    };
    let parsed = parsed.map_err(|error| error.to_string())?;
    if &parsed != policy {
        return Err(format!("parsed back {parsed:?}\nconstant {policy:?}"));
    }
    Ok(())
}

round_trip!(identity_policy_with_single_values_and_arrays, => {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Action": ["logs:GetLogEvents", "logs:FilterLogEvents"],
            "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:app:*"
        },
        {
            "Effect": "Deny",
            "NotAction": "logs:*",
            "NotResource": ["arn:aws:logs:us-east-1:123456789012:log-group:app:*"]
        }
    ]
});

round_trip!(statement_written_as_one_object, => {
    "Version": "2012-10-17",
    "Statement": {
        "Effect": "Allow",
        "Action": "s3:ListAllMyBuckets",
        "Resource": "*"
    }
});

round_trip!(bucket_policy_with_principals, #[kind = "resource"] => {
    "Version": "2012-10-17",
    "Id": "ExampleBucketPolicy",
    "Statement": [
        {
            "Sid": "AccountRead",
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "111122223333"]},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::example-bucket/*"
        },
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }
    ]
});

round_trip!(conditions_keep_json_types_and_order, => {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "ec2:RunInstances",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]},
            "NumericLessThanEquals": {"aws:MultiFactorAuthAge": 3600},
            "Bool": {"aws:MultiFactorAuthPresent": true},
            "DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
            "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}
        }
    }]
});

round_trip!(role_trust_policy, #[kind = "role-trust"] => {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]},
        "Action": "sts:AssumeRole"
    }]
});

/// The documented sample with its placeholders declared prints exactly as the page prints it,
/// when asked to.
#[test]
fn unbound_placeholders_print_as_the_page_prints_them() -> Result<(), String> {
    const SAMPLE: iam_policy::Template = policy!(
        #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId, "key-name": KmsKeyArn)]
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["ssm:StartSession"],
                    "Resource": [
                        "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                        "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
                    ],
                    "Condition": {"BoolIfExists": {"ssm:SessionDocumentAccessCheck": "true"}}
                },
                {
                    "Effect": "Allow",
                    "Action": ["ssm:TerminateSession", "ssm:ResumeSession"],
                    "Resource": ["arn:aws:ssm:*:*:session/${aws:userid}-*"]
                },
                {
                    "Effect": "Allow",
                    "Action": ["kms:GenerateDataKey"],
                    "Resource": "{key-name}"
                }
            ]
        }
    );
    let page = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["ssm:StartSession"],
                "Resource": [
                    "arn:aws:ec2:region:account-id:instance/instance-id",
                    "arn:aws:ssm:region:account-id:document/SSM-SessionManagerRunShell"
                ],
                "Condition": {"BoolIfExists": {"ssm:SessionDocumentAccessCheck": "true"}}
            },
            {
                "Effect": "Allow",
                "Action": ["ssm:TerminateSession", "ssm:ResumeSession"],
                "Resource": ["arn:aws:ssm:*:*:session/${aws:userid}-*"]
            },
            {
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey"],
                "Resource": "key-name"
            }
        ]
    });
    let serialized: serde_json::Value =
        serde_json::from_str(&SAMPLE.to_json_pretty_with_placeholder_names())
            .map_err(|error| error.to_string())?;
    if serialized != page {
        return Err(format!("serialized {serialized:#}"));
    }
    Ok(())
}

/// A document in AWS's element order, as `serde_json` pretty-prints: parse then serialize gives
/// back the same text, numbers as written included.
#[test]
fn parse_then_serialize_is_the_identity() -> Result<(), String> {
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowTaggedSessions",
      "Effect": "Allow",
      "Action": "ssm:StartSession",
      "Resource": [
        "arn:aws:ec2:us-east-1:123456789012:instance/*"
      ],
      "Condition": {
        "StringLike": {
          "ssm:resourceTag/Finance": [
            "WebServers"
          ]
        },
        "NumericLessThan": {
          "aws:MultiFactorAuthAge": -1
        },
        "Bool": {
          "aws:SecureTransport": true
        }
      }
    }
  ]
}"#;
    let policy = Policy::from_json(text).map_err(|error| error.to_string())?;
    let again = policy.to_json_pretty();
    if again != text {
        return Err(format!("serialized:\n{again}"));
    }
    Ok(())
}

/// An invalid document is refused with every error, located.
#[test]
fn from_json_reports_located_findings() -> Result<(), String> {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ssm:StartSesion\", \"Resource\": \"*\"}]\n}";
    let Err(error) = Policy::from_json(text) else {
        return Err("an unknown action was accepted".to_owned());
    };
    let first = &error.findings()[0];
    if (first.line, first.column) != (3, 47) || first.finding.code != IssueCode::InvalidAction {
        return Err(format!("unexpected finding: {first}"));
    }
    let syntax = Policy::from_json("{\"Version\": \"2012-10-17\",}");
    if !matches!(&syntax, Err(error) if error.findings()[0].finding.code == IssueCode::JsonSyntaxError)
    {
        return Err(format!("a trailing comma gave {syntax:?}"));
    }
    Ok(())
}

/// `Deserialize` runs the same rules as `from_json` and builds the same policy.
#[test]
fn deserialize_validates_like_from_json() -> Result<(), String> {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::example-bucket",
        "Condition": {"NumericLessThan": {"s3:max-keys": 10}}}}"#;
    let deserialized: Policy = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let parsed = Policy::from_json(text).map_err(|error| error.to_string())?;
    if deserialized != parsed {
        return Err(format!("{deserialized:?}\n{parsed:?}"));
    }
    let invalid = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#;
    match serde_json::from_str::<Policy>(invalid) {
        Err(error) if error.to_string().contains("Statement[0].Action: ") => Ok(()),
        other => Err(format!("an unknown action gave {other:?}")),
    }
}
