//! The rules, one module per part of the policy language. `check` runs them all and collects
//! every finding; no rule stops another.
//!
//! The checks that one module runs from another are `#[inline]`: modules fall into different
//! codegen units, and these run once per statement or condition, as when they shared a module.

mod action;
mod arn;
mod condition;
mod condition_key;
mod condition_key_support;
mod condition_operator;
mod condition_value;
mod escalation;
mod grammar;
pub(crate) mod operator;
mod principal;
mod rcp;
mod redundancy;
mod resource;
mod size;
mod tags;
mod trust;
pub(crate) mod value;
pub(crate) mod variable;

#[cfg(test)]
mod testing;

use crate::bytes::holds_either;
pub(crate) use grammar::inferred_kind;

use crate::json::{Member, Node, Span, Value};
use crate::order::sorted_positions;
use crate::{Finding, IssueCode, Options, PolicyKind, Severity};
use iam_policy_reference::Action;
use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Collects the findings of one validation run.
pub(crate) struct Context<'o> {
    pub options: &'o Options,
    /// The kind in force: declared, or inferred from the presence of principals.
    pub kind: PolicyKind,
    findings: Vec<Finding>,
    /// How many more did-you-mean searches the document may make ([`Context::suggest`]).
    suggestions_left: usize,
}

/// The did-you-mean searches of one document: each measures a name against up to thousands of
/// names, so a document of a hundred thousand unknown names would take minutes. Past the first
/// thousand, unknown names are reported without a suggestion.
const SUGGESTIONS_PER_DOCUMENT: usize = 1_000;

impl<'o> Context<'o> {
    pub fn new(options: &'o Options, kind: PolicyKind) -> Self {
        Context {
            options,
            kind,
            findings: Vec::new(),
            suggestions_left: SUGGESTIONS_PER_DOCUMENT,
        }
    }

    /// The suggestions `search` finds, while the document has searches left; none after.
    pub fn suggest<T>(&mut self, search: impl FnOnce() -> Vec<T>) -> Vec<T> {
        match self.suggestions_left.checked_sub(1) {
            Some(left) => {
                self.suggestions_left = left;
                search()
            }
            None => Vec::new(),
        }
    }

    /// How many findings were reported so far.
    pub fn finding_count(&self) -> usize {
        self.findings.len()
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
        self.report(code, entry.span, entry.path, statement, message, help);
    }

    /// [`Self::report_entry`] for a verdict that rests on data with known gaps (the reference's
    /// per-action lists, loosely documented ARN formats): at most a warning, whatever the
    /// code's own severity, since a false error breaks a build.
    pub fn report_uncertain_entry(
        &mut self,
        code: IssueCode,
        entry: &Entry<'_>,
        statement: Option<usize>,
        message: String,
        help: Option<String>,
    ) {
        self.report_entry(code, entry, statement, message, help);
        self.last_is_uncertain();
    }

    /// Lowers the finding reported last to a warning at most (see
    /// [`Self::report_uncertain_entry`]).
    pub fn last_is_uncertain(&mut self) {
        if let Some(finding) = self.findings.last_mut() {
            finding.severity = finding.severity.max(Severity::Warning);
        }
    }

    /// The findings that are not waived, in source order; a waiver of a code that cannot be
    /// waived has no effect.
    fn finish(self) -> Vec<Finding> {
        let waivers = &self.options.waivers;
        let findings: Vec<Finding> = self
            .findings
            .into_iter()
            .filter(|finding| {
                !finding.code.is_waivable()
                    || !waivers.iter().any(|waiver| {
                        waiver.code == finding.code
                            && (waiver.statement.is_none() || waiver.statement == finding.statement)
                    })
            })
            .collect();
        // By span; findings at the same span in the order they were reported. Mostly they
        // were reported in that order already.
        let span = |finding: &Finding| (finding.span.start, finding.span.end);
        if findings.is_sorted_by_key(span) {
            return findings;
        }
        let span_at = |position: usize| findings.get(position).map(span);
        let order = sorted_positions(findings.len(), &|a, b| span_at(a).cmp(&span_at(b)));
        let mut findings: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
        order
            .iter()
            .filter_map(|&position| findings.get_mut(position)?.take())
            .collect()
    }
    /// Records a finding with the code's own severity. The path is rendered here, so only
    /// the literals that have a finding pay for their JSON path.
    pub fn report(
        &mut self,
        code: IssueCode,
        span: Span,
        path: impl fmt::Display,
        statement: Option<usize>,
        message: String,
        help: Option<String>,
    ) {
        self.findings.push(Finding {
            code,
            severity: code.severity(),
            message: crate::finding::shorten_quotes(message),
            help: help.map(crate::finding::shorten_quotes),
            span,
            path: path.to_string(),
            statement,
        });
    }
}

/// The document with its elements picked out of the JSON tree, built by the grammar rules.
/// Elements that are malformed are reported there and left out (`None` or empty) here, so the
/// other rules only see well-shaped input.
pub(crate) struct Document<'a> {
    pub node: &'a Node<'a>,
    /// `Version`, when it is a string.
    pub version: Option<&'a str>,
    pub statements: Vec<Statement<'a>>,
}

pub(crate) use crate::Effect;

/// One statement of the document.
pub(crate) struct Statement<'a> {
    /// Index in `Statement` (0 when `Statement` is a single object).
    pub index: usize,
    /// Where the statement is: `Statement[2]`, or `Statement` when it is a single object.
    pub path: Path<'a>,
    pub node: &'a Node<'a>,
    /// `Sid`, when it is a non-empty string ([`Statement::sid`]): its member rather than an
    /// entry, which is seven times larger, so that the statements of most policies fit a small
    /// block of the allocator.
    pub sid_member: Option<&'a Member<'a>>,
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
    pub actions: ResolvedActions,
    /// True when every entry of `action` resolved, so `actions` is the statement's whole list.
    pub actions_complete: bool,
    /// False when the grammar read every member name and string of the statement and none
    /// holds `${`: the variable rules then have nothing to look at.
    pub may_hold_variable: bool,
    /// True when `Condition` is an object of two or more operators: only then can an operator
    /// be repeated.
    pub several_operators: bool,
    /// True when every member names a statement element, none but `Sid` is written twice and
    /// no exclusive pair is written whole: the view is then the same for the same members
    /// (`Sid` aside) in any order, so statements can be told apart by their views.
    pub elements_well_formed: bool,
}

impl<'a> Statement<'a> {
    /// `Sid`, when it is a non-empty string.
    pub fn sid(&self) -> Option<Entry<'a>> {
        let member = self.sid_member?;
        match &member.value.value {
            Value::String(text) => Some(Entry {
                text,
                span: member.value.span,
                path: self.path.member(&member.key),
            }),
            _ => None,
        }
    }

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
    pub actions: NamedActions,
}

/// The actions of one entry: most entries name one action, and most wildcards a run of the
/// reference's table (`ec2:Describe*`), both kept without an allocation.
#[derive(Clone, Debug)]
pub(crate) enum NamedActions {
    One(Action),
    List(Cow<'static, [Action]>),
}

impl std::ops::Deref for NamedActions {
    type Target = [Action];

    fn deref(&self) -> &[Action] {
        match self {
            NamedActions::One(action) => std::slice::from_ref(action),
            NamedActions::List(actions) => actions,
        }
    }
}

/// A string literal of the policy and where it is.
#[derive(Clone, Debug)]
pub(crate) struct Entry<'a> {
    pub text: &'a str,
    pub span: Span,
    /// Where it is, e.g. `Statement[0].Action[1]`.
    pub path: Path<'a>,
}

/// Where a literal is in the document, as borrowed names and indexes: a finding renders it to
/// its JSON path (`Statement[0].Condition.StringEquals.aws:username[1]`); the thousands of
/// literals without a finding never build one. Names are borrowed as the document's member
/// keys (thin references, half the size of a `&str`): an entry with its path is 56 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Path<'a> {
    /// `Statement[root]`, or `DOCUMENT_ROOT` (the path is empty or starts with a top-level
    /// element) or `SINGLE_STATEMENT` (`Statement` written as a single object). Sentinels
    /// rather than an enum, so that the path every entry carries is 32 bytes.
    root: u32,
    /// A final `[index]`: an entry of an array; `NO_INDEX` for none.
    index: u32,
    /// The member names after the root, the used ones first. Three is the deepest the
    /// grammar nests below a statement (`Condition`, operator, condition key).
    names: [Option<&'a Cow<'a, str>>; 3],
}

/// No array has this many items: its source would be longer than a 32-bit span reaches.
const NO_INDEX: u32 = u32::MAX;
/// The roots that are not a statement of the `Statement` array, which cannot have this many
/// items either.
const DOCUMENT_ROOT: u32 = u32::MAX;
const SINGLE_STATEMENT: u32 = u32::MAX - 1;

impl<'a> Path<'a> {
    /// The document itself: the empty path.
    pub const DOCUMENT: Path<'static> = Path {
        root: DOCUMENT_ROOT,
        index: NO_INDEX,
        names: [None; 3],
    };

    /// The statement at `index` of the `Statement` array, or the single statement object.
    pub fn statement(index: Option<usize>) -> Self {
        Path {
            root: index.map_or(SINGLE_STATEMENT, |index| {
                array_index(index).min(SINGLE_STATEMENT - 1)
            }),
            ..Path::DOCUMENT
        }
    }

    /// Member `name` of this one: `Statement[0].Action`. A name the rules write themselves
    /// is passed as `&Cow::Borrowed("Action")`, a constant.
    pub fn member(self, name: &'a Cow<'a, str>) -> Self {
        let mut path = self;
        if let Some(slot) = path.names.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some(name);
        }
        path
    }

    /// Entry `index` of this array, or this path itself for a value written without an array.
    pub fn at(self, index: Option<usize>) -> Self {
        Path {
            index: index.map_or(NO_INDEX, array_index),
            ..self
        }
    }
}

/// An index of an array as a path keeps it: as 32 bits, so that the path every entry carries
/// is smaller. Spans are 32-bit offsets, so no array written in a policy has more items.
fn array_index(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut dot = true;
        match self.root {
            DOCUMENT_ROOT => dot = false,
            SINGLE_STATEMENT => f.write_str("Statement")?,
            index => write!(f, "Statement[{index}]")?,
        }
        for name in self.names.iter().map_while(|name| *name) {
            if dot {
                f.write_char('.')?;
            }
            // A member name can be megabytes long: only its start is shown, as in messages.
            match name.char_indices().nth(crate::finding::QUOTE_LIMIT) {
                Some((end, _)) => {
                    f.write_str(name.get(..end).unwrap_or_default())?;
                    f.write_char('…')?;
                }
                None => f.write_str(name)?,
            }
            dot = true;
        }
        if self.index != NO_INDEX {
            write!(f, "[{}]", self.index)?;
        }
        Ok(())
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: one string or an array of strings.
pub(crate) struct ListElement<'a> {
    /// True for the `Not...` form.
    pub negated: bool,
    /// The element name as written, e.g. `NotAction`.
    pub name_span: Span,
    /// One entry (`Entries::One`) for a string, a list for an array.
    pub entries: Entries<'a>,
}

/// The strings of a list element or of a principal type. Most `Resource` elements and many
/// others are one string, kept without an allocation.
pub(crate) type Entries<'a> = OneOrList<Entry<'a>>;

/// What the entries of `Action` resolve to, in order: most lists have one entry.
pub(crate) type ResolvedActions = OneOrList<ResolvedAction>;

/// Items of which there is mostly one, kept without an allocation then; a slice.
#[derive(Debug)]
pub(crate) enum OneOrList<T> {
    One(T),
    List(Vec<T>),
}

impl<T> Default for OneOrList<T> {
    fn default() -> Self {
        OneOrList::List(Vec::new())
    }
}

impl<T> std::ops::Deref for OneOrList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            OneOrList::One(item) => std::slice::from_ref(item),
            OneOrList::List(items) => items,
        }
    }
}

impl<'e, T> IntoIterator for &'e OneOrList<T> {
    type Item = &'e T;
    type IntoIter = std::slice::Iter<'e, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// `Principal`/`NotPrincipal`.
pub(crate) struct PrincipalElement<'a> {
    pub negated: bool,
    pub name_span: Span,
    pub node: &'a Node<'a>,
    /// `"*"` written as the whole element.
    pub wildcard: bool,
    /// `(principal type, values)`, e.g. `("AWS", [..])`, `("Service", [..])`.
    pub entries: Vec<(Entry<'a>, Entries<'a>)>,
}

/// One `key: values` pair under one operator of `Condition`.
pub(crate) struct Condition<'a> {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: Entry<'a>,
    /// The condition key as written, e.g. `ssm:resourceTag/Finance`.
    pub key: Entry<'a>,
    /// The node holding the values (a scalar or an array).
    pub values_node: &'a Node<'a>,
    /// The values, each a string, number or boolean node.
    pub values: ConditionValues<'a>,
}

/// The values of a condition: the scalar nodes of its values node, in order.
pub(crate) enum ConditionValues<'a> {
    /// Every node is a scalar (the usual case): the array's items or the single value, kept
    /// without an allocation.
    All(&'a [Node<'a>]),
    /// The scalars among the items of an array that also holds other nodes, each with its
    /// index in the array.
    Scalars(Vec<(usize, &'a Node<'a>)>),
}

impl<'a> ConditionValues<'a> {
    pub fn iter(&self) -> ConditionValuesIter<'_, 'a> {
        let (all, scalars): (&[Node<'a>], &[(usize, &Node<'a>)]) = match self {
            ConditionValues::All(all) => (all, &[]),
            ConditionValues::Scalars(scalars) => (&[], scalars),
        };
        let value_of: for<'x> fn(&'x (usize, &'a Node<'a>)) -> &'a Node<'a> = |&(_, node)| node;
        all.iter().chain(scalars.iter().map(value_of))
    }

    /// Each value with its index in the values array (0 for a single value), for JSON paths.
    pub fn indexed(&self) -> impl Iterator<Item = (usize, &'a Node<'a>)> + '_ {
        let (all, scalars): (&[Node<'a>], &[(usize, &Node<'a>)]) = match self {
            ConditionValues::All(all) => (all, &[]),
            ConditionValues::Scalars(scalars) => (&[], scalars),
        };
        all.iter().enumerate().chain(scalars.iter().copied())
    }

    pub fn len(&self) -> usize {
        match self {
            ConditionValues::All(all) => all.len(),
            ConditionValues::Scalars(scalars) => scalars.len(),
        }
    }

    pub fn first(&self) -> Option<&'a Node<'a>> {
        match self {
            ConditionValues::All(all) => all.first(),
            ConditionValues::Scalars(scalars) => scalars.first().map(|&(_, node)| node),
        }
    }
}

/// The nodes of [`ConditionValues`]: one of the two parts is empty.
pub(crate) type ConditionValuesIter<'v, 'a> = std::iter::Chain<
    std::slice::Iter<'a, Node<'a>>,
    std::iter::Map<
        std::slice::Iter<'v, (usize, &'a Node<'a>)>,
        for<'x> fn(&'x (usize, &'a Node<'a>)) -> &'a Node<'a>,
    >,
>;

impl<'v, 'a> IntoIterator for &'v ConditionValues<'a> {
    type Item = &'a Node<'a>;
    type IntoIter = ConditionValuesIter<'v, 'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Runs every rule. `text_length` is the length of the text the document was parsed from, when
/// it was: the size rule's bound.
// `iam-policy-core`'s `model::read` runs the rules through it.
#[doc(hidden)]
pub fn check(
    document: &Node<'_>,
    options: &Options,
    mut text_length: Option<usize>,
) -> Vec<Finding> {
    // Declared `{name}` placeholders are checked with a typical value of their kind; spans
    // are kept, so findings still point at the literal as written.
    let substituted;
    let document = if options.parameters.is_empty() {
        document
    } else {
        substituted = crate::parameter::substitute_examples(document, &options.parameters);
        // A typical value may be longer than its placeholder: the text no longer bounds the size.
        text_length = None;
        &substituted
    };
    let kind = crate::policy_kind(document, options);
    let mut ctx = Context::new(options, kind);
    let mut doc = grammar::check_document(document, &mut ctx);
    let mut arns = arn::DocumentArns::default();
    for statement in &mut doc.statements {
        let (actions, complete) = action::check_statement(statement, &mut ctx);
        statement.actions = actions;
        statement.actions_complete = complete;
        principal::check_statement(statement, &mut ctx);
        resource::check_statement(statement, &mut arns, &mut ctx);
        variable::check_statement(statement, doc.version, &mut ctx);
        condition::check_statement(statement, &mut ctx);
    }
    variable::check_document(&doc, &mut ctx);
    check_whole_statements(&doc, &mut ctx);
    size::check_document(document, text_length, &mut ctx);
    ctx.finish()
}

/// The rules that look at a statement as a whole, once its elements are read, then at the
/// document: privilege escalation, redundancy, tag keys, trust and resource control policies.
fn check_whole_statements(document: &Document<'_>, ctx: &mut Context<'_>) {
    let guarded = escalation::guarded_actions();
    let mut lists = redundancy::RedundantActionLists::default();
    for statement in &document.statements {
        escalation::check_guarded_actions(statement, guarded, ctx);
        redundancy::check_redundant_actions(statement, &mut lists, ctx);
        redundancy::check_redundant_resources(statement, ctx);
        resource::check_wildcard_in_service_name(statement, ctx);
        tags::check_tag_keys_supported(statement, ctx);
        trust::check_service_principal_restricted(statement, ctx);
        trust::check_service_principal_weak_keys(statement, ctx);
        trust::check_identity_provider_conditions(statement, ctx);
        trust::check_redundant_session_principals(statement, ctx);
        rcp::check_rcp_principal_guards(statement, ctx);
    }
    redundancy::check_redundant_statements(document, ctx);
}

/// True when the statement has a condition on `key` (case-insensitive, as IAM compares keys).
#[inline]
fn has_condition_key(statement: &Statement<'_>, key: &str) -> bool {
    statement
        .conditions
        .iter()
        .any(|condition| condition.key.text.eq_ignore_ascii_case(key))
}

/// The first and last of sorted actions.
#[inline]
fn bounds(actions: &[Action]) -> Option<(Action, Action)> {
    actions.first().copied().zip(actions.last().copied())
}

/// Lists up to this long are compared entry by entry: nearly every real statement's, and then
/// cheaper than the sorting, hashing and indexes that keep longer lists near-linear.
pub(crate) const PAIRWISE_UP_TO: usize = 16;

/// True when `text` holds `*` or `?`.
pub(crate) fn holds_wildcard(text: &str) -> bool {
    holds_either(text.as_bytes(), b'*', b'?')
}

/// The names in backticks, separated by commas: at most [`LISTED`] of them, then how many more.
pub(crate) fn backticked(names: &[impl std::fmt::Display]) -> String {
    let mut listed = names
        .iter()
        .take(LISTED)
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > LISTED {
        listed.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    listed
}

/// The most names a message lists: a statement may name thousands of actions.
const LISTED: usize = 10;

/// "did you mean `x`?" for the best suggestion, if any.
pub(crate) fn did_you_mean(candidate: Option<&str>) -> Option<String> {
    crate::suggest::did_you_mean(candidate.as_slice())
}

#[cfg(test)]
mod tests {
    use super::Path;
    use crate::{Options, Parameter, ParameterKind, parse};
    use std::borrow::Cow;

    /// The allocator serves blocks up to 1 KiB from its per-size free lists; the statements of
    /// a policy of three (most policies have a few) fit one.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn three_statements_fit_a_small_block() {
        assert!(3 * std::mem::size_of::<super::Statement<'_>>() <= 1024);
    }

    #[test]
    fn paths_render_as_json_paths() {
        assert_eq!(Path::DOCUMENT.to_string(), "");
        assert_eq!(
            Path::DOCUMENT.member(&Cow::Borrowed("Version")).to_string(),
            "Version"
        );
        assert_eq!(Path::statement(None).to_string(), "Statement");
        assert_eq!(
            Path::statement(None)
                .member(&Cow::Borrowed("Action"))
                .at(Some(2))
                .to_string(),
            "Statement.Action[2]"
        );
        let key = Path::statement(Some(13))
            .member(&Cow::Borrowed("Condition"))
            .member(&Cow::Borrowed("StringLike"))
            .member(&Cow::Borrowed("aws:userid"));
        assert_eq!(
            key.at(Some(0)).to_string(),
            "Statement[13].Condition.StringLike.aws:userid[0]"
        );
        assert_eq!(key.at(None), key);
    }

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
