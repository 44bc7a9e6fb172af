//! ARN patterns against the reference's ARN formats: the fields of an ARN, each format taken
//! apart once, and the automaton that decides whether a pattern can name a resource of a format.

use crate::recent::Recent;
use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::ops::Range;
use std::sync::OnceLock;

/// One piece of an ARN format (`arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormatToken {
    Literal(u8),
    /// A `${Var}`: one or more characters; `/` and `:` only where the flags allow.
    Variable {
        slash: bool,
        colon: bool,
    },
}

/// One piece of an ARN or ARN pattern written in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArnToken {
    Literal(u8),
    /// `*`, or a policy variable such as `${aws:userid}`, whose value can be anything.
    Any {
        colon: bool,
    },
    /// `?`: exactly one character.
    One {
        colon: bool,
    },
}

/// A token of a pattern as matching reads it: an [`ArnToken`], or a byte of the resource part
/// of a pattern without `$`, whose tokens are its bytes (`*` and `?` wildcards, which may span
/// colons there), read as such without a list of tokens made.
trait PatternToken: Copy {
    fn token(self) -> ArnToken;
}

impl PatternToken for ArnToken {
    #[inline]
    fn token(self) -> ArnToken {
        self
    }
}

impl PatternToken for u8 {
    #[inline]
    fn token(self) -> ArnToken {
        match self {
            b'*' => ArnToken::Any { colon: true },
            b'?' => ArnToken::One { colon: true },
            byte => ArnToken::Literal(byte),
        }
    }
}

/// The `${...}` that starts at byte `index` of `text`: its inner text and the index after it.
fn variable_at(text: &str, index: usize) -> Option<(&str, usize)> {
    let rest = text.get(index..)?.strip_prefix("${")?;
    let close = rest.find('}')?;
    Some((rest.get(..close)?, index + 2 + close + 1))
}

/// Parses an ARN format. Which characters a variable may hold follows the ARN's structure:
/// - in the partition, service, region and account fields: no `/`, no `:`;
/// - opening the resource part (an S3 bucket name, an SNS topic name): no `/`, no `:`, so
///   `arn:aws:s3:::bucket/key` is an object, not a bucket;
/// - later in the resource part: `/` (paths, object keys, log group names) but no `:`, so
///   `log-group:${LogGroupName}:log-stream:...` keeps its parts apart;
/// - ending the format: anything, as qualified names do (`function:f:alias` is a Lambda
///   function, `log-group:g:*` a log group).
///
/// Also gives where the five fields end, when the format has five colons outside variables.
fn format_tokens(format: &'static str) -> FormatTokens {
    let bytes = format.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len());
    let mut fields_end = None;
    let mut field_colons = [0; 5];
    let mut colons = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'$'
            && let Some((_, end)) = variable_at(format, index)
        {
            let opens_resource = colons == 5 && tokens.last() == Some(&FormatToken::Literal(b':'));
            let in_resource = colons >= 5 && !opens_resource;
            tokens.push(FormatToken::Variable {
                slash: in_resource,
                colon: in_resource && end == bytes.len(),
            });
            index = end;
            continue;
        }
        if byte == b':' {
            if let Some(slot) = field_colons.get_mut(colons) {
                *slot = tokens.len();
            }
            colons += 1;
            if colons == 5 {
                fields_end = Some(index + 1);
            }
        }
        tokens.push(FormatToken::Literal(byte));
        index += 1;
    }
    FormatTokens {
        tokens,
        colons: fields_end.map(|_| field_colons),
        fields: fields_end
            .and_then(|end| format.get(..end))
            .unwrap_or_default(),
        resource_opening: 0,
    }
}

/// Parses an ARN pattern: `*`, `?`, policy variables (anything), and the escapes `${*}`,
/// `${?}`, `${$}` for literal characters. Wildcards in the first five fields stay inside their
/// field, as AWS recommends writing them; in the resource part, or ending the pattern (`*`,
/// `arn:aws:ssm:*`), they may span `:`.
///
/// Also returns the indices of the first five tokens that are a literal colon, and how many
/// there are.
///
/// `field_colons`, when given, is what [`arn_field_colons`] gives for `arn`, found already.
fn arn_tokens(arn: &str, field_colons: Option<[usize; 5]>) -> (Vec<ArnToken>, [usize; 5], usize) {
    let bytes = arn.as_bytes();
    if !holds_dollar(bytes) {
        // No variable or escape, as in most ARNs: one token per byte.
        let (colons, found) = plain_colons(arn, field_colons);
        let spans_from = if found == colons.len() {
            colons[4]
        } else {
            bytes.len()
        };
        let mut tokens: Vec<ArnToken> = bytes
            .iter()
            .enumerate()
            .map(|(index, &byte)| match byte {
                b'*' => ArnToken::Any {
                    colon: index > spans_from,
                },
                b'?' => ArnToken::One {
                    colon: index > spans_from,
                },
                _ => ArnToken::Literal(byte),
            })
            .collect();
        if let Some(ArnToken::Any { colon }) = tokens.last_mut() {
            *colon = true;
        }
        return (tokens, colons, found);
    }
    let mut tokens = Vec::with_capacity(bytes.len());
    let mut colons = [0; 5];
    let mut found = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let colon = found >= 5;
        if byte == b'$'
            && let Some((inner, end)) = variable_at(arn, index)
        {
            tokens.push(match inner {
                "*" => ArnToken::Literal(b'*'),
                "?" => ArnToken::Literal(b'?'),
                "$" => ArnToken::Literal(b'$'),
                _ => ArnToken::Any { colon },
            });
            index = end;
            continue;
        }
        if byte == b':' {
            if let Some(slot) = colons.get_mut(found) {
                *slot = tokens.len();
            }
            found += 1;
        }
        tokens.push(match byte {
            b'*' => ArnToken::Any { colon },
            b'?' => ArnToken::One { colon },
            _ => ArnToken::Literal(byte),
        });
        index += 1;
    }
    if let Some(ArnToken::Any { colon }) = tokens.last_mut() {
        *colon = true;
    }
    (tokens, colons, found.min(5))
}

/// Whether `bytes` hold a `$`, which may open a variable or an escape. A fold without early
/// exit, which the compiler turns into a few vector compares for an ARN's length, where
/// `contains` calls out to a byte search that costs more on short texts.
fn holds_dollar(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(false, |found, &byte| found | (byte == b'$'))
}

/// How many bytes of an ARN [`arn_field_colons`] looks at: enough for the five fields
/// of nearly every ARN (`arn:aws:ec2:us-east-1:123456789012:` is 36).
pub const ARN_FIELDS_WINDOW: usize = 40;

/// The first five colons of `text` when they lie in its first [`ARN_FIELDS_WINDOW`] bytes
/// with no `$` before the fifth (so no variable can hide one). Found as bit masks, a word of
/// eight bytes at a time: no branch per byte, whose outcome (colon or not) the processor
/// would mispredict at each field's end. `None` when they do not: the caller then walks the
/// ARN byte by byte.
#[inline]
pub fn arn_field_colons(text: &str) -> Option<[usize; 5]> {
    let (mut colons, mut dollars) = (0u64, 0u64);
    for (index, chunk) in text
        .as_bytes()
        .chunks(8)
        .take(ARN_FIELDS_WINDOW / 8)
        .enumerate()
    {
        // A short last chunk is padded with zero bytes, which are neither `:` nor `$`.
        let word = <[u8; 8]>::try_from(chunk).unwrap_or_else(|_| {
            let mut word = [0u8; 8];
            word.iter_mut()
                .zip(chunk)
                .for_each(|(to, from)| *to = *from);
            word
        });
        let word = u64::from_le_bytes(word);
        colons |= bytes_equal(word, b':') << (8 * index);
        dollars |= bytes_equal(word, b'$') << (8 * index);
        // Most ARNs have their five fields in the first two words.
        if colons.count_ones() >= 5 {
            break;
        }
    }
    let mut fields = [0usize; 5];
    for slot in &mut fields {
        if colons == 0 {
            return None;
        }
        *slot = colons.trailing_zeros() as usize;
        colons &= colons - 1;
    }
    // Bits below the fifth colon: any `$` there may open a variable.
    let before_fifth = (1u64 << fields[4]) - 1;
    (dollars & before_fifth == 0).then_some(fields)
}

/// One bit per byte of `word` (first byte lowest) that is `byte`: exact, with no carry from
/// one byte into the next.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let difference = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    // The high bit of each byte that is not zero, then of each byte that is.
    let nonzero = ((difference & LOW) + LOW) | difference;
    let zero = !nonzero & !LOW;
    // Gathers the eight high bits into the top byte, then moves them down.
    ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

fn variable_takes(slash: bool, colon: bool, byte: u8) -> bool {
    match byte {
        b':' => colon,
        b'/' => slash,
        _ => true,
    }
}

/// The service, Region and account fields of an ARN format (`ec2`, `${Region}`, `${Account}`),
/// split at its first five colons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnFormatFields {
    pub service: &'static str,
    pub region: &'static str,
    pub account: &'static str,
}

/// The third colon-separated field of an ARN format (`ec2`), when it has one.
pub(crate) fn service_field(format: &str) -> Option<&str> {
    // Nearly every format opens with the same two fields: no need to look for their colons.
    const OPENING: &[u8] = b"arn:${Partition}:";
    let bytes = format.as_bytes();
    if bytes.starts_with(OPENING) {
        let mut end = OPENING.len();
        while bytes.get(end).is_some_and(|&byte| byte != b':') {
            end += 1;
        }
        return format.get(OPENING.len()..end);
    }
    let (colons, found) = colons_in(format, 3);
    service_at(format, colons, found)
}

/// The third field of `format`, whose first colons are `colons` (`found` of them).
fn service_at(format: &str, colons: [usize; 5], found: usize) -> Option<&str> {
    if found < 2 {
        return None;
    }
    let end = if found >= 3 { colons[2] } else { format.len() };
    format.get(colons[1] + 1..end)
}

/// The first five colons of an ARN without `$` (each byte a token), and how many it has:
/// `field_colons` when the caller found them, else what [`arn_field_colons`] finds, else a count.
fn plain_colons(arn: &str, field_colons: Option<[usize; 5]>) -> ([usize; 5], usize) {
    field_colons
        .or_else(|| arn_field_colons(arn))
        .map_or_else(|| colons_in(arn, 5), |colons| (colons, 5))
}

/// The byte indices of the first `wanted` (at most five) colons of `text`, and how many there
/// are: a plain loop, as this runs over formats in the macro unoptimized.
fn colons_in(text: &str, wanted: usize) -> ([usize; 5], usize) {
    let bytes = text.as_bytes();
    let mut colons = [0; 5];
    let mut found = 0;
    let mut index = 0;
    while found < wanted
        && let Some(&byte) = bytes.get(index)
    {
        if byte == b':' {
            if let Some(slot) = colons.get_mut(found) {
                *slot = index;
            }
            found += 1;
        }
        index += 1;
    }
    (colons, found)
}

/// What matching needs of one ARN format, worked out once: its service field, the plain text
/// that opens its resource part, and its tokens. Formats are matched against every ARN of
/// every policy, so none of this is redone per ARN.
#[derive(Debug)]
pub(crate) struct FormatShape {
    format: &'static str,
    /// The third colon-separated field (`ec2`), when the format has one.
    #[cfg(test)]
    service: Option<&'static str>,
    /// Service, Region and account, when the format has six fields.
    fields: Option<ArnFormatFields>,
    /// The resource part (after the fifth colon) up to its first variable, when there is one.
    fixed_resource: Option<&'static str>,
    /// Its first eight characters as a word ([`opening_word`]).
    fixed_resource_word: u64,
    /// The tokens, made when the quick filters first let the format through.
    tokens: OnceLock<FormatTokens>,
}

impl FormatShape {
    pub(crate) fn new(format: &'static str) -> Self {
        // Plain scans for colons and `${`: this runs once per format, in the macro unoptimized.
        let (colons, found) = colons_in(format, 5);
        let resource = (found == 5).then(|| format.get(colons[4] + 1..)).flatten();
        let fixed_resource = resource.map(|resource| {
            let variable = resource.find("${").unwrap_or(resource.len());
            resource.get(..variable).unwrap_or_default()
        });
        let field = |index: usize| format.get(colons[index - 1] + 1..colons[index]);
        let fields = match (resource, format.get(..colons[0])) {
            (Some(_), Some("arn")) => Some(ArnFormatFields {
                service: field(2).unwrap_or_default(),
                region: field(3).unwrap_or_default(),
                account: field(4).unwrap_or_default(),
            }),
            _ => None,
        };
        Self {
            format,
            #[cfg(test)]
            service: service_at(format, colons, found),
            fields,
            fixed_resource,
            fixed_resource_word: opening_word(fixed_resource.unwrap_or_default().as_bytes()),
            tokens: OnceLock::new(),
        }
    }

    fn tokens(&self) -> &FormatTokens {
        self.tokens.get_or_init(|| {
            let mut tokens = format_tokens(self.format);
            let fixed = self.fixed_resource.unwrap_or_default().as_bytes();
            let opening = tokens.colons.and_then(|colons| {
                let start = colons[4] + 1;
                tokens.tokens.get(start..start + fixed.len())
            });
            // Found from the text alone, the fixed resource could differ from the tokens' (a
            // colon in a variable of the fields): the tokens tell.
            if opening.is_some_and(|opening| {
                opening
                    .iter()
                    .zip(fixed)
                    .all(|(token, &byte)| *token == FormatToken::Literal(byte))
            }) {
                tokens.resource_opening = fixed.len();
            }
            tokens
        })
    }

    /// The first character of the resource part, when it starts with plain text.
    pub(crate) fn fixed_resource_first(&self) -> Option<u8> {
        self.fixed_resource?.bytes().next()
    }

    /// Service, Region and account, when the format has the six fields of an ARN.
    pub(crate) fn fields(&self) -> Option<ArnFormatFields> {
        self.fields
    }
}

/// A format's tokens and where its five fields end.
#[derive(Debug)]
struct FormatTokens {
    /// Left with the room of one token per byte: shrinking it costs a copy per format.
    tokens: Vec<FormatToken>,
    /// The indices of the five colons that end the fields, when there are five.
    colons: Option<[usize; 5]>,
    /// The text of the five fields with their colons (`arn:${Partition}:ec2:${Region}:${Account}:`),
    /// which decides how they match: many formats share it.
    fields: &'static str,
    /// How many tokens open the resource part as literal characters spelling
    /// [`FormatShape::fixed_resource`] (0 when they do not): the part of it the quick filter
    /// has compared already.
    resource_opening: usize,
}

/// The first eight bytes of `text` as a little-endian word, zero past its end.
fn opening_word(text: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    match text.first_chunk::<8>() {
        Some(first) => word = *first,
        None => word.iter_mut().zip(text).for_each(|(to, &from)| *to = from),
    }
    u64::from_le_bytes(word)
}

/// The five fields and the resource part of tokens split at the literal colons `colons`.
fn parts<T>(tokens: &[T], colons: [usize; 5]) -> [&[T]; 6] {
    let mut parts = [&tokens[..0]; 6];
    let mut start = 0;
    for (part, end) in parts.iter_mut().zip(colons) {
        *part = tokens.get(start..end).unwrap_or_default();
        start = end + 1;
    }
    parts[5] = tokens.get(start..).unwrap_or_default();
    parts
}

/// A compiled ARN pattern, matched against many formats.
#[derive(Debug)]
pub(crate) struct ArnPattern<'a> {
    /// The ARN as written.
    text: &'a str,
    /// What [`arn_field_colons`] gave for it, if the caller found it: handed to [`arn_tokens`].
    field_colons: Option<[usize; 5]>,
    /// Whether the text holds no `$` (no variable or escape), as most ARNs: its tokens are then
    /// its bytes, and its resource part is matched as its text (each byte read as
    /// [`PatternToken`] reads it), with no tokens made unless the fields or the search need
    /// them.
    plain: bool,
    /// The tokens, made with the pattern unless it is plain, else when first needed.
    tokens: OnceCell<Vec<ArnToken>>,
    /// The service field when it is plain text, to skip formats of other services quickly.
    service: Option<Cow<'a, [u8]>>,
    /// The plain text that starts the resource part (`document/` in `...:document/*`), to skip
    /// formats of other resource types before matching.
    resource_head: Option<Cow<'a, [u8]>>,
    /// Its first eight characters as a word ([`opening_word`]).
    resource_head_word: u64,
    /// Where the pattern's five fields end, when it has five literal colons.
    colons: Option<[usize; 5]>,
    /// Whether the fields fit those of the format fields last matched (the formats of one
    /// service mostly share them).
    fields_fit: Cell<Option<(&'static str, bool)>>,
    /// The text of the five fields with their colons (`arn:aws:s3:::`), when every one of
    /// its characters is a token of its own (no variable or escape): the key under which
    /// [`fields_fit_recently`] keeps how they fit.
    fields_text: Option<&'a str>,
    /// The resource part as an automaton, made when a format first needs it.
    resource_masks: OnceCell<Option<Box<PatternMasks>>>,
    /// The resource part's separators, found when a format first needs them (with the
    /// pattern, for a plain one whose [`ResourceStops`] were found).
    resource_separators: OnceCell<Separators>,
    /// Where a plain pattern's resource part holds `/`, `:` and wildcards, when it is short
    /// enough: the scans of each format's matching become a few bit operations.
    resource_stops: Option<ResourceStops>,
}

impl<'a> ArnPattern<'a> {
    pub(crate) fn new(arn: &'a str) -> Self {
        Self::with_field_colons(arn, None)
    }

    /// [`Self::new`] given what [`arn_field_colons`] gives for `arn`, when the caller found
    /// it already (splitting the ARN into its fields).
    pub(crate) fn with_field_colons(arn: &'a str, field_colons: Option<[usize; 5]>) -> Self {
        if !holds_dollar(arn.as_bytes()) {
            return Self::plain(arn, field_colons);
        }
        let (tokens, colons, found) = arn_tokens(arn, field_colons);
        // The plain text of some tokens: the ARN's own text unless `${*}`-like escapes (which
        // make the tokens fewer than the bytes) stand for some of its characters.
        let text = |range: Range<usize>| -> Option<Cow<'a, [u8]>> {
            if tokens.len() == arn.len() {
                arn.as_bytes().get(range).map(Cow::Borrowed)
            } else {
                Some(Cow::Owned(literal_bytes(tokens.get(range)?).collect()))
            }
        };
        let is_literal = |token: &ArnToken| matches!(token, ArnToken::Literal(_));
        // The third field, up to the third colon or the end, when it is all plain text.
        let service = match (found >= 2, colons.get(1), colons.get(2)) {
            (true, Some(&second), third) => {
                let end = if found >= 3 {
                    third.copied().unwrap_or(tokens.len())
                } else {
                    tokens.len()
                };
                let field = second + 1..end;
                let plain = tokens
                    .get(field.clone())
                    .is_some_and(|field| field.iter().all(is_literal));
                if plain { text(field) } else { None }
            }
            _ => None,
        };
        let colons = (found == 5).then_some(colons);
        let resource_head = colons.and_then(|colons| {
            let start = colons[4] + 1;
            let rest = tokens.get(start..)?;
            let length = rest.iter().take_while(|token| is_literal(token)).count();
            text(start..start + length)
        });
        let fields_text = colons
            .filter(|_| tokens.len() == arn.len())
            .and_then(|colons| arn.get(..=colons[4]));
        Self {
            text: arn,
            field_colons,
            plain: false,
            tokens: OnceCell::from(tokens),
            service,
            resource_head_word: opening_word(resource_head.as_deref().unwrap_or_default()),
            resource_head,
            colons,
            fields_fit: Cell::new(None),
            fields_text,
            resource_masks: OnceCell::new(),
            resource_separators: OnceCell::new(),
            resource_stops: None,
        }
    }

    /// [`Self::with_field_colons`] for a text without `$`: one token per byte, so what the
    /// tokens would tell is read off the text, and no tokens are made.
    fn plain(arn: &'a str, field_colons: Option<[usize; 5]>) -> Self {
        let bytes = arn.as_bytes();
        let (colons, found) = plain_colons(arn, field_colons);
        let wildcard = |byte: &u8| matches!(byte, b'*' | b'?');
        // The third field, up to the third colon or the end, when it has no wildcard.
        let service = (found >= 2)
            .then(|| {
                let end = if found >= 3 { colons[2] } else { bytes.len() };
                bytes.get(colons[1] + 1..end)
            })
            .flatten()
            .filter(|field| !field.iter().any(wildcard))
            .map(Cow::Borrowed);
        let colons = (found == 5).then_some(colons);
        let resource = colons.and_then(|colons| bytes.get(colons[4] + 1..));
        let resource_stops = resource.and_then(ResourceStops::of);
        let resource_head = resource.and_then(|rest| {
            let length = match resource_stops {
                Some(stops) => stops.first(stops.wildcards, 0),
                None => rest.iter().position(wildcard).unwrap_or(rest.len()),
            };
            rest.get(..length).map(Cow::Borrowed)
        });
        let resource_separators = match resource_stops {
            Some(stops) => OnceCell::from(stops.separators()),
            None => OnceCell::new(),
        };
        Self {
            text: arn,
            field_colons,
            plain: true,
            tokens: OnceCell::new(),
            service,
            resource_head_word: opening_word(resource_head.as_deref().unwrap_or_default()),
            resource_head,
            colons,
            fields_fit: Cell::new(None),
            fields_text: colons.and_then(|colons| arn.get(..=colons[4])),
            resource_masks: OnceCell::new(),
            resource_separators,
            resource_stops,
        }
    }

    /// The pattern's tokens, made when first needed for a plain pattern.
    fn tokens(&self) -> &[ArnToken] {
        self.tokens
            .get_or_init(|| arn_tokens(self.text, self.field_colons).0)
    }

    /// The service field when the pattern spells it out, e.g. `ec2`.
    pub(crate) fn service(&self) -> Option<&[u8]> {
        self.service.as_deref()
    }

    /// The first character of the resource part, when it starts with plain text: a format
    /// whose resource part starts with another cannot match.
    pub(crate) fn resource_head_first(&self) -> Option<u8> {
        self.resource_head.as_deref()?.first().copied()
    }

    /// Whether some ARN is both named by this pattern and of the shape `format` describes.
    #[cfg(test)]
    pub(crate) fn can_name(&self, format: &'static str) -> bool {
        let format = FormatShape::new(format);
        self.in_service(&format) && self.can_name_shape(&format)
    }

    /// Whether `format` has the service field the pattern spells out, if it does: formats of
    /// other services cannot match (callers pick the formats by service field).
    #[cfg(test)]
    pub(crate) fn in_service(&self, format: &FormatShape) -> bool {
        self.service
            .as_deref()
            .is_none_or(|service| format.service.map(str::as_bytes) == Some(service))
    }

    /// [`Self::can_name`] for a format already taken apart, which [`Self::in_service`] lets
    /// through.
    #[inline]
    pub(crate) fn can_name_shape(&self, format: &FormatShape) -> bool {
        self.resource_opening_fits(format) && self.parts_fit(format)
    }

    /// Whether the format's resource part up to its first variable and the pattern's up to its
    /// first wildcard agree where both are spelled out. Most formats differ in their first
    /// eight characters, compared as words without a branch per character; only longer texts
    /// compare the rest.
    fn resource_opening_fits(&self, format: &FormatShape) -> bool {
        let (Some(head), Some(fixed)) = (&self.resource_head, format.fixed_resource) else {
            return true;
        };
        let common = fixed.len().min(head.len());
        let compared = u32::try_from(8 * common.min(8)).unwrap_or(64);
        let mask = u64::MAX.checked_shr(64 - compared).unwrap_or(0);
        (format.fixed_resource_word ^ self.resource_head_word) & mask == 0
            && (common <= 8 || fixed.as_bytes().get(8..common) == head.get(8..common))
    }

    /// The search behind [`Self::can_name_shape`]'s quick filter, kept out of line: most
    /// formats are refused by the filter alone.
    fn parts_fit(&self, format: &FormatShape) -> bool {
        // Before the fifth colon no token of either side takes a colon (a pattern's `*` only
        // spans colons in the resource part or ending the pattern), so the five colons of an
        // ARN both describe are each other's: each field and the resource part can be
        // matched apart, most of them without a search.
        let format = format.tokens();
        // Borrowed, as are the pattern's stops below: copies of them for every format tried
        // cost more than the match of most resource parts.
        let (Some(format_colons), Some(arn_colons)) = (&format.colons, &self.colons) else {
            return intersects(&format.tokens, self.tokens());
        };
        let fields_fit = match self.fields_fit.get() {
            Some((fields, fit)) if fields == format.fields => fit,
            _ => {
                let fit = fields_fit_recently(self.fields_text, format.fields, || {
                    let [format_fields @ .., _] = parts(&format.tokens, *format_colons);
                    let [arn_fields @ .., _] = parts(self.tokens(), *arn_colons);
                    format_fields
                        .into_iter()
                        .zip(arn_fields)
                        .all(|(format, arn)| {
                            fits(
                                format,
                                arn,
                                0,
                                None,
                                || Separators::of(arn),
                                |format, arn, _| intersects(format, arn),
                            )
                        })
                });
                self.fields_fit.set(Some((format.fields, fit)));
                fit
            }
        };
        if !fields_fit {
            return false;
        }
        let format_resource = format
            .tokens
            .get(format_colons[4] + 1..)
            .unwrap_or_default();
        // The quick filter found the opening texts of both the same as far as both go.
        let compared = self
            .resource_head
            .as_deref()
            .map_or(0, <[u8]>::len)
            .min(format.resource_opening);
        let start = arn_colons[4] + 1;
        if self.plain {
            let arn_resource = self.text.as_bytes().get(start..).unwrap_or_default();
            self.resource_fits(format_resource, arn_resource, compared)
        } else {
            let arn_resource = self.tokens().get(start..).unwrap_or_default();
            self.resource_fits(format_resource, arn_resource, compared)
        }
    }

    /// Whether the resource parts of a format and of the pattern share a text, given that
    /// their first `compared` tokens are the same literal characters. The resource part's
    /// automaton serves every format tried: made once, it starts after the characters both
    /// spell the same.
    fn resource_fits<T: PatternToken>(
        &self,
        format_resource: &[FormatToken],
        arn_resource: &[T],
        compared: usize,
    ) -> bool {
        fits(
            format_resource,
            arn_resource,
            compared,
            self.resource_stops.as_ref(),
            || {
                *self
                    .resource_separators
                    .get_or_init(|| Separators::of(arn_resource))
            },
            |format, arn, common| match self
                .resource_masks
                .get_or_init(|| PatternMasks::new(arn_resource).map(Box::new))
            {
                Some(masks) => masks.accepts_some(format, common),
                None => intersects(format, arn),
            },
        )
    }
}

/// Whether the five fields of an ARN (their text, when known) fit a format's `format`, by `fit`
/// unless the pair was met lately on this thread ([`Recent`]): policies name their resources
/// with few partitions, Regions and accounts, so the fields of most ARNs were matched against
/// the same formats' fields for an earlier ARN, document or scenario.
fn fields_fit_recently(
    arn: Option<&str>,
    format: &'static str,
    fit: impl FnOnce() -> bool,
) -> bool {
    thread_local! {
        static RECENT: RefCell<Recent<bool, 8>> = const { RefCell::new(Recent::new()) };
    }
    let Some(arn) = arn else {
        return fit();
    };
    // Formats sharing their fields mostly share the text itself: told apart by address.
    let tag = (format.as_ptr() as usize, format.len());
    Recent::remembered(&RECENT, tag, arn.as_bytes(), fit)
}

/// The characters of tokens that are all literal.
fn literal_bytes(tokens: &[ArnToken]) -> impl Iterator<Item = u8> {
    tokens.iter().filter_map(|token| match token {
        ArnToken::Literal(byte) => Some(*byte),
        _ => None,
    })
}

/// Where a part of a pattern holds its last literal `/` and `:`: one past each (0 when it has
/// none), so that what follows a position is known free of them without a scan. Found only
/// for a variable that may not take one of them (the last variable of a format takes both).
#[derive(Debug, Clone, Copy)]
struct Separators {
    slash_end: usize,
    colon_end: usize,
}

impl Separators {
    fn of<T: PatternToken>(part: &[T]) -> Self {
        let mut separators = Self {
            slash_end: 0,
            colon_end: 0,
        };
        // One pass from the end, which stops once both are found.
        for (index, token) in part.iter().enumerate().rev() {
            match token.token() {
                ArnToken::Literal(b'/') if separators.slash_end == 0 => {
                    separators.slash_end = index + 1;
                }
                ArnToken::Literal(b':') if separators.colon_end == 0 => {
                    separators.colon_end = index + 1;
                }
                _ => continue,
            }
            if separators.slash_end > 0 && separators.colon_end > 0 {
                break;
            }
        }
        separators
    }

    /// Whether the part's tokens from `start` on are all allowed in a variable.
    fn allowed_from(self, start: usize, slash: bool, colon: bool) -> bool {
        (slash || self.slash_end <= start) && (colon || self.colon_end <= start)
    }
}

/// Where the resource part of a plain pattern (its tokens its bytes) holds `/`, `:` and the
/// wildcards `*` and `?`, one bit per byte (first byte lowest), found in one pass when it is
/// at most 64 bytes long: what matching each format would otherwise scan the text for.
#[derive(Debug, Clone, Copy)]
struct ResourceStops {
    length: usize,
    slashes: u64,
    colons: u64,
    wildcards: u64,
}

impl ResourceStops {
    fn of(resource: &[u8]) -> Option<Self> {
        /// For each byte, which of the stops it is (bit 0 `/`, 1 `:`, 2 a wildcard).
        const KIND: [u8; 256] = {
            let mut kind = [0; 256];
            kind[b'/' as usize] = 1;
            kind[b':' as usize] = 2;
            kind[b'*' as usize] = 4;
            kind[b'?' as usize] = 4;
            kind
        };
        if resource.len() > 64 {
            return None;
        }
        let mut stops = Self {
            length: resource.len(),
            slashes: 0,
            colons: 0,
            wildcards: 0,
        };
        // Most bytes are none of them: one look-up and a branch each.
        for (index, &byte) in resource.iter().enumerate() {
            let kind = KIND.get(usize::from(byte)).copied().unwrap_or(0);
            if kind != 0 {
                let bit = 1u64 << index;
                match kind {
                    1 => stops.slashes |= bit,
                    2 => stops.colons |= bit,
                    _ => stops.wildcards |= bit,
                }
            }
        }
        Some(stops)
    }

    /// The first position at or after `from` among `stops` (a union of the masks), or the
    /// length when there is none.
    fn first(&self, stops: u64, from: usize) -> usize {
        let after = stops
            .checked_shr(u32::try_from(from).unwrap_or(u32::MAX))
            .unwrap_or(0);
        if after == 0 {
            self.length
        } else {
            from + after.trailing_zeros() as usize
        }
    }

    /// One past the last of `stops`, 0 when there is none.
    fn end(stops: u64) -> usize {
        64 - stops.leading_zeros() as usize
    }

    fn separators(self) -> Separators {
        Separators {
            slash_end: Self::end(self.slashes),
            colon_end: Self::end(self.colons),
        }
    }
}

/// Whether a part of a format (a field, or the resource part) and the same part of a pattern
/// share a string. The shapes most parts have are answered directly, the rest by `rest`
/// ([`intersects`]) given what is left of both and where the pattern's rest starts in its
/// part. Their first `compared` tokens are known to be the same literal characters.
fn fits<T: PatternToken>(
    format: &[FormatToken],
    arn: &[T],
    compared: usize,
    stops: Option<&ResourceStops>,
    separators: impl FnOnce() -> Separators,
    rest: impl FnOnce(&[FormatToken], &[T], usize) -> bool,
) -> bool {
    let (mut format, mut arn) = (
        format.get(compared..).unwrap_or_default(),
        arn.get(compared..).unwrap_or_default(),
    );
    // Where what is left of the pattern starts in its part.
    let mut common = compared;
    loop {
        // A plain text both open with must be spelled the same: each character has one move.
        let mut same = 0;
        for (f, a) in format.iter().zip(arn) {
            match (f, a.token()) {
                (FormatToken::Literal(x), ArnToken::Literal(y)) if *x == y => same += 1,
                (FormatToken::Literal(_), ArnToken::Literal(_)) => return false,
                _ => break,
            }
        }
        (format, arn) = (
            format.get(same..).unwrap_or_default(),
            arn.get(same..).unwrap_or_default(),
        );
        common += same;
        // A variable that ends at a `/` (`${BucketName}/${ObjectName}`) facing plain text:
        // it takes exactly the text before the pattern's first `/`, so both go on after it
        // without a search.
        let [
            FormatToken::Variable {
                slash: false,
                colon,
            },
            FormatToken::Literal(b'/'),
            after @ ..,
        ] = format
        else {
            break;
        };
        let segment = match stops {
            Some(stops) => stops.first(stops.slashes | stops.wildcards, common) - common,
            None => arn
                .iter()
                .position(|token| !matches!(token.token(), ArnToken::Literal(byte) if byte != b'/'))
                .unwrap_or(arn.len()),
        };
        match arn.get(segment).map(|token| token.token()) {
            // No `/` to end the variable, and nothing that could make one.
            None => return false,
            Some(ArnToken::Literal(b'/')) => {
                let taken = arn.get(..segment).unwrap_or_default();
                let colon_taken = || match stops {
                    Some(stops) => stops.first(stops.colons, common) < common + segment,
                    None => taken
                        .iter()
                        .any(|token| token.token() == ArnToken::Literal(b':')),
                };
                if taken.is_empty() || (!colon && colon_taken()) {
                    return false;
                }
                format = after;
                arn = arn.get(segment + 1..).unwrap_or_default();
                common += segment + 1;
            }
            // A wildcard may make the `/`: the cases below decide.
            Some(_) => break,
        }
    }
    match (format, arn) {
        // Only the empty text is left: only `*`s can match it.
        ([], _) => arn
            .iter()
            .all(|token| matches!(token.token(), ArnToken::Any { .. })),
        // Every token of a format stands for one or more characters.
        (_, []) => false,
        // One variable is left (`instance/` then `${InstanceId}`): it takes one or more
        // characters, which `*` and `?` can provide and literal characters must be allowed in.
        ([FormatToken::Variable { slash, colon }], _) => {
            (*slash && *colon) || separators().allowed_from(common, *slash, *colon)
        }
        // A lone `*` takes any text the format describes (its variables can all do without a
        // colon), unless the format's own colons are more than it may span.
        (_, [only]) if matches!(only.token(), ArnToken::Any { .. }) => {
            only.token() == (ArnToken::Any { colon: true })
                || !format.contains(&FormatToken::Literal(b':'))
        }
        // `*` then more (`*Canvas*`, `*/stages/*`) against a format ending with a variable:
        // when the `*` can take all but that variable and the variable the rest, they share
        // a text; otherwise the search decides.
        ([head @ .., FormatToken::Variable { slash, colon }], [first, ..])
            if matches!(first.token(), ArnToken::Any { .. })
                && (first.token() == (ArnToken::Any { colon: true })
                    || !head.contains(&FormatToken::Literal(b':')))
                && ((*slash && *colon)
                    || separators().allowed_from(common + 1, *slash, *colon)) =>
        {
            true
        }
        _ => rest(format, arn, common),
    }
}

/// A position of the search: format token, pattern token, whether the current variable has
/// taken a character.
type State = (usize, usize, bool);

/// Whether the languages of a format and a pattern share a string. Patterns of up to 127
/// tokens and 32 different literal characters (any ARN a policy holds in practice) run as bit
/// sets, the others as a search.
fn intersects<T: PatternToken>(format: &[FormatToken], arn: &[T]) -> bool {
    match PatternMasks::new(arn) {
        Some(masks) => masks.accepts_some(format, 0),
        None => intersects_by_search(format, arn),
    }
}

/// A pattern as bit masks over its positions (bit `j`: the first `j` tokens are matched), to
/// run it as an automaton on all the texts a format describes at once.
#[derive(Debug)]
struct PatternMasks {
    /// For each byte, 1 + the index in `literal` of its mask, or 0 when no token is that byte.
    slot: [u8; 256],
    /// The positions whose token is a given literal byte.
    literal: [u128; 32],
    /// Positions whose token takes any one character: `?`, and `*` (which then stays).
    one: u128,
    /// Of those, the ones that may not take a colon.
    no_colon: u128,
    /// Positions of `*`s, which may also take nothing.
    any: u128,
    /// The position after the last token.
    end: u128,
}

impl PatternMasks {
    fn new<T: PatternToken>(arn: &[T]) -> Option<Self> {
        if arn.len() >= 128 {
            return None;
        }
        let mut masks = Self {
            slot: [0; 256],
            literal: [0; 32],
            one: 0,
            no_colon: 0,
            any: 0,
            end: 1 << arn.len(),
        };
        let mut slots = 0;
        for (position, token) in arn.iter().enumerate() {
            let bit = 1u128 << position;
            let token = token.token();
            match token {
                ArnToken::Literal(byte) => {
                    let slot = masks.slot.get_mut(usize::from(byte))?;
                    if *slot == 0 {
                        slots += 1;
                        *slot = slots;
                    }
                    *masks.literal.get_mut(usize::from(*slot) - 1)? |= bit;
                }
                ArnToken::Any { colon } | ArnToken::One { colon } => {
                    masks.one |= bit;
                    if !colon {
                        masks.no_colon |= bit;
                    }
                    if matches!(token, ArnToken::Any { .. }) {
                        masks.any |= bit;
                    }
                }
            }
        }
        Some(masks)
    }

    /// The positions whose token is the literal `byte`.
    fn literal(&self, byte: u8) -> u128 {
        match self.slot.get(usize::from(byte)) {
            Some(&slot) if slot > 0 => self.literal.get(usize::from(slot) - 1).copied(),
            _ => None,
        }
        .unwrap_or(0)
    }

    /// Adds the positions reached by letting `*`s take nothing.
    fn skip_stars(&self, states: u128) -> u128 {
        fill(states, self.any)
    }

    /// The positions after one more character, from positions whose tokens take it
    /// (`takes`): a `*` stays, the others move on.
    fn step(&self, states: u128, takes: u128) -> u128 {
        let moving = states & takes;
        self.skip_stars(((moving & !self.any) << 1) | (moving & self.any))
    }

    /// Whether some text the format describes is matched by the pattern after its first
    /// `start` tokens.
    fn accepts_some(&self, format: &[FormatToken], start: usize) -> bool {
        let start = u32::try_from(start)
            .ok()
            .and_then(|start| 1u128.checked_shl(start));
        let mut states = self.skip_stars(start.unwrap_or(0));
        for token in format {
            states = match *token {
                FormatToken::Literal(byte) => {
                    let literal = self.literal(byte);
                    let wildcards = if byte == b':' {
                        self.one & !self.no_colon
                    } else {
                        self.one
                    };
                    self.step(states, literal | wildcards)
                }
                FormatToken::Variable { slash, colon } => {
                    // One or more characters the variable may hold, each its own choice: the
                    // positions whose token takes at least one of them move.
                    let mut takes = (self.end - 1) & !self.one;
                    if !slash {
                        takes &= !self.literal(b'/');
                    }
                    if !colon {
                        takes &= !self.literal(b':');
                    }
                    takes |= self.one;
                    // Any characters, then one, then any: each run of positions that take
                    // one is crossed at once.
                    fill(self.step(fill(states, takes), takes), takes)
                }
            };
            if states == 0 {
                return false;
            }
        }
        states & self.end != 0
    }
}

/// `states` and every position after one of them reached by crossing only positions in
/// `through`: adding a run's lowest state to the run carries through to the bit above it.
fn fill(states: u128, through: u128) -> u128 {
    let entering = states & through;
    states | (entering.wrapping_add(through) ^ through)
}

/// [`intersects`] as a search over pairs of positions (format token, pattern token, whether
/// the current variable has taken a character), for patterns of any length.
fn intersects_by_search<T: PatternToken>(format: &[FormatToken], arn: &[T]) -> bool {
    thread_local! {
        /// The visited states (a bit set) and the search stack, kept between calls: a policy's
        /// ARNs are each matched against many formats.
        static SCRATCH: RefCell<(Vec<u64>, Vec<State>)> =
            const { RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with_borrow_mut(|(seen, stack)| {
        let states = (format.len() + 1) * (arn.len() + 1) * 2;
        seen.clear();
        seen.resize(states.div_ceil(64), 0);
        stack.clear();
        search(format, arn, seen, stack)
    })
}

fn search<T: PatternToken>(
    format: &[FormatToken],
    arn: &[T],
    seen: &mut [u64],
    stack: &mut Vec<State>,
) -> bool {
    let width = arn.len() + 1;
    let state = |i: usize, j: usize, started: bool| (i * width + j) * 2 + usize::from(started);
    stack.push((0, 0, false));
    while let Some((i, j, started)) = stack.pop() {
        let state = state(i, j, started);
        let Some(word) = seen.get_mut(state / 64) else {
            continue;
        };
        let bit = 1u64 << (state % 64);
        if *word & bit != 0 {
            continue;
        }
        *word |= bit;
        if i == format.len() && j == arn.len() {
            return true;
        }
        let f = format.get(i).copied();
        let a = arn.get(j).map(|token| token.token());
        // A `*` may match nothing.
        if matches!(a, Some(ArnToken::Any { .. })) {
            stack.push((i, j + 1, started));
        }
        // A variable that has taken a character may end.
        if started && matches!(f, Some(FormatToken::Variable { .. })) {
            stack.push((i + 1, j, false));
        }
        // Both sides take one character.
        let (Some(f), Some(a)) = (f, a) else { continue };
        let compatible = match (f, a) {
            (FormatToken::Literal(x), ArnToken::Literal(y)) => x == y,
            (FormatToken::Variable { slash, colon }, ArnToken::Literal(y)) => {
                variable_takes(slash, colon, y)
            }
            (FormatToken::Literal(x), ArnToken::Any { colon } | ArnToken::One { colon }) => {
                colon || x != b':'
            }
            (FormatToken::Variable { .. }, ArnToken::Any { .. } | ArnToken::One { .. }) => true,
        };
        if !compatible {
            continue;
        }
        let (next_i, next_started) = match f {
            FormatToken::Literal(_) => (i + 1, false),
            FormatToken::Variable { .. } => (i, true),
        };
        let next_j = if matches!(a, ArnToken::Any { .. }) {
            j
        } else {
            j + 1
        };
        stack.push((next_i, next_j, next_started));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(arn: &str, format: &'static str) -> bool {
        ArnPattern::new(arn).can_name(format)
    }

    const INSTANCE: &str = "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}";

    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";

    #[test]
    fn arns_against_formats() {
        assert!(names(
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0123",
            INSTANCE
        ));
        assert!(names("arn:aws:ec2:*:*:instance/*", INSTANCE));
        assert!(names(
            "arn:aws:ec2:us-east-?:123456789012:instance/i-????",
            INSTANCE
        ));
        assert!(names(
            "arn:aws:ec2:${aws:RequestedRegion}:${aws:PrincipalAccount}:instance/*",
            INSTANCE
        ));
        assert!(!names(
            "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
            INSTANCE
        ));
        assert!(!names(
            "arn:aws:ssm:us-east-1:123456789012:instance/i-1",
            INSTANCE
        ));
        assert!(names("*", INSTANCE));
        assert!(names("arn:aws:s3:::bucket", BUCKET));
        assert!(!names("arn:aws:s3:::bucket", OBJECT));
        assert!(!names("arn:aws:s3:::bucket/key", BUCKET));
        assert!(names("arn:aws:s3:::bucket/a/b/c", OBJECT));
        assert!(names("arn:aws:s3:::bucket/${aws:userid}/*", OBJECT));
        assert!(names("arn:aws:s3:::*", BUCKET) && names("arn:aws:s3:::*", OBJECT));
        // Empty fields of the format stay empty.
        assert!(!names("arn:aws:s3:us-east-1::bucket", BUCKET));
        // A variable takes at least one character.
        assert!(!names(
            "arn:aws:ec2:us-east-1:123456789012:instance/",
            INSTANCE
        ));
        // `${*}` is a literal star.
        assert!(names("arn:aws:s3:::b/${*}", OBJECT));
        assert!(names("arn:aws:s3:::${*}", BUCKET) && !names("arn:aws:s3:::${*}", OBJECT));
    }

    #[test]
    fn colons_separate_resource_parts() {
        let group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        let stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f";
        assert!(names(arn, group) && !names(arn, stream));
        // A variable that ends the format takes qualifiers (`log-group:g:*` names a group).
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s";
        assert!(names(arn, group) && names(arn, stream));
        assert!(names(
            "arn:aws:logs:us-east-1:123456789012:log-group:g:*",
            group
        ));
        let stream_first = "arn:aws:logs:*:*:log-group:g:log-stream:*";
        assert!(names(stream_first, stream));
    }

    #[test]
    fn quick_filters_keep_what_the_search_would_find() {
        let filters = |arn: &str| {
            let pattern = ArnPattern::new(arn);
            (
                pattern.service.map(Cow::into_owned),
                pattern.resource_head.map(Cow::into_owned),
            )
        };
        let text = |text: &str| Some(text.as_bytes().to_vec());
        assert_eq!(
            filters("arn:aws:ssm:*:*:document/AWS-*"),
            (text("ssm"), text("document/AWS-"))
        );
        assert_eq!(filters("arn:aws:ssm*:x"), (None, None));
        assert_eq!(filters("arn:aws:ssm"), (text("ssm"), None));
        assert_eq!(filters("arn:aws:ssm:*"), (text("ssm"), None));
        assert_eq!(filters("arn:aws:*:*:*:*"), (None, text("")));
        assert_eq!(
            filters("arn:aws:ssm:${aws:RequestedRegion}:1:document/d:${*}"),
            (text("ssm"), text("document/d:*"))
        );
        assert_eq!(
            filters("arn:aws:s${?}m:*:*:document/${aws:username}"),
            (text("s?m"), text("document/"))
        );
        assert!(names(
            "arn:aws:ssm*:*:*:*",
            "arn:${Partition}:ssmmessages:${Region}:${Account}:x/${Id}"
        ));
        let document = "arn:${Partition}:ssm:${Region}:${Account}:document/${DocumentName}";
        assert!(names("arn:aws:ssm:*:*:doc*", document));
        assert!(names("arn:aws:ssm:*:*:document/x/y", document));
        assert!(!names("arn:aws:ssm:*:*:documents/x", document));
    }

    #[test]
    fn resource_openings_compared_as_words_as_by_characters() {
        let openings = [
            "",
            "a",
            "b",
            "ab",
            "image/",
            "instance",
            "instance/",
            "instances/",
            "instance/i-1",
            "bucket-name-long",
            "bucket-name-lone",
            "bucket-nam",
            "function:f",
            "function:",
        ];
        for fixed in openings {
            let format = FormatShape::new(Box::leak(
                format!("arn:${{Partition}}:s:::{fixed}${{Id}}").into_boxed_str(),
            ));
            for head in openings {
                let arn = format!("arn:aws:s:::{head}*");
                let pattern = ArnPattern::new(&arn);
                let common = fixed.len().min(head.len());
                assert_eq!(
                    pattern.resource_opening_fits(&format),
                    fixed.get(..common) == head.get(..common),
                    "{fixed} {head}"
                );
            }
        }
    }

    #[test]
    fn resource_openings_the_filter_compared_are_the_tokens() {
        // The resource part's matching skips the opening the quick filter compared: for every
        // format of the reference it is all of the fixed text, spelled by its first tokens.
        for row in 0..crate::data::RESOURCE_TYPES.len() {
            let Some(row) = crate::data::RESOURCE_TYPES.get(row) else {
                continue;
            };
            let format = FormatShape::new(crate::text(row.arn_format()));
            let tokens = format.tokens();
            let (Some(colons), Some(fixed)) = (tokens.colons, format.fixed_resource) else {
                continue;
            };
            assert_eq!(tokens.resource_opening, fixed.len(), "{}", format.format);
            let opening = tokens.tokens.get(colons[4] + 1..).unwrap_or_default();
            assert!(
                fixed
                    .bytes()
                    .zip(opening)
                    .all(|(byte, token)| *token == FormatToken::Literal(byte)),
                "{}",
                format.format
            );
        }
        // A fixed text that the tokens do not spell is not skipped.
        let format = FormatShape::new("arn:${Partition}:s:${Re:gion}:${Account}:a/${Id}");
        assert_eq!(format.tokens().resource_opening, 0);
    }

    #[test]
    fn wildcards_stay_in_their_field_before_the_resource() {
        let session = "arn:${Partition}:ssm:${Region}:${Account}:session/${SessionId}";
        let definition =
            "arn:${Partition}:ssm:${Region}:${Account}:automation-definition/${Name}:${VersionId}";
        let arn = "arn:aws:ssm:*:*:session/${aws:userid}-*";
        assert!(names(arn, session) && !names(arn, definition));
        assert!(!names("arn:aws:ec2:*:instance/i-1", INSTANCE));
        assert!(names("arn:aws:ec2:*", INSTANCE));
    }

    /// What one search over the whole ARN finds, with the service filter applied: the answer
    /// the field-by-field matching must give.
    fn searched(pattern: &ArnPattern, format: &FormatShape) -> bool {
        pattern
            .service()
            .is_none_or(|service| format.service.map(str::as_bytes) == Some(service))
            && intersects_by_search(&format.tokens().tokens, pattern.tokens())
    }

    /// What matching apart gives for a format: as [`ArnPattern::can_name`].
    fn apart(pattern: &ArnPattern, format: &FormatShape) -> bool {
        pattern.in_service(format) && pattern.can_name_shape(format)
    }

    #[test]
    fn fields_and_resource_part_match_apart_as_a_whole() {
        // Matching each field and the resource part apart, with its quick answers, finds what
        // one search over the whole ARN finds, for every format of the reference.
        let formats: Vec<FormatShape> = (0..crate::data::RESOURCE_TYPES.len())
            .filter_map(|row| crate::data::RESOURCE_TYPES.get(row))
            .map(|row| FormatShape::new(crate::text(row.arn_format())))
            .collect();
        for arn in [
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0123",
            "arn:aws:logs:*:*:log-group:g:*",
            "arn:*:*:*:*:*",
            "arn:*:*:us-east-1:*:*",
            "arn:aws:*:*:123456789012:*/*",
            "arn:aws:s3:::bucket/${aws:userid}/*",
            "arn:aws:iam::*:role/aws-service-role/*",
            "arn:aws:ssm:us-east-?:*:document/?SM-*",
            "*",
            "arn:aws:ssm:*",
            "arn:aws:ec2:*:instance/i-1",
            "arn:aws:*:*:*:*:*",
            "arn:aws:ssm*:*:*:*",
            "arn:aws:*:*:*:*/",
            "arn:aws:*:*:*:?",
            "arn:aws:*::*:*",
            "arn:aws:*:*::*",
            "arn:aws:*:us-east-1:aws:*",
            "arn:${aws:partition}:*:${aws:RequestedRegion}:*:*/${aws:username}",
            "arn:aws:*:*:*:*:*/*",
            "arn:aws:*:*:*:${*}",
            "arn:aws-cn:*:*:*:a:b:c",
            "arn:a/b:*:*:*:*",
            "arn:aws:*:us/east:*:*",
            "arn:aws:*:*:*:**/x",
            "arn:aws:s3:::**/*?*",
            "arn:aws:*:**:*:?*:*",
            // A variable that ends at a `/` facing plain text, then more.
            "arn:aws:s3:::bucket-7",
            "arn:aws:s3:::bucket-7/uploads/*",
            "arn:aws:s3:::b:x/key",
            "arn:aws:s3:::/key",
            "arn:aws:s3:::b?/key",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k/*",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/ap:x/object/k",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/objects/k",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:log-stream:s/1",
        ]
        .into_iter()
        .map(str::to_owned)
        // Resource parts around the 64 bytes up to which their stops are found as bit masks.
        .chain([62, 63, 64, 65].into_iter().flat_map(|length| {
            let name = "b".repeat(length - 2);
            [
                format!("arn:aws:s3:::{name}/*"),
                format!("arn:aws:s3:::{name}:k"),
                format!("arn:aws:s3:::k/{name}"),
                format!("arn:aws:logs:*:*:log-group:{}:*", "g".repeat(length - 12)),
            ]
        })) {
            let arn = arn.as_str();
            let pattern = ArnPattern::new(arn);
            for format in &formats {
                assert_eq!(
                    apart(&pattern, format),
                    searched(&pattern, format),
                    "{arn} {}",
                    format.format
                );
                // The bit set finds what the search finds, over the whole ARN too.
                assert_eq!(
                    intersects(&format.tokens().tokens, pattern.tokens()),
                    intersects_by_search(&format.tokens().tokens, pattern.tokens()),
                    "{arn} {}",
                    format.format
                );
            }
        }
    }

    #[test]
    fn shapes_the_reference_lacks_match_as_searched() {
        // Variables after plain text in a field, and formats whose colons a `*` must not span.
        let formats = [
            "arn:${Partition}:svc:us-${Region}:${Account}:thing/${Id}",
            "arn:${Partition}:svc:${Region}:a${Account}:${Bucket}",
            "arn:${Partition}:svc:${Region}:${Account}:a:${Name}",
        ];
        for arn in [
            "arn:aws:svc:*/east:*:thing/x",
            "arn:aws:svc:*east:*:thing/x",
            "arn:aws:svc:*:*1:*",
            "arn:aws:svc:*:*/1:*",
            "arn:aws:svc:*:*:*x",
            "arn:aws:svc:*:*:*:x",
            "arn:aws:svc:*:*:?:*",
        ] {
            let pattern = ArnPattern::new(arn);
            for format in formats.map(FormatShape::new) {
                assert_eq!(
                    apart(&pattern, &format),
                    searched(&pattern, &format),
                    "{arn} {}",
                    format.format
                );
            }
        }
    }

    #[test]
    fn each_format_written_out_matches_as_searched() {
        // Every format written as a policy would name it (variables as `*`, `?`, a word, a
        // path, a qualified name), against the formats of its own service field.
        let formats: Vec<FormatShape> = (0..crate::data::RESOURCE_TYPES.len())
            .filter_map(|row| crate::data::RESOURCE_TYPES.get(row))
            .map(|row| FormatShape::new(crate::text(row.arn_format())))
            .collect();
        for written in &formats {
            for value in ["*", "?", "x", "a/b", "a:b", "", "x*"] {
                let mut arn = String::new();
                let mut rest = written.format;
                while let Some((head, tail)) = rest.split_once("${") {
                    arn.push_str(head);
                    arn.push_str(if head.ends_with("arn:") { "aws" } else { value });
                    rest = tail.split_once('}').map_or("", |(_, tail)| tail);
                }
                arn.push_str(rest);
                let pattern = ArnPattern::new(&arn);
                for format in formats
                    .iter()
                    .filter(|format| format.service == written.service)
                {
                    assert_eq!(
                        apart(&pattern, format),
                        searched(&pattern, format),
                        "{arn} {}",
                        format.format
                    );
                }
            }
        }
    }
}
