use iam_policy::policy;

policy! {
    /// `#[no_public_access]`: a statement open to everyone is an error at the statement.
    #[kind = "resource"]
    #[no_public_access("AWS::S3::Bucket")]
    pub const SITE = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}},
            {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}
        ]
    };

    #[kind = "resource"]
    #[no_public_access("AWS::S3::Buckets")]
    pub const UNKNOWN_TYPE = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]
    };
}

fn main() {
    let _ = (&SITE, &UNKNOWN_TYPE);
}
