//! The sample IAM policies of AWS's "Session Manager sample IAM policies" page, as
//! compile-time-checked `policy!` constants, and the catalogue [`SAMPLES`] that
//! `cargo xtask export` writes to `dist/`.
//!
//! Each constant is the page's JSON exactly, with the page's placeholders (`region`,
//! `account-id`, `instance-id`, `key-name`, `tag-key`, `tag-value`) declared as parameters and
//! written `{region}`: each is an [`iam_policy::Template`], exported as a
//! [`Document::Sample`] so that unbound it prints its placeholders as the page does; bound with
//! [`iam_policy::Template::bind`], it is a policy of real, checked values. The footnotes quoted in the doc
//! comments are the page's, translated from the Japanese edition.
//!
//! Source: <https://docs.aws.amazon.com/ja_jp/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html>

use iam_policy::policy;
use iam_policy_export::{Document, Entry, Source};

/// The page every sample comes from (Japanese edition).
pub const PAGE: &str = "https://docs.aws.amazon.com/ja_jp/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html";

policy! {
    /// **End users, Session Manager and Fleet Manager consoles.** Lets users start and resume
    /// sessions only from the Session Manager console and the Fleet Manager console.
    ///
    /// Grants `ssm:StartSession` on one instance (`instance-id`) with the default session
    /// document, listing sessions, instances and connection status, terminating and resuming
    /// only the user's own sessions (`session/${aws:userid}-*`), and `kms:GenerateDataKey` on the
    /// session-encryption key.
    ///
    /// - Footnote 1: `SSM-SessionManagerRunShell` is the default name of the SSM document Session
    ///   Manager creates to store session preferences. You can create a custom session document
    ///   and name it in this policy instead. For users who start sessions over SSH, you can also
    ///   name the AWS-provided document `AWS-StartSSHSession` (see
    ///   [`END_USER_AWS_CLI_WITH_SSH`]).
    /// - Footnote 2: with the condition `ssm:SessionDocumentAccessCheck` set to `true`, Session
    ///   Manager checks, before the session is established, that the user is explicitly allowed
    ///   the session document named (here `SSM-SessionManagerRunShell`).
    /// - Footnote 3: `kms:GenerateDataKey` lets the user create the data key that encrypts
    ///   session data. If you encrypt session data with AWS KMS, replace `key-name` with the ARN of
    ///   the KMS key, e.g. `arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-12345EXAMPLE`;
    ///   if you don't, remove that statement (see
    ///   [`END_USER_SESSION_MANAGER_AND_FLEET_MANAGER_CONSOLES_WITHOUT_KMS`]).
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId, "key-name": KmsKeyArn)]
    pub const END_USER_SESSION_MANAGER_AND_FLEET_MANAGER_CONSOLES = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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
                "Resource": "{key-name}"
            }
        ]
    };

    /// **End users, Session Manager and Fleet Manager consoles, session data not encrypted with
    /// KMS.** [`END_USER_SESSION_MANAGER_AND_FLEET_MANAGER_CONSOLES`] without its
    /// `kms:GenerateDataKey` statement, as footnote 3 of the page says to do when session data is
    /// not encrypted with a KMS key. Footnotes 1 and 2 apply as there.
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId)]
    pub const END_USER_SESSION_MANAGER_AND_FLEET_MANAGER_CONSOLES_WITHOUT_KMS = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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
            }
        ]
    };

    /// **End users, Amazon EC2 console.** Lets users start and resume sessions only from the
    /// Amazon EC2 console; it does not grant everything needed to start sessions from the
    /// Session Manager console or the AWS CLI.
    ///
    /// Grants `ssm:StartSession` and `ssm:SendCommand` on one instance (`instance-id`) with the
    /// default session document, reading instance information and connection status, and
    /// terminating and resuming only the user's own sessions.
    ///
    /// - Footnote 1: `SSM-SessionManagerRunShell` is the default session document; a custom
    ///   session document can be named instead.
    /// - Footnote 4: `ssm:SendCommand` is needed when a user starting a session from the Amazon
    ///   EC2 console must first have SSM Agent updated to the minimum version Session Manager
    ///   requires: Run Command sends the instance the command that updates the agent.
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId)]
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
                    "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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

    /// **End users, AWS CLI.** Lets users start and resume sessions from the AWS CLI.
    ///
    /// Grants `ssm:StartSession` and `ssm:SendCommand` on one instance (`instance-id`) with the
    /// default session document, only when the session document access check holds,
    /// terminating and resuming only the user's own sessions, and `kms:GenerateDataKey` on the
    /// session-encryption key.
    ///
    /// - Footnote 1: `SSM-SessionManagerRunShell` is the default session document; a custom one
    ///   can be named instead, and SSH users need `AWS-StartSSHSession` (see
    ///   [`END_USER_AWS_CLI_WITH_SSH`]).
    /// - Footnote 2: `ssm:SessionDocumentAccessCheck` set to `true` makes Session Manager check
    ///   that the user is explicitly allowed the session document before the session starts.
    /// - Footnote 3: `kms:GenerateDataKey` creates the data key that encrypts session data;
    ///   replace `key-name` with the KMS key's ARN, or remove the statement when session data is
    ///   not encrypted with KMS (see [`END_USER_AWS_CLI_WITHOUT_KMS`]).
    /// - Footnote 4: `ssm:SendCommand` lets Run Command update SSM Agent to the minimum version
    ///   Session Manager requires.
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId, "key-name": KmsKeyArn)]
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
                    "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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
                "Resource": "{key-name}"
            }
        ]
    };

    /// **End users, AWS CLI, session data not encrypted with KMS.** [`END_USER_AWS_CLI`]
    /// without its `kms:GenerateDataKey` statement, as footnote 3 of the page says to do when
    /// session data is not encrypted with a KMS key. Footnotes 1, 2 and 4 apply as there.
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId)]
    pub const END_USER_AWS_CLI_WITHOUT_KMS = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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
            }
        ]
    };

    /// **End users, AWS CLI, sessions over SSH.** [`END_USER_AWS_CLI`] with the AWS-provided
    /// session document `AWS-StartSSHSession` added beside `SSM-SessionManagerRunShell`, as
    /// footnote 1 of the page allows "for users who start sessions using SSH".
    ///
    /// Our reading of the footnote, documented here because the page shows no such policy: SSH
    /// over Session Manager runs through the AWS CLI (`ssh` with a `ProxyCommand` calling
    /// `aws ssm start-session --document-name AWS-StartSSHSession`), so the variant extends the
    /// AWS CLI sample; the document is *added* ("you can also name") so plain shell sessions keep
    /// working, which the session document access check (footnote 2) would otherwise refuse.
    /// The document's ARN is written `arn:aws:ssm:*:*:document/AWS-StartSSHSession`, as the page
    /// on SSH connections prints it (AWS-owned documents belong to no account of yours). The
    /// managed node and the user's machine also need the SSH set-up that page describes
    /// ("(Optional) Allow and control permissions for SSH connections through Session Manager").
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId, "key-name": KmsKeyArn)]
    pub const END_USER_AWS_CLI_WITH_SSH = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}",
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell",
                    "arn:aws:ssm:*:*:document/AWS-StartSSHSession"
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
                "Resource": "{key-name}"
            }
        ]
    };

    /// **Administrators, Session Manager console and AWS CLI.** Lets administrators perform
    /// session tasks only from the Session Manager console and the AWS CLI; it does not grant
    /// everything needed to perform them from the Amazon EC2 console.
    ///
    /// Grants starting sessions on instances tagged `Finance=WebServers`, listing sessions,
    /// instances and connection status, creating, updating and reading the default session
    /// document `SSM-SessionManagerRunShell` (which holds the session preferences), and
    /// terminating and resuming only the administrator's own sessions.
    ///
    /// The page writes this sample's tag literally (`ssm:resourceTag/Finance`: `WebServers`,
    /// the tag its introduction names), where the other administrator samples use the
    /// `tag-key`/`tag-value` placeholders; it is reproduced as printed.
    #[parameters("region": Region, "account-id": AccountId)]
    pub const ADMINISTRATOR_SESSION_MANAGER_CONSOLE_AND_AWS_CLI = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/*"
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
                "Resource": "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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

    /// **Administrators, Amazon EC2 console.** Lets administrators perform session tasks only
    /// from the Amazon EC2 console; it does not grant everything needed to perform them from the
    /// Session Manager console or the AWS CLI.
    ///
    /// Grants `ssm:StartSession` and `ssm:SendCommand` on instances tagged `tag-key=tag-value`,
    /// starting sessions with the default session document, reading instance information and
    /// connection status, and terminating and resuming only the administrator's own sessions.
    ///
    /// - Footnote (administrators) 1: `ssm:SendCommand` is needed when, as a user starts a
    ///   session from the Amazon EC2 console, a command must first be sent to update SSM Agent.
    #[parameters("region": Region, "account-id": AccountId, "tag-key": TagKey, "tag-value": TagValue)]
    pub const ADMINISTRATOR_EC2_CONSOLE = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/*"
                ],
                "Condition": {
                    "StringLike": {
                        "ssm:resourceTag/{tag-key}": [
                            "{tag-value}"
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
                    "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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

    /// **Administrators, Session Manager console, AWS CLI and Amazon EC2 console.** Lets
    /// administrators perform session tasks from all three.
    ///
    /// Grants `ssm:StartSession` and `ssm:SendCommand` on instances tagged `tag-key=tag-value`,
    /// listing sessions, instances and connection status, creating, updating and reading the
    /// default session document `SSM-SessionManagerRunShell` and starting sessions with it, and
    /// terminating and resuming only the administrator's own sessions.
    ///
    /// - Footnote (administrators) 1: `ssm:SendCommand` is needed when, as a user starts a
    ///   session from the Amazon EC2 console, a command must first be sent to update SSM Agent.
    #[parameters("region": Region, "account-id": AccountId, "tag-key": TagKey, "tag-value": TagValue)]
    pub const ADMINISTRATOR_SESSION_MANAGER_CONSOLE_AWS_CLI_AND_EC2_CONSOLE = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:StartSession",
                    "ssm:SendCommand"
                ],
                "Resource": [
                    "arn:aws:ec2:{region}:{account-id}:instance/*"
                ],
                "Condition": {
                    "StringLike": {
                        "ssm:resourceTag/{tag-key}": [
                            "{tag-value}"
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
                "Resource": "arn:aws:ssm:{region}:{account-id}:document/SSM-SessionManagerRunShell"
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

macro_rules! sample {
    ($path:literal, $title:literal, $section:literal, $policy:ident, $description:literal) => {
        Entry {
            path: $path,
            title: $title,
            description: $description,
            source: Source {
                url: PAGE,
                section: $section,
            },
            document: Document::Sample(&$policy),
        }
    };
}

/// Every sample, in the page's order (each variant after the sample it varies), with the path
/// `cargo xtask export` writes it to: the audience, then the access path.
pub const SAMPLES: &[Entry<'static>] = &[
    sample!(
        "end-user/session-manager-and-fleet-manager-consoles.json",
        "End users: Session Manager and Fleet Manager consoles",
        "Quickstart end user policies for Session Manager / Session Manager and Fleet Manager",
        END_USER_SESSION_MANAGER_AND_FLEET_MANAGER_CONSOLES,
        "Lets end users start and resume sessions on one managed node only from the Session Manager and Fleet Manager consoles, terminate and resume only their own sessions, and encrypt session data with the KMS key."
    ),
    sample!(
        "end-user/session-manager-and-fleet-manager-consoles-without-kms.json",
        "End users: Session Manager and Fleet Manager consoles, without KMS encryption",
        "Quickstart end user policies for Session Manager / Session Manager and Fleet Manager (footnote 3)",
        END_USER_SESSION_MANAGER_AND_FLEET_MANAGER_CONSOLES_WITHOUT_KMS,
        "The Session Manager and Fleet Manager consoles end-user sample without the kms:GenerateDataKey statement, for session data not encrypted with KMS."
    ),
    sample!(
        "end-user/ec2-console.json",
        "End users: Amazon EC2 console",
        "Quickstart end user policies for Session Manager / Amazon EC2",
        END_USER_EC2_CONSOLE,
        "Lets end users start and resume sessions on one managed node only from the Amazon EC2 console, and terminate and resume only their own sessions."
    ),
    sample!(
        "end-user/aws-cli.json",
        "End users: AWS CLI",
        "Quickstart end user policies for Session Manager / AWS CLI",
        END_USER_AWS_CLI,
        "Lets end users start and resume sessions on one managed node from the AWS CLI, terminate and resume only their own sessions, and encrypt session data with the KMS key."
    ),
    sample!(
        "end-user/aws-cli-without-kms.json",
        "End users: AWS CLI, without KMS encryption",
        "Quickstart end user policies for Session Manager / AWS CLI (footnote 3)",
        END_USER_AWS_CLI_WITHOUT_KMS,
        "The AWS CLI end-user sample without the kms:GenerateDataKey statement, for session data not encrypted with KMS."
    ),
    sample!(
        "end-user/aws-cli-with-ssh.json",
        "End users: AWS CLI, with SSH sessions",
        "Quickstart end user policies for Session Manager / AWS CLI (footnote 1)",
        END_USER_AWS_CLI_WITH_SSH,
        "The AWS CLI end-user sample that also allows the AWS-provided session document AWS-StartSSHSession, for users who start sessions over SSH."
    ),
    sample!(
        "administrator/session-manager-console-and-aws-cli.json",
        "Administrators: Session Manager console and AWS CLI",
        "Quickstart administrator policies for Session Manager / Session Manager and CLI",
        ADMINISTRATOR_SESSION_MANAGER_CONSOLE_AND_AWS_CLI,
        "Lets administrators start sessions on managed nodes tagged Finance=WebServers, manage the default session document and terminate and resume only their own sessions, from the Session Manager console and the AWS CLI."
    ),
    sample!(
        "administrator/ec2-console.json",
        "Administrators: Amazon EC2 console",
        "Quickstart administrator policies for Session Manager / Amazon EC2",
        ADMINISTRATOR_EC2_CONSOLE,
        "Lets administrators start sessions on managed nodes with the given tag and terminate and resume only their own sessions, only from the Amazon EC2 console."
    ),
    sample!(
        "administrator/session-manager-console-aws-cli-and-ec2-console.json",
        "Administrators: Session Manager console, AWS CLI and Amazon EC2 console",
        "Quickstart administrator policies for Session Manager / Session Manager, CLI, and Amazon EC2",
        ADMINISTRATOR_SESSION_MANAGER_CONSOLE_AWS_CLI_AND_EC2_CONSOLE,
        "Lets administrators start sessions on managed nodes with the given tag, manage the default session document and terminate and resume only their own sessions, from the Session Manager console, the AWS CLI and the Amazon EC2 console."
    ),
];
