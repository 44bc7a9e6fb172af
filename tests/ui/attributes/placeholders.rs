use iam_policy::{Policy, Template, policy};

policy! {
    /// A misspelt placeholder would be left in the bound policy: an error, with the nearest
    /// declared name; so is one far from any declared name.
    #[parameters("account-id": AccountId, "bucket": BucketName)]
    pub const MISSPELT = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": [
                "arn:aws:s3:::{bucket}/logs-{acount-id}/*",
                "arn:aws:s3:::{bucket}/{account-id}/{team}/*"
            ]
        }]
    };

    /// Parameter kinds: misspelt, an `Arn` without its resource type, a service or resource
    /// type the reference does not have. Each is reported; the document is not checked against
    /// a declaration that is wrong.
    #[parameters("role": RoleArm, "group": Arn, "queue": Arn("sqss", "queue"), "topic": Arn("sns", "topics"))]
    pub const BAD_KINDS = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "{queue}{topic}{role}{group}"}]
    };
}

// Without declared parameters a `{name}` may be meant literally: a warning, made an error here.
#[deny(deprecated)]
const UNDECLARED: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/*"}]
});

fn main() {
    // A call with `#[parameters]` is a template even when it has errors.
    let _: (&Template, &Template, &Policy) = (&MISSPELT, &BAD_KINDS, &UNDECLARED);
}
