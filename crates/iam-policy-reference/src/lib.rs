//! The AWS service authorization reference, compiled in: services, actions, resource types with
//! their ARN formats, condition keys with their types, plus the global `aws:` keys and the names
//! retired since 2024. Implementation detail of `iam-policy`; not covered by semver.
