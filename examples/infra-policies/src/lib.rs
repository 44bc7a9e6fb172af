//! An infrastructure repository in miniature: the IAM policies of a small service, written as
//! `policy!` constants so a typo is a compile error, and exported to `policies/` by its own
//! exporter (`cargo run -p infra-policies --bin export`), the way `cargo xtask export` exports
//! the Session Manager samples. It shows what a repository of policies does with them:
//!
//! - shared statements, written once ([`LOGS_READ`], [`NO_LOG_DELETION`]) and included by
//!   several documents;
//! - a prod-only statement, added at run time ([`on_call`]);
//! - a document split to fit its size quota ([`data_readers`]);
//! - a template bound per account ([`ARTIFACTS_BUCKET`], [`DEPLOYMENTS`]), and its
//!   CloudFormation and Terraform forms, which take the account from the deployment;
//! - policies imported from JSON with `iam-policy import` ([`imported`]).

use std::sync::LazyLock;

use iam_policy::{Policy, Statement, policy};
use iam_policy_export::{Document, Entry, Source};

pub mod imported;

policy! {
    /// Read the service's logs: every on-call engineer and auditor needs it.
    pub const LOGS_READ: Statement = {
        "Sid": "LogsRead",
        "Effect": "Allow",
        "Action": ["logs:FilterLogEvents", "logs:GetLogEvents"],
        "Resource": "arn:aws:logs:*:*:log-group:/example/service:*"
    };

    /// Nobody deletes the service's logs, whatever else they are granted.
    pub const NO_LOG_DELETION: Statement = {
        "Sid": "NoLogDeletion",
        "Effect": "Deny",
        "Action": ["logs:DeleteLogGroup", "logs:DeleteLogStream"],
        "Resource": "*"
    };

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

    /// What the on-call engineers need in every account: the shared statements and the
    /// service's metrics.
    pub const ON_CALL = {
        "Version": "2012-10-17",
        "Statement": [
            LOGS_READ,
            {
                "Sid": "MetricsRead",
                "Effect": "Allow",
                "Action": "cloudwatch:GetMetricData",
                "Resource": "*"
            },
            NO_LOG_DELETION
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

    /// What the auditors need: only the shared statements.
    pub const AUDITOR = {
        "Version": "2012-10-17",
        "Statement": [LOGS_READ, NO_LOG_DELETION]
    };

    /// In production only: the on-call engineers may also restart the service's tasks.
    pub const RESTART_TASKS: Statement = {
        "Sid": "RestartTasks",
        "Effect": "Allow",
        "Action": ["ecs:StopTask", "ecs:UpdateService"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/service": "example"}}
    };

    /// The artifacts bucket's policy in each account: only the deployment role of that
    /// account reads the artifacts, and only over TLS.
    #[parameters("bucket": BucketName, "deploy-role": RoleArn, "account-id": AccountId)]
    pub const ARTIFACTS_BUCKET = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeployRoleReads",
                "Effect": "Allow",
                "Principal": {"AWS": "{deploy-role}"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::{bucket}/*",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "{account-id}"}}
            },
            {
                "Sid": "TlsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::{bucket}", "arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
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

/// The on-call policy of an environment: in production, with [`RESTART_TASKS`].
pub fn on_call(production: bool) -> Policy {
    let mut policy = ON_CALL;
    if production {
        policy.push(RESTART_TASKS);
    }
    policy
}

/// The teams whose data buckets the data readers may read: more than one managed policy holds.
pub const TEAMS: [&str; 40] = [
    "accounts",
    "ads",
    "analytics",
    "billing",
    "catalog",
    "checkout",
    "compliance",
    "content",
    "crm",
    "data",
    "delivery",
    "design",
    "devices",
    "finance",
    "fraud",
    "growth",
    "identity",
    "insights",
    "inventory",
    "legal",
    "logistics",
    "loyalty",
    "marketing",
    "media",
    "mobile",
    "notifications",
    "orders",
    "partners",
    "payments",
    "platform",
    "pricing",
    "privacy",
    "reporting",
    "research",
    "reviews",
    "search",
    "security",
    "support",
    "tax",
    "web",
];

/// Read access to every team's data bucket, one statement per team, split into as few managed
/// policies as the 6,144-character quota allows.
pub fn data_readers() -> Result<Vec<Policy>, iam_policy::ComposeError> {
    let mut readers = Policy::new(Some(iam_policy::PolicyKind::Identity));
    readers.extend(TEAMS.iter().map(|team| {
        let mut statement = Statement::new(iam_policy::Effect::Allow)
            .with_sid(format!("Read{}", capitalized(team)));
        statement.action = Some(iam_policy::OneOrMany::Many(
            vec!["s3:GetObject".into(), "s3:ListBucket".into()].into(),
        ));
        statement.resource = Some(iam_policy::OneOrMany::Many(
            vec![
                format!("arn:aws:s3:::example-data-{team}").into(),
                format!("arn:aws:s3:::example-data-{team}/shared/reports/*").into(),
                format!("arn:aws:s3:::example-data-{team}/shared/exports/*").into(),
            ]
            .into(),
        ));
        statement
    }));
    readers.split()
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The accounts the artifacts bucket is deployed to, with the values its template is bound to.
pub const DEPLOYMENTS: &[(&str, &[(&str, &str)])] = &[
    (
        "staging",
        &[
            ("account-id", "111122223333"),
            ("bucket", "example-artifacts-staging"),
            ("deploy-role", "arn:aws:iam::111122223333:role/deploy"),
        ],
    ),
    (
        "production",
        &[
            ("account-id", "444455556666"),
            ("bucket", "example-artifacts-production"),
            ("deploy-role", "arn:aws:iam::444455556666:role/deploy"),
        ],
    ),
];

/// Policies built at run time, kept for the catalogue.
static PRODUCTION_ON_CALL: LazyLock<Policy> = LazyLock::new(|| on_call(true));
static DATA_READERS: LazyLock<Vec<Policy>> = LazyLock::new(|| data_readers().unwrap_or_default());
static DATA_READER_PATHS: LazyLock<Vec<String>> = LazyLock::new(|| {
    (1..=DATA_READERS.len())
        .map(|part| format!("data/readers-{part}.json"))
        .collect()
});

const WIKI: &str = "https://wiki.example.com/service/access";

fn entry<'a>(
    path: &'a str,
    title: &'a str,
    description: &'a str,
    section: &'a str,
    document: Document<'a>,
) -> Entry<'a> {
    Entry {
        path,
        title,
        description,
        source: Source { url: WIKI, section },
        document,
    }
}

/// Every policy of the service and the file it is exported to.
pub fn catalogue() -> Vec<Entry<'static>> {
    let mut entries = vec![
        entry(
            "ci/publish-artifacts.json",
            "CI: publish artifacts",
            "What the CI role needs to publish a release.",
            "CI",
            Document::Policy(&CI_PUBLISH_ARTIFACTS),
        ),
        entry(
            "on-call/staging.json",
            "On call, staging",
            "Read the service's logs and metrics; never delete logs.",
            "On call",
            Document::Policy(&ON_CALL),
        ),
        entry(
            "on-call/production.json",
            "On call, production",
            "The staging policy and the production-only restart of the service's tasks.",
            "On call",
            Document::Policy(&PRODUCTION_ON_CALL),
        ),
        entry(
            "on-call/read-logs.json",
            "On call: read logs",
            "What the on-call engineers need to read the service's logs, per account and Region.",
            "On call",
            Document::Template(&ON_CALL_READ_LOGS),
        ),
        entry(
            "audit/auditor.json",
            "Auditors",
            "Read the service's logs; never delete logs.",
            "Audit",
            Document::Policy(&AUDITOR),
        ),
        entry(
            "buckets/artifacts.json",
            "Artifacts bucket policy",
            "Only the account's deployment role reads the artifacts, over TLS.",
            "Buckets",
            Document::Template(&ARTIFACTS_BUCKET),
        ),
        entry(
            "legacy/ec2-trust.json",
            "EC2 trust (imported)",
            "Lets EC2 instances assume the role; imported from JSON.",
            "Legacy",
            Document::Policy(&imported::EC2_TRUST),
        ),
        entry(
            "legacy/read-reports.json",
            "Read reports (imported)",
            "Read the reports bucket over TLS; imported from JSON.",
            "Legacy",
            Document::Policy(&imported::READ_REPORTS),
        ),
    ];
    for (path, policy) in DATA_READER_PATHS.iter().zip(DATA_READERS.iter()) {
        entries.push(entry(
            path,
            "Data readers (part)",
            "Read every team's data bucket: one of the managed policies the statements were split into.",
            "Data",
            Document::Policy(policy),
        ));
    }
    entries
}
