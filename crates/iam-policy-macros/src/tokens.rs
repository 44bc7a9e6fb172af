//! Rust tokens to the core's JSON tree.
//!
//! A policy written in `policy!` is JSON as Rust tokenizes it: braces and brackets are groups,
//! strings and numbers are literals, `-` is a punctuation before a number, `true`, `false` and
//! `null` are identifiers. Each node's [`Span`] is an index into a side table of the tokens'
//! `proc_macro::Span`s, spread apart by [`STRIDE`] so that a rule pointing inside a literal
//! (start + offset) still lands on that literal.
//!
//! Malformed input is reported at the offending token; the parser recovers at the next comma
//! so that every syntax error of one call is reported together.

use iam_policy_core::{Member, Node, Span, Value};
use proc_macro::{Delimiter, Group, Literal, Punct, Spacing, TokenStream, TokenTree};

use crate::error::{Error, Errors};
use crate::parse::{Cursor, LiteralKind, is_path, is_punct, literal_kind};

/// Distance between the json spans of two consecutive tokens.
const STRIDE: u32 = 1 << 16;

/// The source spans of the tokens of one document.
#[derive(Debug, Default)]
pub(crate) struct SpanTable {
    spans: Vec<proc_macro::Span>,
}

impl SpanTable {
    /// A json span standing for `span`, covering `len` bytes of a literal.
    fn push(&mut self, span: proc_macro::Span, len: usize) -> Result<Span, Error> {
        let index = u32::try_from(self.spans.len())
            .ok()
            .filter(|index| *index < u32::MAX / STRIDE)
            .ok_or_else(|| Error::new(span, "the policy has too many tokens"))?;
        self.spans.push(span);
        let start = index * STRIDE;
        let len = u32::try_from(len).unwrap_or(STRIDE - 1).min(STRIDE - 1);
        Ok(Span {
            start,
            end: start + len,
        })
    }

    /// The token a json span (or any offset inside it) was made from.
    pub(crate) fn get(&self, span: Span) -> proc_macro::Span {
        let index = (span.start / STRIDE) as usize;
        self.spans
            .get(index)
            .copied()
            .unwrap_or_else(proc_macro::Span::call_site)
    }
}

/// A statement constant a document names in `Statement` (`"Statement": [LOGS_READ, {...}]`):
/// its place among the statements and its path, as written.
pub(crate) struct StatementRef {
    pub index: usize,
    pub path: TokenStream,
}

/// The document group without the statement constants its top-level `Statement` array names,
/// and those constants. Only paths are taken out; anything else stays for the JSON parser to
/// read (and report).
pub(crate) fn statement_references(document: &Group) -> (Group, Vec<StatementRef>) {
    let mut references = Vec::new();
    let mut tokens: Vec<TokenTree> = document.stream().into_iter().collect();
    let statement_array = tokens.windows(3).position(|window| {
        // The member name as the JSON reader decodes it: `r"Statement"` names it too.
        matches!(&window[0], TokenTree::Literal(literal) if matches!(
            literal_kind(&literal.to_string()),
            LiteralKind::String { value, suffixed: false } if value == "Statement"
        ))
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
    let mut items = array.stream().into_iter();
    // The `,` that ended the item before, kept to be put back when it ends nothing.
    let mut last_comma = None;
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
        if item.is_empty() {
            // A `,` after another or at the end (`[A,, {...}]`, `[A, {...},]`): left in
            // place, where the JSON parser reports it, as it would without the constants.
            match token {
                Some(comma) => {
                    kept.push(comma);
                    last_comma = None;
                    continue;
                }
                None => {
                    kept.extend(last_comma.take());
                    break;
                }
            }
        }
        match reference(&item) {
            Some(path) => references.push(StatementRef { index, path }),
            None => {
                if !kept.is_empty() {
                    kept.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
                }
                kept.append(&mut item);
            }
        }
        item.clear();
        index += 1;
        match token {
            None => break,
            comma => last_comma = comma,
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
fn reference(item: &[TokenTree]) -> Option<TokenStream> {
    let starts_a_path = match item.first()? {
        TokenTree::Ident(ident) => !matches!(ident.to_string().as_str(), "true" | "false" | "null"),
        TokenTree::Punct(punct) => punct.as_char() == ':',
        _ => false,
    };
    if !starts_a_path {
        return None;
    }
    is_path(item).then(|| item.iter().cloned().collect())
}

/// Parses the document group `{ ... }` of a `policy!` call; every syntax error, or the tree.
pub(crate) fn document(group: &Group, spans: &mut SpanTable) -> Result<Node<'static>, Error> {
    let mut parser = Parser {
        spans,
        errors: Errors::default(),
        depth: 0,
    };
    let node = parser.group(group);
    match (node, parser.errors.into_error()) {
        (Some(node), None) => Ok(node),
        (_, Some(errors)) => Err(errors),
        (None, None) => Err(Error::new(group.span(), "expected a JSON value")),
    }
}

struct Parser<'s> {
    spans: &'s mut SpanTable,
    errors: Errors,
    /// Groups entered; deeper than [`MAX_DEPTH`] is refused rather than risking the stack.
    depth: usize,
}

/// The core's text parser has the same limit; IAM policies need five levels.
const MAX_DEPTH: usize = 128;

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
    fn error(&mut self, span: proc_macro::Span, message: impl Into<String>) {
        self.errors.push(Error::new(span, message));
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

    fn push(&mut self, span: proc_macro::Span, len: usize) -> Option<Span> {
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
        let mut cursor = Cursor::of(group);
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
            TokenTree::Literal(literal) => match literal_kind(&literal.to_string()) {
                LiteralKind::String {
                    value,
                    suffixed: false,
                } => value,
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
        let mut cursor = Cursor::of(group);
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
        let value = match literal_kind(&text) {
            LiteralKind::String {
                value,
                suffixed: false,
            } if !negative => Value::String(value.into()),
            LiteralKind::Number if is_json_number(&text) => Value::Number(
                if negative {
                    format!("-{text}")
                } else {
                    text.clone()
                }
                .into(),
            ),
            LiteralKind::Number => {
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

/// RFC 8259 number syntax without the sign (`int [frac] [exp]`, no leading zeros), as the
/// core's JSON parser reads it: one rule for numbers written in text and in Rust tokens.
fn is_json_number(text: &str) -> bool {
    !text.starts_with('-')
        && matches!(
            iam_policy_core::parse::parse(text),
            Ok(Node {
                value: Value::Number(_),
                ..
            })
        )
}

#[cfg(test)]
mod tests {
    use super::*;

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
