//! Text matching, one module per kind of text: IAM wildcards in action and service names,
//! templated condition keys, and ARN patterns against the reference's ARN formats.

mod arn;
mod key_template;
mod name;

pub use arn::{ARN_FIELDS_WINDOW, ArnFormatFields, arn_field_colons};
pub(crate) use arn::{ArnPattern, FormatShape, service_field};
pub(crate) use key_template::{instance_matches, literal_length, split_variable, template_matches};
pub use name::wildcard_match_by;
pub(crate) use name::{NamePattern, compare_bytes_ignore_case, compare_ignore_case};
