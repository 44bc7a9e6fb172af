//! The `policy!` proc macro: parses a policy document, validates it with `iam-policy-core` and
//! expands it into `const` values of `iam_policy::Policy`. Use it through `iam-policy`, whose
//! documentation describes the syntax.
//!
//! Thin on purpose: `input` parses the macro's input, `tokens` turns the document's tokens
//! into the core's JSON tree, `check` has the core read it (every rule, then the lowering into
//! the policy model) and maps findings to compile errors and warnings, `expand` writes the
//! model out as a constant.

mod check;
mod expand;
mod input;
mod timings;
mod tokens;

use proc_macro::TokenStream;

/// The expansion of the facade's `policy!`, which passes its own path first (`$crate;`) so the
/// generated code names the facade wherever it is, renamed or re-exported. Not public API: the
/// facade documents the syntax.
#[doc(hidden)]
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    syn::parse::<Call>(input)
        .map(|call| expand::expand(&call.krate, call.input))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `<path of the facade>; <input of policy!>`.
struct Call {
    krate: syn::Path,
    input: input::Input,
}

impl syn::parse::Parse for Call {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Call> {
        let krate = input.call(syn::Path::parse_mod_style)?;
        input.parse::<syn::Token![;]>()?;
        Ok(Call {
            krate,
            input: input.parse()?,
        })
    }
}
