//! From a file's bytes to findings located in that file. The file holds a bare policy document
//! or the output of `aws iam get-policy-version` (`{"PolicyVersion": {"Document": ...}}`), where
//! `Document` is an object (the AWS CLI decodes it) or a string: the policy's JSON text, URL-encoded
//! as the IAM API returns it, or plain. Findings inside such a string still point into the file.

use std::borrow::Cow;

use iam_policy_core::json::{Node, Span, Value};
use iam_policy_core::{Finding, IssueCode, Options, PolicyKind, parse};

use crate::lines::{Line, LineIndex, LineStarts};

/// A finding whose span is a byte range of the file, with its 1-based line and column (in
/// characters) at both ends; the end is exclusive.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub finding: Finding,
    pub start: Position,
    pub end: Position,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One linted file.
#[derive(Debug)]
pub struct LintedFile<'b> {
    /// The file as text, which the spans index: its bytes when they are UTF-8 (not copied),
    /// else a copy in which the bytes that are not UTF-8 are replaced.
    pub text: Cow<'b, str>,
    pub diagnostics: Vec<Diagnostic>,
    /// The kind the rules held the policy to (declared or inferred); `None` when no policy
    /// could be read.
    pub kind: Option<PolicyKind>,
}

/// Lints the bytes of one file.
pub fn lint_bytes<'b>(bytes: &'b [u8], options: &Options) -> LintedFile<'b> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let (diagnostics, kind) = lint_text(text, options);
            LintedFile {
                diagnostics,
                text: Cow::Borrowed(text),
                kind,
            }
        }
        Err(error) => {
            let text = String::from_utf8_lossy(bytes);
            let offset = error.valid_up_to();
            // The invalid sequence is U+FFFD in the lossy text: three bytes.
            let span = span(offset, offset + char::REPLACEMENT_CHARACTER.len_utf8());
            let finding = syntax_error(
                format!("the file is not UTF-8: invalid byte at offset {offset}"),
                span,
            );
            LintedFile {
                diagnostics: locate(&text, vec![finding]),
                text,
                kind: None,
            }
        }
    }
}

/// Lints a file's text: parses it, finds the policy document in it and runs the rules. Returns
/// the findings and the kind the policy was held to.
pub fn lint_text(text: &str, options: &Options) -> (Vec<Diagnostic>, Option<PolicyKind>) {
    let root = match parse::parse(text) {
        Ok(root) => root,
        Err(error) if error.span.start == 0 && text.starts_with('\u{feff}') => {
            // IAM accepts only tab, line feed, carriage return and U+0020 to U+00FF.
            let mut finding = syntax_error(
                "the file starts with a byte order mark (U+FEFF), a character IAM policies may not hold"
                    .to_owned(),
                span(0, 3),
            );
            finding.help = Some("save the file as UTF-8 without a byte order mark".to_owned());
            return (locate(text, vec![finding]), None);
        }
        Err(error) => {
            let finding = syntax_error(error.message, error.span);
            return (locate(text, vec![finding]), None);
        }
    };
    // Only `PolicyVersion.Document` may hold the policy as a string: a file that is one string
    // is no policy document (the rules say so), whatever the string holds.
    let (findings, kind) = match policy_version_document(&root) {
        Some(Node {
            value: Value::String(embedded),
            span: literal,
        }) => lint_embedded(text, *literal, embedded, options),
        Some(document) => validate(document, options),
        None => validate(&root, options),
    };
    (locate(text, findings), kind)
}

/// The rules run on a parsed policy document, with the kind they held it to.
fn validate(document: &Node<'_>, options: &Options) -> (Vec<Finding>, Option<PolicyKind>) {
    let kind = iam_policy_core::policy_kind(document, options);
    let options = Options {
        kind: Some(kind),
        ..options.clone()
    };
    (
        iam_policy_core::validate_parsed(document, &options),
        Some(kind),
    )
}

/// A document that could not be read: one syntax error, no kind.
fn unreadable(finding: Finding) -> (Vec<Finding>, Option<PolicyKind>) {
    (vec![finding], None)
}

/// The text of the policy document a file holds, the same one `lint` checks: the whole file,
/// `PolicyVersion.Document` of `aws iam get-policy-version` output, or that document's JSON
/// string decoded (URL-encoded or plain). The error is the syntax error, with its line.
pub fn policy_text(text: &str) -> Result<Cow<'_, str>, String> {
    let located = |message: String, at: u32| {
        let (line, column) = parse::line_col(text, at as usize);
        format!("{line}:{column}: {message}")
    };
    let root = parse::parse(text).map_err(|error| located(error.message, error.span.start))?;
    // As `lint` reads it: only `PolicyVersion.Document` may hold the policy as a string.
    let Some(document) = policy_version_document(&root) else {
        return Ok(Cow::Borrowed(text));
    };
    let range = document.span.start as usize..document.span.end as usize;
    match &document.value {
        Value::String(embedded) => {
            let mut decoded =
                Decoded::from_literal(text, document.span, embedded).ok_or_else(|| {
                    located(
                        "the policy document string does not decode".to_owned(),
                        document.span.start,
                    )
                })?;
            if !decoded.text.trim_start().starts_with('{') && decoded.text.contains('%') {
                decoded = decoded.percent_decode().map_err(|_| {
                    located(
                        "the URL-encoded policy document is not UTF-8 once decoded".to_owned(),
                        document.span.start,
                    )
                })?;
            }
            Ok(Cow::Owned(decoded.text))
        }
        _ => Ok(text.get(range).map_or(Cow::Borrowed(text), Cow::Borrowed)),
    }
}

/// `PolicyVersion.Document` when the file is the output of `aws iam get-policy-version`.
fn policy_version_document<'n>(root: &'n Node<'n>) -> Option<&'n Node<'n>> {
    member(root, "PolicyVersion").and_then(|version| member(version, "Document"))
}

fn member<'n>(node: &'n Node<'n>, key: &str) -> Option<&'n Node<'n>> {
    match &node.value {
        Value::Object(members) => members
            .iter()
            .find(|member| member.key == key)
            .map(|member| &member.value),
        _ => None,
    }
}

/// Lints a policy written as a JSON string (`"Document": "%7B%22Version%22..."`), with the
/// findings' spans moved back into the file.
fn lint_embedded(
    file: &str,
    literal: Span,
    embedded: &str,
    options: &Options,
) -> (Vec<Finding>, Option<PolicyKind>) {
    let Some(mut decoded) = Decoded::from_literal(file, literal, embedded) else {
        // The literal's text does not decode to the parsed value (not expected): point every
        // finding at the whole literal rather than at a wrong place.
        return lint_detached(embedded, literal, options);
    };
    if !decoded.text.trim_start().starts_with('{') && decoded.text.contains('%') {
        decoded = match decoded.percent_decode() {
            Ok(decoded) => decoded,
            Err(offset) => {
                let at = decoded.file_span(span(offset, offset + 3));
                return unreadable(syntax_error(
                    "the URL-encoded policy document is not UTF-8 once decoded".to_owned(),
                    at,
                ));
            }
        };
    }
    let (mut findings, kind) = match parse::parse(&decoded.text) {
        Ok(document) => validate(&document, options),
        Err(error) => unreadable(syntax_error(error.message, error.span)),
    };
    for finding in &mut findings {
        finding.span = decoded.file_span(finding.span);
    }
    (findings, kind)
}

fn lint_detached(
    embedded: &str,
    literal: Span,
    options: &Options,
) -> (Vec<Finding>, Option<PolicyKind>) {
    let (mut findings, kind) = match parse::parse(embedded) {
        Ok(document) => validate(&document, options),
        Err(error) => unreadable(syntax_error(error.message, error.span)),
    };
    for finding in &mut findings {
        finding.span = literal;
    }
    (findings, kind)
}

/// Text decoded from a part of the file, with the file offset of each of its bytes.
struct Decoded {
    text: String,
    /// `offsets[i]`: where the source of byte `i` starts in the file; one more entry for the end.
    offsets: Vec<u32>,
}

impl Decoded {
    /// Decodes the JSON string literal at `literal` (quotes included), checking the result
    /// against `value`, the parser's decoding of it.
    fn from_literal(file: &str, literal: Span, value: &str) -> Option<Decoded> {
        let raw = file.get(literal.start as usize..literal.end as usize)?;
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        let base = literal.start + 1;
        let mut text = String::with_capacity(inner.len());
        let mut offsets = Vec::with_capacity(inner.len() + 1);
        let bytes = inner.as_bytes();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            let (decoded, next) = if byte == b'\\' {
                parse::escape(bytes, at).ok()?
            } else {
                let c = inner.get(at..)?.chars().next()?;
                (c, at + c.len_utf8())
            };
            let offset = base + u32::try_from(at).ok()?;
            offsets.extend(std::iter::repeat_n(offset, decoded.len_utf8()));
            text.push(decoded);
            at = next;
        }
        offsets.push(literal.end - 1);
        (text == value).then_some(Decoded { text, offsets })
    }

    /// Decodes `%XX` escapes (RFC 3986, as IAM's API encodes policies); `+` stays `+`. On
    /// failure, the offset in `self.text` of the first byte that is not UTF-8 once decoded.
    fn percent_decode(&self) -> Result<Decoded, usize> {
        let bytes = self.text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut offsets = Vec::with_capacity(bytes.len() + 1);
        let mut i = 0;
        while i < bytes.len() {
            let escaped = (bytes[i] == b'%')
                .then(|| bytes.get(i + 1..i + 3))
                .flatten()
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            offsets.push(self.offsets[i]);
            match escaped {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        offsets.push(self.offsets[bytes.len()]);
        match String::from_utf8(out) {
            Ok(text) => Ok(Decoded { text, offsets }),
            Err(error) => {
                let bad = error.utf8_error().valid_up_to();
                // Back from the decoded byte to the escape that produced it.
                let file_offset = offsets[bad];
                Err(self
                    .offsets
                    .iter()
                    .position(|&offset| offset == file_offset)
                    .unwrap_or(0))
            }
        }
    }

    /// The file span of a span of `self.text`.
    fn file_span(&self, inner: Span) -> Span {
        let last = self.offsets.len() - 1;
        let at = |offset: u32| self.offsets[(offset as usize).min(last)];
        Span {
            start: at(inner.start),
            end: at(inner.end).max(at(inner.start)),
        }
    }
}

fn span(start: usize, end: usize) -> Span {
    let clamp = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
    Span {
        start: clamp(start),
        end: clamp(end),
    }
}

fn syntax_error(message: String, span: Span) -> Finding {
    let code = IssueCode::JsonSyntaxError;
    Finding {
        code,
        severity: code.severity(),
        message,
        help: None,
        span,
        path: String::new(),
        statement: None,
    }
}

/// Adds line and column to findings whose spans index `text`.
fn locate(text: &str, findings: Vec<Finding>) -> Vec<Diagnostic> {
    // The lines up to the last finding only: most documents have none or few, near the top,
    // and indexing every line of each file cost the lint 6% of its instructions.
    let last = findings.iter().map(|finding| finding.span.end).max();
    let mut starts = LineStarts::from(Line::FIRST);
    if let Some(last) = last {
        starts.extend(text, last as usize);
    }
    let lines = LineIndex::new(text, &starts);
    let position = |offset: u32| {
        let (line, column) = lines.line_col(offset as usize);
        Position { line, column }
    };
    findings
        .into_iter()
        .map(|finding| Diagnostic {
            start: position(finding.span.start),
            end: position(finding.span.end),
            finding,
        })
        .collect()
}
