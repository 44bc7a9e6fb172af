//! The evaluation engine behind `iam_policy::eval`, which documents it: whether AWS allows a
//! request under a set of policies. A crate of its own so that it compiles beside the `policy!`
//! macro, not after it. Implementation detail of `iam-policy`; not covered by semver.

mod request;
mod statement;
mod testing;

use std::fmt;

pub use request::{Context, ContextValue, ContextWarning, Principal, PrincipalError, Request};
pub use statement::{FailedCondition, PrincipalMatch, StatementMatch};
pub use testing::{AllowedByPolicy, assert_allowed, assert_denied};

use iam_policy_core::model::{Effect, OneOrMany, Policy, Statement, Text};
use statement::Env;

/// The final decision, in AWS's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// `allowed`: some policy allows and every policy that limits does too.
    Allowed,
    /// `explicitDeny`: a `Deny` statement applies.
    ExplicitDeny,
    /// `implicitDeny`: nothing denies, but nothing allows through every policy that must.
    ImplicitDeny,
}

impl Decision {
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }

    /// Reads [`Decision::as_str`]'s spelling.
    pub fn parse(text: &str) -> Option<Decision> {
        match text {
            "allowed" => Some(Decision::Allowed),
            "explicitDeny" => Some(Decision::ExplicitDeny),
            "implicitDeny" => Some(Decision::ImplicitDeny),
            _ => None,
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policies that apply to a request. Any of them may be absent.
#[derive(Clone, Debug, Default)]
pub struct PolicySet<'p> {
    /// The principal's identity-based policies (its own, its groups').
    pub identity: Vec<&'p Policy>,
    /// The resource-based policy: a bucket policy, a key policy, a role's trust policy, ...
    pub resource: Option<&'p Policy>,
    pub permissions_boundary: Option<&'p Policy>,
    /// The policy passed when the session was created.
    pub session: Option<&'p Policy>,
    /// Service control policies by level of the organization (root, OUs, account): each
    /// level is the policies attached there, and every level must allow.
    pub service_control: Vec<Vec<&'p Policy>>,
    /// Resource control policies by level; each level also holds `RCPFullAWSAccess`, which
    /// AWS attaches and nobody can detach, so only their `Deny` statements can decide.
    pub resource_control: Vec<Vec<&'p Policy>>,
    pub vpc_endpoint: Option<&'p Policy>,
}

impl<'p> PolicySet<'p> {
    /// Identity-based policies only.
    pub fn identity(policies: &[&'p Policy]) -> Self {
        PolicySet {
            identity: policies.to_vec(),
            ..PolicySet::default()
        }
    }
}

/// Which policy of a [`PolicySet`] a statement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyRef {
    /// Index in [`PolicySet::identity`].
    Identity(usize),
    Resource,
    PermissionsBoundary,
    Session,
    ServiceControl {
        level: usize,
        index: usize,
    },
    ResourceControl {
        level: usize,
        index: usize,
    },
    VpcEndpoint,
}

impl PolicyRef {
    /// The policy in `set`.
    pub fn get<'p>(self, set: &PolicySet<'p>) -> Option<&'p Policy> {
        match self {
            PolicyRef::Identity(index) => set.identity.get(index).copied(),
            PolicyRef::Resource => set.resource,
            PolicyRef::PermissionsBoundary => set.permissions_boundary,
            PolicyRef::Session => set.session,
            PolicyRef::ServiceControl { level, index } => {
                set.service_control.get(level)?.get(index).copied()
            }
            PolicyRef::ResourceControl { level, index } => {
                set.resource_control.get(level)?.get(index).copied()
            }
            PolicyRef::VpcEndpoint => set.vpc_endpoint,
        }
    }
}

impl fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyRef::Identity(index) => write!(f, "identity policy {index}"),
            PolicyRef::Resource => f.write_str("resource policy"),
            PolicyRef::PermissionsBoundary => f.write_str("permissions boundary"),
            PolicyRef::Session => f.write_str("session policy"),
            PolicyRef::ServiceControl { level, index } => {
                write!(f, "service control policy {index} of level {level}")
            }
            PolicyRef::ResourceControl { level, index } => {
                write!(f, "resource control policy {index} of level {level}")
            }
            PolicyRef::VpcEndpoint => f.write_str("VPC endpoint policy"),
        }
    }
}

/// One statement's evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementResult {
    pub policy: PolicyRef,
    /// Index in the policy's `Statement`.
    pub index: usize,
    pub result: StatementMatch,
}

/// The policy that stopped an implicitly denied request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeniedBy {
    /// No identity-based or resource-based policy allows.
    NoAllow,
    /// A level of service control policies has no `Allow` that applies.
    ServiceControl {
        level: usize,
    },
    PermissionsBoundary,
    Session,
    VpcEndpoint,
    /// A role trust policy or a KMS key policy must allow, and does not.
    ResourcePolicyRequired,
    /// Cross-account: the resource policy does not allow the principal of another account.
    CrossAccountResourcePolicy,
    /// Cross-account: the principal's own policies do not allow.
    CrossAccountIdentity,
}

impl DeniedBy {
    /// Whether `policy` is one of the policies that did not allow.
    pub fn concerns(self, policy: PolicyRef) -> bool {
        match (self, policy) {
            (DeniedBy::NoAllow, PolicyRef::Identity(_) | PolicyRef::Resource)
            | (DeniedBy::PermissionsBoundary, PolicyRef::PermissionsBoundary)
            | (DeniedBy::Session, PolicyRef::Session)
            | (DeniedBy::VpcEndpoint, PolicyRef::VpcEndpoint)
            | (
                DeniedBy::ResourcePolicyRequired | DeniedBy::CrossAccountResourcePolicy,
                PolicyRef::Resource,
            )
            | (DeniedBy::CrossAccountIdentity, PolicyRef::Identity(_)) => true,
            (DeniedBy::ServiceControl { level }, PolicyRef::ServiceControl { level: at, .. }) => {
                level == at
            }
            _ => false,
        }
    }

    /// The sentence that names it, in words written before and after the level of a service
    /// control policy (the only number in any): [`fmt::Display`] writes it, and so may a
    /// caller with no formatting.
    pub fn sentence(self) -> (&'static str, Option<usize>, &'static str) {
        let whole = |text| (text, None, "");
        match self {
            DeniedBy::NoAllow => {
                whole("no identity-based or resource-based policy allows the request")
            }
            DeniedBy::ServiceControl { level } => (
                "no service control policy of level ",
                Some(level),
                " allows the request",
            ),
            DeniedBy::PermissionsBoundary => {
                whole("the permissions boundary does not allow the request")
            }
            DeniedBy::Session => whole("the session policy does not allow the request"),
            DeniedBy::VpcEndpoint => whole("the VPC endpoint policy does not allow the request"),
            DeniedBy::ResourcePolicyRequired => whole(
                "a role trust policy or KMS key policy must allow the request itself, and it does not",
            ),
            DeniedBy::CrossAccountResourcePolicy => whole(
                "the request crosses accounts and the resource policy does not allow the principal",
            ),
            DeniedBy::CrossAccountIdentity => whole(
                "the request crosses accounts and the principal's own policies do not allow it",
            ),
        }
    }
}

impl fmt::Display for DeniedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, level, after) = self.sentence();
        f.write_str(before)?;
        if let Some(level) = level {
            write!(f, "{level}")?;
        }
        f.write_str(after)
    }
}

/// What an evaluation found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// The statements that decided: the `Deny` statements that apply for
    /// [`Decision::ExplicitDeny`], the `Allow` statements of every policy that had to allow
    /// for [`Decision::Allowed`], none for [`Decision::ImplicitDeny`] (see
    /// [`Evaluation::denied_by`]).
    pub deciding: Vec<StatementResult>,
    /// Every statement of every policy that applies to the request, in the set's order.
    pub statements: Vec<StatementResult>,
    /// For an implicit deny: the policy that did not allow.
    pub denied_by: Option<DeniedBy>,
}

impl Evaluation {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allowed
    }

    /// For an implicit deny, the `Allow` statements of the policies that had to allow and did
    /// not, each with why it does not apply; empty otherwise.
    pub fn unmet(&self) -> impl Iterator<Item = &StatementResult> {
        let denied_by = self.denied_by;
        self.statements.iter().filter(move |statement| {
            statement.result.effect == Effect::Allow
                && denied_by.is_some_and(|denied_by| denied_by.concerns(statement.policy))
        })
    }

    /// The decision and why, one line per statement that applies or decides.
    pub fn explain(&self, set: &PolicySet<'_>) -> String {
        let mut text = format!("decision: {}", self.decision);
        if let Some(denied_by) = self.denied_by {
            text.push_str(&format!(" ({denied_by})"));
        }
        text.push('\n');
        for statement in &self.statements {
            let deciding = self.deciding.contains(statement)
                || self
                    .denied_by
                    .is_some_and(|by| by.concerns(statement.policy));
            text.push_str(if deciding { "* " } else { "  " });
            text.push_str(&describe(statement, set));
            text.push('\n');
        }
        text
    }
}

/// One line about a statement: where it is and why it did or did not apply.
pub fn describe(statement: &StatementResult, set: &PolicySet<'_>) -> String {
    let found = statement
        .policy
        .get(set)
        .and_then(|policy| policy.statements().get(statement.index));
    let sid = found
        .and_then(|s| s.sid.as_deref())
        .map(|sid| format!(" (`{sid}`)"))
        .unwrap_or_default();
    let place = format!("{} statement {}{sid}", statement.policy, statement.index);
    match found {
        Some(found) => format!("{place}: {}", why(found, &statement.result)),
        None => place,
    }
}

/// Why a statement did or did not apply, in words.
pub fn why(statement: &Statement, result: &StatementMatch) -> String {
    let mut text = String::new();
    write_why(&mut text, statement, result);
    text
}

/// Whether [`write_why`] explains `result` in the engine's own words alone, with no text of the
/// statement (its actions, resources, condition operators and keys): so for a statement that
/// applies. Those words hold no character that JSON escapes.
pub fn why_in_own_words(result: &StatementMatch) -> bool {
    result.applies()
}

/// Appends [`why`]'s words to `out`, pushed part by part with no formatting: the deciding
/// statements of every scenario are explained.
pub fn write_why(out: &mut String, statement: &Statement, result: &StatementMatch) {
    out.push_str(statement.effect.as_str());
    let texts = |out: &mut String, values: &OneOrMany<Text>| {
        for (index, value) in values.iter().enumerate() {
            out.push_str(if index > 0 { ", `" } else { "`" });
            out.push_str(value);
            out.push('`');
        }
    };
    // `Action`/`NotAction` or `Resource`/`NotResource` (`element`), which did not match the
    // request's action or resource (`noun`).
    let unmatched = |out: &mut String,
                     (element, noun): (&str, &str),
                     named: &Option<OneOrMany<Text>>,
                     not_named: &Option<OneOrMany<Text>>| {
        out.push_str(" does not apply: ");
        match (named, not_named) {
            (Some(values), _) => {
                out.push('`');
                out.push_str(element);
                out.push_str("` ");
                texts(out, values);
                out.push_str(" does not name the ");
            }
            (None, Some(values)) => {
                out.push_str("`Not");
                out.push_str(element);
                out.push_str("` ");
                texts(out, values);
                out.push_str(" names the ");
            }
            (None, None) => {
                out.push_str("the statement has no `");
                out.push_str(element);
                out.push('`');
                return;
            }
        }
        out.push_str(noun);
    };
    if !result.action {
        let element = ("Action", "action");
        unmatched(out, element, &statement.action, &statement.not_action);
        return;
    }
    if !result.resource {
        let element = ("Resource", "resource");
        unmatched(out, element, &statement.resource, &statement.not_resource);
        return;
    }
    let Some(principal) = result.principal else {
        out.push_str(if statement.principal.is_some() {
            " does not apply: `Principal` does not name the principal"
        } else {
            " does not apply: `NotPrincipal` names the principal"
        });
        return;
    };
    if let Some(failed) = result.failed_condition {
        let block = statement
            .condition
            .as_deref()
            .and_then(|blocks| blocks.get(failed.operator));
        let entry = block.and_then(|block| block.entries.get(failed.key));
        match (block, entry) {
            (Some(block), Some(entry)) => {
                for part in [
                    " does not apply: condition `",
                    &block.operator,
                    "` on `",
                    &entry.key,
                    "` does not match",
                ] {
                    out.push_str(part);
                }
            }
            _ => out.push_str(" does not apply: a condition does not match"),
        }
        return;
    }
    out.push_str(" applies: action and resource match");
    out.push_str(match principal {
        PrincipalMatch::Unnamed => "",
        PrincipalMatch::Account => ", `Principal` names the principal's account",
        PrincipalMatch::Everyone => ", `Principal` names everyone",
        PrincipalMatch::Role => ", `Principal` names the session's role",
        PrincipalMatch::Exactly => ", `Principal` names the principal",
    });
    if statement.condition.is_some() {
        out.push_str(", every condition matches");
    }
}

/// The actions whose resource policy must allow the request itself, even in the same account
/// ("How AWS enforcement code logic evaluates requests": role trust policies and KMS key
/// policies).
fn resource_policy_required(request: &Request) -> bool {
    // The service prefix without case, with no lowercase copy of the action.
    let service = |prefix: &str| {
        (request.action.as_bytes().get(..prefix.len()))
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    // `sts:AssumeRole...`, `sts:TagSession`, `sts:SetSourceIdentity`: the trust policy decides.
    let assume = service("sts:") && request.resource.contains(":role/");
    let kms = service("kms:")
        && request.resource.starts_with("arn:")
        && request.resource.contains(":kms:");
    assume || kms
}

/// The seconds since the epoch, for `aws:CurrentTime` and `aws:EpochTime`.
fn now() -> Option<u64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|elapsed| elapsed.as_secs())
}

/// Evaluates `request` against `set`.
pub fn evaluate(request: &Request, set: &PolicySet<'_>) -> Evaluation {
    let context = request.full_context(now);
    let env = Env {
        request,
        context: &context,
        action_literal: statement::is_literal(&request.action),
        resource_literal: statement::is_literal(&request.resource),
    };
    let principal = &request.principal;
    // Room for every statement of the set from the start.
    let count = |policies: &mut dyn Iterator<Item = &&Policy>| -> usize {
        policies.map(|policy| policy.statements().len()).sum()
    };
    let optional = [
        &set.resource,
        &set.permissions_boundary,
        &set.session,
        &set.vpc_endpoint,
    ];
    let mut statements = Vec::with_capacity(
        count(&mut set.identity.iter())
            + count(&mut optional.into_iter().flatten())
            + count(&mut set.service_control.iter().flatten())
            + count(&mut set.resource_control.iter().flatten()),
    );
    let run = |policy: &Policy, policy_ref: PolicyRef, statements: &mut Vec<StatementResult>| {
        let start = statements.len();
        let variables = policy.version.as_deref() == Some("2012-10-17");
        let attached = policy_ref == PolicyRef::Resource;
        for (index, statement) in policy.statements().iter().enumerate() {
            statements.push(StatementResult {
                policy: policy_ref,
                index,
                result: statement::evaluate(statement, &env, variables, attached),
            });
        }
        start..statements.len()
    };

    // Which policies apply ("Policy evaluation logic"): SCPs to the principals of the
    // organization's accounts, except service-linked roles; RCPs to the resources of services
    // that support them, except for service-linked roles; boundaries to users and roles;
    // session policies to sessions.
    let is_iam_principal = principal.account().is_some();
    // Looked up only for a set with SCPs or RCPs, which many sets have not.
    let service_linked = !(set.service_control.is_empty() && set.resource_control.is_empty())
        && principal.is_service_linked_role();
    let scp_applies = is_iam_principal && !service_linked;
    // A service the reference does not know, or a snapshot without the list: applied, as
    // RCPs can only deny. Looked up only for a set with RCPs.
    let rcp_applies = || {
        let service = request.action.split(':').next().unwrap_or_default();
        !service_linked
            && iam_policy_reference::service(service)
                .is_none_or(|service| service.supports_resource_control_policies() != Some(false))
    };

    // The identity policies' statements, one run of them: their allows are read as one.
    let identity_start = statements.len();
    if is_iam_principal {
        for (index, policy) in set.identity.iter().enumerate() {
            run(policy, PolicyRef::Identity(index), &mut statements);
        }
    }
    let identity = identity_start..statements.len();
    let resource = set
        .resource
        .map(|policy| run(policy, PolicyRef::Resource, &mut statements));
    let boundary = set
        .permissions_boundary
        .filter(|_| principal.has_boundary())
        .map(|policy| run(policy, PolicyRef::PermissionsBoundary, &mut statements));
    let session = set
        .session
        .filter(|_| principal.has_session())
        .map(|policy| run(policy, PolicyRef::Session, &mut statements));
    let mut scp_levels = Vec::with_capacity(if scp_applies {
        set.service_control.len()
    } else {
        0
    });
    if scp_applies {
        for (level, policies) in set.service_control.iter().enumerate() {
            let start = statements.len();
            for (index, policy) in policies.iter().enumerate() {
                run(
                    policy,
                    PolicyRef::ServiceControl { level, index },
                    &mut statements,
                );
            }
            scp_levels.push(start..statements.len());
        }
    }
    if !set.resource_control.is_empty() && rcp_applies() {
        for (level, policies) in set.resource_control.iter().enumerate() {
            for (index, policy) in policies.iter().enumerate() {
                run(
                    policy,
                    PolicyRef::ResourceControl { level, index },
                    &mut statements,
                );
            }
        }
    }
    let endpoint = set
        .vpc_endpoint
        .map(|policy| run(policy, PolicyRef::VpcEndpoint, &mut statements));

    let finish = |decision, deciding, denied_by, statements| Evaluation {
        decision,
        deciding,
        statements,
        denied_by,
    };

    // 1. An explicit deny in any policy that applies wins.
    let denies: Vec<StatementResult> = statements
        .iter()
        .filter(|s| s.result.effect == Effect::Deny && s.result.applies())
        .copied()
        .collect();
    if !denies.is_empty() {
        return finish(Decision::ExplicitDeny, denies, None, statements);
    }
    // The `Allow` statements that apply, extended into `deciding` where a policy allows: a
    // vector of its own per policy cost an allocation each in every evaluation.
    let allows_in = |range: std::ops::Range<usize>| {
        statements
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter(|s| s.result.effect == Effect::Allow && s.result.applies())
            .copied()
    };
    let allows =
        |range: &Option<std::ops::Range<usize>>| range.clone().into_iter().flat_map(allows_in);
    // Room for every statement that may decide from the start, not grown step by step.
    let mut deciding = Vec::with_capacity(statements.len());

    // 2. RCPs: every level holds `RCPFullAWSAccess`, so none can fail to allow.
    // 3. SCPs: every level must allow.
    for (level, range) in scp_levels.iter().enumerate() {
        let before = deciding.len();
        deciding.extend(allows_in(range.clone()));
        if deciding.len() == before {
            let denied_by = Some(DeniedBy::ServiceControl { level });
            return finish(Decision::ImplicitDeny, Vec::new(), denied_by, statements);
        }
    }
    // A VPC endpoint policy limits every request made through the endpoint.
    if let Some(range) = &endpoint {
        let before = deciding.len();
        deciding.extend(allows_in(range.clone()));
        if deciding.len() == before {
            let denied_by = Some(DeniedBy::VpcEndpoint);
            return finish(Decision::ImplicitDeny, Vec::new(), denied_by, statements);
        }
    }

    // 4. Resource-based policy, identity-based policies, boundary, session policy.
    let resource_allows = || allows(&resource);
    let resource_allowed = resource_allows().next().is_some();
    let resource_grant = resource_allows().filter_map(|s| s.result.principal).max();
    let identity_allows = || allows_in(identity.clone());
    // The root user has every permission in its own account without identity policies.
    let root = matches!(principal, Principal::Root { .. });
    let identity_allowed = root || identity_allows().next().is_some();
    let boundary_ok = boundary
        .as_ref()
        .is_none_or(|range| allows_in(range.clone()).next().is_some());
    let session_ok = session
        .as_ref()
        .is_none_or(|range| allows_in(range.clone()).next().is_some());
    let limits_failed = || {
        if !boundary_ok {
            Some(DeniedBy::PermissionsBoundary)
        } else if !session_ok {
            Some(DeniedBy::Session)
        } else {
            None
        }
    };

    let same_account = match (principal.account(), request.owning_account()) {
        (Some(principal_account), Some(resource_account)) => principal_account == resource_account,
        _ => false,
    };
    let required = resource_policy_required(request);

    // Which statements allow, beside the resource policy's: the identity policies', and the
    // boundary's and the session policy's (the limits).
    let outcome: Result<(bool, bool), DeniedBy> = if !is_iam_principal {
        // Services and anonymous requests have only the resource policy to allow them.
        if resource_allowed {
            Ok((false, false))
        } else {
            Err(DeniedBy::NoAllow)
        }
    } else if same_account {
        match resource_grant {
            // A resource policy that names the principal itself (the user, the role session,
            // the federated user) grants on its own, whatever the identity policies, the
            // boundary and the session policy say ("Policy evaluation for requests within a
            // single account").
            Some(PrincipalMatch::Exactly) => Ok((false, false)),
            // Naming the role (or everyone) grants without identity policies, but the
            // boundary and the session policy still limit it.
            Some(PrincipalMatch::Role | PrincipalMatch::Everyone) => match limits_failed() {
                Some(denied_by) => Err(denied_by),
                None => Ok((false, true)),
            },
            // Naming the account delegates to the identity policies; so does no grant at
            // all, except where the resource policy must grant itself.
            Some(PrincipalMatch::Account | PrincipalMatch::Unnamed) | None => {
                if required && resource_grant.is_none() {
                    Err(DeniedBy::ResourcePolicyRequired)
                } else if !identity_allowed {
                    Err(DeniedBy::NoAllow)
                } else if let Some(denied_by) = limits_failed() {
                    Err(denied_by)
                } else {
                    Ok((true, true))
                }
            }
        }
    } else if !resource_allowed {
        // Cross-account: the resource's account must allow the principal, and the
        // principal's account must allow the request ("Cross-account policy evaluation logic").
        Err(DeniedBy::CrossAccountResourcePolicy)
    } else if !identity_allowed {
        Err(DeniedBy::CrossAccountIdentity)
    } else if let Some(denied_by) = limits_failed() {
        Err(denied_by)
    } else {
        Ok((true, true))
    };
    match outcome {
        Ok((with_identity, with_limits)) => {
            if with_identity {
                deciding.extend(identity_allows());
            }
            deciding.extend(resource_allows());
            if with_limits {
                deciding.extend(allows(&boundary).chain(allows(&session)));
            }
            finish(Decision::Allowed, deciding, None, statements)
        }
        Err(denied_by) => finish(
            Decision::ImplicitDeny,
            Vec::new(),
            Some(denied_by),
            statements,
        ),
    }
}

#[cfg(test)]
mod tests;
