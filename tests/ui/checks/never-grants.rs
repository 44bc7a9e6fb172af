use iam_policy::policy;

policy! {
    /// `#[never_grants]`: the statement that grants a listed action is an error, wherever the
    /// action comes from (a wildcard, `NotAction`), unless a `Deny` takes it away for certain.
    #[never_grants("iam:PassRole", "iam:Create*")]
    pub const DEPLOYER = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "Iam", "Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}
        ]
    };

    #[never_grants("iam:PassRole")]
    pub const DENIED = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}
        ]
    };

    #[never_grants()]
    pub const NOTHING_LISTED = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    };
}

fn main() {
    let _ = (&DEPLOYER, &DENIED, &NOTHING_LISTED);
}
