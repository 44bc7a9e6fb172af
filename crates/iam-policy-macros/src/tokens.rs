//! Rust tokens to the core's JSON tree.
//!
//! A policy written in `policy!` is JSON as Rust tokenizes it: braces and brackets are groups,
//! strings and numbers are literals, `-` is a punctuation before a number, `true`, `false` and
//! `null` are identifiers. Each node's [`Span`] is an index into a side table of the tokens'
//! `proc_macro2::Span`s, spread apart by [`STRIDE`] so that a rule pointing inside a literal
//! (start + offset) still lands on that literal.
//!
//! Malformed input is reported at the offending token; the parser recovers at the next comma
//! so that every syntax error of one call is reported together.

use iam_policy_core::{Member, Node, Span, Value};
use proc_macro2::{Delimiter, Group, Literal, Spacing, TokenStream, TokenTree};
use syn::Lit;

/// Distance between the json spans of two consecutive tokens.
const STRIDE: u32 = 1 << 16;

/// The source spans of the tokens of one document.
#[derive(Debug, Default)]
pub(crate) struct SpanTable {
    spans: Vec<proc_macro2::Span>,
}

impl SpanTable {
    /// A json span standing for `span`, covering `len` bytes of a literal.
    fn push(&mut self, span: proc_macro2::Span, len: usize) -> Result<Span, syn::Error> {
        let index = u32::try_from(self.spans.len())
            .ok()
            .filter(|index| *index < u32::MAX / STRIDE)
            .ok_or_else(|| syn::Error::new(span, "the policy has too many tokens"))?;
        self.spans.push(span);
        let start = index * STRIDE;
        let len = u32::try_from(len).unwrap_or(STRIDE - 1).min(STRIDE - 1);
        Ok(Span {
            start,
            end: start + len,
        })
    }

    /// The token a json span (or any offset inside it) was made from.
    pub(crate) fn get(&self, span: Span) -> proc_macro2::Span {
        let index = (span.start / STRIDE) as usize;
        self.spans
            .get(index)
            .copied()
            .unwrap_or_else(proc_macro2::Span::call_site)
    }
}

/// A statement constant a document names in `Statement` (`"Statement": [LOGS_READ, {...}]`):
/// its place among the statements and its path.
pub(crate) struct StatementRef {
    pub index: usize,
    pub path: syn::Path,
}

/// The document group without the statement constants its top-level `Statement` array names,
/// and those constants. Only paths are taken out; anything else stays for the JSON parser to
/// read (and report).
pub(crate) fn statement_references(document: &Group) -> (Group, Vec<StatementRef>) {
    let mut references = Vec::new();
    let mut tokens: Vec<TokenTree> = document.stream().into_iter().collect();
    let statement_array = tokens.windows(3).position(|window| {
        matches!(&window[0], TokenTree::Literal(literal) if literal.to_string() == "\"Statement\"")
            && is_punct(&window[1], ':')
            && matches!(&window[2], TokenTree::Group(group) if group.delimiter() == Delimiter::Bracket)
    });
    let Some(at) = statement_array.map(|at| at + 2) else {
        return (document.clone(), references);
    };
    let Some(TokenTree::Group(array)) = tokens.get(at) else {
        return (document.clone(), references);
    };
    let mut kept: Vec<TokenTree> = Vec::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut index = 0;
    let mut items = array.stream().into_iter().peekable();
    loop {
        let token = items.next();
        let end_of_item = match &token {
            None => true,
            Some(token) => is_punct(token, ','),
        };
        if !end_of_item {
            item.extend(token);
            continue;
        }
        if !item.is_empty() {
            match reference(&item) {
                Some(path) => references.push(StatementRef { index, path }),
                None => {
                    if !kept.is_empty() {
                        kept.push(TokenTree::Punct(proc_macro2::Punct::new(
                            ',',
                            Spacing::Alone,
                        )));
                    }
                    kept.append(&mut item);
                }
            }
            item.clear();
            index += 1;
        }
        if token.is_none() {
            break;
        }
    }
    if references.is_empty() {
        return (document.clone(), references);
    }
    let mut filtered = Group::new(Delimiter::Bracket, kept.into_iter().collect());
    filtered.set_span(array.span());
    tokens[at] = TokenTree::Group(filtered);
    let mut rebuilt = Group::new(document.delimiter(), tokens.into_iter().collect());
    rebuilt.set_span(document.span());
    (rebuilt, references)
}

/// The path an item of `Statement` is, when it is one (`LOGS_READ`, `shared::LOGS_READ`).
fn reference(item: &[TokenTree]) -> Option<syn::Path> {
    let starts_a_path = match item.first()? {
        TokenTree::Ident(ident) => !matches!(ident.to_string().as_str(), "true" | "false" | "null"),
        TokenTree::Punct(punct) => punct.as_char() == ':',
        _ => false,
    };
    if !starts_a_path {
        return None;
    }
    syn::parse2::<syn::Path>(item.iter().cloned().collect()).ok()
}

/// Parses the document group `{ ... }` of a `policy!` call; every syntax error, or the tree.
pub(crate) fn document(group: &Group, spans: &mut SpanTable) -> Result<Node<'static>, syn::Error> {
    let mut parser = Parser {
        spans,
        errors: Vec::new(),
        depth: 0,
    };
    let node = parser.group(group);
    let mut errors = parser.errors.into_iter();
    match (node, errors.next()) {
        (Some(node), None) => Ok(node),
        (_, Some(mut first)) => {
            first.extend(errors);
            Err(first)
        }
        (None, None) => Err(syn::Error::new(group.span(), "expected a JSON value")),
    }
}

struct Parser<'s> {
    spans: &'s mut SpanTable,
    errors: Vec<syn::Error>,
    /// Groups entered; deeper than [`MAX_DEPTH`] is refused rather than risking the stack.
    depth: usize,
}

/// The core's text parser has the same limit; IAM policies need five levels.
const MAX_DEPTH: usize = 128;

/// Tokens of one group, read front to back.
struct Cursor {
    tokens: Vec<TokenTree>,
    next: usize,
    /// Where the group ends, for "expected ... after" errors.
    end: proc_macro2::Span,
}

impl Cursor {
    fn new(stream: TokenStream, end: proc_macro2::Span) -> Cursor {
        Cursor {
            tokens: stream.into_iter().collect(),
            next: 0,
            end,
        }
    }

    fn peek(&self) -> Option<&TokenTree> {
        self.tokens.get(self.next)
    }

    fn bump(&mut self) -> Option<TokenTree> {
        let token = self.tokens.get(self.next).cloned();
        self.next += 1;
        token
    }

    fn at_end(&self) -> bool {
        self.next >= self.tokens.len()
    }

    /// Skips to just after the next `,` of this group (or its end), to resume after an error.
    fn recover(&mut self) {
        while let Some(token) = self.bump() {
            if is_punct(&token, ',') {
                return;
            }
        }
    }
}

fn is_punct(token: &TokenTree, ch: char) -> bool {
    matches!(token, TokenTree::Punct(punct) if punct.as_char() == ch)
}

/// How a token reads in an error message.
fn describe(token: &TokenTree) -> String {
    match token {
        TokenTree::Group(group) => match group.delimiter() {
            Delimiter::Parenthesis => "`(`".to_owned(),
            Delimiter::Brace => "`{`".to_owned(),
            Delimiter::Bracket => "`[`".to_owned(),
            Delimiter::None => "a macro fragment".to_owned(),
        },
        other => format!("`{other}`"),
    }
}

impl Parser<'_> {
    fn error(&mut self, span: proc_macro2::Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// One JSON value starting at the cursor; `None` after reporting an error.
    fn value(&mut self, cursor: &mut Cursor) -> Option<Node<'static>> {
        let Some(token) = cursor.bump() else {
            self.error(cursor.end, "expected a JSON value");
            return None;
        };
        match token {
            TokenTree::Group(group) => self.group(&group),
            TokenTree::Literal(literal) => self.literal(&literal, false),
            TokenTree::Punct(punct) if punct.as_char() == '-' => match cursor.bump() {
                Some(TokenTree::Literal(literal)) => self.literal(&literal, true),
                _ => {
                    self.error(punct.span(), "expected a number after `-`");
                    None
                }
            },
            TokenTree::Ident(ident) => {
                let value = match ident.to_string().as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    other => {
                        self.error(
                            ident.span(),
                            format!(
                                "expected a JSON value, found `{other}`\n\
                                 help: JSON strings are written in double quotes: `\"{other}\"`"
                            ),
                        );
                        return None;
                    }
                };
                let span = self.push(ident.span(), ident.to_string().len())?;
                Some(Node { value, span })
            }
            other => {
                let message = format!("expected a JSON value, found {}", describe(&other));
                self.error(other.span(), message);
                None
            }
        }
    }

    fn push(&mut self, span: proc_macro2::Span, len: usize) -> Option<Span> {
        match self.spans.push(span, len) {
            Ok(span) => Some(span),
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    fn group(&mut self, group: &Group) -> Option<Node<'static>> {
        if self.depth >= MAX_DEPTH {
            self.error(group.span(), "the document is nested too deeply");
            return None;
        }
        self.depth += 1;
        let node = self.group_contents(group);
        self.depth -= 1;
        node
    }

    fn group_contents(&mut self, group: &Group) -> Option<Node<'static>> {
        match group.delimiter() {
            Delimiter::Brace => self.object(group),
            Delimiter::Bracket => self.array(group),
            // A fragment passed through a `macro_rules!` macro (`$doc:tt`): look inside.
            Delimiter::None => {
                let mut cursor = Cursor::new(group.stream(), group.span());
                let node = self.value(&mut cursor)?;
                if let Some(extra) = cursor.peek() {
                    let message = format!("expected one JSON value, found {}", describe(extra));
                    self.error(extra.span(), message);
                }
                Some(node)
            }
            Delimiter::Parenthesis => {
                self.error(group.span(), "expected a JSON value, found `(`");
                None
            }
        }
    }

    fn object(&mut self, group: &Group) -> Option<Node<'static>> {
        let span = self.push(group.span(), 0)?;
        let mut cursor = Cursor::new(group.stream(), group.span_close());
        let mut members = Vec::new();
        while !cursor.at_end() {
            match self.member(&mut cursor) {
                Some(member) => members.push(member),
                None => {
                    cursor.recover();
                    continue;
                }
            }
            self.separator(&mut cursor, "}");
        }
        Some(Node {
            value: Value::Object(members),
            span,
        })
    }

    /// `"key": value`.
    fn member(&mut self, cursor: &mut Cursor) -> Option<Member<'static>> {
        let key_token = cursor.bump()?;
        let key = match &key_token {
            TokenTree::Literal(literal) => match Lit::new(literal.clone()) {
                Lit::Str(key) if key.suffix().is_empty() => key.value(),
                _ => {
                    let message = format!("expected a string as object key, found `{literal}`");
                    self.error(literal.span(), message);
                    return None;
                }
            },
            other => {
                let message = format!("expected a string as object key, found {}", describe(other));
                self.error(other.span(), message);
                return None;
            }
        };
        let key_span = self.push(key_token.span(), key.len() + 2)?;
        match cursor.bump() {
            Some(TokenTree::Punct(colon))
                if colon.as_char() == ':' && colon.spacing() == Spacing::Alone => {}
            Some(other) => {
                let message = format!("expected `:` after `\"{key}\"`, found {}", describe(&other));
                self.error(other.span(), message);
                return None;
            }
            None => {
                self.error(key_token.span(), format!("expected `:` after `\"{key}\"`"));
                return None;
            }
        }
        let value = self.value(cursor)?;
        Some(Member {
            key: key.into(),
            key_span,
            value,
        })
    }

    fn array(&mut self, group: &Group) -> Option<Node<'static>> {
        let span = self.push(group.span(), 0)?;
        let mut cursor = Cursor::new(group.stream(), group.span_close());
        let mut items = Vec::new();
        while !cursor.at_end() {
            match self.value(&mut cursor) {
                Some(item) => items.push(item),
                None => {
                    cursor.recover();
                    continue;
                }
            }
            self.separator(&mut cursor, "]");
        }
        Some(Node {
            value: Value::Array(items),
            span,
        })
    }

    /// After a member or item: a `,` followed by more, or the end of the group.
    fn separator(&mut self, cursor: &mut Cursor, close: &str) {
        match cursor.bump() {
            None => {}
            Some(comma) if is_punct(&comma, ',') && cursor.at_end() => {
                self.error(
                    comma.span(),
                    "trailing comma: JSON allows no `,` before the closing bracket\n\
                     help: remove this `,`",
                );
            }
            Some(comma) if is_punct(&comma, ',') => {}
            Some(other) => {
                let message = format!("expected `,` or `{close}`, found {}", describe(&other));
                self.error(other.span(), message);
                cursor.recover();
            }
        }
    }

    /// A string or number literal; `negative` when a `-` came before it.
    fn literal(&mut self, literal: &Literal, negative: bool) -> Option<Node<'static>> {
        let text = literal.to_string();
        let value = match Lit::new(literal.clone()) {
            Lit::Str(string) if string.suffix().is_empty() && !negative => {
                Value::String(string.value().into())
            }
            Lit::Int(_) | Lit::Float(_) if is_json_number(&text) => Value::Number(
                if negative {
                    format!("-{text}")
                } else {
                    text.clone()
                }
                .into(),
            ),
            Lit::Int(_) | Lit::Float(_) => {
                self.error(
                    literal.span(),
                    format!(
                        "`{text}` is not a JSON number\n\
                         help: write digits with an optional fraction and exponent, no suffix or `_`"
                    ),
                );
                return None;
            }
            _ => {
                let message = if negative {
                    format!("expected a number after `-`, found `{text}`")
                } else {
                    format!("expected a JSON value, found `{text}`")
                };
                self.error(literal.span(), message);
                return None;
            }
        };
        let span = self.push(literal.span(), text.len())?;
        Some(Node { value, span })
    }
}

/// RFC 8259 number syntax without the sign: `int [frac] [exp]`, no leading zeros.
fn is_json_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int = digits(0);
    if int == 0 || (int > 1 && bytes[0] == b'0') {
        return false;
    }
    let mut at = int;
    if bytes.get(at) == Some(&b'.') {
        let frac = digits(at + 1);
        if frac == 0 {
            return false;
        }
        at += 1 + frac;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exp = digits(at);
        if exp == 0 {
            return false;
        }
        at += exp;
    }
    at == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> Result<Node<'static>, String> {
        let group = Group::new(Delimiter::Brace, tokens);
        document(&group, &mut SpanTable::default()).map_err(|error| {
            error
                .into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
    }

    #[test]
    fn converts_every_json_type() -> Result<(), String> {
        let node = parse(quote! {
            "s": "text", "n": -12.5e3, "t": true, "f": false, "z": null, "a": [1, {"k": []}]
        })?;
        let Value::Object(members) = node.value else {
            return Err(format!("not an object: {node:?}"));
        };
        let values: Vec<_> = members.into_iter().map(|m| m.value.value).collect();
        let expected = [
            Value::String("text".into()),
            Value::Number("-12.5e3".into()),
            Value::Bool(true),
            Value::Bool(false),
            Value::Null,
        ];
        assert_eq!(values[..5], expected);
        assert!(matches!(&values[5], Value::Array(items) if items.len() == 2));
        Ok(())
    }

    #[test]
    fn reports_every_syntax_error_of_a_document() {
        let errors = parse(quote! {
            "a": [1, 2,], "b" "c", 3: "x", "d": foo, "e": 0x10, "f": 1u8, "g": 'c', "h": (1)
        });
        let errors = errors.unwrap_err();
        for expected in [
            "trailing comma",
            "expected `:` after `\"b\"`, found `\"c\"`",
            "expected a string as object key, found `3`",
            "expected a JSON value, found `foo`",
            "`0x10` is not a JSON number",
            "`1u8` is not a JSON number",
            "expected a JSON value, found `'c'`",
            "expected a JSON value, found `(`",
        ] {
            assert!(
                errors.contains(expected),
                "{expected:?} missing in {errors}"
            );
        }
    }

    #[test]
    fn reports_a_missing_comma() {
        let errors = parse(quote! { "a": 1 "b": 2 }).unwrap_err();
        assert!(
            errors.contains("expected `,` or `}`, found `\"b\"`"),
            "{errors}"
        );
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let mut tokens = quote!(1);
        for _ in 0..1000 {
            tokens = quote!([#tokens]);
        }
        let errors = parse(quote!("a": #tokens)).unwrap_err();
        assert!(errors.contains("nested too deeply"), "{errors}");
    }

    #[test]
    fn json_number_syntax() {
        for good in ["0", "12", "1.5", "1e3", "1.5E-3", "10e+2"] {
            assert!(is_json_number(good), "{good}");
        }
        for bad in ["01", "1.", "1e", "1_000", "0x1", "1u8", "1.5f32", ""] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
