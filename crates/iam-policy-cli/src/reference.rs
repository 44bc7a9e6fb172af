//! `iam-policy actions`, `iam-policy describe` and `iam-policy reference info`: look-ups in the
//! compiled-in AWS service authorization reference. Output is one fact per line (`field: value`
//! or one name per line) so people can read it and scripts can `grep`/`cut` it; errors go to
//! stderr with a "did you mean" help line and a non-zero exit code.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use iam_policy_reference as reference;
use reference::{Action, PatternError};

/// List the actions that IAM action patterns match
///
/// Prints them as `service:Action` in canonical case, one per line, sorted by service prefix
/// then action name. Patterns use IAM's wildcards and ignore case: `*`, `ssm:*`, `ssm:Start*`, `s3:Get?bject`,
/// `*:Describe*`. A pattern that matches nothing, or names an unknown service, is an error.
#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Action patterns, e.g. `ssm:Start*`
    #[arg(required = true, value_name = "PATTERN")]
    patterns: Vec<String>,
}

/// Describe one action
///
/// Prints its access level, resource types with their ARN formats and whether they are
/// required, condition keys with their types and dependent actions, one `field: value` a line
/// (lines of a resource type are indented).
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The action, e.g. `ssm:StartSession` (case does not matter)
    #[arg(value_name = "SERVICE:ACTION")]
    action: String,
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
    Info,
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
fn emit(text: &str) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
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
    match retired {
        Some(message) => report(&message, error.help()),
        None => report(&error.to_string(), error.help()),
    }
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
    // Handles order as the tables do: by service prefix, then by action name ignoring case.
    let mut out = String::with_capacity(found.len() * 32);
    for action in found {
        out.push_str(&action.to_string());
        out.push('\n');
    }
    let written = emit(&out);
    if failed { ExitCode::FAILURE } else { written }
}

pub fn describe(args: &DescribeArgs) -> ExitCode {
    let name = args.action.as_str();
    let Some(action) = reference::action(name) else {
        return unknown_action(name);
    };
    let service = action.service();
    let mut out = String::new();
    let mut line = |field: &str, value: &str, indent: usize| {
        out.push_str(&"  ".repeat(indent));
        out.push_str(field);
        out.push_str(": ");
        out.push_str(value);
        out.push('\n');
    };
    line("action", &action.to_string(), 0);
    line(
        "service",
        &format!("{} ({})", service.prefix(), service.name()),
        0,
    );
    line("access level", action.access_level().as_str(), 0);
    let mut resource_types = 0;
    for entry in action.resource_types() {
        resource_types += 1;
        let resource_type = entry.resource_type;
        let required = if entry.required {
            "required"
        } else {
            "optional"
        };
        line(
            "resource type",
            &format!("{} ({required})", resource_type.name()),
            0,
        );
        for format in resource_type.arn_formats() {
            line("arn format", format, 1);
        }
        let keys: BTreeSet<&str> = entry
            .condition_keys()
            .chain(resource_type.condition_keys())
            .collect();
        for key in keys {
            line("condition key", &typed(key), 1);
        }
        for dependent in entry.dependent_actions() {
            line("dependent action", dependent, 1);
        }
    }
    if resource_types == 0 {
        line("resource type", "none (use \"Resource\": \"*\")", 0);
    }
    for key in action.condition_keys() {
        line("condition key", &typed(key), 0);
    }
    for dependent in action.dependent_actions() {
        line("dependent action", dependent, 0);
    }
    emit(&out)
}

/// `ssm:SessionDocumentAccessCheck (Bool)`.
fn typed(key: &str) -> String {
    match reference::condition_key(key) {
        Some(found) => format!("{key} ({})", found.value_type()),
        None => key.to_owned(),
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
        let suggestions = reference::suggest_action(name);
        report(
            &format!("`{name}` is not an action: expected `service:Action`"),
            reference::did_you_mean(&suggestions),
        );
        return ExitCode::FAILURE;
    };
    if let Some(old) = reference::retired_action(name) {
        report(&format!("`{old}` is an action AWS has retired"), None);
    } else if reference::service(prefix).is_none() && reference::retired_service(prefix) {
        report(&format!("`{prefix}` is a service AWS has retired"), None);
    } else if reference::service(prefix).is_none() {
        let suggestions = reference::suggest_action(name);
        let help = reference::did_you_mean(&suggestions)
            .or_else(|| reference::did_you_mean(&reference::suggest_service(prefix)));
        report(&format!("unknown service prefix `{prefix}`"), help);
    } else {
        let suggestions = reference::suggest_action(name);
        report(
            &format!("unknown action `{name}`"),
            reference::did_you_mean(&suggestions),
        );
    }
    ExitCode::FAILURE
}

pub fn reference(args: &ReferenceArgs) -> ExitCode {
    match args.command {
        ReferenceCommand::Info => info(),
    }
}

fn info() -> ExitCode {
    let info = reference::info();
    let aws = reference::global_condition_keys()
        .filter(|key| key.is_aws())
        .count();
    let retired_since = if info.retired_since.is_empty() {
        "none".to_owned()
    } else {
        info.retired_since.join(", ")
    };
    let out = format!(
        "source: {} {}\n\
         retired names since: {retired_since}\n\
         services: {}\n\
         actions: {}\n\
         resource types: {}\n\
         condition keys: {} ({} distinct names)\n\
         global condition keys: {} ({aws} aws:, {} cross-service)\n\
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
        info.global_condition_keys - aws,
        info.retired_services,
        info.retired_actions,
    );
    emit(&out)
}
