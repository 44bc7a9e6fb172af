//! The `policy!` proc macro: parses a policy document, validates it with `iam-policy-core` and
//! expands it into `const` values of `iam_policy::Policy`. Use it through `iam-policy`, whose
//! documentation describes the syntax.
//!
//! Thin on purpose: `input` parses the macro's input, `tokens` turns the document's tokens
//! into the core's JSON tree, `check` has the core read it (every rule, then the lowering into
//! the policy model) and maps findings to compile errors and warnings, `expand` writes the
//! model out as a constant.
//!
//! Built on the compiler's `proc_macro` API alone, so that a user's build compiles no syn,
//! quote or proc-macro2 for it: `parse` reads tokens and Rust's literals, `error` makes located
//! compile errors, `code` writes the expansion as text lexed in one piece.

mod check;
mod code;
mod error;
mod expand;
mod input;
mod parse;
mod timings;
mod tokens;

use proc_macro::{Span, TokenStream, TokenTree};

use crate::error::Error;

/// The expansion of the facade's `policy!`, which passes its own path first (`$crate;`) so the
/// generated code names the facade wherever it is, renamed or re-exported. Not public API: the
/// facade documents the syntax.
#[doc(hidden)]
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let (krate, input) = match tokens.iter().position(|token| parse::is_punct(token, ';')) {
        Some(end) if end > 0 => (&tokens[..end], &tokens[end + 1..]),
        _ => {
            let message =
                "expected the facade's path and `;` first: use `policy!` through `iam_policy`";
            return Error::new(Span::call_site(), message).into_compile_error();
        }
    };
    let krate: TokenStream = krate.iter().cloned().collect();
    match input::parse(input.iter().cloned().collect(), Span::call_site()) {
        Ok(input) => expand::expand(&krate, input),
        Err(error) => error.into_compile_error(),
    }
}
