//! Placeholders of documented policies, written `{name}` inside the policy's strings.
//!
//! AWS prints its sample policies with placeholders such as `region` and `account-id`. A policy
//! declares them as parameters and writes them `{account-id}`; braces preceded by `$` are IAM
//! policy variables (`${aws:userid}`) and are never placeholders. Before the rules run, each
//! declared placeholder is replaced by a typical value of its kind, so everything around it is
//! still checked; binding replaces it by a real value, checked here against the kind's rules.

use std::borrow::Cow;

use crate::json::{Member, Node, Value};
use crate::{Parameter, ParameterKind};

/// Every AWS Region code, in all partitions, sorted. Source: the Region list of the AWS SDKs'
/// endpoint metadata (checked November 2026); the `*-global` pseudo-regions are left out.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-1",
    "us-west-2",
];

/// Every AWS partition, sorted.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-eusc",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-us-gov",
];

impl ParameterKind {
    /// Every kind written by name alone, in declaration order (not [`ParameterKind::Arn`],
    /// which names a resource type).
    pub const ALL: &'static [ParameterKind] = &[
        ParameterKind::Region,
        ParameterKind::AccountId,
        ParameterKind::InstanceId,
        ParameterKind::KmsKeyArn,
        ParameterKind::TagKey,
        ParameterKind::TagValue,
        ParameterKind::BucketName,
        ParameterKind::RoleName,
        ParameterKind::UserName,
        ParameterKind::IamPath,
        ParameterKind::RoleArn,
        ParameterKind::UserArn,
        ParameterKind::OrganizationId,
        ParameterKind::OrganizationalUnitId,
        ParameterKind::RootId,
        ParameterKind::VpcId,
        ParameterKind::VpcEndpointId,
        ParameterKind::Partition,
    ];

    /// The kind's name as a policy declares it, e.g. `AccountId` in
    /// `#[parameters("account-id": AccountId)]`; `Arn` for [`ParameterKind::Arn`], whose
    /// [`Display`](std::fmt::Display) names its resource type too.
    pub fn name(self) -> &'static str {
        match self {
            ParameterKind::Region => "Region",
            ParameterKind::AccountId => "AccountId",
            ParameterKind::InstanceId => "InstanceId",
            ParameterKind::KmsKeyArn => "KmsKeyArn",
            ParameterKind::TagKey => "TagKey",
            ParameterKind::TagValue => "TagValue",
            ParameterKind::BucketName => "BucketName",
            ParameterKind::RoleName => "RoleName",
            ParameterKind::UserName => "UserName",
            ParameterKind::IamPath => "IamPath",
            ParameterKind::RoleArn => "RoleArn",
            ParameterKind::UserArn => "UserArn",
            ParameterKind::OrganizationId => "OrganizationId",
            ParameterKind::OrganizationalUnitId => "OrganizationalUnitId",
            ParameterKind::RootId => "RootId",
            ParameterKind::VpcId => "VpcId",
            ParameterKind::VpcEndpointId => "VpcEndpointId",
            ParameterKind::Partition => "Partition",
            ParameterKind::Arn { .. } => "Arn",
        }
    }

    /// The kind with this name (exact spelling), among [`ParameterKind::ALL`].
    pub fn from_name(name: &str) -> Option<ParameterKind> {
        ParameterKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.name() == name)
    }

    /// The ARN kind for a resource type of the service authorization reference, e.g.
    /// `("logs", "log-group")`; `None` when the reference has no such resource type.
    pub fn arn(service: &'static str, resource_type: &'static str) -> Option<ParameterKind> {
        resource_type_of(service, resource_type).map(|_| ParameterKind::Arn {
            service,
            resource_type,
        })
    }

    /// A typical value, used to check the policy around an unbound placeholder.
    pub fn example(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            ParameterKind::Region => "us-east-1",
            ParameterKind::AccountId => "123456789012",
            ParameterKind::InstanceId => "i-0123456789abcdef0",
            ParameterKind::KmsKeyArn => {
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            }
            ParameterKind::TagKey => "Finance",
            ParameterKind::TagValue => "WebServers",
            ParameterKind::BucketName => "example-bucket",
            ParameterKind::RoleName | ParameterKind::UserName => "example",
            ParameterKind::IamPath => "/example/",
            ParameterKind::RoleArn => "arn:aws:iam::123456789012:role/example",
            ParameterKind::UserArn => "arn:aws:iam::123456789012:user/example",
            ParameterKind::OrganizationId => "o-a1b2c3d4e5",
            ParameterKind::OrganizationalUnitId => "ou-ab12-cdef3456",
            ParameterKind::RootId => "r-ab12",
            ParameterKind::VpcId => "vpc-0123456789abcdef0",
            ParameterKind::VpcEndpointId => "vpce-0123456789abcdef0",
            ParameterKind::Partition => "aws",
            ParameterKind::Arn {
                service,
                resource_type,
            } => {
                let format = resource_type_of(service, resource_type)
                    .and_then(|resource_type| resource_type.arn_formats().next())
                    .unwrap_or_default();
                return Cow::Owned(example_arn(format));
            }
        })
    }

    /// Checks a value bound to a parameter of this kind. The error states the rule broken, in
    /// lower case, e.g. "must be 12 digits".
    pub fn check(self, value: &str) -> Result<(), String> {
        match self {
            ParameterKind::Region => check_region(value),
            ParameterKind::AccountId => check_account_id(value),
            ParameterKind::InstanceId => check_prefixed_hex(value, "i-", "an EC2 instance ID"),
            ParameterKind::KmsKeyArn => check_kms_key_arn(value),
            ParameterKind::TagKey => check_tag(value, 1, 128, "tag key"),
            ParameterKind::TagValue => check_tag(value, 0, 256, "tag value"),
            ParameterKind::BucketName => check_bucket_name(value),
            ParameterKind::RoleName => check_iam_name(value, "an IAM role name"),
            ParameterKind::UserName => check_iam_name(value, "an IAM user name"),
            ParameterKind::IamPath => check_iam_path(value),
            ParameterKind::RoleArn => check_iam_arn(value, "role"),
            ParameterKind::UserArn => check_iam_arn(value, "user"),
            ParameterKind::OrganizationId => check_id(
                value,
                &[("o-", 10, 32)],
                "an organization ID: `o-` and 10 to 32 lower-case letters or digits, e.g. `o-a1b2c3d4e5`",
            ),
            ParameterKind::OrganizationalUnitId => check_id(
                value,
                &[("ou-", 4, 32), ("-", 8, 32)],
                "an organizational unit ID: `ou-`, 4 to 32 lower-case letters or digits, `-` and \
                 8 to 32 more, e.g. `ou-ab12-cdef3456`",
            ),
            ParameterKind::RootId => check_id(
                value,
                &[("r-", 4, 32)],
                "an organization root ID: `r-` and 4 to 32 lower-case letters or digits, e.g. `r-ab12`",
            ),
            ParameterKind::VpcId => check_prefixed_hex(value, "vpc-", "a VPC ID"),
            ParameterKind::VpcEndpointId => check_prefixed_hex(value, "vpce-", "a VPC endpoint ID"),
            ParameterKind::Partition => check_partition(value),
            ParameterKind::Arn {
                service,
                resource_type,
            } => check_resource_arn(value, service, resource_type),
        }
    }
}

impl std::fmt::Display for ParameterKind {
    /// The kind as a policy declares it: `AccountId`, `Arn("logs", "log-group")`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParameterKind::Arn {
                service,
                resource_type,
            } => write!(f, "Arn({service:?}, {resource_type:?})"),
            other => f.write_str(other.name()),
        }
    }
}

fn resource_type_of(
    service: &str,
    resource_type: &str,
) -> Option<iam_policy_reference::ResourceType> {
    iam_policy_reference::service(service)?
        .resource_types()
        .find(|candidate| candidate.name() == resource_type)
}

/// An ARN of the reference's format, its variables filled in: `${Partition}` as `aws`,
/// `${Region}` as `us-east-1`, `${Account}` as `123456789012`, any other as `example`.
fn example_arn(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut rest = format;
    while let Some(open) = rest.find("${") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 2..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            rest = after;
            break;
        };
        out.push_str(match after.get(..close).unwrap_or_default() {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" => "123456789012",
            _ => "example",
        });
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

fn is_lower_hex(byte: u8) -> bool {
    byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)
}

/// EC2's resource IDs: the prefix, then 8 hex digits (older IDs) or 17 (longer IDs, since 2016).
fn check_prefixed_hex(value: &str, prefix: &str, what: &str) -> Result<(), String> {
    let ok = value
        .strip_prefix(prefix)
        .is_some_and(|hex| (hex.len() == 8 || hex.len() == 17) && hex.bytes().all(is_lower_hex));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "must be {what}: `{prefix}` and 8 or 17 lower-case hex digits, e.g. `{prefix}0123456789abcdef0`"
        ))
    }
}

/// Organizations' IDs: each part a prefix and `min..=max` lower-case letters or digits.
fn check_id(value: &str, parts: &[(&str, usize, usize)], rule: &str) -> Result<(), String> {
    let mut rest = value;
    for &(prefix, min, max) in parts {
        let Some(after) = rest.strip_prefix(prefix) else {
            return Err(format!("must be {rule}"));
        };
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            .count();
        if len < min || len > max {
            return Err(format!("must be {rule}"));
        }
        rest = after.get(len..).unwrap_or_default();
    }
    if rest.is_empty() {
        Ok(())
    } else {
        Err(format!("must be {rule}"))
    }
}

fn check_partition(value: &str) -> Result<(), String> {
    if PARTITIONS.binary_search(&value).is_ok() {
        Ok(())
    } else {
        Err(format!(
            "must be an AWS partition: {}",
            PARTITIONS
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// S3's rules for general purpose bucket names.
fn check_bucket_name(value: &str) -> Result<(), String> {
    const RULE: &str = "must be an S3 bucket name: 3 to 63 lower-case letters, digits, `.` and `-`, \
                        beginning and ending with a letter or digit";
    let bytes = value.as_bytes();
    let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let well_formed = (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| alphanumeric(b) || *b == b'.' || *b == b'-')
        && bytes.first().is_some_and(alphanumeric)
        && bytes.last().is_some_and(alphanumeric);
    if !well_formed {
        return Err(RULE.to_owned());
    }
    if value.contains("..") {
        return Err(format!("{RULE}; two adjacent `.` are not allowed"));
    }
    if value.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(format!("{RULE}; not formatted as an IP address"));
    }
    const RESERVED_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
    const RESERVED_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
    if let Some(prefix) = RESERVED_PREFIXES.iter().find(|p| value.starts_with(**p)) {
        return Err(format!("{RULE}; the prefix `{prefix}` is reserved"));
    }
    if let Some(suffix) = RESERVED_SUFFIXES.iter().find(|s| value.ends_with(**s)) {
        return Err(format!("{RULE}; the suffix `{suffix}` is reserved"));
    }
    Ok(())
}

/// IAM's rule for user and role names: 1 to 64 letters, digits and `_+=,.@-`.
fn check_iam_name(value: &str, what: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "must be {what}: 1 to 64 letters, digits and `_+=,.@-`"
        ))
    }
}

/// IAM's rule for paths: `/`, or up to 512 printable ASCII characters beginning and ending
/// with `/`.
fn check_iam_path(value: &str) -> Result<(), String> {
    let ok = value == "/"
        || (value.len() >= 2
            && value.len() <= 512
            && value.starts_with('/')
            && value.ends_with('/')
            && value.bytes().all(|b| (b'!'..=b'~').contains(&b)));
    if ok {
        Ok(())
    } else {
        Err(
            "must be an IAM path: `/`, or up to 512 printable ASCII characters without spaces \
             beginning and ending with `/`, e.g. `/service-role/`"
                .to_owned(),
        )
    }
}

/// `arn:<partition>:iam::<account>:role/<path><name>` (or `user/`).
fn check_iam_arn(value: &str, resource: &str) -> Result<(), String> {
    let rule = format!(
        "must be an IAM {resource} ARN: `arn:<partition>:iam::<account-id>:{resource}/<path><name>`, \
         e.g. `arn:aws:iam::123456789012:{resource}/example`"
    );
    let fields: Vec<&str> = value.splitn(6, ':').collect();
    let ["arn", partition, "iam", "", account, rest] = fields[..] else {
        return Err(rule);
    };
    check_partition(partition).map_err(|error| format!("{rule}; its partition {error}"))?;
    check_account_id(account).map_err(|error| format!("{rule}; its account {error}"))?;
    let Some(path_and_name) = rest
        .strip_prefix(resource)
        .and_then(|rest| rest.strip_prefix('/'))
    else {
        return Err(rule);
    };
    let (path, name) = match path_and_name.rfind('/') {
        Some(slash) => (
            format!("/{}", path_and_name.get(..=slash).unwrap_or_default()),
            path_and_name.get(slash + 1..).unwrap_or_default(),
        ),
        None => ("/".to_owned(), path_and_name),
    };
    check_iam_path(&path).map_err(|error| format!("{rule}; its path {error}"))?;
    check_iam_name(name, &format!("an IAM {resource} name"))
        .map_err(|error| format!("{rule}; its name {error}"))
}

/// An ARN, without wildcards or policy variables, that the reference's ARN format of the
/// resource type can name.
fn check_resource_arn(value: &str, service: &str, resource_type: &str) -> Result<(), String> {
    let Some(format) = resource_type_of(service, resource_type)
        .and_then(|resource_type| resource_type.arn_formats().next())
    else {
        return Err(format!(
            "names resource type `{resource_type}` of `{service}`, which the service authorization reference does not have"
        ));
    };
    let rule =
        format!("must be an ARN of `{service}`'s resource type `{resource_type}`: `{format}`");
    if value.contains(['*', '?']) || value.contains("${") {
        return Err(format!("{rule}, without wildcards or policy variables"));
    }
    let fields: Vec<&str> = value.splitn(6, ':').collect();
    let ["arn", partition, _, region, account, _] = fields[..] else {
        return Err(rule);
    };
    check_partition(partition).map_err(|error| format!("{rule}; its partition {error}"))?;
    if !region.is_empty() {
        check_region(region).map_err(|error| format!("{rule}; its region {error}"))?;
    }
    if !account.is_empty() && account != "aws" {
        check_account_id(account).map_err(|error| format!("{rule}; its account {error}"))?;
    }
    let named = iam_policy_reference::resource_types_for_arn(value)
        .iter()
        .any(|found| found.service().prefix() == service && found.name() == resource_type);
    if named { Ok(()) } else { Err(rule) }
}

fn check_region(value: &str) -> Result<(), String> {
    if REGIONS.binary_search(&value).is_ok() {
        Ok(())
    } else {
        Err("must be an AWS Region code, e.g. `us-east-1`".to_owned())
    }
}

fn check_account_id(value: &str) -> Result<(), String> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("must be an AWS account ID of exactly 12 digits, e.g. `123456789012`".to_owned())
    }
}

/// The partition a Region belongs to, from its code's prefix.
fn partition_of(region: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
        ("eusc-", "aws-eusc"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

/// `arn:<partition>:kms:<region>:<account>:key/<key id>` or `...:alias/<alias name>`, the forms
/// a KMS key can take in a policy's `Resource`.
fn check_kms_key_arn(value: &str) -> Result<(), String> {
    const RULE: &str = "must be a KMS key ARN (`arn:aws:kms:<region>:<account-id>:key/<key id>`) \
                        or alias ARN (`arn:aws:kms:<region>:<account-id>:alias/<alias name>`)";
    let fields: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = fields[..] else {
        return Err(RULE.to_owned());
    };
    if arn != "arn" || service != "kms" {
        return Err(RULE.to_owned());
    }
    check_region(region).map_err(|rule| format!("{RULE}; its region {rule}"))?;
    let expected = partition_of(region);
    if partition != expected {
        return Err(format!(
            "{RULE}; partition `{partition}` does not hold region `{region}` (expected `{expected}`)"
        ));
    }
    check_account_id(account).map_err(|rule| format!("{RULE}; its account {rule}"))?;
    if let Some(key_id) = resource.strip_prefix("key/") {
        if is_key_id(key_id) {
            Ok(())
        } else {
            Err(format!(
                "{RULE}; the key ID `{key_id}` must be a key UUID \
                 (`1234abcd-12ab-34cd-56ef-1234567890ab`) or a multi-Region key ID (`mrk-` and 32 hex digits)"
            ))
        }
    } else if let Some(alias) = resource.strip_prefix("alias/") {
        let ok = !alias.is_empty()
            && resource.len() <= 256
            && alias
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-'));
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{RULE}; the alias name `{alias}` may hold only letters, digits, `/`, `_` and `-`"
            ))
        }
    } else {
        Err(RULE.to_owned())
    }
}

/// A key UUID (8-4-4-4-12 hex digits) or a multi-Region key ID (`mrk-` and 32 hex digits).
fn is_key_id(id: &str) -> bool {
    if let Some(hex) = id.strip_prefix("mrk-") {
        return hex.len() == 32 && hex.bytes().all(is_lower_hex);
    }
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// IAM's tag rule: length in Unicode characters within `min..=max`, made of letters, digits,
/// spaces and `_ . : / = + - @` (IAM API pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]`).
fn check_tag(value: &str, min: usize, max: usize, what: &str) -> Result<(), String> {
    let length = value.chars().count();
    if length < min || length > max {
        return Err(format!(
            "must be a {what} of {min} to {max} characters, not {length}"
        ));
    }
    let allowed = |c: char| {
        c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
    };
    match value.chars().find(|&c| !allowed(c)) {
        None => Ok(()),
        Some(c) => Err(format!(
            "must be a {what} of letters, digits, spaces and `_ . : / = + - @`; `{}` is not allowed",
            c.escape_debug()
        )),
    }
}

/// Where a placeholder is written in a string: `{name}` not preceded by `$`, whose name is an
/// ASCII letter followed by letters, digits, `-` or `_`. Yields (byte range of the braces, name).
pub fn placeholders(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = text.get(from..)?.find('{') {
            let open = from + offset;
            from = open + 1;
            if open > 0 && bytes.get(open - 1) == Some(&b'$') {
                continue;
            }
            let rest = text.get(open + 1..)?;
            let close = rest.find('}')?;
            let name = rest.get(..close)?;
            let well_formed = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if well_formed {
                from = open + close + 2;
                return Some((open..from, name));
            }
        }
        None
    })
}

/// `text` with each placeholder for which `value_of` gives a value replaced by that value; the
/// others (undeclared or unbound) are left as written. `value_of` gets the placeholder's name
/// (a slice of `text`), so `|name| Some(name)` renders placeholders as bare names.
pub fn replace_placeholders<'t, 'v>(
    text: &'t str,
    mut value_of: impl FnMut(&'t str) -> Option<&'v str>,
) -> Cow<'t, str> {
    let mut out = String::new();
    let mut copied = 0;
    for (range, name) in placeholders(text) {
        if let Some(value) = value_of(name) {
            out.push_str(text.get(copied..range.start).unwrap_or_default());
            out.push_str(value);
            copied = range.end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// The document with each declared placeholder, in every string and object key, replaced by the
/// typical value of its kind. Spans are kept, so findings still point at the literal as written.
/// Text without a placeholder is borrowed from `node`.
pub fn substitute_examples<'n>(node: &'n Node<'_>, parameters: &[Parameter]) -> Node<'n> {
    let examples: Vec<(&str, Cow<'static, str>)> = parameters
        .iter()
        .map(|parameter| (parameter.name.as_str(), parameter.kind.example()))
        .collect();
    let example = |name: &str| {
        examples
            .iter()
            .find(|(declared, _)| *declared == name)
            .map(|(_, example)| &**example)
    };
    substitute(node, &example)
}

fn substitute<'n, 'e>(node: &'n Node<'_>, value_of: &dyn Fn(&str) -> Option<&'e str>) -> Node<'n> {
    let value = match &node.value {
        Value::String(text) => Value::String(replace_placeholders(text, value_of)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| substitute(item, value_of))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|member| Member {
                    key: replace_placeholders(&member.key, value_of),
                    key_span: member.key_span,
                    value: substitute(&member.value, value_of),
                })
                .collect(),
        ),
        Value::Number(text) => Value::Number(Cow::Borrowed(text)),
        Value::Bool(value) => Value::Bool(*value),
        Value::Null => Value::Null,
    };
    Node {
        value,
        span: node.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Span;

    fn string(text: &str, start: u32) -> Node<'_> {
        Node {
            value: Value::String(text.into()),
            span: Span {
                start,
                end: start + 1,
            },
        }
    }

    fn parameter(name: &str, kind: ParameterKind) -> Parameter {
        Parameter {
            name: name.to_owned(),
            kind,
        }
    }

    #[test]
    fn regions_are_sorted_and_unique() {
        assert!(REGIONS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn kind_names_round_trip() {
        for &kind in ParameterKind::ALL {
            assert_eq!(ParameterKind::from_name(kind.name()), Some(kind));
            assert_eq!(kind.check(&kind.example()), Ok(()), "{kind:?}");
        }
        assert_eq!(ParameterKind::from_name("region"), None);
    }

    #[test]
    fn placeholders_skip_policy_variables_and_malformed_braces() {
        let found: Vec<_> = placeholders(
            "arn:aws:ssm:{region}:{account-id}:session/${aws:userid}-{ x}{}{9a}{tag_key}",
        )
        .map(|(_, name)| name)
        .collect();
        assert_eq!(found, ["region", "account-id", "tag_key"]);
        assert_eq!(placeholders("{unclosed").count(), 0);
        assert_eq!(placeholders("${aws:username, 'none'}").count(), 0);
    }

    #[test]
    fn replace_leaves_unknown_names_and_borrows_when_nothing_changes() {
        let text = "arn:aws:ec2:{region}:{account-id}:instance/{other}";
        let bound = replace_placeholders(text, |name| (name == "region").then_some("eu-west-1"));
        assert_eq!(bound, "arn:aws:ec2:eu-west-1:{account-id}:instance/{other}");
        assert!(matches!(
            replace_placeholders("${aws:userid}", |_| Some("x")),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            replace_placeholders("arn:aws:ec2:{region}:{account-id}:instance/*", Some),
            "arn:aws:ec2:region:account-id:instance/*"
        );
    }

    #[test]
    fn substitute_examples_replaces_keys_and_values_and_keeps_spans() {
        let document = Node {
            value: Value::Object(vec![
                Member {
                    key: "ssm:resourceTag/{tag-key}".into(),
                    key_span: Span { start: 1, end: 2 },
                    value: Node {
                        value: Value::Array(vec![string("{tag-value}", 3)]),
                        span: Span { start: 2, end: 9 },
                    },
                },
                Member {
                    key: "Resource".into(),
                    key_span: Span { start: 10, end: 11 },
                    value: string(
                        "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}/{undeclared}",
                        12,
                    ),
                },
                Member {
                    key: "Session".into(),
                    key_span: Span { start: 20, end: 21 },
                    value: string("arn:aws:ssm:*:*:session/${aws:userid}-*", 22),
                },
            ]),
            span: Span { start: 0, end: 30 },
        };
        let parameters = [
            parameter("region", ParameterKind::Region),
            parameter("account-id", ParameterKind::AccountId),
            parameter("instance-id", ParameterKind::InstanceId),
            parameter("tag-key", ParameterKind::TagKey),
            parameter("tag-value", ParameterKind::TagValue),
        ];
        let substituted = substitute_examples(&document, &parameters);
        let Value::Object(members) = &substituted.value else {
            panic!("object expected");
        };
        assert_eq!(members[0].key, "ssm:resourceTag/Finance");
        assert_eq!(members[0].key_span, Span { start: 1, end: 2 });
        assert_eq!(
            members[0].value.value,
            Value::Array(vec![string("WebServers", 3)])
        );
        assert_eq!(
            members[1].value,
            string(
                "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0/{undeclared}",
                12
            )
        );
        assert_eq!(
            members[2].value,
            string("arn:aws:ssm:*:*:session/${aws:userid}-*", 22)
        );
        assert_eq!(substituted.span, document.span);
    }

    #[test]
    fn partitions_are_sorted() {
        assert!(PARTITIONS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    fn refused(kind: ParameterKind, bad: &[&str], says: &str) {
        for value in bad {
            let error = kind.check(value).unwrap_err();
            assert!(error.contains(says), "{kind} {value}: {error}");
        }
    }

    fn accepted(kind: ParameterKind, good: &[&str]) {
        for value in good {
            assert_eq!(kind.check(value), Ok(()), "{kind} {value}");
        }
    }

    #[test]
    fn bucket_name_check() {
        let kind = ParameterKind::BucketName;
        accepted(kind, &["abc", "example.logs-2026", &"a".repeat(63)]);
        refused(
            kind,
            &["ab", &"a".repeat(64), "Logs", "logs_1", "-logs", "logs."],
            "S3 bucket name",
        );
        refused(kind, &["a..b"], "adjacent");
        refused(kind, &["192.168.5.4"], "IP address");
        refused(kind, &["xn--logs", "sthree-x", "amzn-s3-demo-x"], "prefix");
        refused(
            kind,
            &["logs-s3alias", "logs--ol-s3", "logs.mrap", "logs--x-s3"],
            "suffix",
        );
    }

    #[test]
    fn iam_name_path_and_arn_checks() {
        accepted(
            ParameterKind::RoleName,
            &["deploy", "a+b=c,d.e@f_g-h", &"r".repeat(64)],
        );
        refused(
            ParameterKind::RoleName,
            &["", "a b", "a/b", &"r".repeat(65)],
            "IAM role name",
        );
        refused(ParameterKind::UserName, &["al*ce"], "IAM user name");
        accepted(ParameterKind::IamPath, &["/", "/service-role/", "/a/b/"]);
        refused(
            ParameterKind::IamPath,
            &["", "a/", "/a", "//x y/", &format!("/{}/", "p".repeat(511))],
            "IAM path",
        );
        accepted(
            ParameterKind::RoleArn,
            &[
                "arn:aws:iam::123456789012:role/deploy",
                "arn:aws-cn:iam::123456789012:role/service-role/deploy",
            ],
        );
        refused(
            ParameterKind::RoleArn,
            &[
                "arn:aws:iam::123456789012:user/deploy",
                "arn:aws:iam:us-east-1:123456789012:role/deploy",
                "deploy",
            ],
            "IAM role ARN",
        );
        refused(
            ParameterKind::RoleArn,
            &["arn:aws:iam::1234:role/x"],
            "12 digits",
        );
        refused(
            ParameterKind::RoleArn,
            &["arn:aws:iam::123456789012:role/a b"],
            "its name",
        );
        refused(
            ParameterKind::RoleArn,
            &["arn:aws-moon:iam::123456789012:role/x"],
            "partition",
        );
        accepted(
            ParameterKind::UserArn,
            &["arn:aws:iam::123456789012:user/division/alice"],
        );
    }

    #[test]
    fn organizations_and_vpc_id_checks() {
        accepted(
            ParameterKind::OrganizationId,
            &["o-a1b2c3d4e5", &format!("o-{}", "a".repeat(32))],
        );
        refused(
            ParameterKind::OrganizationId,
            &["o-a1b2", "o-A1B2C3D4E5", "a1b2c3d4e5", "o-a1b2c3d4e5-"],
            "organization ID",
        );
        accepted(ParameterKind::OrganizationalUnitId, &["ou-ab12-cdef3456"]);
        refused(
            ParameterKind::OrganizationalUnitId,
            &["ou-ab1-cdef3456", "ou-ab12-cdef345", "ou-ab12"],
            "organizational unit ID",
        );
        accepted(ParameterKind::RootId, &["r-ab12"]);
        refused(ParameterKind::RootId, &["r-ab1", "r-ab12-"], "root ID");
        accepted(
            ParameterKind::VpcId,
            &["vpc-0123abcd", "vpc-0123456789abcdef0"],
        );
        refused(
            ParameterKind::VpcId,
            &["vpc-0123", "vpce-0123abcd"],
            "VPC ID",
        );
        accepted(ParameterKind::VpcEndpointId, &["vpce-0123456789abcdef0"]);
        refused(
            ParameterKind::VpcEndpointId,
            &["vpc-0123456789abcdef0"],
            "VPC endpoint ID",
        );
        accepted(ParameterKind::Partition, &["aws", "aws-us-gov"]);
        refused(ParameterKind::Partition, &["AWS", "aws-moon"], "partition");
    }

    #[test]
    fn resource_arn_check_follows_the_reference_format() {
        let Some(log_group) = ParameterKind::arn("logs", "log-group") else {
            panic!("the reference has logs' log-group");
        };
        assert_eq!(ParameterKind::arn("logs", "log-groups"), None);
        assert_eq!(log_group.to_string(), r#"Arn("logs", "log-group")"#);
        assert_eq!(
            log_group.example(),
            "arn:aws:logs:us-east-1:123456789012:log-group:example"
        );
        accepted(
            log_group,
            &["arn:aws:logs:eu-west-1:111122223333:log-group:/app/web"],
        );
        refused(
            log_group,
            &[
                "arn:aws:s3:::bucket",
                "log-group",
                "arn:aws:logs:eu-west-1:111122223333:destination:x",
            ],
            "resource type `log-group`",
        );
        refused(
            log_group,
            &["arn:aws:logs:eu-west-1:111122223333:log-group:*"],
            "without wildcards",
        );
        refused(
            log_group,
            &["arn:aws:logs:moon-1:111122223333:log-group:x"],
            "region",
        );
        let bucket = ParameterKind::arn("s3", "bucket").unwrap();
        accepted(bucket, &["arn:aws:s3:::example-bucket"]);
    }

    #[test]
    fn region_check() {
        assert_eq!(ParameterKind::Region.check("ap-southeast-7"), Ok(()));
        assert_eq!(ParameterKind::Region.check("cn-northwest-1"), Ok(()));
        for bad in ["us-east-9", "US-EAST-1", "", "region", "us-east-1 "] {
            let error = ParameterKind::Region.check(bad).unwrap_err();
            assert!(error.contains("AWS Region code"), "{bad}: {error}");
        }
    }

    #[test]
    fn account_id_check() {
        assert_eq!(ParameterKind::AccountId.check("000000000000"), Ok(()));
        for bad in [
            "12",
            "1234567890123",
            "12345678901a",
            "",
            "１２３４５６７８９０１２",
        ] {
            let error = ParameterKind::AccountId.check(bad).unwrap_err();
            assert!(error.contains("12 digits"), "{bad}: {error}");
        }
    }

    #[test]
    fn instance_id_check() {
        for good in ["i-0123abcd", "i-0123456789abcdef0"] {
            assert_eq!(ParameterKind::InstanceId.check(good), Ok(()), "{good}");
        }
        for bad in [
            "i-0123abc",
            "i-0123456789abcdef",
            "i-0123456789ABCDEF0",
            "0123abcd",
            "i-0123abcg",
        ] {
            let error = ParameterKind::InstanceId.check(bad).unwrap_err();
            assert!(error.contains("8 or 17"), "{bad}: {error}");
        }
    }

    #[test]
    fn kms_key_arn_check() {
        for good in [
            "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-east-1:111122223333:alias/session-manager/key_1",
            "arn:aws-cn:kms:cn-north-1:111122223333:alias/ssm",
            "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/ssm",
        ] {
            assert_eq!(ParameterKind::KmsKeyArn.check(good), Ok(()), "{good}");
        }
        for (bad, says) in [
            ("key-name", "KMS key ARN"),
            ("1234abcd-12ab-34cd-56ef-1234567890ab", "KMS key ARN"),
            (
                "arn:aws:s3:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "KMS key ARN",
            ),
            (
                "arn:aws:kms:us-east-9:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "region",
            ),
            (
                "arn:aws:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "aws-cn",
            ),
            (
                "arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "12 digits",
            ),
            (
                "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-12345EXAMPLE",
                "key ID",
            ),
            ("arn:aws:kms:us-west-2:111122223333:alias/", "alias name"),
            ("arn:aws:kms:us-west-2:111122223333:alias/a b", "alias name"),
            ("arn:aws:kms:us-west-2:111122223333:grant/1", "KMS key ARN"),
        ] {
            let error = ParameterKind::KmsKeyArn.check(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn tag_checks() {
        assert_eq!(ParameterKind::TagKey.check("Cost Center"), Ok(()));
        assert_eq!(
            ParameterKind::TagKey.check("aws:cloudformation:stack-name"),
            Ok(())
        );
        assert_eq!(ParameterKind::TagKey.check("Ümlaut_.:/=+-@9"), Ok(()));
        assert_eq!(ParameterKind::TagValue.check(""), Ok(()));
        assert_eq!(ParameterKind::TagValue.check(&"v".repeat(256)), Ok(()));
        assert_eq!(ParameterKind::TagKey.check(&"é".repeat(128)), Ok(()));
        let too_long = ParameterKind::TagKey.check(&"k".repeat(129)).unwrap_err();
        assert!(too_long.contains("1 to 128"), "{too_long}");
        let empty = ParameterKind::TagKey.check("").unwrap_err();
        assert!(empty.contains("1 to 128"), "{empty}");
        let value_too_long = ParameterKind::TagValue.check(&"v".repeat(257)).unwrap_err();
        assert!(value_too_long.contains("0 to 256"), "{value_too_long}");
        let bad_char = ParameterKind::TagValue.check("a*b").unwrap_err();
        assert!(bad_char.contains("`*`"), "{bad_char}");
        let newline = ParameterKind::TagKey.check("a\nb").unwrap_err();
        assert!(newline.contains("`\\n`"), "{newline}");
    }
}
