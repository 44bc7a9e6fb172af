//! Reading scenarios from a file's JSON tree: the request, the policies (linted, then read as
//! IAM would evaluate what it stored) and the expected decision.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::hash::Hasher;
use std::rc::Rc;

use iam_policy::Policy;
use iam_policy::eval::{Context, ContextValue, Decision, PolicyRef, Principal, Request};
use iam_policy_core::json::{Member, Node, Span, Value};
use iam_policy_core::model::{self, Reading};
use iam_policy_core::parse;
use iam_policy_core::{Finding, Options, PolicyKind};
use rustc_hash::{FxHashMap, FxHasher};

/// A policy as read once for each distinct text of a file: scenarios of one file often repeat
/// the same policies, and reading one means linting it.
#[derive(Debug)]
pub struct ReadPolicy {
    policy: Policy,
    /// Where it was first written, which its spans index.
    start: u32,
    /// Where each statement is written in the file.
    statements: Vec<Span>,
    /// What linting the policy found.
    findings: Vec<Finding>,
}

/// One policy of a scenario: a read policy and where this copy of its text is written.
#[derive(Debug)]
pub struct ScenarioPolicy {
    read: Rc<ReadPolicy>,
    start: u32,
}

impl ScenarioPolicy {
    pub fn policy(&self) -> &Policy {
        &self.read.policy
    }

    /// A span of the first copy moved to this one (a span before the copy, which no finding
    /// of a policy has, stays at the copy's start).
    fn moved(&self, span: Span) -> Span {
        let shift = |offset: u32| {
            offset
                .saturating_sub(self.read.start)
                .saturating_add(self.start)
        };
        Span {
            start: shift(span.start),
            end: shift(span.end),
        }
    }

    /// Where statement `index` is written.
    pub fn statement_span(&self, index: usize) -> Option<Span> {
        self.read
            .statements
            .get(index)
            .map(|&span| self.moved(span))
    }

    /// What linting found, each with where it is in this copy.
    pub fn findings(&self) -> impl Iterator<Item = (&Finding, Span)> + '_ {
        (self.read.findings.iter()).map(|finding| (finding, self.moved(finding.span)))
    }
}

/// Reads the policies of one file's scenarios, each distinct text of a kind once.
#[derive(Debug)]
pub struct Reader<'t> {
    text: &'t str,
    /// Each distinct text read, with what it was read as, kind by kind (a text is mostly read
    /// as one kind); [`Reader::texts`] holds their places here.
    read: Vec<ReadText<'t>>,
    /// The texts read, with their places in [`Reader::read`]: what the parser skips (see
    /// [`Reader::known_at`]).
    texts: KnownTexts<'t>,
    /// Where the parser looked a policy's text up, and what it found, in the file's order: a
    /// policy is then read without looking its text up again. Entries before the scenario
    /// being read are dropped (see [`Reader::start_scenario`]).
    looked_up: RefCell<LookedUp>,
}

/// Where the parser looked a policy's text up, and what it found, in the file's order, and
/// which look-ups were the scenario's it parses and the one's before: consecutive scenarios
/// mostly hold the same policies in the same order (an organization's SCPs in each), and a
/// text found at a look-up's turn in the scenario before is compared where it stands, with no
/// hashing.
#[derive(Debug, Default)]
struct LookedUp {
    entries: VecDeque<(u32, Found)>,
    /// How many entries were dropped from the front.
    dropped: usize,
    /// The number, counting dropped ones, of the first look-up of the scenario parsed.
    now: usize,
    /// The same for the scenario parsed before it.
    before: usize,
    /// Whether a text was found at some look-up of the scenario parsed before, and of the
    /// one parsed: turns are compared only after one was (a file of distinct policies has
    /// none).
    found_before: bool,
    found_now: bool,
}

impl LookedUp {
    /// The number of the next look-up, counting dropped ones.
    fn next(&self) -> usize {
        self.dropped + self.entries.len()
    }

    /// The place of the text found at the next look-up's turn in the scenario parsed before.
    fn expected(&self) -> Option<usize> {
        let number = self.before + (self.next() - self.now);
        if number >= self.now {
            return None;
        }
        match self.entries.get(number.checked_sub(self.dropped)?)? {
            (_, Found::Known(place)) => Some(*place),
            _ => None,
        }
    }
}

/// A distinct text read, and what it was read as, kind by kind: mostly one kind, held
/// without a vector of its own (one allocation less for each text).
#[derive(Debug)]
struct ReadText<'t> {
    text: &'t [u8],
    first: (PolicyKind, Rc<ReadPolicy>),
    others: Vec<(PolicyKind, Rc<ReadPolicy>)>,
}

impl ReadText<'_> {
    /// What the text was read as as `kind`, if it was.
    fn as_kind(&self, kind: PolicyKind) -> Option<&Rc<ReadPolicy>> {
        (std::iter::once(&self.first).chain(&self.others))
            .find(|(as_, _)| *as_ == kind)
            .map(|(_, read)| read)
    }
}

/// What the parser found when it looked a text up.
#[derive(Clone, Copy, Debug)]
enum Found {
    /// A text read before, skipped: its place in [`Reader::read`].
    Known(usize),
    /// No text known then, when [`Reader::read`] held this many; how far the look-up hashed
    /// the text, which indexing it goes on from.
    Unknown(usize, Hashed),
}

impl<'t> Reader<'t> {
    pub fn new(text: &'t str) -> Self {
        Reader {
            text,
            read: Vec::new(),
            texts: KnownTexts::with_room(text.len()),
            looked_up: RefCell::default(),
        }
    }

    /// Tells that the parser goes on to the next scenario: its look-ups are taken in turn
    /// against those of the one before.
    pub fn next_scenario(&self) {
        if let Ok(mut looked_up) = self.looked_up.try_borrow_mut() {
            looked_up.before = looked_up.now;
            looked_up.now = looked_up.next();
            looked_up.found_before = std::mem::take(&mut looked_up.found_now);
        }
    }

    /// The length of a policy read before that `rest` (the rest of the file from a policy's
    /// `{`) starts with, so that parsing a scenario need not build its tree again:
    /// [`parse::Elements::next_skipping`] leaves it as a `null` node with its span. Only texts
    /// that parsed are known, as the parser requires.
    pub fn known_at(&self, rest: &str) -> Option<usize> {
        let looked_up = self.looked_up.try_borrow_mut().ok();
        // The text found at this turn in the scenario before, if `rest` starts with it (a
        // JSON object, so then it is the text here); else the index's answer.
        let expected = (looked_up.as_deref())
            .filter(|looked_up| looked_up.found_before)
            .and_then(LookedUp::expected)
            .and_then(|place| Some((place, self.read.get(place)?.text)))
            .filter(|(_, text)| rest.as_bytes().starts_with(text));
        let found = match expected {
            Some((place, text)) => Ok((text.len(), place)),
            None => self.texts.starting(rest.as_bytes()),
        };
        // Not recorded, the text is looked up again when read: no borrow is held while the
        // parser asks, so this is never the case.
        if let (Ok(at), Some(mut looked_up)) = (
            u32::try_from(self.text.len().saturating_sub(rest.len())),
            looked_up,
        ) {
            let entry = match found {
                Ok((_, place)) => {
                    looked_up.found_now = true;
                    Found::Known(place)
                }
                Err(hashed) => Found::Unknown(self.read.len(), hashed),
            };
            looked_up.entries.push_back((at, entry));
        }
        found.ok().map(|(length, _)| length)
    }

    /// Forgets the texts looked up before `start`, where the scenario to be read starts: those
    /// of scenarios read (or malformed) before it.
    fn start_scenario(&mut self, start: u32) {
        let looked_up = self.looked_up.get_mut();
        while looked_up.entries.front().is_some_and(|&(at, _)| at < start) {
            looked_up.entries.pop_front();
            looked_up.dropped += 1;
        }
    }

    /// The place in [`Reader::read`] of the text of the policy written at `start`, if it was
    /// read before; else how far a look-up hashed it, if one did.
    fn place(&mut self, start: u32, source: &str) -> Result<usize, Option<Hashed>> {
        let looked_up = &self.looked_up.get_mut().entries;
        let found = (looked_up.binary_search_by_key(&start, |&(at, _)| at).ok())
            .and_then(|at| looked_up.get(at))
            .map(|&(_, found)| found);
        match found {
            Some(Found::Known(place)) => Ok(place),
            // A text the parser did not know may have been read since it passed (the same policy
            // twice in a scenario): only those few are compared, with no hashing.
            Some(Found::Unknown(texts, hashed)) => {
                let since = self.read.get(texts..).unwrap_or_default();
                match since.iter().position(|read| read.text == source.as_bytes()) {
                    Some(at) => Ok(texts + at),
                    None => Err(Some(hashed)),
                }
            }
            None => match self.texts.starting(source.as_bytes()) {
                Ok((length, place)) if length == source.len() => Ok(place),
                Ok(_) => Err(None),
                Err(hashed) => Err(Some(hashed)),
            },
        }
    }
}

/// Texts, found as the start of a longer text with no scan for where a text would end: each
/// text is taken as chunks of [`CHUNK`] bytes and a shorter tail, and indexed by the hash of
/// its chunks so far. A look-up hashes the longer text chunk by chunk while some known text
/// opens the same way, and at each chunk tries the tails that end there. Every candidate is
/// compared byte for byte, so a hash collision costs a comparison, never a wrong answer.
#[derive(Debug, Default)]
struct KnownTexts<'t> {
    /// By the hash of the chunks read: what may follow them.
    openings: FxHashMap<u64, Opening>,
    /// By the hash of a text's chunks and its tail: the text and its place.
    texts: FxHashMap<u64, (&'t [u8], usize)>,
}

/// How far a look-up hashed a text it did not find: the hash of its first `length` bytes,
/// whole chunks, past each of which but the last the index holds an opening that goes on.
/// [`KnownTexts::insert`] of a longer text goes on from there, as the look-up hashed those
/// bytes already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hashed {
    length: usize,
    hash: u64,
}

/// What known texts do after the same whole chunks.
#[derive(Debug, Default)]
struct Opening {
    /// Bit `n - 1` set (counting through the words): a text ends `n` bytes into the next
    /// chunk (`1..=CHUNK`).
    tails: [u128; CHUNK / 128],
    /// Some text goes on past the next chunk.
    longer: bool,
}

/// The bytes hashed at a time: about four lines of a policy, so that texts that differ
/// part-way (one bucket's name for another's) part early, while a text takes few entries of
/// the index (one per chunk) and a look-up few steps. As many as the bits of [`Opening::tails`].
const CHUNK: usize = 256;

/// The hash of the chunks before, extended by `bytes`.
fn extend(hash: u64, bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u64(hash);
    hasher.write(bytes);
    hasher.finish()
}

impl<'t> KnownTexts<'t> {
    /// Room for the policy texts of a file of `length` bytes, as if they filled half of it,
    /// none twice: the index is not rebuilt again and again as it grows (which took a quarter
    /// of a percent of the instructions of a file of distinct policies).
    fn with_room(length: usize) -> Self {
        KnownTexts {
            openings: FxHashMap::with_capacity_and_hasher(length / CHUNK, Default::default()),
            texts: FxHashMap::with_capacity_and_hasher(length / (2 * CHUNK), Default::default()),
        }
    }

    /// Indexes `text` at `place`, from where a look-up of it left off (`from`), if anywhere.
    fn insert(&mut self, text: &'t [u8], place: usize, from: Option<Hashed>) {
        let (mut hash, mut rest) =
            match from.and_then(|from| Some((from, text.get(from.length..)?))) {
                Some((from, rest)) if !rest.is_empty() => (from.hash, rest),
                _ => (0, text),
            };
        loop {
            let opening = self.openings.entry(hash).or_default();
            if rest.len() <= CHUNK {
                if let Some(tail) = rest.len().checked_sub(1) {
                    if let Some(word) = opening.tails.get_mut(tail / 128) {
                        *word |= 1 << (tail % 128);
                    }
                    self.texts.insert(extend(hash, rest), (text, place));
                }
                return;
            }
            opening.longer = true;
            let (chunk, after) = rest.split_at(CHUNK);
            (hash, rest) = (extend(hash, chunk), after);
        }
    }

    /// The length and place of the known text that `bytes` starts with; else how far the
    /// look-up hashed `bytes`. Known texts are JSON objects, so at most one is a start of
    /// `bytes`.
    fn starting(&self, bytes: &[u8]) -> Result<(usize, usize), Hashed> {
        let (mut hash, mut rest) = (0, bytes);
        loop {
            let hashed = Hashed {
                length: bytes.len() - rest.len(),
                hash,
            };
            let opening = self.openings.get(&hash).ok_or(hashed)?;
            for (word, &tails) in opening.tails.iter().enumerate() {
                let mut tails = tails;
                while tails != 0 {
                    let length = word * 128 + tails.trailing_zeros() as usize + 1;
                    tails &= tails - 1;
                    // Known texts are JSON objects: a tail that does not end at a `}` of
                    // `bytes` is none of them, and is passed over without hashing it.
                    if rest.get(length - 1) != Some(&b'}') {
                        continue;
                    }
                    let found = (rest.get(..length))
                        .and_then(|tail| self.texts.get(&extend(hash, tail)))
                        .filter(|(text, _)| bytes.starts_with(text));
                    if let Some(&(text, place)) = found {
                        return Ok((text.len(), place));
                    }
                }
            }
            let chunk = rest.get(..CHUNK).filter(|_| opening.longer).ok_or(hashed)?;
            (hash, rest) = (extend(hash, chunk), rest.get(CHUNK..).ok_or(hashed)?);
        }
    }
}

/// Whether the member `key` of a scenario holds policies (which the parser may skip).
pub fn holds_policies(key: &str) -> bool {
    POLICY_MEMBERS.contains(&key)
}

/// A scenario read from a file's tree, whose texts it borrows where it keeps them as written.
#[derive(Debug)]
pub struct Scenario<'n> {
    pub name: Option<&'n str>,
    pub request: Request,
    pub identity: Vec<ScenarioPolicy>,
    pub resource: Option<ScenarioPolicy>,
    pub permissions_boundary: Option<ScenarioPolicy>,
    pub session: Option<ScenarioPolicy>,
    pub service_control: Vec<Vec<ScenarioPolicy>>,
    pub resource_control: Vec<Vec<ScenarioPolicy>>,
    pub vpc_endpoint: Option<ScenarioPolicy>,
    pub expect: Option<Decision>,
}

impl Scenario<'_> {
    /// The policies with the place each has in the set, in the set's order.
    pub fn policies(&self) -> impl Iterator<Item = (PolicyRef, &ScenarioPolicy)> {
        let identity = (self.identity.iter().enumerate()).map(|(i, p)| (PolicyRef::Identity(i), p));
        fn one(
            place: PolicyRef,
            policy: &Option<ScenarioPolicy>,
        ) -> Option<(PolicyRef, &ScenarioPolicy)> {
            policy.as_ref().map(|policy| (place, policy))
        }
        identity
            .chain(one(PolicyRef::Resource, &self.resource))
            .chain(one(
                PolicyRef::PermissionsBoundary,
                &self.permissions_boundary,
            ))
            .chain(one(PolicyRef::Session, &self.session))
            .chain(levels(&self.service_control, |level, index| {
                PolicyRef::ServiceControl { level, index }
            }))
            .chain(levels(&self.resource_control, |level, index| {
                PolicyRef::ResourceControl { level, index }
            }))
            .chain(one(PolicyRef::VpcEndpoint, &self.vpc_endpoint))
    }

    /// The policy at `place`, as [`PolicyRef::get`] finds it in a set.
    pub fn policy(&self, place: PolicyRef) -> Option<&ScenarioPolicy> {
        match place {
            PolicyRef::Identity(index) => self.identity.get(index),
            PolicyRef::Resource => self.resource.as_ref(),
            PolicyRef::PermissionsBoundary => self.permissions_boundary.as_ref(),
            PolicyRef::Session => self.session.as_ref(),
            PolicyRef::ServiceControl { level, index } => {
                self.service_control.get(level)?.get(index)
            }
            PolicyRef::ResourceControl { level, index } => {
                self.resource_control.get(level)?.get(index)
            }
            PolicyRef::VpcEndpoint => self.vpc_endpoint.as_ref(),
        }
    }
}

/// The policies of SCP or RCP levels with their places.
fn levels(
    levels: &[Vec<ScenarioPolicy>],
    place: fn(usize, usize) -> PolicyRef,
) -> impl Iterator<Item = (PolicyRef, &ScenarioPolicy)> {
    levels
        .iter()
        .enumerate()
        .flat_map(move |(level, policies)| {
            (policies.iter().enumerate()).map(move |(index, policy)| (place(level, index), policy))
        })
}

/// The member of the scenario where a policy is written, e.g. `serviceControlPolicies[1][0]`,
/// written straight into the output with no string of its own.
#[derive(Clone, Copy, Debug)]
pub struct MemberName(pub PolicyRef);

impl MemberName {
    /// The member and the indexes that follow it.
    fn parts(self) -> (&'static str, [Option<usize>; 2]) {
        match self.0 {
            PolicyRef::Identity(index) => ("identityPolicies", [Some(index), None]),
            PolicyRef::Resource => ("resourcePolicy", [None; 2]),
            PolicyRef::PermissionsBoundary => ("permissionsBoundary", [None; 2]),
            PolicyRef::Session => ("sessionPolicy", [None; 2]),
            PolicyRef::ServiceControl { level, index } => {
                ("serviceControlPolicies", [Some(level), Some(index)])
            }
            PolicyRef::ResourceControl { level, index } => {
                ("resourceControlPolicies", [Some(level), Some(index)])
            }
            PolicyRef::VpcEndpoint => ("vpcEndpointPolicy", [None; 2]),
        }
    }

    /// Appends the name, without `fmt`, for JSON output (it needs no escapes).
    pub fn write(self, out: &mut String) {
        let (member, indexes) = self.parts();
        // Indexes below ten (nearly all) as one literal each, not three pieces.
        const SMALL: [&str; 10] = [
            "[0]", "[1]", "[2]", "[3]", "[4]", "[5]", "[6]", "[7]", "[8]", "[9]",
        ];
        out.push_str(member);
        for index in indexes.into_iter().flatten() {
            match SMALL.get(index) {
                Some(small) => out.push_str(small),
                None => {
                    out.push('[');
                    out.push_str(itoa::Buffer::new().format(index));
                    out.push(']');
                }
            }
        }
    }
}

impl fmt::Display for MemberName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (member, indexes) = self.parts();
        f.write_str(member)?;
        for index in indexes.into_iter().flatten() {
            write!(f, "[{index}]")?;
        }
        Ok(())
    }
}

/// What is wrong with a scenario, and where.
#[derive(Debug)]
pub struct ScenarioError {
    pub message: String,
    pub span: Span,
}

fn error<T>(node: &Node<'_>, message: String) -> Result<T, ScenarioError> {
    Err(ScenarioError {
        message,
        span: node.span,
    })
}

/// The members of a scenario that hold policies.
const POLICY_MEMBERS: &[&str] = &[
    "identityPolicies",
    "resourcePolicy",
    "permissionsBoundary",
    "sessionPolicy",
    "serviceControlPolicies",
    "resourceControlPolicies",
    "vpcEndpointPolicy",
];

const MEMBERS: &[&str] = &[
    "name",
    "request",
    "identityPolicies",
    "resourcePolicy",
    "permissionsBoundary",
    "sessionPolicy",
    "serviceControlPolicies",
    "resourceControlPolicies",
    "vpcEndpointPolicy",
    "expect",
];

/// The start of the actions that assume a role (any case): a scenario of one of them reads its
/// resource policy as the role's trust policy.
const ASSUME_ROLE: &str = "sts:AssumeRole";

/// Reads one scenario.
pub fn read<'n>(
    node: &'n Node<'_>,
    reader: &mut Reader<'_>,
) -> Result<Scenario<'n>, ScenarioError> {
    reader.start_scenario(node.span.start);
    let Value::Object(members) = &node.value else {
        return error(node, "a scenario is a JSON object".to_owned());
    };
    // Each member's value by its place in `MEMBERS`, in one pass; the error is the first
    // member that is unknown or written twice (at its first writing).
    let mut values: [Option<(usize, &Node<'_>)>; MEMBERS.len()] = [None; MEMBERS.len()];
    let mut wrong = None;
    for (index, member) in members.iter().enumerate() {
        let first = match MEMBERS.iter().position(|known| *known == member.key) {
            None => index,
            Some(place) => match values.get_mut(place) {
                Some(Some((first, _))) => *first,
                Some(slot) => {
                    *slot = Some((index, &member.value));
                    continue;
                }
                None => index,
            },
        };
        wrong = Some(wrong.map_or(first, |wrong: usize| wrong.min(first)));
    }
    if let Some(member) = wrong.and_then(|index| members.get(index)) {
        if !MEMBERS.contains(&&*member.key) {
            let near = MEMBERS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(&member.key))
                .map(|known| format!(": did you mean `{known}`?"))
                .unwrap_or_else(|| format!("; a scenario has {}", list(MEMBERS)));
            return Err(ScenarioError {
                message: format!("unknown member `{}`{near}", member.key),
                span: member.key_span,
            });
        }
        return Err(ScenarioError {
            message: format!("`{}` is written twice", member.key),
            span: member.key_span,
        });
    }
    // In the order of `MEMBERS`.
    let [
        name,
        request,
        identity,
        resource,
        permissions_boundary,
        session,
        service_control,
        resource_control,
        vpc_endpoint,
        expect,
    ] = values.map(|value| value.map(|(_, node)| node));
    let name = name.map(|node| string(node, "name")).transpose()?;
    let Some(request) = request else {
        return error(node, "the scenario has no `request`".to_owned());
    };
    let request = read_request(request)?;
    let trust = (request.action.as_bytes())
        .get(..ASSUME_ROLE.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(ASSUME_ROLE.as_bytes()));
    let resource_kind = if trust {
        PolicyKind::RoleTrust
    } else {
        PolicyKind::Resource
    };
    let expect = match expect {
        None => None,
        Some(node) => {
            let text = string(node, "expect")?;
            match Decision::parse(text) {
                Some(decision) => Some(decision),
                None => {
                    return error(
                        node,
                        format!(
                            "`expect` is `{text}`: write `allowed`, `explicitDeny` or `implicitDeny`"
                        ),
                    );
                }
            }
        }
    };
    let mut optional = |node: Option<&Node<'_>>, key: &str, kind: PolicyKind| match node {
        Some(node) => policy(node, kind, key, reader),
        None => Ok(None),
    };
    let resource = optional(resource, "resourcePolicy", resource_kind)?;
    let permissions_boundary = optional(
        permissions_boundary,
        "permissionsBoundary",
        PolicyKind::Identity,
    )?;
    let session = optional(session, "sessionPolicy", PolicyKind::Identity)?;
    let vpc_endpoint = optional(vpc_endpoint, "vpcEndpointPolicy", PolicyKind::Resource)?;
    let identity = match identity {
        None => Vec::new(),
        Some(node) => array(node, "identityPolicies")?
            .iter()
            .map(|item| policy(item, PolicyKind::Identity, "identityPolicies", reader))
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?,
    };
    Ok(Scenario {
        name,
        identity,
        resource,
        permissions_boundary,
        session,
        service_control: read_levels(service_control, PolicyKind::Scp, reader)?,
        resource_control: read_levels(resource_control, PolicyKind::Rcp, reader)?,
        vpc_endpoint,
        request,
        expect,
    })
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text of a string node, borrowed: copied only where it is kept. `what` is formatted
/// only for the error.
fn string<'n>(node: &'n Node<'_>, what: impl fmt::Display) -> Result<&'n str, ScenarioError> {
    match &node.value {
        Value::String(text) => Ok(text),
        _ => error(node, format!("`{what}` is a string")),
    }
}

fn array<'n>(node: &'n Node<'n>, what: &str) -> Result<&'n [Node<'n>], ScenarioError> {
    match &node.value {
        Value::Array(items) => Ok(items),
        _ => error(node, format!("`{what}` is an array")),
    }
}

/// SCP or RCP levels: an array of levels, each an array of policies.
fn read_levels(
    node: Option<&Node<'_>>,
    kind: PolicyKind,
    reader: &mut Reader<'_>,
) -> Result<Vec<Vec<ScenarioPolicy>>, ScenarioError> {
    let (what, each) = if kind == PolicyKind::Scp {
        (
            "serviceControlPolicies",
            "each level of `serviceControlPolicies`",
        )
    } else {
        (
            "resourceControlPolicies",
            "each level of `resourceControlPolicies`",
        )
    };
    let Some(node) = node else {
        return Ok(Vec::new());
    };
    let mut levels = Vec::new();
    for level in array(node, what)? {
        let policies: Vec<ScenarioPolicy> = array(level, each)?
            .iter()
            .map(|item| policy(item, kind, what, reader))
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?;
        if policies.is_empty() && kind == PolicyKind::Scp {
            return error(
                level,
                "a level of `serviceControlPolicies` holds at least one policy: AWS keeps one \
                 attached to every root, OU and account (`FullAWSAccess` unless replaced)"
                    .to_owned(),
            );
        }
        levels.push(policies);
    }
    Ok(levels)
}

/// A policy of the scenario, linted as `kind`; `None` for `null` or `{}` (no policy).
fn policy(
    node: &Node<'_>,
    kind: PolicyKind,
    what: &str,
    reader: &mut Reader<'_>,
) -> Result<Option<ScenarioPolicy>, ScenarioError> {
    let skipped = is_skipped(node, reader.text);
    match &node.value {
        _ if skipped => {}
        Value::Null => return Ok(None),
        Value::Object(members) if members.is_empty() => return Ok(None),
        Value::Object(_) => {}
        _ => return error(node, format!("a policy of `{what}` is a JSON object")),
    }
    let start = node.span.start;
    let source = reader
        .text
        .get(start as usize..node.span.end as usize)
        .unwrap_or_default();
    let place = reader.place(start, source);
    let text = place.ok().and_then(|place| reader.read.get(place));
    if let Some(read) = text.and_then(|text| text.as_kind(kind)) {
        return Ok(Some(ScenarioPolicy {
            read: Rc::clone(read),
            start,
        }));
    }
    // A skipped text was read before as another kind: its tree is built from its own text,
    // where spans start at 0 (`ScenarioPolicy::moved` places them).
    let first = if skipped { 0 } else { start };
    // Only texts read are known, as the parser requires: an error returns before the text is.
    let read = with_tree(node, reader.text, |tree| {
        read_policy(tree, kind, what, first)
    })?;
    match place {
        Ok(place) => {
            if let Some(text) = reader.read.get_mut(place) {
                text.others.push((kind, Rc::clone(&read)));
            }
        }
        Err(from) => {
            reader
                .texts
                .insert(source.as_bytes(), reader.read.len(), from);
            reader.read.push(ReadText {
                text: source.as_bytes(),
                first: (kind, Rc::clone(&read)),
                others: Vec::new(),
            });
        }
    }
    Ok(Some(ScenarioPolicy { read, start }))
}

/// Lints and reads the policy `node`, whose spans count from `start`. Put in its `Rc` here,
/// where it is made: the policy is large, and each move of it on the way out is a copy.
fn read_policy(
    node: &Node<'_>,
    kind: PolicyKind,
    what: &str,
    start: u32,
) -> Result<Rc<ReadPolicy>, ScenarioError> {
    let options = Options {
        kind: Some(kind),
        ..Options::default()
    };
    // Every rule, then the model: a policy with findings is still evaluated, as IAM evaluates
    // what it stored; only one without a meaning is not.
    let Reading { findings, policy } = model::read_parsed(node, &options);
    let Some(policy) = policy else {
        let reason = findings.iter().find(|finding| !finding.code.is_waivable());
        return Err(ScenarioError {
            message: format!(
                "a policy of `{what}` cannot be read: {}",
                reason.map_or("its shape is not a policy's", |finding| &finding.message)
            ),
            span: reason.map_or(node.span, |finding| finding.span),
        });
    };
    Ok(Rc::new(ReadPolicy {
        policy,
        start,
        statements: statement_spans(node),
        findings,
    }))
}

/// Where each statement of a policy node is written.
fn statement_spans(node: &Node<'_>) -> Vec<Span> {
    let Value::Object(members) = &node.value else {
        return Vec::new();
    };
    let statement = members
        .iter()
        .find(|member: &&Member<'_>| member.key == "Statement");
    match statement.map(|member| &member.value) {
        Some(Node {
            value: Value::Array(items),
            ..
        }) => items.iter().map(|item| item.span).collect(),
        Some(single) => vec![single.span],
        None => Vec::new(),
    }
}

/// Whether the parser skipped `node` (see [`Reader::known_at`]): a `null` node not written `null`.
fn is_skipped(node: &Node<'_>, text: &str) -> bool {
    matches!(node.value, Value::Null)
        && text.get(node.span.start as usize..node.span.end as usize) != Some("null")
}

/// `read` of the policy `node`; a node the parser skipped (a text the reader knows, read before
/// as another kind) is parsed from its own text first, and errors are placed in the file.
fn with_tree<T>(
    node: &Node<'_>,
    text: &str,
    read: impl FnOnce(&Node<'_>) -> Result<T, ScenarioError>,
) -> Result<T, ScenarioError> {
    if !is_skipped(node, text) {
        return read(node);
    }
    let start = node.span.start;
    let source = text
        .get(start as usize..node.span.end as usize)
        .unwrap_or_default();
    let shift = |span: Span| Span {
        start: span.start.saturating_add(start),
        end: span.end.saturating_add(start),
    };
    let tree = parse::parse(source).map_err(|error| ScenarioError {
        message: error.message,
        span: shift(error.span),
    })?;
    read(&tree).map_err(|error| ScenarioError {
        span: shift(error.span),
        ..error
    })
}

fn read_request<'n>(node: &'n Node<'_>) -> Result<Request, ScenarioError> {
    const KEYS: &[&str] = &[
        "action",
        "resource",
        "resourceAccount",
        "principal",
        "context",
    ];
    let Value::Object(members) = &node.value else {
        return error(node, "`request` is a JSON object".to_owned());
    };
    // Each member's value by its place in `KEYS`, the first written, in one pass.
    let mut values: [Option<&Node<'_>>; KEYS.len()] = [None; KEYS.len()];
    for member in members {
        let Some(slot) = (KEYS.iter().position(|key| *key == member.key))
            .and_then(|place| values.get_mut(place))
        else {
            return Err(ScenarioError {
                message: format!(
                    "unknown member `{}` of `request`; it has {}",
                    member.key,
                    list(KEYS)
                ),
                span: member.key_span,
            });
        };
        slot.get_or_insert(&member.value);
    }
    // In the order of `KEYS`.
    let [action_node, resource, account, principal, context] = values;
    let required = |value: Option<&'n Node<'_>>, key: &str| match value {
        Some(value) => string(value, format_args!("request.{key}")),
        None => error(node, format!("`request` has no `{key}`")),
    };
    let action = required(action_node, "action")?.to_owned();
    if !action.contains(':') && action != "*" {
        return error(
            action_node.unwrap_or(node),
            format!("`request.action` is `{action}`: write `service:Action`, e.g. `s3:GetObject`"),
        );
    }
    let resource = required(resource, "resource")?.to_owned();
    let principal_text = required(principal, "principal")?;
    let principal = Principal::parse(principal_text).map_err(|problem| ScenarioError {
        message: format!("`request.principal`: {problem}"),
        span: principal.map_or(node.span, |n| n.span),
    })?;
    // Not `Request::new`, which makes up a principal to be replaced.
    let mut request = Request {
        action,
        resource,
        resource_account: account
            .map(|account| string(account, "request.resourceAccount").map(str::to_owned))
            .transpose()?,
        principal,
        context: Context::default(),
    };
    if let Some(context) = context {
        let Value::Object(keys) = &context.value else {
            return error(
                context,
                "`request.context` is a JSON object of keys and values".to_owned(),
            );
        };
        for key in keys {
            request
                .context
                .insert(key.key.to_string(), context_value(&key.value, &key.key)?);
        }
    }
    Ok(request)
}

/// A context value: a string, number or boolean, or an array of them.
fn context_value(node: &Node<'_>, key: &str) -> Result<ContextValue, ScenarioError> {
    let scalar = |node: &Node<'_>| match &node.value {
        Value::String(text) | Value::Number(text) => Ok(text.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        _ => error(
            node,
            format!(
                "the value of context key `{key}` is a string, number or boolean, or an array of them"
            ),
        ),
    };
    match &node.value {
        Value::Array(items) => Ok(ContextValue::Many(
            items.iter().map(scalar).collect::<Result<_, _>>()?,
        )),
        _ => Ok(ContextValue::One(scalar(node)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, KnownTexts};

    #[test]
    fn known_texts_are_found_as_the_start_of_a_text_whatever_their_length() {
        // Objects whose lengths fall around every chunk boundary, opening as one another does;
        // of each pair, the first is known.
        let object =
            |length: usize, last: &str| format!(r#"{{"k":"{}{last}"}}"#, "x".repeat(length));
        // A text is `n + 9` bytes long: one byte short of a chunk, a chunk, a byte over, two chunks.
        let lengths = [
            0,
            1,
            CHUNK - 10,
            CHUNK - 9,
            CHUNK - 8,
            2 * CHUNK - 9,
            3 * CHUNK,
        ];
        let pairs: Vec<[String; 2]> = (lengths.iter())
            .map(|&length| [object(length, "a"), object(length, "b")])
            .collect();
        // Every other text indexed from where a look-up of it, in the rest of a file, left off.
        let mut known = KnownTexts::default();
        for (place, [text, _]) in pairs.iter().enumerate() {
            let rest = format!("{text}, {{\"k\": 1}}");
            let from = (place % 2 == 1)
                .then(|| known.starting(rest.as_bytes()).err())
                .flatten();
            known.insert(text.as_bytes(), place, from);
        }
        for (place, [text, unknown]) in pairs.iter().enumerate() {
            for after in ["", ",", "]}", r#", {"k": 1}"#] {
                let rest = format!("{text}{after}");
                let found = Ok((text.len(), place));
                assert_eq!(known.starting(rest.as_bytes()), found, "{rest}");
                let rest = format!("{unknown}{after}");
                assert!(known.starting(rest.as_bytes()).is_err(), "{rest}");
            }
            // Cut short: not the known text.
            let cut = &text.as_bytes()[..text.len() - 1];
            assert!(known.starting(cut).is_err(), "{text}");
        }
        assert!(known.starting(b"").is_err());
    }
}
