//! Rust code being generated: written as text and lexed by the compiler in one piece, with
//! tokens of the input spliced in as they were received where their spans matter (the facade's
//! `$crate` path, the user's item names and paths).
//!
//! Text lexes into tokens of the macro's call site, the span `quote!` gives its tokens.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use proc_macro::{Delimiter, Group, Span, TokenStream, TokenTree};

use crate::error::Error;

#[derive(Default)]
pub(crate) struct Code {
    tokens: Vec<TokenStream>,
    /// Text not lexed yet.
    text: String,
}

impl Code {
    pub(crate) fn text(&mut self, text: &str) -> &mut Code {
        self.text.push_str(text);
        self
    }

    /// Appends formatted text: `code.push(format_args!(...))`.
    pub(crate) fn push(&mut self, text: fmt::Arguments<'_>) -> &mut Code {
        // Writing to a `String` cannot fail.
        let _ = self.text.write_fmt(text);
        self
    }

    /// Appends tokens as they are.
    pub(crate) fn splice(&mut self, tokens: impl Into<TokenStream>) -> &mut Code {
        self.lex();
        self.tokens.push(tokens.into());
        self
    }

    /// Appends `{ inner }`.
    pub(crate) fn braced(&mut self, inner: Code) -> &mut Code {
        self.group(Delimiter::Brace, inner)
    }

    /// Appends `( inner )`.
    pub(crate) fn parenthesized(&mut self, inner: Code) -> &mut Code {
        self.group(Delimiter::Parenthesis, inner)
    }

    /// Text is lexed in pieces, each of which must be balanced: a group that holds spliced
    /// tokens is made here.
    fn group(&mut self, delimiter: Delimiter, inner: Code) -> &mut Code {
        let group = Group::new(delimiter, inner.into_stream());
        self.splice(TokenTree::Group(group))
    }

    pub(crate) fn into_stream(mut self) -> TokenStream {
        self.lex();
        self.tokens.into_iter().collect()
    }

    fn lex(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let tokens = TokenStream::from_str(&self.text).unwrap_or_else(|error| {
            // Only a mistake in this crate gets here.
            Error::new(
                Span::call_site(),
                format!("`policy!` generated code that does not lex: {error}"),
            )
            .into_compile_error()
        });
        self.tokens.push(tokens);
        self.text.clear();
    }
}

/// A text of the policy as a Rust string literal (the escapes of `Literal::string`).
pub(crate) struct Str<'a>(pub &'a str);

impl fmt::Display for Str<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:?}", self.0)
    }
}

/// `tokens` with every span set to `span`, as `quote_spanned!` writes them.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                token = TokenTree::Group(respanned);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}
