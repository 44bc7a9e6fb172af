//! The `policy!` proc macro: parses a policy document, validates it with `iam-policy-core` and
//! expands it into `const` values of `iam_policy::Policy`. Use it through `iam-policy`, whose
//! documentation describes the syntax.
//!
//! Thin on purpose: [`input`] parses the macro's input, [`tokens`] turns the document's tokens
//! into the core's JSON tree, [`check`] runs the core's rules and maps findings to compile errors
//! and warnings, [`expand`] writes the constant.

mod check;
mod expand;
mod input;
mod tokens;

use proc_macro::TokenStream;

/// Writes an IAM policy document as a constant `iam_policy::Policy`, checked at compile time.
/// See the `iam-policy` crate for the syntax.
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    syn::parse::<input::Input>(input)
        .map(expand::expand)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
