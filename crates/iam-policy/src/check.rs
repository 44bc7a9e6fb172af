//! IAM Access Analyzer's custom policy checks on [`Policy`] values, for unit tests: what a
//! policy never grants, that a new version grants nothing new, that a resource policy is not
//! public. `PASS` is a proof over every request (see `docs/checks.md`).
//!
//! ```
//! use iam_policy::check::PolicyChecks;
//! use iam_policy::policy;
//!
//! const OLD: iam_policy::Policy = policy!({
//!     "Version": "2012-10-17",
//!     "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::logs/*"}]
//! });
//! const NEW: iam_policy::Policy = policy!({
//!     "Version": "2012-10-17",
//!     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/2026/*"}]
//! });
//! assert!(NEW.grants_no_new_access_over(&OLD));
//! assert!(NEW.never_grants(&["iam:PassRole", "s3:Put*"]));
//! NEW.assert_no_new_access_over(&OLD);
//! ```

use iam_policy_core::check;
pub use iam_policy_core::check::{CheckResult, PUBLIC_ACCESS_RESOURCE_TYPES, Reason, Verdict};

use crate::Policy;

/// The custom policy checks as methods of [`Policy`].
pub trait PolicyChecks {
    /// `CheckNoNewAccess`: the verdict on whether this policy grants access `existing` does not.
    fn no_new_access_over(&self, existing: &Policy) -> Verdict;

    /// `CheckAccessNotGranted` for actions (patterns allowed) on any resource.
    fn access_not_granted(&self, actions: &[&str]) -> Verdict;

    /// `CheckNoPublicAccess` for a resource type such as `AWS::S3::Bucket`; an unknown type
    /// fails, with the reason.
    fn no_public_access(&self, resource_type: &str) -> Verdict;

    /// Whether [`PolicyChecks::no_new_access_over`] passes.
    fn grants_no_new_access_over(&self, existing: &Policy) -> bool {
        self.no_new_access_over(existing).passed()
    }

    /// Whether [`PolicyChecks::access_not_granted`] passes.
    fn never_grants(&self, actions: &[&str]) -> bool {
        self.access_not_granted(actions).passed()
    }

    /// Whether [`PolicyChecks::no_public_access`] passes.
    fn grants_no_public_access(&self, resource_type: &str) -> bool {
        self.no_public_access(resource_type).passed()
    }

    /// Fails, printing the reasons, if this policy may grant access `existing` does not.
    #[track_caller]
    fn assert_no_new_access_over(&self, existing: &Policy) {
        assert_passes(&self.no_new_access_over(existing));
    }

    /// Fails, printing the statements that grant them, if this policy may grant `actions`.
    #[track_caller]
    fn assert_never_grants(&self, actions: &[&str]) {
        assert_passes(&self.access_not_granted(actions));
    }

    /// Fails, printing the public statements, if this policy may grant public access.
    #[track_caller]
    fn assert_no_public_access(&self, resource_type: &str) {
        assert_passes(&self.no_public_access(resource_type));
    }
}

impl PolicyChecks for Policy {
    fn no_new_access_over(&self, existing: &Policy) -> Verdict {
        let (new, old) = (self.to_json(), existing.to_json());
        match (
            iam_policy_core::parse::parse(&new),
            iam_policy_core::parse::parse(&old),
        ) {
            (Ok(new), Ok(old)) => check::no_new_access(&new, &old).unwrap_or_else(unreadable),
            _ => unreadable(()),
        }
    }

    fn access_not_granted(&self, actions: &[&str]) -> Verdict {
        let access = check::Access {
            actions: actions.iter().map(|action| (*action).to_owned()).collect(),
            resources: Vec::new(),
        };
        let json = self.to_json();
        iam_policy_core::parse::parse(&json)
            .map_err(drop)
            .and_then(|document| check::access_not_granted(&document, &access).map_err(drop))
            .unwrap_or_else(unreadable)
    }

    fn no_public_access(&self, resource_type: &str) -> Verdict {
        let resource_type = match check::PublicAccessResourceType::parse(resource_type) {
            Ok(resource_type) => resource_type,
            Err(error) => {
                return Verdict {
                    result: CheckResult::Fail,
                    message: error.to_string(),
                    reasons: Vec::new(),
                };
            }
        };
        let json = self.to_json();
        iam_policy_core::parse::parse(&json)
            .map_err(drop)
            .and_then(|document| check::no_public_access(&document, resource_type).map_err(drop))
            .unwrap_or_else(unreadable)
    }
}

/// The serialized policy did not read back (not expected: `to_json` writes JSON): `FAIL`,
/// as nothing is proved.
fn unreadable<E>(_: E) -> Verdict {
    Verdict {
        result: CheckResult::Fail,
        message: "the policy's JSON could not be read back, so nothing is proved".to_owned(),
        reasons: Vec::new(),
    }
}

#[track_caller]
#[expect(
    clippy::panic,
    reason = "an assertion fails the test that calls it by panicking, as `assert!` does"
)]
fn assert_passes(verdict: &Verdict) {
    if !verdict.passed() {
        panic!("{verdict}");
    }
}
