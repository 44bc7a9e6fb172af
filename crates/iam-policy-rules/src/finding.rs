//! Findings: what a rule reports, in the vocabulary of IAM Access Analyzer.

use crate::json::Span;

/// How bad a finding is, with Access Analyzer's four levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

impl Severity {
    /// The spelling of Access Analyzer's `findingType` (lower case), e.g. `security_warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::SecurityWarning => "security_warning",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }
}

macro_rules! issue_codes {
    ($($(#[$doc:meta])* $variant:ident = ($code:literal, $severity:ident),)*) => {
        /// An issue code. Where IAM Access Analyzer has a check for the same problem the code is
        /// Access Analyzer's own, with its severity; the codes of our own are documented.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum IssueCode {
            $($(#[$doc])* $variant,)*
        }

        impl IssueCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$variant,)*];

            /// The code as Access Analyzer spells it, e.g. `INVALID_ACTION`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(IssueCode::$variant => $code,)*
                }
            }

            /// The severity Access Analyzer gives this code.
            pub fn severity(self) -> Severity {
                match self {
                    $(IssueCode::$variant => Severity::$severity,)*
                }
            }

            /// The code with this spelling, e.g. from a waiver attribute.
            pub fn from_name(name: &str) -> Option<IssueCode> {
                IssueCode::ALL.iter().copied().find(|code| code.as_str() == name)
            }
        }
    };
}

issue_codes! {
    // Access Analyzer's codes (see `shared/notes/access-analyzer-checks.md`) that the rules
    // report. Eight more need AWS-internal lists the reference does not have (INVALID_REGION,
    // UNSUPPORTED_ACTION_IN_POLICY, UNSUPPORTED_RESOURCE_ARN_IN_POLICY,
    // UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL, MISSING_ACTION_FOR_CONDITION_KEY,
    // UNTRUSTWORTHY_CONDITION_KEY,
    // USE_CONDITION_KEY_ONLY_WITH_SUPPORTED_SERVICES, IRRELEVANT_CONDITION_KEY_IN_POLICY).
    ArnAccountNotAllowed = ("ARN_ACCOUNT_NOT_ALLOWED", Error),
    ArnRegionNotAllowed = ("ARN_REGION_NOT_ALLOWED", Error),
    DataTypeMismatch = ("DATA_TYPE_MISMATCH", Error),
    DuplicateKeysWithDifferentCase = ("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", Error),
    InvalidAction = ("INVALID_ACTION", Error),
    InvalidArnAccount = ("INVALID_ARN_ACCOUNT", Error),
    InvalidArnPrefix = ("INVALID_ARN_PREFIX", Error),
    InvalidArnRegion = ("INVALID_ARN_REGION", Error),
    InvalidArnResource = ("INVALID_ARN_RESOURCE", Error),
    InvalidArnServiceCase = ("INVALID_ARN_SERVICE_CASE", Error),
    InvalidConditionDataType = ("INVALID_CONDITION_DATA_TYPE", Error),
    InvalidConditionKeyFormat = ("INVALID_CONDITION_KEY_FORMAT", Error),
    InvalidConditionMultipleBoolean = ("INVALID_CONDITION_MULTIPLE_BOOLEAN", Error),
    InvalidConditionOperator = ("INVALID_CONDITION_OPERATOR", Error),
    InvalidEffect = ("INVALID_EFFECT", Error),
    InvalidGlobalConditionKey = ("INVALID_GLOBAL_CONDITION_KEY", Error),
    InvalidPartition = ("INVALID_PARTITION", Error),
    InvalidPolicyElement = ("INVALID_POLICY_ELEMENT", Error),
    InvalidPrincipalFormat = ("INVALID_PRINCIPAL_FORMAT", Error),
    InvalidPrincipalKey = ("INVALID_PRINCIPAL_KEY", Error),
    InvalidService = ("INVALID_SERVICE", Error),
    InvalidServiceConditionKey = ("INVALID_SERVICE_CONDITION_KEY", Error),
    InvalidServiceInAction = ("INVALID_SERVICE_IN_ACTION", Error),
    InvalidVariableForOperator = ("INVALID_VARIABLE_FOR_OPERATOR", Error),
    InvalidVersion = ("INVALID_VERSION", Error),
    JsonSyntaxError = ("JSON_SYNTAX_ERROR", Error),
    MissingAction = ("MISSING_ACTION", Error),
    MissingArnField = ("MISSING_ARN_FIELD", Error),
    MissingArnRegion = ("MISSING_ARN_REGION", Error),
    MissingEffect = ("MISSING_EFFECT", Error),
    MissingPrincipal = ("MISSING_PRINCIPAL", Error),
    MissingQualifier = ("MISSING_QUALIFIER", Error),
    MissingResource = ("MISSING_RESOURCE", Error),
    MissingStatement = ("MISSING_STATEMENT", Error),
    NullWithIfExists = ("NULL_WITH_IF_EXISTS", Error),
    ScpSyntaxErrorActionWildcard = ("SCP_SYNTAX_ERROR_ACTION_WILDCARD", Error),
    ScpSyntaxErrorPrincipal = ("SCP_SYNTAX_ERROR_PRINCIPAL", Error),
    UniqueSidsRequired = ("UNIQUE_SIDS_REQUIRED", Error),
    UnsupportedElementCombination = ("UNSUPPORTED_ELEMENT_COMBINATION", Error),
    UnsupportedGlobalConditionKey = ("UNSUPPORTED_GLOBAL_CONDITION_KEY", Error),
    UnsupportedPrincipal = ("UNSUPPORTED_PRINCIPAL", Error),
    UnsupportedSid = ("UNSUPPORTED_SID", Error),
    UnsupportedWildcardInPrincipal = ("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", Error),
    MissingBraceInVariable = ("MISSING_BRACE_IN_VARIABLE", Error),
    MissingQuoteInVariable = ("MISSING_QUOTE_IN_VARIABLE", Error),
    UnsupportedSpaceInVariable = ("UNSUPPORTED_SPACE_IN_VARIABLE", Error),
    EmptyVariable = ("EMPTY_VARIABLE", Error),
    VariableUnsupportedInElement = ("VARIABLE_UNSUPPORTED_IN_ELEMENT", Error),
    VariableUnsupportedInVersion = ("VARIABLE_UNSUPPORTED_IN_VERSION", Error),
    PrivateIpAddress = ("PRIVATE_IP_ADDRESS", Error),
    PrivateNotIpAddress = ("PRIVATE_NOT_IP_ADDRESS", Error),
    PolicySizeExceedsScpQuota = ("POLICY_SIZE_EXCEEDS_SCP_QUOTA", Error),
    InvalidServicePrincipalFormat = ("INVALID_SERVICE_PRINCIPAL_FORMAT", Error),
    MissingTagKeyInCondition = ("MISSING_TAG_KEY_IN_CONDITION", Error),
    InvalidVpcFormat = ("INVALID_VPC_FORMAT", Error),
    InvalidVpceFormat = ("INVALID_VPCE_FORMAT", Error),
    FederatedPrincipalNotSupported = ("FEDERATED_PRINCIPAL_NOT_SUPPORTED", Error),
    UnsupportedActionForConditionKey = ("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", Error),
    RoleTrustPolicySyntaxErrorNotprincipal = ("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", Error),
    RoleTrustPolicyUnsupportedWildcardInPrincipal = ("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", Error),
    RoleTrustPolicySyntaxErrorResource = ("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", Error),
    TypeMismatchIpRange = ("TYPE_MISMATCH_IP_RANGE", Error),
    InvalidFederatedPrincipalSyntaxInRoleTrustPolicy = ("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", Error),
    MismatchedActionForPrincipal = ("MISMATCHED_ACTION_FOR_PRINCIPAL", Error),
    MissingActionForRolesAnywhereTrustPolicy = ("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", Error),
    PolicySizeExceedsRcpQuota = ("POLICY_SIZE_EXCEEDS_RCP_QUOTA", Error),
    RcpSyntaxErrorPrincipal = ("RCP_SYNTAX_ERROR_PRINCIPAL", Error),
    RcpSyntaxErrorAllow = ("RCP_SYNTAX_ERROR_ALLOW", Error),
    RcpSyntaxErrorNotaction = ("RCP_SYNTAX_ERROR_NOTACTION", Error),
    RcpSyntaxErrorAction = ("RCP_SYNTAX_ERROR_ACTION", Error),
    MissingArnAccount = ("MISSING_ARN_ACCOUNT", Error),
    InvalidKmsKeyValue = ("INVALID_KMS_KEY_VALUE", Error),
    VariableUsageTooPermissive = ("VARIABLE_USAGE_TOO_PERMISSIVE", Error),
    WildcardUsageTooPermissive = ("WILDCARD_USAGE_TOO_PERMISSIVE", Error),
    AllowWithNotPrincipal = ("ALLOW_WITH_NOT_PRINCIPAL", SecurityWarning),
    ForallvaluesWithSingleValuedKey = ("FORALLVALUES_WITH_SINGLE_VALUED_KEY", SecurityWarning),
    PassRoleWithNotResource = ("PASS_ROLE_WITH_NOT_RESOURCE", SecurityWarning),
    PassRoleWithStarInActionAndNotResource = ("PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", SecurityWarning),
    PassRoleWithNotActionAndNotResource = ("PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", SecurityWarning),
    PassRoleWithStarInResource = ("PASS_ROLE_WITH_STAR_IN_RESOURCE", SecurityWarning),
    PassRoleWithStarInActionAndResource = ("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", SecurityWarning),
    PassRoleWithStarInResourceAndNotAction = ("PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", SecurityWarning),
    MissingPairedConditionKeys = ("MISSING_PAIRED_CONDITION_KEYS", SecurityWarning),
    DenyWithUnsupportedTagConditionKeyForService = ("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SecurityWarning),
    DenyNotactionWithUnsupportedTagConditionKeyForService = ("DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SecurityWarning),
    RestrictAccessToServicePrincipal = ("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", SecurityWarning),
    MissingConditionKeyForOidcPrincipal = ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", SecurityWarning),
    MissingGithubRepoConditionKey = ("MISSING_GITHUB_REPO_CONDITION_KEY", SecurityWarning),
    StringLikeOperatorWithArnConditionKeys = ("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", SecurityWarning),
    DynamodbAttributesWithoutSelect = ("DYNAMODB_ATTRIBUTES_WITHOUT_SELECT", SecurityWarning),
    ForanyvalueWithAudienceClaimType = ("FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE", SecurityWarning),
    S3PrefixInNegativeContext = ("S3_PREFIX_IN_NEGATIVE_CONTEXT", SecurityWarning),
    CreateSlrWithNotResource = ("CREATE_SLR_WITH_NOT_RESOURCE", Warning),
    CreateSlrWithStarInActionAndNotResource = ("CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", Warning),
    CreateSlrWithNotActionAndNotResource = ("CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", Warning),
    CreateSlrWithStarInResource = ("CREATE_SLR_WITH_STAR_IN_RESOURCE", Warning),
    CreateSlrWithStarInActionAndResource = ("CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", Warning),
    CreateSlrWithStarInResourceAndNotAction = ("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", Warning),
    DeprecatedGlobalConditionKey = ("DEPRECATED_GLOBAL_CONDITION_KEY", Warning),
    InvalidDateValue = ("INVALID_DATE_VALUE", Warning),
    InvalidRoleReference = ("INVALID_ROLE_REFERENCE", Warning),
    InvalidUserReference = ("INVALID_USER_REFERENCE", Warning),
    MissingVersion = ("MISSING_VERSION", Warning),
    UniqueSidsRecommended = ("UNIQUE_SIDS_RECOMMENDED", Warning),
    WildcardWithoutLikeOperator = ("WILDCARD_WITHOUT_LIKE_OPERATOR", Warning),
    PolicySizeExceedsIdentityPolicyQuota = ("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", Warning),
    PolicySizeExceedsResourcePolicyQuota = ("POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", Warning),
    TypeMismatch = ("TYPE_MISMATCH", Warning),
    TypeMismatchBoolean = ("TYPE_MISMATCH_BOOLEAN", Warning),
    TypeMismatchDate = ("TYPE_MISMATCH_DATE", Warning),
    TypeMismatchNumber = ("TYPE_MISMATCH_NUMBER", Warning),
    TypeMismatchString = ("TYPE_MISMATCH_STRING", Warning),
    /// Ours, beside Access Analyzer's `TYPE_MISMATCH_*` family: an ARN operator value that is
    /// not an ARN.
    TypeMismatchArn = ("TYPE_MISMATCH_ARN", Warning),
    SpecificGithubRepoAndBranchRecommended = ("SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", Warning),
    PolicySizeExceedsRoleTrustPolicyQuota = ("POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", Warning),
    RcpMissingRelatedPrincipalConditionKey = ("RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY", Warning),
    RcpMissingRelatedServicePrincipalConditionKey = ("RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY", Warning),
    RcpMissingServiceConditionKeyNullCheck = ("RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK", Warning),
    EmptyArrayAction = ("EMPTY_ARRAY_ACTION", Suggestion),
    EmptyArrayCondition = ("EMPTY_ARRAY_CONDITION", Suggestion),
    EmptyArrayConditionForallvalues = ("EMPTY_ARRAY_CONDITION_FORALLVALUES", Suggestion),
    EmptyArrayConditionForanyvalue = ("EMPTY_ARRAY_CONDITION_FORANYVALUE", Suggestion),
    EmptyArrayConditionIfexists = ("EMPTY_ARRAY_CONDITION_IFEXISTS", Suggestion),
    EmptyArrayPrincipal = ("EMPTY_ARRAY_PRINCIPAL", Suggestion),
    EmptyArrayResource = ("EMPTY_ARRAY_RESOURCE", Suggestion),
    EmptyObjectCondition = ("EMPTY_OBJECT_CONDITION", Suggestion),
    EmptyObjectPrincipal = ("EMPTY_OBJECT_PRINCIPAL", Suggestion),
    EmptySidValue = ("EMPTY_SID_VALUE", Suggestion),
    EquivalentToNullFalse = ("EQUIVALENT_TO_NULL_FALSE", Suggestion),
    EquivalentToNullTrue = ("EQUIVALENT_TO_NULL_TRUE", Suggestion),
    ImproveIpRange = ("IMPROVE_IP_RANGE", Suggestion),
    NullWithQualifier = ("NULL_WITH_QUALIFIER", Suggestion),
    PrivateIpAddressSubset = ("PRIVATE_IP_ADDRESS_SUBSET", Suggestion),
    PrivateNotIpAddressSubset = ("PRIVATE_NOT_IP_ADDRESS_SUBSET", Suggestion),
    RedundantAction = ("REDUNDANT_ACTION", Suggestion),
    RedundantConditionValueNum = ("REDUNDANT_CONDITION_VALUE_NUM", Suggestion),
    RedundantResource = ("REDUNDANT_RESOURCE", Suggestion),
    RedundantStatement = ("REDUNDANT_STATEMENT", Suggestion),
    WildcardInServiceName = ("WILDCARD_IN_SERVICE_NAME", Suggestion),
    AllowWithUnsupportedTagConditionKeyForService = ("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", Suggestion),
    AllowNotactionWithUnsupportedTagConditionKeyForService = ("ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", Suggestion),
    RecommendedConditionKeyForServicePrincipal = ("RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", Suggestion),
    RedundantKeyDueToWildcardInCondition = ("REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION", Suggestion),
    RedundantPrincipalInRoleTrustPolicy = ("REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", Suggestion),
    RedundantStatementDueToWildcardInCondition = ("REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION", Suggestion),
    ConfirmAudienceClaimType = ("CONFIRM_AUDIENCE_CLAIM_TYPE", Suggestion),
    // Codes of our own, for problems Access Analyzer has no code for. Add new ones here.
    /// A service prefix that was in the 2024 reference and is gone now: the service was retired.
    RetiredService = ("RETIRED_SERVICE", Warning),
    /// An action that was in the 2024 reference and is gone now: it no longer grants anything.
    RetiredAction = ("RETIRED_ACTION", Warning),
    /// A condition key of a current service that was in the 2024 reference and is gone now: no
    /// request has it any more.
    RetiredConditionKey = ("RETIRED_CONDITION_KEY", Warning),
    /// A resource ARN of a service none of the statement's actions belongs to, so the
    /// statement grants or denies nothing on it (e.g. an EC2 volume beside only
    /// `ssm:StartSession`). A warning: it rests on the reference's per-action resource lists,
    /// which have gaps (AWS's own policies grant `ssm` sessions beside other services' actions).
    ResourceNotSupportedByActions = ("RESOURCE_NOT_SUPPORTED_BY_ACTIONS", Warning),
    /// A resource ARN whose service has actions in the statement, none of which lists the
    /// ARN's resource type in the reference. A warning: the reference's per-action resource
    /// lists have gaps that its ARN formats do not.
    ResourceTypeNotListedForActions = ("RESOURCE_TYPE_NOT_LISTED_FOR_ACTIONS", Warning),
    /// The service field of an ARN names no service of the reference.
    InvalidArnService = ("INVALID_ARN_SERVICE", Error),
    /// A multivalued condition key used as a policy variable: IAM cannot substitute a list.
    MultivaluedKeyInVariable = ("MULTIVALUED_KEY_IN_VARIABLE", Error),
    /// `Id` in an identity policy: the IAM grammar gives it meaning only in resource policies.
    IdInIdentityPolicy = ("ID_IN_IDENTITY_POLICY", Warning),
    /// The same operator twice in one `Condition`. JSON readers, and so most deployment tools,
    /// keep only one of the two blocks: the other's restriction vanishes between review and
    /// deployment. `policy!` rejects it.
    DuplicateConditionOperator = ("DUPLICATE_CONDITION_OPERATOR", SecurityWarning),
    /// The same condition key twice under one operator, spelled alike: JSON readers keep only
    /// one of the two values, as for [`IssueCode::DuplicateConditionOperator`]. `policy!`
    /// rejects it.
    DuplicateConditionKey = ("DUPLICATE_CONDITION_KEY", SecurityWarning),
}

/// The codes of findings that leave the document without a meaning: no readable JSON, an element
/// of the wrong JSON type, an unknown or repeated element or principal type, no `Statement`, a
/// statement without a valid `Effect`, without `Action`/`NotAction`, or with both halves of a
/// pair. Waiving one would change what the policy says (fill in an `Effect` nobody wrote, keep
/// one of two values), so none can be waived.
const MEANING: &[IssueCode] = &[
    IssueCode::JsonSyntaxError,
    IssueCode::DataTypeMismatch,
    IssueCode::InvalidPolicyElement,
    IssueCode::InvalidPrincipalFormat,
    IssueCode::InvalidPrincipalKey,
    IssueCode::MissingStatement,
    IssueCode::MissingEffect,
    IssueCode::InvalidEffect,
    IssueCode::MissingAction,
    IssueCode::UnsupportedElementCombination,
];

impl IssueCode {
    /// False for the codes of findings that leave the document without a meaning, which a
    /// waiver must not hide: the policy would then say something nobody wrote.
    pub fn is_waivable(self) -> bool {
        !MEANING.contains(&self)
    }
}

/// One problem found in a policy, located in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: IssueCode,
    /// Usually `code.severity()`. A rule lowers an error to a warning where its verdict rests
    /// on data with known gaps (the reference's per-action lists, loosely documented ARN
    /// formats); a front end may raise it (`--deny warnings`).
    pub severity: Severity,
    /// Lower case, no final period, user input in backticks.
    pub message: String,
    /// A second sentence with the fix, e.g. "did you mean `ssm:StartSession`?".
    pub help: Option<String>,
    /// The literal that caused the finding.
    pub span: Span,
    /// Where it is in the document, as a JSON path, e.g. `Statement[0].Action[1]`.
    pub path: String,
    /// The statement the finding is about, if any (waivers apply per statement).
    pub statement: Option<usize>,
}

/// The most characters of one quoted value that a message shows: a policy value can be
/// megabytes long, and a message quoting all of it would be a line of megabytes.
pub const QUOTE_LIMIT: usize = 200;

/// `message` with every part between backticks (the user's text, by the messages' convention)
/// cut to its first [`QUOTE_LIMIT`] characters, with `…` and the part's whole length in
/// characters after it. Every finding's message and help pass through it.
pub fn shorten_quotes(message: String) -> String {
    // Mostly no part is longer in bytes than the limit in characters: one scan, no copy.
    if message.len() <= QUOTE_LIMIT || message.split('`').all(|part| part.len() <= QUOTE_LIMIT) {
        return message;
    }
    let parts = message.split('`');
    let mut shortened = String::with_capacity(message.len().min(4 * QUOTE_LIMIT));
    let mut quoted = false;
    let mut first = true;
    let mut cut_length = None;
    for part in parts {
        if !first {
            shortened.push('`');
            // The length goes after the closing backtick of the part it is about.
            if let Some(length) = cut_length.take() {
                shortened.push_str(&format!(" ({length} characters)"));
            }
        }
        first = false;
        match part.char_indices().nth(QUOTE_LIMIT) {
            Some((end, _)) if quoted || part.len() > 4 * QUOTE_LIMIT => {
                shortened.push_str(part.get(..end).unwrap_or_default());
                shortened.push('…');
                cut_length = Some(part.chars().count());
            }
            _ => shortened.push_str(part),
        }
        quoted = !quoted;
    }
    if let Some(length) = cut_length {
        shortened.push_str(&format!(" ({length} characters)"));
    }
    shortened
}

#[cfg(test)]
mod tests {
    use super::{QUOTE_LIMIT, shorten_quotes};

    #[test]
    fn long_quotes_are_cut_with_their_length() {
        let short = "unknown action `s3:GetObjekt`".to_owned();
        assert_eq!(shorten_quotes(short.clone()), short);
        let long = "é".repeat(10 * QUOTE_LIMIT);
        let message = shorten_quotes(format!("unknown action `{long}` in `Action`"));
        assert_eq!(
            message,
            format!(
                "unknown action `{}…` ({} characters) in `Action`",
                "é".repeat(QUOTE_LIMIT),
                10 * QUOTE_LIMIT
            )
        );
        // An unclosed quote is cut too.
        let message = shorten_quotes(format!("`{long}"));
        assert!(message.len() < 3 * QUOTE_LIMIT, "{message}");
    }
}
