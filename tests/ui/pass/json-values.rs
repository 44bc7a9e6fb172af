//! Every JSON value a policy holds, read from Rust's tokens: strings (escapes and raw strings
//! too), numbers (negative, with a fraction), `true` and `false`, arrays and objects.

use iam_policy::{Policy, policy};

const VALUES: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "Values",
        "Effect": "Allow",
        "Action": r"s3:ListBucket",
        "Resource": ["arn:aws:s3:::bucket\u{2d}a", "arn:aws:s3:::bucket-b"],
        "Condition": {
            "NumericGreaterThan": {"s3:max-keys": -12.5},
            "NumericLessThan": {"s3:max-keys": 1000},
            "Bool": {"aws:SecureTransport": true, "aws:ViaAWSService": false},
            "StringEquals": {r#"aws:PrincipalTag/team"#: "a\"b\\c"}
        }
    }]
});

fn main() {
    assert_eq!(
        VALUES.to_json(),
        concat!(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Values","Effect":"Allow","#,
            r#""Action":"s3:ListBucket","Resource":["arn:aws:s3:::bucket-a","arn:aws:s3:::bucket-b"],"#,
            r#""Condition":{"NumericGreaterThan":{"s3:max-keys":-12.5},"#,
            r#""NumericLessThan":{"s3:max-keys":1000},"#,
            r#""Bool":{"aws:SecureTransport":true,"aws:ViaAWSService":false},"#,
            r#""StringEquals":{"aws:PrincipalTag/team":"a\"b\\c"}}}]}"#
        )
    );
}
