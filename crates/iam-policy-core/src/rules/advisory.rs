//! Access Analyzer's security warnings and suggestions that look at a statement as a whole or
//! at the document: privilege-escalation patterns (`iam:PassRole`,
//! `iam:CreateServiceLinkedRole`), redundancy, tag keys on services without tag support, and
//! unguarded service and identity-provider principals.
//!
//! Each check is one small function; its comment states the rule.

use super::{Context, Document, Effect, Entry, ListElement, Statement, holds_wildcard};
use crate::json::{Node, Value};
use crate::{IssueCode, PolicyKind};
use iam_policy_reference as reference;
use std::sync::OnceLock;

/// Runs every advisory check on the document.
pub(crate) fn check_document(document: &Document<'_>, ctx: &mut Context<'_>) {
    // Looked up once per process: the same two actions for every document.
    static TARGETS: OnceLock<(Option<reference::Action>, Option<reference::Action>)> =
        OnceLock::new();
    let &(pass_role, create_service_linked_role) = TARGETS.get_or_init(|| {
        (
            reference::action(PASS_ROLE.action),
            reference::action(CREATE_SERVICE_LINKED_ROLE.action),
        )
    });
    let mut lists = RedundantActionLists::default();
    for statement in &document.statements {
        check_guarded_actions(
            statement,
            [
                (&PASS_ROLE, pass_role),
                (&CREATE_SERVICE_LINKED_ROLE, create_service_linked_role),
            ],
            ctx,
        );
        check_redundant_actions(statement, &mut lists, ctx);
        check_redundant_resources(statement, ctx);
        check_wildcard_in_service_name(statement, ctx);
        check_tag_keys_supported(statement, ctx);
        check_service_principal_restricted(statement, ctx);
        check_service_principal_weak_keys(statement, ctx);
        check_identity_provider_conditions(statement, ctx);
        check_redundant_session_principals(statement, ctx);
        check_rcp_principal_guards(statement, ctx);
    }
    check_redundant_statements(document, ctx);
}

// ---------------------------------------------------------------------------------------------
// iam:PassRole and iam:CreateServiceLinkedRole

/// An action that is dangerous on every resource unless a condition key narrows it, with the
/// six codes of its family.
struct GuardedAction {
    action: &'static str,
    /// The key that names what the action may be used for; a condition on it disarms the check.
    guard_key: &'static str,
    /// Resource patterns, after the ARN's fifth colon, that mean "every role".
    star_resources: &'static [&'static str],
    not_resource: IssueCode,
    star_in_action_and_not_resource: IssueCode,
    not_action_and_not_resource: IssueCode,
    star_in_resource: IssueCode,
    star_in_action_and_resource: IssueCode,
    star_in_resource_and_not_action: IssueCode,
}

const PASS_ROLE: GuardedAction = GuardedAction {
    action: "iam:PassRole",
    guard_key: "iam:PassedToService",
    star_resources: &["*", "role/*"],
    not_resource: IssueCode::PassRoleWithNotResource,
    star_in_action_and_not_resource: IssueCode::PassRoleWithStarInActionAndNotResource,
    not_action_and_not_resource: IssueCode::PassRoleWithNotActionAndNotResource,
    star_in_resource: IssueCode::PassRoleWithStarInResource,
    star_in_action_and_resource: IssueCode::PassRoleWithStarInActionAndResource,
    star_in_resource_and_not_action: IssueCode::PassRoleWithStarInResourceAndNotAction,
};

const CREATE_SERVICE_LINKED_ROLE: GuardedAction = GuardedAction {
    action: "iam:CreateServiceLinkedRole",
    guard_key: "iam:AWSServiceName",
    star_resources: &["*", "role/*", "role/aws-service-role/*"],
    not_resource: IssueCode::CreateSlrWithNotResource,
    star_in_action_and_not_resource: IssueCode::CreateSlrWithStarInActionAndNotResource,
    not_action_and_not_resource: IssueCode::CreateSlrWithNotActionAndNotResource,
    star_in_resource: IssueCode::CreateSlrWithStarInResource,
    star_in_action_and_resource: IssueCode::CreateSlrWithStarInActionAndResource,
    star_in_resource_and_not_action: IssueCode::CreateSlrWithStarInResourceAndNotAction,
};

/// How a statement's `Action`/`NotAction` grants a guarded action.
enum Grant<'e> {
    /// Written by name.
    Named(&'e Entry<'e>),
    /// Through a wildcard entry such as `iam:*` or `*`.
    Wildcard(&'e Entry<'e>),
    /// `NotAction` that does not exclude it.
    NotAction,
}

/// An Allow that grants `iam:PassRole` (or `iam:CreateServiceLinkedRole`) on every role, or
/// through `NotResource`, without a condition on `iam:PassedToService` (`iam:AWSServiceName`)
/// lets the caller hand any role to any service. Only identity policies grant these actions
/// (an SCP or RCP `Allow` only sets a ceiling).
fn check_guarded_actions<const N: usize>(
    statement: &Statement<'_>,
    guarded: [(&GuardedAction, Option<reference::Action>); N],
    ctx: &mut Context<'_>,
) {
    if statement.effect != Some(Effect::Allow) || !ctx.kind.is_identity() {
        return;
    }
    let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
        return;
    };
    // One walk of the statement's actions for every guarded action.
    let grants = grants_of(statement, actions, guarded.map(|(_, target)| target));
    for ((guarded, _), grant) in guarded.into_iter().zip(grants) {
        if let Some(grant) = grant
            && !has_condition_key(statement, guarded.guard_key)
        {
            check_guarded_action(statement, resources, guarded, grant, ctx);
        }
    }
}

/// The finding, if any, for a statement that grants a guarded action without its guard key.
// Rarely reached: kept out of the per-statement loop.
#[inline(never)]
fn check_guarded_action(
    statement: &Statement<'_>,
    resources: &ListElement<'_>,
    guarded: &GuardedAction,
    grant: Grant<'_>,
    ctx: &mut Context<'_>,
) {
    let star_resource = resources
        .entries
        .iter()
        .find(|entry| is_star_resource(entry.text, guarded.star_resources));
    let (code, entry) = match (&grant, resources.negated, star_resource) {
        (Grant::Named(entry), true, _) => (guarded.not_resource, *entry),
        (Grant::Wildcard(entry), true, _) => (guarded.star_in_action_and_not_resource, *entry),
        (Grant::NotAction, true, _) => match resources.entries.first() {
            Some(entry) => (guarded.not_action_and_not_resource, entry),
            None => return,
        },
        (Grant::Named(_), false, Some(resource)) => (guarded.star_in_resource, resource),
        (Grant::Wildcard(_), false, Some(resource)) => {
            (guarded.star_in_action_and_resource, resource)
        }
        (Grant::NotAction, false, Some(resource)) => {
            (guarded.star_in_resource_and_not_action, resource)
        }
        (_, false, None) => return,
    };
    let how = match grant {
        Grant::Named(_) => format!("`{}`", guarded.action),
        Grant::Wildcard(entry) => format!("`{}` (which includes `{}`)", entry.text, guarded.action),
        Grant::NotAction => format!("`NotAction` (which leaves `{}` in)", guarded.action),
    };
    let scope = if resources.negated {
        "every resource outside `NotResource`".to_owned()
    } else {
        format!("`{}`, which names every role", entry.text)
    };
    ctx.report_entry(
        code,
        entry,
        Some(statement.index),
        format!("{how} is allowed on {scope}"),
        Some(format!(
            "name the roles in `Resource`, or add a condition on `{}`",
            guarded.guard_key
        )),
    );
}

/// How the statement's action element grants each of `targets`, if it does.
fn grants_of<'e, const N: usize>(
    statement: &'e Statement<'_>,
    actions: &'e ListElement<'e>,
    targets: [Option<reference::Action>; N],
) -> [Option<Grant<'e>>; N] {
    let mut grants: [Option<Grant<'e>>; N] = std::array::from_fn(|_| None);
    // A target is settled once its grant is known: named, excluded by `NotAction`, or unknown.
    let mut settled = [false; N];
    // Sorted actions: most entries are ruled out by their bounds against all targets at once.
    let lowest = targets.iter().flatten().min().copied();
    let highest = targets.iter().flatten().max().copied();
    for resolved in &statement.actions {
        if !resolved.everything {
            let in_span = bounds(&resolved.actions)
                .zip(lowest.zip(highest))
                .is_some_and(|((first, last), (lowest, highest))| {
                    first <= highest && lowest <= last
                });
            if !in_span {
                continue;
            }
        }
        for ((target, grant), settled) in targets.iter().zip(&mut grants).zip(&mut settled) {
            let names_target = resolved.everything
                || target.is_some_and(|target| resolved.actions.binary_search(&target).is_ok());
            if *settled || !names_target {
                continue;
            }
            if actions.negated {
                *settled = true;
                continue;
            }
            let Some(entry) = actions.entries.get(resolved.entry) else {
                *grant = None;
                *settled = true;
                continue;
            };
            if !resolved.wildcard && !resolved.everything {
                *grant = Some(Grant::Named(entry));
                *settled = true;
            } else if grant.is_none() {
                *grant = Some(Grant::Wildcard(entry));
            }
        }
    }
    if actions.negated {
        for (grant, settled) in grants.iter_mut().zip(settled) {
            if !settled {
                *grant = Some(Grant::NotAction);
            }
        }
    }
    grants
}

/// `*`, or an IAM ARN whose resource part is one of `star_resources`.
fn is_star_resource(text: &str, star_resources: &[&str]) -> bool {
    if text == "*" {
        return true;
    }
    let mut fields = text.splitn(6, ':');
    fields.next() == Some("arn")
        && matches!(fields.nth(1), Some("iam" | "*"))
        && fields
            .nth(2)
            .is_some_and(|resource| star_resources.contains(&resource))
}

fn has_condition_key(statement: &Statement<'_>, key: &str) -> bool {
    statement
        .conditions
        .iter()
        .any(|condition| condition.key.text.eq_ignore_ascii_case(key))
}

// ---------------------------------------------------------------------------------------------
// Redundancy

/// An `Action` entry whose actions another entry of the same list already names all of.
fn check_redundant_actions(
    statement: &Statement<'_>,
    lists: &mut RedundantActionLists,
    ctx: &mut Context<'_>,
) {
    let Some(element) = statement.action.as_ref().filter(|element| !element.negated) else {
        return;
    };
    if statement.actions.len() < 2 {
        return;
    }
    // Each entry's actions (sorted by the action rules) for subset tests; `None` stands for `"*"`.
    let set = |index: usize| {
        statement
            .actions
            .get(index)
            .and_then(|resolved| (!resolved.everything).then_some(&resolved.actions[..]))
    };
    let covers = |wide: Option<&[reference::Action]>, narrow: Option<&[reference::Action]>| match (
        wide, narrow,
    ) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(wide), Some(narrow)) => {
            !narrow.is_empty()
                && narrow.len() <= wide.len()
                && narrow
                    .iter()
                    .all(|action| wide.binary_search(action).is_ok())
        }
    };
    // Two entries that are not the same entry.
    let distinct = |index: usize, other_index: usize| {
        other_index != index
            && statement
                .actions
                .get(index)
                .zip(statement.actions.get(other_index))
                .is_some_and(|(resolved, other)| other.entry != resolved.entry)
    };
    // Only `"*"` or an entry naming several actions can cover another, apart from an earlier
    // entry naming the same single action: each entry is tested against those few, not against
    // every other entry (policies list hundreds of actions). Their first and last actions
    // (`None` for `"*"`) are kept side by side, as they rule out most pairs at a glance. Both
    // lists are sized once and serve every statement of the document.
    let RedundantActionLists {
        several,
        single,
        repeats,
    } = lists;
    several.clear();
    single.clear();
    repeats.clear();
    several.reserve(statement.actions.len());
    single.reserve(statement.actions.len());
    for (index, resolved) in statement.actions.iter().enumerate() {
        match (resolved.everything, &resolved.actions[..]) {
            (true, _) => several.push((index, None)),
            (false, &[action]) => single.push((action, index)),
            (false, actions) if actions.len() > 1 => several.push((index, bounds(actions))),
            (false, _) => {}
        }
    }
    // Of two entries naming the same single action, only the later one is redundant: each
    // entry naming the action of an earlier one, by index, with the first such earlier entry.
    // Mostly there are none.
    single.sort_unstable();
    for run in single.chunk_by(|a, b| a.0 == b.0) {
        for (position, &(_, index)) in run.iter().enumerate().skip(1) {
            let earlier = run.get(..position).unwrap_or_default();
            if let Some(&(_, first)) = earlier.iter().find(|&&(_, other)| distinct(index, other)) {
                repeats.push((index, first));
            }
        }
    }
    // Mostly every entry names one action, of its own: then none is redundant.
    if several.is_empty() && repeats.is_empty() {
        return;
    }
    repeats.sort_unstable();
    for (index, resolved) in statement.actions.iter().enumerate() {
        let narrow = set(index);
        let same = repeats
            .binary_search_by_key(&index, |&(repeat, _)| repeat)
            .ok()
            .and_then(|at| repeats.get(at))
            .map(|&(_, first)| first);
        let narrow_bounds = narrow.and_then(bounds);
        let wider = several
            .iter()
            .find(|&&(other_index, wide_bounds)| {
                // Both sorted: a wide entry of another service (or another run of names) is
                // ruled out by its bounds, without looking it up.
                let may_cover = match (wide_bounds, narrow_bounds) {
                    (None, _) => true,
                    (Some((wide_first, wide_last)), Some((first, last))) => {
                        wide_first <= first && last <= wide_last
                    }
                    (Some(_), None) => false,
                };
                may_cover && distinct(index, other_index) && {
                    let wide = set(other_index);
                    covers(wide, narrow) && (other_index < index || !covers(narrow, wide))
                }
            })
            .map(|&(other_index, _)| other_index);
        // The first covering entry in list order.
        let covering = match (wider, same) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .and_then(|other_index| statement.actions.get(other_index));
        let Some(other) = covering else {
            continue;
        };
        let (Some(written), Some(other_written)) = (
            element.entries.get(resolved.entry),
            element.entries.get(other.entry),
        ) else {
            continue;
        };
        let message = if written.text.eq_ignore_ascii_case(other_written.text) {
            format!("`{}` is listed twice", written.text)
        } else {
            format!(
                "`{}` is already covered by `{}`",
                written.text, other_written.text
            )
        };
        ctx.report_entry(
            IssueCode::RedundantAction,
            written,
            Some(statement.index),
            message,
            Some(format!("remove `{}`", written.text)),
        );
    }
}

/// The working lists of [`check_redundant_actions`], allocated once per document: the entries
/// that may cover others with their bounds, the entries naming a single action, and the
/// repeats of a single action (entry, first earlier entry).
#[derive(Default)]
struct RedundantActionLists {
    several: Vec<(usize, Option<(reference::Action, reference::Action)>)>,
    single: Vec<(reference::Action, usize)>,
    repeats: Vec<(usize, usize)>,
}

/// The first and last of sorted actions.
fn bounds(actions: &[reference::Action]) -> Option<(reference::Action, reference::Action)> {
    actions.first().copied().zip(actions.last().copied())
}

/// A `Resource` entry that a wildcard entry of the same list already matches.
fn check_redundant_resources(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let Some(element) = statement
        .resource
        .as_ref()
        .filter(|element| !element.negated)
    else {
        return;
    };
    if element.entries.len() < 2 {
        return;
    }
    // Each entry with whether it holds a wildcard, worked out once for the pairwise tests.
    let entries: Vec<(&Entry<'_>, bool)> = element
        .entries
        .iter()
        .map(|entry| (entry, holds_wildcard(entry.text)))
        .collect();
    for (index, &narrow) in entries.iter().enumerate() {
        let covering = entries.iter().enumerate().find(|&(other_index, &wide)| {
            other_index != index
                && resource_covers(wide, narrow)
                && (!resource_covers(narrow, wide) || other_index < index)
        });
        let (Some((_, &(other, _))), (entry, _)) = (covering, narrow) else {
            continue;
        };
        ctx.report_entry(
            IssueCode::RedundantResource,
            entry,
            Some(statement.index),
            format!("`{}` is already covered by `{}`", entry.text, other.text),
            Some(format!("remove `{}`", entry.text)),
        );
    }
}

/// A wildcard in an ARN's service name (`arn:aws:*code*:...`) reaches unrelated services, and
/// services yet to come. A service field that is `*` alone names every service on purpose, like
/// `"Resource": "*"`.
fn check_wildcard_in_service_name(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let Some(element) = &statement.resource else {
        return;
    };
    for entry in &element.entries {
        // The third field: `arn:partition:service:...`.
        let colon = |text: &str| text.bytes().position(|byte| byte == b':');
        let Some(rest) = entry.text.strip_prefix("arn:") else {
            continue;
        };
        let Some(service) = colon(rest).and_then(|at| rest.get(at + 1..)) else {
            continue;
        };
        let service = colon(service)
            .and_then(|at| service.get(..at))
            .unwrap_or(service);
        if service != "*" && holds_wildcard(service) {
            ctx.report_entry(
                IssueCode::WildcardInServiceName,
                entry,
                Some(statement.index),
                format!(
                    "service field `{service}` of `{}` matches several services, future ones too",
                    entry.text
                ),
                Some("name the service in each ARN".to_owned()),
            );
        }
    }
}

/// True when every resource `narrow` can name is named by `wide` as well; each comes with
/// whether it holds a wildcard. A `narrow` pattern with wildcards of its own is covered only by
/// `*` or by a prefix ending in `*`.
fn resource_covers(
    (wide, wide_wild): (&Entry<'_>, bool),
    (narrow, narrow_wild): (&Entry<'_>, bool),
) -> bool {
    let (wide, narrow) = (wide.text, narrow.text);
    if !wide_wild {
        return wide == narrow;
    }
    if wide == narrow || wide == "*" {
        return true;
    }
    if narrow_wild {
        return wide
            .strip_suffix('*')
            .is_some_and(|prefix| !holds_wildcard(prefix) && narrow.starts_with(prefix));
    }
    wildcard_match(wide, narrow)
}

/// Matches `text` against `pattern`, where `*` matches any run of characters (across `/` and
/// `:`) and `?` any one character; ARNs compare case-sensitively.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    // ASCII text, the usual case, is matched byte by byte; otherwise `?` must take a whole
    // character.
    if pattern.is_ascii() && text.is_ascii() {
        return reference::wildcard_match_by(
            pattern.as_bytes(),
            text.as_bytes(),
            b'*',
            b'?',
            |a, b| a == b,
        );
    }
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    reference::wildcard_match_by(&pattern, &text, '*', '?', |a, b| a == b)
}

/// A statement that repeats another one exactly (apart from its `Sid`).
fn check_redundant_statements(document: &Document<'_>, ctx: &mut Context<'_>) {
    // Worked out once per statement, they rule out most pairs before a full comparison.
    let shapes: Vec<Shape> = document
        .statements
        .iter()
        .map(|statement| Shape::of(statement.node))
        .collect();
    for (index, statement) in document.statements.iter().enumerate() {
        let Some(shape) = shapes.get(index) else {
            continue;
        };
        let earlier = document.statements[..index]
            .iter()
            .zip(&shapes)
            .find(|&(other, other_shape)| {
                other_shape.may_repeat_in(shape) && same_members(other.node, statement.node)
            })
            .map(|(other, _)| other);
        if let Some(earlier) = earlier {
            ctx.report(
                IssueCode::RedundantStatement,
                statement.node.span,
                statement.path,
                Some(statement.index),
                format!(
                    "statement {} repeats statement {}",
                    statement.index, earlier.index
                ),
                Some("remove one of them".to_owned()),
            );
        }
    }
}

/// What a statement repeating another must share with it, cheap to compare.
struct Shape {
    /// Members apart from `Sid`.
    size: usize,
    /// `Action` as a string or an array of strings: its number of entries and their total
    /// length. Only when the statement has no element twice (apart from `Sid`): then a
    /// statement that repeats it has the one same `Action`.
    action: Option<(usize, usize)>,
}

impl Shape {
    fn of(statement: &Node<'_>) -> Shape {
        let Value::Object(members) = &statement.value else {
            return Shape {
                size: 0,
                action: None,
            };
        };
        let elements = || members.iter().filter(|member| member.key != "Sid");
        let once = elements().enumerate().all(|(position, member)| {
            elements()
                .take(position)
                .all(|other| other.key != member.key)
        });
        let action = members
            .iter()
            .find(|member| member.key == "Action")
            .filter(|_| once)
            .and_then(|member| match &member.value.value {
                Value::String(text) => Some((1, text.len())),
                Value::Array(items) => {
                    items
                        .iter()
                        .try_fold((0, 0), |(count, length), item| match &item.value {
                            Value::String(text) => Some((count + 1, length + text.len())),
                            _ => None,
                        })
                }
                _ => None,
            });
        Shape {
            size: elements().count(),
            action,
        }
    }

    /// False when a statement of shape `later` cannot repeat one of this shape.
    fn may_repeat_in(&self, later: &Shape) -> bool {
        self.size == later.size && (self.action.is_none() || self.action == later.action)
    }
}

/// Two statement objects with the same members apart from `Sid`, in any order, given that
/// they have as many (the caller compares their `Shape`).
fn same_members(a: &Node<'_>, b: &Node<'_>) -> bool {
    let (Value::Object(a), Value::Object(b)) = (&a.value, &b.value) else {
        return false;
    };
    a.iter().filter(|member| member.key != "Sid").all(|member| {
        b.iter()
            .any(|other| other.key == member.key && same_json(&member.value, &other.value))
    })
}

/// Equal JSON values, spans ignored; object members in any order.
fn same_json(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (&a.value, &b.value) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|member| {
                    b.iter().any(|other| {
                        other.key == member.key && same_json(&member.value, &other.value)
                    })
                })
        }
        (a, b) => a == b,
    }
}

// ---------------------------------------------------------------------------------------------
// Tag keys

/// The global tag keys, whose support differs from service to service.
const TAG_KEYS: &[&str] = &["aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys"];

/// A condition on a global tag key that an action's service never sets makes the condition
/// false for that action: an Allow never allows it, a Deny never denies it. Only conditions
/// that are false for an absent key are judged (not `...IfExists`, negated operators,
/// `ForAllValues:` or `Null: true`).
fn check_tag_keys_supported(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let (Some(effect), Some(actions)) = (statement.effect, &statement.action) else {
        return;
    };
    for (position, condition) in statement.conditions.iter().enumerate() {
        let key = condition.key.text;
        let is_tag_key = TAG_KEYS.iter().any(|tag| {
            key.get(..tag.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(tag))
        });
        // The condition rules' look-up, where they made one.
        let template = || {
            statement
                .condition_keys
                .get(position)
                .copied()
                .flatten()
                .or_else(|| reference::condition_key(key))
        };
        let Some(template) = is_tag_key.then(template).flatten() else {
            continue;
        };
        let Ok(operator) = super::operator::Operator::parse(condition.operator.text) else {
            continue;
        };
        if !super::condition::fails_without_key(operator, condition) {
            continue;
        }
        if actions.negated {
            let code = match effect {
                Effect::Allow => IssueCode::AllowNotactionWithUnsupportedTagConditionKeyForService,
                Effect::Deny => IssueCode::DenyNotactionWithUnsupportedTagConditionKeyForService,
            };
            let verb = if effect == Effect::Allow {
                "allows"
            } else {
                "denies"
            };
            ctx.report_entry(
                code,
                &condition.key,
                Some(statement.index),
                format!(
                    "with `NotAction`, this statement only {verb} the actions of services that support `{key}`"
                ),
                Some("list the actions instead of excluding some".to_owned()),
            );
            continue;
        }
        let mut services: Vec<reference::Service> = statement
            .actions
            .iter()
            .filter(|resolved| !resolved.everything)
            .flat_map(|resolved| resolved.actions.iter().map(|action| action.service()))
            .collect();
        // An entry's actions come in runs of one service: fewer to sort.
        services.dedup();
        services.sort_unstable_by_key(|service| service.prefix());
        services.dedup_by_key(|service| service.prefix());
        let unsupported: Vec<&str> = services
            .into_iter()
            .filter(|service| {
                !service
                    .condition_keys()
                    .any(|known| known.name().eq_ignore_ascii_case(template.name()))
            })
            .map(|service| service.prefix())
            .collect();
        if unsupported.is_empty() {
            continue;
        }
        let (code, outcome) = match effect {
            Effect::Allow => (
                IssueCode::AllowWithUnsupportedTagConditionKeyForService,
                "never allowed",
            ),
            Effect::Deny => (
                IssueCode::DenyWithUnsupportedTagConditionKeyForService,
                "never denied",
            ),
        };
        let services: Vec<String> = unsupported
            .iter()
            .map(|prefix| format!("`{prefix}`"))
            .collect();
        ctx.report_entry(
            code,
            &condition.key,
            Some(statement.index),
            format!(
                "the actions of {} are {outcome} here: the service does not support `{key}`",
                services.join(", ")
            ),
            // Removing actions from an Allow, or denying them in a statement of their own,
            // never widens what the policy allows.
            Some(
                match effect {
                    Effect::Deny => "deny them in a statement of their own, with a condition their service supports",
                    Effect::Allow => "remove them from this statement: it never allows them",
                }
                .to_owned(),
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Principals

/// The keys that tie a service principal to the resource it acts for (confused deputy).
const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

/// A resource policy that allows a service principal without `aws:SourceArn`,
/// `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` lets the service act for
/// anyone's resources.
fn check_service_principal_restricted(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::Resource || statement.effect != Some(Effect::Allow) {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    if SOURCE_KEYS
        .iter()
        .any(|key| has_condition_key(statement, key))
    {
        return;
    }
    for (kind, values) in &principal.entries {
        if kind.text != "Service" {
            continue;
        }
        for value in values {
            ctx.report_entry(
                IssueCode::RestrictAccessToServicePrincipal,
                value,
                Some(statement.index),
                format!(
                    "service principal `{}` is allowed for every account's resources",
                    value.text
                ),
                Some("add a condition on `aws:SourceArn` or `aws:SourceAccount`".to_owned()),
            );
        }
    }
}

/// Keys whose value the caller sets, which say nothing trustworthy about a service principal.
const WEAK_SERVICE_PRINCIPAL_KEYS: &[&str] = &["aws:Referer", "aws:UserAgent"];

/// A service principal limited by `aws:Referer` or `aws:UserAgent` instead of the `aws:Source*`
/// keys, which AWS sets itself.
fn check_service_principal_weak_keys(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    let has_service = statement.principal.as_ref().is_some_and(|principal| {
        !principal.negated
            && principal
                .entries
                .iter()
                .any(|(kind, _)| kind.text == "Service")
    });
    if !has_service || statement.effect != Some(Effect::Allow) {
        return;
    }
    for condition in &statement.conditions {
        if WEAK_SERVICE_PRINCIPAL_KEYS
            .iter()
            .any(|key| key.eq_ignore_ascii_case(condition.key.text))
        {
            ctx.report_entry(
                IssueCode::RecommendedConditionKeyForServicePrincipal,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is set by the caller and does not identify what a service acts for",
                    condition.key.text
                ),
                Some("use `aws:SourceArn` or `aws:SourceAccount`".to_owned()),
            );
        }
    }
}

/// A role trust policy that trusts a role needs no entry for that role's sessions
/// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` beside `arn:aws:iam::ACCOUNT:role/ROLE`).
fn check_redundant_session_principals(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::RoleTrust {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    let values: Vec<&Entry<'_>> = principal
        .entries
        .iter()
        .filter(|(kind, _)| kind.text == "AWS")
        .flat_map(|(_, values)| values)
        .collect();
    let roles: Vec<(&str, &str)> = values
        .iter()
        .filter_map(|value| {
            let (_partition, rest) = value.text.strip_prefix("arn:")?.split_once(":iam::")?;
            let (account, role) = rest.split_once(":role/")?;
            Some((account, role.rsplit('/').next().unwrap_or(role)))
        })
        .collect();
    for value in &values {
        let Some((account, session)) = value
            .text
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(":sts::"))
            .and_then(|(_, rest)| rest.split_once(":assumed-role/"))
        else {
            continue;
        };
        let Some((role, _)) = session.split_once('/') else {
            continue;
        };
        if roles.contains(&(account, role)) {
            ctx.report_entry(
                IssueCode::RedundantPrincipalInRoleTrustPolicy,
                value,
                Some(statement.index),
                format!(
                    "session `{}` is already trusted through its role `{role}`",
                    value.text
                ),
                Some(format!("remove `{}`", value.text)),
            );
        }
    }
}

/// GitHub's OIDC provider: its `sub` claim names the repository and branch.
const GITHUB: &str = "token.actions.githubusercontent.com";

/// Web identity providers that are named by host rather than by provider ARN.
const BUILT_IN_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// Trust to an OIDC provider needs a condition on that provider's claims, or every identity of
/// the provider (any GitHub repository, any Google user) may assume the role; for GitHub the
/// `sub` claim must be there and should name a repository and branch.
fn check_identity_provider_conditions(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if statement.effect != Some(Effect::Allow) {
        return;
    }
    let Some(principal) = statement.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    for (kind, values) in &principal.entries {
        if kind.text != "Federated" {
            continue;
        }
        for value in values {
            let Some(provider) = oidc_provider(value.text) else {
                continue;
            };
            let claims: Vec<_> = statement
                .conditions
                .iter()
                .filter(|condition| {
                    condition
                        .key
                        .text
                        .rsplit_once(':')
                        .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(provider))
                })
                .collect();
            if provider.eq_ignore_ascii_case(GITHUB) {
                check_github_subject(statement, value, &claims, ctx);
            } else if claims.is_empty() {
                ctx.report_entry(
                    IssueCode::MissingConditionKeyForOidcPrincipal,
                    value,
                    Some(statement.index),
                    format!("any identity of `{provider}` may assume this role"),
                    Some(format!(
                        "add a condition on `{provider}:aud` or `{provider}:sub`"
                    )),
                );
            }
        }
    }
}

/// The provider host of a Federated principal that is an OIDC provider, if it is one.
fn oidc_provider(federated: &str) -> Option<&str> {
    if let Some((_, path)) = federated.split_once(":oidc-provider/") {
        return Some(path);
    }
    BUILT_IN_PROVIDERS
        .iter()
        .find(|provider| provider.eq_ignore_ascii_case(federated))
        .map(|_| federated)
}

/// GitHub trust needs `token.actions.githubusercontent.com:sub`, without wildcards.
fn check_github_subject(
    statement: &Statement<'_>,
    principal: &Entry<'_>,
    claims: &[&super::Condition<'_>],
    ctx: &mut Context<'_>,
) {
    let subjects: Vec<_> = claims
        .iter()
        .filter(|condition| condition.key.text.to_ascii_lowercase().ends_with(":sub"))
        .collect();
    if subjects.is_empty() {
        ctx.report_entry(
            IssueCode::MissingGithubRepoConditionKey,
            principal,
            Some(statement.index),
            "any GitHub repository may assume this role".to_owned(),
            Some(format!(
                "add `\"StringEquals\": {{\"{GITHUB}:sub\": \"repo:OWNER/REPO:ref:refs/heads/BRANCH\"}}`"
            )),
        );
        return;
    }
    for condition in subjects {
        for node in &condition.values {
            let Value::String(text) = &node.value else {
                continue;
            };
            if holds_wildcard(text) {
                ctx.report(
                    IssueCode::SpecificGithubRepoAndBranchRecommended,
                    node.span,
                    condition.key.path,
                    Some(statement.index),
                    format!("`{text}` lets several repositories or branches assume this role"),
                    Some("name one repository and branch, e.g. `repo:OWNER/REPO:ref:refs/heads/main`".to_owned()),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Resource control policies

/// Keys about the calling principal, which service principals do not carry.
const PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalTag/",
];

/// Keys about the resource a service principal acts for, which only service calls carry.
const SOURCE_GUARDED_KEYS: &[&str] =
    &["aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceAccount"];

/// An RCP deny on principal keys must be limited to non-service callers
/// (`BoolIfExists aws:PrincipalIsAWSService false`), or it denies AWS services acting for the
/// account; a deny on source keys must be limited to service callers
/// (`aws:PrincipalIsAWSService true`) and to requests that carry a source
/// (`Null aws:SourceAccount false`).
fn check_rcp_principal_guards(statement: &Statement<'_>, ctx: &mut Context<'_>) {
    if ctx.kind != PolicyKind::Rcp || statement.effect != Some(Effect::Deny) {
        return;
    }
    let uses = |keys: &[&str]| {
        statement.conditions.iter().find(|condition| {
            keys.iter().any(|key| {
                let name = condition.key.text;
                if key.ends_with('/') {
                    name.get(..key.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(key))
                } else {
                    name.eq_ignore_ascii_case(key)
                }
            })
        })
    };
    let tests = |key: &str, operator_prefix: &str, value: &str| {
        statement.conditions.iter().any(|condition| {
            condition.key.text.eq_ignore_ascii_case(key)
                && condition.operator.text.starts_with(operator_prefix)
                && condition.values.iter().any(|node| match &node.value {
                    Value::String(text) => text.eq_ignore_ascii_case(value),
                    Value::Bool(flag) => flag.to_string() == value,
                    _ => false,
                })
        })
    };
    if let Some(condition) = uses(PRINCIPAL_KEYS)
        && !tests("aws:PrincipalIsAWSService", "Bool", "false")
    {
        ctx.report_entry(
            IssueCode::RcpMissingRelatedPrincipalConditionKey,
            &condition.key,
            Some(statement.index),
            format!(
                "`{}` is absent for AWS services, so this deny also stops services acting for you",
                condition.key.text
            ),
            Some("add `\"BoolIfExists\": {\"aws:PrincipalIsAWSService\": \"false\"}`".to_owned()),
        );
    }
    if let Some(condition) = uses(SOURCE_GUARDED_KEYS) {
        if !tests("aws:PrincipalIsAWSService", "Bool", "true") {
            ctx.report_entry(
                IssueCode::RcpMissingRelatedServicePrincipalConditionKey,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is only set for AWS services, so this deny also stops every other caller",
                    condition.key.text
                ),
                Some("add `\"Bool\": {\"aws:PrincipalIsAWSService\": \"true\"}`".to_owned()),
            );
        }
        if !tests("aws:SourceAccount", "Null", "false") && !tests("aws:SourceArn", "Null", "false")
        {
            ctx.report_entry(
                IssueCode::RcpMissingServiceConditionKeyNullCheck,
                &condition.key,
                Some(statement.index),
                format!(
                    "`{}` is absent when a service acts for no resource, so this deny also stops those calls",
                    condition.key.text
                ),
                Some("add `\"Null\": {\"aws:SourceAccount\": \"false\"}`".to_owned()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::condition::tests::{codes, findings, only};
    use super::super::testing::statement;
    use crate::IssueCode::{self, *};
    use crate::PolicyKind;

    fn check(elements: &str) -> Vec<IssueCode> {
        codes(&statement(elements), None)
    }

    /// Session Manager's sample policies (AWS documentation), placeholders filled in.
    #[test]
    fn session_manager_samples_pass() {
        let end_user = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ssm:StartSession"],
             "Resource": ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
                          "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"],
             "Condition": {"BoolIfExists": {"ssm:SessionDocumentAccessCheck": "true"}}},
            {"Effect": "Allow", "Action": ["ssm:DescribeSessions", "ssm:GetConnectionStatus",
             "ssm:DescribeInstanceProperties", "ec2:DescribeInstances"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["ssm:TerminateSession", "ssm:ResumeSession"],
             "Resource": ["arn:aws:ssm:*:*:session/${aws:userid}-*"]},
            {"Effect": "Allow", "Action": ["kms:GenerateDataKey"],
             "Resource": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#;
        assert_eq!(codes(end_user, None), []);
        let administrator = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ssm:StartSession"],
             "Resource": ["arn:aws:ec2:us-east-1:123456789012:instance/*"],
             "Condition": {"StringLike": {"ssm:resourceTag/Finance": ["WebServers"]}}},
            {"Effect": "Allow", "Action": ["ssm:DescribeSessions", "ssm:GetConnectionStatus",
             "ssm:DescribeInstanceProperties", "ec2:DescribeInstances"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["ssm:CreateDocument", "ssm:UpdateDocument", "ssm:GetDocument", "ssm:StartSession"],
             "Resource": "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"},
            {"Effect": "Allow", "Action": ["ssm:TerminateSession", "ssm:ResumeSession"],
             "Resource": ["arn:aws:ssm:*:*:session/${aws:userid}-*"]}]}"#;
        assert_eq!(codes(administrator, None), []);
    }

    #[test]
    fn pass_role_on_every_role() {
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "*""#),
            [PassRoleWithStarInResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*""#
            ),
            [PassRoleWithStarInResource]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:Pass*", "Resource": "*""#),
            [PassRoleWithStarInActionAndResource]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "NotAction": "s3:*", "Resource": "*""#),
            [
                PassRoleWithStarInResourceAndNotAction,
                CreateSlrWithStarInResourceAndNotAction
            ]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::123456789012:role/admin""#
            ),
            [PassRoleWithNotResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:*", "NotResource": "arn:aws:iam::123456789012:role/admin""#
            ),
            [
                PassRoleWithStarInActionAndNotResource,
                CreateSlrWithStarInActionAndNotResource
            ]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b""#),
            [
                PassRoleWithNotActionAndNotResource,
                CreateSlrWithNotActionAndNotResource
            ]
        );
    }

    #[test]
    fn pass_role_that_is_scoped_passes() {
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#
            ),
            []
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-*""#
            ),
            []
        );
        assert_eq!(
            check(r#""Effect": "Deny", "Action": "iam:PassRole", "Resource": "*""#),
            []
        );
        assert_eq!(
            check(r#""Effect": "Allow", "NotAction": "iam:*", "Resource": "*""#),
            []
        );
    }

    #[test]
    fn pass_role_only_in_identity_policies() {
        let full = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#;
        assert_eq!(codes(full, Some(PolicyKind::Rcp)), []);
        let scp = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#;
        assert_eq!(codes(scp, Some(PolicyKind::Scp)), []);
        assert_eq!(
            codes(scp, None),
            [
                PassRoleWithStarInActionAndResource,
                CreateSlrWithStarInActionAndResource
            ]
        );
    }

    #[test]
    fn create_service_linked_role_on_every_role() {
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*""#),
            [CreateSlrWithStarInResource]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "iam:Create*", "Resource": "*""#),
            [CreateSlrWithStarInActionAndResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": "arn:aws:iam::123456789012:role/x""#
            ),
            [CreateSlrWithNotResource]
        );
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringEquals": {"iam:AWSServiceName": "rds.amazonaws.com"}}"#
            ),
            []
        );
    }

    #[test]
    fn redundant_actions() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": ["iam:Get*", "iam:GetCredentialReport"], "Resource": "*""#,
            ),
            None,
            RedundantAction,
        );
        assert_eq!(
            finding.message,
            "`iam:GetCredentialReport` is already covered by `iam:Get*`"
        );
        assert!(finding.path.ends_with("Action[1]"));
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": ["s3:GetObject", "S3:getobject"], "Resource": "*""#,
            ),
            None,
            RedundantAction,
        );
        assert!(finding.path.ends_with("Action[1]"), "{finding:?}");
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*""#
            ),
            []
        );
        // Each entry names the first entry in list order that covers it: a later wildcard for
        // the first, the first spelling of the action for its repeats.
        let found = findings(
            &statement(
                r#""Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "s3:GetObject", "ssm:StartSession", "S3:getobject", "s3:get*"], "Resource": "*""#,
            ),
            None,
        );
        let messages: Vec<(&str, &str)> = found
            .iter()
            .filter(|finding| finding.code == RedundantAction)
            .map(|finding| (finding.path.as_str(), finding.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "Statement[0].Action[0]",
                    "`s3:GetObject` is already covered by `s3:Get*`"
                ),
                ("Statement[0].Action[2]", "`s3:GetObject` is listed twice"),
                ("Statement[0].Action[4]", "`S3:getobject` is listed twice"),
                ("Statement[0].Action[5]", "`s3:get*` is listed twice"),
            ]
        );
    }

    #[test]
    fn redundant_resources() {
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/2026.csv"]"#,
            ),
            None,
            RedundantResource,
        );
        assert!(finding.path.ends_with("Resource[1]"));
        // `x*` covers `x?`, but `x?` does not cover `x*`.
        let finding = only(
            &statement(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/x?", "arn:aws:s3:::b/x*"]"#,
            ),
            None,
            RedundantResource,
        );
        assert!(finding.path.ends_with("Resource[0]"));
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"]"#
            ),
            [RedundantResource]
        );
    }

    #[test]
    fn wildcard_matching() {
        assert!(super::wildcard_match(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/a/b"
        ));
        assert!(super::wildcard_match("a?c*", "abcdef"));
        assert!(super::wildcard_match("*x*", "axb"));
        assert!(!super::wildcard_match("a?c", "ac"));
        assert!(!super::wildcard_match(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::c/a"
        ));
    }

    #[test]
    fn redundant_statements() {
        let doc = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Sid": "B", "Resource": "arn:aws:s3:::b/*", "Action": "s3:GetObject", "Effect": "Allow"}]}"#;
        let finding = only(doc, None, RedundantStatement);
        assert_eq!(finding.statement, Some(1));
        let different = doc.replace("\"Effect\": \"Allow\"}", "\"Effect\": \"Deny\"}");
        assert_eq!(codes(&different, None), []);
        // Elements given twice, in another order: still a repeat, though the first `Action`
        // of each differs.
        let twice = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:ListBucket"},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Action": "s3:GetObject"}]}"#;
        let found = findings(twice, None);
        assert!(
            found
                .iter()
                .any(|finding| finding.code == RedundantStatement && finding.statement == Some(1)),
            "{found:#?}"
        );
    }

    #[test]
    fn tag_keys_on_services_without_tags() {
        // Resource Groups Tagging API (`tag:`) has no `aws:ResourceTag` support.
        let condition = r#""Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}"#;
        assert_eq!(
            check(&format!(
                r#""Effect": "Allow", "Action": ["ec2:StartInstances", "tag:GetResources"], "Resource": "*", {condition}"#
            )),
            [AllowWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Deny", "Action": ["ec2:StartInstances", "tag:GetResources"], "Resource": "*", {condition}"#
            )),
            [DenyWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Allow", "NotAction": "iam:*", "Resource": "*", {condition}"#
            )),
            [AllowNotactionWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Deny", "NotAction": "iam:*", "Resource": "*", {condition}"#
            )),
            [DenyNotactionWithUnsupportedTagConditionKeyForService]
        );
        assert_eq!(
            check(&format!(
                r#""Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*", {condition}"#
            )),
            []
        );
        // `ForAllValues:` holds without the key: nothing is left out.
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": ["ec2:CreateTags", "tag:TagResources"], "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}"#
            ),
            []
        );
        // A negated condition is true when the key is absent: nothing escapes.
        assert_eq!(
            check(
                r#""Effect": "Deny", "Action": ["ec2:StartInstances", "tag:GetResources"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/team": "blue"}}"#
            ),
            []
        );
    }

    #[test]
    fn service_principals_need_a_source() {
        let policy = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Service": "sns.amazonaws.com"}}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"{condition}}}}}"#
            )
        };
        assert_eq!(
            codes(&policy(""), Some(PolicyKind::Resource)),
            [RestrictAccessToServicePrincipal]
        );
        assert_eq!(
            codes(
                &policy(
                    r#", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}}"#
                ),
                Some(PolicyKind::Resource)
            ),
            []
        );
    }

    #[test]
    fn service_principals_with_caller_set_keys() {
        let policy = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#;
        assert_eq!(
            codes(policy, Some(PolicyKind::Resource)),
            [RecommendedConditionKeyForServicePrincipal]
        );
    }

    #[test]
    fn rcp_guards() {
        let rcp = |condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {condition}}}}}"#
            )
        };
        let rcp_codes = |condition: &str| codes(&rcp(condition), Some(PolicyKind::Rcp));
        assert_eq!(
            rcp_codes(r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#),
            [RcpMissingRelatedPrincipalConditionKey]
        );
        assert_eq!(
            rcp_codes(
                r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}"#
            ),
            []
        );
        assert_eq!(
            rcp_codes(r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}"#),
            [
                RcpMissingRelatedServicePrincipalConditionKey,
                RcpMissingServiceConditionKeyNullCheck
            ]
        );
        assert_eq!(
            rcp_codes(
                r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}, "Null": {"aws:SourceAccount": "false"}, "Bool": {"aws:PrincipalIsAWSService": "true"}}"#
            ),
            []
        );
    }

    #[test]
    fn identity_providers_need_claims() {
        let trust = |federated: &str, condition: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Principal": {{"Federated": "{federated}"}}, "Action": "sts:AssumeRoleWithWebIdentity"{condition}}}}}"#
            )
        };
        let github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        let trust_codes =
            |federated, condition| codes(&trust(federated, condition), Some(PolicyKind::RoleTrust));
        assert_eq!(trust_codes(github, ""), [MissingGithubRepoConditionKey]);
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#
            ),
            [MissingGithubRepoConditionKey]
        );
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo/app:*"}}"#
            ),
            [SpecificGithubRepoAndBranchRecommended]
        );
        assert_eq!(
            trust_codes(
                github,
                r#", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo/app:ref:refs/heads/main"}}"#
            ),
            []
        );
        assert_eq!(
            trust_codes("accounts.google.com", ""),
            [MissingConditionKeyForOidcPrincipal]
        );
        assert_eq!(
            trust_codes(
                "accounts.google.com",
                r#", "Condition": {"StringEquals": {"accounts.google.com:aud": "my-app"}}"#
            ),
            []
        );
        assert_eq!(
            trust_codes("arn:aws:iam::123456789012:saml-provider/corp", ""),
            []
        );
    }

    #[test]
    fn sessions_beside_their_role() {
        let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/ops/Admin", "arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:sts::123456789012:assumed-role/Other/bob"]}, "Action": "sts:AssumeRole"}}"#;
        let finding = only(
            trust,
            Some(PolicyKind::RoleTrust),
            RedundantPrincipalInRoleTrustPolicy,
        );
        assert!(finding.path.ends_with("AWS[1]"), "{finding:?}");
    }

    #[test]
    fn wildcards_in_service_names() {
        assert_eq!(
            check(
                r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:*code*:us-east-1:123456789012:*", "arn:aws:s3:::b/*"]"#
            ),
            [WildcardInServiceName]
        );
        assert_eq!(
            check(r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:*:*:*:*""#),
            []
        );
    }

    /// Trust policies from AWS's documentation: none of them may be reported.
    #[test]
    fn documented_trust_policies_pass() {
        let saml = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/corp"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"], "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}}"#;
        let eks = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:my-sa", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"}}}}"#;
        let ec2 = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#;
        let cross_account = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}}"#;
        let google = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"accounts.google.com:aud": "66677788899900pro0"}}}}"#;
        for trust in [saml, eks, ec2, cross_account, google] {
            assert_eq!(codes(trust, Some(PolicyKind::RoleTrust)), [], "{trust}");
        }
    }
}
