use iam_policy::policy;

policy! {
    /// A statement constant is checked where it is written.
    pub const LOGS_READ: Statement = {
        "Sid": "LogsRead",
        "Effect": "Allow",
        "Action": "logs:GetLogEvent",
        "Resource": "*"
    };

    pub const READ: Statement = {
        "Sid": "Read",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::example-bucket/*"
    };

    /// What crosses constants is checked when the constant is evaluated: two statements with
    /// the same `Sid`.
    pub const TWICE = {
        "Version": "2012-10-17",
        "Statement": [READ, {"Sid": "Read", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]
    };

    /// A statement constant takes no parameters, and only `Statement` is a statement type.
    #[parameters("bucket": BucketName)]
    pub const WITH_PARAMETERS: Statement = {
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/*"
    };
}

fn main() {
    let _ = (&LOGS_READ, &TWICE, &WITH_PARAMETERS);
}
