//! What the service's policies can never do, proved as Access Analyzer's custom policy checks
//! would: a change to a policy grants nothing new, a bucket policy is not public.

use iam_policy::check::PolicyChecks;
use iam_policy::policy;
use infra_policies::{ARTIFACTS_BUCKET_POLICY, CI_PUBLISH_ARTIFACTS};

policy! {
    /// A proposed change: releases only write under `releases/`, over TLS.
    const CI_PUBLISH_RELEASES_ONLY = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::example-artifacts/releases/*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}}
            },
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::example-artifacts"
            }
        ]
    };

    /// A change that would widen the CI role to every bucket.
    const CI_PUBLISH_ANYWHERE = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::*/*"}]
    };
}

#[test]
fn the_narrower_change_grants_nothing_new() {
    CI_PUBLISH_RELEASES_ONLY.assert_no_new_access_over(&CI_PUBLISH_ARTIFACTS);
}

#[test]
fn the_wider_change_is_caught_with_its_reason() {
    let verdict = CI_PUBLISH_ANYWHERE.no_new_access_over(&CI_PUBLISH_ARTIFACTS);
    assert!(!verdict.passed());
    assert!(
        verdict.to_string().contains("on more resources"),
        "{verdict}"
    );
}

#[test]
fn the_ci_role_never_manages_iam_or_deletes() {
    CI_PUBLISH_ARTIFACTS.assert_never_grants(&["iam:*", "s3:Delete*", "s3:PutBucketPolicy"]);
    assert!(!CI_PUBLISH_ARTIFACTS.never_grants(&["s3:PutObject"]));
}

#[test]
fn the_bucket_policy_is_not_public() {
    ARTIFACTS_BUCKET_POLICY.assert_no_public_access("AWS::S3::Bucket");
}
