use iam_policy::policy;

policy! {
    pub const POLICY: Policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    };
}

fn main() {}
