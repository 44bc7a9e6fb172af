//! What each role of the service can and cannot do, asked of the evaluation engine: a change
//! to a policy that widens or narrows a role fails here, with the reason printed.
#![expect(clippy::expect_used, reason = "tests fail loudly")]

use iam_policy::Policy;
use iam_policy::eval::{
    AllowedByPolicy, Decision, PolicySet, Principal, Request, assert_allowed, assert_denied,
    evaluate,
};
use infra_policies::{CI_PUBLISH_ARTIFACTS, ON_CALL_READ_LOGS};

const ARTIFACT: &str = "arn:aws:s3:::example-artifacts/releases/1.2.0.tar.gz";

#[test]
fn ci_reads_and_writes_artifacts() {
    CI_PUBLISH_ARTIFACTS.assert_allows("s3:PutObject", ARTIFACT);
    CI_PUBLISH_ARTIFACTS.assert_allows("s3:GetObject", ARTIFACT);
    CI_PUBLISH_ARTIFACTS.assert_allows("s3:ListBucket", "arn:aws:s3:::example-artifacts");
}

#[test]
fn ci_cannot_delete_artifacts_nor_touch_other_buckets_or_iam() {
    CI_PUBLISH_ARTIFACTS.assert_denies("s3:DeleteObject", ARTIFACT);
    CI_PUBLISH_ARTIFACTS.assert_denies("s3:PutObject", "arn:aws:s3:::example-other/a");
    // Resources match with case: a bucket of another case is another bucket.
    CI_PUBLISH_ARTIFACTS.assert_denies("s3:PutObject", "arn:aws:s3:::Example-Artifacts/a");
    CI_PUBLISH_ARTIFACTS.assert_denies("s3:ListBucket", ARTIFACT);
    assert!(!CI_PUBLISH_ARTIFACTS.allows("iam:CreateUser", "*"));
    assert!(!CI_PUBLISH_ARTIFACTS.allows("iam:PassRole", "*"));
}

/// The on-call policy bound to the production account and Region.
fn on_call() -> Policy {
    ON_CALL_READ_LOGS
        .bind(&[("region", "eu-west-1"), ("account-id", "111122223333")])
        .expect("the parameters are declared and valid")
}

#[test]
fn on_call_reads_the_service_logs_only() {
    let policy = on_call();
    let group = "arn:aws:logs:eu-west-1:111122223333:log-group:/example/service:log-stream:web-1";
    policy.assert_allows("logs:GetLogEvents", group);
    policy.assert_allows("LOGS:filterlogevents", group);
    policy.assert_denies("logs:DeleteLogGroup", group);
    policy.assert_denies(
        "logs:GetLogEvents",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/example/billing:log-stream:a",
    );
    policy.assert_denies(
        "logs:GetLogEvents",
        "arn:aws:logs:us-east-1:111122223333:log-group:/example/service:log-stream:a",
    );
}

#[test]
fn an_scp_that_denies_wins_over_the_ci_policy() {
    iam_policy::policy! {
        #[kind = "scp"]
        const FREEZE_RELEASES = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Sid": "FreezeReleases", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::example-artifacts/releases/*"}
            ]
        };
    }
    let session = Principal::parse("arn:aws:sts::111122223333:assumed-role/ci-publish/run-42")
        .expect("a role session's ARN");
    let set = PolicySet {
        identity: vec![&CI_PUBLISH_ARTIFACTS],
        service_control: vec![vec![&FREEZE_RELEASES]],
        ..PolicySet::default()
    };
    let put = Request::new("s3:PutObject", ARTIFACT).principal(session.clone());
    assert_denied(&put, &set);
    assert_eq!(evaluate(&put, &set).decision, Decision::ExplicitDeny);
    let get = Request::new("s3:GetObject", ARTIFACT).principal(session);
    assert_allowed(&get, &set);
}
