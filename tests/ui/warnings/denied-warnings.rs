// Warnings are rustc warnings at the literal; `deny(deprecated)` makes them errors.
#![deny(deprecated)]

use iam_policy::{Policy, policy};

const WARNED: Policy = policy!({
    "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:Get*"],
        "Resource": "*"
    }]
});

fn main() {
    let _ = WARNED;
}
