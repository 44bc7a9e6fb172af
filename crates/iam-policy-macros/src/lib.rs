//! The `policy!` proc macro: parses a policy document, validates it with `iam-policy-core` and
//! expands it into `const` values of `iam_policy::Policy`. Use it through `iam-policy`, whose
//! documentation describes the syntax.
//!
//! Thin on purpose: `input` parses the macro's input, `tokens` turns the document's tokens
//! into the core's JSON tree, `check` runs the core's rules and maps findings to compile errors
//! and warnings, `expand` writes the constant.

mod check;
mod expand;
mod input;
mod timings;
mod tokens;

use proc_macro::TokenStream;

/// Writes an IAM policy document as a constant `iam_policy::Policy`, checked at compile time.
///
/// The document is the IAM JSON policy language exactly as AWS documents it. Two forms:
///
/// ```text
/// // expression: a const expression of type `iam_policy::Policy`
/// const READ_LOGS: Policy = policy!(#[kind = "identity"] { "Version": "2012-10-17", ... });
///
/// // items: many named, documented constants (or statics) in one call
/// policy! {
///     /// Who it is for and what it grants.
///     #[kind = "identity"]
///     pub const READ_LOGS = { "Version": "2012-10-17", ... };
///     pub static WRITE_LOGS = { ... };
/// }
/// ```
///
/// Attributes, before the document or the item:
/// - `#[kind = "identity" | "inline" | "resource" | "role-trust" | "scp" | "rcp"]`: which rules and size
///   quota apply; without it a document with `Principal`/`NotPrincipal` is a resource policy,
///   or a role trust policy when every action is `sts:AssumeRole*` or a companion and no
///   statement has `Resource`; any other is an identity policy.
/// - `#[parameters("region": Region, "account-id": AccountId, ...)]`: placeholders written
///   `{name}` in the document's strings (kinds `Region`, `AccountId`, `InstanceId`,
///   `KmsKeyArn`, `TagKey`, `TagValue`); checked with a typical value, serialized as the bare name.
/// - `#[waive(CODE, ...)]` waives Access Analyzer issue codes for the whole policy,
///   `#[waive(CODE, ..., sid = "Sid")]` for the statement with that `Sid`.
///
/// Every error-severity finding is a compile error at the literal that caused it, all of one call
/// together; type mismatches of condition values and size over the kind's default quota (but a
/// resource policy's, whose quota is the service's) are errors too. Other findings (security warnings, warnings, suggestions) are compiler warnings
/// (`#[deprecated]` lint: `#[allow(deprecated)]` silences them, `#[deny(deprecated)]` makes them
/// errors). Examples that compile are in the `iam-policy` crate's documentation.
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    syn::parse::<input::Input>(input)
        .map(expand::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
