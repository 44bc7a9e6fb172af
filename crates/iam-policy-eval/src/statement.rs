//! Whether one statement applies to a request: its action, resource, principal and conditions,
//! as AWS's pages "IAM JSON policy elements" and "Condition operators" describe them.

use std::borrow::Cow;
use std::net::IpAddr;

use iam_policy_core::matching::{
    self, Family, Form, IpRange, Operator, SetQualifier, parse_bool, parse_date, parse_number,
};
use iam_policy_reference as reference;

use super::request::{FullContext, Principal, Request, is_account_id};
use iam_policy_core::model::{
    ConditionValue, Effect, OneOrMany, Principal as PrincipalElement, Statement,
};

/// How a statement's `Principal` names the request's principal, weakest first: what a
/// resource policy's `Allow` can grant on its own depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// The statement has no `Principal` (identity policies, SCPs, boundaries), or a
    /// `NotPrincipal` that leaves the principal out.
    Unnamed,
    /// The principal's account (`"123456789012"`, `arn:aws:iam::123456789012:root`): the
    /// account delegates to its identity policies.
    Account,
    /// Everyone: `"*"` or `{"AWS": "*"}`.
    Everyone,
    /// The role of a role session (`arn:aws:iam::123456789012:role/name`).
    Role,
    /// The principal itself: the user, the role session, the federated user, the service.
    Exactly,
}

/// The first condition of a statement that did not match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailedCondition {
    /// Index of the operator in `Condition`, in the order written.
    pub operator: usize,
    /// Index of the key under the operator.
    pub key: usize,
}

/// Why one statement did or did not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementMatch {
    pub effect: Effect,
    /// `Action` names the action (or `NotAction` does not).
    pub action: bool,
    /// `Resource` names the resource (or `NotResource` does not); true without either.
    pub resource: bool,
    /// How `Principal`/`NotPrincipal` names the principal; `None` when it does not.
    pub principal: Option<PrincipalMatch>,
    /// The condition that failed; `None` when every condition matched (or none was tried
    /// because an element before it did not match).
    pub failed_condition: Option<FailedCondition>,
}

impl StatementMatch {
    /// Whether the statement applies to the request.
    pub fn applies(&self) -> bool {
        self.action && self.resource && self.principal.is_some() && self.failed_condition.is_none()
    }
}

/// The request and its full context, as the statements read them.
pub(crate) struct Env<'r> {
    pub request: &'r Request,
    pub context: &'r FullContext<'r>,
    /// The request's action and resource hold no character a pattern treats specially (see
    /// [`is_literal`]), so a pattern that starts as they do has no wildcard or variable there.
    pub action_literal: bool,
    pub resource_literal: bool,
}

/// Evaluates one statement. Elements are tried in order and the first that does not match
/// ends the evaluation, so the explanation names the first reason. `variables`: whether the
/// policy resolves policy variables (`"Version": "2012-10-17"`; before it, and without a
/// `Version`, `${...}` is literal text, "IAM JSON policy elements: Version"). `attached`:
/// whether the policy is the resource's own, whose statements may leave out `Resource`.
pub(crate) fn evaluate(
    statement: &Statement,
    env: &Env<'_>,
    variables: bool,
    attached: bool,
) -> StatementMatch {
    // What IAM refuses to store but the engine is given all the same (a statement without
    // `Resource` outside a resource's own policy, an operator IAM does not know, both errors of
    // the lint) is read as narrowly as an `Allow` and as broadly as a `Deny`: a policy IAM
    // would refuse never allows more than any reading of it.
    let deny = statement.effect == Effect::Deny;
    let mut result = StatementMatch {
        effect: statement.effect,
        action: false,
        resource: false,
        principal: None,
        failed_condition: None,
    };
    result.action = match (&statement.action, &statement.not_action) {
        (Some(actions), _) => actions.iter().any(|a| action_matches_in(a, env)),
        (None, Some(actions)) => !actions.iter().any(|a| action_matches_in(a, env)),
        (None, None) => false,
    };
    if !result.action {
        return result;
    }
    result.resource = match (&statement.resource, &statement.not_resource) {
        (Some(resources), _) => resources
            .iter()
            .any(|r| resource_matches(r, env, variables)),
        (None, Some(resources)) => !resources
            .iter()
            .any(|r| resource_matches(r, env, variables)),
        // A role trust policy has no `Resource`: the policy's own resource is meant.
        (None, None) => attached || deny,
    };
    if !result.resource {
        return result;
    }
    result.principal = match (&statement.principal, &statement.not_principal) {
        (Some(principal), _) => principal_matches(principal, &env.request.principal),
        (None, Some(principal)) => (!principal_excludes(principal, &env.request.principal))
            .then_some(PrincipalMatch::Unnamed),
        (None, None) => Some(PrincipalMatch::Unnamed),
    };
    if result.principal.is_none() {
        return result;
    }
    if let Some(blocks) = &statement.condition {
        'blocks: for (operator_index, block) in blocks.iter().enumerate() {
            let operator = Operator::exact(&block.operator);
            for (key_index, entry) in block.entries.iter().enumerate() {
                let matched = match operator {
                    Some(operator) => condition_matches(
                        operator,
                        &entry.key,
                        &entry.values,
                        env.context,
                        variables,
                    ),
                    None => deny,
                };
                if !matched {
                    result.failed_condition = Some(FailedCondition {
                        operator: operator_index,
                        key: key_index,
                    });
                    break 'blocks;
                }
            }
        }
    }
    result
}

/// `Action`: `service:name` with IAM's wildcards, without case.
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    pattern == "*" || matching::wildcard_match_ignore_case(pattern, action)
}

/// [`action_matches`] for the request of `env`. The engine matches every statement against
/// one request, whose texts it checks once ([`is_literal`]), so most patterns are decided at
/// their first difference here; the same step inside the shared matcher, for texts not known
/// to be literal, cost the lint 6% more instructions (the redundancy rules match many pairs).
fn action_matches_in(pattern: &str, env: &Env<'_>) -> bool {
    let action = &env.request.action;
    if env.action_literal {
        let same = common_start_ignore_case(pattern.as_bytes(), action.as_bytes());
        if let Some(matched) = decided_at(pattern, action, same) {
            return matched;
        }
    }
    action_matches(pattern, action)
}

/// Whether `text` holds none of `*`, `?` and `$`: where a pattern starts as such a text does,
/// that start is plain characters, with no wildcard and no policy variable.
pub(crate) fn is_literal(text: &str) -> bool {
    // Every byte is looked at, with no early exit, so that the compiler tests many at a time:
    // a request's texts are short, and mostly literal.
    !(text.bytes()).fold(false, |found, byte| {
        found | (byte == b'*') | (byte == b'?') | (byte == b'$')
    })
}

/// The length of the longest common start of `a` and `b`, bytes compared with `same`.
fn common_start(a: &[u8], b: &[u8], same: impl Fn(&u8, &u8) -> bool) -> usize {
    a.iter().zip(b).take_while(|(a, b)| same(a, b)).count()
}

/// [`common_start`] without ASCII case. The bytes equal as written are passed first, by the
/// cheaper comparison: a policy mostly writes an action as the request does.
fn common_start_ignore_case(a: &[u8], b: &[u8]) -> usize {
    let exact = common_start(a, b, u8::eq);
    let (a, b) = (a.get(exact..), b.get(exact..));
    exact
        + common_start(
            a.unwrap_or_default(),
            b.unwrap_or_default(),
            u8::eq_ignore_ascii_case,
        )
}

/// Whether `pattern` matches the literal `text` (see [`is_literal`]) whose first `same` bytes
/// it starts with, when the first difference decides it: the pattern ends where the text does,
/// ends with a `*` there, or goes on with a plain character that differs. `None` for a `?`, a
/// `*` before more of the pattern or a `$` there, which the full matcher reads.
fn decided_at(pattern: &str, text: &str, same: usize) -> Option<bool> {
    let pattern = pattern.as_bytes();
    match pattern.get(same) {
        None => Some(same == text.len()),
        Some(b'*') if same + 1 == pattern.len() => Some(true),
        Some(b'*' | b'?' | b'$') => None,
        Some(_) => Some(false),
    }
}

/// `Resource`: IAM's wildcards with case; policy variables resolved first (a variable that
/// cannot be resolved makes the entry match nothing).
fn resource_matches(pattern: &str, env: &Env<'_>, variables: bool) -> bool {
    if pattern == "*" {
        return true;
    }
    if env.resource_literal {
        let resource = &env.request.resource;
        let same = common_start(pattern.as_bytes(), resource.as_bytes(), u8::eq);
        if let Some(matched) = decided_at(pattern, resource, same) {
            return matched;
        }
    }
    if !variables {
        return matching::wildcard_match(pattern, &env.request.resource);
    }
    match resolve(pattern, env.context, true) {
        Some(Resolved::Plain) => matching::wildcard_match(pattern, &env.request.resource),
        Some(Resolved::Units(units)) => units_like(&units, &env.request.resource),
        None => false,
    }
}

/// How the values of a `Principal` map name `principal`: the strongest way any value does.
fn principal_matches(element: &PrincipalElement, principal: &Principal) -> Option<PrincipalMatch> {
    let entries = match element {
        PrincipalElement::Any => return Some(PrincipalMatch::Everyone),
        PrincipalElement::Map(entries) => entries,
    };
    entries
        .iter()
        .flat_map(|entry| {
            entry
                .values
                .iter()
                .filter_map(|value| names(&entry.principal_type, value, principal))
        })
        .max()
}

/// How one value of a principal type names `principal`.
fn names(principal_type: &str, value: &str, principal: &Principal) -> Option<PrincipalMatch> {
    match (principal_type, principal) {
        (_, _) if value == "*" && principal_type != "CanonicalUser" => {
            Some(PrincipalMatch::Everyone)
        }
        ("Service" | "Federated", Principal::Service(name)) => value
            .eq_ignore_ascii_case(name)
            .then_some(PrincipalMatch::Exactly),
        ("AWS", _) => {
            if principal.arn() == Some(value) {
                // A request "by a role" is made by a session of it: naming the role is naming
                // the session's role.
                return Some(if matches!(principal, Principal::Role { .. }) {
                    PrincipalMatch::Role
                } else {
                    PrincipalMatch::Exactly
                });
            }
            let account = principal.account()?;
            if value == account || root_account(value) == Some(account) {
                return Some(PrincipalMatch::Account);
            }
            if let Principal::AssumedRole { role_arn, .. } = principal
                && same_role(value, role_arn)
            {
                return Some(PrincipalMatch::Role);
            }
            None
        }
        _ => None,
    }
}

/// The account of `arn:aws:iam::123456789012:root`.
fn root_account(value: &str) -> Option<&str> {
    let rest = value.strip_prefix("arn:")?;
    let mut fields = rest.splitn(5, ':');
    let (_, service, _, account, resource) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    (service == "iam" && resource == "root" && is_account_id(account)).then_some(account)
}

/// Whether a role ARN written with any path names the role `role_arn` (which has none: a
/// session's ARN does not carry its role's path).
fn same_role(value: &str, role_arn: &str) -> bool {
    let split = |arn: &str| {
        let (head, path) = arn.split_once(":role/")?;
        Some((head.to_owned(), path.rsplit('/').next()?.to_owned()))
    };
    value.contains(":iam::") && split(value).is_some_and(|named| split(role_arn) == Some(named))
}

/// `NotPrincipal` leaves a principal out only when it names every identity AWS evaluates for
/// it: the account, the role and the session of a role session ("AWS JSON policy elements:
/// NotPrincipal").
fn principal_excludes(element: &PrincipalElement, principal: &Principal) -> bool {
    let entries = match element {
        PrincipalElement::Any => return true,
        PrincipalElement::Map(entries) => entries,
    };
    let named: Vec<PrincipalMatch> = entries
        .iter()
        .flat_map(|entry| {
            entry
                .values
                .iter()
                .filter_map(|value| names(&entry.principal_type, value, principal))
        })
        .collect();
    if named.contains(&PrincipalMatch::Everyone) {
        return true;
    }
    let has = |level| named.contains(&level);
    match principal {
        Principal::Root { .. } => has(PrincipalMatch::Account),
        Principal::User { .. } | Principal::FederatedUser { .. } => {
            has(PrincipalMatch::Exactly) && has(PrincipalMatch::Account)
        }
        Principal::Role { .. } => has(PrincipalMatch::Role) && has(PrincipalMatch::Account),
        Principal::AssumedRole { .. } => {
            has(PrincipalMatch::Exactly)
                && has(PrincipalMatch::Role)
                && has(PrincipalMatch::Account)
        }
        Principal::Service(_) => has(PrincipalMatch::Exactly),
        Principal::Anonymous => false,
    }
}

/// A text of the policy with its variables resolved.
enum Resolved {
    /// No variable: the text as written.
    Plain,
    /// The text as characters and wildcards.
    Units(Vec<Unit>),
}

/// One unit of a resolved pattern: a character to compare, or a wildcard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Char(char),
    Star,
    One,
}

/// Whether `text` holds a `${`. Most texts hold no `$`: a byte search rules them out without a
/// substring searcher's set-up, which costs more than the whole search of a short text.
fn holds_variable(text: &str) -> bool {
    text.as_bytes().contains(&b'$') && text.contains("${")
}

/// Resolves the policy variables of `text` from `context` ("IAM policy elements: Variables
/// and tags"): `${key}` takes the key's value, `${key, 'default'}` the default when the key is
/// absent, `${*}`, `${?}` and `${$}` the character itself (never a wildcard). With
/// `wildcards`, a `*` or `?` written outside a variable is a wildcard. `None` when a variable
/// names an absent key without a default, a multivalued key, or is malformed: AWS then matches
/// nothing with the text.
fn resolve(text: &str, context: &FullContext<'_>, wildcards: bool) -> Option<Resolved> {
    if !holds_variable(text) {
        return Some(Resolved::Plain);
    }
    let mut units = Vec::with_capacity(text.len());
    let literal = |units: &mut Vec<Unit>, part: &str| {
        units.extend(part.chars().map(|c| match c {
            '*' if wildcards => Unit::Star,
            '?' if wildcards => Unit::One,
            c => Unit::Char(c),
        }));
    };
    let mut from = 0;
    for variable in matching::variables(text) {
        literal(&mut units, text.get(from..variable.start)?);
        from = variable.start + variable.text.len();
        match variable.form {
            Form::Literal(c) => units.push(Unit::Char(c)),
            Form::Key { key, default } => {
                let value = match (context.get(key.trim()), default) {
                    (Some(value), _) if value.len() == 1 => {
                        Cow::Borrowed(value.iter().next().unwrap_or_default())
                    }
                    (Some(_), Some(default)) | (None, Some(default)) => {
                        Cow::Owned(default.replace("''", "'"))
                    }
                    _ => return None,
                };
                units.extend(value.chars().map(Unit::Char));
            }
            Form::Invalid { .. } => return None,
        }
    }
    literal(&mut units, text.get(from..)?);
    Some(Resolved::Units(units))
}

fn units_like(units: &[Unit], text: &str) -> bool {
    let text: Vec<Unit> = text.chars().map(Unit::Char).collect();
    reference::wildcard_match_by(units, &text, Unit::Star, Unit::One, |a, b| a == b)
}

fn units_text(units: &[Unit]) -> String {
    units
        .iter()
        .map(|unit| match unit {
            Unit::Char(c) => *c,
            Unit::Star => '*',
            Unit::One => '?',
        })
        .collect()
}

/// Evaluates one key of a condition operator against the request context ("IAM JSON policy
/// elements: Condition operators", "Single-valued vs. multivalued context keys").
pub(crate) fn condition_matches(
    operator: Operator,
    key: &str,
    values: &OneOrMany<ConditionValue>,
    context: &FullContext<'_>,
    variables: bool,
) -> bool {
    let present = context.get(key).filter(|values| values.len() > 0);
    if operator.family == Family::Null {
        // `"Null": {"key": "true"}` holds when the key is absent (an empty list counts as
        // absent), `"false"` when it is present.
        return values.iter().any(|value| {
            parse_bool(&value_text(value)).is_some_and(|absent| absent == present.is_none())
        });
    }
    let Some(request_values) = present else {
        // An absent key (or an empty list): `...IfExists` and `ForAllValues` hold, `ForAnyValue`
        // does not, and a single-valued operator holds only when it is negated.
        return operator.if_exists
            || match operator.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => operator.negated,
            };
    };
    // Policy values with their variables resolved, once: most hold none, and are read as
    // written with no list of their own.
    let policy_values = if variables
        && operator.family.takes_variables()
        && values
            .iter()
            .any(|value| holds_variable(&value_text(value)))
    {
        let mut resolved_values = Vec::with_capacity(values.as_slice().len());
        for value in values {
            let text = value_text(value);
            match resolve(&text, context, operator.matches_wildcards()) {
                Some(resolved) => resolved_values.push((text, resolved)),
                // A variable that cannot be resolved: the whole key does not match.
                None => return false,
            }
        }
        PolicyValues::Resolved(resolved_values)
    } else {
        PolicyValues::Plain(values)
    };
    let mut readable = true;
    let mut positive = |request_value: &str| -> bool {
        match compare(operator, &policy_values, request_value) {
            Some(matched) => matched,
            None => {
                readable = false;
                false
            }
        }
    };
    // A negated operator holds for a request value that matches none of the policy's values.
    let matched = match operator.qualifier {
        Some(SetQualifier::ForAllValues) => request_values
            .iter()
            .all(|v| positive(v) != operator.negated),
        Some(SetQualifier::ForAnyValue) => request_values
            .iter()
            .any(|v| positive(v) != operator.negated),
        None if operator.negated => !request_values.iter().any(&mut positive),
        None => request_values.iter().any(&mut positive),
    };
    // A request value that cannot be read as the operator's type makes the key fail.
    matched && readable
}

/// A condition key's values in the policy, as they compare.
enum PolicyValues<'v> {
    /// None holds a variable (or the operator or the policy resolves none): as written.
    Plain(&'v OneOrMany<ConditionValue>),
    /// Each with its variables resolved.
    Resolved(Vec<(Cow<'v, str>, Resolved)>),
}

/// Whether `request_value` matches any of the policy's values under the positive form of
/// `operator`; `None` when the request value cannot be read as the operator's type.
fn compare(operator: Operator, policy_values: &PolicyValues<'_>, value: &str) -> Option<bool> {
    let base = positive_base(operator.base);
    let any = |test: &dyn Fn(&str, &Resolved) -> bool| match policy_values {
        PolicyValues::Plain(values) => values
            .iter()
            .any(|value| test(&value_text(value), &Resolved::Plain)),
        PolicyValues::Resolved(values) => {
            values.iter().any(|(text, resolved)| test(text, resolved))
        }
    };
    Some(match operator.family {
        Family::String => match base {
            "StringLike" => any(&|text, resolved| match resolved {
                Resolved::Plain => matching::wildcard_match(text, value),
                Resolved::Units(units) => units_like(units, value),
            }),
            "StringEqualsIgnoreCase" => any(&|text, resolved| {
                let text = plain(text, resolved);
                text.eq_ignore_ascii_case(value) || text.to_lowercase() == value.to_lowercase()
            }),
            _ => any(&|text, resolved| plain(text, resolved) == value),
        },
        Family::Arn => {
            if !value.starts_with("arn:") {
                return None;
            }
            any(&|text, resolved| arn_like(&plain(text, resolved), resolved, value))
        }
        Family::Numeric => {
            let number = parse_number(value)?;
            any(&|text, _| parse_number(text).is_some_and(|p| ordered(base, number, p)))
        }
        Family::Date => {
            let date = parse_date(value).or_else(|| parse_number(value))?;
            any(&|text, _| {
                parse_date(text)
                    .or_else(|| parse_number(text))
                    .is_some_and(|p| ordered(base, date, p))
            })
        }
        Family::Bool => {
            let flag = parse_bool(value)?;
            any(&|text, _| parse_bool(text) == Some(flag))
        }
        Family::Binary => any(&|text, _| text == value),
        Family::IpAddress => {
            let address: IpAddr = match value.parse() {
                Ok(address) => address,
                Err(_) => IpRange::parse(value)?.address,
            };
            any(&|text, _| IpRange::parse(text).is_some_and(|range| range.contains(address)))
        }
        Family::Null => false,
    })
}

/// The text a resolved value compares as, wildcards read as characters.
fn plain<'t>(text: &'t str, resolved: &Resolved) -> Cow<'t, str> {
    match resolved {
        Resolved::Plain => Cow::Borrowed(text),
        Resolved::Units(units) => Cow::Owned(units_text(units)),
    }
}

/// `ArnLike`/`ArnEquals` (the same match): the six colon-separated fields compared one by one,
/// each with IAM's wildcards; the resource field keeps its own colons.
fn arn_like(pattern: &str, resolved: &Resolved, arn: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Resolved::Units(units) = resolved
        && units
            .iter()
            .any(|unit| matches!(unit, Unit::Char('*' | '?')))
    {
        // A literal `*` from `${*}` must not become a wildcard again: match as units.
        return units_like(units, arn);
    }
    let mut pattern_fields = pattern.splitn(6, ':');
    let mut arn_fields = arn.splitn(6, ':');
    for _ in 0..6 {
        match (pattern_fields.next(), arn_fields.next()) {
            (Some(p), Some(a)) if matching::wildcard_match(p, a) => {}
            _ => return false,
        }
    }
    true
}

/// The operator a negated one negates (`StringNotLike` → `StringLike`).
fn positive_base(base: &str) -> &str {
    match base {
        "StringNotEquals" => "StringEquals",
        "StringNotEqualsIgnoreCase" => "StringEqualsIgnoreCase",
        "StringNotLike" => "StringLike",
        "NumericNotEquals" => "NumericEquals",
        "DateNotEquals" => "DateEquals",
        "NotIpAddress" => "IpAddress",
        "ArnNotEquals" => "ArnEquals",
        "ArnNotLike" => "ArnLike",
        other => other,
    }
}

/// Numeric and Date comparisons: the request's value on the left.
fn ordered(base: &str, request: f64, policy: f64) -> bool {
    match base
        .trim_start_matches("Numeric")
        .trim_start_matches("Date")
    {
        "Equals" => request == policy,
        "LessThan" => request < policy,
        "LessThanEquals" => request <= policy,
        "GreaterThan" => request > policy,
        "GreaterThanEquals" => request >= policy,
        _ => false,
    }
}

/// A condition value as the text IAM compares (JSON numbers and booleans as written).
pub(crate) fn value_text(value: &ConditionValue) -> Cow<'_, str> {
    match value {
        ConditionValue::String(text) | ConditionValue::Number(text) => Cow::Borrowed(text),
        ConditionValue::Bool(true) => Cow::Borrowed("true"),
        ConditionValue::Bool(false) => Cow::Borrowed("false"),
    }
}

#[cfg(test)]
mod tests {
    use super::{common_start, common_start_ignore_case, decided_at, is_literal};
    use iam_policy_core::matching;

    /// Where the first difference decides, it decides as the full matcher does, with and
    /// without case.
    #[test]
    fn a_match_decided_at_the_first_difference_is_the_full_matchers() {
        let patterns = [
            "",
            "*",
            "s3:*",
            "s3:Get*",
            "s3:get*",
            "s3:GetObject",
            "s3:GetObject*",
            "s3:Get?bject",
            "s3:*Object",
            "s3:G*t*",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/${aws:username}",
            "arn:aws:s3:::b\u{e9}*",
            "arn:aws:s3:::b\u{ea}",
            "s3:GetObjectX",
        ];
        let texts = [
            "",
            "s3:GetObject",
            "S3:getobject",
            "s3:Get",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::b\u{e9}x",
            "arn:aws:s3:::b\u{ea}",
        ];
        let mut decided = 0;
        for text in texts {
            assert!(is_literal(text), "{text}");
            for pattern in patterns {
                for ignore_case in [false, true] {
                    let same = if ignore_case {
                        common_start_ignore_case(pattern.as_bytes(), text.as_bytes())
                    } else {
                        common_start(pattern.as_bytes(), text.as_bytes(), u8::eq)
                    };
                    let full = if ignore_case {
                        matching::wildcard_match_ignore_case(pattern, text)
                    } else {
                        matching::wildcard_match(pattern, text)
                    };
                    if let Some(matched) = decided_at(pattern, text, same) {
                        decided += 1;
                        assert_eq!(
                            matched, full,
                            "{pattern} on {text}, ignore case {ignore_case}"
                        );
                    }
                }
            }
        }
        assert!(decided > 100, "{decided}");
        assert!(!is_literal("*") && !is_literal("a?") && !is_literal("${x}"));
    }
}
