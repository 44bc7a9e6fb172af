use iam_policy::{Template, policy};

// Placeholders are checked with a typical value of their kind: an account ID where the Region
// belongs is an error, and so is a tag key placeholder where an instance ID belongs.
const SWAPPED: Template = policy!(
    #[parameters("region": Region, "account-id": AccountId, "tag-key": TagKey)]
    {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "ssm:StartSession",
            "Resource": "arn:aws:ec2:{account-id}:{region}:instance/*",
            "Condition": {"StringLike": {"ssm:resourceTag/{tag-key}": "WebServers"}}
        }]
    }
);

fn main() {}
