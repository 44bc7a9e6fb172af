//! The rules, one module per part of the policy language. `check` runs them all and collects
//! every finding; no rule stops another.

mod action;
mod advisory;
mod arn;
mod condition;
mod grammar;
mod operator;
mod principal;
mod resource;
mod size;
mod value;
mod variable;

#[cfg(test)]
mod testing;

use crate::json::{Node, Span};
use crate::{Finding, IssueCode, Options, PolicyKind};
use iam_policy_reference::{Action, ResourceType};
use std::collections::HashMap;
use std::rc::Rc;

/// Collects the findings of one validation run.
pub(crate) struct Context<'o> {
    pub options: &'o Options,
    /// The kind in force: declared, or inferred from the presence of principals.
    pub kind: PolicyKind,
    findings: Vec<Finding>,
    /// The resource types each ARN looked up so far can name: a policy often repeats an ARN
    /// in several statements.
    arn_types: HashMap<String, Rc<[ResourceType]>>,
    /// The service last looked up by prefix: a policy's action entries mostly come in runs of
    /// one service.
    last_service: Option<iam_policy_reference::Service>,
}

impl<'o> Context<'o> {
    pub fn new(options: &'o Options, kind: PolicyKind) -> Self {
        Context {
            options,
            kind,
            findings: Vec::new(),
            arn_types: HashMap::new(),
            last_service: None,
        }
    }

    /// [`iam_policy_reference::service`], remembering the last service found.
    pub fn service(&mut self, prefix: &str) -> Option<iam_policy_reference::Service> {
        if let Some(service) = self.last_service
            && service.prefix().eq_ignore_ascii_case(prefix)
        {
            return Some(service);
        }
        let found = iam_policy_reference::service(prefix);
        self.last_service = found.or(self.last_service);
        found
    }

    /// [`iam_policy_reference::resource_types_for_arn`], once per ARN text and document.
    /// Shared, as a policy's ARNs mostly name types of their own service only and so are
    /// used as they are.
    pub fn resource_types_for_arn(&mut self, arn: &str) -> Rc<[ResourceType]> {
        // One hash per look-up: most ARNs are looked up once. Room for a document's usual
        // count of ARNs from the start, rather than rehashing as the map grows.
        if self.arn_types.capacity() == 0 {
            self.arn_types.reserve(16);
        }
        self.arn_types
            .entry(arn.to_owned())
            .or_insert_with(|| iam_policy_reference::resource_types_for_arn(arn).into())
            .clone()
    }

    /// Records a finding about one literal of the policy.
    pub fn report_entry(
        &mut self,
        code: IssueCode,
        entry: &Entry<'_>,
        statement: Option<usize>,
        message: String,
        help: Option<String>,
    ) {
        self.report(code, entry.span, &entry.path, statement, message, help);
    }

    /// The findings that are not waived, in source order.
    fn finish(self) -> Vec<Finding> {
        let waivers = &self.options.waivers;
        let mut findings: Vec<Finding> = self
            .findings
            .into_iter()
            .filter(|finding| {
                !waivers.iter().any(|waiver| {
                    waiver.code == finding.code
                        && (waiver.statement.is_none() || waiver.statement == finding.statement)
                })
            })
            .collect();
        findings.sort_by_key(|finding| (finding.span.start, finding.span.end));
        findings
    }
    /// Records a finding with the code's own severity.
    pub fn report(
        &mut self,
        code: IssueCode,
        span: Span,
        path: &str,
        statement: Option<usize>,
        message: String,
        help: Option<String>,
    ) {
        self.findings.push(Finding {
            code,
            severity: code.severity(),
            message,
            help,
            span,
            path: path.to_owned(),
            statement,
        });
    }
}

/// The document with its elements picked out of the JSON tree, built by the grammar rules.
/// Elements that are malformed are reported there and left out (`None` or empty) here, so the
/// other rules only see well-shaped input.
pub(crate) struct Document<'a> {
    pub node: &'a Node,
    /// `Version`, when it is a string.
    pub version: Option<&'a str>,
    pub statements: Vec<Statement<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

/// One statement of the document.
pub(crate) struct Statement<'a> {
    /// Index in `Statement` (0 when `Statement` is a single object).
    pub index: usize,
    /// JSON path of the statement, e.g. `Statement[2]`.
    pub path: String,
    pub node: &'a Node,
    pub sid: Option<Entry<'a>>,
    pub effect: Option<Effect>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<PrincipalElement<'a>>,
    /// `Action` or `NotAction`.
    pub action: Option<ListElement<'a>>,
    /// `Resource` or `NotResource`.
    pub resource: Option<ListElement<'a>>,
    /// Every `operator: { key: values }` of `Condition`, in source order.
    pub conditions: Vec<Condition<'a>>,
    /// What each entry of `action` names in the reference, filled in by the action rules
    /// before the principal, resource, variable and condition rules run. Entries that name
    /// nothing (unknown, retired, malformed) are left out.
    pub actions: Vec<ResolvedAction>,
    /// True when every entry of `action` resolved, so `actions` is the statement's whole list.
    pub actions_complete: bool,
}

impl Statement<'_> {
    /// True when `Action` (not `NotAction`) is written and has a `"*"` entry.
    pub fn allows_every_action(&self) -> bool {
        self.actions.iter().any(|resolved| resolved.everything)
    }

    /// Every reference action the statement's `Action` entries name (duplicates possible);
    /// empty for `NotAction`. Does not list the actions of a `"*"` entry.
    pub fn named_actions(&self) -> impl Iterator<Item = Action> + '_ {
        let negated = self.action.as_ref().is_some_and(|action| action.negated);
        self.actions
            .iter()
            .filter(move |_| !negated)
            .flat_map(|resolved| resolved.actions.iter().copied())
    }
}

/// One `Action`/`NotAction` entry resolved against the reference.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedAction {
    /// Index of the entry in `ListElement::entries`.
    pub entry: usize,
    /// The entry is `"*"`: every action of every service. `actions` is left empty rather
    /// than listing all of them.
    pub everything: bool,
    /// The entry holds `*` or `?`.
    pub wildcard: bool,
    /// The actions the entry names, sorted.
    pub actions: Vec<Action>,
}

/// A string literal of the policy and where it is.
#[derive(Clone, Debug)]
pub(crate) struct Entry<'a> {
    pub text: &'a str,
    pub span: Span,
    /// JSON path, e.g. `Statement[0].Action[1]`.
    pub path: String,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: one string or an array of strings.
pub(crate) struct ListElement<'a> {
    /// True for the `Not...` form.
    pub negated: bool,
    /// The element name as written, e.g. `NotAction`.
    pub name_span: Span,
    pub node: &'a Node,
    pub entries: Vec<Entry<'a>>,
}

/// `Principal`/`NotPrincipal`.
pub(crate) struct PrincipalElement<'a> {
    pub negated: bool,
    pub name_span: Span,
    pub node: &'a Node,
    /// `"*"` written as the whole element.
    pub wildcard: bool,
    /// `(principal type, values)`, e.g. `("AWS", [..])`, `("Service", [..])`.
    pub entries: Vec<(Entry<'a>, Vec<Entry<'a>>)>,
}

/// One `key: values` pair under one operator of `Condition`.
pub(crate) struct Condition<'a> {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: Entry<'a>,
    /// The condition key as written, e.g. `ssm:resourceTag/Finance`.
    pub key: Entry<'a>,
    /// The node holding the values (a scalar or an array).
    pub values_node: &'a Node,
    /// The values, each a string, number or boolean node.
    pub values: Vec<&'a Node>,
}

pub(crate) fn check(document: &Node, options: &Options) -> Vec<Finding> {
    // Declared `{name}` placeholders are checked with a typical value of their kind; spans
    // are kept, so findings still point at the literal as written.
    let substituted;
    let document = if options.parameters.is_empty() {
        document
    } else {
        substituted = crate::parameter::substitute_examples(document, &options.parameters);
        &substituted
    };
    let kind = options
        .kind
        .unwrap_or_else(|| grammar::inferred_kind(document));
    let mut ctx = Context::new(options, kind);
    let mut doc = grammar::check_document(document, &mut ctx);
    for statement in &mut doc.statements {
        let (actions, complete) = action::check_statement(statement, &mut ctx);
        statement.actions = actions;
        statement.actions_complete = complete;
        principal::check_statement(statement, &mut ctx);
        resource::check_statement(statement, &mut ctx);
        variable::check_statement(statement, doc.version, &mut ctx);
        condition::check_statement(statement, &mut ctx);
    }
    variable::check_document(&doc, &mut ctx);
    advisory::check_document(&doc, &mut ctx);
    size::check_document(document, &mut ctx);
    ctx.finish()
}

/// "did you mean `x`?" for the best suggestion, if any.
pub(crate) fn did_you_mean(candidate: Option<&str>) -> Option<String> {
    candidate.map(|name| format!("did you mean `{name}`?"))
}

/// A JSON path step: `.Key` or `[index]`.
pub(crate) fn path_index(parent: &str, index: Option<usize>) -> String {
    // Built by hand: every entry of every policy gets a path, and `format!` costs several
    // times more than the copy.
    let mut path = String::with_capacity(parent.len() + 8);
    path.push_str(parent);
    if let Some(index) = index {
        push_index(&mut path, index);
    }
    path
}

/// The path of member `key` under `parent`: `Statement[0].Action`.
pub(crate) fn path_member(parent: &str, key: &str) -> String {
    let mut path = String::with_capacity(parent.len() + 1 + key.len());
    path.push_str(parent);
    path.push('.');
    path.push_str(key);
    path
}

/// Appends `[index]` to `path`.
pub(crate) fn push_index(path: &mut String, index: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = index;
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            // `rest % 10` is below 10, so the cast keeps it whole.
            *digit = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    path.push('[');
    for &digit in digits.get(start..).unwrap_or_default() {
        path.push(char::from(digit));
    }
    path.push(']');
}

#[cfg(test)]
mod tests {
    use crate::{Options, Parameter, ParameterKind, parse};

    #[test]
    fn declared_parameters_are_checked_with_examples() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}"}}"#;
        let Ok(node) = parse::parse(text) else {
            unreachable!("valid JSON")
        };
        let bare = crate::validate(&node, &Options::default());
        assert!(
            !bare.is_empty(),
            "the placeholders are no Region or account"
        );
        let parameters = [
            ("region", ParameterKind::Region),
            ("account-id", ParameterKind::AccountId),
            ("instance-id", ParameterKind::InstanceId),
        ]
        .map(|(name, kind)| Parameter {
            name: name.to_owned(),
            kind,
        });
        let options = Options {
            parameters: parameters.to_vec(),
            ..Options::default()
        };
        let found = crate::validate(&node, &options);
        assert!(found.is_empty(), "{found:?}");
    }
}
