//! `iam-policy actions`, `iam-policy describe` and `iam-policy reference info`: look-ups in the
//! compiled-in AWS service authorization reference. Text output is one fact per line (`field:
//! value` or one name per line) so people can read it and scripts can `grep`/`cut` it;
//! `--format json` gives scripts the same facts as JSON (shapes in docs/cli.md). Errors go to
//! stderr with a "did you mean" help line and a non-zero exit code.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use iam_policy_core::suggest::{did_you_mean, suggest_action, suggest_service};
use iam_policy_reference as reference;
use reference::{AccessLevel, Action, PatternError};
use serde::Serialize;

/// How a look-up prints its answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people and `grep`.
    #[default]
    Text,
    /// JSON for scripts (shapes in docs/cli.md).
    Json,
}

/// An access level as the command line spells it: `permissions-management`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum AccessLevelArg {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl From<AccessLevelArg> for AccessLevel {
    fn from(level: AccessLevelArg) -> AccessLevel {
        match level {
            AccessLevelArg::List => AccessLevel::List,
            AccessLevelArg::Read => AccessLevel::Read,
            AccessLevelArg::Write => AccessLevel::Write,
            AccessLevelArg::PermissionsManagement => AccessLevel::PermissionsManagement,
            AccessLevelArg::Tagging => AccessLevel::Tagging,
        }
    }
}

/// List the actions that IAM action patterns match
///
/// Prints them as `service:Action` in canonical case, one per line, sorted by service prefix
/// then action name. Patterns use IAM's wildcards and ignore case: `*`, `ssm:*`, `ssm:Start*`, `s3:Get?bject`,
/// `*:Describe*`. A pattern that matches nothing, or names an unknown service, is an error.
/// `--format json` prints JSON Lines: one `{"action", "access_level"}` object per action.
#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Action patterns, e.g. `ssm:Start*`
    #[arg(required = true, value_name = "PATTERN")]
    patterns: Vec<String>,
    /// Only the actions of these access levels (comma-separated), e.g. `write,permissions-management`
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LEVEL")]
    access_level: Vec<AccessLevelArg>,
    /// How the actions are printed
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Describe one action
///
/// Prints its access level, resource types with their ARN formats and whether they are
/// required, condition keys with their types and dependent actions, one `field: value` a line
/// (lines of a resource type are indented). `--format json` prints the same as one JSON object.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The action, e.g. `ssm:StartSession` (case does not matter)
    #[arg(value_name = "SERVICE:ACTION")]
    action: String,
    /// How the description is printed
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// About the compiled-in reference data
#[derive(Debug, Args)]
pub struct ReferenceArgs {
    #[command(subcommand)]
    command: ReferenceCommand,
}

#[derive(Debug, Subcommand)]
enum ReferenceCommand {
    /// Show the data's source and version and how much it holds
    ///
    /// Prints the source package and version, the snapshots retired names come from, and the
    /// counts of services, actions, resource types, condition keys and retired names.
    Info(InfoArgs),
}

#[derive(Debug, Args)]
struct InfoArgs {
    /// How the facts are printed
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Prints an error and its help line to stderr.
fn report(message: &str, help: Option<String>) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {message}");
    if let Some(help) = help {
        let _ = writeln!(stderr, "  help: {help}");
    }
}

/// Writes `text` to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn emit(text: &[u8]) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            report(&format!("cannot write the output: {error}"), None);
            ExitCode::FAILURE
        }
    }
}

/// `value` as one line of JSON.
fn json_line(out: &mut Vec<u8>, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    out.push(b'\n');
    Ok(())
}

/// Writes `value` as one line of JSON to stdout.
fn emit_json(value: &impl Serialize) -> ExitCode {
    let mut out = Vec::new();
    match json_line(&mut out, value) {
        Ok(()) => emit(&out),
        Err(error) => {
            report(&format!("cannot write the output: {error}"), None);
            ExitCode::FAILURE
        }
    }
}

/// A pattern error, noting retired names: "`deeplens` is a retired service".
fn pattern_error(pattern: &str, error: &PatternError) {
    let retired = match error {
        PatternError::UnknownService { prefix, .. } if reference::retired_service(prefix) => {
            Some(format!("`{prefix}` is a service AWS has retired"))
        }
        PatternError::NoMatch { .. } => reference::retired_action(pattern)
            .map(|old| format!("`{old}` is an action AWS has retired")),
        _ => None,
    };
    let help = match error {
        PatternError::UnknownService { prefix } => did_you_mean(&suggest_service(prefix)),
        PatternError::NoMatch { pattern } if !pattern.contains(['*', '?']) => {
            did_you_mean(&suggest_action(pattern))
        }
        _ => None,
    };
    match retired {
        Some(message) => report(&message, help),
        None => report(&error.to_string(), help),
    }
}

/// One line of `actions --format json`.
#[derive(Debug, Serialize)]
struct ActionLine {
    action: String,
    access_level: &'static str,
}

pub fn actions(args: &ActionsArgs) -> ExitCode {
    let mut found: BTreeSet<Action> = BTreeSet::new();
    let mut failed = false;
    for pattern in &args.patterns {
        match reference::actions_matching(pattern) {
            Ok(actions) => found.extend(actions.iter().copied()),
            Err(error) => {
                pattern_error(pattern, &error);
                failed = true;
            }
        }
    }
    let levels: Vec<AccessLevel> = args
        .access_level
        .iter()
        .map(|&level| level.into())
        .collect();
    // Handles order as the tables do: by service prefix, then by action name ignoring case.
    let mut out = Vec::with_capacity(found.len() * 32);
    for action in found {
        if !levels.is_empty() && !levels.contains(&action.access_level()) {
            continue;
        }
        let written = match args.format {
            Format::Text => writeln!(out, "{action}"),
            Format::Json => json_line(
                &mut out,
                &ActionLine {
                    action: action.to_string(),
                    access_level: action.access_level().as_str(),
                },
            ),
        };
        if let Err(error) = written {
            report(&format!("cannot write the output: {error}"), None);
            return ExitCode::FAILURE;
        }
    }
    let written = emit(&out);
    if failed { ExitCode::FAILURE } else { written }
}

/// What `describe` prints: the action as the reference documents it.
#[derive(Debug, Serialize)]
struct Description {
    action: String,
    service: ServiceName,
    access_level: &'static str,
    /// Empty when the action takes no resource type (`"Resource": "*"`).
    resource_types: Vec<ResourceTypeUse>,
    condition_keys: Vec<TypedKey>,
    dependent_actions: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
struct ServiceName {
    prefix: &'static str,
    name: &'static str,
}

/// A resource type as the action uses it.
#[derive(Debug, Serialize)]
struct ResourceTypeUse {
    name: &'static str,
    required: bool,
    arn_formats: Vec<&'static str>,
    /// The keys of the action on this resource type and of the resource type itself.
    condition_keys: Vec<TypedKey>,
    dependent_actions: Vec<&'static str>,
}

/// A condition key and its type (`null` when the reference does not type it).
#[derive(Debug, Serialize)]
struct TypedKey {
    name: &'static str,
    #[serde(rename = "type")]
    value_type: Option<&'static str>,
}

impl TypedKey {
    fn new(name: &'static str) -> TypedKey {
        let value_type = reference::condition_key(name).map(|key| key.value_type().as_str());
        TypedKey { name, value_type }
    }

    /// `ssm:SessionDocumentAccessCheck (Bool)`.
    fn text(&self) -> String {
        match self.value_type {
            Some(value_type) => format!("{} ({value_type})", self.name),
            None => self.name.to_owned(),
        }
    }
}

impl Description {
    fn of(action: Action) -> Description {
        let service = action.service();
        let resource_types = action
            .resource_types()
            .map(|entry| {
                let resource_type = entry.resource_type;
                let keys: BTreeSet<&'static str> = entry
                    .condition_keys()
                    .chain(resource_type.condition_keys())
                    .collect();
                ResourceTypeUse {
                    name: resource_type.name(),
                    required: entry.required,
                    arn_formats: resource_type.arn_formats().collect(),
                    condition_keys: keys.into_iter().map(TypedKey::new).collect(),
                    dependent_actions: entry.dependent_actions().collect(),
                }
            })
            .collect();
        Description {
            action: action.to_string(),
            service: ServiceName {
                prefix: service.prefix(),
                name: service.name(),
            },
            access_level: action.access_level().as_str(),
            resource_types,
            condition_keys: action.condition_keys().map(TypedKey::new).collect(),
            dependent_actions: action.dependent_actions().collect(),
        }
    }

    /// One `field: value` a line; the lines of a resource type are indented.
    fn text(&self) -> String {
        let mut out = String::new();
        let mut line = |field: &str, value: &str, indent: usize| {
            out.push_str(&"  ".repeat(indent));
            out.push_str(field);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        };
        line("action", &self.action, 0);
        line(
            "service",
            &format!("{} ({})", self.service.prefix, self.service.name),
            0,
        );
        line("access level", self.access_level, 0);
        for resource_type in &self.resource_types {
            let required = if resource_type.required {
                "required"
            } else {
                "optional"
            };
            line(
                "resource type",
                &format!("{} ({required})", resource_type.name),
                0,
            );
            for format in &resource_type.arn_formats {
                line("arn format", format, 1);
            }
            for key in &resource_type.condition_keys {
                line("condition key", &key.text(), 1);
            }
            for dependent in &resource_type.dependent_actions {
                line("dependent action", dependent, 1);
            }
        }
        if self.resource_types.is_empty() {
            line("resource type", "none (use \"Resource\": \"*\")", 0);
        }
        for key in &self.condition_keys {
            line("condition key", &key.text(), 0);
        }
        for dependent in &self.dependent_actions {
            line("dependent action", dependent, 0);
        }
        out
    }
}

pub fn describe(args: &DescribeArgs) -> ExitCode {
    let name = args.action.as_str();
    let Some(action) = reference::action(name) else {
        return unknown_action(name);
    };
    let description = Description::of(action);
    match args.format {
        Format::Text => emit(description.text().as_bytes()),
        Format::Json => emit_json(&description),
    }
}

fn unknown_action(name: &str) -> ExitCode {
    if name.contains(['*', '?']) {
        report(
            &format!("`{name}` is a pattern; describe takes one action"),
            Some(format!(
                "list the matches with `iam-policy actions '{name}'`"
            )),
        );
        return ExitCode::FAILURE;
    }
    let Some((prefix, _)) = name.split_once(':') else {
        let suggestions = suggest_action(name);
        report(
            &format!("`{name}` is not an action: expected `service:Action`"),
            did_you_mean(&suggestions),
        );
        return ExitCode::FAILURE;
    };
    if let Some(old) = reference::retired_action(name) {
        report(&format!("`{old}` is an action AWS has retired"), None);
    } else if reference::service(prefix).is_none() && reference::retired_service(prefix) {
        report(&format!("`{prefix}` is a service AWS has retired"), None);
    } else if reference::service(prefix).is_none() {
        let suggestions = suggest_action(name);
        let help = did_you_mean(&suggestions).or_else(|| did_you_mean(&suggest_service(prefix)));
        report(&format!("unknown service prefix `{prefix}`"), help);
    } else {
        let suggestions = suggest_action(name);
        report(
            &format!("unknown action `{name}`"),
            did_you_mean(&suggestions),
        );
    }
    ExitCode::FAILURE
}

pub fn reference(args: &ReferenceArgs) -> ExitCode {
    match &args.command {
        ReferenceCommand::Info(args) => info(args.format),
    }
}

/// What `reference info` prints.
#[derive(Debug, Serialize)]
struct Info {
    source: &'static str,
    version: &'static str,
    retired_names_since: &'static [&'static str],
    services: usize,
    actions: usize,
    resource_types: usize,
    /// As the services list them: a key listed by two services counts twice.
    condition_keys: usize,
    distinct_condition_keys: usize,
    global_condition_keys: usize,
    aws_global_condition_keys: usize,
    cross_service_global_condition_keys: usize,
    retired_services: usize,
    retired_actions: usize,
}

fn info(format: Format) -> ExitCode {
    let data = reference::info();
    let aws = reference::global_condition_keys()
        .filter(|key| key.is_aws())
        .count();
    let info = Info {
        source: data.source,
        version: data.version,
        retired_names_since: data.retired_since,
        services: data.services,
        actions: data.actions,
        resource_types: data.resource_types,
        condition_keys: data.condition_keys,
        distinct_condition_keys: data.distinct_condition_keys,
        global_condition_keys: data.global_condition_keys,
        aws_global_condition_keys: aws,
        cross_service_global_condition_keys: data.global_condition_keys - aws,
        retired_services: data.retired_services,
        retired_actions: data.retired_actions,
    };
    if format == Format::Json {
        return emit_json(&info);
    }
    let retired_since = if info.retired_names_since.is_empty() {
        "none".to_owned()
    } else {
        info.retired_names_since.join(", ")
    };
    let out = format!(
        "source: {} {}\n\
         retired names since: {retired_since}\n\
         services: {}\n\
         actions: {}\n\
         resource types: {}\n\
         condition keys: {} ({} distinct names)\n\
         global condition keys: {} ({} aws:, {} cross-service)\n\
         retired services: {}\n\
         retired actions: {}\n",
        info.source,
        info.version,
        info.services,
        info.actions,
        info.resource_types,
        info.condition_keys,
        info.distinct_condition_keys,
        info.global_condition_keys,
        info.aws_global_condition_keys,
        info.cross_service_global_condition_keys,
        info.retired_services,
        info.retired_actions,
    );
    emit(out.as_bytes())
}
