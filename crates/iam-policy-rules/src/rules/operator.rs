//! Condition operators: the names IAM accepts, read into their parts (set qualifier, base
//! operator, `IfExists`), so the other condition rules can ask for the family and the negation.
//!
//! Operator names are matched exactly: AWS documents them in one spelling only (condition *key*
//! names are documented case-insensitive, operator names are not), and IAM refuses another
//! casing (`MalformedPolicyDocument: Invalid Condition type : stringEquals`, as reported in
//! ministryofjustice/modernisation-platform-environments#8893). We report it as
//! `INVALID_CONDITION_OPERATOR` and suggest the right spelling.

/// The data type an operator compares, which decides the keys and values it fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

impl Family {
    /// The family as IAM's documentation names it, e.g. `IpAddress`.
    pub fn name(self) -> &'static str {
        match self {
            Family::String => "String",
            Family::Numeric => "Numeric",
            Family::Date => "Date",
            Family::Bool => "Bool",
            Family::Binary => "Binary",
            Family::IpAddress => "IpAddress",
            Family::Arn => "Arn",
            Family::Null => "Null",
        }
    }

    /// Only String and ARN operators resolve policy variables in their values.
    pub fn takes_variables(self) -> bool {
        matches!(self, Family::String | Family::Arn)
    }
}

/// `ForAllValues:` or `ForAnyValue:`, for keys with several values in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    pub fn name(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// Every base operator: name, family, negated (true when the absent key makes it match).
const BASE_OPERATORS: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::String, false),
    ("StringNotEquals", Family::String, true),
    ("StringEqualsIgnoreCase", Family::String, false),
    ("StringNotEqualsIgnoreCase", Family::String, true),
    ("StringLike", Family::String, false),
    ("StringNotLike", Family::String, true),
    ("NumericEquals", Family::Numeric, false),
    ("NumericNotEquals", Family::Numeric, true),
    ("NumericLessThan", Family::Numeric, false),
    ("NumericLessThanEquals", Family::Numeric, false),
    ("NumericGreaterThan", Family::Numeric, false),
    ("NumericGreaterThanEquals", Family::Numeric, false),
    ("DateEquals", Family::Date, false),
    ("DateNotEquals", Family::Date, true),
    ("DateLessThan", Family::Date, false),
    ("DateLessThanEquals", Family::Date, false),
    ("DateGreaterThan", Family::Date, false),
    ("DateGreaterThanEquals", Family::Date, false),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::Binary, false),
    ("IpAddress", Family::IpAddress, false),
    ("NotIpAddress", Family::IpAddress, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Null", Family::Null, false),
];

const IF_EXISTS: &str = "IfExists";

/// A condition operator read from its name, e.g. `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    /// The base name without qualifier and `IfExists`, e.g. `StringLike`.
    pub base: &'static str,
    pub family: Family,
    /// True for the `Not` operators, which match when the key is absent from the request.
    pub negated: bool,
    /// `...IfExists`: the condition is true when the key is absent. Never valid on `Null`
    /// (reported by the condition rules, so the rest of the condition is still checked).
    pub if_exists: bool,
}

impl Operator {
    /// Reads an operator name; `Err` holds the nearest valid name, if one is close.
    pub fn parse(name: &str) -> Result<Operator, Option<String>> {
        parse_exact(name).ok_or_else(|| suggest(name))
    }

    /// The base operator spelt exactly `name` (no qualifier, no `IfExists`), as static text.
    pub fn base_name(name: &str) -> Option<&'static str> {
        (BASE_OPERATORS.iter())
            .find(|(known, ..)| *known == name)
            .map(|(known, ..)| *known)
    }

    /// Reads an operator name, with no search for a suggestion when it is none (for readers
    /// of a policy already checked).
    pub fn exact(name: &str) -> Option<Operator> {
        parse_exact(name)
    }

    /// Only the `...Like` string operators and the ARN operators treat `*` and `?` as wildcards
    /// (`ArnEquals` matches exactly like `ArnLike`).
    pub fn matches_wildcards(self) -> bool {
        matches!(self.base, "StringLike" | "StringNotLike") || self.family == Family::Arn
    }

    /// The name without qualifier and `IfExists` suffix changes, e.g. for messages.
    pub fn full_name(self) -> String {
        let mut name = String::new();
        if let Some(qualifier) = self.qualifier {
            name.push_str(qualifier.name());
            name.push(':');
        }
        name.push_str(self.base);
        if self.if_exists {
            name.push_str(IF_EXISTS);
        }
        name
    }
}

fn parse_exact(name: &str) -> Option<Operator> {
    // By the two prefixes, with no search for a colon: any other name with one is no
    // operator, as no base name holds one.
    let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::ForAllValues), rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (base, if_exists) = match rest.strip_suffix(IF_EXISTS) {
        Some(base) if !base.is_empty() => (base, true),
        _ => (rest, false),
    };
    let &(base, family, negated) = BASE_OPERATORS.iter().find(|(known, ..)| *known == base)?;
    Some(Operator {
        qualifier,
        base,
        family,
        negated,
        if_exists,
    })
}

/// The valid operator name nearest to `name`: a spelling that differs only in case is nearest
/// of all.
fn suggest(name: &str) -> Option<String> {
    let mut candidates = Vec::new();
    for qualifier in ["", "ForAllValues:", "ForAnyValue:"] {
        for (base, family, _) in BASE_OPERATORS {
            for suffix in ["", IF_EXISTS] {
                if *family != Family::Null || suffix.is_empty() {
                    candidates.push(format!("{qualifier}{base}{suffix}"));
                }
            }
        }
    }
    crate::suggest::nearest_name(name, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(name: &str) -> Operator {
        match Operator::parse(name) {
            Ok(operator) => operator,
            Err(suggestion) => unreachable!("`{name}` rejected, suggestion {suggestion:?}"),
        }
    }

    #[test]
    fn reads_every_documented_operator_with_and_without_if_exists() {
        let mut count = 0;
        for (base, family, negated) in BASE_OPERATORS {
            let operator = parsed(base);
            assert_eq!((operator.family, operator.negated), (*family, *negated));
            assert!(!operator.if_exists && operator.qualifier.is_none());
            let with_suffix = parsed(&format!("{base}IfExists"));
            assert!(with_suffix.if_exists);
            assert_eq!(with_suffix.base, *base);
            count += 2;
        }
        // 27 base operators; `NullIfExists` parses so that its own error can be reported.
        assert_eq!(count, 54);
        assert!(parsed("NullIfExists").if_exists);
    }

    #[test]
    fn reads_set_qualifiers() {
        let operator = parsed("ForAnyValue:StringLikeIfExists");
        assert_eq!(operator.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(operator.base, "StringLike");
        assert!(operator.if_exists && operator.matches_wildcards());
        assert_eq!(operator.full_name(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(
            parsed("ForAllValues:ArnNotLike").qualifier,
            Some(SetQualifier::ForAllValues)
        );
    }

    #[test]
    fn negation_and_wildcards() {
        assert!(parsed("NotIpAddress").negated);
        assert!(parsed("StringNotEqualsIgnoreCase").negated);
        assert!(!parsed("NumericLessThan").negated);
        assert!(!parsed("StringEquals").matches_wildcards());
        assert!(parsed("ArnEquals").matches_wildcards());
    }

    #[test]
    fn rejects_unknown_names_with_a_suggestion() {
        assert_eq!(
            Operator::parse("StringEqual"),
            Err(Some("StringEquals".to_owned()))
        );
        assert_eq!(
            Operator::parse("stringequals"),
            Err(Some("StringEquals".to_owned()))
        );
        assert_eq!(
            Operator::parse("ForAnyValues:StringLike"),
            Err(Some("ForAnyValue:StringLike".to_owned()))
        );
        assert_eq!(
            Operator::parse("BoolIfExist"),
            Err(Some("BoolIfExists".to_owned()))
        );
        assert_eq!(Operator::parse("Banana"), Err(None));
        assert_eq!(Operator::parse("IfExists"), Err(None));
        assert_eq!(Operator::parse(""), Err(None));
    }
}
