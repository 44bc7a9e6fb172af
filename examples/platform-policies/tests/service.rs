//! A service that knows only the platform crate: `iam_policy` is no name here, and the
//! re-exported `policy!` still expands, in both forms.

use platform_policies::{Policy, WRITE_OWN_LOGS, policy};

const READ_CONFIG: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "ssm:GetParameter",
        "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/service/*"
    }]
});

policy! {
    /// Items work too.
    static DENY_DELETES = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "Action": "ssm:DeleteParameter",
            "Resource": "*"
        }]
    };
}

#[test]
fn the_re_exported_macro_expands_outside_the_crates_that_define_it() {
    assert!(READ_CONFIG.to_json().contains("ssm:GetParameter"));
    assert!(DENY_DELETES.to_json().contains(r#""Effect":"Deny""#));
    assert_eq!(WRITE_OWN_LOGS.statements().len(), 1);
}
