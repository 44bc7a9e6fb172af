use iam_policy::{Policy, policy};

// The waiver silences the check on the statement it names, and only there.
const WAIVED: Policy = policy!(
    #[waive(ARN_REGION_NOT_ALLOWED, sid = "Legacy")]
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Legacy",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:us-east-1::amzn-s3-demo-bucket"
            },
            {
                "Sid": "Current",
                "Effect": "Allow",
                "Action": "s3:GetBucketLocation",
                "Resource": "arn:aws:s3:us-east-1::amzn-s3-demo-bucket"
            }
        ]
    }
);

// Waived for the whole policy, the same check is silent on every statement.
const WAIVED_EVERYWHERE: Policy = policy!(
    #[waive(ARN_REGION_NOT_ALLOWED)]
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:us-east-1::amzn-s3-demo-bucket"
            },
            {
                "Effect": "Allow",
                "Action": "s3:GetBucketLocation",
                "Resource": "arn:aws:s3:us-east-1::amzn-s3-demo-legacy"
            }
        ]
    }
);

fn main() {
    let _ = (WAIVED, WAIVED_EVERYWHERE);
}
