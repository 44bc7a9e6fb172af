//! The `Condition` element, statement by statement: each condition's operator, key and values
//! are checked together ([`super::condition_operator`], [`super::condition_key`],
//! [`super::condition_value`]), then the statement's keys against its actions
//! ([`super::condition_key_support`]).

use super::condition_key::{check_duplicate_keys, check_key};
use super::condition_key_support::{
    check_actions_support_keys, check_dynamodb_attributes_with_select, check_paired_keys,
};
use super::condition_operator::{
    check_audience_qualifier, check_operator, check_operator_fits_key, check_set_qualifier,
};
use super::condition_value::{
    check_empty_values, check_multiple_booleans, check_permissive_wildcard,
    check_redundant_numeric_bounds, check_s3_prefix_context, check_source_ip_private,
    check_value_fits_operator, check_value_types_agree, check_variable_fits_operator,
    check_well_known_value, check_wildcard_needs_like, check_wildcard_only_value,
};
use super::operator::{Family, Operator};
use super::value::{self, IpRange};
use super::variable;
use super::{Condition, Context, Entry, Path, Statement};
use crate::IssueCode;
use crate::json::{Node, Value};
use iam_policy_reference::ConditionKey;

/// Runs every condition rule on one statement.
pub(crate) fn check_statement(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let conditions = &statement.conditions;
    if conditions.is_empty() {
        // Most statements: only a repeated operator holding no key is left to find.
        check_duplicate_keys(statement, ctx);
        return;
    }
    // Each condition's operator and key, kept for the rules on the statement's keys: on the
    // stack for the few conditions of most statements.
    let mut few = [(None, None); FEW_CONDITIONS];
    let mut many = Vec::new();
    let read: &mut [(Option<Operator>, Option<ConditionKey>)] =
        match few.get_mut(..conditions.len()) {
            Some(few) => few,
            None => {
                many.resize(conditions.len(), (None, None));
                &mut many
            }
        };
    for (index, (condition, read)) in conditions.iter().zip(read.iter_mut()).enumerate() {
        // An operator holding several keys is one literal: report its problems once.
        let first_of_block =
            index == 0 || conditions[index - 1].operator.span != condition.operator.span;
        let operator = check_operator(statement, condition, first_of_block, ctx);
        let key = check_key(statement, condition, ctx);
        let checked_condition = Checked {
            condition,
            operator,
            key,
        };
        check_condition(statement, &checked_condition, ctx);
        *read = (operator, key);
    }
    check_duplicate_keys(statement, ctx);
    let checked = conditions
        .iter()
        .zip(read.iter())
        .map(|(condition, &(operator, key))| Checked {
            condition,
            operator,
            key,
        });
    check_actions_support_keys(statement, checked, ctx);
    check_dynamodb_attributes_with_select(statement, ctx);
    check_paired_keys(statement, ctx);
}

/// The conditions of nearly every statement.
const FEW_CONDITIONS: usize = 8;

/// A condition with its operator and key read, where they could be.
pub(super) struct Checked<'c, 'a> {
    pub(super) condition: &'c Condition<'a>,
    pub(super) operator: Option<Operator>,
    /// The reference's key; `None` for an unknown key (reported) or a claim of an identity
    /// provider the reference cannot list.
    pub(super) key: Option<ConditionKey>,
}

/// Every check of one `key: values` pair under its operator.
fn check_condition(statement: &Statement<'_>, checked: &Checked<'_, '_>, ctx: &mut Context<'_>) {
    let condition = checked.condition;
    check_empty_values(statement, condition, checked.operator, ctx);
    check_value_types_agree(statement, condition, ctx);
    let Some(operator) = checked.operator else {
        return;
    };
    if let Some(key) = checked.key {
        check_operator_fits_key(statement, condition, operator, key, ctx);
        check_set_qualifier(statement, condition, operator, key, ctx);
    }
    check_audience_qualifier(statement, condition, operator, ctx);
    let mut ip_ranges = IpRanges::default();
    for (index, node) in condition.values.indexed() {
        let Some(text) = scalar_text(node) else {
            continue;
        };
        // Most values hold no `${`: their variables need no reading.
        let starts_variable = variable::has_variable(text);
        let ip_range = if operator.family == Family::IpAddress {
            IpRange::parse(text)
        } else {
            None
        };
        if let Some(range) = ip_range {
            ip_ranges.parsed += 1;
            ip_ranges.private += usize::from(range.is_private());
        }
        let value = ConditionValue {
            text,
            node,
            path_in: condition,
            index,
            starts_variable,
            resolves_variable: starts_variable && value::has_variable(text),
            wildcard: value::has_wildcard(text),
            ip_range,
        };
        check_value_fits_operator(statement, condition, operator, &value, ctx);
        check_variable_fits_operator(statement, operator, &value, ctx);
        check_wildcard_needs_like(statement, condition, operator, &value, ctx);
        check_permissive_wildcard(statement, checked, operator, &value, ctx);
        check_well_known_value(statement, condition, operator, &value, ctx);
    }
    check_multiple_booleans(statement, condition, operator, ctx);
    check_wildcard_only_value(statement, condition, operator, ctx);
    check_source_ip_private(statement, condition, operator, ip_ranges, ctx);
    check_redundant_numeric_bounds(statement, condition, operator, ctx);
    check_s3_prefix_context(statement, condition, operator, ctx);
}

/// One value of a condition, as text, with where it is.
pub(super) struct ConditionValue<'a> {
    pub(super) text: &'a str,
    pub(super) node: &'a Node<'a>,
    /// The condition holding it and its index there, for the JSON path of a finding.
    pub(super) path_in: &'a Condition<'a>,
    pub(super) index: usize,
    // What several checks ask of the text, worked out once.
    /// It holds `${` ([`variable::has_variable`]).
    pub(super) starts_variable: bool,
    /// It holds a variable that resolves from the request ([`value::has_variable`]).
    pub(super) resolves_variable: bool,
    /// It holds `*` or `?` outside variables ([`value::has_wildcard`]).
    pub(super) wildcard: bool,
    /// The IP range it is, read once for an IP address operator; `None` for any other.
    pub(super) ip_range: Option<IpRange>,
}

/// Of a condition's values under an IP address operator, how many are IP ranges and how many
/// of those are private.
#[derive(Clone, Copy, Default)]
pub(super) struct IpRanges {
    pub(super) parsed: usize,
    pub(super) private: usize,
}

impl<'a> ConditionValue<'a> {
    /// Where the value is: the key's path, plus `[index]` for an array.
    #[inline]
    pub(super) fn path(&self) -> Path<'a> {
        let in_array = matches!(self.path_in.values_node.value, Value::Array(_));
        self.path_in.key.path.at(in_array.then_some(self.index))
    }
}

#[inline]
pub(super) fn report(
    ctx: &mut Context<'_>,
    statement: &Statement<'_>,
    entry: &Entry<'_>,
    code: IssueCode,
    message: String,
    help: Option<String>,
) {
    ctx.report_entry(code, entry, Some(statement.index), message, help);
}

/// A string, number or boolean value as text (`true`/`false` for JSON booleans).
#[inline]
pub(super) fn scalar_text<'a>(node: &'a Node<'_>) -> Option<&'a str> {
    match &node.value {
        Value::String(text) | Value::Number(text) => Some(text),
        Value::Bool(true) => Some("true"),
        Value::Bool(false) => Some("false"),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::conditions::{S3, check, check_effect};

    #[test]
    fn a_correct_condition_passes() {
        assert_eq!(
            check(
                S3,
                r#"{"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}, "Bool": {"aws:SecureTransport": "true"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""ssm:StartSession""#,
                r#"{"StringEquals": {"ssm:resourceTag/Finance": "WebServers"}}"#
            ),
            []
        );
    }

    /// Conditions from AWS's documentation: none of them may be reported.
    #[test]
    fn documented_examples_pass() {
        let examples = [
            (
                r#""iam:ChangePassword""#,
                r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#,
            ),
            (
                S3,
                r#"{"DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"}, "DateLessThan": {"aws:CurrentTime": "2020-06-30T23:59:59Z"}}"#,
            ),
            (
                S3,
                r#"{"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}"#,
            ),
            (
                r#"["ec2:StartInstances", "ec2:StopInstances"]"#,
                r#"{"StringEquals": {"ec2:ResourceTag/Owner": "${aws:username}"}}"#,
            ),
            (
                S3,
                r#"{"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}"#,
            ),
            (
                r#""ec2:CreateTags""#,
                r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}, "StringEquals": {"ec2:CreateAction": "RunInstances"}}"#,
            ),
            (
                r#"["dynamodb:GetItem", "dynamodb:Query"]"#,
                r#"{"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${www.amazon.com:user_id}"], "dynamodb:Attributes": ["UserId", "Score"]}, "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}"#,
            ),
            (
                r#""kms:Decrypt""#,
                r#"{"StringEquals": {"kms:ViaService": "ec2.us-west-2.amazonaws.com", "kms:CallerAccount": "111122223333"}}"#,
            ),
            (
                r#""sqs:SendMessage""#,
                r#"{"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:123456789012:topic"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}"#,
            ),
            (
                r#""s3:PutObject""#,
                r#"{"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}, "Null": {"s3:x-amz-server-side-encryption": "true"}}"#,
            ),
            (
                r#""iam:CreateUser""#,
                r#"{"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/Boundary"}}"#,
            ),
            (
                r#""ec2:RunInstances""#,
                r#"{"StringEquals": {"ec2:InstanceType": ["t2.micro", "t3.micro"]}}"#,
            ),
            (
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}"#,
            ),
            (
                r#""s3:GetObject""#,
                r#"{"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}, "Bool": {"aws:ViaAWSService": "false"}}"#,
            ),
            (
                r#""sts:AssumeRole""#,
                r#"{"StringEquals": {"sts:ExternalId": "Unique-ID"}}"#,
            ),
            (
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-abcd-abcd-123456"}, "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}"#,
            ),
            (
                S3,
                r#"{"DateGreaterThan": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}, "StringEquals": {"aws:PrincipalTag/department": "${aws:PrincipalTag/department}"}}"#,
            ),
            (
                r#""s3:PutObject""#,
                r#"{"ArnEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:*:123456789012:key/*"}}"#,
            ),
            (
                r#""iam:PassRole""#,
                r#"{"StringEquals": {"iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]}}"#,
            ),
            (
                r#""s3:GetObject""#,
                r#"{"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d", "vpce-0123456789abcdef0"]}}"#,
            ),
        ];
        for (action, condition) in examples {
            assert_eq!(check(action, condition), [], "{action} {condition}");
        }
        assert_eq!(
            check_effect("Deny", S3, r#"{"Bool": {"aws:SecureTransport": "false"}}"#),
            []
        );
    }

    /// Every mix of odd operators, keys and values is checked without a panic.
    #[test]
    fn odd_conditions_never_panic() {
        let operators = [
            "ForAllValues:Null",
            "NullIfExists",
            "IpAddress",
            "DateEquals",
            "ArnLike",
            "ForAnyValue:NumericLessThan",
            "BinaryEquals",
        ];
        let keys = [
            "aws:SourceIp",
            ":x",
            "x.y:aud",
            "aws:ResourceTag/",
            "ec2:ResourceTag/\u{e9}",
        ];
        let values = [
            "[]",
            r#""""#,
            r#""*""#,
            r#"["a", 1]"#,
            r#""${aws:username""#,
            r#""10.0.0.1/99""#,
            r#""\u65e5""#,
        ];
        for operator in operators {
            for key in keys {
                for value in values {
                    let condition = format!(r#"{{"{operator}": {{"{key}": {value}}}}}"#);
                    let _ = check(r#"["s3:ListBucket", "iam:Pass*"]"#, &condition);
                }
            }
        }
    }
}
