use iam_policy::policy;

policy! {
    /// Each attribute mistake is reported at the attribute, and the constant is still declared.
    #[kind = "identity-policy"]
    #[parameters("region": Regoin)]
    #[parameters("account id": AccountId)]
    #[parameters("bucket"suffix: BucketName)]
    #[waive(INVALID_ACTON)]
    #[waive(INVALID_ACTION, sid = "NoSuchStatement")]
    pub const BAD_ATTRIBUTES = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    };

    /// A declared placeholder the document never writes, and a name no placeholder can have.
    #[parameters("account-id": AccountId, "1st-bucket": TagValue)]
    pub const UNUSED_PARAMETER = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]
    };
}

const UNKNOWN: iam_policy::Policy = policy!(#[serde(rename = "x")] {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
});

fn main() {
    let _ = (&BAD_ATTRIBUTES, &UNKNOWN, &UNUSED_PARAMETER);
}
