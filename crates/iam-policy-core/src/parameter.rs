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

impl ParameterKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ParameterKind] = &[
        ParameterKind::Region,
        ParameterKind::AccountId,
        ParameterKind::InstanceId,
        ParameterKind::KmsKeyArn,
        ParameterKind::TagKey,
        ParameterKind::TagValue,
    ];

    /// The kind's name as a policy declares it, e.g. `AccountId` in
    /// `#[parameters("account-id": AccountId)]`.
    pub fn name(self) -> &'static str {
        match self {
            ParameterKind::Region => "Region",
            ParameterKind::AccountId => "AccountId",
            ParameterKind::InstanceId => "InstanceId",
            ParameterKind::KmsKeyArn => "KmsKeyArn",
            ParameterKind::TagKey => "TagKey",
            ParameterKind::TagValue => "TagValue",
        }
    }

    /// The kind with this name (exact spelling).
    pub fn from_name(name: &str) -> Option<ParameterKind> {
        ParameterKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.name() == name)
    }

    /// A typical value, used to check the policy around an unbound placeholder.
    pub fn example(self) -> &'static str {
        match self {
            ParameterKind::Region => "us-east-1",
            ParameterKind::AccountId => "123456789012",
            ParameterKind::InstanceId => "i-0123456789abcdef0",
            ParameterKind::KmsKeyArn => {
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            }
            ParameterKind::TagKey => "Finance",
            ParameterKind::TagValue => "WebServers",
        }
    }

    /// Checks a value bound to a parameter of this kind. The error states the rule broken, in
    /// lower case, e.g. "must be 12 digits".
    pub fn check(self, value: &str) -> Result<(), String> {
        match self {
            ParameterKind::Region => check_region(value),
            ParameterKind::AccountId => check_account_id(value),
            ParameterKind::InstanceId => {
                let ok = value.strip_prefix("i-").is_some_and(|hex| {
                    (hex.len() == 8 || hex.len() == 17) && hex.bytes().all(is_lower_hex)
                });
                if ok {
                    Ok(())
                } else {
                    Err(
                        "must be an EC2 instance ID: `i-` and 8 or 17 lower-case hex digits, \
                         e.g. `i-0123456789abcdef0`"
                            .to_owned(),
                    )
                }
            }
            ParameterKind::KmsKeyArn => check_kms_key_arn(value),
            ParameterKind::TagKey => check_tag(value, 1, 128, "tag key"),
            ParameterKind::TagValue => check_tag(value, 0, 256, "tag value"),
        }
    }
}

fn is_lower_hex(byte: u8) -> bool {
    byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)
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
    let example = |name: &str| {
        parameters
            .iter()
            .find(|parameter| parameter.name == name)
            .map(|parameter| parameter.kind.example())
    };
    substitute(node, &example)
}

fn substitute<'n>(node: &'n Node<'_>, value_of: &dyn Fn(&str) -> Option<&'static str>) -> Node<'n> {
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
            assert_eq!(kind.check(kind.example()), Ok(()), "{kind:?}");
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
