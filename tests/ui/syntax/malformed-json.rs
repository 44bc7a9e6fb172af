use iam_policy::{Policy, policy};

// Every syntax error of one call is reported together, each at its token.
const MALFORMED: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject",],
        "Resource" "*",
        Condition: {},
        "Sid": Allow,
        "NotResource": 0x10,
        "NotAction": (1)
        "Principal": "*"
    }]
});

// The placeholder keeps later code free of knock-on errors.
fn main() {
    let _ = MALFORMED.to_json();
}
