use iam_policy::{Policy, policy};

const VARIABLES: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:${aws:username}"],
        "Resource": [
            "arn:aws:s3:::bucket/${aws:usrname}/*",
            "arn:aws:s3:::bucket/${aws:username/*",
            "arn:aws:s3:::bucket/${ aws:username }/*",
            "arn:aws:s3:::bucket/${}/*"
        ]
    }]
});

// Policy variables need Version 2012-10-17.
const OLD_VERSION: Policy = policy!({
    "Version": "2008-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::bucket/${aws:username}/*"
    }]
});

fn main() {}
