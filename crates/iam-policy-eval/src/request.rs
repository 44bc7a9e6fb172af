//! The request an evaluation answers: who asks for which action on which resource, and the
//! request context's keys.

use std::cell::OnceCell;
use std::fmt;

use iam_policy_reference::{self as reference, ConditionKeyType};

/// The principal making a request, read from its ARN or name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `arn:aws:iam::111122223333:user/path/name`.
    User { arn: String, account: String },
    /// `arn:aws:iam::111122223333:role/path/name`: the role itself (requests are made by its
    /// sessions, but a role ARN is accepted and evaluated like a session of it).
    Role { arn: String, account: String },
    /// `arn:aws:sts::111122223333:assumed-role/role-name/session-name`.
    AssumedRole {
        arn: String,
        account: String,
        /// `arn:aws:iam::111122223333:role/role-name`: the path is not part of a session's
        /// ARN, so a role named with a path matches by account and name.
        role_arn: String,
    },
    /// `arn:aws:iam::111122223333:root`, or a bare account ID: the account root user.
    Root { arn: String, account: String },
    /// `arn:aws:sts::111122223333:federated-user/name` (`GetFederationToken`).
    FederatedUser { arn: String, account: String },
    /// A service principal such as `lambda.amazonaws.com`, or an identity provider
    /// (`cognito-identity.amazonaws.com`, `arn:aws:iam::111122223333:saml-provider/corp`)
    /// for web identity and SAML federation.
    Service(String),
    /// An unauthenticated request.
    Anonymous,
}

/// What is wrong with a principal's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalError(String);

impl fmt::Display for PrincipalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PrincipalError {}

/// `text` before and after its first `byte` (ASCII). A loop over bytes: the fields of an ARN
/// are short, and a character searcher's set-up costs more than their whole search.
fn split_at(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|found| found == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

impl Principal {
    /// Reads a principal: an IAM or STS ARN, an account ID, a service principal or
    /// `anonymous`.
    pub fn parse(text: &str) -> Result<Principal, PrincipalError> {
        if text == "anonymous" || text == "*" {
            return Ok(Principal::Anonymous);
        }
        if is_account_id(text) {
            return Ok(Principal::Root {
                arn: format!("arn:aws:iam::{text}:root"),
                account: text.to_owned(),
            });
        }
        let Some(rest) = text.strip_prefix("arn:") else {
            // A service principal or identity provider is a host name:
            // `lambda.amazonaws.com`, `accounts.google.com`.
            if text.contains('.') && !text.contains([' ', ':', '/']) {
                return Ok(Principal::Service(text.to_owned()));
            }
            return Err(PrincipalError(format!(
                "`{text}` is not a principal: write an IAM or STS ARN, an account ID, a service \
                 principal such as `lambda.amazonaws.com`, or `anonymous`"
            )));
        };
        let fields = split_at(rest, b':').and_then(|(partition, rest)| {
            let (service, rest) = split_at(rest, b':')?;
            let (_region, rest) = split_at(rest, b':')?;
            let (account, resource) = split_at(rest, b':')?;
            Some((partition, service, account, resource))
        });
        let Some((partition, service, account, resource)) = fields else {
            return Err(PrincipalError(format!(
                "`{text}` is not an ARN: it needs six fields separated by `:`"
            )));
        };
        let owned = |arn: &str| (arn.to_owned(), account.to_owned());
        let bad = |what: &str| {
            Err(PrincipalError(format!(
                "`{text}` is not {what}: the account `{account}` is not 12 digits"
            )))
        };
        if !(is_account_id(account) || service == "iam" && resource.contains("-provider/")) {
            return bad("a principal");
        }
        match (service, split_at(resource, b'/')) {
            ("iam", None) if resource == "root" => {
                let (arn, account) = owned(text);
                Ok(Principal::Root { arn, account })
            }
            ("iam", Some(("user", _))) => {
                let (arn, account) = owned(text);
                Ok(Principal::User { arn, account })
            }
            ("iam", Some(("role", _))) => {
                let (arn, account) = owned(text);
                Ok(Principal::Role { arn, account })
            }
            ("iam", Some(("saml-provider" | "oidc-provider", _))) => {
                Ok(Principal::Service(text.to_owned()))
            }
            ("sts", Some(("assumed-role", session))) => match split_at(session, b'/') {
                Some((role, name)) if !role.is_empty() && !name.is_empty() => {
                    // Pushed into a string of the right size, not `format!`: every scenario's
                    // principal is read.
                    let parts = ["arn:", partition, ":iam::", account, ":role/", role];
                    let mut role_arn = String::with_capacity(parts.iter().map(|p| p.len()).sum());
                    for part in parts {
                        role_arn.push_str(part);
                    }
                    Ok(Principal::AssumedRole {
                        arn: text.to_owned(),
                        account: account.to_owned(),
                        role_arn,
                    })
                }
                _ => Err(PrincipalError(format!(
                    "`{text}` is not a role session: write \
                     `arn:aws:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION-NAME`"
                ))),
            },
            ("sts", Some(("federated-user", _))) => {
                let (arn, account) = owned(text);
                Ok(Principal::FederatedUser { arn, account })
            }
            _ => Err(PrincipalError(format!(
                "`{text}` is not a principal's ARN: IAM users, roles and the root user are \
                 `arn:aws:iam::...`, role sessions and federated users `arn:aws:sts::...`"
            ))),
        }
    }

    /// The account the principal belongs to; `None` for services and anonymous requests.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::User { account, .. }
            | Principal::Role { account, .. }
            | Principal::AssumedRole { account, .. }
            | Principal::Root { account, .. }
            | Principal::FederatedUser { account, .. } => Some(account),
            Principal::Service(_) | Principal::Anonymous => None,
        }
    }

    /// The principal's own ARN (the session's for a role session).
    pub fn arn(&self) -> Option<&str> {
        match self {
            Principal::User { arn, .. }
            | Principal::Role { arn, .. }
            | Principal::AssumedRole { arn, .. }
            | Principal::Root { arn, .. }
            | Principal::FederatedUser { arn, .. } => Some(arn),
            Principal::Service(_) | Principal::Anonymous => None,
        }
    }

    /// `aws:PrincipalArn`: the role's ARN for a role session, the principal's own otherwise.
    pub fn principal_arn(&self) -> Option<&str> {
        match self {
            Principal::AssumedRole { role_arn, .. } => Some(role_arn),
            _ => self.arn(),
        }
    }

    /// `aws:PrincipalType` as AWS sets it.
    fn principal_type(&self) -> Option<&'static str> {
        Some(match self {
            Principal::User { .. } => "User",
            Principal::Role { .. } | Principal::AssumedRole { .. } => "AssumedRole",
            Principal::Root { .. } => "Account",
            Principal::FederatedUser { .. } => "FederatedUser",
            Principal::Anonymous => "Anonymous",
            Principal::Service(_) => return None,
        })
    }

    /// Whether a permissions boundary can be attached (IAM users and roles).
    pub(crate) fn has_boundary(&self) -> bool {
        matches!(
            self,
            Principal::User { .. } | Principal::Role { .. } | Principal::AssumedRole { .. }
        )
    }

    /// Whether the principal holds a session that a session policy can limit.
    pub(crate) fn has_session(&self) -> bool {
        matches!(
            self,
            Principal::AssumedRole { .. } | Principal::FederatedUser { .. }
        )
    }

    /// A service-linked role (`role/aws-service-role/...`) or a session of one: AWS
    /// Organizations' SCPs and RCPs do not restrict them.
    pub(crate) fn is_service_linked_role(&self) -> bool {
        match self {
            Principal::Role { arn, .. } => arn.contains(":role/aws-service-role/"),
            // A session's ARN drops the role's path; the role's name tells it apart.
            Principal::AssumedRole { role_arn, .. } => role_arn.contains(":role/AWSServiceRole"),
            _ => false,
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::Service(name) => f.write_str(name),
            Principal::Anonymous => f.write_str("anonymous"),
            _ => f.write_str(self.arn().unwrap_or_default()),
        }
    }
}

pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The account field of an ARN; `None` when empty (`arn:aws:s3:::bucket`) or not an ARN.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    let account = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    (!account.is_empty()).then_some(account)
}

/// A context key's value as given: one text or a list of texts. Values are compared as the
/// operator's type (number, date, IP address, ...) when a condition reads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextValue {
    One(String),
    Many(Vec<String>),
}

impl ContextValue {
    pub fn as_slice(&self) -> &[String] {
        match self {
            ContextValue::One(value) => std::slice::from_ref(value),
            ContextValue::Many(values) => values,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(value: &str) -> Self {
        ContextValue::One(value.to_owned())
    }
}

impl From<String> for ContextValue {
    fn from(value: String) -> Self {
        ContextValue::One(value)
    }
}

impl From<bool> for ContextValue {
    fn from(value: bool) -> Self {
        ContextValue::One(value.to_string())
    }
}

impl<S: Into<String>, const N: usize> From<[S; N]> for ContextValue {
    fn from(values: [S; N]) -> Self {
        ContextValue::Many(values.into_iter().map(Into::into).collect())
    }
}

impl From<Vec<String>> for ContextValue {
    fn from(values: Vec<String>) -> Self {
        ContextValue::Many(values)
    }
}

/// The request context's keys and values. Key names compare without case, as IAM's do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<(String, ContextValue)>,
}

impl Context {
    pub fn new() -> Self {
        Context::default()
    }

    /// Sets `key` (replacing a value given before).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<ContextValue>) {
        let key = key.into();
        let value = value.into();
        match self
            .entries
            .iter_mut()
            .find(|(name, _)| name.eq_ignore_ascii_case(&key))
        {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// The value of `key`, any case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }
}

/// The values of a context key: given as one text or a list, or set by AWS from the request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Values<'a> {
    Given(&'a [String]),
    Derived(&'a str),
}

impl<'a> Values<'a> {
    pub(crate) fn len(self) -> usize {
        match self {
            Values::Given(values) => values.len(),
            Values::Derived(_) => 1,
        }
    }

    pub(crate) fn iter(self) -> impl Iterator<Item = &'a str> {
        let (given, derived) = match self {
            Values::Given(values) => (values, None),
            Values::Derived(value) => (&[][..], Some(value)),
        };
        given.iter().map(String::as_str).chain(derived)
    }
}

/// The request context as conditions read it: the keys given, then the keys AWS sets from the
/// request (which the given ones override), found when a condition reads them: most requests
/// are evaluated reading few keys or none, and nothing is set up or allocated for each.
#[derive(Debug)]
pub(crate) struct FullContext<'r> {
    request: &'r Request,
    /// Reads the seconds since the epoch, for `aws:CurrentTime` and `aws:EpochTime`: the
    /// clock is read, and the time written out, only when a condition reads them.
    clock: fn() -> Option<u64>,
    /// What `clock` read, once for both keys.
    now: OnceCell<Option<u64>>,
    current_time: OnceCell<String>,
    epoch_time: OnceCell<String>,
}

impl FullContext<'_> {
    /// The seconds since the epoch, as `clock` read them the first time they were asked for.
    fn now(&self) -> Option<u64> {
        *self.now.get_or_init(self.clock)
    }

    /// The values of `key`, any case.
    pub(crate) fn get(&self, key: &str) -> Option<Values<'_>> {
        if let Some(value) = self.request.context.get(key) {
            return Some(Values::Given(value.as_slice()));
        }
        self.derived(key).map(Values::Derived)
    }

    /// The value AWS sets for `key` from the request, if it sets one (`aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:ResourceAccount`, `aws:username`,
    /// `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`, `aws:CurrentTime`,
    /// `aws:EpochTime`).
    fn derived(&self, key: &str) -> Option<&str> {
        // Every key AWS sets is global: `aws:` and a name, compared without case.
        let name = (key.get(..4))
            .filter(|prefix| prefix.eq_ignore_ascii_case("aws:"))
            .and_then(|_| key.get(4..))?;
        let is = |known: &str| name.eq_ignore_ascii_case(known);
        let principal = &self.request.principal;
        let service = match principal {
            Principal::Service(name) if !name.starts_with("arn:") => Some(name.as_str()),
            _ => None,
        };
        if is("PrincipalArn") {
            principal.principal_arn()
        } else if is("PrincipalAccount") {
            principal.account()
        } else if is("PrincipalType") {
            principal.principal_type()
        } else if is("ResourceAccount") {
            self.request.owning_account()
        } else if is("username") {
            match principal {
                Principal::User { arn, .. } => arn.rsplit('/').next(),
                _ => None,
            }
        } else if is("PrincipalIsAWSService") {
            Some(if service.is_some() { "true" } else { "false" })
        } else if is("PrincipalServiceName") {
            service
        } else if is("CurrentTime") {
            let now = self.now()?;
            Some(self.current_time.get_or_init(|| format_date(now)))
        } else if is("EpochTime") {
            let now = self.now()?;
            Some(self.epoch_time.get_or_init(|| now.to_string()))
        } else {
            None
        }
    }
}

/// A request to evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `service:Action`, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource's ARN, or `*` for actions on no particular resource.
    pub resource: String,
    /// The account that owns the resource; `None`: the resource ARN's account, else the
    /// principal's.
    pub resource_account: Option<String>,
    pub principal: Principal,
    pub context: Context,
}

/// Something wrong with a request's context that AWS would not reject but that changes how
/// conditions on it evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextWarning {
    pub key: String,
    pub message: String,
}

impl Request {
    /// A request without context keys by a session of a role `Test` of the resource's account
    /// (`111122223333` when the resource's ARN has none): replace it with
    /// [`Request::principal`].
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        let resource = resource.into();
        let account = arn_account(&resource)
            .filter(|account| is_account_id(account))
            .unwrap_or("111122223333")
            .to_owned();
        Request {
            action: action.into(),
            principal: Principal::AssumedRole {
                arn: format!("arn:aws:sts::{account}:assumed-role/Test/test"),
                role_arn: format!("arn:aws:iam::{account}:role/Test"),
                account,
            },
            resource,
            resource_account: None,
            context: Context::default(),
        }
    }

    pub fn principal(mut self, principal: Principal) -> Self {
        self.principal = principal;
        self
    }

    pub fn resource_account(mut self, account: impl Into<String>) -> Self {
        self.resource_account = Some(account.into());
        self
    }

    /// Sets a context key.
    pub fn context(mut self, key: impl Into<String>, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// The account that owns the resource: as given, else the ARN's, else the principal's (an
    /// action on `*` or on a resource whose ARN has no account, such as an S3 bucket, is taken
    /// to stay in the principal's account).
    pub fn owning_account(&self) -> Option<&str> {
        self.resource_account
            .as_deref()
            .or_else(|| arn_account(&self.resource))
            .or_else(|| self.principal.account())
    }

    /// The context AWS builds: the keys given, plus the keys it sets from the request itself
    /// when they were not given (see [`FullContext::derived`]).
    pub(crate) fn full_context(&self, clock: fn() -> Option<u64>) -> FullContext<'_> {
        FullContext {
            request: self,
            clock,
            now: OnceCell::new(),
            current_time: OnceCell::new(),
            epoch_time: OnceCell::new(),
        }
    }

    /// The given context keys that are unknown or whose values cannot be read as the key's
    /// type: AWS accepts them, and conditions on an unreadable value do not match.
    pub fn context_warnings(&self) -> Vec<ContextWarning> {
        let mut warnings = Vec::new();
        for (key, value) in self.context.iter() {
            let Some(known) = reference::condition_key(key) else {
                warnings.push(ContextWarning {
                    key: key.to_owned(),
                    message: format!(
                        "`{key}` is not a condition key of the service authorization reference"
                    ),
                });
                continue;
            };
            let value_type = known.value_type();
            if let ContextValue::Many(_) = value
                && !known.is_multivalued()
            {
                warnings.push(ContextWarning {
                    key: key.to_owned(),
                    message: format!("`{key}` holds one value, not a list"),
                });
            }
            for item in value.as_slice() {
                if !value_fits(value_type, item) {
                    warnings.push(ContextWarning {
                        key: key.to_owned(),
                        message: format!(
                            "`{item}` is not a value of type {value_type}: conditions on \
                             `{key}` will not match it"
                        ),
                    });
                }
            }
        }
        warnings
    }
}

/// Whether `value` can be read as a value of `value_type`.
pub(crate) fn value_fits(value_type: ConditionKeyType, value: &str) -> bool {
    use ConditionKeyType as T;
    use iam_policy_core::matching::{IpRange, parse_bool, parse_date, parse_number};
    match value_type {
        T::Bool | T::ArrayOfBool => parse_bool(value).is_some(),
        T::Numeric | T::ArrayOfNumeric => parse_number(value).is_some(),
        T::Date | T::ArrayOfDate => parse_date(value).is_some(),
        T::DateOrNumeric => parse_date(value).is_some() || parse_number(value).is_some(),
        T::IpAddress | T::ArrayOfIpAddress => IpRange::parse(value).is_some(),
        T::Arn | T::ArrayOfArn => value.starts_with("arn:"),
        T::String | T::ArrayOfString | T::Binary => true,
    }
}

/// Seconds since the epoch as an ISO 8601 UTC time, the way `aws:CurrentTime` reads.
fn format_date(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    // Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_read_from_their_arns() {
        let session = Principal::parse("arn:aws:sts::111122223333:assumed-role/ci/run-42");
        assert_eq!(
            session.as_ref().ok().and_then(Principal::principal_arn),
            Some("arn:aws:iam::111122223333:role/ci")
        );
        assert!(matches!(
            Principal::parse("111122223333"),
            Ok(Principal::Root { .. })
        ));
        assert!(matches!(
            Principal::parse("lambda.amazonaws.com"),
            Ok(Principal::Service(_))
        ));
        assert_eq!(Principal::parse("anonymous"), Ok(Principal::Anonymous));
        assert!(Principal::parse("arn:aws:s3:::bucket").is_err());
        assert!(Principal::parse("arn:aws:iam::1:user/x").is_err());
        assert!(Principal::parse("not a principal").is_err());
        assert!(Principal::parse("alice").is_err());
    }

    #[test]
    fn aws_sets_the_keys_it_knows_from_the_request() {
        let request = Request::new("s3:GetObject", "arn:aws:s3:::bucket/key")
            .principal(Principal::User {
                arn: "arn:aws:iam::111122223333:user/team/alice".to_owned(),
                account: "111122223333".to_owned(),
            })
            .context("aws:PrincipalType", "Given");
        let context = request.full_context(|| Some(0));
        let one = |key| context.get(key).and_then(|value| value.iter().next());
        assert_eq!(one("aws:username"), Some("alice"));
        assert_eq!(one("AWS:PRINCIPALACCOUNT"), Some("111122223333"));
        assert_eq!(one("aws:PrincipalType"), Some("Given"));
        assert_eq!(one("aws:ResourceAccount"), Some("111122223333"));
        assert_eq!(one("aws:CurrentTime"), Some("1970-01-01T00:00:00Z"));
        assert_eq!(format_date(1_583_020_799), "2020-02-29T23:59:59Z");
    }

    #[test]
    fn unknown_keys_and_unreadable_values_are_reported() {
        let request = Request::new("s3:GetObject", "*")
            .context("aws:SourceIp", "not-an-ip")
            .context("example:Unknown", "x")
            .context("aws:TagKeys", ["a", "b"]);
        let warnings = request.context_warnings();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
