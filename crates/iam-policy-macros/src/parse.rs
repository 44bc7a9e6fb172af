//! Reading tokens: a cursor over the tokens of one group, what Rust's literals and identifiers
//! are, and the errors of a parser that expected something else (worded and placed as `syn`
//! words and places them, which users of proc macros know).

use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

use crate::error::Error;

/// The tokens of one group, read front to back.
pub(crate) struct Cursor {
    tokens: Vec<TokenTree>,
    next: usize,
    /// Where the group ends: errors about a missing token point there.
    pub end: Span,
}

impl Cursor {
    pub(crate) fn new(stream: TokenStream, end: Span) -> Cursor {
        Cursor {
            tokens: stream.into_iter().collect(),
            next: 0,
            end,
        }
    }

    /// The tokens of a group, whose closing delimiter is its end.
    pub(crate) fn of(group: &Group) -> Cursor {
        Cursor::new(group.stream(), group.span_close())
    }

    pub(crate) fn peek(&self) -> Option<&TokenTree> {
        self.tokens.get(self.next)
    }

    /// The next token, looking into the invisible groups a `macro_rules!` fragment (`$e:expr`)
    /// makes.
    pub(crate) fn peek_unwrapped(&self) -> Option<TokenTree> {
        let mut token = self.peek()?.clone();
        while let TokenTree::Group(group) = &token {
            if group.delimiter() != Delimiter::None {
                break;
            }
            token = group.stream().into_iter().next()?;
        }
        Some(token)
    }

    pub(crate) fn bump(&mut self) -> Option<TokenTree> {
        let token = self.tokens.get(self.next).cloned();
        self.next += 1;
        token
    }

    pub(crate) fn at_end(&self) -> bool {
        self.next >= self.tokens.len()
    }

    /// The tokens not read yet; the cursor is then at its end.
    pub(crate) fn rest(&mut self) -> Vec<TokenTree> {
        let rest = self.tokens.get(self.next..).unwrap_or_default().to_vec();
        self.next = self.tokens.len();
        rest
    }

    /// Skips to just after the next `,` (or to the end), to resume after an error.
    pub(crate) fn recover(&mut self) {
        while let Some(token) = self.bump() {
            if is_punct(&token, ',') {
                return;
            }
        }
    }

    /// An error at the next token, or "unexpected end of input" at the end.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> Error {
        if self.at_end() {
            return Error::new(self.end, format!("unexpected end of input, {message}"));
        }
        Error::new(self.next_span(), message.to_string())
    }

    /// The next token's span (a group's opening delimiter), or the end.
    fn next_span(&self) -> Span {
        match self.peek() {
            None => self.end,
            Some(TokenTree::Group(group)) => group.span_open(),
            Some(token) => token.span(),
        }
    }

    pub(crate) fn peek_punct(&self, ch: char) -> bool {
        self.peek().is_some_and(|token| is_punct(token, ch))
    }

    pub(crate) fn peek_group(&self, delimiter: Delimiter) -> Option<&Group> {
        match self.peek() {
            Some(TokenTree::Group(group)) if group.delimiter() == delimiter => Some(group),
            _ => None,
        }
    }

    /// `::`.
    pub(crate) fn peek_path_separator(&self) -> bool {
        is_path_separator(&self.tokens, self.next)
    }

    pub(crate) fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(TokenTree::Ident(ident)) if ident.to_string() == keyword)
    }

    /// The punctuation `ch`, or an error "expected `ch`".
    pub(crate) fn punct(&mut self, ch: char) -> Result<Span, Error> {
        if !self.peek_punct(ch) {
            return Err(Error::new(self.next_span(), format!("expected `{ch}`")));
        }
        Ok(self.bump().map_or(self.end, |token| token.span()))
    }

    /// An identifier that is no keyword.
    pub(crate) fn ident(&mut self) -> Result<Ident, Error> {
        match self.peek() {
            Some(TokenTree::Ident(ident)) => {
                let ident = ident.clone();
                if is_keyword(&ident.to_string()) {
                    return Err(
                        self.error(format_args!("expected identifier, found keyword `{ident}`"))
                    );
                }
                self.next += 1;
                Ok(ident)
            }
            _ => Err(self.error("expected identifier")),
        }
    }

    /// A string literal: its value and its span.
    pub(crate) fn string(&mut self) -> Result<StringLiteral, Error> {
        let string = match self.peek() {
            Some(TokenTree::Literal(literal)) => match literal_kind(&literal.to_string()) {
                LiteralKind::String {
                    value,
                    suffixed: false,
                } => Some(StringLiteral {
                    value,
                    span: literal.span(),
                }),
                // `"bucket"x`: Rust reads a suffix, which a JSON text cannot carry.
                LiteralKind::String { suffixed: true, .. } => {
                    return Err(self.error(format_args!(
                        "`{literal}`: a string literal here takes no suffix"
                    )));
                }
                _ => None,
            },
            _ => None,
        };
        let string = string.ok_or_else(|| self.error("expected string literal"))?;
        self.next += 1;
        Ok(string)
    }

    /// An error at the first token left, when one is; `closing` is the delimiter that should
    /// have come instead, when the tokens are a group's.
    pub(crate) fn finish(&self, closing: Option<char>) -> Result<(), Error> {
        let Some(token) = self.peek() else {
            return Ok(());
        };
        let message = match closing {
            Some(closing) => format!("unexpected token, expected `{closing}`"),
            None => "unexpected token".to_owned(),
        };
        Err(Error::new(token.span(), message))
    }
}

pub(crate) fn is_punct(token: &TokenTree, ch: char) -> bool {
    matches!(token, TokenTree::Punct(punct) if punct.as_char() == ch)
}

/// A string literal of the input.
pub(crate) struct StringLiteral {
    pub value: String,
    pub span: Span,
}

/// What a literal is, from its text.
#[derive(Debug, PartialEq)]
pub(crate) enum LiteralKind {
    /// `"..."` or `r#"..."#`, with what it denotes; `suffixed` as in `"text"suffix`.
    String { value: String, suffixed: bool },
    /// An integer or floating-point literal, with any suffix.
    Number,
    /// A character, byte, byte string or C string.
    Other,
}

pub(crate) fn literal_kind(text: &str) -> LiteralKind {
    let bytes = text.as_bytes();
    match bytes {
        [b'0'..=b'9', ..] | [b'-', b'0'..=b'9', ..] => LiteralKind::Number,
        [b'"', ..] => cooked_string(&text[1..]),
        [b'r', b'"' | b'#', ..] => raw_string(&text[1..]),
        _ => LiteralKind::Other,
    }
}

/// The rest of `"...`: the escapes replaced by what they stand for.
fn cooked_string(rest: &str) -> LiteralKind {
    let Some(close) = rest.rfind('"') else {
        return LiteralKind::Other;
    };
    let suffixed = close + 1 < rest.len();
    let content = &rest[..close];
    // Most texts of a policy have no escape.
    if !content.contains('\\') {
        return LiteralKind::String {
            value: content.to_owned(),
            suffixed,
        };
    }
    let mut value = String::with_capacity(close);
    let mut chars = content.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            value.push(ch);
            continue;
        }
        let escaped = match chars.next() {
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('\\') => '\\',
            Some('0') => '\0',
            Some('\'') => '\'',
            Some('"') => '"',
            Some('x') => {
                let digits: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&digits, 16) {
                    Ok(byte) if byte.is_ascii() => char::from(byte),
                    _ => return LiteralKind::Other,
                }
            }
            Some('u') => {
                let digits: String = chars
                    .by_ref()
                    .skip_while(|&c| c == '{')
                    .take_while(|&c| c != '}')
                    .filter(|&c| c != '_')
                    .collect();
                match u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) => ch,
                    None => return LiteralKind::Other,
                }
            }
            // A line continuation: the line break and the next line's indentation are left out.
            Some('\n' | '\r') => {
                while chars
                    .next_if(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                    .is_some()
                {}
                continue;
            }
            _ => return LiteralKind::Other,
        };
        value.push(escaped);
    }
    LiteralKind::String { value, suffixed }
}

/// The rest of `r#"...`.
fn raw_string(rest: &str) -> LiteralKind {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    let body = rest.get(hashes + 1..).unwrap_or_default();
    let closing = format!("\"{}", &rest[..hashes]);
    match body.rfind(&closing) {
        Some(end) => LiteralKind::String {
            value: body[..end].to_owned(),
            suffixed: end + closing.len() < body.len(),
        },
        None => LiteralKind::Other,
    }
}

/// The words an identifier cannot be (a `_` neither), as `syn` has them.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// Whether `tokens` are exactly a path: `a`, `a::b`, `::a::b`, `crate::a`, `A::<T>::B`, `$crate::a`.
/// A segment is an identifier that is no keyword, or `crate`, `self`, `super`, `Self`; generic
/// arguments are taken as balanced `<...>`.
pub(crate) fn is_path(tokens: &[TokenTree]) -> bool {
    let mut at = usize::from(is_path_separator(tokens, 0)) * 2;
    loop {
        match tokens.get(at) {
            Some(TokenTree::Ident(ident)) => {
                let word = ident.to_string();
                if is_keyword(&word)
                    && !matches!(word.as_str(), "crate" | "self" | "super" | "Self")
                {
                    return false;
                }
                at += 1;
            }
            _ => return false,
        }
        let generics_at = if is_path_separator(tokens, at) {
            at + 2
        } else {
            at
        };
        if tokens
            .get(generics_at)
            .is_some_and(|token| is_punct(token, '<'))
        {
            match angle_brackets_end(tokens, generics_at) {
                Some(end) => at = end,
                None => return false,
            }
        }
        if at == tokens.len() {
            return true;
        }
        if !is_path_separator(tokens, at) {
            return false;
        }
        at += 2;
    }
}

/// `::` at `at`.
fn is_path_separator(tokens: &[TokenTree], at: usize) -> bool {
    matches!(
        (tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(first)), Some(second))
            if first.as_char() == ':' && first.spacing() == proc_macro::Spacing::Joint
                && is_punct(second, ':')
    )
}

/// Just after the `>` that closes the `<` at `at`.
fn angle_brackets_end(tokens: &[TokenTree], at: usize) -> Option<usize> {
    let mut depth = 0_usize;
    for (index, token) in tokens.iter().enumerate().skip(at) {
        match token {
            TokenTree::Punct(punct) if punct.as_char() == '<' => depth += 1,
            // `->` in `Fn() -> T` closes nothing.
            TokenTree::Punct(punct)
                if punct.as_char() == '>' && !(index > 0 && is_punct(&tokens[index - 1], '-')) =>
            {
                depth -= 1;
                if depth == 0 {
                    return Some(index + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(value: &str) -> LiteralKind {
        LiteralKind::String {
            value: value.to_owned(),
            suffixed: false,
        }
    }

    #[test]
    fn reads_string_literals_as_rust_does() {
        assert_eq!(literal_kind(r#""plain""#), string("plain"));
        assert_eq!(
            literal_kind(r#""a\"b\\c\n\t\r\0\'\x41\u{e9}\u{1_F600}""#),
            string("a\"b\\c\n\t\r\0'A\u{e9}\u{1F600}")
        );
        assert_eq!(literal_kind("\"one \\\n    two\""), string("one two"));
        assert_eq!(
            literal_kind(r###"r#"a "quoted" \n"#"###),
            string(r#"a "quoted" \n"#)
        );
        assert_eq!(literal_kind(r#"r"raw""#), string("raw"));
        assert_eq!(
            literal_kind(r#""text"suffix"#),
            LiteralKind::String {
                value: "text".to_owned(),
                suffixed: true
            }
        );
        assert_eq!(
            literal_kind(r##"r#"text"#suffix"##),
            LiteralKind::String {
                value: "text".to_owned(),
                suffixed: true
            }
        );
    }

    #[test]
    fn tells_numbers_from_other_literals() {
        for number in ["0", "12", "1.5e3", "0x10", "1u8", "1_000", "-1"] {
            assert_eq!(literal_kind(number), LiteralKind::Number, "{number}");
        }
        for other in [
            "'c'",
            "b'c'",
            r#"b"bytes""#,
            r#"br"bytes""#,
            r#"c"text""#,
            r#"cr"text""#,
        ] {
            assert_eq!(literal_kind(other), LiteralKind::Other, "{other}");
        }
    }
}
