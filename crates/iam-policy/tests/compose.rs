//! Statements shared between documents: statement constants included by path, checked at
//! compile time, and the run-time composition of the model.

use iam_policy::{Policy, Statement, Template, policy};

mod shared {
    use iam_policy::policy;

    policy! {
        /// Read the service's logs.
        pub const LOGS_READ: Statement = {
            "Sid": "LogsRead",
            "Effect": "Allow",
            "Action": ["logs:FilterLogEvents", "logs:GetLogEvents"],
            "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/example/service:*"
        };
    }
}

policy! {
    /// Never delete the service's logs.
    pub const NO_LOG_DELETION: Statement = {
        "Sid": "NoLogDeletion",
        "Effect": "Deny",
        "Action": "logs:DeleteLogGroup",
        "Resource": "*"
    };

    /// The on-call engineers: the shared statements, then their own.
    pub const ON_CALL = {
        "Version": "2012-10-17",
        "Statement": [
            shared::LOGS_READ,
            {
                "Sid": "MetricsRead",
                "Effect": "Allow",
                "Action": "cloudwatch:GetMetricData",
                "Resource": "*"
            },
            NO_LOG_DELETION
        ]
    };

    /// Only shared statements.
    pub const AUDITOR = {
        "Version": "2012-10-17",
        "Statement": [shared::LOGS_READ, NO_LOG_DELETION]
    };

    /// The member name written as a raw string is the same member.
    pub const AUDITOR_RAW = {
        r"Version": "2012-10-17",
        r#"Statement"#: [shared::LOGS_READ, NO_LOG_DELETION]
    };

    /// A template may include statement constants too.
    #[parameters("bucket": BucketName)]
    pub const ARCHIVE = {
        "Version": "2012-10-17",
        "Statement": [
            NO_LOG_DELETION,
            {"Sid": "Archive", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{bucket}/*"}
        ]
    };
}

fn sids(policy: &Policy) -> Vec<&str> {
    policy
        .statements()
        .iter()
        .filter_map(|s| s.sid.as_deref())
        .collect()
}

#[test]
fn included_statements_stand_where_they_are_named() {
    assert_eq!(sids(&ON_CALL), ["LogsRead", "MetricsRead", "NoLogDeletion"]);
    assert_eq!(sids(&AUDITOR), ["LogsRead", "NoLogDeletion"]);
    assert_eq!(AUDITOR_RAW, AUDITOR);
    assert_eq!(ON_CALL.statements()[0], shared::LOGS_READ);
    assert_eq!(ON_CALL.validate(), Ok(()));
    assert_eq!(Policy::from_json(&ON_CALL.to_json()), Ok(ON_CALL));
    let archive: &Template = &ARCHIVE;
    let bound = archive.bind(&[("bucket", "example-archive")]).unwrap();
    assert_eq!(sids(&bound), ["NoLogDeletion", "Archive"]);
}

#[test]
fn a_prod_only_statement_is_pushed_at_run_time() {
    const BREAK_GLASS: Statement = NO_LOG_DELETION;
    let mut prod = AUDITOR;
    prod.override_with(&ON_CALL);
    assert_eq!(sids(&prod), ["LogsRead", "NoLogDeletion", "MetricsRead"]);
    prod.push(BREAK_GLASS.with_sid("BreakGlass"));
    assert_eq!(prod.validate(), Ok(()));
    let merged = Policy::merge_sources(&[&AUDITOR, &ON_CALL]);
    assert!(merged.is_err(), "`LogsRead` is in both sources");
}

/// Names the expansion uses for itself (`p`, its own constants) do not hide the user's.
mod p {
    use iam_policy::policy;

    policy! {
        pub const COMPOSED: Statement = {
            "Sid": "Composed", "Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": "*"
        };
        pub const POLICY: Statement = {
            "Sid": "Policy", "Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": "*"
        };
    }
}

#[test]
fn included_paths_mean_what_they_mean_in_the_users_code() {
    use p::{COMPOSED, POLICY};
    policy! {
        const BY_MODULE = { "Version": "2012-10-17", "Statement": [p::COMPOSED, p::POLICY] };
    }
    let by_name = policy!({ "Version": "2012-10-17", "Statement": [COMPOSED, POLICY] });
    assert_eq!(sids(&BY_MODULE), ["Composed", "Policy"]);
    assert_eq!(sids(&by_name), ["Composed", "Policy"]);
}
