//! Unit tests of what a policy allows: `POLICY.allows(action, resource)` for the common case,
//! and assertions that print the evaluation's explanation when they fail.

use super::{Decision, Evaluation, PolicySet, Request, evaluate};
use iam_policy_core::model::Policy;

/// What a single identity-based policy allows, for unit tests of `policy!` constants.
pub trait AllowedByPolicy {
    /// Whether the policy, as the only identity-based policy of a role session in the
    /// resource's account, allows `action` on `resource` (an ARN or `*`) without context keys.
    fn allows(&self, action: &str, resource: &str) -> bool;

    /// The evaluation of `request` with the policy as the only identity-based policy.
    fn evaluate(&self, request: &Request) -> Evaluation;

    /// Fails, printing why, unless the policy allows `action` on `resource`.
    #[track_caller]
    fn assert_allows(&self, action: &str, resource: &str);

    /// Fails, printing why, if the policy allows `action` on `resource`.
    #[track_caller]
    fn assert_denies(&self, action: &str, resource: &str);
}

impl AllowedByPolicy for Policy {
    fn allows(&self, action: &str, resource: &str) -> bool {
        self.evaluate(&Request::new(action, resource)).is_allowed()
    }

    fn evaluate(&self, request: &Request) -> Evaluation {
        evaluate(request, &PolicySet::identity(&[self]))
    }

    #[track_caller]
    fn assert_allows(&self, action: &str, resource: &str) {
        assert_allowed(
            &Request::new(action, resource),
            &PolicySet::identity(&[self]),
        );
    }

    #[track_caller]
    fn assert_denies(&self, action: &str, resource: &str) {
        assert_denied(
            &Request::new(action, resource),
            &PolicySet::identity(&[self]),
        );
    }
}

/// Fails, printing the evaluation's explanation, unless `set` allows `request`.
#[track_caller]
pub fn assert_allowed(request: &Request, set: &PolicySet<'_>) {
    let evaluation = evaluate(request, set);
    if evaluation.decision != Decision::Allowed {
        fail("allowed", request, set, &evaluation);
    }
}

/// Fails, printing the evaluation's explanation, if `set` allows `request`.
#[track_caller]
pub fn assert_denied(request: &Request, set: &PolicySet<'_>) {
    let evaluation = evaluate(request, set);
    if evaluation.decision == Decision::Allowed {
        fail("denied", request, set, &evaluation);
    }
}

#[track_caller]
#[expect(
    clippy::panic,
    reason = "an assertion fails the test that calls it by panicking, as `assert!` does"
)]
fn fail(expected: &str, request: &Request, set: &PolicySet<'_>, evaluation: &Evaluation) -> ! {
    panic!(
        "expected `{}` on `{}` by `{}` to be {expected}\n{}",
        request.action,
        request.resource,
        request.principal,
        evaluation.explain(set)
    )
}
