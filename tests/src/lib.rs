//! Workspace-level tests of `iam-policy`; the tests are under `tests/`.
