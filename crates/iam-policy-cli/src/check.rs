//! `iam-policy check`: IAM Access Analyzer's custom policy checks, offline, with
//! `iam_policy_core::check`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annotate_snippets::{Level, Renderer};
use clap::{Args, Subcommand, ValueEnum};
use iam_policy_core::check::{self, Access, PublicAccessResourceType, Reason, Verdict};
use iam_policy_core::parse;
use iam_policy_core::{Options, PolicyKind, Severity};
use serde::Serialize;

use crate::lines::{LineIndex, LineStarts};
use crate::lint::document::{Position, lint_text};
use crate::lint::input::{self, Source};
use crate::lint::{self, Color, Kind, text};

/// Prove what a policy can never do, as IAM Access Analyzer's custom policy checks.
///
/// `PASS` is a proof over every request: every action and resource the patterns may cover,
/// every principal, any values of the condition keys. When a check cannot prove it, the
/// answer is `FAIL`. Errors `iam-policy lint` finds are printed to standard error and the
/// policy is checked all the same. Exit status: 0 on `PASS`, 1 on `FAIL`, 2 when a policy
/// cannot be read (not UTF-8 JSON, or no policy).
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(subcommand)]
    check: Check,
    /// How the result is printed.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    format: Format,
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
}

#[derive(Debug, Subcommand)]
enum Check {
    /// Whether the policy can grant any of the listed actions on any of the listed resources
    /// (CheckAccessNotGranted).
    AccessNotGranted {
        /// Actions that must not be granted, comma-separated; wildcards allowed.
        #[arg(long, value_delimiter = ',', value_name = "ACTION,...")]
        actions: Vec<String>,
        /// Resources (ARNs, wildcards allowed) on which they must not be granted; any when
        /// left out.
        #[arg(long, value_delimiter = ',', value_name = "ARN,...")]
        resources: Vec<String>,
        /// The kind of policy, which selects the rules the policy is linted with; inferred from
        /// the document when left out, as `iam-policy lint` does.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// The policy file; `-` reads standard input.
        policy: PathBuf,
    },
    /// Whether the new version grants access the existing one does not (CheckNoNewAccess).
    NoNewAccess {
        /// The existing version of the policy.
        #[arg(long, value_name = "FILE")]
        existing: PathBuf,
        /// The kind of policy, which selects the rules the policy is linted with; inferred from
        /// the document when left out, as `iam-policy lint` does.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// The new version; `-` reads standard input.
        policy: PathBuf,
    },
    /// Whether a resource policy can grant public access (CheckNoPublicAccess).
    NoPublicAccess {
        /// The resource type, e.g. `AWS::S3::Bucket` or `AWS::IAM::AssumeRolePolicyDocument`.
        #[arg(long, value_name = "TYPE")]
        resource_type: String,
        /// The resource policy file; `-` reads standard input.
        policy: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The result, the message and rustc-style snippets at the statements of the reasons.
    Text,
    /// `{"result", "message", "reasons": [{"description", "statementIndex", "statementId"}]}`.
    Json,
}

/// A policy file read.
struct Read {
    name: String,
    text: String,
}

/// Why the check could not run; printed to standard error, exit status 2.
struct Unreadable(String);

/// Runs `iam-policy check`.
pub fn run(args: &CheckArgs) -> ExitCode {
    let renderer = lint::renderer(args.color);
    let (verdict, read) = match verdict(&args.check, &renderer) {
        Ok(found) => found,
        Err(Unreadable(message)) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Json => write_json(&mut out, &verdict),
        Format::Text => write_text(&mut out, &renderer, &verdict, &read),
    }
    .and_then(|()| out.flush());
    if let Err(error) = written
        && error.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the result: {error}");
        return ExitCode::from(2);
    }
    if verdict.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Runs the check asked for; the verdict and the file its statements are in.
fn verdict(check: &Check, renderer: &Renderer) -> Result<(Verdict, Read), Unreadable> {
    match check {
        Check::AccessNotGranted {
            actions,
            resources,
            kind,
            policy,
        } => {
            let read = read(policy, kind.map(Into::into), renderer)?;
            let document = document(&read)?;
            let access = Access {
                actions: trimmed(actions),
                resources: trimmed(resources),
            };
            let verdict = check::access_not_granted(&document, &access)
                .map_err(|error| Unreadable(format!("error: `{}`: {error}", read.name)))?;
            Ok((verdict, read))
        }
        Check::NoNewAccess {
            existing,
            kind,
            policy,
        } => {
            let old = read(existing, kind.map(Into::into), renderer)?;
            let new = read(policy, kind.map(Into::into), renderer)?;
            let (old_document, new_document) = (document(&old)?, document(&new)?);
            let verdict = check::no_new_access(&new_document, &old_document).map_err(|error| {
                Unreadable(format!("error: `{}` or `{}`: {error}", new.name, old.name))
            })?;
            Ok((verdict, new))
        }
        Check::NoPublicAccess {
            resource_type,
            policy,
        } => {
            let resource_type = PublicAccessResourceType::parse(resource_type)
                .map_err(|error| Unreadable(format!("error: {error}")))?;
            let kind = if resource_type.name == "AWS::IAM::AssumeRolePolicyDocument" {
                PolicyKind::RoleTrust
            } else {
                PolicyKind::Resource
            };
            let read = read(policy, Some(kind), renderer)?;
            let document = document(&read)?;
            let verdict = check::no_public_access(&document, resource_type)
                .map_err(|error| Unreadable(format!("error: `{}`: {error}", read.name)))?;
            Ok((verdict, read))
        }
    }
}

fn trimmed(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Reads a policy and lints it as `kind`. Errors of the rules are printed but do not stop the
/// check: the reference behind some of them has gaps (AWS's own managed policies raise a few),
/// and the checks take a statement they cannot read to grant everything.
fn read(path: &Path, kind: Option<PolicyKind>, renderer: &Renderer) -> Result<Read, Unreadable> {
    let source = if path.as_os_str() == "-" {
        Source::Stdin
    } else {
        Source::File(path.to_path_buf())
    };
    let name = source.to_string();
    let bytes = input::read(&source)
        .map_err(|error| Unreadable(format!("error: cannot read `{name}`: {}", error.message)))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Unreadable(format!(
            "error: cannot read `{name}`: the file is not UTF-8"
        ))
    })?;
    let options = Options {
        kind,
        ..Options::default()
    };
    let errors: Vec<String> = lint_text(&text, &options)
        .0
        .iter()
        .filter(|diagnostic| diagnostic.finding.severity == Severity::Error)
        .map(|diagnostic| {
            renderer
                .render(&[text::group(&name, &text, diagnostic)])
                .to_string()
        })
        .collect();
    if !errors.is_empty() {
        eprintln!(
            "{}\nnote: `{name}` was checked all the same; IAM may reject it",
            errors.join("\n\n")
        );
    }
    Ok(Read { name, text })
}

fn document(read: &Read) -> Result<iam_policy_core::Node<'_>, Unreadable> {
    parse::parse(&read.text).map_err(|error| {
        let (line, column) = parse::line_col(&read.text, error.span.start as usize);
        Unreadable(format!(
            "error: cannot read `{}`: {} at line {line}, column {column}",
            read.name, error.message
        ))
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerdictRecord<'a> {
    result: &'static str,
    message: &'a str,
    reasons: Vec<ReasonRecord<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReasonRecord<'a> {
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement_id: Option<&'a str>,
}

fn write_json(out: &mut impl Write, verdict: &Verdict) -> io::Result<()> {
    let record = VerdictRecord {
        result: verdict.result.as_str(),
        message: &verdict.message,
        reasons: verdict
            .reasons
            .iter()
            .map(|reason| ReasonRecord {
                description: &reason.description,
                statement_index: reason.statement_index,
                statement_id: reason.statement_id.as_deref(),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

fn write_text(
    out: &mut impl Write,
    renderer: &Renderer,
    verdict: &Verdict,
    read: &Read,
) -> io::Result<()> {
    let starts = LineStarts::of(&read.text);
    let lines = LineIndex::new(&read.text, &starts);
    for reason in &verdict.reasons {
        let title = title(reason);
        let group = match reason.span {
            Some(span) => {
                let (line, column) = lines.line_col(span.start as usize);
                text::marked(
                    Level::ERROR.primary_title(title.as_str()),
                    &read.name,
                    &read.text,
                    span,
                    Position { line, column },
                    None,
                )
            }
            None => Level::ERROR
                .primary_title(title.as_str())
                .element(Level::NOTE.message(read.name.as_str())),
        };
        writeln!(out, "{}\n", renderer.render(&[group]))?;
    }
    writeln!(out, "{}: {}", verdict.result, verdict.message)
}

/// `statement 1 (`Pass`) grants ...`.
fn title(reason: &Reason) -> String {
    match reason.statement_index {
        Some(index) => {
            let sid = reason
                .statement_id
                .as_ref()
                .map(|sid| format!(" (`{sid}`)"))
                .unwrap_or_default();
            format!("statement {index}{sid} {}", reason.description)
        }
        None => reason.description.clone(),
    }
}
