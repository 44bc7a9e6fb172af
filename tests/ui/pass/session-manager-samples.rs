//! The six Session Manager sample policies of AWS's documentation, with the placeholders
//! replaced by real-looking values, in the item form.

use iam_policy::{Policy, policy};

policy! {
    /// End users: Session Manager and Fleet Manager consoles.
    #[kind = "identity"]
    pub const END_USER_SESSION_MANAGER_CONSOLE = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession"
                ],
                "Resource": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
                    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
                ],
                "Condition": {
                    "BoolIfExists": {
                        "ssm:SessionDocumentAccessCheck": "true"
                    }
                }
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:DescribeSessions",
                    "ssm:GetConnectionStatus",
                    "ssm:DescribeInstanceProperties",
                    "ec2:DescribeInstances"
                ],
                "Resource": "*"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:TerminateSession",
                    "ssm:ResumeSession"
                ],
                "Resource": [
                    "arn:aws:ssm:*:*:session/${aws:userid}-*"
                ]
            },
            {
                "Effect": "Allow",
                "Action": [
                    "kms:GenerateDataKey"
                ],
                "Resource": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            }
        ]
    };

    /// End users: Amazon EC2 console.
    pub const END_USER_EC2_CONSOLE = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
                    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
                ]
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:GetConnectionStatus",
                    "ssm:DescribeInstanceInformation"
                ],
                "Resource": "*"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:TerminateSession",
                    "ssm:ResumeSession"
                ],
                "Resource": [
                    "arn:aws:ssm:*:*:session/${aws:userid}-*"
                ]
            }
        ]
    };

    /// End users: AWS CLI.
    pub const END_USER_AWS_CLI = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
                    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
                ],
                "Condition": {
                    "BoolIfExists": {
                        "ssm:SessionDocumentAccessCheck": "true"
                    }
                }
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:TerminateSession",
                    "ssm:ResumeSession"
                ],
                "Resource": [
                    "arn:aws:ssm:*:*:session/${aws:userid}-*"
                ]
            },
            {
                "Effect": "Allow",
                "Action": [
                    "kms:GenerateDataKey"
                ],
                "Resource": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            }
        ]
    };

    /// Administrators: Session Manager console and AWS CLI.
    pub const ADMIN_SESSION_MANAGER_AND_CLI = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession"
                ],
                "Resource": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/*"
                ],
                "Condition": {
                    "StringLike": {
                        "ssm:resourceTag/Finance": [
                            "WebServers"
                        ]
                    }
                }
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:DescribeSessions",
                    "ssm:GetConnectionStatus",
                    "ssm:DescribeInstanceProperties",
                    "ec2:DescribeInstances"
                ],
                "Resource": "*"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:CreateDocument",
                    "ssm:UpdateDocument",
                    "ssm:GetDocument",
                    "ssm:StartSession"
                ],
                "Resource": "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:TerminateSession",
                    "ssm:ResumeSession"
                ],
                "Resource": [
                    "arn:aws:ssm:*:*:session/${aws:userid}-*"
                ]
            }
        ]
    };

    /// Administrators: Amazon EC2 console.
    pub const ADMIN_EC2_CONSOLE = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/*"
                ],
                "Condition": {
                    "StringLike": {
                        "ssm:resourceTag/Finance": [
                            "WebServers"
                        ]
                    }
                }
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession"
                ],
                "Resource": [
                    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
                ]
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:GetConnectionStatus",
                    "ssm:DescribeInstanceInformation"
                ],
                "Resource": "*"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:TerminateSession",
                    "ssm:ResumeSession"
                ],
                "Resource": [
                    "arn:aws:ssm:*:*:session/${aws:userid}-*"
                ]
            }
        ]
    };

    /// Administrators: Session Manager console, AWS CLI and Amazon EC2 console.
    pub static ADMIN_ALL = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/*"
                ],
                "Condition": {
                    "StringLike": {
                        "ssm:resourceTag/Finance": [
                            "WebServers"
                        ]
                    }
                }
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:DescribeSessions",
                    "ssm:GetConnectionStatus",
                    "ssm:DescribeInstanceInformation",
                    "ssm:DescribeInstanceProperties",
                    "ec2:DescribeInstances"
                ],
                "Resource": "*"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:CreateDocument",
                    "ssm:UpdateDocument",
                    "ssm:GetDocument",
                    "ssm:StartSession"
                ],
                "Resource": "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:TerminateSession",
                    "ssm:ResumeSession"
                ],
                "Resource": [
                    "arn:aws:ssm:*:*:session/${aws:userid}-*"
                ]
            }
        ]
    };
}

fn main() {
    let all: [&Policy; 6] = [
        &END_USER_SESSION_MANAGER_CONSOLE,
        &END_USER_EC2_CONSOLE,
        &END_USER_AWS_CLI,
        &ADMIN_SESSION_MANAGER_AND_CLI,
        &ADMIN_EC2_CONSOLE,
        &ADMIN_ALL,
    ];
    for policy in all {
        assert_eq!(Policy::from_json(&policy.to_json_pretty()).as_ref(), Ok(policy));
    }
}
