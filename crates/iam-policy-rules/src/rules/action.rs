//! `Action`/`NotAction`: every entry must name actions of the reference. Resolves each entry
//! to the actions it names, for the rules that run after this one.

use super::{
    Context, Entry, NamedActions, ResolvedAction, ResolvedActions, Statement, did_you_mean,
    holds_wildcard,
};
use crate::element;
use crate::{IssueCode, PolicyKind};
use iam_policy_reference as reference;
use std::borrow::Cow;
use std::cell::RefCell;

/// Checks the statement's action entries; returns what they resolve to and whether all did.
pub(crate) fn check_statement(
    statement: &Statement<'_>,
    ctx: &mut Context<'_>,
) -> (ResolvedActions, bool) {
    let Some(element) = &statement.action else {
        return (ResolvedActions::default(), false);
    };
    let at = Some(statement.index);
    if element.negated && ctx.kind == PolicyKind::Rcp {
        ctx.report(
            IssueCode::RcpSyntaxErrorNotaction,
            element.name_span,
            statement.path.member(&Cow::Borrowed(element::NOT_ACTION)),
            at,
            "a resource control policy cannot use `NotAction`".to_owned(),
            Some("list the actions in `Action` instead".to_owned()),
        );
    }
    let mut check_entry = |index: usize, entry: &Entry<'_>| {
        if ctx.kind == PolicyKind::Rcp {
            check_rcp_service(entry, at, ctx);
        }
        let (everything, wildcard, actions) = resolve(entry, at, ctx)?;
        Some(ResolvedAction {
            entry: index,
            everything,
            wildcard,
            actions,
        })
    };
    if let [entry] = &element.entries[..] {
        return match check_entry(0, entry) {
            Some(resolved) => (ResolvedActions::One(resolved), true),
            None => (ResolvedActions::default(), false),
        };
    }
    let mut resolved = Vec::with_capacity(element.entries.len());
    let mut complete = true;
    for (index, entry) in element.entries.iter().enumerate() {
        match check_entry(index, entry) {
            Some(action) => resolved.push(action),
            None => complete = false,
        }
    }
    (ResolvedActions::List(resolved), complete)
}

/// A resource control policy may only name actions of the services that support RCPs.
fn check_rcp_service(entry: &Entry<'_>, at: Option<usize>, ctx: &mut Context<'_>) {
    let Some((prefix, _)) = entry.text.split_once(':') else {
        return;
    };
    let Some(service) = reference::service(prefix) else {
        return;
    };
    if service.supports_resource_control_policies() == Some(false) {
        ctx.report_entry(
            IssueCode::RcpSyntaxErrorAction,
            entry,
            at,
            format!(
                "`{}`: resource control policies do not apply to `{}` actions",
                entry.text,
                service.prefix()
            ),
            Some(
                "name actions of services that support RCPs (such as `s3`, `sts`, `kms`, `sqs`, `secretsmanager`), or use a service control policy".to_owned(),
            ),
        );
    }
}

/// `(everything, wildcard, actions)` for one entry, or `None` (reported) when it names nothing.
fn resolve(
    entry: &Entry<'_>,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) -> Option<(bool, bool, NamedActions)> {
    let text = entry.text;
    if text == "*" {
        return Some((true, true, NamedActions::List(Cow::Borrowed(&[]))));
    }
    // The entries that resolved lately on this thread without a finding: the policies of a run
    // name the same actions again, and what an entry names depends on its text alone (but in
    // an SCP, whose own wildcard rule reports entries that resolve). Lists gathered from
    // several services are owned, and resolved again rather than copied.
    type Kept = reference::recent::Recent<(bool, NamedActions), 8>;
    thread_local! {
        static RECENT: RefCell<Kept> = const { RefCell::new(Kept::new()) };
    }
    let key = text.as_bytes();
    let kept = ctx.kind != PolicyKind::Scp && Kept::keeps(key);
    if kept && let Some((wildcard, actions)) = RECENT.with_borrow(|recent| recent.get((0, 0), key))
    {
        return Some((false, wildcard, actions));
    }
    let reported = ctx.finding_count();
    let (everything, wildcard, actions) = resolve_afresh(entry, at, ctx)?;
    if kept
        && ctx.finding_count() == reported
        && !matches!(actions, NamedActions::List(Cow::Owned(_)))
    {
        RECENT.with_borrow_mut(|recent| recent.put((0, 0), key, (wildcard, actions.clone())));
    }
    Some((everything, wildcard, actions))
}

/// [`resolve`] for an entry other than `"*"`, without the entries resolved before.
fn resolve_afresh(
    entry: &Entry<'_>,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) -> Option<(bool, bool, NamedActions)> {
    let text = entry.text;
    let colon = crate::bytes::first_of(text.as_bytes(), b':');
    let Some((prefix, name)) = colon.and_then(|at| Some((text.get(..at)?, text.get(at + 1..)?)))
    else {
        ctx.report_entry(
            IssueCode::InvalidAction,
            entry,
            at,
            format!("`{text}` is not an action: actions are written `service:ActionName`"),
            Some("write e.g. `ssm:StartSession`, or `\"*\"` for every action".to_owned()),
        );
        return None;
    };
    // `:` is no wildcard: the whole entry tells whether either half has one, and most have none.
    let wildcard = holds_wildcard(text);
    let prefix_has_wildcard = wildcard && holds_wildcard(prefix);
    if ctx.kind == PolicyKind::Scp && scp_wildcard_misplaced(prefix, name) {
        ctx.report_entry(
            IssueCode::ScpSyntaxErrorActionWildcard,
            entry,
            at,
            format!("`{text}`: a service control policy allows `*` only at the end of an action"),
            Some("write e.g. `ec2:Describe*`, or list the actions".to_owned()),
        );
    }
    if prefix.is_empty() || name.is_empty() {
        ctx.report_entry(
            IssueCode::InvalidAction,
            entry,
            at,
            format!("`{text}` is not an action: the service prefix or the action name is empty"),
            Some("write e.g. `ssm:StartSession`".to_owned()),
        );
        return None;
    }
    // The common case first: one look-up for a known action.
    let service = if prefix_has_wildcard {
        None
    } else {
        reference::service(prefix)
    };
    // `reference::action(text)`, with the service looked up once per run of entries.
    if !wildcard && let Some(action) = service.and_then(|service| service.action(name)) {
        return Some((false, false, NamedActions::One(action)));
    }
    if !prefix_has_wildcard && service.is_none() {
        unknown_service(entry, prefix, name, at, ctx);
        return None;
    }
    if wildcard {
        let matching = match service {
            Some(service) => service.actions_matching(text),
            None => reference::actions_matching(text),
        };
        match matching {
            Ok(mut actions) if !actions.is_empty() => {
                // Sorted once here for the later rules' subset and membership tests (the
                // reference lists them by prefix and name, which is normally this order). A
                // borrowed list is a run of the reference's table, whose handles ascend: only
                // a list gathered from several services needs the test.
                if let Cow::Owned(list) = &mut actions
                    && !list.is_sorted()
                {
                    list.sort_unstable();
                }
                Some((false, true, NamedActions::List(actions)))
            }
            Ok(_) | Err(reference::PatternError::NoMatch { .. }) => {
                let scope = if prefix_has_wildcard {
                    "any service".to_owned()
                } else {
                    format!("`{}`", prefix.to_ascii_lowercase())
                };
                let suggestions = ctx.suggest(|| crate::suggest::suggest_action(text));
                ctx.report_entry(
                    IssueCode::InvalidAction,
                    entry,
                    at,
                    format!("`{text}` matches no action of {scope}"),
                    did_you_mean(suggestions.first().map(String::as_str))
                        .or_else(|| Some("check the spelling of the pattern".to_owned())),
                );
                None
            }
            Err(reference::PatternError::UnknownService { .. }) => {
                unknown_service(entry, prefix, name, at, ctx);
                None
            }
            Err(error) => {
                ctx.report_entry(
                    IssueCode::InvalidAction,
                    entry,
                    at,
                    format!("`{text}` is not a valid action pattern: {error}"),
                    None,
                );
                None
            }
        }
    } else {
        unknown_action(entry, prefix, name, at, ctx);
        None
    }
}

/// A name without wildcard that is no action of a known service: retired or misspelt. Cold
/// and out of line, so the look-up loop over action entries stays compact.
#[cold]
#[inline(never)]
fn unknown_action(
    entry: &Entry<'_>,
    prefix: &str,
    name: &str,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) {
    let text = entry.text;
    if let Some(spelling) = reference::retired_action(text) {
        ctx.report_entry(
            IssueCode::RetiredAction,
            entry,
            at,
            format!(
                "`{spelling}` was retired: it is in the 2024 reference but no longer an action of `{}`",
                prefix.to_ascii_lowercase()
            ),
            Some("remove it: it grants nothing any more".to_owned()),
        );
    } else {
        let suggestions = ctx.suggest(|| crate::suggest::suggest_action(text));
        ctx.report_entry(
            IssueCode::InvalidAction,
            entry,
            at,
            format!(
                "`{text}` is not an action: `{}` has no action `{name}`",
                prefix.to_ascii_lowercase()
            ),
            did_you_mean(suggestions.first().map(String::as_str)).or_else(|| {
                Some(format!(
                    "run `iam-policy actions '{}:*'` to list its actions",
                    prefix.to_ascii_lowercase()
                ))
            }),
        );
    }
}

/// In an SCP `*` may only end the action name: no `*` in the prefix or inside the name.
fn scp_wildcard_misplaced(prefix: &str, name: &str) -> bool {
    let inner = name.strip_suffix('*').unwrap_or(name);
    prefix.contains('*') || inner.contains('*')
}

/// Cold and out of line like [`unknown_action`].
#[cold]
#[inline(never)]
fn unknown_service(
    entry: &Entry<'_>,
    prefix: &str,
    name: &str,
    at: Option<usize>,
    ctx: &mut Context<'_>,
) {
    if reference::retired_service(prefix) {
        ctx.report_entry(
            IssueCode::RetiredService,
            entry,
            at,
            format!(
                "the service `{prefix}` was retired: it is in the 2024 reference but not any more"
            ),
            Some(format!(
                "remove the actions of `{prefix}`: they grant nothing any more"
            )),
        );
        return;
    }
    // Prefer naming a whole action that exists with the suggested prefix.
    let suggestions = ctx.suggest(|| crate::suggest::suggest_service(prefix));
    let help = suggestions
        .iter()
        .find_map(|candidate| {
            let spelled = format!("{candidate}:{name}");
            reference::action(&spelled).map(|action| action.to_string())
        })
        .or_else(|| suggestions.first().map(|candidate| (*candidate).to_owned()));
    ctx.report_entry(
        IssueCode::InvalidServiceInAction,
        entry,
        at,
        format!("`{prefix}` is not a service prefix"),
        did_you_mean(help.as_deref())
            .or_else(|| Some("run `iam-policy actions` to list the services".to_owned())),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, findings, only, statement};
    use crate::{IssueCode as C, PolicyKind};

    fn actions(list: &str) -> String {
        statement(&format!(
            r#""Effect": "Deny", "Action": {list}, "Resource": "*""#
        ))
    }

    #[test]
    fn known_actions_pass_in_any_case() {
        // One entry per document: together the redundancy rules would call them redundant.
        for entry in [
            "ssm:StartSession",
            "SSM:startsession",
            "ec2:Describe*",
            "s3:Get?bject",
            "*",
        ] {
            let found = codes(&actions(&format!(r#""{entry}""#)), None);
            assert!(found.is_empty(), "{entry}: {found:?}");
        }
    }

    #[test]
    fn unknown_action_suggests_the_nearest() {
        let finding = only(&actions(r#""ssm:StartSesion""#), None, C::InvalidAction);
        assert_eq!(
            finding.message,
            "`ssm:StartSesion` is not an action: `ssm` has no action `StartSesion`"
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `ssm:StartSession`?")
        );
        assert_eq!(finding.path, "Statement[0].Action");
    }

    #[test]
    fn unknown_service_suggests_a_prefix() {
        let finding = only(
            &actions(r#"["ssm:StartSession", "sssm:StartSession"]"#),
            None,
            C::InvalidServiceInAction,
        );
        assert_eq!(finding.message, "`sssm` is not a service prefix");
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean `ssm:StartSession`?")
        );
        assert_eq!(finding.path, "Statement[0].Action[1]");
    }

    #[test]
    fn a_pattern_that_matches_nothing() {
        let finding = only(&actions(r#""ssm:Strat*""#), None, C::InvalidAction);
        assert_eq!(finding.message, "`ssm:Strat*` matches no action of `ssm`");
        let found = codes(&actions(r#""ssm""#), None);
        assert_eq!(found, vec![C::InvalidAction]);
        let found = codes(&actions(r#""ssm:""#), None);
        assert_eq!(found, vec![C::InvalidAction]);
    }

    #[test]
    fn scp_wildcards_only_at_the_end() {
        let doc = actions(r#"["ec2:*Instances", "ec2:Describe*", "*"]"#);
        let finding = only(&doc, Some(PolicyKind::Scp), C::ScpSyntaxErrorActionWildcard);
        assert_eq!(finding.path, "Statement[0].Action[0]");
        assert!(!codes(&doc, None).contains(&C::ScpSyntaxErrorActionWildcard));
    }

    /// The entries that resolved before on this thread are kept: a document resolves alike the
    /// second time (the redundancy rule reads the resolved lists), and an SCP's wildcard rule
    /// still reports an entry that resolved clean in another kind of policy.
    #[test]
    fn entries_resolved_before_resolve_alike() {
        let doc = actions(r#"["ec2:*Instances", "s3:Get*", "s3:GetObject", "ssm:StartSesion"]"#);
        let first = findings(&doc, None);
        assert_eq!(
            first.iter().map(|finding| finding.code).collect::<Vec<_>>(),
            [C::RedundantAction, C::InvalidAction]
        );
        assert_eq!(findings(&doc, None), first);
        let finding = only(&doc, Some(PolicyKind::Scp), C::ScpSyntaxErrorActionWildcard);
        assert_eq!(finding.path, "Statement[0].Action[0]");
        assert_eq!(findings(&doc, None), first);
    }

    #[test]
    fn rcp_refuses_not_action() {
        let doc = statement(
            r#""Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*""#,
        );
        let finding = only(&doc, Some(PolicyKind::Rcp), C::RcpSyntaxErrorNotaction);
        assert_eq!(finding.path, "Statement[0].NotAction");
    }

    #[test]
    fn rcp_names_only_services_that_support_rcps() {
        let doc = statement(
            r#""Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject", "ec2:RunInstances", "sts:*", "*"], "Resource": "*""#,
        );
        let finding = only(&doc, Some(PolicyKind::Rcp), C::RcpSyntaxErrorAction);
        assert_eq!(finding.path, "Statement[0].Action[1]");
        assert!(!codes(&doc, Some(PolicyKind::Scp)).contains(&C::RcpSyntaxErrorAction));
    }

    #[test]
    fn retired_names_are_warnings() {
        // `deeplens` and `sso:DescribeDirectories` are in the 2024 snapshot and gone now.
        let finding = only(
            &actions(r#""deeplens:ListProjects""#),
            None,
            C::RetiredService,
        );
        assert_eq!(
            finding.message,
            "the service `deeplens` was retired: it is in the 2024 reference but not any more"
        );
        let finding = only(
            &actions(r#""sso:DescribeDirectories""#),
            None,
            C::RetiredAction,
        );
        assert!(
            finding
                .message
                .starts_with("`sso:DescribeDirectories` was retired"),
            "{}",
            finding.message
        );
        assert_eq!(
            codes(&actions(r#""sso:DescribeDirectories""#), None),
            vec![C::RetiredAction]
        );
    }

    #[test]
    fn entries_resolve_for_the_later_rules() {
        let text = actions(r#"["ssm:StartSession", "ssm:Get*", "nope:X", "*"]"#);
        let Ok(node) = crate::parse::parse(&text) else {
            unreachable!("valid JSON")
        };
        let options = crate::Options::default();
        let mut ctx = super::super::Context::new(&options, PolicyKind::Identity);
        let doc = super::super::grammar::check_document(&node, &mut ctx);
        let Some(statement) = doc.statements.first() else {
            unreachable!("one statement")
        };
        let (resolved, complete) = super::check_statement(statement, &mut ctx);
        assert!(!complete);
        assert_eq!(resolved.len(), 3);
        assert_eq!(resolved[0].actions.len(), 1);
        assert!(resolved[1].wildcard && resolved[1].actions.len() > 5);
        assert!(resolved[2].everything && resolved[2].actions.is_empty());
        assert_eq!(resolved[2].entry, 3);
    }
}
