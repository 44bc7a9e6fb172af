//! The policy document as a JSON tree in which every node keeps its place in the source.
//!
//! Both front ends build this tree: the CLI and the runtime parser from text (spans are byte
//! offsets), the `policy!` macro from Rust tokens (spans are indices into its own table of
//! token spans). The rules only ever hand spans back inside findings.

/// A region of the source. Its meaning belongs to the front end that built the tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// A JSON value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number exactly as written, so that serializing gives back the same text.
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; duplicated keys are kept so the rules can report them.
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}
