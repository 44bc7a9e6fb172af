//! `iam-policy simulate`: evaluates the requests of scenario files against their policies with
//! `iam_policy::eval`, and checks the decisions they expect.

mod scenario;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use annotate_snippets::{Group, Level, Renderer};
use clap::{Args, ValueEnum};
use iam_policy::eval::{self, Decision, Evaluation, PolicySet};
use iam_policy_core::json;
use iam_policy_core::parse::{self, LineIndex};
use iam_policy_core::{Finding, Span};
use serde::Serialize;

use crate::lint::document::{Diagnostic, Position};
use crate::lint::input::{self, Source};
use crate::lint::{self, Color, text};
use scenario::{MemberName, Scenario, ScenarioError};

/// Evaluate requests against policies as AWS does, and check the expected decisions.
///
/// Each file holds one scenario or a JSON array of them (format in `docs/simulate.md`).
/// Exit status: 0 when every scenario with `expect` gets it, 1 when one does not, 2 on an
/// unreadable file or a malformed scenario (the others are still evaluated).
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Scenario files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// How results are printed.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The decision and rustc-style snippets of the statements that decided it.
    Text,
    /// One JSON object per scenario, in input order.
    Json,
}

/// What the run found, for the exit status.
#[derive(Default)]
struct Tally {
    scenarios: usize,
    mismatches: usize,
    malformed: usize,
}

/// Runs `iam-policy simulate`.
pub fn run(args: &SimulateArgs) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let renderer = lint::renderer(args.color);
    let mut tally = Tally::default();
    let mut written = Ok(());
    for path in &args.files {
        let source = if path.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::File(path.clone())
        };
        let name = source.to_string();
        let text = match input::read(&source).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                tally.malformed += 1;
                written = written.and(file_error(
                    &mut out,
                    args.format,
                    &name,
                    "the file is not UTF-8",
                ));
                continue;
            }
            Err(error) => {
                tally.malformed += 1;
                written = written.and(file_error(&mut out, args.format, &name, &error.message));
                continue;
            }
        };
        written = written.and(simulate_file(
            &mut out,
            args.format,
            &renderer,
            &name,
            &text,
            &mut tally,
        ));
    }
    if args.format == Format::Text && written.is_ok() {
        written = writeln!(
            out,
            "simulated {} scenario{}: {} matched, {} did not, {} malformed",
            tally.scenarios,
            if tally.scenarios == 1 { "" } else { "s" },
            tally.scenarios - tally.mismatches - tally.malformed,
            tally.mismatches,
            tally.malformed
        );
    }
    written = written.and(out.flush());
    if let Err(error) = written
        && error.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the results: {error}");
        return ExitCode::from(2);
    }
    if tally.malformed > 0 {
        ExitCode::from(2)
    } else if tally.mismatches > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn file_error(out: &mut impl Write, format: Format, file: &str, message: &str) -> io::Result<()> {
    eprintln!("error: cannot read `{file}`: {message}");
    match format {
        Format::Text => Ok(()),
        Format::Json => {
            let record = ErrorRecord {
                file,
                index: None,
                name: None,
                error: message,
                line: None,
                column: None,
            };
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")
        }
    }
}

fn simulate_file(
    out: &mut impl Write,
    format: Format,
    renderer: &Renderer,
    name: &str,
    text: &str,
    tally: &mut Tally,
) -> io::Result<()> {
    let lines = LineIndex::new(text);
    let mut reader = scenario::Reader::new(text);
    // Scenarios are parsed one at a time: a large file never holds the tree of all of them.
    let mut elements = parse::elements(text);
    // The JSON record of each scenario, built whole and written at once.
    let mut line = String::new();
    // Scenarios are parsed one at a time, each without the trees of the policy texts read
    // before it.
    for index in 0.. {
        let next = elements.next_skipping(&scenario::holds_policies, &|rest| reader.known_at(rest));
        let Some(node) = next else {
            break;
        };
        let node = match node {
            Ok(node) => node,
            Err(error) => {
                tally.malformed += 1;
                let (line, column) = lines.line_col(error.span.start as usize);
                return file_error(
                    out,
                    format,
                    name,
                    &format!("{} at line {line}, column {column}", error.message),
                );
            }
        };
        let node = &node;
        tally.scenarios += 1;
        let read = scenario::read(node, &mut reader);
        let scenario = match read {
            Ok(scenario) => scenario,
            Err(error) => {
                tally.malformed += 1;
                write_malformed(out, format, renderer, name, &lines, index, node, &error)?;
                continue;
            }
        };
        let set = policy_set(&scenario);
        let evaluation = eval::evaluate(&scenario.request, &set);
        let matched = scenario.expect.map(|expect| expect == evaluation.decision);
        if matched == Some(false) {
            tally.mismatches += 1;
        }
        let place = Place {
            file: name,
            text,
            lines: &lines,
            index,
        };
        match format {
            Format::Json => write_json(
                out,
                &mut line,
                &place,
                &scenario,
                &set,
                &evaluation,
                matched,
            )?,
            Format::Text => {
                write_text(out, renderer, &place, &scenario, &set, &evaluation, matched)?
            }
        }
    }
    Ok(())
}

/// The file and index of a scenario, and the file's text that spans index.
struct Place<'a> {
    file: &'a str,
    text: &'a str,
    lines: &'a LineIndex<'a>,
    index: usize,
}

fn policy_set(scenario: &Scenario) -> PolicySet<'_> {
    PolicySet {
        identity: scenario.identity.iter().map(|p| p.policy()).collect(),
        resource: scenario.resource.as_ref().map(|p| p.policy()),
        permissions_boundary: scenario.permissions_boundary.as_ref().map(|p| p.policy()),
        session: scenario.session.as_ref().map(|p| p.policy()),
        service_control: (scenario.service_control.iter())
            .map(|level| level.iter().map(|p| p.policy()).collect())
            .collect(),
        resource_control: (scenario.resource_control.iter())
            .map(|level| level.iter().map(|p| p.policy()).collect())
            .collect(),
        vpc_endpoint: scenario.vpc_endpoint.as_ref().map(|p| p.policy()),
    }
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

#[expect(clippy::too_many_arguments, reason = "the pieces of one report")]
fn write_malformed(
    out: &mut impl Write,
    format: Format,
    renderer: &Renderer,
    file: &str,
    lines: &LineIndex<'_>,
    index: usize,
    node: &iam_policy_core::Node<'_>,
    error: &ScenarioError,
) -> io::Result<()> {
    let name = scenario_name(node);
    let (line, column) = lines.line_col(error.span.start as usize);
    match format {
        Format::Json => {
            let record = ErrorRecord {
                file,
                index: Some(index),
                name: name.as_deref(),
                error: &error.message,
                line: Some(line),
                column: Some(column),
            };
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")
        }
        Format::Text => {
            let title = format!("scenario {index} is malformed: {}", error.message);
            let start = Position { line, column };
            let group = text::marked(
                Level::ERROR.primary_title(title.as_str()),
                file,
                lines.text(),
                error.span,
                start,
                None,
            );
            writeln!(out, "{}\n", renderer.render(&[group]))
        }
    }
}

/// The `name` of a scenario that could not be read, when it has one.
fn scenario_name(node: &iam_policy_core::Node<'_>) -> Option<String> {
    match &node.value {
        iam_policy_core::Value::Object(members) => {
            members.iter().find_map(|m| match &m.value.value {
                iam_policy_core::Value::String(name) if m.key == "name" => Some(name.to_string()),
                _ => None,
            })
        }
        _ => None,
    }
}

/// A JSON object written member by member: `simulate --format json` prints one for each of
/// thousands of scenarios, and strings copied in one go (see [`json::write_string`]) cost a
/// fraction of serde's byte-by-byte escaping of every key and value.
struct JsonObject<'b> {
    out: &'b mut String,
    empty: bool,
}

impl<'b> JsonObject<'b> {
    fn open(out: &'b mut String) -> Self {
        out.push('{');
        JsonObject { out, empty: true }
    }

    /// Starts the member `key`, one of the record's own names, which need no escapes.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    fn string(&mut self, key: &str, value: &str) {
        json::write_string(self.key(key), value);
    }

    fn number(&mut self, key: &str, value: usize) {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(value);
        self.key(key).push_str(digits);
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    fn member_name(&mut self, key: &str, name: MemberName) {
        let out = self.key(key);
        out.push('"');
        name.write(out);
        out.push('"');
    }

    /// The member `key`: an array of what `write` makes of each item.
    fn array<T>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut String, T),
    ) {
        let out = self.key(key);
        out.push('[');
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            write(out, item);
        }
        out.push(']');
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// One scenario's record as one line of JSON, built in `line` (reused from scenario to
/// scenario) and written at once.
fn write_json(
    out: &mut impl Write,
    line: &mut String,
    place: &Place<'_>,
    scenario: &Scenario,
    set: &PolicySet<'_>,
    evaluation: &Evaluation,
    matched: Option<bool>,
) -> io::Result<()> {
    let statement = |out: &mut String, decided: &eval::StatementResult| {
        let found = decided
            .policy
            .get(set)
            .and_then(|p| p.statements().get(decided.index));
        let span = statement_span(scenario, decided);
        let mut record = JsonObject::open(out);
        record.member_name("policy", MemberName(decided.policy));
        record.number("statement", decided.index);
        if let Some(sid) = found.and_then(|s| s.sid.as_deref()) {
            record.string("sid", sid);
        }
        record.string("effect", decided.result.effect.as_str());
        let why = found.map(|s| eval::why(s, &decided.result));
        record.string("why", why.as_deref().unwrap_or_default());
        record.number("line", place.lines.line_col(span.start as usize).0);
        record.close();
    };
    line.clear();
    let mut record = JsonObject::open(line);
    record.string("file", place.file);
    record.number("index", place.index);
    if let Some(name) = &scenario.name {
        record.string("name", name);
    }
    record.string("decision", evaluation.decision.as_str());
    if let Some(expect) = scenario.expect {
        record.string("expect", expect.as_str());
    }
    if let Some(matched) = matched {
        record.bool("matched", matched);
    }
    if let Some(denied_by) = evaluation.denied_by {
        record.string("denied_by", &denied_by.to_string());
    }
    record.array("deciding", &evaluation.deciding, statement);
    if evaluation.unmet().next().is_some() {
        record.array("unmet", evaluation.unmet(), statement);
    }
    let findings = scenario
        .policies()
        .flat_map(|(policy, found)| found.findings().map(move |finding| (policy, finding)));
    record.array("findings", findings, |out, (policy, (finding, span))| {
        let (line, column) = place.lines.line_col(span.start as usize);
        let mut record = JsonObject::open(out);
        record.member_name("policy", MemberName(policy));
        record.string("severity", finding.severity.as_str());
        record.string("code", finding.code.as_str());
        record.string("message", &finding.message);
        record.number("line", line);
        record.number("column", column);
        record.close();
    });
    record.array(
        "context_warnings",
        scenario.request.context_warnings(),
        |out, warning| json::write_string(out, &warning.message),
    );
    record.close();
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// Where a deciding statement is written in the file.
fn statement_span(scenario: &Scenario, decided: &eval::StatementResult) -> Span {
    scenario
        .policy(decided.policy)
        .and_then(|policy| policy.statement_span(decided.index))
        .unwrap_or_default()
}

fn write_text(
    out: &mut impl Write,
    renderer: &Renderer,
    place: &Place<'_>,
    scenario: &Scenario,
    set: &PolicySet<'_>,
    evaluation: &Evaluation,
    matched: Option<bool>,
) -> io::Result<()> {
    let label = match &scenario.name {
        Some(name) => format!("scenario {} `{name}`", place.index),
        None => format!("scenario {}", place.index),
    };
    let verdict = match (scenario.expect, matched) {
        (Some(_), Some(true)) => ", as expected".to_owned(),
        (Some(expect), _) => format!(", expected {expect}"),
        (None, _) => String::new(),
    };
    let reason = evaluation
        .denied_by
        .map(|denied_by| format!(" ({denied_by})"))
        .unwrap_or_default();
    let title = format!(
        "{label} of {}: {}{reason}{verdict}",
        place.file, evaluation.decision
    );
    let level = if matched == Some(false) {
        Level::ERROR
    } else {
        Level::NOTE
    };
    let title = Group::with_title(level.primary_title(title.as_str()));
    writeln!(out, "{}", renderer.render(&[title]))?;
    for warning in scenario.request.context_warnings() {
        let title = Level::WARNING.primary_title(warning.message.as_str());
        writeln!(out, "{}", renderer.render(&[Group::with_title(title)]))?;
    }
    for (_, found) in scenario.policies() {
        for (finding, span) in found.findings() {
            let position = |offset: u32| {
                let (line, column) = place.lines.line_col(offset as usize);
                Position { line, column }
            };
            let diagnostic = &Diagnostic {
                finding: Finding {
                    span,
                    ..finding.clone()
                },
                start: position(span.start),
                end: position(span.end),
            };
            writeln!(
                out,
                "{}",
                renderer.render(&[text::group(place.file, place.text, diagnostic)])
            )?;
        }
    }
    let unmet: Vec<&eval::StatementResult> = evaluation.unmet().collect();
    let whys: Vec<(String, String, Span, Position)> = (evaluation.deciding.iter())
        .map(|decided| (decided, false))
        .chain(unmet.iter().map(|decided| (*decided, true)))
        .map(|(decided, unmet)| {
            let found = decided
                .policy
                .get(set)
                .and_then(|p| p.statements().get(decided.index));
            let sid = found
                .and_then(|s| s.sid.as_deref())
                .map(|sid| format!(" `{sid}`"))
                .unwrap_or_default();
            let verb = match evaluation.decision {
                _ if unmet => "not allowed by",
                Decision::ExplicitDeny => "denied by",
                _ => "allowed by",
            };
            let title = format!(
                "{verb} {} statement {}{sid}",
                MemberName(decided.policy),
                decided.index
            );
            let why = found
                .map(|s| eval::why(s, &decided.result))
                .unwrap_or_default();
            let span = statement_span(scenario, decided);
            let (line, column) = place.lines.line_col(span.start as usize);
            (title, why, span, Position { line, column })
        })
        .collect();
    let groups: Vec<Group<'_>> = whys
        .iter()
        .map(|(title, why, span, start)| {
            text::marked(
                Level::NOTE.primary_title(title.as_str()),
                place.file,
                place.text,
                *span,
                *start,
                Some(why.as_str()),
            )
        })
        .collect();
    if !groups.is_empty() {
        writeln!(out, "{}", renderer.render(&groups))?;
    }
    writeln!(out)
}
