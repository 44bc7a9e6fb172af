//! An infrastructure repository in miniature: the IAM policies of a small service, written as
//! `policy!` constants so a typo is a compile error, and exported to `policies/` by its own
//! exporter (`cargo run -p infra-policies --bin export`), the same way `cargo xtask export`
//! exports the Session Manager samples.

use iam_policy::policy;
use iam_policy_export::{Entry, Source};

policy! {
    /// What the CI role needs to publish a release: read and write the build artifacts, list
    /// the bucket. Proved at compile time never to touch IAM, delete artifacts or change the
    /// bucket's policy.
    #[never_grants("iam:*", "s3:Delete*", "s3:PutBucketPolicy")]
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

policy! {
    /// The artifacts bucket's policy: the CI role of the build account writes, the
    /// organization's accounts read. Proved at compile time not to be public.
    #[kind = "resource"]
    #[no_public_access("AWS::S3::Bucket")]
    pub const ARTIFACTS_BUCKET_POLICY = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CiWrites",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::example-artifacts/*"
            },
            {
                "Sid": "OrganizationReads",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::example-artifacts/*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
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
        policy: &CI_PUBLISH_ARTIFACTS,
    },
    Entry {
        path: "on-call/read-logs.json",
        title: "On call: read logs",
        description: "What the on-call engineers need to read the service's logs.",
        source: Source {
            url: WIKI,
            section: "On call",
        },
        policy: &ON_CALL_READ_LOGS,
    },
];
