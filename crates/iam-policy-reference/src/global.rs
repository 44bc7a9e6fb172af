//! The global condition keys, which the iam-data package does not carry: the 52 `aws:` keys and
//! the 9 cross-service keys of AWS's page "AWS global condition context keys", transcribed from
//! `../shared/notes/global-condition-keys.md` (types in the Service Authorization Reference's
//! spelling), plus the keys AWS's policy checks report as deprecated or unsupported.

use crate::ConditionKeyType as T;

/// Whether `name` has the `aws:` prefix (any case): such keys come from the page only.
pub(crate) fn is_aws_key(name: &str) -> bool {
    name.get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
}

/// One documented global key.
#[derive(Debug)]
pub(crate) struct GlobalKey {
    pub(crate) name: &'static str,
    pub(crate) value_type: T,
    /// The page's "Value type": multivalued keys hold a list and need a set operator.
    pub(crate) multivalued: bool,
    /// Whether `${name}` may be written as a policy variable (single-valued keys only).
    pub(crate) policy_variable: bool,
    /// A wildcard in the value could match any account, organization or endpoint.
    pub(crate) sensitive: bool,
    pub(crate) scope: Scope,
}

/// Where the page lists a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// An `aws:` key, available in every service's policies.
    Aws,
    /// A key with another service's prefix that the page documents as usable in any policy.
    CrossService,
}

/// Page order: principal, role session, network, resource, request; then cross-service keys.
#[rustfmt::skip]
pub(crate) static GLOBAL_KEYS: [GlobalKey; 61] = [
    //  name                                     value type         values  variable?    sensitive? scope
    key("aws:PrincipalArn",                      T::Arn,            SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:PrincipalAccount",                  T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:PrincipalOrgPaths",                 T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:PrincipalOrgID",                    T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:PrincipalTag/${TagKey}",            T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:PrincipalIsAWSService",             T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:PrincipalServiceName",              T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:PrincipalServiceNamesList",         T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:PrincipalType",                     T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:userid",                            T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:username",                          T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:AssumedRoot",                       T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:FederatedProvider",                 T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:TokenIssueTime",                    T::Date,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SignInSessionArn",                  T::Arn,            SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:MultiFactorAuthAge",                T::Numeric,        SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:MultiFactorAuthPresent",            T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:ChatbotSourceArn",                  T::Arn,            SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:Ec2InstanceSourceVpc",              T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:Ec2InstanceSourcePrivateIPv4",      T::IpAddress,      SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SourceIdentity",                    T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SourceIp",                          T::IpAddress,      SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SourceVpc",                         T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:SourceVpcArn",                      T::Arn,            SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SourceVpce",                        T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:VpceAccount",                       T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:VpceOrgID",                         T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:VpceOrgPaths",                      T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:VpcSourceIp",                       T::IpAddress,      SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:ResourceAccount",                   T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:ResourceOrgID",                     T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:ResourceOrgPaths",                  T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:ResourceTag/${TagKey}",             T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:CalledVia",                         T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:CalledViaFirst",                    T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:CalledViaLast",                     T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:CalledViaAWSMCP",                   T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:ViaAWSService",                     T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:ViaAWSMCPService",                  T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:CurrentTime",                       T::Date,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:EpochTime",                         T::DateOrNumeric,  SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:referer",                           T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:RequestedRegion",                   T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:RequestTag/${TagKey}",              T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:TagKeys",                           T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:SecureTransport",                   T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SourceAccount",                     T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:SourceArn",                         T::Arn,            SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:SourceOrgID",                       T::String,         SINGLE, VARIABLE,    SENSITIVE, Aws),
    key("aws:SourceOrgPaths",                    T::ArrayOfString,  MULTI,  NO_VARIABLE, ORDINARY,  Aws),
    key("aws:UserAgent",                         T::String,         SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("aws:IsMcpServiceAction",                T::Bool,           SINGLE, VARIABLE,    ORDINARY,  Aws),
    key("ec2:RoleDelivery",                      T::Numeric,        SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("ec2:SourceInstanceArn",                 T::Arn,            SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("glue:RoleAssumedBy",                    T::String,         SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("glue:CredentialIssuingService",         T::String,         SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("codebuild:BuildArn",                    T::Arn,            SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("codebuild:ProjectArn",                  T::Arn,            SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("lambda:SourceFunctionArn",              T::Arn,            SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("ssm:SourceInstanceArn",                 T::Arn,            SINGLE, VARIABLE,    ORDINARY,  CrossService),
    key("identitystore:UserId",                  T::String,         SINGLE, VARIABLE,    ORDINARY,  CrossService),
];

const SINGLE: bool = false;
const MULTI: bool = true;
const VARIABLE: bool = true;
const NO_VARIABLE: bool = false;
const SENSITIVE: bool = true;
const ORDINARY: bool = false;
use Scope::{Aws, CrossService};

const fn key(
    name: &'static str,
    value_type: T,
    multivalued: bool,
    policy_variable: bool,
    sensitive: bool,
    scope: Scope,
) -> GlobalKey {
    GlobalKey {
        name,
        value_type,
        multivalued,
        policy_variable,
        sensitive,
        scope,
    }
}

/// A global key that is not (or no longer) documented, with what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeprecatedConditionKey {
    /// The key as AWS spells it.
    pub name: &'static str,
    /// Access Analyzer reports it both as a deprecated key (warning) and an unsupported key (error).
    pub unsupported: bool,
    /// The documented keys that replace it.
    pub replacements: &'static [&'static str],
}

/// `aws:ARN` is reported by Access Analyzer as "Deprecated global condition key" and
/// "Unsupported global condition key". `aws:SourceOwner` is absent from the page although the
/// iam-data package still lists it as global; the page's key for the calling resource's account
/// is `aws:SourceAccount`.
pub(crate) static DEPRECATED_KEYS: [DeprecatedConditionKey; 2] = [
    DeprecatedConditionKey {
        name: "aws:ARN",
        unsupported: true,
        replacements: &["aws:PrincipalArn", "aws:SourceArn"],
    },
    DeprecatedConditionKey {
        name: "aws:SourceOwner",
        unsupported: false,
        replacements: &["aws:SourceAccount"],
    },
];
