use iam_policy::policy;

policy! {
    /// Each attribute mistake is reported at the attribute, and the constant is still declared.
    #[kind = "identity-policy"]
    #[parameters("region": Regoin, "account id": AccountId)]
    #[waive(INVALID_ACTON)]
    #[waive(INVALID_ACTION, sid = "NoSuchStatement")]
    pub const BAD_ATTRIBUTES = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    };
}

const UNKNOWN: iam_policy::Policy = policy!(#[serde(rename = "x")] {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
});

fn main() {
    let _ = (&BAD_ATTRIBUTES, &UNKNOWN);
}
