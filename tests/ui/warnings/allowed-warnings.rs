// `#[allow(deprecated)]` on an item silences its warnings; the other item's warning stays, and
// `deny` on it makes it an error.
use iam_policy::policy;

policy! {
    #[allow(deprecated)]
    pub const QUIET = {
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    };

    #[deny(deprecated)]
    pub const LOUD = {
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    };
}

fn main() {
    let _ = (QUIET, LOUD);
}
