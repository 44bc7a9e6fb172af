//! ARN syntax: `arn:partition:service:region:account:resource`, checked field by field and
//! against the ARN formats of the reference's resource types. `*`, `?` and `${...}` policy
//! variables may appear inside any field (the variable rules decide where variables may be).

use super::{Context, Entry};
use crate::IssueCode;
use iam_policy_reference as reference;
use rustc_hash::FxBuildHasher;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// What the ARN checks of one document remember: what checking each ARN that reported nothing
/// gave, by its text as written (borrowed from the document). A policy often repeats an ARN in
/// several statements, and the check depends on the text alone.
#[derive(Default)]
pub(crate) struct DocumentArns<'a> {
    /// The first few ARNs, searched in turn: most documents name a handful, for which setting
    /// up a hash map costs more than its look-ups spare. In place, not in a vector: one
    /// allocation less for every document.
    few: [(&'a str, CheckedArn); FEW_ARNS],
    /// How many of `few` are filled.
    filled: usize,
    /// The others, once there are more.
    // rustc-hash's hasher: SipHash spent more on each ARN than the look-up it spares, and a
    // document's own ARNs are its keys, so resisting chosen keys buys nothing.
    more: HashMap<&'a str, CheckedArn, FxBuildHasher>,
}

/// What checking an ARN gave: the resource types it can name, if any could be matched.
type CheckedArn = Option<Rc<[reference::ResourceType]>>;

/// How many ARNs [`DocumentArns`] keeps in place before it starts its map.
const FEW_ARNS: usize = 8;

impl<'a> DocumentArns<'a> {
    fn get(&self, text: &str) -> Option<&CheckedArn> {
        let few = self.few.get(..self.filled).unwrap_or_default();
        match few.iter().find(|(known, _)| *known == text) {
            Some((_, checked)) => Some(checked),
            None if self.more.is_empty() => None,
            None => self.more.get(text),
        }
    }

    fn insert(&mut self, text: &'a str, checked: CheckedArn) {
        match self.few.get_mut(self.filled) {
            Some(slot) => {
                *slot = (text, checked);
                self.filled += 1;
            }
            None => {
                self.more.insert(text, checked);
            }
        }
    }
}

/// The six fields of an ARN, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    /// Everything after the fifth colon (it may hold more colons).
    pub resource: &'a str,
    /// The five colons as [`reference::arn_field_colons`] found them, when it did: handed to
    /// the reference, which would look for them again.
    pub field_colons: Option<[usize; 5]>,
}

/// Splits an ARN at its first five colons, skipping colons inside `${...}` (as in
/// `${aws:username}`). `None` when it has fewer than six fields or does not start with `arn:`.
pub(crate) fn split(text: &str) -> Option<Arn<'_>> {
    let field_colons = reference::arn_field_colons(text);
    let fields = match field_colons {
        Some(fields) => fields,
        None => fields_skipping_variables(text)?,
    };
    let [first, second, third, fourth, fifth] = fields;
    if text.get(..first) != Some("arn") {
        return None;
    }
    Some(Arn {
        partition: text.get(first + 1..second)?,
        service: text.get(second + 1..third)?,
        region: text.get(third + 1..fourth)?,
        account: text.get(fourth + 1..fifth)?,
        resource: text.get(fifth + 1..)?,
        field_colons,
    })
}

/// The first five colons of `text` outside `${...}`, byte by byte.
fn fields_skipping_variables(text: &str) -> Option<[usize; 5]> {
    let mut fields = [0usize; 5];
    let mut found = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() && found < fields.len() {
        match bytes.get(index) {
            Some(b'$') if bytes.get(index + 1) == Some(&b'{') => {
                // Jump over the variable; an unclosed one runs to the end.
                index = text
                    .get(index..)
                    .and_then(|rest| rest.find('}'))
                    .map_or(bytes.len(), |close| index + close + 1);
                continue;
            }
            Some(b':') => {
                if let Some(slot) = fields.get_mut(found) {
                    *slot = index;
                }
                found += 1;
            }
            _ => {}
        }
        index += 1;
    }
    (found == fields.len()).then_some(fields)
}

/// Byte offset where the resource field of an ARN starts, if `text` is an ARN.
pub(crate) fn resource_start(text: &str) -> Option<usize> {
    let arn = split(text)?;
    Some(arn.resource.as_ptr() as usize - text.as_ptr() as usize)
}

/// Holds a wildcard or a variable, so it stands for values we cannot check literally.
fn is_pattern(field: &str) -> bool {
    super::holds_wildcard(field) || super::variable::has_variable(field)
}

fn known_partition(partition: &str) -> bool {
    matches!(partition, "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc")
        || partition.strip_prefix("aws-iso").is_some_and(|rest| {
            rest.is_empty()
                || rest.strip_prefix('-').is_some_and(|letter| {
                    letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase())
                })
        })
}

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`, `eusc-de-east-1`.
fn region_shaped(region: &str) -> bool {
    // Area, then one or more words, then the number: split at the first and last hyphens,
    // with no list of the parts to allocate.
    let Some((area, rest)) = region.split_once('-') else {
        return false;
    };
    let Some((words, number)) = rest.rsplit_once('-') else {
        return false;
    };
    (2..=4).contains(&area.len())
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && words
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The account field: 12 digits, or `aws` (AWS managed policies), or a pattern.
fn account_shaped(account: &str) -> bool {
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())) || account == "aws"
}

/// Checks one `Resource`/`NotResource` entry that is not `"*"`. Returns the resource types it
/// can name, or `None` when it is malformed (reported) or cannot be matched (service pattern).
pub(crate) fn check<'a>(
    entry: &Entry<'a>,
    statement: Option<usize>,
    arns: &mut DocumentArns<'a>,
    ctx: &mut Context<'_>,
) -> CheckedArn {
    // An ARN written again that reported nothing the first time gives what it gave then; one
    // that reported something is checked again, to report it again here.
    if let Some(types) = arns.get(entry.text) {
        return types.clone();
    }
    // Then the ARNs that checked clean lately on this thread: the policies of a run (an
    // identity policy and the resource policy of one scenario, the next scenario's) repeat
    // their ARNs, and the check depends on the text alone.
    type Kept = reference::recent::Recent<CheckedArn, 8>;
    thread_local! {
        static RECENT: RefCell<Kept> = const { RefCell::new(Kept::new()) };
    }
    let key = entry.text.as_bytes();
    let kept = Kept::keeps(key);
    if kept && let Some(types) = RECENT.with_borrow(|recent| recent.get((0, 0), key)) {
        arns.insert(entry.text, types.clone());
        return types;
    }
    let reported = ctx.finding_count();
    let types = check_afresh(entry, statement, ctx);
    if ctx.finding_count() == reported {
        arns.insert(entry.text, types.clone());
        if kept {
            RECENT.with_borrow_mut(|recent| recent.put((0, 0), key, types.clone()));
        }
    }
    types
}

/// [`check`] without looking at the ARNs checked before, but for their fields.
fn check_afresh(entry: &Entry<'_>, statement: Option<usize>, ctx: &mut Context<'_>) -> CheckedArn {
    let (arn, service) = match CleanFields::known(entry.text) {
        Some(known) => known,
        None => {
            let reported = ctx.finding_count();
            let (arn, service) = check_fields(entry, statement, ctx)?;
            if ctx.finding_count() == reported {
                CleanFields::keep(entry.text, &arn, service);
            }
            (arn, service)
        }
    };
    resource_types(entry, &arn, service, statement, ctx)
}

/// The five fields, with their colons, of the ARN checked last on this thread whose fields
/// reported nothing, with where its colons are and its service's formats: the ARNs of a policy,
/// and of the next, mostly share their fields (`arn:aws:s3:::`), and what checking them finds
/// depends on their text alone. Kept only when the colons were found in the first
/// [`reference::ARN_FIELDS_WINDOW`] bytes with no `$` before the fifth, as they then are in
/// any text that starts with the same fields.
#[derive(Clone, Copy)]
struct CleanFields {
    length: usize,
    text: [u8; reference::ARN_FIELDS_WINDOW],
    colons: [usize; 5],
    service: reference::ArnService,
}

thread_local! {
    static LAST_FIELDS: RefCell<Option<CleanFields>> = const { RefCell::new(None) };
}

impl CleanFields {
    /// `text` split into its fields, with its service's formats, when its fields are those
    /// kept.
    fn known(text: &str) -> Option<(Arn<'_>, reference::ArnService)> {
        // Compared where it is kept, not copied out.
        let (colons, service) = LAST_FIELDS.with_borrow(|last| {
            let last = last.as_ref()?;
            (text.as_bytes().starts_with(last.text.get(..last.length)?))
                .then_some((last.colons, last.service))
        })?;
        let [first, second, third, fourth, fifth] = colons;
        let arn = Arn {
            partition: text.get(first + 1..second)?,
            service: text.get(second + 1..third)?,
            region: text.get(third + 1..fourth)?,
            account: text.get(fourth + 1..fifth)?,
            resource: text.get(fifth + 1..)?,
            field_colons: Some(colons),
        };
        Some((arn, service))
    }

    /// Keeps the fields of `arn`, split from `text`, which reported nothing, when they can be
    /// recognized as [`Self::known`] does.
    fn keep(text: &str, arn: &Arn<'_>, service: reference::ArnService) {
        let Some(colons) = arn.field_colons else {
            return;
        };
        let length = colons[4] + 1;
        let mut kept = [0; reference::ARN_FIELDS_WINDOW];
        let (Some(room), Some(fields)) = (kept.get_mut(..length), text.as_bytes().get(..length))
        else {
            return;
        };
        room.copy_from_slice(fields);
        LAST_FIELDS.set(Some(CleanFields {
            length,
            text: kept,
            colons,
            service,
        }));
    }
}

/// Checks the fields of an ARN, reporting what is wrong with them: the ARN split, with its
/// service's formats, when its resource part is to be matched against them.
fn check_fields<'a>(
    entry: &Entry<'a>,
    statement: Option<usize>,
    ctx: &mut Context<'_>,
) -> Option<(Arn<'a>, reference::ArnService)> {
    let text = entry.text;
    if !text.starts_with("arn:") {
        ctx.report_entry(
            IssueCode::InvalidArnPrefix,
            entry,
            statement,
            format!("`{text}` is not an ARN: it must start with `arn:`"),
            Some(
                "write `arn:partition:service:region:account:resource`, or `\"*\"` for every resource"
                    .to_owned(),
            ),
        );
        return None;
    }
    let Some(arn) = split(text) else {
        ctx.report_entry(
            IssueCode::MissingArnField,
            entry,
            statement,
            format!("`{text}` has fewer than the six fields of an ARN"),
            Some("write `arn:partition:service:region:account:resource`; leave a field empty (`::`) where the resource type has none".to_owned()),
        );
        return None;
    };
    let mut well_formed = true;
    if !is_pattern(arn.partition) && !known_partition(arn.partition) {
        ctx.report_entry(
            IssueCode::InvalidPartition,
            entry,
            statement,
            format!("`{}` is not an AWS partition", arn.partition),
            Some("use `aws`, `aws-cn`, `aws-us-gov` or an `aws-iso` partition".to_owned()),
        );
        well_formed = false;
    }
    if arn.service.bytes().any(|b| b.is_ascii_uppercase())
        && !super::variable::has_variable(arn.service)
    {
        ctx.report_entry(
            IssueCode::InvalidArnServiceCase,
            entry,
            statement,
            format!("the service `{}` of an ARN must be lower case", arn.service),
            Some(format!("write `{}`", arn.service.to_ascii_lowercase())),
        );
        return None;
    }
    if !arn.region.is_empty() && !is_pattern(arn.region) && !region_shaped(arn.region) {
        ctx.report_entry(
            IssueCode::InvalidArnRegion,
            entry,
            statement,
            format!("`{}` is not a Region code", arn.region),
            Some("write a Region code such as `us-east-1`, or `*`".to_owned()),
        );
        well_formed = false;
    }
    if !arn.account.is_empty() && !is_pattern(arn.account) && !account_shaped(arn.account) {
        ctx.report_entry(
            IssueCode::InvalidArnAccount,
            entry,
            statement,
            format!(
                "`{}` is not an account ID: it must be 12 digits",
                arn.account
            ),
            Some("write the 12-digit account ID without hyphens, or `*`".to_owned()),
        );
        well_formed = false;
    }
    if is_pattern(arn.service) {
        return None;
    }
    let Some(service) = reference::arn_service(arn.service) else {
        // A service of the reference without ARN formats (`applicationinsights`) or with
        // formats under another service field (`devops-guru`): nothing to check against.
        if reference::service(arn.service).is_some() {
            return None;
        }
        if reference::retired_service(arn.service) {
            ctx.report_entry(
                IssueCode::RetiredService,
                entry,
                statement,
                format!(
                    "the service `{}` was retired: it is in the 2024 reference but not any more",
                    arn.service
                ),
                Some("remove it: no action acts on its resources any more".to_owned()),
            );
            return None;
        }
        let suggestions = ctx.suggest(|| crate::suggest::suggest_service(arn.service));
        ctx.report_entry(
            IssueCode::InvalidArnService,
            entry,
            statement,
            format!(
                "no service names its resources with `{}` in ARNs",
                arn.service
            ),
            super::did_you_mean(
                suggestions
                    .first()
                    .copied()
                    .filter(|prefix| reference::is_arn_service(prefix)),
            ),
        );
        return None;
    };
    if !well_formed {
        // Reported already; matching it against resource types would only add noise.
        return None;
    }
    Some((arn, service))
}

/// The resource types of `service` that the resource part of a well-formed ARN can name,
/// checked against its Region and account fields; `None` when it fits none (reported).
fn resource_types(
    entry: &Entry<'_>,
    arn: &Arn<'_>,
    service: reference::ArnService,
    statement: Option<usize>,
    ctx: &mut Context<'_>,
) -> CheckedArn {
    let text = entry.text;
    // Every type found has its format in the ARN's service field (the reference's tests).
    let types = service.resource_types_for_arn_with_colons(text, arn.field_colons);
    if !types.is_empty() {
        return fields_fit(entry, arn, &types, statement, ctx).then_some(types);
    }
    // Nothing fits: tell a misplaced Region or account apart from a wrong resource part.
    let relaxed = format!("arn:{}:{}:*:*:{}", arn.partition, arn.service, arn.resource);
    let types = service.resource_types_for_arn(&relaxed);
    if !types.is_empty() {
        // Only the Region or account kept it from fitting: report which, unless that is an
        // accepted exception (an AWS-owned resource in no account).
        return fields_fit(entry, arn, &types, statement, ctx).then_some(types);
    }
    // A resource-type word in the wrong case (`statemachine:` for `stateMachine:`) is a typo,
    // not a name a generic format or a spanning wildcard could lead to: ARNs compare
    // case-sensitively.
    if !miscased_type_word(arn, service) {
        if let Some(types) = spanning_wildcard_types(arn, service) {
            return Some(types.into());
        }
        if let Some(types) = generic_types(arn, text) {
            return Some(types);
        }
    }
    let help = nearest_format(service, arn.resource)
        .map(|format| format!("did you mean a resource like `{format}`?"));
    // The reference's formats are loosely documented (types it lacks, words in another
    // case): AWS's own policies name resources that fit none of them. A warning.
    ctx.report_uncertain_entry(
        IssueCode::InvalidArnResource,
        entry,
        statement,
        format!(
            "`{}` fits no resource type of `{}` ARNs",
            arn.resource, arn.service
        ),
        help.or_else(|| {
            Some(format!(
                "run `iam-policy describe {}` to list its resource types",
                arn.service
            ))
        }),
    );
    None
}

/// The resource parts of the formats of the first service, in table order, with a format in
/// this ARN service.
fn resource_parts(arn_service: reference::ArnService) -> impl Iterator<Item = &'static str> {
    let service = arn_service
        .resource_types()
        .first()
        .map(|resource_type| resource_type.service());
    service
        .into_iter()
        .flat_map(|service| service.resource_types())
        .flat_map(|resource_type| resource_type.arn_formats())
        .filter_map(|format| format.splitn(6, ':').nth(5))
}

/// Whether the resource part opens with a resource-type word of the service in another case.
fn miscased_type_word(arn: &Arn<'_>, arn_service: reference::ArnService) -> bool {
    let head = |text: &'static str| text.split([':', '/']).next().unwrap_or_default();
    let written = arn.resource.split([':', '/']).next().unwrap_or_default();
    resource_parts(arn_service).any(|resource| {
        let keyword = head(resource);
        keyword != written && keyword.eq_ignore_ascii_case(written)
    })
}

/// The resource types whose ARN format leaves the service field open
/// (`arn:${Partition}:${Vendor}:...`, Backup's recovery points), when `text` fits one: they name
/// resources of every service. Its resource part is `${ResourceType}:${RecoveryPointId}`: only
/// a resource part with a colon of its own is taken for one, not a wildcard that could span it
/// (`Canvas*` names no recovery point).
fn generic_types(arn: &Arn<'_>, text: &str) -> Option<Rc<[reference::ResourceType]>> {
    if !arn.resource.contains(':') {
        return None;
    }
    let types = reference::arn_service("${Vendor}")?.resource_types_for_arn(text);
    (!types.is_empty()).then_some(types)
}

/// A `*` ending the Region or account field may also match across colons ("it can expand to
/// match beyond the colon boundaries", IAM's `Resource` page), so
/// `arn:aws:logs:*:*:/aws-glue/*` names the log groups `log-group:/aws-glue/...`: the types
/// whose resource part, after one of its colons, the written resource part can name with as
/// many colons (names hold none of their own: `statemachine:*` still names no state machine).
fn spanning_wildcard_types(
    arn: &Arn<'_>,
    arn_service: reference::ArnService,
) -> Option<Vec<reference::ResourceType>> {
    if !(arn.region.ends_with('*') || arn.account.ends_with('*')) {
        return None;
    }
    let mut found = Vec::new();
    for resource in resource_parts(arn_service) {
        for (colon, _) in resource.match_indices(':') {
            if resource[colon + 1..].matches(':').count() != arn.resource.matches(':').count() {
                continue;
            }
            // What the wildcard absorbs, up to that colon, with its variables as `*`.
            let absorbed: String = resource[..colon]
                .split("${")
                .enumerate()
                .map(|(index, piece)| match (index, piece.split_once('}')) {
                    (0, _) | (_, None) => piece.to_owned(),
                    (_, Some((_, rest))) => format!("*{rest}"),
                })
                .collect();
            let candidate = format!(
                "arn:{}:{}:*:*:{absorbed}:{}",
                arn.partition, arn.service, arn.resource
            );
            found.extend_from_slice(&arn_service.resource_types_for_arn(&candidate));
        }
    }
    (!found.is_empty()).then_some(found)
}

/// Checks that the Region and account fields are filled exactly where the resource types'
/// ARN formats have them. Returns false when it reported something.
fn fields_fit(
    entry: &Entry<'_>,
    arn: &Arn<'_>,
    types: &[reference::ResourceType],
    statement: Option<usize>,
    ctx: &mut Context<'_>,
) -> bool {
    // The types are those of the ARN's service field, whose formats have all six fields:
    // which of them fill the Region and the account, read in one pass.
    let mut formats = 0;
    let (mut region_filled, mut account_filled) = (0, 0);
    for format in types
        .iter()
        .filter_map(|resource_type| resource_type.arn_format_fields())
    {
        formats += 1;
        region_filled += usize::from(!format.region.is_empty());
        account_filled += usize::from(!format.account.is_empty());
    }
    if formats == 0 {
        return true;
    }
    let region_given = !arn.region.is_empty() && !is_pattern(arn.region);
    let account_given = !arn.account.is_empty() && !is_pattern(arn.account);
    let misfits = Misfits {
        region_not_allowed: region_given && region_filled == 0,
        region_missing: arn.region.is_empty() && region_filled == formats,
        account_not_allowed: account_given && account_filled == 0,
        account_missing: arn.account.is_empty() && account_filled == formats && !aws_owned(arn),
    };
    if misfits == Misfits::default() {
        return true;
    }
    report_misfits(entry, arn, types, misfits, statement, ctx);
    false
}

/// Where an ARN's Region and account fields do not fit its resource types' formats.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Misfits {
    region_not_allowed: bool,
    region_missing: bool,
    account_not_allowed: bool,
    account_missing: bool,
}

/// Reports what [`fields_fit`] found: apart, as most ARNs fit.
#[cold]
fn report_misfits(
    entry: &Entry<'_>,
    arn: &Arn<'_>,
    types: &[reference::ResourceType],
    misfits: Misfits,
    statement: Option<usize>,
    ctx: &mut Context<'_>,
) {
    let names = || type_names(types, arn.service);
    if misfits.region_not_allowed {
        ctx.report_entry(
            IssueCode::ArnRegionNotAllowed,
            entry,
            statement,
            format!(
                "{} ARNs have no Region, but this one has `{}`",
                names(),
                arn.region
            ),
            Some("leave the Region field empty (`::`)".to_owned()),
        );
    }
    if misfits.region_missing {
        ctx.report_entry(
            IssueCode::MissingArnRegion,
            entry,
            statement,
            format!("{} ARNs need a Region, and this one has none", names()),
            Some("fill in the Region, e.g. `us-east-1`, or `*`".to_owned()),
        );
    }
    if misfits.account_not_allowed {
        ctx.report_entry(
            IssueCode::ArnAccountNotAllowed,
            entry,
            statement,
            format!(
                "{} ARNs have no account, but this one has `{}`",
                names(),
                arn.account
            ),
            Some("leave the account field empty (`::`)".to_owned()),
        );
    }
    if misfits.account_missing {
        ctx.report_entry(
            IssueCode::MissingArnAccount,
            entry,
            statement,
            format!("{} ARNs need an account, and this one has none", names()),
            Some("fill in the 12-digit account ID, or `*`".to_owned()),
        );
    }
}

/// Resources AWS owns and shares live in no account, although their resource type's ARN
/// format has one: SSM documents (`document/AWS-RunShellScript`), public parameters
/// (`parameter/aws/service/...`) and automation definitions, and the resources AWS names for
/// its services (`view/AWSServiceViewForApplicationSignals/...` of Resource Explorer).
fn aws_owned(arn: &Arn<'_>) -> bool {
    let ssm_shared = arn.service == "ssm"
        && ["document/", "parameter/", "automation-definition/"]
            .iter()
            .any(|prefix| arn.resource.starts_with(prefix));
    // The name after the resource type's word: AWS's own start with `AWS` or `aws`.
    let name = arn
        .resource
        .split_once(['/', ':'])
        .map_or("", |(_, name)| name);
    ssm_shared
        || name
            .get(..3)
            .is_some_and(|head| head.eq_ignore_ascii_case("aws"))
}

/// "`bucket`" or "`instance` and `volume`" for messages: the types the ARN's own service owns
/// when there are some (an `ec2` volume ARN is also a type of `workspaces-instances`).
fn type_names(types: &[reference::ResourceType], arn_service: &str) -> String {
    let own = types
        .iter()
        .any(|resource_type| resource_type.service().prefix() == arn_service);
    let mut names: Vec<&str> = Vec::new();
    for resource_type in types {
        let owner = resource_type.service().prefix();
        if (!own || owner == arn_service) && !names.contains(&resource_type.name()) {
            names.push(resource_type.name());
        }
    }
    let quoted: Vec<String> = names
        .iter()
        .take(3)
        .map(|name| format!("`{name}`"))
        .collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => "these".to_owned(),
    }
}

/// The resource part of the ARN format of `service` closest to `resource`.
fn nearest_format(service: reference::ArnService, resource: &str) -> Option<&'static str> {
    let head = |text: &str| -> String {
        text.split(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let wanted = head(resource);
    if wanted.is_empty() || is_pattern(&wanted) {
        return None;
    }
    let formats: Vec<(String, &'static str)> = service
        .resource_types()
        .into_iter()
        .flat_map(|resource_type| resource_type.arn_formats())
        .filter_map(split)
        .filter(|format| format.service == service.field())
        .map(|format| (head(format.resource), format.resource))
        .collect();
    // `documentation` for `document`: one is the start of the other.
    let extends = |(candidate, _): &&(String, &'static str)| {
        candidate.starts_with(&wanted) || wanted.starts_with(candidate.as_str())
    };
    formats
        .iter()
        .find(extends)
        .map(|(_, resource)| *resource)
        .or_else(|| {
            let heads = formats.iter().map(|(candidate, _)| candidate.as_str());
            let nearest = crate::suggest::nearest_name(&wanted, heads)?;
            formats
                .iter()
                .find(|(candidate, _)| candidate == nearest)
                .map(|(_, resource)| *resource)
        })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, only, statement};
    use super::*;
    use crate::IssueCode as C;

    fn resource(arn: &str) -> String {
        statement(&format!(
            r#""Effect": "Deny", "Action": "*", "Resource": "{arn}""#
        ))
    }

    #[test]
    fn split_skips_colons_in_variables() {
        let Some(arn) = split("arn:aws:s3:::bucket/${aws:username}/*") else {
            unreachable!("an ARN")
        };
        assert_eq!(arn.service, "s3");
        assert_eq!(arn.resource, "bucket/${aws:username}/*");
        let Some(arn) = split("arn:${aws:partition}:iam::123456789012:user/a:b") else {
            unreachable!("an ARN")
        };
        assert_eq!(arn.partition, "${aws:partition}");
        assert_eq!(arn.resource, "user/a:b");
        assert_eq!(split("arn:aws:s3::bucket"), None);
        assert_eq!(split("urn:aws:s3:::bucket"), None);
        assert_eq!(resource_start("arn:aws:s3:::b"), Some(13));
    }

    #[test]
    fn fields_found_as_masks_are_those_found_byte_by_byte() {
        // Every format of the reference, and shapes around the window's edges and `$`.
        let formats = reference::resource_types_for_arn("*")
            .into_iter()
            .flat_map(|resource_type| resource_type.arn_formats());
        let mut texts: Vec<String> = formats.map(str::to_owned).collect();
        for length in 0..=reference::ARN_FIELDS_WINDOW + 2 {
            for colon in 0..length.min(12) {
                let mut text = "arn:aws:s3::".to_owned() + &"a".repeat(length);
                text.insert(text.len() - colon, ':');
                texts.push(text.clone());
                text.insert(text.len() - colon, '$');
                texts.push(text.clone());
                texts.push(text.replace('$', "${x:y}"));
            }
        }
        texts.extend(
            [
                "arn:aws:s3:::b",
                "arn:${aws:partition}:iam::123456789012:user/a:b",
                "arn:aws:ec2:us-east-1:123456789012:instance/*",
                "arn:aws:s3:::$bucket",
                "arn:aws:s3:$::b",
                "arn:aws:s3::",
                "::::::",
                "*",
                "",
            ]
            .map(str::to_owned),
        );
        let mut fast = 0;
        for text in &texts {
            if let Some(fields) = reference::arn_field_colons(text) {
                fast += 1;
                assert_eq!(Some(fields), fields_skipping_variables(text), "{text}");
            }
        }
        // The formats all open with `${Partition}`: the crafted ARNs exercise the masks.
        assert!(fast > 300, "{fast}");
    }

    #[test]
    fn format_fields_from_the_reference_are_the_split_ones() {
        // `of_service` and `fields_fit` read the fields the reference took apart once; they
        // must be what splitting the format here gives, for every resource type.
        let every = reference::resource_types_for_arn("*");
        assert!(every.len() > 2_000);
        for resource_type in every {
            for format in resource_type.arn_formats() {
                let split = split(format).map(|arn| reference::ArnFormatFields {
                    service: arn.service,
                    region: arn.region,
                    account: arn.account,
                });
                assert_eq!(resource_type.arn_format_fields(), split, "{format}");
            }
        }
    }

    #[test]
    fn shapes_of_fields() {
        assert!(region_shaped("us-east-1") && region_shaped("us-gov-west-1"));
        assert!(region_shaped("us-isob-east-1") && region_shaped("cn-northwest-1"));
        assert!(
            !region_shaped("us-east") && !region_shaped("useast1") && !region_shaped("US-EAST-1")
        );
        // Every hyphen separates two non-empty parts, the number ends it.
        for region in [
            "us--east-1",
            "us-east-",
            "-east-1",
            "us-east-1-",
            "us-east-123",
            "u-east-1",
        ] {
            assert!(!region_shaped(region), "{region}");
        }
        assert!(region_shaped("eusc-de-east-1") && region_shaped("us-a-b-c-12"));
        assert!(known_partition("aws-iso-b") && known_partition("aws-iso"));
        assert!(!known_partition("amazon") && !known_partition("aws-iso-bb"));
        assert!(account_shaped("123456789012") && account_shaped("aws"));
        assert!(!account_shaped("1234-5678-9012"));
    }

    #[test]
    fn valid_arns_pass() {
        for arn in [
            "arn:aws:s3:::my-bucket/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:iam::123456789012:role/service-role/app",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:logs:us-east-1:123456789012:log-group:app:*",
            "arn:aws-cn:s3:::bucket",
            "arn:aws:s3:::bucket-${aws:username}/*",
            "arn:aws:*:*:*:*",
            // AWS-owned documents and public parameters have no account.
            "arn:aws:ssm:*::document/AWS-RunShellScript",
            "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/*",
            // Services without ARN formats of their own in the reference.
            "arn:aws:applicationinsights:*:*:application/resource-group/x",
        ] {
            let found = codes(&resource(arn), None);
            assert!(found.is_empty(), "{arn}: {found:?}");
        }
    }

    #[test]
    fn an_arn_written_again_is_checked_again() {
        // The second entry reuses what the first gave when it reported nothing, and reports
        // again what it did report.
        let twice = |arn: &str, action: &str| {
            let text = statement(&format!(
                r#""Effect": "Allow", "Action": "{action}", "Resource": ["{arn}", "{arn}"]"#
            ));
            super::super::testing::findings(&text, None)
                .into_iter()
                .filter(|finding| finding.code != C::RedundantResource)
                .map(|finding| (finding.code, finding.path))
                .collect::<Vec<_>>()
        };
        let region = "arn:aws:s3:us-east-1::bucket";
        assert_eq!(
            twice(region, "s3:ListBucket"),
            [
                (
                    C::ArnRegionNotAllowed,
                    "Statement[0].Resource[0]".to_owned()
                ),
                (
                    C::ArnRegionNotAllowed,
                    "Statement[0].Resource[1]".to_owned()
                ),
            ]
        );
        let volume = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1";
        assert_eq!(
            twice(volume, "ssm:StartSession"),
            [
                (
                    C::ResourceNotSupportedByActions,
                    "Statement[0].Resource[0]".to_owned()
                ),
                (
                    C::ResourceNotSupportedByActions,
                    "Statement[0].Resource[1]".to_owned()
                ),
            ]
        );
        assert!(twice(volume, "ec2:AttachVolume").is_empty());
        // In the next document, the types of the ARN checked clean come from the thread's memo:
        // the same, so the actions are held against them as before; the one that reported
        // reports again.
        assert_eq!(
            twice(volume, "ssm:StartSession").len(),
            2,
            "the types of a remembered ARN"
        );
        assert_eq!(twice(region, "s3:ListBucket").len(), 2);
    }

    #[test]
    fn fields_that_checked_clean_are_known_again_and_the_rest_is_checked() {
        // In turn on this thread: the second and third share the first one's fields.
        for (arn, expected) in [
            ("arn:aws:ec2:us-east-1:123456789012:instance/i-1", vec![]),
            ("arn:aws:ec2:us-east-1:123456789012:volume/*", vec![]),
            (
                "arn:aws:ec2:us-east-1:123456789012:instanse/i-1",
                vec![C::InvalidArnResource],
            ),
            // Fields that reported are checked, and reported, each time.
            (
                "arn:aws:ec2:useast1:123456789012:instance/*",
                vec![C::InvalidArnRegion],
            ),
            (
                "arn:aws:ec2:useast1:123456789012:instance/*",
                vec![C::InvalidArnRegion],
            ),
            // A longer text that starts with kept fields has those fields.
            ("arn:aws:s3:::bucket", vec![]),
            ("arn:aws:s3:::bucket/key", vec![]),
            ("arn:aws:s3:us-east-1::bucket", vec![C::ArnRegionNotAllowed]),
        ] {
            assert_eq!(codes(&resource(arn), None), expected, "{arn}");
        }
    }

    #[test]
    fn a_wildcard_ending_the_account_may_span_colons() {
        // As in AWS's managed policies: `*` absorbs `123456789012:log-group`.
        for arn in [
            "arn:aws:logs:*:*:/aws-glue/*",
            "arn:aws:secretsmanager:*:*:opsworks-cm!aws-opsworks-cm-secrets-*",
        ] {
            let found = codes(&resource(arn), None);
            assert!(found.is_empty(), "{arn}: {found:?}");
        }
        // A resource-type word in the wrong case still fits nothing.
        assert_eq!(
            codes(&resource("arn:aws:states:*:*:statemachine:*"), None),
            [C::InvalidArnResource]
        );
    }

    #[test]
    fn formats_the_matcher_must_follow() {
        for arn in [
            // `*` as the whole resource part.
            "arn:aws:kms:*:*:*",
            // Backup's recovery points: `arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:...`.
            "arn:aws:backup:*:*:recovery-point:*",
            // A resource AWS owns for its service, in no account.
            "arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignals/service-view",
        ] {
            let found = codes(&resource(arn), None);
            assert!(found.is_empty(), "{arn}: {found:?}");
        }
    }

    #[test]
    fn a_resource_part_that_fits_no_format_is_a_warning() {
        // `changetoken` is a WAF resource the reference does not document.
        let finding = only(
            &resource("arn:aws:waf::*:changetoken/*"),
            None,
            C::InvalidArnResource,
        );
        assert_eq!(finding.severity, crate::Severity::Warning);
    }

    #[test]
    fn a_retired_service_is_named_as_such() {
        let finding = only(
            &resource("arn:aws:deepracer:*:*:model/*"),
            None,
            C::RetiredService,
        );
        assert_eq!(finding.severity, crate::Severity::Warning);
    }

    #[test]
    fn field_errors() {
        for (arn, code) in [
            ("bucket/*", C::InvalidArnPrefix),
            ("arn:aws:s3::bucket", C::MissingArnField),
            ("arn:amazon:s3:::bucket", C::InvalidPartition),
            ("arn:aws:S3:::bucket", C::InvalidArnServiceCase),
            (
                "arn:aws:ec2:useast1:123456789012:instance/*",
                C::InvalidArnRegion,
            ),
            (
                "arn:aws:ec2:us-east-1:1234:instance/*",
                C::InvalidArnAccount,
            ),
            ("arn:aws:s3:us-east-1::bucket", C::ArnRegionNotAllowed),
            ("arn:aws:s3::123456789012:bucket", C::ArnAccountNotAllowed),
            ("arn:aws:ec2::123456789012:instance/*", C::MissingArnRegion),
            ("arn:aws:ec2:us-east-1::instance/*", C::MissingArnAccount),
            ("arn:aws:ssm:us-east-1::session/*", C::MissingArnAccount),
            (
                "arn:aws:ec2:us-east-1:123456789012:instanse/i-1",
                C::InvalidArnResource,
            ),
            (
                "arn:aws:iam:us-east-1:123456789012:role/Admin",
                C::ArnRegionNotAllowed,
            ),
            (
                "arn:aws:ssm:us-east-1:123456789012:documentation/Shell",
                C::InvalidArnResource,
            ),
            (
                "arn:aws:nosuchservice:us-east-1:123456789012:thing/1",
                C::InvalidArnService,
            ),
        ] {
            let found = codes(&resource(arn), None);
            assert_eq!(found, vec![code], "{arn}");
        }
    }

    #[test]
    fn messages_name_the_field_and_the_fix() {
        let finding = only(
            &resource("arn:aws:iam:us-east-1:123456789012:role/Admin"),
            None,
            C::ArnRegionNotAllowed,
        );
        assert!(
            finding.message.starts_with("`role` ARNs have no Region"),
            "{}",
            finding.message
        );
        let finding = only(
            &resource("arn:aws:ssm:us-east-1:123456789012:documentation/Shell"),
            None,
            C::InvalidArnResource,
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean a resource like `document/${DocumentName}`?")
        );
        let finding = only(
            &resource("arn:aws:ec2:us-east-1:123456789012:instanse/i-1"),
            None,
            C::InvalidArnResource,
        );
        assert_eq!(
            finding.message,
            "`instanse/i-1` fits no resource type of `ec2` ARNs"
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("did you mean a resource like `instance/${InstanceId}`?")
        );
        let finding = only(
            &resource("arn:aws:s3:us-east-1::bucket"),
            None,
            C::ArnRegionNotAllowed,
        );
        assert!(
            finding
                .message
                .starts_with("`bucket` ARNs have no Region, but this one has `us-east-1`"),
            "{}",
            finding.message
        );
    }
}
