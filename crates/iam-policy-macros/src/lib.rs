//! The `policy!` proc macro: parses a policy document, validates it with `iam-policy-core` and
//! expands it into `const` values of `iam_policy::Policy`. Use it through `iam-policy`.
