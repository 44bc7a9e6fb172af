//! Exporting a catalogue of policies to a folder of JSON files, the work behind
//! `cargo xtask export`, reusable by any repository that keeps its policies as `policy!`
//! constants:
//!
//! ```no_run
//! use iam_policy::export::{self, Entry, Source};
//! # const MY_POLICY: iam_policy::Policy = iam_policy::__private::PLACEHOLDER;
//! const CATALOGUE: &[Entry<'static>] = &[Entry {
//!     path: "ci/deploy.json",
//!     title: "Deploy",
//!     description: "What the CI role may do.",
//!     source: Source { url: "https://example.com/wiki/deploy", section: "CI" },
//!     policy: &MY_POLICY,
//! }];
//!
//! fn main() -> std::process::ExitCode {
//!     export::main(CATALOGUE, "dist", "cargo xtask export", std::env::args().skip(2))
//! }
//! ```
//!
//! Each policy becomes pretty JSON with a trailing newline at its relative path, and
//! `index.json` lists every file with its title, description, parameters and source. Output is
//! deterministic (catalogue order, no time stamps). Writing is atomic per file and all or
//! nothing for the set: every file is first written to a temporary file beside its target and
//! only when all of them are written are they renamed over the old ones, so a failure leaves the
//! old files whole.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::bind::BindError;
use crate::model::{ParameterKind, Policy};

/// The name of the file that lists the exported policies.
pub const INDEX: &str = "index.json";

/// One policy of a catalogue and where it goes.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// Relative path of the file, `/`-separated, ending in `.json`, e.g. `end-user/aws-cli.json`.
    pub path: &'a str,
    pub title: &'a str,
    /// Who the policy is for and what it grants.
    pub description: &'a str,
    /// Where the policy is documented.
    pub source: Source<'a>,
    pub policy: &'a Policy,
}

/// Where a policy is documented.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Source<'a> {
    pub url: &'a str,
    /// The section (or tab) of the page that shows the policy.
    pub section: &'a str,
}

/// A file the export writes: its relative path (`/`-separated) and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// How a file on disk differs from what the export would write.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// The file exists with other contents.
    Changed(String),
    /// The file does not exist.
    Missing(String),
    /// The folder holds a file the export would not write.
    Extra(String),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Changed(path) => write!(f, "`{path}` differs"),
            Difference::Missing(path) => write!(f, "`{path}` is missing"),
            Difference::Extra(path) => write!(f, "`{path}` is not part of the export"),
        }
    }
}

/// Why an export failed. Nothing was written when it fails before writing; a failure while
/// writing leaves the old files whole.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExportError {
    /// A binding names a parameter no policy of the catalogue declares.
    UnknownParameter { name: String, declared: Vec<String> },
    /// A binding's value breaks the rule of the parameter's kind.
    InvalidValue {
        name: String,
        value: String,
        rule: String,
    },
    /// A policy could not be bound.
    Bind { path: String, error: BindError },
    /// A catalogue path is not a relative `.json` path, is used twice or is the index's.
    BadPath { path: String, reason: &'static str },
    /// Reading or writing a file failed.
    Io { path: PathBuf, error: io::Error },
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::UnknownParameter { name, declared } => {
                let declared: Vec<String> = declared.iter().map(|n| format!("`{n}`")).collect();
                write!(f, "unknown parameter `{name}`; ")?;
                if declared.is_empty() {
                    write!(f, "no policy declares parameters")
                } else {
                    write!(f, "the policies declare {}", declared.join(", "))
                }
            }
            ExportError::InvalidValue { name, value, rule } => {
                write!(f, "invalid value `{value}` for parameter `{name}`: {rule}")
            }
            ExportError::Bind { path, error } => write!(f, "`{path}`: {error}"),
            ExportError::BadPath { path, reason } => write!(f, "bad path `{path}`: {reason}"),
            ExportError::Io { path, error } => write!(f, "`{}`: {error}", path.display()),
        }
    }
}

impl std::error::Error for ExportError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |error| ExportError::Io {
        path: path.to_owned(),
        error,
    }
}

#[derive(Serialize)]
struct Index<'a> {
    generated_by: &'a str,
    policies: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    path: &'a str,
    title: &'a str,
    description: &'a str,
    parameters: Vec<IndexParameter<'a>>,
    source: Source<'a>,
}

#[derive(Serialize)]
struct IndexParameter<'a> {
    name: &'a str,
    kind: &'static str,
    /// The bound value; absent when the file prints the placeholder.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

/// Every file the export writes: each policy bound with the values of the parameters it
/// declares (pretty JSON, trailing newline), then `index.json`. `generated_by` names the command
/// in the index. A binding that no policy declares is an error.
pub fn render(
    catalogue: &[Entry<'_>],
    bindings: &[(&str, &str)],
    generated_by: &str,
) -> Result<Vec<File>, ExportError> {
    check_paths(catalogue)?;
    let declared: Vec<&str> = {
        let mut names = Vec::new();
        for parameter in catalogue
            .iter()
            .flat_map(|entry| entry.policy.parameters.iter())
        {
            if !names.contains(&&*parameter.name) {
                names.push(&*parameter.name);
            }
        }
        names
    };
    if let Some(&(name, _)) = bindings.iter().find(|(name, _)| !declared.contains(name)) {
        return Err(ExportError::UnknownParameter {
            name: name.to_owned(),
            declared: declared.iter().map(|&n| n.to_owned()).collect(),
        });
    }
    // Checked once here, so a bad value is reported once, not for each policy that declares it.
    for &(name, value) in bindings {
        let kinds = catalogue
            .iter()
            .flat_map(|entry| entry.policy.parameters.iter())
            .filter(|p| p.name == name)
            .map(|p| p.kind);
        for kind in kinds {
            kind.check(value)
                .map_err(|rule| ExportError::InvalidValue {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    rule,
                })?;
        }
    }
    let mut files = Vec::with_capacity(catalogue.len() + 1);
    let mut index = Index {
        generated_by,
        policies: Vec::with_capacity(catalogue.len()),
    };
    for entry in catalogue {
        let parameters = &entry.policy.parameters;
        let own: Vec<(&str, &str)> = bindings
            .iter()
            .copied()
            .filter(|(name, _)| parameters.iter().any(|p| p.name == *name))
            .collect();
        let policy = entry.policy.bind(&own).map_err(|error| ExportError::Bind {
            path: entry.path.to_owned(),
            error,
        })?;
        files.push(File {
            path: entry.path.to_owned(),
            contents: policy.to_json_pretty() + "\n",
        });
        index.policies.push(IndexEntry {
            path: entry.path,
            title: entry.title,
            description: entry.description,
            parameters: parameters
                .iter()
                .map(|p| IndexParameter {
                    name: &p.name,
                    kind: ParameterKind::name(p.kind),
                    value: own
                        .iter()
                        .find(|(name, _)| p.name == *name)
                        .map(|(_, v)| *v),
                })
                .collect(),
            source: entry.source,
        });
    }
    files.push(File {
        path: INDEX.to_owned(),
        // Serializing plain structs of strings cannot fail.
        contents: serde_json::to_string_pretty(&index).unwrap_or_default() + "\n",
    });
    Ok(files)
}

/// Each path relative, made of plain components, ending in `.json`, used once, and not the
/// index's.
fn check_paths(catalogue: &[Entry<'_>]) -> Result<(), ExportError> {
    let mut seen = BTreeSet::new();
    for entry in catalogue {
        let bad = |reason| ExportError::BadPath {
            path: entry.path.to_owned(),
            reason,
        };
        let plain = !entry.path.contains('\\')
            && Path::new(entry.path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !plain || entry.path.is_empty() {
            return Err(bad("must be a relative path without `..`, `.` or `\\`"));
        }
        if !entry.path.ends_with(".json") {
            return Err(bad("must end in `.json`"));
        }
        if entry.path == INDEX {
            return Err(bad("is the index's own path"));
        }
        if !seen.insert(entry.path) {
            return Err(bad("is used by two policies"));
        }
    }
    Ok(())
}

fn target(out: &Path, path: &str) -> PathBuf {
    path.split('/')
        .fold(out.to_owned(), |dir, part| dir.join(part))
}

/// Writes `files` under `out`: all into temporary files first, then each renamed over its
/// target. On failure the temporary files are removed and the old files stay whole. Files that
/// the previous `index.json` listed and the new export no longer writes are removed.
pub fn write(out: &Path, files: &[File]) -> Result<(), ExportError> {
    let stale = previously_exported(out)
        .into_iter()
        .filter(|old| !files.iter().any(|file| &file.path == old))
        .collect::<Vec<_>>();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let staging = files.iter().try_for_each(|file| {
        let target = target(out, &file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        let mut name = std::ffi::OsString::from(".");
        name.push(target.file_name().unwrap_or_default());
        name.push(format!(".{}.tmp", std::process::id()));
        let temporary = target.with_file_name(name);
        std::fs::write(&temporary, &file.contents).map_err(io_error(&temporary))?;
        staged.push((temporary, target));
        Ok(())
    });
    let renaming = staging.and_then(|()| {
        let mut renamed = 0;
        staged.iter().try_for_each(|(temporary, target)| {
            std::fs::rename(temporary, target).map_err(io_error(target))?;
            renamed += 1;
            Ok(())
        })?;
        Ok(renamed)
    });
    match renaming {
        Ok(_) => {
            for path in stale {
                let target = target(out, &path);
                std::fs::remove_file(&target).map_err(io_error(&target))?;
            }
            Ok(())
        }
        Err(error) => {
            for (temporary, _) in &staged {
                // Already renamed or never written: nothing to clean up for that one.
                let _ = std::fs::remove_file(temporary);
            }
            Err(error)
        }
    }
}

/// The policy paths the `index.json` in `out` lists (none when there is none or it is not ours).
fn previously_exported(out: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(out.join(INDEX)) else {
        return Vec::new();
    };
    let Ok(index) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let policies = index.get("policies").and_then(|p| p.as_array());
    policies
        .into_iter()
        .flatten()
        .filter_map(|policy| policy.get("path")?.as_str())
        .filter(|path| {
            // Only paths the export itself could have written.
            Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
                && path.ends_with(".json")
        })
        .map(str::to_owned)
        .collect()
}

/// Compares `out` with `files` without writing anything: each file that differs or is missing,
/// and each file in `out` the export would not write, sorted by path.
pub fn check(out: &Path, files: &[File]) -> Result<Vec<Difference>, ExportError> {
    let mut differences = Vec::new();
    for file in files {
        let target = target(out, &file.path);
        match std::fs::read(&target) {
            Ok(contents) if contents == file.contents.as_bytes() => {}
            Ok(_) => differences.push(Difference::Changed(file.path.clone())),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                differences.push(Difference::Missing(file.path.clone()));
            }
            Err(error) => return Err(io_error(&target)(error)),
        }
    }
    let mut present = Vec::new();
    list_files(out, "", &mut present)?;
    for path in present {
        if !files.iter().any(|file| file.path == path) {
            differences.push(Difference::Extra(path));
        }
    }
    differences.sort_by(|a, b| path_of(a).cmp(path_of(b)));
    Ok(differences)
}

fn path_of(difference: &Difference) -> &str {
    match difference {
        Difference::Changed(path) | Difference::Missing(path) | Difference::Extra(path) => path,
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it.
fn list_files(dir: &Path, prefix: &str, found: &mut Vec<String>) -> Result<(), ExportError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(io_error(dir)(error)),
    };
    for entry in entries {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{prefix}{name}");
        let kind = entry.file_type().map_err(io_error(&entry.path()))?;
        if kind.is_dir() {
            list_files(&entry.path(), &format!("{path}/"), found)?;
        } else {
            found.push(path);
        }
    }
    Ok(())
}

/// The command line of an exporter: `[--set NAME=VALUE]... [--out DIR] [--check]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// `--set NAME=VALUE`, in order.
    pub bindings: Vec<(String, String)>,
    /// `--out DIR`.
    pub out: Option<PathBuf>,
    /// `--check`: compare, write nothing.
    pub check: bool,
}

impl Args {
    /// Parses the arguments after the command name. `--set=NAME=VALUE` and `--out=DIR` work too.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ => (arg.clone(), None),
            };
            let mut value = |what: &str| {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("`{flag}` needs a value: `{flag} {what}`"))
            };
            match flag.as_str() {
                "--set" => {
                    let binding = value("NAME=VALUE")?;
                    let Some((name, bound)) = binding.split_once('=') else {
                        return Err(format!("`--set {binding}`: expected `--set NAME=VALUE`"));
                    };
                    parsed.bindings.push((name.to_owned(), bound.to_owned()));
                }
                "--out" => parsed.out = Some(PathBuf::from(value("DIR")?)),
                "--check" if inline.is_none() => parsed.check = true,
                _ => {
                    return Err(format!(
                        "unexpected argument `{arg}`; usage: [--set NAME=VALUE]... [--out DIR] [--check]"
                    ));
                }
            }
        }
        Ok(parsed)
    }
}

/// What [`run`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The files were written to this folder.
    Written { out: PathBuf, files: usize },
    /// `--check`: the differences found (none means up to date).
    Checked {
        out: PathBuf,
        differences: Vec<Difference>,
    },
}

/// Renders the catalogue with the bindings of `args` and writes it (or checks it) in `--out`,
/// `default_out` when not given.
pub fn run(
    catalogue: &[Entry<'_>],
    args: &Args,
    default_out: &Path,
    generated_by: &str,
) -> Result<Outcome, ExportError> {
    let bindings: Vec<(&str, &str)> = args
        .bindings
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let files = render(catalogue, &bindings, generated_by)?;
    let out = args.out.clone().unwrap_or_else(|| default_out.to_owned());
    if args.check {
        let differences = check(&out, &files)?;
        Ok(Outcome::Checked { out, differences })
    } else {
        write(&out, &files)?;
        Ok(Outcome::Written {
            out,
            files: files.len(),
        })
    }
}

/// A whole exporter's `main`: parses `args`, runs, reports on stdout/stderr, and returns a
/// non-zero exit code on a bad argument, a failed export or (with `--check`) any difference.
pub fn main(
    catalogue: &[Entry<'_>],
    default_out: impl AsRef<Path>,
    generated_by: &str,
    args: impl IntoIterator<Item = String>,
) -> ExitCode {
    let args = match Args::parse(args) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    match run(catalogue, &args, default_out.as_ref(), generated_by) {
        Ok(Outcome::Written { out, files }) => {
            println!("wrote {files} files to `{}`", out.display());
            ExitCode::SUCCESS
        }
        Ok(Outcome::Checked { out, differences }) if differences.is_empty() => {
            println!("`{}` is up to date", out.display());
            ExitCode::SUCCESS
        }
        Ok(Outcome::Checked { out, differences }) => {
            for difference in &differences {
                eprintln!("error: {}: {difference}", out.display());
            }
            eprintln!("help: run `{generated_by}` and commit the result");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
