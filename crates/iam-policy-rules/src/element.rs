//! The names of the policy elements as IAM spells them, declared once: the grammar rules, the
//! lowering into the model and the serializer all name elements through these.

pub const VERSION: &str = "Version";
pub const ID: &str = "Id";
pub const STATEMENT: &str = "Statement";

pub const SID: &str = "Sid";
pub const EFFECT: &str = "Effect";
pub const PRINCIPAL: &str = "Principal";
pub const NOT_PRINCIPAL: &str = "NotPrincipal";
pub const ACTION: &str = "Action";
pub const NOT_ACTION: &str = "NotAction";
pub const RESOURCE: &str = "Resource";
pub const NOT_RESOURCE: &str = "NotResource";
pub const CONDITION: &str = "Condition";

/// The elements of a policy document, in AWS's order.
pub const TOP_LEVEL: [&str; 3] = [VERSION, ID, STATEMENT];

/// The elements of a statement, in AWS's order; each `X`/`NotX` pair is adjacent, `X` first.
pub const IN_STATEMENT: [&str; 9] = [
    SID,
    EFFECT,
    PRINCIPAL,
    NOT_PRINCIPAL,
    ACTION,
    NOT_ACTION,
    RESOURCE,
    NOT_RESOURCE,
    CONDITION,
];

/// The principal types a `Principal` map may name.
pub const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];
