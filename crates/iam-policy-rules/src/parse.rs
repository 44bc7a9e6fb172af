//! Strict JSON text to the spanned tree, for the CLI and the runtime parser.
//!
//! Hand-written on purpose. The crates for JSON with source positions were weighed:
//! `jsonc-parser` (the best kept) builds its own AST of `Cow` strings and ranges that would
//! have to be copied into [`Node`] a second time, its scanner is lenient by design (JSONC
//! extensions have to be switched off one by one), and it recurses without a depth limit, so a
//! deeply nested input overflows the stack instead of giving an error. `serde_json` is strict
//! and fast but keeps no positions and drops duplicated keys, which the rules must report.
//! This parser reads bytes once into the tree the rules walk, keeps every duplicated key,
//! caps nesting depth and accepts exactly RFC 8259 JSON: no comments, no trailing commas, no
//! single quotes, no leading zeros, no control characters in strings.

use std::borrow::Cow;

use crate::bytes::{ONES, plain_run, string_specials};
use crate::json::{Member, Node, Span, Value};

/// Deeper nesting is refused with an error rather than risking the stack. IAM policies need
/// five levels (document, statement list, statement, condition operator, key values).
const MAX_DEPTH: usize = 128;

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Lower case, no final period, e.g. "expected `,` or `}` after an object member, found `]`".
    pub message: String,
    /// Byte offsets of the offending character (or the end of the text).
    pub span: Span,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}

impl SyntaxError {
    /// The error as a `JSON_SYNTAX_ERROR` finding.
    pub fn into_finding(self) -> crate::Finding {
        crate::Finding {
            code: crate::IssueCode::JsonSyntaxError,
            severity: crate::Severity::Error,
            message: self.message,
            help: None,
            span: self.span,
            path: String::new(),
            statement: None,
        }
    }
}

/// Parses one JSON value (with optional surrounding whitespace); spans are byte offsets.
/// Strings without escapes borrow from `text`.
pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut parser = Parser::new(text)?;
    parser.skip_whitespace();
    let node = parser.value(0, None)?;
    parser.skip_whitespace();
    if parser.pos < parser.text.len() {
        return Err(parser.unexpected("the end of the document after the top-level value"));
    }
    Ok(node)
}

/// The elements of a top-level JSON array, each parsed only when asked for (spans still index
/// the whole text), so that a file of many scenarios never holds the tree of all of them; a text
/// whose top-level value is not an array gives that value as its only element. A syntax error
/// is the last item.
pub fn elements(text: &str) -> Elements<'_> {
    Elements {
        parser: Parser::new(text),
        state: ElementsState::Start,
    }
}

/// What [`elements`] gives after the element of the top-level array that ends at byte `end`
/// (where it left off after that element), so that a long array can be read in parts, each
/// from where the one before ended. Spans still index the whole text.
pub fn elements_after(text: &str, end: usize) -> Elements<'_> {
    let mut parser = Parser::new(text);
    if let Ok(parser) = &mut parser {
        parser.pos = end.min(text.len());
    }
    Elements {
        parser,
        state: ElementsState::InArray(false),
    }
}

/// The iterator of [`elements`].
#[derive(Debug)]
pub struct Elements<'t> {
    parser: Result<Parser<'t>, SyntaxError>,
    state: ElementsState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ElementsState {
    Start,
    /// Inside the top-level array; `true` before its first element.
    InArray(bool),
    Done,
}

/// The texts of values the caller has read before, for [`Elements::next_skipping`], and the
/// depth of the element being read.
#[derive(Clone, Copy)]
struct Known<'k, 't> {
    /// Which members of the element hold values that may be skipped.
    members: &'k dyn Fn(&str) -> bool,
    /// The length of the known text that the rest of the text starts with, if any.
    opening: &'k dyn Fn(&'t str) -> Option<usize>,
    element: usize,
}

impl Known<'_, '_> {
    /// Whether a value at `depth` may be skipped: a member of the element, an item of its
    /// arrays or of the arrays in those (a scenario's policies, its lists of policies, its
    /// levels of policies), never the element itself nor what is deeper. The members are
    /// chosen by [`Known::members`] as the element's object is read, and nothing inside any
    /// other object is looked at.
    fn reaches(self, depth: usize) -> bool {
        (self.element + 1..=self.element + 3).contains(&depth)
    }
}

impl<'t> Elements<'t> {
    /// The next element, with the objects whose text the caller knows left unbuilt: `known`
    /// is given the rest of the text from an object's `{` and tells the length of a text it
    /// knows that the rest starts with; that object is not parsed, and its node is
    /// [`Value::Null`] with the object's span. Only the values of the element's members that
    /// `members` names are looked at, and the items of their arrays and of the arrays in
    /// those (a scenario's policies, its lists and its levels of policies). A file of many
    /// scenarios repeats the same policies, and their caller has read each text once already.
    /// `known` must know only texts that are JSON objects, as their syntax is not checked
    /// again; a JSON value ends where it ends whatever follows it, so a known text that the
    /// rest starts with is the whole object.
    pub fn next_skipping(
        &mut self,
        members: &dyn Fn(&str) -> bool,
        known: &dyn Fn(&'t str) -> Option<usize>,
    ) -> Option<Result<Node<'t>, SyntaxError>> {
        self.advance(Some((members, known)))
    }

    #[expect(clippy::type_complexity, reason = "the two tests of `next_skipping`")]
    fn advance(
        &mut self,
        known: Option<(&dyn Fn(&str) -> bool, &dyn Fn(&'t str) -> Option<usize>)>,
    ) -> Option<Result<Node<'t>, SyntaxError>> {
        let parser = match &mut self.parser {
            Ok(parser) => parser,
            Err(error) if self.state != ElementsState::Done => {
                self.state = ElementsState::Done;
                return Some(Err(error.clone()));
            }
            Err(_) => return None,
        };
        let item = match self.state {
            ElementsState::Done => return None,
            ElementsState::Start => {
                parser.skip_whitespace();
                if parser.peek() == Some(b'[') {
                    parser.pos += 1;
                    self.state = ElementsState::InArray(true);
                    return self.advance(known);
                }
                self.state = ElementsState::Done;
                let known = known.map(|(members, opening)| Known {
                    members,
                    opening,
                    element: 0,
                });
                parser.value(0, known.as_ref()).and_then(|node| {
                    parser.skip_whitespace();
                    match parser.peek() {
                        Some(_) => {
                            Err(parser
                                .unexpected("the end of the document after the top-level value"))
                        }
                        None => Ok(node),
                    }
                })
            }
            ElementsState::InArray(first) => {
                parser.skip_whitespace();
                if parser.peek() == Some(b']') {
                    parser.pos += 1;
                    parser.skip_whitespace();
                    self.state = ElementsState::Done;
                    return parser.peek().map(|_| {
                        Err(parser.unexpected("the end of the document after the top-level value"))
                    });
                }
                if !first {
                    if parser.peek() != Some(b',') {
                        self.state = ElementsState::Done;
                        return Some(Err(parser.unexpected("`,` or `]` after an array element")));
                    }
                    parser.pos += 1;
                    parser.skip_whitespace();
                }
                self.state = ElementsState::InArray(false);
                let known = known.map(|(members, opening)| Known {
                    members,
                    opening,
                    element: 1,
                });
                parser.value(1, known.as_ref())
            }
        };
        if item.is_err() {
            self.state = ElementsState::Done;
        }
        Some(item)
    }
}

impl<'t> Iterator for Elements<'t> {
    type Item = Result<Node<'t>, SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.advance(None)
    }
}

/// The 1-based line and column (in characters) of a byte offset of `text`. An offset past
/// the end, or inside a character, counts up to the nearest character boundary before it.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text
        .get(..text.floor_char_boundary(offset))
        .unwrap_or_default();
    match before.rfind('\n') {
        // Columns are counted on the last line only.
        Some(last) => (
            1 + line_breaks(before.as_bytes()),
            before.get(last + 1..).unwrap_or_default().chars().count() + 1,
        ),
        None => (1, before.chars().count() + 1),
    }
}

/// How many `\n` `bytes` holds.
fn line_breaks(bytes: &[u8]) -> usize {
    // A `u8` count per chunk of at most 255 bytes lets the compiler compare and add sixteen
    // bytes at a time: a syntax error deep in a large file is located in one quick scan.
    bytes
        .chunks(255)
        .map(|chunk| {
            let count = chunk
                .iter()
                .fold(0u8, |count, &byte| count + u8::from(byte == b'\n'));
            usize::from(count)
        })
        .sum()
}

#[derive(Debug)]
struct Parser<'t> {
    /// Read through `as_bytes`, not a byte slice of its own: the compiler then sees that
    /// the `"` it found ends the slice of a string literal, and tests no character boundary.
    text: &'t str,
    pos: usize,
}

/// Offsets fit in `u32`: `parse` refuses longer texts up front.
fn offset(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX)
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Result<Self, SyntaxError> {
        if u32::try_from(text.len()).is_err() {
            return Err(SyntaxError {
                message: "the document is larger than 4 GiB".to_owned(),
                span: Span::default(),
            });
        }
        Ok(Parser { text, pos: 0 })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Skips whitespace. Inlined for the usual cases, a token at once or after the one space
    /// written after `:` and `,`; longer runs (indentation, line breaks) are the loop's.
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        match self.text.as_bytes().get(self.pos) {
            Some(&first) if first > b' ' => {}
            Some(b' ')
                if self
                    .text
                    .as_bytes()
                    .get(self.pos + 1)
                    .is_some_and(|&second| second > b' ') =>
            {
                self.pos += 1;
            }
            _ => self.skip_whitespace_run(),
        }
    }

    /// Steps over `separator` (`, ` or `: `, as most tools write them) if the text has it
    /// next: one test of two bytes instead of one for the punctuation and one for the space.
    #[inline(always)]
    fn step_over(&mut self, separator: &[u8; 2]) -> bool {
        let next = self.text.as_bytes().get(self.pos..self.pos + 2) == Some(separator);
        if next {
            self.pos += 2;
        }
        next
    }

    #[inline(never)]
    fn skip_whitespace_run(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                // Indentation: spaces, eight at a time.
                b' ' => {
                    let rest = self.text.as_bytes().get(self.pos..).unwrap_or_default();
                    self.pos += match rest.first_chunk::<8>() {
                        // The lowest bit that differs from spaces is in the first byte that does.
                        Some(word) => {
                            (u64::from_le_bytes(*word) ^ (ONES * u64::from(b' '))).trailing_zeros()
                                as usize
                                / 8
                        }
                        None => 1,
                    };
                }
                b'\n' | b'\r' | b'\t' => self.pos += 1,
                _ => return,
            }
        }
    }

    fn span_from(&self, start: usize) -> Span {
        // Exact: both are offsets of the text, which `Parser::new` caps at `u32::MAX` bytes.
        Span {
            start: start as u32,
            end: self.pos as u32,
        }
    }

    fn error_at(&self, start: usize, end: usize, message: String) -> SyntaxError {
        SyntaxError {
            message,
            span: Span {
                start: offset(start),
                end: offset(end),
            },
        }
    }

    /// "expected X, found `c`" at the current character.
    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            None => self.error_at(
                self.pos,
                self.pos,
                format!("expected {expected}, found the end of the document"),
            ),
            Some(found) => {
                let shown = match found {
                    '\n' => "a line break".to_owned(),
                    '/' if matches!(self.text.as_bytes().get(self.pos + 1), Some(b'/' | b'*')) => {
                        "a comment (JSON has none)".to_owned()
                    }
                    '\'' => "`'` (JSON strings use double quotes)".to_owned(),
                    c if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
                    c => format!("`{c}`"),
                };
                self.error_at(
                    self.pos,
                    self.pos + found.len_utf8(),
                    format!("expected {expected}, found {shown}"),
                )
            }
        }
    }

    fn value(
        &mut self,
        depth: usize,
        known: Option<&Known<'_, 't>>,
    ) -> Result<Node<'t>, SyntaxError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => {
                if let Some(known) = known
                    && known.reaches(depth)
                    && let Some(length) = self.text.get(start..).and_then(known.opening)
                {
                    self.pos = start + length;
                    Value::Null
                } else {
                    self.object(depth, known)?
                }
            }
            Some(b'[') => self.array(depth, known)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => return Err(self.unexpected("a value")),
        };
        Ok(Node {
            value,
            span: self.span_from(start),
        })
    }

    fn literal(&mut self, word: &str, value: Value<'t>) -> Result<Value<'t>, SyntaxError> {
        if self.text.as_bytes().get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn nest(&self, depth: usize) -> Result<usize, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_at(
                self.pos,
                self.pos + 1,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(depth + 1)
    }

    fn object(
        &mut self,
        depth: usize,
        known: Option<&Known<'_, 't>>,
    ) -> Result<Value<'t>, SyntaxError> {
        let depth = self.nest(depth)?;
        self.pos += 1; // `{`
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Vec::new()));
        }
        // Each object and array fills a vector of its own, allocated at once with room for
        // what most of a policy's hold (a statement's members, a short list), so that most
        // are allocated once and never moved; longer ones grow. Filled in a shared vector
        // and moved out in one allocation of the right size, a scenario takes 2% more
        // instructions (callgrind): the move is a call of `memcpy`.
        let mut members = Vec::with_capacity(8);
        loop {
            if self.peek() != Some(b'"') {
                let expected = if members.is_empty() {
                    "a member name in double quotes or `}`"
                } else {
                    "a member name in double quotes (JSON has no trailing commas)"
                };
                return Err(self.unexpected(expected));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = self.span_from(key_start);
            if !self.step_over(b": ") {
                self.skip_whitespace();
                if self.peek() != Some(b':') {
                    return Err(self.unexpected("`:` after the member name"));
                }
                self.pos += 1;
            }
            self.skip_whitespace();
            // A string (most values of a policy) is read here rather than in a call of its
            // own, and pushed on a path of its own: with one push after the two paths join,
            // a scenario takes 0.6% more instructions (callgrind).
            if self.peek() == Some(b'"') {
                let value = self.string_node()?;
                members.push(Member {
                    key,
                    key_span,
                    value,
                });
            } else {
                // Only the element's own members are chosen from; in any other object, such
                // as a policy being read, nothing is skipped.
                let inner =
                    known.filter(|known| depth == known.element + 1 && (known.members)(&key));
                let value = self.value(depth, inner)?;
                members.push(Member {
                    key,
                    key_span,
                    value,
                });
            }
            if self.step_over(b", ") {
                self.skip_whitespace();
                continue;
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.unexpected("`,` or `}` after an object member")),
            }
        }
    }

    fn array(
        &mut self,
        depth: usize,
        known: Option<&Known<'_, 't>>,
    ) -> Result<Value<'t>, SyntaxError> {
        let depth = self.nest(depth)?;
        // The items of an element that is an array are no member's.
        let known = known.filter(|known| depth != known.element + 1);
        self.pos += 1; // `[`
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(Vec::new()));
        }
        // As for an object's members.
        let mut items = Vec::with_capacity(4);
        loop {
            if self.peek() == Some(b']') {
                return Err(self.unexpected("a value (JSON has no trailing commas)"));
            }
            // As for the value of a member.
            if self.peek() == Some(b'"') {
                let item = self.string_node()?;
                items.push(item);
            } else {
                let item = self.value(depth, known)?;
                items.push(item);
            }
            if self.step_over(b", ") {
                self.skip_whitespace();
                continue;
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("`,` or `]` after an array element")),
            }
        }
    }

    fn number(&mut self) -> Result<Value<'t>, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error_at(
                        start,
                        self.pos + 1,
                        "a number cannot have a leading zero".to_owned(),
                    ));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        Ok(Value::Number(Cow::Borrowed(text)))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// The node of the string literal starting at `"`.
    #[inline(always)]
    fn string_node(&mut self) -> Result<Node<'t>, SyntaxError> {
        let start = self.pos;
        let value = Value::String(self.string()?);
        Ok(Node {
            value,
            span: self.span_from(start),
        })
    }

    /// A string literal starting at `"`; returns its decoded contents.
    // Most of a policy is strings, and the plain case is a few instructions: inlined into its
    // two callers (values and member names), it spares a call and the copy of its result.
    #[inline(always)]
    fn string(&mut self) -> Result<Cow<'t, str>, SyntaxError> {
        let open = self.pos;
        let run_start = open + 1;
        let text = self.text;
        let end = plain_end(text.as_bytes(), run_start);
        if text.as_bytes().get(end) == Some(&b'"') {
            // Most strings have no escape: one run of the source, which is their contents.
            // Sliced before `pos` is stored, the compiler still knows that `end` holds the
            // `"` and tests no character boundary there; and a branch on the slice, which is
            // always there, costs less than a default for it (1% of a scenario, callgrind).
            if let Some(contents) = text.get(run_start..end) {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(contents));
            }
        }
        self.pos = end;
        self.escaped_string(open, run_start).map(Cow::Owned)
    }

    /// The rest of a string literal that is not one plain run: with escapes, or an error.
    /// Kept apart so that the plain case stays small.
    #[cold]
    fn escaped_string(&mut self, open: usize, mut run_start: usize) -> Result<String, SyntaxError> {
        let mut out = String::new();
        loop {
            // Runs of plain characters are copied in one go: they end before an ASCII byte,
            // so they are whole characters, valid UTF-8 already.
            let run = self.text.get(run_start..self.pos).unwrap_or_default();
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    out.push_str(run);
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(run);
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                Some(_) => {
                    return Err(self.unexpected(
                        "the rest of the string (control characters must be escaped)",
                    ));
                }
                None => {
                    return Err(self.error_at(
                        open,
                        self.pos,
                        "this string is never closed: expected `\"`".to_owned(),
                    ));
                }
            }
            self.pos = plain_end(self.text.as_bytes(), self.pos);
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let start = self.pos;
        match escape(self.text.as_bytes(), start) {
            Ok((decoded, end)) => {
                self.pos = end;
                out.push(decoded);
                Ok(())
            }
            Err(EscapeError { at, expected }) => {
                self.pos = at;
                Err(match expected {
                    Some(expected) => self.unexpected(expected),
                    None => {
                        self.error_at(start, at, "unpaired surrogate in `\\u` escape".to_owned())
                    }
                })
            }
        }
    }
}

/// Where the run of plain bytes of a string literal that starts at `at` ends: see
/// [`plain_run`]. Words are read straight from `bytes`, with no set-up for the rest's length:
/// most strings of a policy end within their first word or two.
#[inline(always)]
fn plain_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let special = string_specials(u64::from_le_bytes(*word));
        if special != 0 {
            return at + special.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + plain_run(bytes.get(at..).unwrap_or_default())
}

/// Why [`escape`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EscapeError {
    /// Where in the bytes: the offending byte, or the end of the escape for a surrogate.
    pub at: usize,
    /// What was expected at `at`; `None` for an unpaired surrogate.
    pub expected: Option<&'static str>,
}

/// Decodes the escape sequence of a JSON string that starts with the `\` at `start` in
/// `bytes`: the character and the offset just past the sequence. The parser and the CLI's
/// mapping of embedded documents back to their file both decode with it.
pub fn escape(bytes: &[u8], start: usize) -> Result<(char, usize), EscapeError> {
    let unexpected = |at: usize, expected: &'static str| EscapeError {
        at,
        expected: Some(expected),
    };
    let Some(&kind) = bytes.get(start + 1) else {
        return Err(unexpected(start + 1, "an escape character"));
    };
    let simple = match kind {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let first = hex4(bytes, start + 2)?;
            let mut end = start + 6;
            let code = if (0xD800..0xDC00).contains(&first) {
                // A high surrogate must be followed by `\u` and a low surrogate.
                let unpaired = |at: usize| EscapeError { at, expected: None };
                if bytes.get(end..end + 2) != Some(b"\\u") {
                    return Err(unpaired(end));
                }
                let second = hex4(bytes, end + 2)?;
                end += 6;
                if !(0xDC00..0xE000).contains(&second) {
                    return Err(unpaired(end));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                first
            };
            return char::from_u32(code).map(|c| (c, end)).ok_or(EscapeError {
                at: end,
                expected: None,
            });
        }
        _ => {
            return Err(unexpected(
                start + 1,
                "one of `\"` `\\` `/` `b` `f` `n` `r` `t` `u` after `\\`",
            ));
        }
    };
    Ok((simple, start + 2))
}

/// The four hex digits at `at`.
fn hex4(bytes: &[u8], at: usize) -> Result<u32, EscapeError> {
    let mut code = 0;
    for offset in at..at + 4 {
        let digit = match bytes.get(offset) {
            Some(byte @ b'0'..=b'9') => byte - b'0',
            Some(byte @ b'a'..=b'f') => byte - b'a' + 10,
            Some(byte @ b'A'..=b'F') => byte - b'A' + 10,
            _ => {
                return Err(EscapeError {
                    at: offset,
                    expected: Some("four hex digits after `\\u`"),
                });
            }
        };
        code = code * 16 + u32::from(digit);
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn elements_are_the_array_parsed_one_by_one() {
        let text = " [ {\"a\": 1} ,\n [2], \"x\" ] ";
        let whole = super::parse(text).ok();
        let items: Vec<_> = super::elements(text)
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        match whole.map(|node| node.value) {
            Some(super::Value::Array(expected)) => assert_eq!(items, expected),
            other => unreachable!("{other:?}"),
        }
        assert_eq!(super::elements("[]").count(), 0);
        let single: Vec<_> = super::elements("{\"a\": 1}").collect();
        assert!(matches!(single[..], [Ok(_)]));
        for broken in ["[1 2]", "[1,]", "[1] x", "{", "[", "[1,"] {
            let items: Vec<_> = super::elements(broken).collect();
            assert!(matches!(items.last(), Some(Err(_))), "{broken}: {items:?}");
            assert_eq!(
                items.iter().filter(|item| item.is_err()).count(),
                1,
                "{broken}"
            );
        }
    }

    #[test]
    fn elements_after_one_go_on_from_its_end() {
        for text in [
            " [ {\"a\": [1, \"x,]\"]} ,\n [2, {}], \"x\" , 3 ] ",
            "[1, 2 x]",
            "[1,]",
            "[1] 2",
        ] {
            let whole: Vec<_> = super::elements(text).collect();
            for (index, item) in whole.iter().enumerate() {
                let Ok(node) = item else { break };
                let rest: Vec<_> = super::elements_after(text, node.span.end as usize).collect();
                assert_eq!(rest[..], whole[index + 1..], "{text} after {index}");
            }
        }
    }

    #[test]
    fn known_texts_are_skipped_only_where_asked() {
        let policy = r#"{"a": ["}", "\"]"]}"#;
        let text = format!(
            r#"[{{"p": [{policy}], "q": {policy}, "r": {{"s": {policy}}}}}, {policy}, [[[{policy}]]]]"#
        );
        let members = |key: &str| key == "p" || key == "r";
        let known = |rest: &str| rest.starts_with(policy).then_some(policy.len());
        let mut elements = super::elements(&text);
        let mut items = Vec::new();
        while let Some(item) = elements.next_skipping(&members, &known) {
            items.push(item.unwrap_or_else(|error| unreachable!("{error}")));
        }
        let whole = super::elements(&text).collect::<Result<Vec<_>, _>>();
        let skipped = |node: &super::Node<'_>| {
            matches!(node.value, super::Value::Null)
                && text.get(node.span.start as usize..node.span.end as usize) == Some(policy)
        };
        let member = |key: &str| match &items[0].value {
            super::Value::Object(members) => members
                .iter()
                .find(|member| member.key == key)
                .map(|member| member.value.clone()),
            _ => None,
        };
        // Inside the member `p`'s array: skipped.
        match member("p").map(|node| node.value) {
            Some(super::Value::Array(items)) => assert!(skipped(&items[0])),
            other => unreachable!("{other:?}"),
        }
        // A member not asked for, and what is deeper than three levels: built.
        assert!(member("q").is_some_and(|node| !skipped(&node)));
        match member("r").map(|node| node.value) {
            Some(super::Value::Object(members)) => assert!(!skipped(&members[0].value)),
            other => unreachable!("{other:?}"),
        }
        // An element itself, and a value four levels down: built, as without skipping.
        let whole = whole.unwrap_or_default();
        assert_eq!(items[1], whole[1]);
        assert_eq!(items[2], whole[2]);
        // A text that is not known is parsed, errors included.
        let broken = r#"[{"p": [{"a": }]}]"#;
        let mut elements = super::elements(broken);
        let item = elements.next_skipping(&members, &known);
        assert_eq!(
            item.and_then(Result::err),
            super::elements(broken).next().and_then(Result::err)
        );
    }

    use super::*;

    fn error(text: &str) -> SyntaxError {
        match parse(text) {
            Ok(node) => unreachable!("`{text}` parsed as {node:?}"),
            Err(error) => error,
        }
    }

    #[test]
    fn spans_are_byte_offsets_of_values_and_keys() {
        let text = r#"{ "Sid": "é", "Action": ["a", 1.5e3] }"#;
        let Ok(node) = parse(text) else {
            unreachable!("valid JSON")
        };
        assert_eq!(node.span, Span { start: 0, end: 39 });
        let Value::Object(members) = &node.value else {
            unreachable!("an object")
        };
        assert_eq!(members.len(), 2);
        assert_eq!(
            &text[members[0].key_span.start as usize..members[0].key_span.end as usize],
            "\"Sid\""
        );
        assert_eq!(members[0].value.value, Value::String("é".into()));
        assert_eq!(
            &text[members[0].value.span.start as usize..members[0].value.span.end as usize],
            "\"é\""
        );
        let Value::Array(items) = &members[1].value.value else {
            unreachable!("an array")
        };
        assert_eq!(items[1].value, Value::Number("1.5e3".into()));
    }

    #[test]
    fn literals_without_escapes_borrow_the_text() {
        let Ok(node) = parse(r#"{"a": ["b", "c\n", -1.5]}"#) else {
            unreachable!("valid JSON")
        };
        let Value::Object(members) = &node.value else {
            unreachable!("an object")
        };
        assert!(matches!(members[0].key, Cow::Borrowed("a")));
        let Value::Array(items) = &members[0].value.value else {
            unreachable!("an array")
        };
        assert!(matches!(items[0].value, Value::String(Cow::Borrowed("b"))));
        assert!(matches!(&items[1].value, Value::String(Cow::Owned(text)) if text == "c\n"));
        assert!(matches!(
            items[2].value,
            Value::Number(Cow::Borrowed("-1.5"))
        ));
    }

    #[test]
    fn duplicated_keys_are_kept() {
        let Ok(node) = parse(r#"{"a":1,"a":2}"#) else {
            unreachable!("valid JSON")
        };
        let Value::Object(members) = node.value else {
            unreachable!("an object")
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn escapes_are_decoded() {
        let Ok(node) = parse(r#""a\"b\\c\/\n\u00e9\ud83d\ude00""#) else {
            unreachable!("valid JSON")
        };
        assert_eq!(node.value, Value::String("a\"b\\c/\né😀".into()));
    }

    #[test]
    fn trailing_commas_and_comments_are_refused() {
        let trailing = error(r#"{"a": [1, 2,]}"#);
        assert_eq!(trailing.span, Span { start: 12, end: 13 });
        assert!(
            trailing.message.contains("trailing commas"),
            "{}",
            trailing.message
        );
        let member = error(r#"{"a": 1,}"#);
        assert!(
            member.message.contains("trailing commas"),
            "{}",
            member.message
        );
        let comment = error("{ // c\n}");
        assert!(comment.message.contains("comment"), "{}", comment.message);
    }

    #[test]
    fn malformed_inputs_give_located_errors() {
        for (text, start) in [
            ("", 0),
            ("{", 1),
            ("{\"a\" 1}", 5),
            ("[1 2]", 3),
            ("01", 0),
            ("1.", 2),
            ("-", 1),
            ("tru", 0),
            ("'a'", 0),
            ("\"a", 0),
            ("\"\\x\"", 2),
            ("\"\\ud800\"", 1),
            ("\"\u{1}\"", 1),
            ("{} {}", 3),
            ("[\"\\u12\"]", 6),
        ] {
            let found = error(text);
            assert_eq!(found.span.start, start, "{text:?}: {}", found.message);
            assert!(!found.message.is_empty());
        }
    }

    #[test]
    fn strings_end_where_their_first_special_byte_is_at_any_place() {
        // A `"`, an escape or a control character at every place of the first three words,
        // in texts that end right after the literal or go on: as serde_json reads them.
        for length in 0..40 {
            for special in ["\\\"", "\\n", "\"", "\u{1}", "\u{e9}", "\u{1f}", "!"] {
                for tail in ["", " ", "                 "] {
                    let contents =
                        format!("{}{special}{}", "a".repeat(length), "b".repeat(length % 5));
                    let text = format!("\"{contents}\"{tail}");
                    let expected = serde_json::from_str::<String>(&text).ok();
                    let parsed = parse(&text).ok().map(|node| node.value);
                    assert_eq!(
                        parsed,
                        expected.map(|text| Value::String(text.into())),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let found = error(&text);
        assert!(found.message.contains("nesting"), "{}", found.message);
        assert!(parse(&format!("{}{}", "[".repeat(100), "]".repeat(100))).is_ok());
    }

    #[test]
    fn line_and_column_are_one_based_characters() {
        let text = "{\n  \"é\": x\n}";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        // `x` is at byte 10: after two spaces, `"é"` (4 bytes, 3 characters), `:` and a space.
        assert_eq!(line_col(text, 10), (2, 8));
        assert_eq!(line_col(text, 1000), (3, 2));
        assert_eq!(line_col(text, 5), (2, 4));
        // Inside `é`: counts up to the character's start.
        assert_eq!(line_col(text, 6), (2, 4));
    }

    #[test]
    fn line_col_locates_like_a_scan_from_the_start() {
        // Line breaks at every place of a word, `\r\n`, characters of several bytes.
        let text = "\n{\n  \"é\": x\r\n\n}\n\"ab😀cd\"\n\n\n efghijklmnopq\nr\n";
        for offset in 0..=text.len() + 2 {
            let end = text.floor_char_boundary(offset);
            let before = &text[..end];
            let line_start = before.rfind('\n').map_or(0, |at| at + 1);
            let line = before.matches('\n').count() + 1;
            let column = before[line_start..].chars().count() + 1;
            assert_eq!(line_col(text, offset), (line, column), "offset {offset}");
        }
        assert_eq!(line_col(text, 9), (3, 6));
    }
}
