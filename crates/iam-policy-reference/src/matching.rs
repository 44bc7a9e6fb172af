//! Text matching, one module per kind of text: IAM wildcards in action and service names,
//! templated condition keys, and ARN patterns against the reference's ARN formats.

mod arn;
mod key_template;
mod name;

pub use arn::{ARN_FIELDS_WINDOW, ArnFormatFields, arn_field_colons};
pub(crate) use arn::{ArnPattern, FormatShape, service_field};
pub use key_template::split_variable;
pub(crate) use key_template::{instance_matches, literal_length, template_matches};
pub(crate) use name::{NamePattern, compare_bytes_ignore_case};
pub use name::{compare_ignore_case, wildcard_match_by};
