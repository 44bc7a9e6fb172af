use iam_policy::{Policy, policy};

// The waiver silences the check on the statement it names, and only there.
const WAIVED: Policy = policy!(
    #[waive(INVALID_ARN_RESOURCE, sid = "Legacy")]
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Legacy",
                "Effect": "Allow",
                "Action": "ssm:GetDocument",
                "Resource": "arn:aws:ssm:us-east-1:123456789012:documentation/Shell"
            },
            {
                "Sid": "Current",
                "Effect": "Allow",
                "Action": "ssm:GetDocument",
                "Resource": "arn:aws:ssm:us-east-1:123456789012:documentation/Shell"
            }
        ]
    }
);

fn main() {}
