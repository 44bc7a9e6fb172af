use iam_policy::{Policy, policy};

// A waiver never changes what a policy says: without `Effect` the statement grants nothing
// anyone wrote, so `MISSING_EFFECT` cannot be waived and the document is not exported.
policy! {
    #[waive(MISSING_EFFECT)]
    pub const NO_EFFECT = {
        "Version": "2012-10-17",
        "Statement": [{ "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*" }]
    };
}

// The same for a repeated element (JSON readers keep one of the two) and a statement without
// `Action`, whatever statement the waiver names.
const REPEATED: Policy = policy!(
    #[waive(INVALID_POLICY_ELEMENT, MISSING_ACTION, sid = "Twice")]
    {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Twice",
            "Effect": "Deny",
            "Effect": "Allow",
            "Resource": "*"
        }]
    }
);

fn main() {
    let _ = (NO_EFFECT, REPEATED);
}
