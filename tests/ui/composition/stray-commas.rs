use iam_policy::policy;

policy! {
    pub const READ: Statement = {
        "Sid": "Read",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::example-bucket/*"
    };

    /// A `Statement` array that names constants is JSON all the same: no trailing comma...
    pub const TRAILING = {
        "Version": "2012-10-17",
        "Statement": [READ, {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"},]
    };

    /// ... and no empty item.
    pub const EMPTY_ITEM = {
        "Version": "2012-10-17",
        "Statement": [READ,, {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]
    };
}

fn main() {}
