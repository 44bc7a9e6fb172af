//! Templated condition keys (`ssm:resourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) and the
//! names that instantiate them.

/// Splits a templated condition key at its first variable: `${TagKey}`, or `<key>` as the
/// reference writes a few s3 keys (`s3:ExistingObjectTag/<key>`). Returns the text before and
/// after the variable.
pub fn split_variable(template: &str) -> Option<(&str, &str)> {
    // A few services write the tag key literally (`secretsmanager:ResourceTag/tag-key`) or
    // leave it out (`glacier:ResourceTag/`); AWS's own policies fill it in like `${TagKey}`.
    if let Some(head) = template
        .strip_suffix("tag-key")
        .filter(|head| head.ends_with('/'))
    {
        return Some((head, ""));
    }
    if template.ends_with('/') {
        return Some((template, ""));
    }
    // The first `${` or `<`, then the `}` or `>` that closes it: byte scans, as this runs for
    // every template tried.
    let bytes = template.as_bytes();
    let mut from = 0;
    let start = loop {
        let at = from
            + bytes
                .get(from..)?
                .iter()
                .position(|&byte| byte == b'$' || byte == b'<')?;
        if bytes.get(at) == Some(&b'<') || bytes.get(at + 1) == Some(&b'{') {
            break at;
        }
        from = at + 1;
    };
    let close = if bytes.get(start) == Some(&b'<') {
        b'>'
    } else {
        b'}'
    };
    let end = start + bytes.get(start..)?.iter().position(|&byte| byte == close)?;
    Some((template.get(..start)?, template.get(end + 1..)?))
}

/// Whether `name` is an instance of the templated key `template`: each variable stands for a
/// non-empty text (`aws:PrincipalTag/${TagKey}` matches `aws:PrincipalTag/team`); the rest
/// compares ignoring ASCII case. A template also matches its own spelling.
pub(crate) fn template_matches(template: &str, name: &str) -> bool {
    // Cheap checks first: templates are scanned for every key looked up, and the macro runs
    // this crate unoptimized.
    let bytes = template.as_bytes();
    // Unless the template opens with a variable, the first characters must agree: this
    // rejects most templates before any scan.
    match (bytes.first(), name.as_bytes().first()) {
        (None, _) => return name.is_empty(),
        (Some(b'$' | b'<'), _) => {}
        (Some(t), Some(n)) if t.eq_ignore_ascii_case(n) => {}
        _ => return false,
    }
    // Likewise the last ones, unless the template ends with a variable or is one of the
    // irregular tag-key forms: after its last variable, a template is plain text that ends
    // the name.
    let ends_open = match bytes.last() {
        Some(b'}' | b'>' | b'/') => true,
        _ => bytes.ends_with(b"/tag-key"),
    };
    let last_agrees = bytes
        .last()
        .zip(name.as_bytes().last())
        .is_some_and(|(t, n)| t.eq_ignore_ascii_case(n));
    if !ends_open && !last_agrees {
        return false;
    }
    if template.eq_ignore_ascii_case(name) {
        return true;
    }
    split_variable(template).is_some_and(|(head, tail)| instance_matches(head, tail, name))
}

/// [`template_matches`] for a template split at its first variable into `head` and `tail`
/// and not spelled as `name`: `name` is `head`, a non-empty text for the variable, then
/// something `tail` matches. Tables of templates split them once and call this.
pub(crate) fn instance_matches(head: &str, tail: &str, name: &str) -> bool {
    // The first characters first: this rejects most templates before any scan.
    if let Some(first) = head.as_bytes().first()
        && !name
            .as_bytes()
            .first()
            .is_some_and(|n| n.eq_ignore_ascii_case(first))
    {
        return false;
    }
    let Some(after_head) = strip_prefix_ignore_case(name, head) else {
        return false;
    };
    if split_variable(tail).is_none() {
        // A plain tail ends the name, after at least one character for the variable.
        return after_head
            .len()
            .checked_sub(tail.len())
            .filter(|&index| index > 0 && after_head.is_char_boundary(index))
            .and_then(|index| after_head.get(index..))
            .is_some_and(|rest| rest.eq_ignore_ascii_case(tail));
    }
    // The variable takes at least one character, then the tail must match the rest.
    after_head
        .char_indices()
        .skip(1)
        .map(|(index, _)| index)
        .chain(std::iter::once(after_head.len()))
        .filter(|&index| index > 0)
        .any(|index| {
            after_head
                .get(index..)
                .is_some_and(|rest| template_matches(tail, rest))
        })
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Literal characters count when choosing between templates that both match.
pub(crate) fn literal_length(template: &str) -> usize {
    let mut length = 0;
    let mut rest = template;
    while let Some((head, tail)) = split_variable(rest) {
        length += head.len();
        rest = tail;
    }
    length + rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`template_matches`] as first written: equality, or the first variable takes one or more
    /// characters and the rest matches the tail.
    fn template_matches_by_definition(template: &str, name: &str) -> bool {
        if template.eq_ignore_ascii_case(name) {
            return true;
        }
        let Some((head, tail)) = split_variable(template) else {
            return false;
        };
        let Some(after_head) = strip_prefix_ignore_case(name, head) else {
            return false;
        };
        after_head
            .char_indices()
            .skip(1)
            .map(|(index, _)| index)
            .chain(std::iter::once(after_head.len()))
            .filter(|&index| index > 0)
            .any(|index| {
                after_head
                    .get(index..)
                    .is_some_and(|rest| template_matches_by_definition(tail, rest))
            })
    }

    /// The quick checks and the plain-tail shortcut answer as the definition does, on every
    /// shape of template the reference has and names made from them.
    #[test]
    fn templates_agree_with_the_definition() {
        let templates = [
            "aws:PrincipalTag/${TagKey}",
            "events:Metadata/${MetadataKey}/Matcher",
            "agent.${Domain}.buildkite.dev:build_branch",
            "codebuild:secondarySources/${sourceIdentifier}.auth.type",
            "s3:ExistingObjectTag/<key>",
            "glacier:ResourceTag/",
            "secretsmanager:ResourceTag/tag-key",
            "a${x}b${y}c",
            "a${x}${y}",
            "${x}",
            "<k>z",
            "x$y",
            "a}b",
            "ec2:Attribute",
            "",
        ];
        let fillings = ["", "q", "Qé", "}", "${x}", "/", "b", "bc"];
        let mut names: Vec<String> = Vec::new();
        for template in templates {
            for filling in fillings {
                let filled = template
                    .replace("${TagKey}", filling)
                    .replace("${MetadataKey}", filling)
                    .replace("${Domain}", filling)
                    .replace("${sourceIdentifier}", filling)
                    .replace("${x}", filling)
                    .replace("${y}", filling)
                    .replace("<key>", filling)
                    .replace("<k>", filling)
                    .replace("tag-key", filling);
                names.push(filled.to_ascii_uppercase());
                names.push(format!("{filled}{filling}"));
                names.push(filled.chars().skip(1).collect());
                names.push(
                    filled
                        .chars()
                        .rev()
                        .skip(1)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect(),
                );
                names.push(filled);
            }
            names.push(template.to_owned());
        }
        for template in templates {
            for name in &names {
                assert_eq!(
                    template_matches(template, name),
                    template_matches_by_definition(template, name),
                    "{template} {name}"
                );
            }
        }
    }

    #[test]
    fn templates() {
        assert!(template_matches(
            "aws:PrincipalTag/${TagKey}",
            "aws:principaltag/team"
        ));
        assert!(template_matches(
            "aws:PrincipalTag/${TagKey}",
            "aws:PrincipalTag/${TagKey}"
        ));
        assert!(!template_matches(
            "aws:PrincipalTag/${TagKey}",
            "aws:PrincipalTag/"
        ));
        assert!(template_matches(
            "codebuild:secondarySources/${sourceIdentifier}.auth.type",
            "codebuild:secondarySources/src1.auth.type"
        ));
        assert!(!template_matches(
            "events:Metadata/${MetadataKey}/Matcher",
            "events:Metadata/x"
        ));
        assert!(template_matches(
            "agent.${Domain}.buildkite.dev:cluster_id",
            "agent.acme.buildkite.dev:cluster_id"
        ));
        assert_eq!(literal_length("aws:PrincipalTag/${TagKey}"), 17);
        assert!(template_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/Project"
        ));
        assert_eq!(literal_length("s3:ExistingObjectTag/<key>"), 21);
        for (template, name) in [
            (
                "secretsmanager:ResourceTag/tag-key",
                "secretsmanager:ResourceTag/SageMaker",
            ),
            ("glacier:ResourceTag/", "glacier:ResourceTag/LegalHold"),
        ] {
            assert!(template_matches(template, name), "{template}");
        }
        assert_eq!(
            split_variable("kms:EncryptionContext:${Key}"),
            Some(("kms:EncryptionContext:", ""))
        );
        // A `$` without `{` is text; the first variable of either spelling is taken.
        assert_eq!(split_variable("a$b$${x}c"), Some(("a$b$", "c")));
        assert_eq!(split_variable("a<k>b${x}"), Some(("a", "b${x}")));
        assert_eq!(split_variable("a${x}b<k>"), Some(("a", "b<k>")));
        assert_eq!(split_variable("a${x"), None);
        assert_eq!(split_variable("a$"), None);
    }
}
