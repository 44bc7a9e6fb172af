//! The IAM JSON policy grammar: which elements exist, which are required, their JSON types.
//! Builds the statement view the other rules read; whatever is malformed is reported here
//! and left out of the view.
//!
//! A duplicated element (`"Effect"` twice in one statement) is `INVALID_POLICY_ELEMENT`: the
//! text is well-formed JSON, so it is no `JSON_SYNTAX_ERROR`, but JSON readers keep only one
//! of the two values, so the policy IAM stores is not the one that was written.

use super::variable::has_variable;
use super::{
    Condition, ConditionValues, Context, Document, Effect, Entries, Entry, ListElement, Path,
    PrincipalElement, ResolvedActions, Statement, did_you_mean,
};
use crate::json::{Member, Node, Value};
use crate::{IssueCode, PolicyKind};
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::element::{
    self, IN_STATEMENT as STATEMENT_ELEMENTS, PRINCIPAL_TYPES, TOP_LEVEL as TOP_LEVEL_ELEMENTS,
};

// Slots of `STATEMENT_ELEMENTS`: a statement's members are told apart by slot once their name
// is found, rather than by comparing names again.
const SID: usize = 0;
const EFFECT: usize = 1;
const PRINCIPAL: usize = 2;
const NOT_PRINCIPAL: usize = 3;
const ACTION: usize = 4;
const NOT_ACTION: usize = 5;
const RESOURCE: usize = 6;
const NOT_RESOURCE: usize = 7;

/// The kind of an undeclared document: an identity policy when no statement has `Principal` or
/// `NotPrincipal`; else a role trust policy when no statement has `Resource` or `NotResource`
/// and every action is one a role trust policy grants (`sts:AssumeRole*` with the session's
/// companions), a resource policy otherwise.
pub(crate) fn inferred_kind(document: &Node<'_>) -> PolicyKind {
    let statements: &[Node<'_>] = match members(document)
        .and_then(|members| {
            members
                .iter()
                .find(|member| member.key == element::STATEMENT)
        })
        .map(|member| &member.value)
    {
        Some(Node {
            value: Value::Array(items),
            ..
        }) => items,
        Some(single) => std::slice::from_ref(single),
        None => &[],
    };
    let has = |statement: &Node<'_>, names: &[&str]| {
        members(statement).is_some_and(|members| {
            members
                .iter()
                .any(|member| names.contains(&member.key.as_ref()))
        })
    };
    if !statements
        .iter()
        .any(|statement| has(statement, &[element::PRINCIPAL, element::NOT_PRINCIPAL]))
    {
        return PolicyKind::Identity;
    }
    let trust_actions_only = |statement: &Node<'_>| {
        let action = members(statement)
            .and_then(|members| members.iter().find(|member| member.key == element::ACTION));
        let entries: &[Node<'_>] = match action.map(|member| &member.value) {
            Some(Node {
                value: Value::Array(items),
                ..
            }) => items,
            Some(single) => std::slice::from_ref(single),
            None => return false,
        };
        !entries.is_empty()
            && entries.iter().all(|entry| match &entry.value {
                Value::String(text) => is_trust_action(text),
                _ => false,
            })
    };
    if statements.iter().all(|statement| {
        !has(statement, &[element::RESOURCE, element::NOT_RESOURCE])
            && trust_actions_only(statement)
    }) {
        PolicyKind::RoleTrust
    } else {
        PolicyKind::Resource
    }
}

/// `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity` (or a wildcard
/// of them), and the actions a trust policy grants for the same session: `sts:TagSession`,
/// `sts:SetSourceIdentity`, `sts:SetContext`.
fn is_trust_action(action: &str) -> bool {
    let Some(name) = action
        .get(.."sts:".len())
        .filter(|prefix| prefix.eq_ignore_ascii_case("sts:"))
        .and_then(|_| action.get("sts:".len()..))
    else {
        return false;
    };
    let starts_with = |head: &str| {
        name.get(..head.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(head))
    };
    starts_with("AssumeRole")
        || ["TagSession", "SetSourceIdentity", "SetContext"]
            .iter()
            .any(|companion| name.eq_ignore_ascii_case(companion))
}

fn members<'a>(node: &'a Node<'a>) -> Option<&'a [Member<'a>]> {
    match &node.value {
        Value::Object(members) => Some(members),
        _ => None,
    }
}

/// "a string", "an array", ... for messages.
pub(crate) fn json_type(node: &Node<'_>) -> &'static str {
    match node.value {
        Value::Null => "`null`",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The known name closest to an unknown element name, if any is close.
fn nearest<'n>(name: &str, known: &[&'n str]) -> Option<&'n str> {
    crate::suggest::nearest_name(name, known.iter().copied())
}

pub(crate) fn check_document<'a>(document: &'a Node<'a>, ctx: &mut Context<'_>) -> Document<'a> {
    let mut doc = Document {
        node: document,
        version: None,
        statements: Vec::new(),
    };
    let Value::Object(members) = &document.value else {
        ctx.report(
            IssueCode::DataTypeMismatch,
            document.span,
            "",
            None,
            format!(
                "a policy document must be a JSON object, found {}",
                json_type(document)
            ),
            Some("write `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`".to_owned()),
        );
        return doc;
    };
    let mut seen = [false; TOP_LEVEL_ELEMENTS.len()];
    let mut statement_member = None;
    for member in members {
        let Some(slot) = TOP_LEVEL_ELEMENTS
            .iter()
            .position(|name| *name == member.key)
        else {
            let suggestion = nearest(&member.key, &TOP_LEVEL_ELEMENTS)
                .or_else(|| nearest(&member.key, &STATEMENT_ELEMENTS).map(|_| "Statement"));
            ctx.report(
                IssueCode::InvalidPolicyElement,
                member.key_span,
                &member.key,
                None,
                format!(
                    "`{}` is not a policy element (the top level holds `Version`, `Id` and `Statement`)",
                    member.key
                ),
                did_you_mean(suggestion),
            );
            continue;
        };
        let Some(seen_slot) = seen.get_mut(slot) else {
            continue;
        };
        if std::mem::replace(seen_slot, true) {
            ctx.report(
                IssueCode::InvalidPolicyElement,
                member.key_span,
                &member.key,
                None,
                format!("`{}` is given twice", member.key),
                Some("keep one: JSON readers silently drop one of the two".to_owned()),
            );
            continue;
        }
        match &*member.key {
            element::VERSION => doc.version = version(member, ctx),
            element::ID => id(member, ctx),
            _ => statement_member = Some(member),
        }
    }
    if seen.first() == Some(&false) {
        ctx.report(
            IssueCode::MissingVersion,
            document.span,
            "",
            None,
            "the policy has no `Version`, so IAM reads it in the 2008 language and leaves policy variables as text".to_owned(),
            Some("add `\"Version\": \"2012-10-17\"`".to_owned()),
        );
    }
    match statement_member {
        None => ctx.report(
            IssueCode::MissingStatement,
            document.span,
            "",
            None,
            "the policy has no `Statement`".to_owned(),
            Some("add `\"Statement\": [...]` with at least one statement".to_owned()),
        ),
        Some(member) => statements(member, ctx, &mut doc),
    }
    sids(&doc, ctx);
    doc
}

fn version<'a>(member: &'a Member<'a>, ctx: &mut Context<'_>) -> Option<&'a str> {
    let Value::String(text) = &member.value.value else {
        ctx.report(
            IssueCode::DataTypeMismatch,
            member.value.span,
            "Version",
            None,
            format!(
                "`Version` must be a string, found {}",
                json_type(&member.value)
            ),
            Some("write `\"Version\": \"2012-10-17\"`".to_owned()),
        );
        return None;
    };
    if text != "2012-10-17" && text != "2008-10-17" {
        ctx.report(
            IssueCode::InvalidVersion,
            member.value.span,
            "Version",
            None,
            format!("`{text}` is not a policy language version"),
            Some(
                "use `2012-10-17` (the current version; `2008-10-17` is the legacy one)".to_owned(),
            ),
        );
        return None;
    }
    Some(text)
}

fn id(member: &Member<'_>, ctx: &mut Context<'_>) {
    if !matches!(member.value.value, Value::String(_)) {
        ctx.report(
            IssueCode::DataTypeMismatch,
            member.value.span,
            "Id",
            None,
            format!("`Id` must be a string, found {}", json_type(&member.value)),
            None,
        );
    } else if ctx.kind.is_identity() {
        ctx.report(
            IssueCode::IdInIdentityPolicy,
            member.key_span,
            "Id",
            None,
            "`Id` has a meaning only in resource policies".to_owned(),
            Some("remove it, or declare the policy as a resource policy".to_owned()),
        );
    }
}

fn statements<'a>(member: &'a Member<'a>, ctx: &mut Context<'_>, doc: &mut Document<'a>) {
    match &member.value.value {
        Value::Object(_) => {
            statement(
                &member.value,
                0,
                Path::statement(None),
                ctx,
                &mut doc.statements,
            );
        }
        Value::Array(items) => {
            if items.is_empty() {
                ctx.report(
                    IssueCode::MissingStatement,
                    member.value.span,
                    "Statement",
                    None,
                    "`Statement` is empty".to_owned(),
                    Some("add at least one statement".to_owned()),
                );
            }
            // Allocated here, sized once: no statement was read yet.
            doc.statements = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let path = Path::statement(Some(index));
                if matches!(item.value, Value::Object(_)) {
                    statement(item, index, path, ctx, &mut doc.statements);
                } else {
                    ctx.report(
                        IssueCode::DataTypeMismatch,
                        item.span,
                        path,
                        Some(index),
                        format!("a statement must be an object, found {}", json_type(item)),
                        None,
                    );
                }
            }
        }
        _ => ctx.report(
            IssueCode::DataTypeMismatch,
            member.value.span,
            "Statement",
            None,
            format!(
                "`Statement` must be an object or an array of objects, found {}",
                json_type(&member.value)
            ),
            None,
        ),
    }
}

/// One statement object, added to `statements`; nothing is added only when it is not an
/// object (callers check). The statement is filled in where it is kept rather than moved
/// there: it is large, and every statement of every document is built.
fn statement<'a>(
    node: &'a Node<'a>,
    index: usize,
    path: Path<'a>,
    ctx: &mut Context<'_>,
    statements: &mut Vec<Statement<'a>>,
) {
    let Some(members) = members(node) else {
        return;
    };
    statements.push(Statement {
        index,
        path,
        node,
        sid_member: None,
        effect: None,
        principal: None,
        action: None,
        resource: None,
        conditions: Vec::new(),
        actions: ResolvedActions::default(),
        actions_complete: false,
        may_hold_variable: false,
        several_operators: false,
        elements_well_formed: true,
    });
    let Some(view) = statements.last_mut() else {
        return;
    };
    // Whether some member name or string of the statement may hold `${`: every string read
    // below is tested, and whatever is left unread (unknown, repeated or malformed parts)
    // counts as a possible variable.
    let mut variables = false;
    let mut well_formed = true;
    let at = Some(index);
    let mut seen: [Option<&Member<'_>>; STATEMENT_ELEMENTS.len()] =
        [None; STATEMENT_ELEMENTS.len()];
    for member in members {
        let element_path = view.path.member(&member.key);
        let Some(slot) = STATEMENT_ELEMENTS
            .iter()
            .position(|name| *name == member.key)
        else {
            ctx.report(
                IssueCode::InvalidPolicyElement,
                member.key_span,
                element_path,
                at,
                format!("`{}` is not a statement element", member.key),
                did_you_mean(nearest(&member.key, &STATEMENT_ELEMENTS)).or_else(|| {
                    Some("a statement holds `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource` and `Condition`".to_owned())
                }),
            );
            variables = true;
            well_formed = false;
            continue;
        };
        let Some(seen_slot) = seen.get_mut(slot) else {
            continue;
        };
        if seen_slot.is_some() {
            ctx.report(
                IssueCode::InvalidPolicyElement,
                member.key_span,
                element_path,
                at,
                format!("`{}` is given twice in this statement", member.key),
                Some("keep one: JSON readers silently drop one of the two".to_owned()),
            );
            variables = true;
            // The first `Sid` is kept and statements are compared without theirs.
            well_formed &= slot == SID;
            continue;
        }
        *seen_slot = Some(member);
        // The second half of an exclusive pair is reported and left out of the view. The
        // pairs are the slots 2-3, 4-5 and 6-7.
        if (PRINCIPAL..=NOT_RESOURCE).contains(&slot) {
            let partner_slot = slot ^ 1;
            if seen.get(partner_slot).is_some_and(Option::is_some) {
                let partner = STATEMENT_ELEMENTS
                    .get(partner_slot)
                    .copied()
                    .unwrap_or_default();
                ctx.report(
                    IssueCode::UnsupportedElementCombination,
                    member.key_span,
                    element_path,
                    at,
                    format!(
                        "a statement cannot have both `{partner}` and `{}`",
                        member.key
                    ),
                    Some(format!("keep either `{partner}` or `{}`", member.key)),
                );
                variables = true;
                well_formed = false;
                continue;
            }
        }
        match slot {
            SID | EFFECT => {
                if slot == SID {
                    view.sid_member = sid(member, element_path, at, ctx).map(|_| member);
                } else {
                    view.effect = effect(member, element_path, at, ctx);
                }
                // An `Effect` that was read, `Allow` or `Deny`, holds no variable.
                if slot == SID || view.effect.is_none() {
                    variables |= match &member.value.value {
                        Value::String(text) => has_variable(text),
                        _ => true,
                    };
                }
            }
            PRINCIPAL | NOT_PRINCIPAL => {
                view.principal = principal(member, element_path, at, &mut variables, ctx);
            }
            ACTION | NOT_ACTION => {
                view.action = list(
                    member,
                    element_path,
                    at,
                    IssueCode::EmptyArrayAction,
                    slot == NOT_ACTION,
                    &mut variables,
                    ctx,
                );
            }
            RESOURCE | NOT_RESOURCE => {
                if ctx.kind == PolicyKind::RoleTrust {
                    ctx.report(
                        IssueCode::RoleTrustPolicySyntaxErrorResource,
                        member.key_span,
                        element_path,
                        at,
                        format!("a role trust policy cannot have `{}`", member.key),
                        Some(
                            "remove it: the resource of a trust policy is the role itself"
                                .to_owned(),
                        ),
                    );
                    variables = true;
                } else {
                    view.resource = list(
                        member,
                        element_path,
                        at,
                        IssueCode::EmptyArrayResource,
                        slot == NOT_RESOURCE,
                        &mut variables,
                        ctx,
                    );
                }
            }
            _ => {
                view.several_operators =
                    matches!(&member.value.value, Value::Object(operators) if operators.len() > 1);
                view.conditions = conditions(member, element_path, at, &mut variables, ctx);
            }
        }
    }
    view.may_hold_variable = variables;
    view.elements_well_formed = well_formed;
    let present = |slot: usize| seen.get(slot).is_some_and(Option::is_some);
    let statement_path = view.path;
    let missing = |ctx: &mut Context<'_>, code: IssueCode, message: &str, help: &str| {
        ctx.report(
            code,
            node.span,
            statement_path,
            at,
            message.to_owned(),
            Some(help.to_owned()),
        );
    };
    if !present(EFFECT) {
        missing(
            ctx,
            IssueCode::MissingEffect,
            "the statement has no `Effect`",
            "add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`",
        );
    }
    if !present(ACTION) && !present(NOT_ACTION) {
        missing(
            ctx,
            IssueCode::MissingAction,
            "the statement has no `Action` or `NotAction`",
            "add `\"Action\"` with the actions the statement is about",
        );
    }
    if ctx.kind != PolicyKind::RoleTrust && !present(RESOURCE) && !present(NOT_RESOURCE) {
        missing(
            ctx,
            IssueCode::MissingResource,
            "the statement has no `Resource` or `NotResource`",
            "add `\"Resource\"` with the ARNs the statement is about, or `\"*\"`",
        );
        // A resource policy's service decides: some imply the resource they are attached to
        // (an ECR repository policy has no `Resource`).
        if ctx.kind == PolicyKind::Resource {
            ctx.last_is_uncertain();
        }
    }
    let needs_principal = matches!(
        ctx.kind,
        PolicyKind::Resource | PolicyKind::RoleTrust | PolicyKind::Rcp
    );
    if needs_principal && !present(PRINCIPAL) && !present(NOT_PRINCIPAL) {
        missing(
            ctx,
            IssueCode::MissingPrincipal,
            "the statement has no `Principal`",
            "add `\"Principal\"` with who the statement is about",
        );
    }
}

fn string_entry<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) -> Option<Entry<'a>> {
    match &member.value.value {
        Value::String(text) => Some(Entry {
            text,
            span: member.value.span,
            path,
        }),
        _ => {
            ctx.report(
                IssueCode::DataTypeMismatch,
                member.value.span,
                path,
                at,
                format!(
                    "`{}` must be a string, found {}",
                    member.key,
                    json_type(&member.value)
                ),
                None,
            );
            None
        }
    }
}

fn sid<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) -> Option<Entry<'a>> {
    let entry = string_entry(member, path, at, ctx)?;
    if entry.text.is_empty() {
        ctx.report_entry(
            IssueCode::EmptySidValue,
            &entry,
            at,
            "`Sid` is empty".to_owned(),
            Some("remove it, or name the statement".to_owned()),
        );
        return None;
    }
    // Resource policies of other services accept more characters (S3 allows spaces); IAM,
    // Organizations and trust policies accept only letters and digits.
    // The first byte that is no ASCII letter or digit starts the first such character.
    if ctx.kind != PolicyKind::Resource
        && let Some(bad) = entry
            .text
            .bytes()
            .position(|byte| !byte.is_ascii_alphanumeric())
            .and_then(|at| entry.text.get(at..)?.chars().next())
    {
        let fixed: String = entry
            .text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        ctx.report_entry(
            IssueCode::UnsupportedSid,
            &entry,
            at,
            format!(
                "`Sid` `{}` has the character `{bad}`; only ASCII letters and digits are allowed",
                entry.text
            ),
            (!fixed.is_empty()).then(|| format!("write `{fixed}`")),
        );
    }
    Some(entry)
}

/// Sids must be unique within the policy: required in IAM and Organizations policies,
/// recommended in resource policies.
fn sids(doc: &Document<'_>, ctx: &mut Context<'_>) {
    let code = if ctx.kind == PolicyKind::Resource {
        IssueCode::UniqueSidsRecommended
    } else {
        IssueCode::UniqueSidsRequired
    };
    let reused = |statement: &Statement<'_>, earlier: &Statement<'_>, ctx: &mut Context<'_>| {
        if let Some(sid) = statement.sid() {
            ctx.report_entry(
                code,
                &sid,
                Some(statement.index),
                format!("`Sid` `{}` is already used by `{}`", sid.text, earlier.path),
                Some("give each statement its own `Sid`".to_owned()),
            );
        }
    };
    // A few statements are compared pair by pair.
    if doc.statements.len() <= super::PAIRWISE_UP_TO {
        for (position, statement) in doc.statements.iter().enumerate() {
            let Some(sid) = statement.sid() else { continue };
            let earlier = doc
                .statements
                .get(..position)
                .unwrap_or_default()
                .iter()
                .find(|earlier| earlier.sid().is_some_and(|other| other.text == sid.text));
            if let Some(earlier) = earlier {
                reused(statement, earlier, ctx);
            }
        }
        return;
    }
    // The first statement of each `Sid`.
    let mut first: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(doc.statements.len(), FxBuildHasher);
    for (position, statement) in doc.statements.iter().enumerate() {
        let Some(sid) = statement.sid() else { continue };
        let earlier = *first.entry(sid.text).or_insert(position);
        if let Some(earlier) = doc.statements.get(earlier).filter(|_| earlier != position) {
            reused(statement, earlier, ctx);
        }
    }
}

fn effect<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) -> Option<Effect> {
    let entry = string_entry(member, path, at, ctx)?;
    match entry.text {
        "Allow" => Some(Effect::Allow),
        "Deny" => Some(Effect::Deny),
        other => {
            let suggestion = if other.eq_ignore_ascii_case("allow") {
                Some("`Allow`")
            } else if other.eq_ignore_ascii_case("deny") {
                Some("`Deny`")
            } else {
                None
            };
            ctx.report_entry(
                IssueCode::InvalidEffect,
                &entry,
                at,
                format!("`{other}` is not an effect"),
                Some(match suggestion {
                    Some(name) => format!("did you mean {name}? (effects are case-sensitive)"),
                    None => "use `Allow` or `Deny`".to_owned(),
                }),
            );
            None
        }
    }
}

/// `Action`, `Resource` and their `Not` forms (`negated`): one string or an array of strings.
fn list<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    empty_code: IssueCode,
    negated: bool,
    variables: &mut bool,
    ctx: &mut Context<'_>,
) -> Option<ListElement<'a>> {
    let wording = Wording {
        empty_code,
        empty: "so the statement matches nothing",
        empty_help: "list at least one entry, or remove the statement",
        entry: None,
    };
    let entries = strings(member, path, at, &wording, variables, ctx)?;
    Some(ListElement {
        negated,
        name_span: member.key_span,
        entries,
    })
}

/// How `strings` words its findings for one kind of element.
struct Wording {
    empty_code: IssueCode,
    /// What an empty array means, after "`Key` is an empty array, ".
    empty: &'static str,
    empty_help: &'static str,
    /// What one entry is called; `None`: "each entry of `Key`".
    entry: Option<&'static str>,
}

/// One string or an array of strings (`Action`, `Resource`, a principal type's values): the
/// strings, with an empty array and non-string entries reported; `None` for any other JSON type.
/// Sets `variables` when a string holds `${` or a value is left unread.
fn strings<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    wording: &Wording,
    variables: &mut bool,
    ctx: &mut Context<'_>,
) -> Option<Entries<'a>> {
    match &member.value.value {
        Value::String(text) => {
            *variables |= has_variable(text);
            Some(Entries::One(Entry {
                text,
                span: member.value.span,
                path,
            }))
        }
        Value::Array(items) => {
            if items.is_empty() {
                ctx.report(
                    wording.empty_code,
                    member.value.span,
                    path,
                    at,
                    format!("`{}` is an empty array, {}", member.key, wording.empty),
                    Some(wording.empty_help.to_owned()),
                );
            }
            let mut entries = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let item_path = path.at(Some(index));
                match &item.value {
                    Value::String(text) => {
                        *variables |= has_variable(text);
                        entries.push(Entry {
                            text,
                            span: item.span,
                            path: item_path,
                        });
                    }
                    _ => {
                        *variables = true;
                        let entry = match wording.entry {
                            Some(entry) => entry.to_owned(),
                            None => format!("each entry of `{}`", member.key),
                        };
                        ctx.report(
                            IssueCode::DataTypeMismatch,
                            item.span,
                            item_path,
                            at,
                            format!("{entry} must be a string, found {}", json_type(item)),
                            None,
                        );
                    }
                }
            }
            Some(Entries::List(entries))
        }
        _ => {
            *variables = true;
            ctx.report(
                IssueCode::DataTypeMismatch,
                member.value.span,
                path,
                at,
                format!(
                    "`{}` must be a string or an array of strings, found {}",
                    member.key,
                    json_type(&member.value)
                ),
                None,
            );
            None
        }
    }
}

fn principal<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    variables: &mut bool,
    ctx: &mut Context<'_>,
) -> Option<PrincipalElement<'a>> {
    let mut element = PrincipalElement {
        negated: member.key == element::NOT_PRINCIPAL,
        name_span: member.key_span,
        node: &member.value,
        wildcard: false,
        entries: Vec::new(),
    };
    match &member.value.value {
        Value::String(text) if text == "*" => element.wildcard = true,
        Value::Object(types) => {
            if types.is_empty() {
                ctx.report(
                    IssueCode::EmptyObjectPrincipal,
                    member.value.span,
                    path,
                    at,
                    format!("`{}` is an empty object, so it names nobody", member.key),
                    Some("name principals, e.g. `{\"AWS\": \"123456789012\"}`".to_owned()),
                );
            }
            element.entries = Vec::with_capacity(types.len());
            let mut seen_types = [false; PRINCIPAL_TYPES.len()];
            for principal_type in types {
                let type_path = path.member(&principal_type.key);
                if !PRINCIPAL_TYPES.contains(&&*principal_type.key) {
                    ctx.report(
                        IssueCode::InvalidPrincipalKey,
                        principal_type.key_span,
                        type_path,
                        at,
                        format!("`{}` is not a principal type", principal_type.key),
                        did_you_mean(nearest(&principal_type.key, &PRINCIPAL_TYPES)).or_else(
                            || {
                                Some(
                                    "use `AWS`, `Service`, `Federated` or `CanonicalUser`"
                                        .to_owned(),
                                )
                            },
                        ),
                    );
                    *variables = true;
                    continue;
                }
                let repeated = PRINCIPAL_TYPES
                    .iter()
                    .position(|name| *name == principal_type.key)
                    .and_then(|slot| seen_types.get_mut(slot))
                    .is_some_and(|seen| std::mem::replace(seen, true));
                if repeated {
                    ctx.report(
                        IssueCode::InvalidPrincipalKey,
                        principal_type.key_span,
                        type_path,
                        at,
                        format!("principal type `{}` is given twice", principal_type.key),
                        Some(
                            "put all its values in one array: JSON readers drop one of the two"
                                .to_owned(),
                        ),
                    );
                    *variables = true;
                    continue;
                }
                let type_entry = Entry {
                    text: &principal_type.key,
                    span: principal_type.key_span,
                    path: type_path,
                };
                let values = principal_values(principal_type, type_path, at, variables, ctx);
                element.entries.push((type_entry, values));
            }
        }
        _ => {
            *variables = true;
            ctx.report(
                IssueCode::InvalidPrincipalFormat,
                member.value.span,
                path,
                at,
                format!(
                    "`{}` must be `\"*\"` or an object of principal types, found {}",
                    member.key,
                    match &member.value.value {
                        Value::String(text) => format!("`{text}`"),
                        _ => json_type(&member.value).to_owned(),
                    }
                ),
                Some(format!(
                    "write e.g. `\"{}\": {{\"AWS\": \"arn:aws:iam::123456789012:root\"}}`",
                    member.key
                )),
            );
            return None;
        }
    }
    Some(element)
}

fn principal_values<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    variables: &mut bool,
    ctx: &mut Context<'_>,
) -> Entries<'a> {
    let wording = Wording {
        empty_code: IssueCode::EmptyArrayPrincipal,
        empty: "so it names nobody",
        empty_help: "list at least one principal, or remove the principal type",
        entry: Some("a principal"),
    };
    strings(member, path, at, &wording, variables, ctx).unwrap_or_default()
}

/// `Condition`: `{ operator: { key: value or [values] } }`. The operators, keys and values
/// themselves are the condition rules' business; this checks the shape only.
fn conditions<'a>(
    member: &'a Member<'a>,
    path: Path<'a>,
    at: Option<usize>,
    variables: &mut bool,
    ctx: &mut Context<'_>,
) -> Vec<Condition<'a>> {
    let Value::Object(operators) = &member.value.value else {
        *variables = true;
        ctx.report(
            IssueCode::DataTypeMismatch,
            member.value.span,
            path,
            at,
            format!(
                "`Condition` must be an object of operators, found {}",
                json_type(&member.value)
            ),
            Some("write e.g. `\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"admins\"}}`".to_owned()),
        );
        return Vec::new();
    };
    if operators.is_empty() {
        ctx.report(
            IssueCode::EmptyObjectCondition,
            member.value.span,
            path,
            at,
            "`Condition` is an empty object".to_owned(),
            Some("remove it, or add a condition".to_owned()),
        );
    }
    // One condition per key: sized once, as statements have few.
    let mut conditions = Vec::with_capacity(
        operators
            .iter()
            .map(|operator| members(&operator.value).map_or(0, <[_]>::len))
            .sum(),
    );
    for operator in operators {
        let operator_path = path.member(&operator.key);
        *variables |= has_variable(&operator.key);
        let Value::Object(keys) = &operator.value.value else {
            *variables = true;
            ctx.report(
                IssueCode::DataTypeMismatch,
                operator.value.span,
                operator_path,
                at,
                format!(
                    "the operator `{}` must hold an object of condition keys, found {}",
                    operator.key,
                    json_type(&operator.value)
                ),
                None,
            );
            continue;
        };
        if keys.is_empty() {
            ctx.report(
                IssueCode::EmptyObjectCondition,
                operator.value.span,
                operator_path,
                at,
                format!("the operator `{}` holds no condition key", operator.key),
                Some("remove it, or add a condition key".to_owned()),
            );
        }
        for key in keys {
            let key_path = operator_path.member(&key.key);
            *variables |= has_variable(&key.key);
            let values = condition_values(&key.value, key_path, at, variables, ctx);
            conditions.push(Condition {
                operator: Entry {
                    text: &operator.key,
                    span: operator.key_span,
                    path: operator_path,
                },
                key: Entry {
                    text: &key.key,
                    span: key.key_span,
                    path: key_path,
                },
                values_node: &key.value,
                values,
            });
        }
    }
    conditions
}

fn condition_values<'a>(
    node: &'a Node<'a>,
    path: Path<'a>,
    at: Option<usize>,
    variables: &mut bool,
    ctx: &mut Context<'_>,
) -> ConditionValues<'a> {
    // For a scalar, whether its text holds `${`; `None` for `null`, an array or an object.
    let scalar = |node: &Node<'_>| match &node.value {
        Value::String(text) => Some(has_variable(text)),
        Value::Number(_) | Value::Bool(_) => Some(false),
        _ => None,
    };
    match &node.value {
        Value::Array(items) => {
            let mut picked: Option<Vec<(usize, &'a Node<'a>)>> = None;
            for (index, item) in items.iter().enumerate() {
                if let Some(holds_variable) = scalar(item) {
                    *variables |= holds_variable;
                    if let Some(picked) = &mut picked {
                        picked.push((index, item));
                    }
                } else {
                    *variables = true;
                    // The scalars so far, without this item.
                    picked.get_or_insert_with(|| {
                        items
                            .get(..index)
                            .unwrap_or_default()
                            .iter()
                            .enumerate()
                            .collect()
                    });
                    ctx.report(
                        IssueCode::DataTypeMismatch,
                        item.span,
                        path.at(Some(index)),
                        at,
                        format!(
                            "a condition value must be a string, number or boolean, found {}",
                            json_type(item)
                        ),
                        None,
                    );
                }
            }
            match picked {
                Some(scalars) => ConditionValues::Scalars(scalars),
                None => ConditionValues::All(items),
            }
        }
        _ => {
            if let Some(holds_variable) = scalar(node) {
                *variables |= holds_variable;
                return ConditionValues::All(std::slice::from_ref(node));
            }
            *variables = true;
            ctx.report(
                IssueCode::DataTypeMismatch,
                node.span,
                path,
                at,
                format!(
                    "condition values must be a string, number, boolean or an array of them, found {}",
                    json_type(node)
                ),
                None,
            );
            ConditionValues::All(&[])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, findings, only, statement};
    use crate::{IssueCode as C, PolicyKind};

    const ALLOW_S3: &str = r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "*""#;
    const DENY_S3: &str = r#""Effect": "Deny", "Action": "s3:PutObject", "Resource": "*""#;

    #[test]
    fn the_kind_of_an_undeclared_document() {
        use super::inferred_kind;
        let kind = |text: &str| match crate::parse::parse(text) {
            Ok(node) => inferred_kind(&node),
            Err(error) => unreachable!("{error}"),
        };
        assert_eq!(kind(&statement(ALLOW_S3)), PolicyKind::Identity);
        let bucket = statement(
            r#""Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*""#,
        );
        assert_eq!(kind(&bucket), PolicyKind::Resource);
        for actions in [
            r#""sts:AssumeRole""#,
            r#"["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]"#,
            r#"["sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"]"#,
            r#""sts:AssumeRole*""#,
        ] {
            let trust = statement(&format!(
                r#""Effect": "Allow", "Principal": {{"Service": "ec2.amazonaws.com"}}, "Action": {actions}"#
            ));
            assert_eq!(kind(&trust), PolicyKind::RoleTrust, "{actions}");
        }
        // Another action, or a `Resource`, makes it a resource policy.
        for elements in [
            r#""Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": ["sts:AssumeRole", "s3:GetObject"]"#,
            r#""Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole", "Resource": "*""#,
        ] {
            assert_eq!(
                kind(&statement(elements)),
                PolicyKind::Resource,
                "{elements}"
            );
        }
    }

    #[test]
    fn element_slots_name_their_elements() {
        use super::{
            ACTION, EFFECT, NOT_ACTION, NOT_PRINCIPAL, NOT_RESOURCE, PRINCIPAL, RESOURCE, SID,
            STATEMENT_ELEMENTS,
        };
        let slots = [
            (SID, "Sid"),
            (EFFECT, "Effect"),
            (PRINCIPAL, "Principal"),
            (NOT_PRINCIPAL, "NotPrincipal"),
            (ACTION, "Action"),
            (NOT_ACTION, "NotAction"),
            (RESOURCE, "Resource"),
            (NOT_RESOURCE, "NotResource"),
        ];
        for (slot, name) in slots {
            assert_eq!(STATEMENT_ELEMENTS.get(slot), Some(&name));
        }
        // Each exclusive pair is an even slot and the next one.
        for pair in [PRINCIPAL, ACTION, RESOURCE] {
            assert_eq!(pair % 2, 0);
            assert_eq!(pair ^ 1, pair + 1);
        }
    }

    #[test]
    fn condition_values_are_the_scalars_in_order() {
        // Before, between and after other nodes, and alone: every scalar is checked.
        for values in [
            r#"["a*", "b*"]"#,
            r#"[{"x": 1}, "a*", null, "b*", []]"#,
            r#""a*""#,
        ] {
            let text = statement(&format!(
                r#"{ALLOW_S3}, "Condition": {{"StringEquals": {{"aws:username": {values}}}}}"#
            ));
            let checked: Vec<&str> = findings(&text, None)
                .iter()
                .filter(|finding| finding.code == C::WildcardWithoutLikeOperator)
                .filter_map(|finding| {
                    text.get(finding.span.start as usize..finding.span.end as usize)
                })
                .collect();
            let expected: &[&str] = if values.contains("b*") {
                &["\"a*\"", "\"b*\""]
            } else {
                &["\"a*\""]
            };
            assert_eq!(checked, expected, "{values}");
        }
    }

    #[test]
    fn a_minimal_statement_passes_the_grammar() {
        let found = codes(&statement(ALLOW_S3), None);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn version() {
        let doc = r#"{"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
        let finding = only(doc, None, C::InvalidVersion);
        assert_eq!(
            finding.message,
            "`2012-10-18` is not a policy language version"
        );
        assert_eq!(finding.path, "Version");
        let doc =
            r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
        assert_eq!(codes(doc, None), vec![C::MissingVersion]);
        let doc = r#"{"Version": 2012, "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
        assert_eq!(codes(doc, None), vec![C::DataTypeMismatch]);
        let doc = r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
        assert!(codes(doc, None).is_empty());
    }

    #[test]
    fn statement_must_be_there_and_be_objects() {
        assert_eq!(
            codes(r#"{"Version": "2012-10-17"}"#, None),
            vec![C::MissingStatement]
        );
        assert_eq!(
            codes(r#"{"Version": "2012-10-17", "Statement": []}"#, None),
            vec![C::MissingStatement]
        );
        assert_eq!(
            codes(r#"{"Version": "2012-10-17", "Statement": "x"}"#, None),
            vec![C::DataTypeMismatch]
        );
        assert_eq!(
            codes(r#"{"Version": "2012-10-17", "Statement": [1]}"#, None),
            vec![C::DataTypeMismatch]
        );
        assert_eq!(codes("[]", None), vec![C::DataTypeMismatch]);
    }

    #[test]
    fn effect() {
        let doc = statement(r#""Effect": "allow", "Action": "s3:GetObject", "Resource": "*""#);
        let finding = only(&doc, None, C::InvalidEffect);
        assert_eq!(finding.path, "Statement[0].Effect");
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `Allow`? (effects are case-sensitive)")
        );
        let doc = statement(r#""Action": "s3:GetObject", "Resource": "*""#);
        assert_eq!(codes(&doc, None), vec![C::MissingEffect]);
    }

    #[test]
    fn action_and_not_action() {
        let doc = statement(r#""Effect": "Allow", "Resource": "*""#);
        assert_eq!(codes(&doc, None), vec![C::MissingAction]);
        let doc = statement(
            r#""Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*""#,
        );
        let finding = only(&doc, None, C::UnsupportedElementCombination);
        assert_eq!(finding.path, "Statement[0].NotAction");
        let doc = statement(r#""Effect": "Allow", "Action": [], "Resource": "*""#);
        assert_eq!(codes(&doc, None), vec![C::EmptyArrayAction]);
        let doc = statement(r#""Effect": "Allow", "Action": ["s3:GetObject", 3], "Resource": "*""#);
        let finding = only(&doc, None, C::DataTypeMismatch);
        assert_eq!(finding.path, "Statement[0].Action[1]");
        let doc = statement(r#""Effect": "Allow", "Action": {"a": 1}, "Resource": "*""#);
        assert_eq!(codes(&doc, None), vec![C::DataTypeMismatch]);
    }

    #[test]
    fn resource_per_kind() {
        let doc = statement(r#""Effect": "Allow", "Action": "s3:GetObject""#);
        assert_eq!(codes(&doc, None), vec![C::MissingResource]);
        assert_eq!(
            only(&doc, None, C::MissingResource).severity,
            crate::Severity::Error
        );
        let repository = statement(
            r#""Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "ecr:BatchGetImage""#,
        );
        assert_eq!(
            only(&repository, None, C::MissingResource).severity,
            crate::Severity::Warning
        );
        let doc = statement(r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": []"#);
        assert_eq!(codes(&doc, None), vec![C::EmptyArrayResource]);
        let trust = statement(
            r#""Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*""#,
        );
        assert_eq!(
            codes(&trust, Some(PolicyKind::RoleTrust)),
            vec![C::RoleTrustPolicySyntaxErrorResource]
        );
    }

    #[test]
    fn unknown_and_duplicated_elements() {
        let doc = statement(r#""Effect": "Allow", "Action": "s3:GetObject", "Resources": "*""#);
        let found = findings(&doc, None);
        let invalid = found
            .iter()
            .find(|finding| finding.code == C::InvalidPolicyElement);
        assert_eq!(
            invalid.and_then(|finding| finding.help.as_deref()),
            Some("did you mean `Resource`?")
        );
        assert!(
            found
                .iter()
                .any(|finding| finding.code == C::MissingResource)
        );
        let doc = statement(
            r#""Effect": "Allow", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*""#,
        );
        let finding = only(&doc, None, C::InvalidPolicyElement);
        assert_eq!(finding.message, "`Effect` is given twice in this statement");
        let doc = r#"{"Version": "2012-10-17", "Version": "2012-10-17", "Statment": []}"#;
        let found = codes(doc, None);
        assert_eq!(
            found,
            vec![
                C::MissingStatement,
                C::InvalidPolicyElement,
                C::InvalidPolicyElement
            ]
        );
    }

    #[test]
    fn sids() {
        let doc = statement(&format!(r#""Sid": "Read logs", {ALLOW_S3}"#));
        let finding = only(&doc, None, C::UnsupportedSid);
        assert_eq!(finding.help.as_deref(), Some("write `Readlogs`"));
        // Resource policies of other services allow more characters.
        let resource = statement(&format!(
            r#""Sid": "Read logs", "Principal": "*", {ALLOW_S3}"#
        ));
        assert!(codes(&resource, None).is_empty());
        let doc = statement(&format!(r#""Sid": "", {ALLOW_S3}"#));
        assert_eq!(codes(&doc, None), vec![C::EmptySidValue]);
        let twice = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "A", {ALLOW_S3}}}, {{"Sid": "A", {DENY_S3}}}]}}"#
        );
        let finding = only(&twice, None, C::UniqueSidsRequired);
        assert_eq!(finding.statement, Some(1));
        assert_eq!(
            finding.message,
            "`Sid` `A` is already used by `Statement[0]`"
        );
        let twice = twice.replace("\"Sid\"", "\"Principal\": \"*\", \"Sid\"");
        assert_eq!(codes(&twice, None), vec![C::UniqueSidsRecommended]);
    }

    /// Few statements are compared pairwise, many through a map: either way a `Sid` used again
    /// names the first statement that used it.
    #[test]
    fn sids_among_few_or_many_statements() {
        for count in [3, 40] {
            let statements: Vec<String> = (0..count)
                .map(|index| format!(r#"{{"Sid": "S{}", {ALLOW_S3}}}"#, index % (count - 1)))
                .collect();
            let doc = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
                statements.join(", ")
            );
            let finding = only(&doc, None, C::UniqueSidsRequired);
            assert_eq!(finding.statement, Some(count - 1));
            assert_eq!(
                finding.message,
                "`Sid` `S0` is already used by `Statement[0]`"
            );
        }
    }

    #[test]
    fn id_belongs_to_resource_policies() {
        let doc = format!(r#"{{"Version": "2012-10-17", "Id": "x", "Statement": {{{ALLOW_S3}}}}}"#);
        assert_eq!(codes(&doc, None), vec![C::IdInIdentityPolicy]);
        assert!(codes(&doc, Some(PolicyKind::Resource)).contains(&C::MissingPrincipal));
        assert!(!codes(&doc, Some(PolicyKind::Resource)).contains(&C::IdInIdentityPolicy));
    }

    #[test]
    fn principal_shapes() {
        let doc = statement(&format!(r#""Principal": {{}}, {ALLOW_S3}"#));
        assert_eq!(codes(&doc, None), vec![C::EmptyObjectPrincipal]);
        let doc = statement(&format!(r#""Principal": {{"AWS": []}}, {ALLOW_S3}"#));
        assert_eq!(codes(&doc, None), vec![C::EmptyArrayPrincipal]);
        let doc = statement(&format!(r#""Principal": {{"Aws": "*"}}, {ALLOW_S3}"#));
        let finding = only(&doc, None, C::InvalidPrincipalKey);
        assert_eq!(finding.help.as_deref(), Some("did you mean `AWS`?"));
        let doc = statement(&format!(
            r#""Principal": "arn:aws:iam::123456789012:root", {ALLOW_S3}"#
        ));
        assert_eq!(codes(&doc, None), vec![C::InvalidPrincipalFormat]);
        let doc = statement(&format!(r#""Principal": {{"AWS": [1]}}, {ALLOW_S3}"#));
        assert_eq!(codes(&doc, None), vec![C::DataTypeMismatch]);
        let doc = statement(&format!(
            r#""Principal": "*", "NotPrincipal": "*", {ALLOW_S3}"#
        ));
        assert!(codes(&doc, None).contains(&C::UnsupportedElementCombination));
    }

    #[test]
    fn kind_is_inferred_from_principals() {
        assert_eq!(
            codes(&statement(ALLOW_S3), Some(PolicyKind::Resource)),
            vec![C::MissingPrincipal]
        );
        let doc = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let finding = only(doc, None, C::MissingPrincipal);
        assert_eq!(finding.statement, Some(1));
    }

    #[test]
    fn condition_shapes() {
        let doc = statement(&format!(r#"{ALLOW_S3}, "Condition": {{}}"#));
        assert_eq!(codes(&doc, None), vec![C::EmptyObjectCondition]);
        let doc = statement(&format!(r#"{ALLOW_S3}, "Condition": []"#));
        assert_eq!(codes(&doc, None), vec![C::DataTypeMismatch]);
        let doc = statement(&format!(
            r#"{ALLOW_S3}, "Condition": {{"StringEquals": {{}}}}"#
        ));
        assert_eq!(codes(&doc, None), vec![C::EmptyObjectCondition]);
        let doc = statement(&format!(
            r#"{ALLOW_S3}, "Condition": {{"StringEquals": {{"aws:username": [{{}}]}}}}"#
        ));
        let finding = only(&doc, None, C::DataTypeMismatch);
        assert_eq!(
            finding.path,
            "Statement[0].Condition.StringEquals.aws:username[0]"
        );
    }
}
