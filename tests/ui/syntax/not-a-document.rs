use iam_policy::policy;

const BRACKETS: iam_policy::Policy = policy!([{"Effect": "Allow"}]);

const EXTRA: iam_policy::Policy = policy!({"Version": "2012-10-17"} {"Statement": []});

const NUMBERS: iam_policy::Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"NumericEquals": {"s3:max-keys": [10u8, 1_000, 01, -"x"]}}}]
});

fn main() {}
