//! Compile errors located in the input: each message spans from one token to another (the same
//! token for most), and the messages of one call are expanded together so that rustc reports
//! every error of the call at once.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// One or more located messages.
#[derive(Clone)]
pub(crate) struct Error {
    messages: Vec<Message>,
}

#[derive(Clone)]
struct Message {
    start: Span,
    end: Span,
    text: String,
}

impl Error {
    /// An error at one token.
    pub(crate) fn new(span: Span, text: impl Into<String>) -> Error {
        Error::spanning(span, span, text)
    }

    /// An error covering the tokens from `start` to `end`.
    pub(crate) fn spanning(start: Span, end: Span, text: impl Into<String>) -> Error {
        Error {
            messages: vec![Message {
                start,
                end,
                text: text.into(),
            }],
        }
    }

    /// An error covering `tokens` (the call site when there are none).
    pub(crate) fn covering(tokens: &[TokenTree], text: impl Into<String>) -> Error {
        let start = tokens.first().map_or_else(Span::call_site, TokenTree::span);
        let end = tokens.last().map_or(start, TokenTree::span);
        Error::spanning(start, end, text)
    }

    /// The span of the first message, where a caller that rewords an error puts its own.
    pub(crate) fn span(&self) -> Span {
        self.messages
            .first()
            .map_or_else(Span::call_site, |message| message.start)
    }

    pub(crate) fn combine(&mut self, other: Error) {
        self.messages.extend(other.messages);
    }

    /// `::core::compile_error! { "message" }` for each message: the path at the start of the
    /// message's span and the braces at its end, so that rustc underlines everything between.
    pub(crate) fn into_compile_error(self) -> TokenStream {
        let mut tokens = Vec::with_capacity(self.messages.len() * 8);
        for Message { start, end, text } in self.messages {
            let punct = |ch, spacing| {
                let mut punct = Punct::new(ch, spacing);
                punct.set_span(start);
                TokenTree::Punct(punct)
            };
            tokens.extend([
                punct(':', Spacing::Joint),
                punct(':', Spacing::Alone),
                TokenTree::Ident(Ident::new("core", start)),
                punct(':', Spacing::Joint),
                punct(':', Spacing::Alone),
                TokenTree::Ident(Ident::new("compile_error", start)),
                punct('!', Spacing::Alone),
            ]);
            let mut message = Literal::string(&text);
            message.set_span(end);
            let mut group = Group::new(
                Delimiter::Brace,
                TokenStream::from(TokenTree::Literal(message)),
            );
            group.set_span(end);
            tokens.push(TokenTree::Group(group));
        }
        tokens.into_iter().collect()
    }
}

/// The errors found so far, none at first.
#[derive(Default)]
pub(crate) struct Errors(Option<Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// `Err` with every error pushed, or `Ok(value)` when there was none.
    pub(crate) fn or<T>(self, value: T) -> Result<T, Error> {
        self.0.map_or(Ok(value), Err)
    }

    pub(crate) fn into_error(self) -> Option<Error> {
        self.0
    }
}
