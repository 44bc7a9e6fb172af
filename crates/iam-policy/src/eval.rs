//! Evaluates requests against policies the way AWS does, following AWS's pages "Policy
//! evaluation logic", "How AWS enforcement code logic evaluates requests to allow or deny
//! access" and "Cross-account policy evaluation logic". Where they are silent, the choice is
//! written down in `docs/simulate.md`.
//!
//! ```
//! use iam_policy::eval::{Decision, PolicySet, Principal, Request, evaluate};
//! use iam_policy::policy;
//!
//! const READ: iam_policy::Policy = policy!({
//!     "Version": "2012-10-17",
//!     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}]
//! });
//! let principal = Principal::parse("arn:aws:sts::111122223333:assumed-role/reader/alice").unwrap();
//! let request = Request::new("s3:GetObject", "arn:aws:s3:::logs/2026/01.gz").principal(principal);
//! let evaluation = evaluate(&request, &PolicySet::identity(&[&READ]));
//! assert_eq!(evaluation.decision, Decision::Allowed);
//! ```

// The engine is a crate of its own (`iam-policy-eval`) so that it compiles beside the `policy!`
// macro, not after it.
pub use iam_policy_eval::*;
