//! The size-stress mode of the fuzz target: a small input becomes a large document of the same
//! shape, so that a rule slower than near-linear shows up as a hang (AFL's `-t`), and every
//! message can be checked for its length. Also used by the CLI's fuzz regression test.

use iam_policy_core::json::{Node, Span, Value};

/// The longest message a finding may have: its prose, plus a few quotes of at most
/// `QUOTE_LIMIT` characters each with their length (a character is at most four bytes).
pub const MAX_MESSAGE_BYTES: usize = 8 * 4 * iam_policy_core::finding::QUOTE_LIMIT;

/// `text` with the items of every array and the members of every object at nesting `depth`
/// (0: the document itself) written over and over, so that the document is about `target`
/// bytes: many statements (depth 1), elements given many times (2), long lists of actions or
/// resources and many condition operators (3), many condition keys (4) or values (5). Member
/// names repeat as written, so objects get duplicated keys. `None` when `text` is no JSON.
pub fn amplify(text: &str, depth: usize, target: usize) -> Option<String> {
    let document = iam_policy_core::parse::parse(text).ok()?;
    let times = (target / text.len().max(1)).clamp(1, 100_000);
    let mut out = String::with_capacity(target.saturating_mul(2));
    write(text, &document, depth, times, &mut out);
    Some(out)
}

fn write(text: &str, node: &Node<'_>, depth: usize, times: usize, out: &mut String) {
    let repeats = if depth == 0 { times } else { 1 };
    let inner = depth.wrapping_sub(1);
    match &node.value {
        Value::Array(items) => {
            out.push('[');
            for (index, item) in (0..repeats).flat_map(|_| items.iter()).enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(text, item, inner, times, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (index, member) in (0..repeats).flat_map(|_| members.iter()).enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(source(text, member.key_span));
                out.push(':');
                write(text, &member.value, inner, times, out);
            }
            out.push('}');
        }
        _ => out.push_str(source(text, node.span)),
    }
}

fn source(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize)
        .unwrap_or("null")
}
