//! An infrastructure repository in miniature: the IAM policies of a small service, written as
//! `policy!` constants so a typo is a compile error, and exported to `policies/` by its own
//! exporter (`cargo run -p infra-policies --bin export`), the same way `cargo xtask export`
//! exports the Session Manager samples.

use iam_policy::policy;
use iam_policy_export::{Document, Entry, Source};

policy! {
    /// What the CI role needs to publish a release: read and write the build artifacts, list
    /// the bucket.
    pub const CI_PUBLISH_ARTIFACTS = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadWriteArtifacts",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": "arn:aws:s3:::example-artifacts/*"
            },
            {
                "Sid": "ListArtifacts",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::example-artifacts"
            }
        ]
    };

    /// What the on-call engineers need to read the service's logs, in the account and Region
    /// each deployment binds.
    #[parameters("region": Region, "account-id": AccountId)]
    pub const ON_CALL_READ_LOGS = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:FilterLogEvents", "logs:GetLogEvents"],
                "Resource": "arn:aws:logs:{region}:{account-id}:log-group:/example/service:*"
            }
        ]
    };
}

const WIKI: &str = "https://wiki.example.com/service/access";

/// Every policy of the service and the file it is exported to.
pub const POLICIES: &[Entry<'static>] = &[
    Entry {
        path: "ci/publish-artifacts.json",
        title: "CI: publish artifacts",
        description: "What the CI role needs to publish a release.",
        source: Source {
            url: WIKI,
            section: "CI",
        },
        document: Document::Policy(&CI_PUBLISH_ARTIFACTS),
    },
    Entry {
        path: "on-call/read-logs.json",
        title: "On call: read logs",
        description: "What the on-call engineers need to read the service's logs.",
        source: Source {
            url: WIKI,
            section: "On call",
        },
        document: Document::Template(&ON_CALL_READ_LOGS),
    },
];
