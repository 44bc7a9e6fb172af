//! Policy variables: `${aws:username}`, with a default `${aws:PrincipalTag/team, 'none'}`,
//! and the escapes `${*}`, `${?}`, `${$}`. Well-formed, naming a single-valued key, only in
//! the resource part of `Resource`/`NotResource` ARNs and in `Condition` values, and only with
//! `"Version": "2012-10-17"`.
//!
//! The condition rules use [`scan`] to report variables under operators that do not resolve
//! them (`INVALID_VARIABLE_FOR_OPERATOR`); every other check of condition values' variables
//! is made here, once.

use super::{Context, Document, Path, Statement, arn, did_you_mean};
use crate::IssueCode;
use crate::bytes::holds_either;
use crate::element;
use crate::json::{Node, Span, Value};
use iam_policy_reference as reference;
use std::borrow::Cow;
use std::fmt;

/// One `${...}` of a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable<'a> {
    /// Byte offset of the `$` in the string.
    pub start: usize,
    /// The whole variable as written, e.g. `${aws:username, 'none'}`.
    pub text: &'a str,
    pub form: Form<'a>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form<'a> {
    /// A condition key, with the default value between its quotes if one is given.
    Key {
        key: &'a str,
        default: Option<&'a str>,
    },
    /// `${*}`, `${?}` or `${$}`: the character itself.
    Literal(char),
    /// Malformed: the code and what is wrong.
    Invalid { code: IssueCode, problem: String },
}

/// True when `text` holds something that starts a variable.
pub(crate) fn has_variable(text: &str) -> bool {
    variable_start(text).is_some()
}

/// The offset of the first `${` in `text`. Every string of the policy is searched and few hold
/// a `$`: a word-at-a-time test for it settles most of them, cheaper than a substring
/// searcher's set-up.
fn variable_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !holds_either(bytes, b'$', b'$') {
        return None;
    }
    let mut from = 0;
    while let Some(offset) = bytes.get(from..)?.iter().position(|&byte| byte == b'$') {
        let dollar = from + offset;
        if bytes.get(dollar + 1) == Some(&b'{') {
            return Some(dollar);
        }
        from = dollar + 1;
    }
    None
}

/// Every variable of `text`, in order, malformed ones included.
pub fn scan(text: &str) -> Vec<Variable<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(variable_start) {
        let start = from + offset;
        let body_start = start + 2;
        let rest = text.get(body_start..).unwrap_or_default();
        let close = rest.find('}');
        let reopen = variable_start(rest);
        match close {
            Some(close) if reopen.is_none_or(|reopen| reopen > close) => {
                let body = rest.get(..close).unwrap_or_default();
                let end = body_start + close + 1;
                found.push(Variable {
                    start,
                    text: text.get(start..end).unwrap_or_default(),
                    form: form(body),
                });
                from = end;
            }
            _ => {
                // No `}` before the next `${` or the end: this one is never closed.
                let end = reopen.map_or(text.len(), |reopen| body_start + reopen);
                found.push(Variable {
                    start,
                    text: text.get(start..end).unwrap_or_default(),
                    form: Form::Invalid {
                        code: IssueCode::MissingBraceInVariable,
                        problem: "has no closing `}`".to_owned(),
                    },
                });
                from = end;
            }
        }
    }
    found
}

fn form(body: &str) -> Form<'_> {
    match body {
        "" => {
            return Form::Invalid {
                code: IssueCode::EmptyVariable,
                problem: "names no condition key".to_owned(),
            };
        }
        "*" => return Form::Literal('*'),
        "?" => return Form::Literal('?'),
        "$" => return Form::Literal('$'),
        _ => {}
    }
    let (key, default) = match body.split_once(',') {
        Some((key, default)) => (key, Some(default)),
        None => (body, None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Form::Invalid {
            code: IssueCode::UnsupportedSpaceInVariable,
            problem: "has a space in its key (spaces are allowed only inside the quoted default)"
                .to_owned(),
        };
    }
    let default = match default {
        None => None,
        Some(default) => {
            let quoted = default.trim_start();
            match quoted
                .strip_prefix('\'')
                .and_then(|inner| inner.strip_suffix('\''))
            {
                Some(inner) if quoted.len() >= 2 => Some(inner),
                _ => {
                    return Form::Invalid {
                        code: IssueCode::MissingQuoteInVariable,
                        problem: "has a default value that is not in single quotes".to_owned(),
                    };
                }
            }
        }
    };
    Form::Key { key, default }
}

/// Checks every variable of a string found where IAM resolves variables: well-formed, a known
/// single-valued key, and a `2012-10-17` policy.
fn check_text(
    variables: &[Variable<'_>],
    skip_before: usize,
    span: Span,
    path: &dyn fmt::Display,
    statement: Option<usize>,
    version: Option<&str>,
    ctx: &mut Context<'_>,
) {
    let mut version_reported = false;
    for variable in variables
        .iter()
        .filter(|variable| variable.start >= skip_before)
    {
        if version != Some("2012-10-17") && !version_reported {
            version_reported = true;
            ctx.report(
                IssueCode::VariableUnsupportedInVersion,
                span,
                path,
                statement,
                format!(
                    "`{}` is a policy variable only with `\"Version\": \"2012-10-17\"`; otherwise it is plain text",
                    variable.text
                ),
                Some("set `\"Version\": \"2012-10-17\"`".to_owned()),
            );
        }
        match &variable.form {
            Form::Literal(_) => {}
            Form::Invalid { code, problem } => ctx.report(
                *code,
                span,
                path,
                statement,
                format!("the policy variable `{}` {problem}", variable.text),
                Some("write `${aws:username}` or `${aws:PrincipalTag/team, 'default'}`".to_owned()),
            ),
            Form::Key { key, .. } => check_key(key, variable.text, span, path, statement, ctx),
        }
    }
}

fn check_key(
    key: &str,
    written: &str,
    span: Span,
    path: &dyn fmt::Display,
    statement: Option<usize>,
    ctx: &mut Context<'_>,
) {
    if let Some(found) = reference::condition_key(key) {
        if !found.can_be_policy_variable() {
            ctx.report(
                IssueCode::MultivaluedKeyInVariable,
                span,
                path,
                statement,
                format!("`{key}` holds a list of values, so it cannot be a policy variable in `{written}`"),
                Some("use a single-valued key, or test the key in `Condition` with `ForAnyValue:`".to_owned()),
            );
        }
        return;
    }
    let Some((prefix, _)) = key.split_once(':') else {
        let suggestions = ctx.suggest(|| crate::suggest::suggest_condition_key(key));
        ctx.report(
            IssueCode::InvalidConditionKeyFormat,
            span,
            path,
            statement,
            format!(
                "`{key}` in `{written}` is not a condition key: keys are written `prefix:name`"
            ),
            did_you_mean(suggestions.first().map(String::as_str)),
        );
        return;
    };
    // Keys of an OIDC or SAML provider are named after its domain (`accounts.google.com:sub`,
    // `token.actions.githubusercontent.com:sub`): any provider may be trusted.
    if prefix.contains('.') {
        return;
    }
    let code = if prefix.eq_ignore_ascii_case("aws") {
        IssueCode::InvalidGlobalConditionKey
    } else if reference::retired_service(prefix) {
        IssueCode::RetiredService
    } else if reference::retired_condition_key(key).is_some() {
        IssueCode::RetiredConditionKey
    } else if reference::service(prefix).is_none() {
        IssueCode::InvalidService
    } else {
        IssueCode::InvalidServiceConditionKey
    };
    let message = if matches!(
        code,
        IssueCode::RetiredService | IssueCode::RetiredConditionKey
    ) {
        format!("`{key}` in `{written}` was retired: it is in the 2024 reference but not any more")
    } else {
        format!("`{key}` in `{written}` is not a condition key")
    };
    let suggestions = ctx.suggest(|| crate::suggest::suggest_condition_key(key));
    ctx.report(
        code,
        span,
        path,
        statement,
        message,
        did_you_mean(suggestions.first().map(String::as_str)),
    );
}

fn unsupported_in_element(
    span: Span,
    path: &dyn fmt::Display,
    statement: Option<usize>,
    element: &str,
    ctx: &mut Context<'_>,
) {
    ctx.report(
        IssueCode::VariableUnsupportedInElement,
        span,
        path,
        statement,
        format!("policy variables are not resolved in {element}"),
        Some(
            "use variables only in the resource part of `Resource` ARNs and in `Condition` values"
                .to_owned(),
        ),
    );
}

pub(crate) fn check_statement(
    statement: &Statement<'_>,
    version: Option<&str>,
    ctx: &mut Context<'_>,
) {
    if !statement.may_hold_variable {
        return;
    }
    let Value::Object(members) = &statement.node.value else {
        return;
    };
    let at = Some(statement.index);
    for member in members {
        let path = statement.path.member(&member.key);
        if has_variable(&member.key) {
            unsupported_in_element(member.key_span, &path, at, "element names", ctx);
        }
        let trail = Trail::Root(path);
        match &*member.key {
            element::RESOURCE | element::NOT_RESOURCE => {
                walk(&member.value, &trail, &mut |node, path, text| {
                    // Only after the fifth colon; a non-ARN is reported by the ARN rules.
                    let Some(resource_start) = arn::resource_start(text) else {
                        return;
                    };
                    let variables = scan(text);
                    if variables
                        .iter()
                        .any(|variable| variable.start < resource_start)
                    {
                        unsupported_in_element(
                            node.span,
                            path,
                            at,
                            "the partition, service, Region or account of an ARN",
                            ctx,
                        );
                    }
                    check_text(
                        &variables,
                        resource_start,
                        node.span,
                        path,
                        at,
                        version,
                        ctx,
                    );
                });
            }
            element::CONDITION => condition(&member.value, path, at, version, ctx),
            element => {
                walk(&member.value, &trail, &mut |node, path, _| {
                    unsupported_in_element(node.span, path, at, &format!("`{element}`"), ctx);
                });
            }
        }
    }
}

/// Condition values resolve variables (whether their operator does is the condition rules'
/// business); operator names and condition keys do not.
fn condition(
    node: &Node<'_>,
    path: Path<'_>,
    at: Option<usize>,
    version: Option<&str>,
    ctx: &mut Context<'_>,
) {
    let Value::Object(operators) = &node.value else {
        return;
    };
    for operator in operators {
        let operator_path = path.member(&operator.key);
        if has_variable(&operator.key) {
            unsupported_in_element(
                operator.key_span,
                &operator_path,
                at,
                "condition operators",
                ctx,
            );
        }
        let Value::Object(keys) = &operator.value.value else {
            continue;
        };
        for key in keys {
            let key_path = operator_path.member(&key.key);
            if has_variable(&key.key) {
                unsupported_in_element(key.key_span, &key_path, at, "condition keys", ctx);
            }
            walk(
                &key.value,
                &Trail::Root(key_path),
                &mut |node, path, text| {
                    check_text(&scan(text), 0, node.span, path, at, version, ctx);
                },
            );
        }
    }
}

/// The path to a node being walked: a statement element or condition key, then the members
/// and indexes below it, linked on the stack and rendered only for a finding.
enum Trail<'t> {
    Root(Path<'t>),
    Member(&'t Trail<'t>, &'t str),
    Index(&'t Trail<'t>, usize),
}

impl fmt::Display for Trail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trail::Root(path) => path.fmt(f),
            Trail::Member(parent, name) => write!(f, "{parent}.{name}"),
            Trail::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Calls `found` for every string (value or object key) of `node` that holds `${`.
fn walk(node: &Node<'_>, trail: &Trail<'_>, found: &mut dyn FnMut(&Node<'_>, &Trail<'_>, &str)) {
    match &node.value {
        Value::String(text) if has_variable(text) => found(node, trail, text),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                // Strings, the usual entries, are tested here rather than in a call each.
                match &item.value {
                    Value::String(text) => {
                        if has_variable(text) {
                            found(item, &Trail::Index(trail, index), text);
                        }
                    }
                    _ => walk(item, &Trail::Index(trail, index), found),
                }
            }
        }
        Value::Object(members) => {
            for member in members {
                let trail = Trail::Member(trail, &member.key);
                if has_variable(&member.key) {
                    let key = Node {
                        value: Value::String(member.key.clone()),
                        span: member.key_span,
                    };
                    found(&key, &trail, &member.key);
                }
                walk(&member.value, &trail, found);
            }
        }
        _ => {}
    }
}

/// `Id` never resolves variables.
pub(crate) fn check_document(doc: &Document<'_>, ctx: &mut Context<'_>) {
    let Value::Object(members) = &doc.node.value else {
        return;
    };
    for member in members.iter().filter(|member| member.key == element::ID) {
        let trail = Trail::Root(Path::DOCUMENT.member(&Cow::Borrowed("Id")));
        walk(&member.value, &trail, &mut |node, path, _| {
            unsupported_in_element(node.span, path, None, "`Id`", ctx);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, only, statement};
    use super::*;
    use crate::IssueCode as C;

    #[test]
    fn scanner_forms() {
        let found = scan("a${aws:username}b${*}${aws:PrincipalTag/team, 'company wide'}${?}${$}");
        let forms: Vec<&Form<'_>> = found.iter().map(|variable| &variable.form).collect();
        assert_eq!(
            forms,
            vec![
                &Form::Key {
                    key: "aws:username",
                    default: None
                },
                &Form::Literal('*'),
                &Form::Key {
                    key: "aws:PrincipalTag/team",
                    default: Some("company wide")
                },
                &Form::Literal('?'),
                &Form::Literal('$'),
            ]
        );
        assert_eq!(found[0].start, 1);
        assert_eq!(found[0].text, "${aws:username}");
        assert!(scan("no variables, $ and { alone").is_empty());
    }

    #[test]
    fn scanner_problems() {
        let code = |text: &str| match scan(text).first().map(|variable| &variable.form) {
            Some(Form::Invalid { code, .. }) => Some(*code),
            _ => None,
        };
        assert_eq!(code("${aws:username"), Some(C::MissingBraceInVariable));
        assert_eq!(
            code("${aws:username/${aws:userid}"),
            Some(C::MissingBraceInVariable)
        );
        assert_eq!(code("${}"), Some(C::EmptyVariable));
        assert_eq!(
            code("${aws: username}"),
            Some(C::UnsupportedSpaceInVariable)
        );
        assert_eq!(
            code("${aws:username, none}"),
            Some(C::MissingQuoteInVariable)
        );
        assert_eq!(
            code("${aws:username, 'none}"),
            Some(C::MissingQuoteInVariable)
        );
        assert_eq!(code("${aws:username, ''}"), None);
        // The second variable after an unclosed one is still found.
        assert_eq!(scan("${a${aws:userid}").len(), 2);
    }

    fn resource(arn: &str) -> String {
        statement(&format!(
            r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "{arn}""#
        ))
    }

    #[test]
    fn variables_in_resources() {
        assert!(codes(&resource("arn:aws:s3:::bucket/${aws:username}/*"), None).is_empty());
        assert!(
            codes(
                &resource("arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'x'}/${*}"),
                None
            )
            .is_empty()
        );
        let finding = only(
            &resource("arn:aws:s3:::bucket/${aws:usernam}"),
            None,
            C::InvalidGlobalConditionKey,
        );
        assert_eq!(
            finding.message,
            "`aws:usernam` in `${aws:usernam}` is not a condition key"
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `aws:username`?")
        );
        assert_eq!(
            codes(&resource("arn:aws:s3:::bucket/${aws:TagKeys}"), None),
            vec![C::MultivaluedKeyInVariable]
        );
        assert_eq!(
            codes(&resource("arn:aws:s3:::bucket/${aws:username"), None),
            vec![C::MissingBraceInVariable]
        );
        assert_eq!(
            codes(
                &resource("arn:aws:s3:${aws:RequestedRegion}::bucket/*"),
                None
            ),
            vec![C::VariableUnsupportedInElement]
        );
        assert_eq!(
            codes(&resource("arn:aws:s3:::bucket/${nosuchservice:key}"), None),
            vec![C::InvalidService]
        );
        assert!(
            codes(
                &resource("arn:aws:s3:::bucket/${accounts.google.com:sub}"),
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn documented_variables_are_known() {
        for variable in [
            "${aws:username}",
            "${aws:userid}",
            "${aws:PrincipalTag/team}",
            "${aws:SourceIdentity}",
            "${saml:sub}",
            "${ec2:SourceInstanceARN}",
            "${cognito-identity.amazonaws.com:sub}",
            "${www.amazon.com:user_id}",
            "${aws:PrincipalAccount}",
        ] {
            let found = codes(
                &resource(&format!("arn:aws:s3:::bucket/{variable}/*")),
                None,
            );
            assert!(found.is_empty(), "{variable}: {found:?}");
        }
    }

    #[test]
    fn variables_outside_resources_and_conditions() {
        let doc = statement(
            r#""Sid": "A", "Effect": "Allow", "Action": "s3:${aws:username}", "Resource": "*""#,
        );
        assert!(codes(&doc, None).contains(&C::VariableUnsupportedInElement));
        let doc = statement(
            r#""Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket", "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}"#,
        );
        assert!(codes(&doc, None).is_empty());
        let doc = statement(
            r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/${aws:username}": "x"}}"#,
        );
        assert!(codes(&doc, None).contains(&C::VariableUnsupportedInElement));
    }

    #[test]
    fn variables_in_parts_the_grammar_leaves_out_are_found() {
        // The grammar tells which statements hold no variable; whatever it reports as malformed
        // and leaves out of its view must still be searched.
        for elements in [
            r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Extra": {"a": ["${aws:username}"]}"#,
            r#""Effect": "Allow", "Action": ["s3:GetObject", {"a": "${aws:username}"}], "Resource": "*""#,
            r#""Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:${aws:username}", "Resource": "*""#,
            r#""Effect": "Allow", "Effect": "${aws:username}", "Action": "s3:GetObject", "Resource": "*""#,
            r#""Effect": "Allow", "Principal": {"AWS": [{"a": "${aws:username}"}]}, "Action": "s3:GetObject", "Resource": "*""#,
            r#""Effect": "Allow", "Principal": {"Users": "${aws:username}"}, "Action": "s3:GetObject", "Resource": "*""#,
            r#""Effect": "Allow", "Principal": "${aws:username}", "Action": "s3:GetObject", "Resource": "*""#,
            r#""Sid": ["${aws:username}"], "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*""#,
        ] {
            let found = codes(&statement(elements), None);
            assert!(
                found.contains(&C::VariableUnsupportedInElement),
                "{elements}: {found:?}"
            );
        }
        // A variable in a condition value left out as malformed is still checked.
        for values in [r#"[{"a": "${aws:usernam}"}]"#, r#"[["${aws:usernam}"]]"#] {
            let doc = statement(&format!(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {{"StringLike": {{"s3:prefix": {values}}}}}"#
            ));
            assert!(
                codes(&doc, None).contains(&C::InvalidGlobalConditionKey),
                "{values}"
            );
        }
    }

    #[test]
    fn variables_need_the_2012_version() {
        let doc = r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/${aws:userid}"}}"#;
        let finding = only(doc, None, C::VariableUnsupportedInVersion);
        assert_eq!(finding.path, "Statement.Resource");
        let doc = r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"}}"#;
        assert_eq!(
            codes(doc, None),
            vec![C::MissingVersion, C::VariableUnsupportedInVersion]
        );
    }
}
