// The README's quick start: the `READ_LOGS` policy with `logs:GetLogEvents` mistyped.
use iam_policy::{Policy, policy};

const READ_LOGS: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["logs:GetLogEvent", "logs:FilterLogEvents"],
        "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:app:*"
    }]
});

fn main() {
    println!("{}", READ_LOGS.to_json_pretty());
}
