//! The `Condition` element, statement by statement: operators, keys, the fit between them and
//! the values, set qualifiers, and the Access Analyzer checks on well-known keys.
//!
//! Each check is one small function; its comment states the rule.

use super::operator::{Family, Operator, SetQualifier};
use super::value::{self, DateProblem, IpRange};
use super::variable;
use super::{Condition, Context, Effect, Entry, Path, Statement, backticked, did_you_mean};
use crate::IssueCode;
use crate::json::{Node, Value};
use iam_policy_reference::{self as reference, ConditionKey, ConditionKeyType};
use rustc_hash::{FxHashMap, FxHashSet};

/// Runs every condition rule on one statement; returns the reference's key for each condition,
/// where there is one.
///
/// `operators` is scratch room for the conditions' operators, kept by the caller across the
/// statements of a document so that it is allocated once.
pub(crate) fn check_statement(
    statement: &Statement<'_>,
    operators: &mut Vec<Option<Operator>>,
    ctx: &mut Context<'_>,
) -> Vec<Option<ConditionKey>> {
    operators.clear();
    operators.reserve(statement.conditions.len());
    let mut keys = Vec::with_capacity(statement.conditions.len());
    for (index, condition) in statement.conditions.iter().enumerate() {
        // An operator holding several keys is one literal: report its problems once.
        let first_of_block =
            index == 0 || statement.conditions[index - 1].operator.span != condition.operator.span;
        let operator = check_operator(statement, condition, first_of_block, ctx);
        let key = check_key(statement, condition, ctx);
        let checked_condition = Checked {
            condition,
            operator,
            key,
        };
        check_condition(statement, &checked_condition, ctx);
        operators.push(operator);
        keys.push(key);
    }
    check_duplicate_keys(statement, ctx);
    let checked = statement
        .conditions
        .iter()
        .zip(operators.iter())
        .zip(&keys)
        .map(|((condition, &operator), &key)| Checked {
            condition,
            operator,
            key,
        });
    check_actions_support_keys(statement, checked, ctx);
    check_dynamodb_attributes_with_select(statement, ctx);
    check_paired_keys(statement, ctx);
    keys
}

/// A condition with its operator and key read, where they could be.
struct Checked<'c, 'a> {
    condition: &'c Condition<'a>,
    operator: Option<Operator>,
    /// The reference's key; `None` for an unknown key (reported) or a claim of an identity
    /// provider the reference cannot list.
    key: Option<ConditionKey>,
}

// ---------------------------------------------------------------------------------------------
// Operators

/// The operator must be one IAM defines; `Null` takes no `IfExists` and no set qualifier.
fn check_operator(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    first_of_block: bool,
    ctx: &mut Context<'_>,
) -> Option<Operator> {
    let entry = &condition.operator;
    let operator = match Operator::parse(entry.text) {
        Ok(operator) => operator,
        Err(suggestion) => {
            if first_of_block {
                report(
                    ctx,
                    statement,
                    entry,
                    IssueCode::InvalidConditionOperator,
                    format!("unknown condition operator `{}`", entry.text),
                    did_you_mean(suggestion.as_deref()),
                );
            }
            return None;
        }
    };
    if first_of_block && operator.family == Family::Null && operator.if_exists {
        report(
            ctx,
            statement,
            entry,
            IssueCode::NullWithIfExists,
            format!(
                "`{}`: the `Null` operator takes no `IfExists` suffix",
                entry.text
            ),
            Some("write `Null`; it already tests whether the key is present".to_owned()),
        );
    }
    if first_of_block
        && operator.family == Family::Null
        && let Some(qualifier) = operator.qualifier
    {
        let outcome = match qualifier {
            SetQualifier::ForAllValues => "always true",
            SetQualifier::ForAnyValue => "always false",
        };
        report(
            ctx,
            statement,
            entry,
            IssueCode::NullWithQualifier,
            format!("`{}` is {outcome}", entry.text),
            Some("write `Null` without a set qualifier".to_owned()),
        );
    }
    Some(operator)
}

// ---------------------------------------------------------------------------------------------
// Keys

/// Tag keys that need a `/tag-key` suffix, in lower case.
const TAG_FAMILIES: &[&str] = &["resourcetag", "requesttag", "principaltag"];

/// The key must be `prefix:name` and known: a global `aws:` key, a key of the service named by
/// the prefix (templated keys such as `ssm:resourceTag/${TagKey}` match any tag), or a claim of
/// an identity provider (any OIDC provider URL may be a prefix, e.g.
/// `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub`, so these are not judged).
fn check_key(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    ctx: &mut Context<'_>,
) -> Option<ConditionKey> {
    let entry = &condition.key;
    let name = entry.text;
    // Split at the first colon, found as a byte (cheaper than a character search).
    let colon = name.bytes().position(|byte| byte == b':');
    let split = colon.and_then(|at| Some((name.get(..at)?, name.get(at + 1..)?)));
    let Some((prefix, rest)) = split.filter(|(prefix, rest)| {
        !prefix.is_empty() && !rest.is_empty() && !prefix.contains(char::is_whitespace)
    }) else {
        report(
            ctx,
            statement,
            entry,
            IssueCode::InvalidConditionKeyFormat,
            format!("condition key `{name}` is not of the form `prefix:name`"),
            Some("write a key such as `aws:SourceIp` or `s3:prefix`".to_owned()),
        );
        return None;
    };
    if let Some(deprecated) = reference::deprecated_condition_key(name) {
        let replacements: Vec<String> = deprecated
            .replacements
            .iter()
            .map(|replacement| format!("`{replacement}`"))
            .collect();
        let help = format!("use {}", replacements.join(" or "));
        if deprecated.unsupported {
            report(
                ctx,
                statement,
                entry,
                IssueCode::UnsupportedGlobalConditionKey,
                format!("global condition key `{name}` is not supported"),
                Some(help.clone()),
            );
        }
        report(
            ctx,
            statement,
            entry,
            IssueCode::DeprecatedGlobalConditionKey,
            format!("global condition key `{name}` is deprecated"),
            Some(help),
        );
        return None;
    }
    if let Some(key) = reference::condition_key(name) {
        return Some(key);
    }
    if is_tag_family_without_key(rest) {
        report(
            ctx,
            statement,
            entry,
            IssueCode::MissingTagKeyInCondition,
            format!("condition key `{name}` names no tag key"),
            Some(format!(
                "write the tag key after a slash, e.g. `{}/CostCenter`",
                name.trim_end_matches('/')
            )),
        );
        return None;
    }
    // Searched only for the findings that show it (not for identity-provider claims).
    let help = |ctx: &mut Context<'_>| {
        did_you_mean(
            ctx.suggest(|| reference::suggest_condition_key(name))
                .first()
                .map(|suggestion| fill_template(suggestion, name))
                .as_deref(),
        )
    };
    if prefix.eq_ignore_ascii_case("aws") {
        let help = help(ctx);
        report(
            ctx,
            statement,
            entry,
            IssueCode::InvalidGlobalConditionKey,
            format!("unknown global condition key `{name}`"),
            help,
        );
        return None;
    }
    if let Some(spelling) = reference::retired_condition_key(name) {
        report(
            ctx,
            statement,
            entry,
            IssueCode::RetiredConditionKey,
            format!("condition key `{spelling}` was retired: it is in the 2024 reference but not any more"),
            // Removing the condition could widen the statement: the help only states the fact.
            Some("no request has this key any more, so the condition holds only where an absent key satisfies it".to_owned()),
        );
        return None;
    }
    if reference::service(prefix).is_some() {
        let help = help(ctx);
        report(
            ctx,
            statement,
            entry,
            IssueCode::InvalidServiceConditionKey,
            format!("service `{prefix}` has no condition key `{name}`"),
            help,
        );
        return None;
    }
    if is_identity_provider(prefix) {
        return None;
    }
    if reference::retired_service(prefix) {
        report(
            ctx,
            statement,
            entry,
            IssueCode::RetiredService,
            format!(
                "the service `{}` of condition key `{name}` was retired: it is in the 2024 reference but not any more",
                prefix.to_ascii_lowercase()
            ),
            // Removing the condition could widen the statement: the help only states the fact.
            Some("no request has this key any more, so the condition holds only where an absent key satisfies it".to_owned()),
        );
        return None;
    }
    let suggestions = ctx.suggest(|| reference::suggest_service(prefix));
    report(
        ctx,
        statement,
        entry,
        IssueCode::InvalidService,
        format!("unknown service prefix `{prefix}` in condition key `{name}`"),
        did_you_mean(suggestions.first().copied()),
    );
    None
}

/// A suggested templated key with the variable part the user wrote: `aws:PrincipalTag/${TagKey}`
/// for `aws:PrincipalTagg/team` becomes `aws:PrincipalTag/team`.
fn fill_template(suggestion: &str, written: &str) -> String {
    let template_at_end = suggestion.find("${").filter(|_| suggestion.ends_with('}'));
    match (template_at_end, written.split_once('/')) {
        (Some(at), Some((_, part))) if !part.is_empty() && suggestion[..at].ends_with('/') => {
            format!("{}{part}", &suggestion[..at])
        }
        _ => suggestion.to_owned(),
    }
}

/// `aws:ResourceTag`, `ec2:ResourceTag/` and the like: a tag key family without its tag key.
fn is_tag_family_without_key(rest: &str) -> bool {
    let family = rest.strip_suffix('/').unwrap_or(rest);
    TAG_FAMILIES
        .iter()
        .any(|tag| family.eq_ignore_ascii_case(tag))
}

/// Identity-provider claims are prefixed with the provider's host name (and path), which holds
/// a dot: `accounts.google.com:aud`, `token.actions.githubusercontent.com:sub`.
fn is_identity_provider(prefix: &str) -> bool {
    prefix.contains('.')
}

/// `Condition` must not hold an operator twice, nor an operator block a key twice: JSON readers
/// keep only one of the two, so a restriction vanishes between review and deployment. Both
/// places are reported. A key repeated in different case is Access Analyzer's
/// `DUPLICATE_KEYS_WITH_DIFFERENT_CASE` (key names are case-insensitive, so IAM would see two
/// values for one key), reported at the later key.
///
/// Names are sorted, so that repeats are neighbours, rather than compared pairwise.
fn check_duplicate_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    check_duplicate_operators(statement, ctx);
    let conditions = &statement.conditions;
    // By operator block, then by key in any case, then in source order.
    let mut order: Vec<usize> = (0..conditions.len()).collect();
    let lowered = |index: usize| {
        conditions.get(index).map(|condition| {
            condition
                .key
                .text
                .bytes()
                .map(|byte| byte.to_ascii_lowercase())
        })
    };
    let block = |index: usize| {
        conditions
            .get(index)
            .map(|condition| condition.operator.span.start)
    };
    order.sort_by(|&a, &b| {
        block(a)
            .cmp(&block(b))
            .then_with(|| {
                lowered(a)
                    .into_iter()
                    .flatten()
                    .cmp(lowered(b).into_iter().flatten())
            })
            .then(a.cmp(&b))
    });
    let same_key = |a: &Condition<'_>, b: &Condition<'_>| {
        a.operator.span == b.operator.span && a.key.text.eq_ignore_ascii_case(b.key.text)
    };
    let picked: Vec<&Condition<'_>> = order
        .iter()
        .filter_map(|&index| conditions.get(index))
        .collect();
    for group in picked.chunk_by(|a, b| same_key(a, b)) {
        let [first, ..] = group else { continue };
        // The first key of the group (in source order) spelled otherwise than the first one.
        let first_other = group
            .iter()
            .position(|condition| condition.key.text != first.key.text);
        // How often each spelling is given, for the keys given twice alike.
        let mut spellings: FxHashMap<&str, usize> = FxHashMap::default();
        if group.len() > 1 {
            for condition in group {
                *spellings.entry(condition.key.text).or_default() += 1;
            }
        }
        for (position, condition) in group.iter().enumerate() {
            let earlier = if condition.key.text != first.key.text {
                Some(first)
            } else {
                first_other
                    .filter(|&other| other < position)
                    .and_then(|other| group.get(other))
            };
            if let Some(earlier) = earlier {
                report(
                    ctx,
                    statement,
                    &condition.key,
                    IssueCode::DuplicateKeysWithDifferentCase,
                    format!(
                        "condition key `{}` repeats `{}` under `{}` (key names ignore case)",
                        condition.key.text, earlier.key.text, condition.operator.text
                    ),
                    Some("merge the values under one key".to_owned()),
                );
            }
            let given = spellings.get(condition.key.text).copied().unwrap_or(1);
            if given > 1 {
                report(
                    ctx,
                    statement,
                    &condition.key,
                    IssueCode::DuplicateConditionKey,
                    format!(
                        "condition key `{}` is given {} under `{}`: JSON readers keep only one of its values, and the other restrictions are lost",
                        condition.key.text,
                        times(given),
                        condition.operator.text
                    ),
                    Some("merge the values into one array under one key".to_owned()),
                );
            }
        }
    }
}

/// The operators of the statement's `Condition` (empty blocks too, as an empty block written
/// last would replace a full one), each repeat reported at every place.
fn check_duplicate_operators(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    static CONDITION: std::borrow::Cow<'static, str> = std::borrow::Cow::Borrowed("Condition");
    let Value::Object(members) = &statement.node.value else {
        return;
    };
    let Some(Value::Object(operators)) = members
        .iter()
        .find(|member| member.key == "Condition")
        .map(|member| &member.value.value)
    else {
        return;
    };
    if operators.len() < 2 {
        return;
    }
    let mut sorted: Vec<&crate::json::Member<'_>> = operators.iter().collect();
    sorted.sort_by(|a, b| {
        a.key
            .cmp(&b.key)
            .then(a.key_span.start.cmp(&b.key_span.start))
    });
    let path = statement.path.member(&CONDITION);
    for group in sorted.chunk_by(|a, b| a.key == b.key) {
        if group.len() < 2 {
            continue;
        }
        for operator in group {
            let entry = Entry {
                text: &operator.key,
                span: operator.key_span,
                path: path.member(&operator.key),
            };
            report(
                ctx,
                statement,
                &entry,
                IssueCode::DuplicateConditionOperator,
                format!(
                    "condition operator `{}` is given {} in this `Condition`: JSON readers keep only one of its blocks, and the other blocks' restrictions are lost",
                    operator.key,
                    times(group.len())
                ),
                Some("merge the blocks into one: all their keys apply".to_owned()),
            );
        }
    }
}

/// "twice", "3 times", ...
fn times(count: usize) -> String {
    if count == 2 {
        "twice".to_owned()
    } else {
        format!("{count} times")
    }
}

// ---------------------------------------------------------------------------------------------
// One condition: operator, key and values together

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
    for (index, node) in condition.values.indexed() {
        let Some(text) = scalar_text(node) else {
            continue;
        };
        // Most values hold no `${`: their variables need no reading.
        let starts_variable = variable::has_variable(text);
        let value = ConditionValue {
            text,
            node,
            path_in: condition,
            index,
            starts_variable,
            resolves_variable: starts_variable && value::has_variable(text),
            wildcard: value::has_wildcard(text),
        };
        check_value_fits_operator(statement, condition, operator, &value, ctx);
        check_variable_fits_operator(statement, operator, &value, ctx);
        check_wildcard_needs_like(statement, condition, operator, &value, ctx);
        check_permissive_wildcard(statement, checked, operator, &value, ctx);
        check_well_known_value(statement, condition, operator, &value, ctx);
    }
    check_multiple_booleans(statement, condition, operator, ctx);
    check_wildcard_only_value(statement, condition, operator, ctx);
    check_source_ip_private(statement, condition, operator, ctx);
    check_redundant_numeric_bounds(statement, condition, operator, ctx);
    check_s3_prefix_context(statement, condition, operator, ctx);
}

/// One value of a condition, as text, with where it is.
struct ConditionValue<'a> {
    text: &'a str,
    node: &'a Node<'a>,
    /// The condition holding it and its index there, for the JSON path of a finding.
    path_in: &'a Condition<'a>,
    index: usize,
    // What several checks ask of the text, worked out once.
    /// It holds `${` ([`variable::has_variable`]).
    starts_variable: bool,
    /// It holds a variable that resolves from the request ([`value::has_variable`]).
    resolves_variable: bool,
    /// It holds `*` or `?` outside variables ([`value::has_wildcard`]).
    wildcard: bool,
}

impl<'a> ConditionValue<'a> {
    /// Where the value is: the key's path, plus `[index]` for an array.
    fn path(&self) -> Path<'a> {
        let in_array = matches!(self.path_in.values_node.value, Value::Array(_));
        self.path_in.key.path.at(in_array.then_some(self.index))
    }
}

/// `[]` as the values: the condition never matches, or matches only when the key is absent.
fn check_empty_values(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Option<Operator>,
    ctx: &mut Context<'_>,
) {
    if !matches!(&condition.values_node.value, Value::Array(values) if values.is_empty()) {
        return;
    }
    let (code, help) = match operator {
        Some(Operator {
            qualifier: Some(SetQualifier::ForAllValues),
            ..
        }) => (
            IssueCode::EmptyArrayConditionForallvalues,
            "`ForAllValues` with no values matches only when the key is absent; use `Null` with `true`",
        ),
        Some(Operator {
            qualifier: Some(SetQualifier::ForAnyValue),
            ..
        }) => (
            IssueCode::EmptyArrayConditionForanyvalue,
            "`ForAnyValue` with no values never matches; remove the condition or add values",
        ),
        Some(Operator {
            if_exists: true, ..
        }) => (
            IssueCode::EmptyArrayConditionIfexists,
            "`IfExists` with no values matches only when the key is absent; use `Null` with `true`",
        ),
        _ => (
            IssueCode::EmptyArrayCondition,
            "add the values to compare, or remove the condition",
        ),
    };
    ctx.report(
        code,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        format!("condition key `{}` has no values", condition.key.text),
        Some(help.to_owned()),
    );
}

/// The values of one key must all have the same JSON type.
fn check_value_types_agree(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    ctx: &mut Context<'_>,
) {
    let kind = |node: &Node<'_>| match node.value {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Null | Value::Array(_) | Value::Object(_) => "other",
    };
    let Some(first) = condition.values.first() else {
        return;
    };
    if let Some(other) = condition
        .values
        .iter()
        .find(|node| kind(node) != kind(first))
    {
        ctx.report(
            IssueCode::InvalidConditionDataType,
            condition.values_node.span,
            condition.key.path,
            Some(statement.index),
            format!(
                "the values of `{}` mix JSON types ({} and {})",
                condition.key.text,
                kind(first),
                kind(other)
            ),
            Some("write every value of one key with the same type, e.g. all strings".to_owned()),
        );
    }
}

/// The operator family must fit the key's type (ARN keys also take String operators, but
/// `StringLike` lets `*` run across ARN segments, so it gets a warning).
fn check_operator_fits_key(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    key: ConditionKey,
    ctx: &mut Context<'_>,
) {
    let allowed = allowed_families(key.value_type());
    if operator.family == Family::Null {
        return;
    }
    if !allowed.contains(&operator.family) {
        // Name the key's own family; the others are accepted, not recommended.
        let own = allowed.first().map_or("matching", |family| family.name());
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::TypeMismatch,
            format!(
                "operator `{}` does not fit condition key `{}` of type {}",
                condition.operator.text,
                condition.key.text,
                key.value_type().as_str()
            ),
            Some(format!("use a {own} operator")),
        );
        return;
    }
    let arn_key = matches!(
        key.value_type(),
        ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn
    );
    if operator.family == Family::String && arn_key && operator.matches_wildcards() {
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::StringLikeOperatorWithArnConditionKeys,
            format!(
                "`{}` on ARN condition key `{}` lets `*` match across ARN segments",
                condition.operator.text, condition.key.text
            ),
            Some(format!(
                "use `{}`, which matches each ARN segment on its own",
                operator
                    .full_name()
                    .replace("StringNotLike", "ArnNotLike")
                    .replace("StringLike", "ArnLike")
            )),
        );
    }
}

/// The operator families a key type takes; the first is the key's own.
fn allowed_families(key_type: ConditionKeyType) -> &'static [Family] {
    match key_type {
        // ARN operators compare strings too, segment by segment; AWS documents them on string
        // keys that hold ARNs (`kms:EncryptionContext:aws:s3:arn`).
        ConditionKeyType::String | ConditionKeyType::ArrayOfString => {
            &[Family::String, Family::Arn]
        }
        ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn => &[Family::Arn, Family::String],
        ConditionKeyType::Bool | ConditionKeyType::ArrayOfBool => &[Family::Bool],
        ConditionKeyType::Numeric | ConditionKeyType::ArrayOfNumeric => &[Family::Numeric],
        ConditionKeyType::Date | ConditionKeyType::ArrayOfDate => &[Family::Date],
        ConditionKeyType::DateOrNumeric => &[Family::Date, Family::Numeric],
        ConditionKeyType::IpAddress | ConditionKeyType::ArrayOfIpAddress => &[Family::IpAddress],
        ConditionKeyType::Binary => &[Family::Binary],
    }
}

/// Multivalued keys need `ForAllValues:`/`ForAnyValue:`; `ForAllValues:` on a single-valued key
/// is also true when the key is absent.
fn check_set_qualifier(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    key: ConditionKey,
    ctx: &mut Context<'_>,
) {
    if operator.family == Family::Null {
        return;
    }
    match (operator.qualifier, key.is_multivalued()) {
        (None, true) => report(
            ctx,
            statement,
            &condition.key,
            IssueCode::MissingQualifier,
            format!(
                "condition key `{}` has several values in a request, but `{}` has no set qualifier",
                condition.key.text, condition.operator.text
            ),
            Some(format!(
                "write `ForAnyValue:{0}` (any value matches), or `ForAllValues:{0}` (every value matches; also true when the key is absent)",
                condition.operator.text
            )),
        ),
        (Some(SetQualifier::ForAllValues), false) => report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::ForallvaluesWithSingleValuedKey,
            format!(
                "`ForAllValues` on single-valued condition key `{}` is also true when the key is absent",
                condition.key.text
            ),
            Some(format!(
                "write `{}` without the set qualifier",
                operator_without_qualifier(operator)
            )),
        ),
        _ => {}
    }
}

/// A set qualifier on an identity provider's `aud` claim: `ForAnyValue:` treats the single
/// audience as a set; `ForAllValues:` is also true without any audience, so the claim had better
/// really hold several values.
fn check_audience_qualifier(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    // Most operators have no set qualifier: their key need not be read.
    let is_audience = operator.qualifier.is_some()
        && condition
            .key
            .text
            .rsplit_once(':')
            .is_some_and(|(prefix, claim)| {
                is_identity_provider(prefix) && claim.eq_ignore_ascii_case("aud")
            });
    if is_audience && operator.qualifier == Some(SetQualifier::ForAllValues) {
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::ConfirmAudienceClaimType,
            format!(
                "`ForAllValues` on audience claim `{}` matches even a token without an audience",
                condition.key.text
            ),
            Some(format!(
                "confirm the provider sends several audiences; otherwise write `{}`",
                operator_without_qualifier(operator)
            )),
        );
    }
    if is_audience && operator.qualifier == Some(SetQualifier::ForAnyValue) {
        report(
            ctx,
            statement,
            &condition.operator,
            IssueCode::ForanyvalueWithAudienceClaimType,
            format!(
                "`ForAnyValue` on audience claim `{}`, which holds a single value",
                condition.key.text
            ),
            Some(format!("write `{}`", operator_without_qualifier(operator))),
        );
    }
}

fn operator_without_qualifier(operator: Operator) -> String {
    Operator {
        qualifier: None,
        ..operator
    }
    .full_name()
}

/// Each value must be of the operator's type: `true`/`false` for Bool and Null, numbers, ISO
/// 8601 dates or epoch seconds, IP ranges, base64, ARNs.
fn check_value_fits_operator(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    let text = value.text;
    if value.resolves_variable {
        // Reported by the variable check when the family takes no variables.
        return;
    }
    let operator_name = condition.operator.text;
    let problem = match operator.family {
        Family::Bool | Family::Null if value::parse_bool(text).is_none() => Some((
            IssueCode::TypeMismatchBoolean,
            format!("`{operator_name}` takes `true` or `false`, not `{text}`"),
            "write `true` or `false`".to_owned(),
        )),
        Family::Numeric if value::parse_number(text).is_none() => Some((
            IssueCode::TypeMismatchNumber,
            format!("`{operator_name}` takes a number, not `{text}`"),
            "write an integer or a decimal number, e.g. `3600`".to_owned(),
        )),
        Family::Date => match value::check_date(text) {
            Ok(()) => None,
            Err(DateProblem::NotADate) => Some((
                IssueCode::TypeMismatchDate,
                format!("`{operator_name}` takes a date, not `{text}`"),
                "write an ISO 8601 date such as `2026-01-31` or `2026-01-31T12:00:00Z`".to_owned(),
            )),
            Err(DateProblem::Suspicious(reason)) => Some((
                IssueCode::InvalidDateValue,
                format!("date `{text}` may not resolve as intended: {reason}"),
                "write the date as `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`".to_owned(),
            )),
        },
        Family::IpAddress => match IpRange::parse(text) {
            None => Some((
                IssueCode::TypeMismatchIpRange,
                format!("`{operator_name}` takes an IP address or CIDR range, not `{text}`"),
                "write an IPv4 or IPv6 range such as `203.0.113.0/24`".to_owned(),
            )),
            Some(range) => range.normalized().map(|normalized| {
                (
                    IssueCode::ImproveIpRange,
                    format!("IP range `{text}` has host bits set after the prefix"),
                    format!("write `{normalized}`"),
                )
            }),
        },
        Family::Binary if !value::is_base64(text) => Some((
            IssueCode::TypeMismatchString,
            format!("`{operator_name}` takes a base64-encoded value, not `{text}`"),
            "encode the bytes in base64".to_owned(),
        )),
        Family::Arn if !value::is_arn_pattern(text) => Some((
            IssueCode::TypeMismatchArn,
            format!("`{operator_name}` takes an ARN, not `{text}`"),
            "write an ARN such as `arn:aws:iam::123456789012:role/name`; wildcards are allowed in each segment".to_owned(),
        )),
        _ => None,
    };
    if let Some((code, message, help)) = problem {
        ctx.report(
            code,
            value.node.span,
            value.path(),
            Some(statement.index),
            message,
            Some(help),
        );
    }
}

/// Policy variables resolve only in the values of String and ARN operators.
fn check_variable_fits_operator(
    statement: &Statement<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    if operator.family.takes_variables() || !value.starts_variable {
        return;
    }
    ctx.report(
        IssueCode::InvalidVariableForOperator,
        value.node.span,
        value.path(),
        Some(statement.index),
        format!(
            "a policy variable in `{}` does not resolve with a {} operator",
            value.text,
            operator.family.name()
        ),
        Some("policy variables work only with String and ARN operators".to_owned()),
    );
}

/// `*` and `?` are wildcards only for the `...Like` string operators; elsewhere they are
/// compared as literal characters.
fn check_wildcard_needs_like(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    if operator.family != Family::String || operator.matches_wildcards() || !value.wildcard {
        return;
    }
    let like = if operator.negated {
        "StringNotLike"
    } else {
        "StringLike"
    };
    ctx.report(
        IssueCode::WildcardWithoutLikeOperator,
        value.node.span,
        value.path(),
        Some(statement.index),
        format!(
            "`{}` compares `{}` literally: `*` and `?` are not wildcards for it",
            condition.operator.text, value.text
        ),
        Some(format!("use `{like}` to match a pattern")),
    );
}

/// Wildcards are too permissive in the value of a sensitive key (one naming an account,
/// organization or network endpoint, by AWS's list), and in the unique-ID part of `aws:userid`
/// (before the colon); a policy variable mixed with a wildcard there is too permissive as well.
fn check_permissive_wildcard(
    statement: &Statement<'_>,
    checked: &Checked<'_, '_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    if !operator.matches_wildcards() || !value.wildcard {
        return;
    }
    let key = checked.condition.key.text;
    let sensitive = checked.key.is_some_and(ConditionKey::is_sensitive);
    let userid_wildcard = key.eq_ignore_ascii_case("aws:userid")
        && value::has_wildcard(value.text.split(':').next().unwrap_or_default());
    if !sensitive && !userid_wildcard {
        return;
    }
    let code = if value.resolves_variable {
        IssueCode::VariableUsageTooPermissive
    } else {
        IssueCode::WildcardUsageTooPermissive
    };
    let help = if userid_wildcard {
        "name the role or user by its unique ID before the colon"
    } else {
        "list the exact values; a wildcard here can match other accounts, organizations or endpoints"
    };
    ctx.report(
        code,
        value.node.span,
        value.path(),
        Some(statement.index),
        format!(
            "wildcard in `{}` for condition key `{key}` is too permissive",
            value.text
        ),
        Some(help.to_owned()),
    );
}

/// Values of keys with a known shape: VPC and VPC endpoint IDs, KMS key ARNs, service
/// principals.
fn check_well_known_value(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    value: &ConditionValue<'_>,
    ctx: &mut Context<'_>,
) {
    let text = value.text;
    let compares_text = matches!(operator.family, Family::String | Family::Arn);
    if !compares_text || value.wildcard || value.starts_variable {
        return;
    }
    // Key names ignore case; compared in place rather than lower-cased for every value.
    let key = condition.key.text;
    let named = |names: &[&str]| names.iter().any(|name| key.eq_ignore_ascii_case(name));
    let problem =
        if named(&["aws:sourcevpc", "aws:ec2instancesourcevpc"]) && !is_resource_id(text, "vpc-") {
            Some((
                IssueCode::InvalidVpcFormat,
                format!("`{text}` is not a VPC ID"),
                "a VPC ID is `vpc-` and 8 or 17 letters and digits, e.g. `vpc-1a2b3c4d`",
            ))
        } else if named(&["aws:sourcevpce"]) && !is_resource_id(text, "vpce-") {
            Some((
                IssueCode::InvalidVpceFormat,
                format!("`{text}` is not a VPC endpoint ID"),
                "a VPC endpoint ID is `vpce-` and 8 or 17 letters and digits, e.g. `vpce-1a2b3c4d`",
            ))
        } else if named(&["kms:viaservice"]) && !is_service_principal(text, 2) {
            Some((
                IssueCode::InvalidServicePrincipalFormat,
                format!("`{text}` is not a service endpoint name"),
                "write `service.region.amazonaws.com`, e.g. `s3.us-east-1.amazonaws.com`",
            ))
        } else if named(&[
            "iam:passedtoservice",
            "iam:awsservicename",
            "aws:principalservicename",
            "aws:principalservicenameslist",
            "aws:calledvia",
            "aws:calledviafirst",
            "aws:calledvialast",
        ]) && !is_service_principal(text, 1)
        {
            Some((
                IssueCode::InvalidServicePrincipalFormat,
                format!("`{text}` is not a service principal"),
                "write the service principal, e.g. `ec2.amazonaws.com`",
            ))
        } else if is_kms_key_condition_key(key) && !is_kms_key_arn(text) {
            Some((
                IssueCode::InvalidKmsKeyValue,
                format!("`{text}` is not a KMS key ARN"),
                "write `arn:aws:kms:region:account-id:key/key-id`",
            ))
        } else {
            None
        };
    if let Some((code, message, help)) = problem {
        ctx.report(
            code,
            value.node.span,
            value.path(),
            Some(statement.index),
            message,
            Some(help.to_owned()),
        );
    }
}

/// `vpc-1a2b3c4d` / `vpc-0123456789abcdef0`: the prefix and 8 or 17 lower-case letters and
/// digits.
fn is_resource_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|id| {
        matches!(id.len(), 8 | 17)
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// DNS names under which AWS service principals live.
const SERVICE_DOMAINS: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazon.com",
    ".aws.internal",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
];

/// A service principal: lower-case DNS labels ending in an AWS domain, with at least
/// `min_labels` labels before the domain (`ec2.amazonaws.com` has 1,
/// `s3.us-east-1.amazonaws.com` has 2).
fn is_service_principal(text: &str, min_labels: usize) -> bool {
    // One pass over the bytes: a dot must follow a label, and the text end with one.
    let mut previous = b'.';
    let labels_ok = text.bytes().all(|byte| {
        let fits = if byte == b'.' {
            previous != b'.'
        } else {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
        };
        previous = byte;
        fits
    }) && previous != b'.';
    let labels = |name: &str| name.bytes().filter(|&byte| byte == b'.').count() + 1;
    labels_ok
        && SERVICE_DOMAINS.iter().any(|domain| {
            text.strip_suffix(domain)
                .is_some_and(|name| labels(name) >= min_labels)
        })
}

/// ARN-typed service keys that name a KMS key, e.g. `s3:x-amz-server-side-encryption-aws-kms-key-id`
/// or `sagemaker:VolumeKmsKey`, in any case.
fn is_kms_key_condition_key(key: &str) -> bool {
    !key.get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("kms:"))
        && key
            .as_bytes()
            .windows(3)
            .any(|part| matches!(part, [b'k' | b'K', b'm' | b'M', b's' | b'S']))
        && reference::condition_key(key).is_some_and(|known| {
            matches!(
                known.value_type(),
                ConditionKeyType::Arn | ConditionKeyType::ArrayOfArn
            )
        })
}

/// `arn:partition:kms:region:account:key/id`.
fn is_kms_key_arn(text: &str) -> bool {
    let fields: Vec<&str> = text.splitn(6, ':').collect();
    matches!(fields.as_slice(), ["arn", _, "kms", _, _, resource] if resource.starts_with("key/"))
}

/// A Bool condition tests one value; several make no sense (`true` or `false` is always true).
fn check_multiple_booleans(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    if operator.family != Family::Bool || condition.values.len() < 2 {
        return;
    }
    ctx.report(
        IssueCode::InvalidConditionMultipleBoolean,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        format!(
            "condition key `{}` is given {} boolean values",
            condition.key.text,
            condition.values.len()
        ),
        Some("give one value, `true` or `false`".to_owned()),
    );
}

/// A lone `*` with a wildcard operator only asks whether the key is present (or absent), or
/// always matches.
fn check_wildcard_only_value(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    let matches_everything = condition
        .values
        .iter()
        .any(|node| matches!(&node.value, Value::String(text) if text == "*"));
    if !operator.matches_wildcards() || !matches_everything {
        return;
    }
    let key = condition.key.text;
    let (code, message, help) = match (operator.negated, operator.qualifier, operator.if_exists) {
        (false, Some(SetQualifier::ForAllValues), _) | (false, _, true) => (
            IssueCode::RedundantKeyDueToWildcardInCondition,
            format!(
                "`{}` with `*` always matches: the condition on `{key}` adds nothing",
                condition.operator.text
            ),
            "remove the condition".to_owned(),
        ),
        (false, None | Some(SetQualifier::ForAnyValue), false) => (
            IssueCode::EquivalentToNullFalse,
            format!(
                "`{}` with `*` only tests that `{key}` is present",
                condition.operator.text
            ),
            format!("write `\"Null\": {{\"{key}\": \"false\"}}`"),
        ),
        (true, None | Some(SetQualifier::ForAllValues), _) => (
            IssueCode::EquivalentToNullTrue,
            format!(
                "`{}` with `*` only tests that `{key}` is absent",
                condition.operator.text
            ),
            format!("write `\"Null\": {{\"{key}\": \"true\"}}`"),
        ),
        (true, Some(SetQualifier::ForAnyValue), _) => (
            IssueCode::RedundantStatementDueToWildcardInCondition,
            format!(
                "`{}` with `*` never matches: this statement never applies",
                condition.operator.text
            ),
            "remove the statement, or fix the condition".to_owned(),
        ),
    };
    report(ctx, statement, &condition.key, code, message, Some(help));
}

/// `aws:SourceIp` never holds a private address (private traffic comes through VPC endpoints,
/// where `aws:VpcSourceIp` applies): all private ranges make the condition constant, some make
/// those entries dead.
fn check_source_ip_private(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    if operator.family != Family::IpAddress
        || !condition.key.text.eq_ignore_ascii_case("aws:SourceIp")
    {
        return;
    }
    let ranges: Vec<IpRange> = condition
        .values
        .iter()
        .filter_map(|node| scalar_text(node).and_then(IpRange::parse))
        .collect();
    let private = ranges.iter().filter(|range| range.is_private()).count();
    if private == 0 || ranges.len() != condition.values.len() {
        return;
    }
    let all = private == ranges.len();
    let code = match (operator.negated, all) {
        (false, true) => IssueCode::PrivateIpAddress,
        (true, true) => IssueCode::PrivateNotIpAddress,
        (false, false) => IssueCode::PrivateIpAddressSubset,
        (true, false) => IssueCode::PrivateNotIpAddressSubset,
    };
    let message = match (operator.negated, all) {
        (false, true) => {
            "`aws:SourceIp` never holds these private ranges: the condition never matches"
        }
        (true, true) => {
            "`aws:SourceIp` never holds these private ranges: the condition always matches"
        }
        (_, false) => "`aws:SourceIp` never holds the private ranges among these values",
    };
    ctx.report(
        code,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        message.to_owned(),
        Some("use `aws:VpcSourceIp` for addresses inside a VPC".to_owned()),
    );
}

/// Several bounds of one numeric comparison: one of them subsumes the others.
fn check_redundant_numeric_bounds(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    let is_bound = operator.family == Family::Numeric
        && (operator.base.contains("LessThan") || operator.base.contains("GreaterThan"));
    if !is_bound {
        return;
    }
    let numbers = condition
        .values
        .iter()
        .filter(|node| scalar_text(node).and_then(value::parse_number).is_some())
        .count();
    if numbers < 2 {
        return;
    }
    let keep = if operator.base.contains("LessThan") {
        "largest"
    } else {
        "smallest"
    };
    ctx.report(
        IssueCode::RedundantConditionValueNum,
        condition.values_node.span,
        condition.key.path,
        Some(statement.index),
        format!(
            "`{}` with {numbers} bounds for `{}`: only the {keep} one counts",
            condition.operator.text, condition.key.text
        ),
        Some(format!("keep only the {keep} value")),
    );
}

/// `s3:prefix` in a negative context (a Deny, or a negated operator in an Allow) is bypassed
/// by asking for a shorter prefix.
fn check_s3_prefix_context(
    statement: &Statement<'_>,
    condition: &Condition<'_>,
    operator: Operator,
    ctx: &mut Context<'_>,
) {
    let deny = statement.effect == Some(Effect::Deny);
    if !condition.key.text.eq_ignore_ascii_case("s3:prefix")
        || operator.family != Family::String
        || deny == operator.negated
    {
        return;
    }
    report(
        ctx,
        statement,
        &condition.key,
        IssueCode::S3PrefixInNegativeContext,
        format!(
            "`s3:prefix` under `{}` in a {} statement can be bypassed with a shorter prefix",
            condition.operator.text,
            if deny { "Deny" } else { "Allow" }
        ),
        Some("allow the prefixes that may be listed instead of excluding some".to_owned()),
    );
}

// ---------------------------------------------------------------------------------------------
// The statement's keys against its actions

/// A service key must be supported by the statement's actions (listed on the action or on one
/// of its resource types); otherwise a condition that needs the key is never true for them.
/// Like Access Analyzer, only actions written without wildcards are judged, and `NotAction` is
/// left alone. Global keys are supported by every action. Conditions that hold when the key is
/// absent (`...IfExists`, negated operators, `ForAllValues:`, `Null` with `true`) only apply to
/// the actions that have the key, as AWS's Session Manager samples rely on
/// (`BoolIfExists ssm:SessionDocumentAccessCheck` beside `ssm:SendCommand`).
fn check_actions_support_keys<'c, 'a: 'c>(
    statement: &Statement<'_>,
    checked: impl Iterator<Item = Checked<'c, 'a>>,
    ctx: &mut Context<'_>,
) {
    if statement
        .action
        .as_ref()
        .is_none_or(|action| action.negated)
    {
        return;
    }
    // Listed only once a condition needs them: most statements have no such condition.
    let mut named: Option<Vec<reference::Action>> = None;
    // The keys reported, in lower case: a statement may repeat a key under many operators.
    let mut reported: FxHashSet<String> = FxHashSet::default();
    let mut has_wildcards: Option<bool> = None;
    for item in checked {
        let (Some(key), Some(operator)) = (item.key, item.operator) else {
            continue;
        };
        let name = item.condition.key.text;
        if key.is_global()
            || !fails_without_key(operator, item.condition)
            || reported.contains(&name.to_ascii_lowercase())
        {
            continue;
        }
        // Each action once, in the order written: each key is tested against every one.
        let named = named.get_or_insert_with(|| {
            let mut seen = FxHashSet::default();
            statement
                .actions
                .iter()
                .filter(|resolved| !resolved.wildcard && !resolved.everything)
                .flat_map(|resolved| resolved.actions.iter().copied())
                .filter(|action| seen.insert(*action))
                .collect()
        });
        if named.is_empty() {
            return;
        }
        reported.insert(name.to_ascii_lowercase());
        // STS authorizes a session's companion actions in the request of the `AssumeRole*`
        // action they come with: the key that request has, they have.
        let assumed = named
            .iter()
            .any(|action| is_assume_role(*action) && supports_condition_key(*action, name));
        let unsupported: Vec<reference::Action> = named
            .iter()
            .copied()
            .filter(|&action| {
                let companion = assumed && is_session_companion(action);
                !(companion || supports_condition_key(action, name))
            })
            .collect();
        if unsupported.is_empty() {
            continue;
        }
        let has_wildcards = *has_wildcards.get_or_insert_with(|| {
            statement.actions.iter().any(|resolved| resolved.wildcard)
                || !statement.actions_complete
        });
        let message = if unsupported.len() == named.len() && !has_wildcards {
            format!("no action of this statement supports condition key `{name}`")
        } else {
            format!(
                "condition key `{name}` is not supported by {}",
                backticked(&unsupported)
            )
        };
        // Removing actions from an Allow, or denying them in a statement of their own, never
        // widens what the policy allows.
        let help = if statement.effect == Some(Effect::Deny) {
            "this statement never denies them: deny them in a statement of their own, with a condition they support"
        } else {
            "this statement never allows them: remove them from it"
        };
        ctx.report_uncertain_entry(
            IssueCode::UnsupportedActionForConditionKey,
            &item.condition.key,
            Some(statement.index),
            message,
            Some(help.to_owned()),
        );
    }
}

/// `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`.
fn is_assume_role(action: reference::Action) -> bool {
    action.service().prefix() == "sts"
        && action
            .name()
            .get(.."AssumeRole".len())
            .is_some_and(|head| head.eq_ignore_ascii_case("AssumeRole"))
}

/// The actions a role trust policy allows beside `sts:AssumeRole*` for the same session:
/// passing session tags, a source identity, a trusted context.
fn is_session_companion(action: reference::Action) -> bool {
    action.service().prefix() == "sts"
        && ["TagSession", "SetSourceIdentity", "SetContext"]
            .iter()
            .any(|name| action.name().eq_ignore_ascii_case(name))
}

/// Whether the condition is false for a request without its key (so an action that never has
/// the key is never allowed, or never denied, by the statement).
pub(super) fn fails_without_key(operator: Operator, condition: &Condition<'_>) -> bool {
    if operator.if_exists {
        return false;
    }
    match (operator.family, operator.qualifier) {
        // `Null: false` asks for the key; `Null: true` holds without it.
        (Family::Null, _) => condition
            .values
            .iter()
            .any(|node| scalar_text(node).and_then(value::parse_bool) == Some(false)),
        (_, Some(SetQualifier::ForAllValues)) => false,
        (_, Some(SetQualifier::ForAnyValue)) => true,
        (_, None) => !operator.negated,
    }
}

/// Keys that AWS documents for actions whose reference entry does not list them:
/// `(key, actions)`, in lower case. AWS Marketplace's buyer guide filters `Subscribe` and
/// `Unsubscribe` by `aws-marketplace:ProductId` (and AWS's `ROSAManageSubscription` does so).
const SUPPORT_MISSING_FROM_REFERENCE: &[(&str, &[&str])] = &[(
    "aws-marketplace:productid",
    &["aws-marketplace:subscribe", "aws-marketplace:unsubscribe"],
)];

/// The reference's answer, completed by `SUPPORT_MISSING_FROM_REFERENCE`.
fn supports_condition_key(action: reference::Action, key: &str) -> bool {
    action.supports_condition_key(key)
        || SUPPORT_MISSING_FROM_REFERENCE
            .iter()
            .any(|(known, actions)| {
                known.eq_ignore_ascii_case(key)
                    && actions
                        .iter()
                        .any(|name| name.eq_ignore_ascii_case(&action.to_string()))
            })
}

/// An Allow that limits `dynamodb:Attributes` must also pin `dynamodb:Select` to
/// `SPECIFIC_ATTRIBUTES`, or a request can read every attribute without naming any.
fn check_dynamodb_attributes_with_select(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    let has_key = |name: &str| {
        statement
            .conditions
            .iter()
            .find(|condition| condition.key.text.eq_ignore_ascii_case(name))
    };
    if let (Some(attributes), None) = (has_key("dynamodb:Attributes"), has_key("dynamodb:Select")) {
        report(
            ctx,
            statement,
            &attributes.key,
            IssueCode::DynamodbAttributesWithoutSelect,
            "`dynamodb:Attributes` is limited but `dynamodb:Select` is not".to_owned(),
            Some(
                "add `\"StringEquals\": {\"dynamodb:Select\": \"SPECIFIC_ATTRIBUTES\"}`".to_owned(),
            ),
        );
    }
}

/// Keys that are only safe together with a companion key: `aws:VpcSourceIp` matches the same
/// private address in every VPC unless the VPC or endpoint is pinned too.
const PAIRED_KEYS: &[(&str, &[&str])] =
    &[("aws:VpcSourceIp", &["aws:SourceVpc", "aws:SourceVpce"])];

/// A key of `PAIRED_KEYS` used in an Allow without any of its companions.
fn check_paired_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    for (key, companions) in PAIRED_KEYS {
        let uses = |name: &str| {
            statement
                .conditions
                .iter()
                .find(|condition| condition.key.text.eq_ignore_ascii_case(name))
        };
        let Some(item) = uses(key) else {
            continue;
        };
        if companions.iter().any(|companion| uses(companion).is_some()) {
            continue;
        }
        let names: Vec<String> = companions.iter().map(|name| (*name).to_owned()).collect();
        report(
            ctx,
            statement,
            &item.key,
            IssueCode::MissingPairedConditionKeys,
            format!(
                "`{}` without {} matches the same address in every VPC",
                item.key.text,
                backticked(&names).replace(", ", " or ")
            ),
            Some(format!("add a condition on `{}`", companions[0])),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn report(
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
fn scalar_text<'a>(node: &'a Node<'_>) -> Option<&'a str> {
    match &node.value {
        Value::String(text) | Value::Number(text) => Some(text),
        Value::Bool(true) => Some("true"),
        Value::Bool(false) => Some("false"),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testing::statement;
    use super::super::{Context, action, advisory, grammar};
    use crate::IssueCode::{self, *};
    use crate::{Finding, Options, PolicyKind, parse};

    /// The findings of the condition and advisory rules alone on `text`: the view is built by
    /// the grammar and action rules, whose findings (like those of the other rules) are left
    /// out, so each test sees only what it is about.
    pub(in super::super) fn findings(text: &str, kind: Option<PolicyKind>) -> Vec<Finding> {
        let Ok(node) = parse::parse(text) else {
            unreachable!("test document is not JSON: {text}");
        };
        let options = Options::default();
        let kind = kind.unwrap_or_else(|| grammar::inferred_kind(&node));
        let mut view_ctx = Context::new(&options, kind);
        let mut document = grammar::check_document(&node, &mut view_ctx);
        let mut ctx = Context::new(&options, kind);
        let mut operators = Vec::new();
        for statement in &mut document.statements {
            let (actions, complete) = action::check_statement(statement, &mut view_ctx);
            statement.actions = actions;
            statement.actions_complete = complete;
            statement.condition_keys = super::check_statement(statement, &mut operators, &mut ctx);
        }
        advisory::check_document(&document, &mut ctx);
        ctx.finish()
    }

    pub(in super::super) fn codes(text: &str, kind: Option<PolicyKind>) -> Vec<IssueCode> {
        findings(text, kind)
            .into_iter()
            .map(|finding| finding.code)
            .collect()
    }

    /// The one finding with `code`.
    pub(in super::super) fn only(text: &str, kind: Option<PolicyKind>, code: IssueCode) -> Finding {
        let all = findings(text, kind);
        let mut matching = all.iter().filter(|finding| finding.code == code);
        match (matching.next(), matching.next()) {
            (Some(finding), None) => finding.clone(),
            _ => unreachable!("expected one {code:?} in {all:#?}"),
        }
    }

    /// The codes of an identity-policy statement `Allow` with `action` and `condition`.
    fn check(action: &str, condition: &str) -> Vec<IssueCode> {
        check_effect("Allow", action, condition)
    }

    fn check_effect(effect: &str, action: &str, condition: &str) -> Vec<IssueCode> {
        codes(
            &statement(&format!(
                r#""Effect": "{effect}", "Action": {action}, "Resource": "*", "Condition": {condition}"#
            )),
            None,
        )
    }

    const S3: &str = r#""s3:ListBucket""#;

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

    #[test]
    fn operator_must_exist() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEqual": {"s3:prefix": "a", "aws:SourceVpc": "vpc-1a2b3c4d"}}"#,
            ),
            None,
            InvalidConditionOperator,
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `StringEquals`?")
        );
        assert!(finding.path.ends_with("Condition.StringEqual"));
        assert!(
            check(S3, r#"{"stringlike": {"s3:prefix": "a"}}"#).contains(&InvalidConditionOperator)
        );
    }

    #[test]
    fn null_takes_no_if_exists_or_qualifier() {
        assert_eq!(
            check(S3, r#"{"NullIfExists": {"aws:SourceVpc": "true"}}"#),
            [NullWithIfExists]
        );
        assert_eq!(
            check(S3, r#"{"ForAnyValue:Null": {"aws:TagKeys": "true"}}"#),
            [NullWithQualifier]
        );
    }

    #[test]
    fn key_format_and_known_keys() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"SourceVpc": "vpc-1a2b3c4d"}}"#),
            [InvalidConditionKeyFormat]
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:SourceVcp": "vpc-1a2b3c4d"}}"#),
            [InvalidGlobalConditionKey]
        );
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTagg/team": "ops"}}"#,
            ),
            None,
            InvalidGlobalConditionKey,
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `aws:PrincipalTag/team`?")
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s3:prefixx": "a"}}"#),
            [InvalidServiceConditionKey]
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s4:prefix": "a"}}"#),
            [InvalidService]
        );
        // A key of a service retired since 2024 is named as such, a warning.
        assert_eq!(
            check(S3, r#"{"StringEquals": {"deepracer:UserToken": "a"}}"#),
            [RetiredService]
        );
        // So is a retired key of a current service.
        assert_eq!(
            check(S3, r#"{"StringEquals": {"omics:VariantStoreName": "a"}}"#),
            [RetiredConditionKey]
        );
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVcp": "vpc-1a2b3c4d"}}"#,
            ),
            None,
            InvalidGlobalConditionKey,
        );
        assert!(
            finding
                .help
                .is_some_and(|help| help.starts_with("did you mean `aws:Source"))
        );
        // Key names are case-insensitive.
        assert_eq!(
            check(S3, r#"{"StringEquals": {"AWS:sourcevpc": "vpc-1a2b3c4d"}}"#),
            []
        );
        // Claims of any OIDC provider are keys too.
        assert_eq!(
            check(
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:a:b"}}"#
            ),
            []
        );
    }

    #[test]
    fn aws_arn_is_unsupported_and_deprecated() {
        assert_eq!(
            check(
                S3,
                r#"{"ArnEquals": {"aws:ARN": "arn:aws:iam::123456789012:role/x"}}"#
            ),
            [UnsupportedGlobalConditionKey, DeprecatedGlobalConditionKey]
        );
    }

    #[test]
    fn aws_source_owner_is_deprecated() {
        // SNS's default topic policy still writes it.
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "sns:Publish", "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}"#,
            ),
            None,
            DeprecatedGlobalConditionKey,
        );
        assert_eq!(finding.help.as_deref(), Some("use `aws:SourceAccount`"));
        assert_eq!(
            check(
                r#""sns:Publish""#,
                r#"{"StringEquals": {"AWS:SourceOwner": "123456789012"}}"#
            ),
            [DeprecatedGlobalConditionKey]
        );
    }

    #[test]
    fn tag_keys_need_a_tag() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:ResourceTag": "x"}}"#),
            [MissingTagKeyInCondition]
        );
        assert_eq!(
            check(
                r#""ssm:StartSession""#,
                r#"{"StringEquals": {"ssm:resourceTag/": "x"}}"#
            ),
            [MissingTagKeyInCondition]
        );
    }

    /// JSON readers keep one of two equal names: each place of the repeat is reported.
    #[test]
    fn operators_and_keys_given_twice() {
        // The issue's policy: `aws:PrincipalOrgID` would vanish.
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "StringEquals": {"aws:username": "bob"}}"#
            ),
            [DuplicateConditionOperator, DuplicateConditionOperator]
        );
        // An empty block written last would replace the full one (the grammar, left out of
        // these findings, reports the empty block).
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "StringEquals": {}}"#
            ),
            [DuplicateConditionOperator, DuplicateConditionOperator]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:username": "bob", "aws:PrincipalOrgID": "o-f6g7h8i9j0"}}"#
            ),
            [DuplicateConditionKey, DuplicateConditionKey]
        );
        // Alike and in another case at once: both findings, each where it applies.
        let found = findings(
            &statement(&format!(
                r#""Effect": "Allow", "Action": {S3}, "Resource": "*", "Condition": {{"StringEquals": {{"aws:SourceVpc": "vpc-1a2b3c4d", "aws:sourcevpc": "vpc-2a2b3c4d", "aws:SourceVpc": "vpc-3a2b3c4d"}}}}"#
            )),
            None,
        );
        let found: Vec<(IssueCode, &str)> = found
            .iter()
            .map(|finding| (finding.code, finding.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    DuplicateConditionKey,
                    "condition key `aws:SourceVpc` is given twice under `StringEquals`: JSON readers keep only one of its values, and the other restrictions are lost"
                ),
                (
                    DuplicateKeysWithDifferentCase,
                    "condition key `aws:sourcevpc` repeats `aws:SourceVpc` under `StringEquals` (key names ignore case)"
                ),
                (
                    DuplicateKeysWithDifferentCase,
                    "condition key `aws:SourceVpc` repeats `aws:sourcevpc` under `StringEquals` (key names ignore case)"
                ),
                (
                    DuplicateConditionKey,
                    "condition key `aws:SourceVpc` is given twice under `StringEquals`: JSON readers keep only one of its values, and the other restrictions are lost"
                ),
            ]
        );
        // The same key under two operators is two conditions, both applied.
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:username": "bob"}, "StringLike": {"aws:username": "b*"}}"#
            ),
            []
        );
    }

    #[test]
    fn keys_differing_in_case_only() {
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d", "aws:sourcevpc": "vpc-2a2b3c4d"}}"#
            ),
            [DuplicateKeysWithDifferentCase]
        );
    }

    #[test]
    fn session_companions_have_the_keys_of_the_assume_role_request() {
        // Terraform's role modules: the trust actions with `sts:ExternalId`, `saml:sub`,
        // `sts:RoleSessionName`, each with its companion actions.
        for (actions, principal, key) in [
            (
                r#"["sts:AssumeRole", "sts:TagSession"]"#,
                r#"{"AWS": "arn:aws:iam::123456789012:root"}"#,
                "sts:ExternalId",
            ),
            (
                r#"["sts:AssumeRoleWithSAML", "sts:TagSession"]"#,
                r#"{"Federated": "arn:aws:iam::123456789012:saml-provider/idp"}"#,
                "saml:sub",
            ),
            (
                r#"["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]"#,
                r#"{"AWS": "arn:aws:iam::123456789012:root"}"#,
                "sts:RoleSessionName",
            ),
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": {actions}, "Condition": {{"StringEquals": {{"{key}": "x"}}}}}}]}}"#
            );
            let Ok(node) = parse::parse(&text) else {
                unreachable!("valid JSON")
            };
            let found: Vec<IssueCode> = crate::validate(
                &node,
                &Options {
                    kind: Some(PolicyKind::RoleTrust),
                    ..Options::default()
                },
            )
            .into_iter()
            .map(|finding| finding.code)
            .collect();
            assert!(
                !found.contains(&UnsupportedActionForConditionKey),
                "{actions} {key}: {found:?}"
            );
        }
        // Alone, a companion action is judged by its own keys.
        assert_eq!(
            check(
                r#""sts:TagSession""#,
                r#"{"StringEquals": {"sts:ExternalId": "x"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
    }

    #[test]
    fn an_unsupported_key_is_a_warning_whose_help_never_widens_the_policy() {
        let allow = statement(
            r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a*"}}"#,
        );
        let deny = allow.replace("\"Allow\"", "\"Deny\"");
        for (text, help) in [(allow, "remove them"), (deny, "deny them")] {
            let finding =
                super::super::testing::only(&text, None, UnsupportedActionForConditionKey);
            assert_eq!(finding.severity, crate::Severity::Warning);
            assert!(
                finding
                    .help
                    .as_deref()
                    .is_some_and(|found| found.contains(help)),
                "{:?}",
                finding.help
            );
            assert!(
                !finding
                    .help
                    .unwrap_or_default()
                    .contains("without this key")
            );
        }
    }

    #[test]
    fn actions_must_support_service_keys() {
        // `s3:prefix` belongs to ListBucket, not to GetObject.
        assert_eq!(
            check(
                r#"["s3:ListBucket", "s3:GetObject"]"#,
                r#"{"StringLike": {"s3:prefix": "home/*"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
        assert_eq!(
            check(
                r#""s3:GetObject""#,
                r#"{"StringLike": {"s3:prefix": "home/*"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
        // Keys of a resource type count: StartSession on an instance has ssm:resourceTag.
        assert_eq!(
            check(
                r#""ssm:StartSession""#,
                r#"{"StringEquals": {"ssm:resourceTag/a": "b"}}"#
            ),
            []
        );
        // Global keys go with every action; wildcard entries and NotAction are not judged.
        assert_eq!(
            check(
                r#""s3:GetObject""#,
                r#"{"StringEquals": {"aws:ResourceAccount": "123456789012"}}"#
            ),
            []
        );
        assert_eq!(
            check(r#""s3:Get*""#, r#"{"StringLike": {"s3:prefix": "home/*"}}"#),
            []
        );
        assert!(
            !codes(&statement(r#""Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a*"}}"#), None)
                .contains(&UnsupportedActionForConditionKey)
        );
        // The cross-service keys of the global-keys page go with every action too.
        assert_eq!(
            check(
                r#""s3:GetObject""#,
                r#"{"ArnEquals": {"lambda:SourceFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:f"}}"#
            ),
            []
        );
        // A condition that holds without the key does not stop the other actions.
        for condition in [
            r#"{"StringLikeIfExists": {"s3:prefix": "home/*"}}"#,
            r#"{"StringNotLike": {"s3:prefix": "home/*"}}"#,
            r#"{"ForAllValues:StringEquals": {"s3:prefix": "home/"}}"#,
            r#"{"Null": {"s3:prefix": "true"}}"#,
        ] {
            assert!(
                !check(r#"["s3:ListBucket", "s3:GetObject"]"#, condition)
                    .contains(&UnsupportedActionForConditionKey),
                "{condition}"
            );
        }
        assert_eq!(
            check(
                r#"["s3:ListBucket", "s3:GetObject"]"#,
                r#"{"Null": {"s3:prefix": "false"}}"#
            ),
            [UnsupportedActionForConditionKey]
        );
        // A gap of the reference that AWS documents.
        assert_eq!(
            check(
                r#""aws-marketplace:Subscribe""#,
                r#"{"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": "abc"}}"#
            ),
            []
        );
    }

    #[test]
    fn operator_family_fits_key_type() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"aws:SecureTransport": "true"}}"#,
            ),
            None,
            TypeMismatch,
        );
        assert_eq!(finding.help.as_deref(), Some("use a Bool operator"));
        assert_eq!(
            check(S3, r#"{"NumericLessThan": {"aws:SourceVpc": "3"}}"#),
            [TypeMismatch]
        );
        assert_eq!(
            check(
                S3,
                r#"{"DateGreaterThan": {"aws:EpochTime": "2026-01-01"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                S3,
                r#"{"NumericGreaterThan": {"aws:EpochTime": "1700000000"}}"#
            ),
            []
        );
        assert_eq!(
            check(S3, r#"{"Null": {"aws:SecureTransport": "false"}}"#),
            []
        );
        // ARN keys take ARN and String operators; StringLike lets `*` cross segments.
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/a"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/a"}}"#
            ),
            [StringLikeOperatorWithArnConditionKeys]
        );
    }

    #[test]
    fn boolean_values() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}"#,
            ),
            None,
            TypeMismatchBoolean,
        );
        assert!(finding.message.contains("`yes`"));
        assert_eq!(check(S3, r#"{"Bool": {"aws:SecureTransport": true}}"#), []);
        assert_eq!(
            check(
                S3,
                r#"{"Bool": {"aws:SecureTransport": ["true", "false"]}}"#
            ),
            [InvalidConditionMultipleBoolean]
        );
        assert_eq!(
            check(S3, r#"{"Null": {"aws:SourceVpc": "maybe"}}"#),
            [TypeMismatchBoolean]
        );
    }

    #[test]
    fn numeric_date_ip_binary_and_arn_values() {
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "an hour"}}"#
            ),
            [TypeMismatchNumber]
        );
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#
            ),
            []
        );
        assert_eq!(
            check(S3, r#"{"DateLessThan": {"aws:CurrentTime": "next year"}}"#),
            [TypeMismatchDate]
        );
        assert_eq!(
            check(S3, r#"{"DateLessThan": {"aws:CurrentTime": "2026-02-30"}}"#),
            [InvalidDateValue]
        );
        assert_eq!(
            check(
                S3,
                r#"{"DateLessThan": {"aws:CurrentTime": "2026-02-28T12:00:00Z"}}"#
            ),
            []
        );
        assert_eq!(
            check(S3, r#"{"IpAddress": {"aws:SourceIp": "203.0.113.300"}}"#),
            [TypeMismatchIpRange]
        );
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.5/24"]}}"#,
            ),
            None,
            ImproveIpRange,
        );
        assert_eq!(finding.help.as_deref(), Some("write `203.0.113.0/24`"));
        assert!(finding.path.ends_with("aws:SourceIp[0]"));
        // A value's path keeps its index in the array when an earlier item is no scalar.
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": [{}, "203.0.113.5/24"]}}"#,
            ),
            None,
            ImproveIpRange,
        );
        assert!(
            finding.path.ends_with("aws:SourceIp[1]"),
            "{}",
            finding.path
        );
        assert_eq!(
            check(S3, r#"{"BinaryEquals": {"aws:UserAgent": "not base64!"}}"#),
            [TypeMismatch, TypeMismatchString]
        );
        assert_eq!(
            check(S3, r#"{"ArnLike": {"aws:PrincipalArn": "role/admin"}}"#),
            [TypeMismatchArn]
        );
    }

    #[test]
    fn mixed_json_types() {
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:PrincipalAccount": ["123456789012", 210987654321]}}"#
            ),
            [InvalidConditionDataType]
        );
    }

    #[test]
    fn set_qualifiers() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:TagKeys": "a"}}"#),
            [MissingQualifier]
        );
        assert_eq!(
            check(S3, r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "a"}}"#),
            []
        );
        assert_eq!(
            check(
                S3,
                r#"{"ForAllValues:StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#
            ),
            [ForallvaluesWithSingleValuedKey]
        );
        assert_eq!(
            check(
                S3,
                r#"{"ForAnyValue:StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"ForAnyValue:StringEquals": {"accounts.google.com:aud": "x"}}"#
            ),
            [ForanyvalueWithAudienceClaimType]
        );
        assert_eq!(
            check(
                r#""sts:AssumeRoleWithWebIdentity""#,
                r#"{"ForAllValues:StringEquals": {"example.com:aud": "x"}}"#
            ),
            [ConfirmAudienceClaimType]
        );
    }

    #[test]
    fn variables_only_with_string_and_arn_operators() {
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:username}"}}"#
            ),
            [InvalidVariableForOperator]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}"#
            ),
            []
        );
    }

    #[test]
    fn wildcards() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s3:prefix": "home/*"}}"#),
            [WildcardWithoutLikeOperator]
        );
        assert_eq!(
            check(S3, r#"{"StringEquals": {"s3:prefix": "home/${*}"}}"#),
            []
        );
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:SourceAccount": "1234*"}}"#),
            [WildcardUsageTooPermissive]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringLike": {"aws:SourceAccount": "${aws:PrincipalAccount}*"}}"#
            ),
            [VariableUsageTooPermissive]
        );
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:userid": "*:alice"}}"#),
            [WildcardUsageTooPermissive]
        );
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}"#),
            []
        );
    }

    #[test]
    fn lone_wildcard_tests_presence() {
        assert_eq!(
            check(S3, r#"{"StringLike": {"aws:RequestTag/team": "*"}}"#),
            [EquivalentToNullFalse]
        );
        assert_eq!(
            check(S3, r#"{"StringNotLike": {"aws:RequestTag/team": "*"}}"#),
            [EquivalentToNullTrue]
        );
        assert_eq!(
            check(S3, r#"{"ForAnyValue:StringNotLike": {"aws:TagKeys": "*"}}"#),
            [RedundantStatementDueToWildcardInCondition]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringLikeIfExists": {"aws:RequestTag/team": "*"}}"#
            ),
            [RedundantKeyDueToWildcardInCondition]
        );
    }

    #[test]
    fn empty_value_arrays() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:SourceVpc": []}}"#),
            [EmptyArrayCondition]
        );
        assert_eq!(
            check(S3, r#"{"ForAllValues:StringEquals": {"aws:TagKeys": []}}"#),
            [EmptyArrayConditionForallvalues]
        );
        assert_eq!(
            check(S3, r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": []}}"#),
            [EmptyArrayConditionForanyvalue]
        );
        assert_eq!(
            check(S3, r#"{"StringEqualsIfExists": {"aws:SourceVpc": []}}"#),
            [EmptyArrayConditionIfexists]
        );
    }

    #[test]
    fn source_ip_private_ranges() {
        assert_eq!(
            check(
                S3,
                r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}"#
            ),
            [PrivateIpAddress]
        );
        assert_eq!(
            check(S3, r#"{"NotIpAddress": {"aws:SourceIp": "172.16.0.0/12"}}"#),
            [PrivateNotIpAddress]
        );
        assert_eq!(
            check(
                S3,
                r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#
            ),
            [PrivateIpAddressSubset]
        );
        assert_eq!(
            check(
                S3,
                r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#
            ),
            [PrivateNotIpAddressSubset]
        );
        assert_eq!(
            check(
                S3,
                r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#
            ),
            []
        );
    }

    #[test]
    fn service_principal_shapes() {
        use super::is_service_principal;
        for (text, min_labels, expected) in [
            ("ec2.amazonaws.com", 1, true),
            ("ec2.amazonaws.com", 2, false),
            ("s3.us-east-1.amazonaws.com", 2, true),
            ("elasticmapreduce.amazonaws.com.cn", 1, true),
            ("my-service.aws.internal", 1, true),
            ("", 1, false),
            (".", 1, false),
            (".amazonaws.com", 1, false),
            ("ec2..amazonaws.com", 1, false),
            ("ec2.amazonaws.com.", 1, false),
            ("EC2.amazonaws.com", 1, false),
            ("ec2_x.amazonaws.com", 1, false),
            ("ec2.example.com", 1, false),
        ] {
            assert_eq!(
                is_service_principal(text, min_labels),
                expected,
                "{text} {min_labels}"
            );
        }
    }

    #[test]
    fn well_known_value_shapes() {
        assert_eq!(
            check(S3, r#"{"StringEquals": {"aws:SourceVpc": "vpc-123"}}"#),
            [InvalidVpcFormat]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}"#
            ),
            [InvalidVpceFormat]
        );
        assert_eq!(
            check(
                S3,
                r#"{"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""kms:Decrypt""#,
                r#"{"StringEquals": {"kms:ViaService": "s3.amazonaws.com"}}"#
            ),
            [InvalidServicePrincipalFormat]
        );
        assert_eq!(
            check(
                r#""kms:Decrypt""#,
                r#"{"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""iam:PassRole""#,
                r#"{"StringEquals": {"iam:PassedToService": "EC2"}}"#
            ),
            [InvalidServicePrincipalFormat]
        );
        assert_eq!(
            check(
                r#""s3:PutObject""#,
                r#"{"ArnEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:123456789012:alias/a"}}"#
            ),
            [InvalidKmsKeyValue]
        );
        assert_eq!(
            check(
                r#""s3:PutObject""#,
                r#"{"ArnEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}"#
            ),
            []
        );
    }

    #[test]
    fn redundant_numeric_bounds() {
        assert_eq!(
            check(
                S3,
                r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}"#
            ),
            [RedundantConditionValueNum]
        );
    }

    #[test]
    fn s3_prefix_in_negative_context() {
        assert_eq!(
            check(S3, r#"{"StringNotLike": {"s3:prefix": "private/*"}}"#),
            [S3PrefixInNegativeContext]
        );
        assert_eq!(
            check_effect("Deny", S3, r#"{"StringLike": {"s3:prefix": "private/*"}}"#),
            [S3PrefixInNegativeContext]
        );
        assert_eq!(
            check_effect("Deny", S3, r#"{"StringNotLike": {"s3:prefix": "home/*"}}"#),
            []
        );
    }

    #[test]
    fn dynamodb_attributes_need_select() {
        let action = r#""dynamodb:GetItem""#;
        assert_eq!(
            check(
                action,
                r#"{"ForAllValues:StringEquals": {"dynamodb:Attributes": ["id"]}}"#
            ),
            [DynamodbAttributesWithoutSelect]
        );
        assert_eq!(
            check(
                action,
                r#"{"ForAllValues:StringEquals": {"dynamodb:Attributes": ["id"]}, "StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}"#
            ),
            []
        );
    }

    #[test]
    fn vpc_source_ip_needs_its_pair() {
        assert_eq!(
            check(S3, r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}"#),
            [MissingPairedConditionKeys]
        );
    }
}
