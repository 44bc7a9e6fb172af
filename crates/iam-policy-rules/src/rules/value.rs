//! Condition values: what each operator family accepts (booleans, numbers, ISO 8601 dates, IP
//! ranges, base64, ARNs) and how wildcards and policy variables sit inside a string value.

use super::holds_wildcard;
use super::variable::{self, Form};
use std::cell::RefCell;
use std::net::IpAddr;

/// A value of a `Bool` or `Null` condition: `true`/`false`, as JSON or as a string. IAM compares
/// them without regard to case.
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An integer or decimal number, optionally signed: what the Numeric operators compare.
pub fn parse_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || digits.ends_with('.')
    {
        return None;
    }
    text.parse().ok()
}

/// What is wrong with a value of a Date operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// Neither an ISO 8601 date/time nor an epoch number (`TYPE_MISMATCH_DATE`).
    NotADate,
    /// Shaped like a date but it will not resolve as meant (`INVALID_DATE_VALUE`); the reason.
    Suspicious(&'static str),
}

/// Checks a Date operator value: W3C ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, with
/// fractions and offsets) or seconds since the epoch.
pub(crate) fn check_date(text: &str) -> Result<(), DateProblem> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Ten digits of seconds reach the year 2286; more are usually milliseconds.
        return if text.len() > 10 {
            Err(DateProblem::Suspicious(
                "more than 10 digits: epoch time is counted in seconds, not milliseconds",
            ))
        } else {
            Ok(())
        };
    }
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        (part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())?
    };
    let shaped = bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-';
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(DateProblem::NotADate);
    };
    if !shaped {
        return Err(DateProblem::NotADate);
    }
    let time = &text[10..];
    let calendar_ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    let time_ok = match time.strip_prefix('T') {
        None if time.is_empty() => true,
        None => return Err(DateProblem::NotADate),
        Some(clock) => check_clock(clock)?,
    };
    if calendar_ok && time_ok {
        Ok(())
    } else {
        Err(DateProblem::Suspicious(
            "no such day or time of day in the calendar",
        ))
    }
}

/// `hh:mm[:ss[.fff]][Z|±hh:mm|±hhmm]`; `Ok(false)` when shaped right but out of range.
fn check_clock(clock: &str) -> Result<bool, DateProblem> {
    read_clock(clock).map(|clock| clock.in_range)
}

/// A time of day as written after a date's `T`.
struct Clock {
    /// Seconds since midnight, fraction included, in the written zone.
    seconds: f64,
    /// The zone's offset from UTC in seconds (`+01:00` is 3600).
    offset: i64,
    /// Whether every field is within its range.
    in_range: bool,
}

fn read_clock(clock: &str) -> Result<Clock, DateProblem> {
    let (time, zone) = match clock.find(['Z', 'z', '+', '-']) {
        Some(at) => clock.split_at(at),
        None => (clock, ""),
    };
    let (zone_ok, offset) = match zone.as_bytes() {
        [] | [b'Z' | b'z'] => (true, 0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let digits: Vec<u8> = rest.iter().copied().filter(|b| *b != b':').collect();
            if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
                return Err(DateProblem::NotADate);
            }
            let field =
                |i: usize| i64::from(digits[i] - b'0') * 10 + i64::from(digits[i + 1] - b'0');
            let offset = field(0) * 3600 + field(2) * 60;
            let in_range = digits[0] < b'2' || digits[0] == b'2' && digits[1] <= b'3';
            (in_range, if *sign == b'-' { -offset } else { offset })
        }
        _ => return Err(DateProblem::NotADate),
    };
    let (time, fraction) = time.split_once('.').unwrap_or((time, "0"));
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateProblem::NotADate);
    }
    let parts: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|part| part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DateProblem::NotADate);
    }
    let value = |i: usize| {
        parts
            .get(i)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let fraction: f64 = format!("0.{fraction}").parse().unwrap_or(0.0);
    Ok(Clock {
        seconds: f64::from(value(0) * 3600 + value(1) * 60 + value(2)) + fraction,
        offset,
        in_range: zone_ok && value(0) <= 23 && value(1) <= 59 && value(2) <= 60,
    })
}

/// The instant a Date operator value or a date context value stands for, in seconds since the
/// epoch: what the Date operators compare. `None` when it is not a date `check_date` accepts;
/// an epoch number of any length is read as seconds, as written.
pub fn parse_date(text: &str) -> Option<f64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    check_date(text).ok()?;
    let field = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let (seconds, offset) = match text.get(10..)?.strip_prefix('T') {
        Some(clock) => {
            let clock = read_clock(clock).ok()?;
            (clock.seconds, clock.offset)
        }
        None => (0.0, 0),
    };
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 - offset) as f64 + seconds)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An IPv4 or IPv6 address range in CIDR notation; a bare address is a `/32` or `/128`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    pub address: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    /// A range or a bare address; `None` when it is neither.
    ///
    /// The ranges read lately on this thread are kept: a run's policies and requests write the
    /// same few ranges and addresses again (an organization's networks), and reading one
    /// depends on its text alone.
    pub fn parse(text: &str) -> Option<IpRange> {
        type Kept = iam_policy_reference::recent::Recent<Option<IpRange>, 8>;
        thread_local! {
            static RECENT: RefCell<Kept> = const { RefCell::new(Kept::new()) };
        }
        Kept::remembered(&RECENT, (0, 0), text.as_bytes(), || Self::read(text))
    }

    /// [`Self::parse`] without the ranges read before.
    fn read(text: &str) -> Option<IpRange> {
        // A byte search, not `split_once`'s: an address is a few bytes long.
        let (address, prefix) = match text.bytes().position(|byte| byte == b'/') {
            Some(slash) => (
                text.get(..slash)?,
                Some(text.get(slash + 1..).unwrap_or_default()),
            ),
            None => (text, None),
        };
        let address: IpAddr = address.parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) => {
                prefix.parse().ok().filter(|p| *p <= max)?
            }
            Some(_) => return None,
        };
        Some(IpRange { address, prefix })
    }

    fn bits(self) -> (u128, u32) {
        match self.address {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        }
    }

    fn mask(self) -> u128 {
        let (_, width) = self.bits();
        let host_bits = width - u32::from(self.prefix);
        if host_bits == 0 {
            u128::MAX
        } else {
            !((1u128 << host_bits) - 1)
        }
    }

    /// Whether `address` lies in the range (an IPv4 address never lies in an IPv6 range nor
    /// the reverse).
    pub fn contains(self, address: IpAddr) -> bool {
        let other = IpRange {
            address,
            prefix: self.prefix,
        };
        self.address.is_ipv4() == address.is_ipv4()
            && self.bits().0 & self.mask() == other.bits().0 & self.mask()
    }

    /// The range written with its host bits cleared, when they were set (`10.0.0.1/8` →
    /// `10.0.0.0/8`).
    pub fn normalized(self) -> Option<String> {
        let (bits, _) = self.bits();
        let network = bits & self.mask();
        if network == bits {
            return None;
        }
        let address = match self.address {
            IpAddr::V4(_) => IpAddr::from(u32::try_from(network).ok()?.to_be_bytes()),
            IpAddr::V6(_) => IpAddr::from(network.to_be_bytes()),
        };
        Some(format!("{address}/{}", self.prefix))
    }

    /// Wholly inside a private network (RFC 1918 for IPv4, unique-local `fc00::/7` for IPv6):
    /// addresses that `aws:SourceIp` never holds, since private traffic reaches AWS through
    /// VPC endpoints.
    pub fn is_private(self) -> bool {
        const PRIVATE_V4: [(u32, u8); 3] = [
            (0x0a00_0000, 8),  // 10.0.0.0/8
            (0xac10_0000, 12), // 172.16.0.0/12
            (0xc0a8_0000, 16), // 192.168.0.0/16
        ];
        let (bits, _) = self.bits();
        match self.address {
            IpAddr::V4(_) => PRIVATE_V4.iter().any(|&(network, prefix)| {
                let outer = IpRange {
                    address: IpAddr::from(network.to_be_bytes()),
                    prefix,
                };
                self.prefix >= prefix && bits & outer.mask() == u128::from(network)
            }),
            IpAddr::V6(_) => self.prefix >= 7 && bits >> 121 == 0xfc >> 1,
        }
    }
}

/// Standard base64 with padding: what `BinaryEquals` compares against.
pub(crate) fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    !text.is_empty()
        && text.len().is_multiple_of(4)
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// An ARN or ARN pattern as the ARN operators take it: `arn:` and six colon-separated fields
/// (wildcards allowed inside them), or a lone `*`.
pub(crate) fn is_arn_pattern(text: &str) -> bool {
    text == "*" || text.starts_with("arn:") && text.matches(':').count() >= 5
}

/// True when the value holds a policy variable that resolves from the request (not `${*}`,
/// `${?}` or `${$}`, which only escape a character).
pub(crate) fn has_variable(text: &str) -> bool {
    variable::scan(text)
        .iter()
        .any(|found| matches!(found.form, Form::Key { .. }))
}

/// True when the value holds `*` or `?` outside any `${...}`, which Like operators treat as
/// wildcards.
pub(crate) fn has_wildcard(text: &str) -> bool {
    // Most values hold neither anywhere: no need to find their variables.
    if !holds_wildcard(text) {
        return false;
    }
    let mut literal_from = 0;
    for found in variable::scan(text) {
        if text
            .get(literal_from..found.start)
            .is_some_and(holds_wildcard)
        {
            return true;
        }
        literal_from = found.start + found.text.len();
    }
    text.get(literal_from..).is_some_and(holds_wildcard)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Odd text of every shape goes through every reader without a panic.
    #[test]
    fn odd_text_never_panics() {
        let pieces = [
            "", "é", "日本", "2026-", "-01-", "T", "Z", "+", ":", "9", "99", ".", "/", "${", "}",
            "*", "?", "=", "::", "arn:", "vpc-", "\u{0}", "1", "ff", "[", "]",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let _ = (parse_bool(&text), parse_number(&text), check_date(&text));
            let _ = IpRange::parse(&text).map(|range| (range.normalized(), range.is_private()));
            let _ = (is_base64(&text), is_arn_pattern(&text));
            let _ = (has_variable(&text), has_wildcard(&text));
            let _ = crate::rules::operator::Operator::parse(&text);
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_bool("1"), None);
    }

    #[test]
    fn numbers() {
        for good in ["0", "42", "-3", "+7", "3.14", ".5"] {
            assert!(parse_number(good).is_some(), "{good}");
        }
        for bad in ["", "-", "1e5", "12a", "3.", "1.2.3", "ten", "NaN", "inf"] {
            assert!(parse_number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        for good in [
            "2026-01-31",
            "2024-02-29",
            "2026-01-31T12:00:00Z",
            "2026-01-31T12:00Z",
            "2026-01-31T12:00:00.123Z",
            "2026-01-31T12:00:00+09:00",
            "2026-01-31T12:00:00-0500",
            "1700000000",
        ] {
            assert_eq!(check_date(good), Ok(()), "{good}");
        }
        for not_a_date in [
            "tomorrow",
            "",
            "2026/01/31",
            "31-01-2026",
            "2026-01-31 12:00",
            "2026-01-31T1200",
        ] {
            assert_eq!(
                check_date(not_a_date),
                Err(DateProblem::NotADate),
                "{not_a_date}"
            );
        }
        for suspicious in [
            "2026-13-01",
            "2023-02-29",
            "2026-04-31",
            "2026-01-31T25:00:00Z",
            "1700000000000",
        ] {
            assert!(
                matches!(check_date(suspicious), Err(DateProblem::Suspicious(_))),
                "{suspicious}"
            );
        }
    }

    #[test]
    fn ip_ranges() {
        let range = |text| IpRange::parse(text);
        assert_eq!(range("203.0.113.0/24").map(|r| r.prefix), Some(24));
        assert_eq!(range("203.0.113.7").map(|r| r.prefix), Some(32));
        assert_eq!(range("2001:db8::/32").map(|r| r.prefix), Some(32));
        for bad in [
            "203.0.113.0/33",
            "300.1.1.1",
            "10.0.0.0/",
            "10.0.0.0/x",
            "fe80::/129",
            "vpc-1",
        ] {
            assert_eq!(range(bad), None, "{bad}");
        }
        let normalized = |text| range(text).and_then(IpRange::normalized);
        assert_eq!(normalized("10.1.2.3/8").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(
            normalized("2001:db8::1/32").as_deref(),
            Some("2001:db8::/32")
        );
        assert_eq!(normalized("10.0.0.0/8"), None);
        assert_eq!(normalized("10.1.2.3"), None);
        let private = |text| range(text).is_some_and(IpRange::is_private);
        assert!(private("10.0.0.0/16") && private("172.31.255.1") && private("192.168.1.0/24"));
        assert!(private("fd00::/8"));
        assert!(!private("172.32.0.0/16") && !private("0.0.0.0/0") && !private("203.0.113.0/24"));
        assert!(!private("10.0.0.0/7") && !private("2001:db8::/32"));
    }

    #[test]
    fn base64() {
        assert!(is_base64("QmluYXJ5") && is_base64("YQ==") && is_base64("YWI="));
        assert!(
            !is_base64("") && !is_base64("abc") && !is_base64("a===") && !is_base64("not base64!")
        );
    }

    #[test]
    fn arns() {
        assert!(is_arn_pattern("arn:aws:iam::123456789012:role/x"));
        assert!(is_arn_pattern("arn:aws:s3:::bucket/*") && is_arn_pattern("*"));
        assert!(!is_arn_pattern("bucket") && !is_arn_pattern("arn:aws:s3"));
    }

    #[test]
    fn wildcards_and_variables() {
        assert!(has_wildcard("home/*") && has_wildcard("a?c"));
        assert!(!has_wildcard("home/${*}") && !has_wildcard("${aws:username}"));
        assert!(has_variable("home/${aws:username}/*"));
        assert!(!has_variable("literal ${*} and ${$}"));
        assert!(has_wildcard("${aws:username}*") && !has_wildcard("a${?}b"));
    }
}
