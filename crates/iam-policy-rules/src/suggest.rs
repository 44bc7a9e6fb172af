//! "Did you mean": the nearest existing names for a misspelled service prefix, action or
//! condition key. Distance is `strsim`'s optimal string alignment (Damerau-Levenshtein without
//! edits of edited text) on lower-cased names (IAM names are case-insensitive): typing slips are
//! mostly a dropped, doubled, replaced or swapped letter, which it counts as one edit each, and
//! unlike the unrestricted variant it needs no hash map, so it is quick enough to run over every
//! action. A name is suggested when at most a third of it (at least
//! one letter) differs; the 3 nearest, best first.

use iam_policy_reference::{Service, compare_ignore_case, service, services, split_variable};

const MAX_SUGGESTIONS: usize = 3;

fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

fn close_enough(distance: usize, typed: &str) -> bool {
    distance <= (typed.chars().count() / 3).max(1)
}

/// The candidate nearest to `typed` when it is within reach, by the rule of every suggestion
/// here; ties go to the earlier candidate. For short fixed lists of names (policy elements,
/// condition operators, issue codes).
pub fn nearest_name<T: AsRef<str>>(
    typed: &str,
    candidates: impl IntoIterator<Item = T>,
) -> Option<T> {
    let mut best: Option<(usize, T)> = None;
    for candidate in candidates {
        let distance = distance(typed, candidate.as_ref());
        if close_enough(distance, typed) && best.as_ref().is_none_or(|(best, _)| distance < *best) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The nearest of the scored names that are within reach of `typed`, best first, ties by name,
/// each name once (ignoring case). Kept by insertion into the short list rather than by sorting
/// every candidate: one small loop for every caller, where a sort compiles to thousands of
/// lines.
fn nearest<'n>(typed: &str, scored: Vec<(usize, &'n str)>) -> Vec<&'n str> {
    let mut best: Vec<(usize, &str)> = Vec::with_capacity(MAX_SUGGESTIONS + 1);
    for (distance, name) in scored {
        if !close_enough(distance, typed)
            || best.iter().any(|(_, kept)| kept.eq_ignore_ascii_case(name))
        {
            continue;
        }
        // After the names that rank the same, so that the first one found stays first.
        let at = best.partition_point(|&(kept_distance, kept)| {
            kept_distance
                .cmp(&distance)
                .then_with(|| compare_ignore_case(kept, name))
                .is_le()
        });
        best.insert(at, (distance, name));
        best.truncate(MAX_SUGGESTIONS);
    }
    best.into_iter().map(|(_, name)| name).collect()
}

fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_owned).collect()
}

/// The service prefixes nearest to `prefix`: `sms` suggests `ssm`, among others.
pub fn suggest_service(prefix: &str) -> Vec<&'static str> {
    // A name whose length alone puts it out of reach is not measured: the distance is at least
    // the difference in length, and a typed name may be megabytes long.
    let typed_chars = prefix.chars().count();
    let reach = (typed_chars / 3).max(1);
    let mut scored = Vec::new();
    for service in services() {
        let name = service.prefix();
        if name.chars().count().abs_diff(typed_chars) <= reach {
            scored.push((distance(prefix, name), name));
        }
    }
    nearest(prefix, scored)
}

/// The actions nearest to `name` (`service:Action`, or a bare action name searched in every
/// service): `ssm:StartSesion` suggests `ssm:StartSession`. A misspelled prefix is corrected
/// first.
pub fn suggest_action(name: &str) -> Vec<String> {
    let Some((prefix, action)) = name.split_once(':') else {
        let every: Vec<Service> = services().collect();
        return nearest_actions(&every, name);
    };
    match service(prefix) {
        Some(service) => nearest_actions(&[service], action),
        None => {
            let near: Vec<Service> = suggest_service(prefix)
                .into_iter()
                .filter_map(service)
                .collect();
            nearest_actions(&near, action)
        }
    }
}

fn nearest_actions(services: &[Service], action: &str) -> Vec<String> {
    // Every action of the service is measured: lower-case the typed name once, skip names
    // whose length or letters alone put them out of reach, and spell out only the ones kept.
    let typed = action.to_ascii_lowercase();
    let typed_chars = typed.chars().count();
    let reach = (action.chars().count() / 3).max(1);
    let typed_letters = typed.is_ascii().then(|| LetterCounts::of(typed.as_bytes()));
    let mut lowered = String::new();
    let mut scored: Vec<(usize, String)> = Vec::new();
    for found in services.iter().flat_map(|service| service.actions()) {
        let name = found.name();
        if name.is_ascii()
            && (name.len().abs_diff(typed_chars) > reach
                || typed_letters
                    .as_ref()
                    .is_some_and(|letters| letters.edits_at_least(name.as_bytes()) > reach))
        {
            continue;
        }
        lowered.clear();
        lowered.push_str(name);
        lowered.make_ascii_lowercase();
        let distance = strsim::osa_distance(&typed, &lowered);
        if close_enough(distance, action) {
            scored.push((distance, found.to_string()));
        }
    }
    let names = scored
        .iter()
        .map(|(distance, name)| (*distance, name.as_str()))
        .collect();
    owned(nearest(action, names))
}

/// How often each ASCII letter occurs in a name, ignoring case, for a lower bound of the
/// distance that costs a few instructions per letter where the distance costs a few per pair
/// of letters. Each edit removes at most one letter and adds at most one (a swap neither), so
/// a name with `n` letters more (or fewer) of some kinds than the typed one is at least `n`
/// edits away. Letters are counted by their low five bits, which lower-casing keeps; other
/// bytes sharing a count only lowers the bound.
struct LetterCounts([i32; 32]);

impl LetterCounts {
    fn of(ascii: &[u8]) -> Self {
        let mut counts = [0; 32];
        for &byte in ascii {
            if let Some(count) = counts.get_mut(usize::from(byte & 31)) {
                *count += 1;
            }
        }
        LetterCounts(counts)
    }

    /// A lower bound of the distance from the counted name to the ASCII `name`.
    fn edits_at_least(&self, name: &[u8]) -> usize {
        let mut counts = self.0;
        for &byte in name {
            if let Some(count) = counts.get_mut(usize::from(byte & 31)) {
                *count -= 1;
            }
        }
        let (mut surplus, mut shortfall) = (0, 0);
        for count in counts {
            if count > 0 {
                surplus += count.unsigned_abs();
            } else {
                shortfall += count.unsigned_abs();
            }
        }
        surplus.max(shortfall) as usize
    }
}

/// The condition keys nearest to `name`: the documented global keys and the keys services
/// list, with the same prefix when that prefix has keys. A templated key is compared on its
/// fixed text before the variable, so `aws:PrincipalTags/team` suggests
/// `aws:PrincipalTag/${TagKey}`.
pub fn suggest_condition_key(name: &str) -> Vec<String> {
    let prefix = name.split_once(':').map_or("", |(prefix, _)| prefix);
    // Plain loops rather than chains of adapters: this runs only for a misspelled key, and
    // each chain is compiled into a function of its own.
    let mut candidates: Vec<&'static str> = Vec::new();
    for key in iam_policy_reference::condition_keys() {
        candidates.push(key.name());
    }
    let same_prefix = |key: &&str| {
        key.split_once(':')
            .is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix))
    };
    if candidates.iter().any(same_prefix) {
        candidates.retain(same_prefix);
    }
    let typed = Typed::of(name);
    let mut scored = Vec::new();
    for key in candidates {
        if let Some(distance) = key_distance(&typed, key) {
            scored.push((distance, key));
        }
    }
    owned(nearest(name, scored))
}

/// A typed condition key with the lengths the distance's lower bound needs, counted once: a
/// typed name may be megabytes long.
struct Typed<'t> {
    name: &'t str,
    chars: usize,
    /// The text before the last `/` (if any) and its length.
    head: Option<(&'t str, usize)>,
    /// The largest distance still suggested.
    reach: usize,
}

impl<'t> Typed<'t> {
    fn of(name: &'t str) -> Self {
        let chars = name.chars().count();
        let head = name
            .rsplit_once('/')
            .map(|(start, _)| (start, start.chars().count()));
        Typed {
            name,
            chars,
            head,
            reach: (chars / 3).max(1),
        }
    }
}

/// The distance of the typed name to `key`, or `None` when their lengths alone put it out of
/// reach (the distance is at least the difference in length).
fn key_distance(typed: &Typed<'_>, key: &str) -> Option<usize> {
    let within = |(a, a_chars): (&str, usize), b: &str, extra: usize| {
        (a_chars.abs_diff(b.chars().count()) + extra <= typed.reach).then(|| distance(a, b) + extra)
    };
    match split_variable(key) {
        // Compare the typed name's start with the template's fixed start, then charge nothing
        // for the variable's text.
        Some((head, _)) => {
            let head = head.strip_suffix('/').unwrap_or(head);
            match typed.head {
                Some(typed_head) => within(typed_head, head, 0),
                None => within((typed.name, typed.chars), head, 1),
            }
        }
        None => within((typed.name, typed.chars), key, 0),
    }
}

/// "did you mean `a`, `b` or `c`?"; `None` without suggestions.
pub fn did_you_mean<S: AsRef<str>>(suggestions: &[S]) -> Option<String> {
    let quoted: Vec<String> = suggestions
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    match quoted.split_last() {
        None => None,
        Some((last, [])) => Some(format!("did you mean {last}?")),
        Some((last, rest)) => Some(format!("did you mean {} or {last}?", rest.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPED: [&str; 7] = [
        "s3:ListBuckets",
        "s3:ListObjects",
        "ssm:StartSesion",
        "ssm:sendcomand",
        "ec2:DescribeInstance",
        "ec2:X",
        "sts:AssumeRoel",
    ];

    #[test]
    fn nearest_keeps_the_best_names_once_first_found_first() {
        // Typed 30 characters long: names up to 10 edits away are within reach.
        let typed = "a typed name, 30 characters...";
        let scored = vec![
            (2, "Delta"),
            (1, "bravo"),
            (1, "Alpha"),
            (11, "out of reach"),
            (1, "BRAVO"),
            (0, "Zulu"),
            (1, "alpha"),
        ];
        assert_eq!(nearest(typed, scored.clone()), ["Zulu", "Alpha", "bravo"]);
        let without_zulu = scored.into_iter().filter(|(_, name)| *name != "Zulu");
        assert_eq!(
            nearest(typed, without_zulu.collect()),
            ["Alpha", "bravo", "Delta"]
        );
    }

    #[test]
    fn letter_counts_never_exceed_the_distance() {
        for typed in TYPED {
            let Some((prefix, typed)) = typed.split_once(':') else {
                continue;
            };
            let letters = LetterCounts::of(typed.to_ascii_lowercase().as_bytes());
            for action in service(prefix).into_iter().flat_map(Service::actions) {
                let name = action.name();
                let bound = letters.edits_at_least(name.as_bytes());
                assert!(bound <= distance(typed, name), "{typed} {name}: {bound}");
            }
        }
    }

    #[test]
    fn suggestions_are_those_of_measuring_every_action() {
        let mut answered = 0;
        for typed in TYPED {
            let Some((prefix, action)) = typed.split_once(':') else {
                continue;
            };
            let every = service(prefix).into_iter().flat_map(Service::actions);
            let names: Vec<(usize, String)> = every
                .map(|found| (distance(action, found.name()), found.to_string()))
                .collect();
            let expected = nearest(
                action,
                names
                    .iter()
                    .map(|(distance, name)| (*distance, name.as_str()))
                    .collect(),
            );
            answered += usize::from(!expected.is_empty());
            assert_eq!(suggest_action(typed), expected, "{typed}");
        }
        assert!(answered >= 4, "{answered}");
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_service("sssm"), ["ssm"]);
        assert!(suggest_service("ssn").contains(&"ssm"));
        assert_eq!(suggest_service("ssm").first(), Some(&"ssm"));
        assert!(suggest_service("qqqqqqqqqq").is_empty());
        assert_eq!(
            suggest_action("ssm:StartSesion")
                .first()
                .map(String::as_str),
            Some("ssm:StartSession")
        );
        assert_eq!(
            suggest_action("sssm:StartSession")
                .first()
                .map(String::as_str),
            Some("ssm:StartSession")
        );
        assert!(suggest_action("ssm:StartSession").len() <= 3);
        // A bare name is searched in every service; the same name in two services is two answers.
        let bare = suggest_action("StartSession");
        assert_eq!(bare.len(), 3);
        assert!(
            bare.iter().all(|name| name.ends_with(":StartSession")),
            "{bare:?}"
        );
        assert_eq!(
            suggest_condition_key("aws:SourceIP")
                .first()
                .map(String::as_str),
            Some("aws:SourceIp")
        );
        assert_eq!(
            suggest_condition_key("aws:SoruceVpce")
                .first()
                .map(String::as_str),
            Some("aws:SourceVpce")
        );
        assert_eq!(
            suggest_condition_key("aws:PrincipalTags/team")
                .first()
                .map(String::as_str),
            Some("aws:PrincipalTag/${TagKey}")
        );
        assert_eq!(
            suggest_condition_key("ssm:SessionDocumentAccesCheck")
                .first()
                .map(String::as_str),
            Some("ssm:SessionDocumentAccessCheck")
        );
        assert_eq!(
            did_you_mean(&["a", "b", "c"]).as_deref(),
            Some("did you mean `a`, `b` or `c`?")
        );
        assert_eq!(did_you_mean::<&str>(&[]), None);
    }
}
