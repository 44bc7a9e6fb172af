//! Exporting a catalogue of policies to a folder of JSON files, the work behind
//! `cargo xtask export`, reusable by any repository that keeps its policies as `policy!`
//! constants (the command line, `main`, is in `command`):
//!
//! ```no_run
//! use iam_policy_export::{self as export, Document, Entry, Source};
//! use iam_policy::{Policy, policy};
//!
//! const DEPLOY: Policy = policy!({
//!     "Version": "2012-10-17",
//!     "Statement": [{
//!         "Effect": "Allow",
//!         "Action": "s3:PutObject",
//!         "Resource": "arn:aws:s3:::example-artifacts/*"
//!     }]
//! });
//!
//! const CATALOGUE: &[Entry<'static>] = &[Entry {
//!     path: "ci/deploy.json",
//!     title: "Deploy",
//!     description: "What the CI role may do.",
//!     source: Source { url: "https://example.com/wiki/deploy", section: "CI" },
//!     document: Document::Policy(&DEPLOY),
//! }];
//!
//! fn main() -> std::process::ExitCode {
//!     export::main(CATALOGUE, "dist", "cargo xtask export", std::env::args().skip(2))
//! }
//! ```
//!
//! Each policy becomes pretty JSON with a trailing newline at its relative path, and
//! `index.json` lists every file with its title, description, parameters and source. A
//! [`Document::Template`] becomes JSON only once every parameter is bound (`--set`); it is
//! always handed off to the tools that deploy policies too, with its unbound parameters
//! (see [`forms`]): `<stem>.cloudformation.json` and the Terraform module
//! `<stem>.terraform/main.tf.json`. Output is
//! deterministic (catalogue order, no time stamps). Writing is atomic per file and all or
//! nothing for the set: every file is first written to a temporary file beside its target and
//! only when all of them are written are they renamed over the old ones, so a failure leaves the
//! old files whole.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use iam_policy::{BindError, Policy, Template, UnknownNames};

mod command;
pub mod forms;

pub use command::{Args, Outcome, main, run};

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
    pub document: Document<'a>,
}

/// What an entry exports.
#[derive(Clone, Copy, Debug)]
pub enum Document<'a> {
    /// A policy: its JSON.
    Policy(&'a Policy),
    /// A template: its JSON once every parameter is bound, and always its CloudFormation and
    /// Terraform forms, which take the unbound parameters from the deployment.
    Template(&'a Template),
    /// A documented sample: its JSON, with each unbound `{name}` printed as the bare `name` the
    /// way the documentation prints it. Such a file documents; it is not to be attached.
    Sample(&'a Template),
}

impl Document<'_> {
    fn template(&self) -> Option<&Template> {
        match self {
            Document::Policy(_) => None,
            Document::Template(template) | Document::Sample(template) => Some(template),
        }
    }

    /// The parameters the document declares.
    pub fn parameters(&self) -> &[iam_policy::Parameter] {
        self.template().map_or(&[], |template| &template.parameters)
    }
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
    Bind { path: String, error: Box<BindError> },
    /// A template cannot be written in a deployment tool's form.
    Form { path: String, error: String },
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
            ExportError::Form { path, error } => write!(f, "`{path}`: {error}"),
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
    /// The JSON file; absent for a template with unbound parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    title: &'a str,
    description: &'a str,
    parameters: Vec<IndexParameter<'a>>,
    /// A template's CloudFormation and Terraform forms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    forms: Vec<IndexForm>,
    source: Source<'a>,
}

#[derive(Serialize)]
struct IndexForm {
    tool: &'static str,
    path: String,
}

#[derive(Serialize)]
struct IndexParameter<'a> {
    name: &'a str,
    kind: String,
    /// The bound value; absent when the file prints the placeholder.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

/// Every file the export writes: each policy as pretty JSON with a trailing newline, each
/// template bound with the values of the parameters it declares (JSON once all are bound, and
/// its CloudFormation and Terraform forms), then `index.json`. `generated_by` names the command
/// in the index and the forms. A binding that no entry declares is an error.
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
            .flat_map(|entry| entry.document.parameters())
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
            .flat_map(|entry| entry.document.parameters())
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
        let bind_error = |error| ExportError::Bind {
            path: entry.path.to_owned(),
            error: Box::new(error),
        };
        let mut json_path = Some(entry.path);
        let mut forms = Vec::new();
        let contents = match entry.document {
            Document::Policy(policy) => Some(policy.to_json_pretty()),
            Document::Sample(template) => {
                let bound = template
                    .bind_some(bindings, UnknownNames::Ignore)
                    .map_err(bind_error)?;
                Some(bound.to_json_pretty_with_placeholder_names())
            }
            Document::Template(template) => {
                let bound = template
                    .bind_some(bindings, UnknownNames::Ignore)
                    .map_err(bind_error)?;
                for form in forms::Form::ALL {
                    let contents = form.render(&bound, entry, generated_by).map_err(|error| {
                        ExportError::Form {
                            path: entry.path.to_owned(),
                            error,
                        }
                    })?;
                    let path = form.path(entry.path);
                    forms.push(IndexForm {
                        tool: form.tool(),
                        path: path.clone(),
                    });
                    files.push(File {
                        path,
                        contents: contents + "\n",
                    });
                }
                if bound.parameters.is_empty() {
                    Some(bound.policy.to_json_pretty())
                } else {
                    json_path = None;
                    None
                }
            }
        };
        if let Some(contents) = contents {
            files.push(File {
                path: entry.path.to_owned(),
                contents: contents + "\n",
            });
        }
        index.policies.push(IndexEntry {
            path: json_path,
            title: entry.title,
            description: entry.description,
            parameters: entry
                .document
                .parameters()
                .iter()
                .map(|p| IndexParameter {
                    name: &p.name,
                    kind: p.kind.to_string(),
                    value: bindings
                        .iter()
                        .find(|(name, _)| p.name == *name)
                        .map(|(_, v)| *v),
                })
                .collect(),
            forms,
            source: entry.source,
        });
    }
    files.push(File {
        path: INDEX.to_owned(),
        contents: index_json(&index) + "\n",
    });
    Ok(files)
}

#[expect(
    clippy::expect_used,
    reason = "plain structs of strings serialize; an error would be a bug to see, not an index to \
              write out empty"
)]
fn index_json(index: &Index<'_>) -> String {
    serde_json::to_string_pretty(index).expect("the index serializes to JSON")
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
        if !is_plain_path(entry.path) {
            return Err(bad("must be relative, plain names separated by `/`"));
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

/// `/`-separated names, none empty, `.` or `..`, without `\\` or `:` (which Windows reads as
/// separators or drive letters).
fn is_plain_path(path: &str) -> bool {
    let plain = |name: &str| !matches!(name, "" | "." | "..") && !name.contains(['\\', ':']);
    path.split('/').all(plain)
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
    let forms = |policy: &'_ serde_json::Value| -> Vec<String> {
        let forms = policy.get("forms").and_then(|f| f.as_array());
        forms
            .into_iter()
            .flatten()
            .filter_map(|form| Some(form.get("path")?.as_str()?.to_owned()))
            .collect()
    };
    policies
        .into_iter()
        .flatten()
        .flat_map(|policy| {
            let json = policy
                .get("path")
                .and_then(|p| p.as_str())
                .map(str::to_owned);
            json.into_iter().chain(forms(policy))
        })
        // Only paths the export itself could have written.
        .filter(|path| is_plain_path(path) && path.ends_with(".json") && path != INDEX)
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

#[cfg(test)]
mod tests {
    use super::*;
    use iam_policy::policy;

    policy! {
        /// One placeholder.
        #[parameters("account-id": AccountId)]
        const LOGS = {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "logs:GetLogEvents",
                "Resource": "arn:aws:logs:us-east-1:{account-id}:log-group:app:*"
            }]
        };

        /// A template handed off to deployment tools.
        #[parameters("account-id": AccountId, "bucket": BucketName)]
        const HOME = {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::{bucket}/home/${aws:username}/*",
                "Condition": {"StringEquals": {"aws:ResourceAccount": "{account-id}"}}
            }]
        };

        /// None.
        const OBJECTS = {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::example-bucket/*"
            }]
        };
    }

    const SOURCE: Source<'static> = Source {
        url: "https://example.com",
        section: "tests",
    };

    const fn entry(path: &'static str, document: Document<'static>) -> Entry<'static> {
        Entry {
            path,
            title: "title",
            description: "description",
            source: SOURCE,
            document,
        }
    }

    const CATALOGUE: &[Entry<'static>] = &[
        entry("a/logs.json", Document::Sample(&LOGS)),
        entry("b/objects.json", Document::Policy(&OBJECTS)),
    ];

    /// A fresh folder under the system's temporary folder, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Result<Scratch, ExportError> {
            let dir = std::env::temp_dir()
                .join(format!("iam-policy-export-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
            Ok(Scratch(dir))
        }

        fn read(&self, path: &str) -> Option<String> {
            std::fs::read_to_string(target(&self.0, path)).ok()
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn render_is_deterministic_and_indexes_every_file() -> Result<(), ExportError> {
        let bindings = [("account-id", "111122223333")];
        let files = render(CATALOGUE, &bindings, "cargo test")?;
        assert_eq!(files, render(CATALOGUE, &bindings, "cargo test")?);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a/logs.json", "b/objects.json", "index.json"]);
        assert!(files.iter().all(|f| f.contents.ends_with("}\n")));
        let index: serde_json::Value = serde_json::from_str(&files[2].contents).unwrap();
        assert_eq!(
            index,
            serde_json::json!({
                "generated_by": "cargo test",
                "policies": [
                    {
                        "path": "a/logs.json", "title": "title", "description": "description",
                        "parameters": [{"name": "account-id", "kind": "AccountId", "value": "111122223333"}],
                        "source": {"url": "https://example.com", "section": "tests"}
                    },
                    {
                        "path": "b/objects.json", "title": "title", "description": "description",
                        "parameters": [],
                        "source": {"url": "https://example.com", "section": "tests"}
                    }
                ]
            })
        );
        Ok(())
    }

    #[test]
    fn a_template_is_handed_off_and_written_as_json_once_bound() -> Result<(), ExportError> {
        let catalogue = [entry("home.json", Document::Template(&HOME))];
        let files = render(&catalogue, &[], "cargo test")?;
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "home.cloudformation.json",
                "home.terraform/main.tf.json",
                "index.json"
            ]
        );
        let json = |i: usize| serde_json::from_str::<serde_json::Value>(&files[i].contents);
        let cloudformation = json(0).unwrap();
        assert_eq!(
            cloudformation["Parameters"],
            serde_json::json!({"Bucket": {"Type": "String", "Description": "`{bucket}` of the policy: BucketName"}})
        );
        let statement = &cloudformation["PolicyDocument"]["Statement"][0];
        assert_eq!(
            statement["Resource"],
            serde_json::json!({"Fn::Sub": "arn:aws:s3:::${Bucket}/home/${!aws:username}/*"})
        );
        assert_eq!(
            statement["Condition"]["StringEquals"]["aws:ResourceAccount"],
            serde_json::json!({"Fn::Sub": "${AWS::AccountId}"})
        );
        let terraform = json(1).unwrap();
        assert_eq!(
            terraform["variable"]["account_id"]["type"],
            serde_json::json!("string")
        );
        assert_eq!(
            terraform["locals"]["document"]["Statement"][0]["Resource"],
            serde_json::json!("arn:aws:s3:::${var.bucket}/home/$${aws:username}/*")
        );
        assert_eq!(
            terraform["output"]["json"]["value"],
            serde_json::json!("${jsonencode(local.document)}")
        );
        let index = json(2).unwrap();
        assert_eq!(index["policies"][0].get("path"), None);
        assert_eq!(
            index["policies"][0]["forms"][1]["path"],
            serde_json::json!("home.terraform/main.tf.json")
        );

        let bound = render(
            &catalogue,
            &[("account-id", "111122223333"), ("bucket", "example-home")],
            "cargo test",
        )?;
        let policy = bound
            .iter()
            .find(|f| f.path == "home.json")
            .expect("bound: JSON written");
        assert!(
            policy
                .contents
                .contains("arn:aws:s3:::example-home/home/${aws:username}/*"),
            "{}",
            policy.contents
        );
        let terraform = &bound[0];
        assert!(
            !terraform.contents.contains("var."),
            "{}",
            terraform.contents
        );
        Ok(())
    }

    #[test]
    fn a_placeholder_in_a_key_must_be_bound_before_the_hand_off() {
        policy! {
            #[parameters("tag-key": TagKey)]
            const TAGGED = {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": "ec2:StartInstances",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:ResourceTag/{tag-key}": "yes"}}
                }]
            };
        }
        let catalogue = [entry("tagged.json", Document::Template(&TAGGED))];
        let error = render(&catalogue, &[], "t").unwrap_err().to_string();
        assert!(error.contains("--set tag-key=VALUE"), "{error}");
        assert!(render(&catalogue, &[("tag-key", "team")], "t").is_ok());
    }

    #[test]
    fn bad_paths_are_refused() {
        for path in [
            "../x.json",
            "/x.json",
            "a/./x.json",
            "x.txt",
            "index.json",
            "a\\x.json",
            "",
        ] {
            let catalogue = [entry(path, Document::Policy(&OBJECTS))];
            assert!(
                matches!(
                    render(&catalogue, &[], "t"),
                    Err(ExportError::BadPath { .. })
                ),
                "{path}"
            );
        }
        let twice = [
            entry("x.json", Document::Policy(&OBJECTS)),
            entry("x.json", Document::Sample(&LOGS)),
        ];
        assert!(matches!(
            render(&twice, &[], "t"),
            Err(ExportError::BadPath { .. })
        ));
    }

    #[test]
    fn write_then_check_finds_nothing_and_removes_what_it_wrote_before() -> Result<(), ExportError>
    {
        let scratch = Scratch::new("write")?;
        let files = render(CATALOGUE, &[], "t")?;
        write(&scratch.0, &files)?;
        assert_eq!(check(&scratch.0, &files)?, []);
        std::fs::write(scratch.0.join("notes.txt"), "mine").map_err(io_error(&scratch.0))?;
        let fewer = render(&CATALOGUE[..1], &[], "t")?;
        write(&scratch.0, &fewer)?;
        assert_eq!(
            scratch.read("b/objects.json"),
            None,
            "a file the old index listed stays"
        );
        assert_eq!(scratch.read("notes.txt").as_deref(), Some("mine"));
        assert_eq!(
            check(&scratch.0, &fewer)?,
            [Difference::Extra("notes.txt".to_owned())]
        );
        Ok(())
    }

    #[test]
    fn a_failed_write_leaves_the_old_files_whole() -> Result<(), ExportError> {
        let scratch = Scratch::new("atomic")?;
        write(&scratch.0, &render(&CATALOGUE[..1], &[], "t")?)?;
        let old_logs = scratch.read("a/logs.json");
        let old_index = scratch.read("index.json");
        // `b` is a file, so `b/objects.json` cannot be written after `a/logs.json` was staged.
        std::fs::write(scratch.0.join("b"), "in the way").map_err(io_error(&scratch.0))?;
        let bound = render(CATALOGUE, &[("account-id", "111122223333")], "t")?;
        assert!(matches!(
            write(&scratch.0, &bound),
            Err(ExportError::Io { .. })
        ));
        assert_eq!(scratch.read("a/logs.json"), old_logs);
        assert_eq!(scratch.read("index.json"), old_index);
        let mut left = Vec::new();
        list_files(&scratch.0, "", &mut left)?;
        left.sort();
        assert_eq!(
            left,
            ["a/logs.json", "b", "index.json"],
            "temporary files were left"
        );
        Ok(())
    }

    #[test]
    fn args_parse() {
        let parse = |args: &[&str]| Args::parse(args.iter().map(|a| (*a).to_owned()));
        assert_eq!(
            parse(&[
                "--set",
                "key-name=arn:aws:kms:a=b",
                "--out=dist2",
                "--check",
                "--set=region=us-east-1"
            ]),
            Ok(Args {
                bindings: vec![
                    ("key-name".to_owned(), "arn:aws:kms:a=b".to_owned()),
                    ("region".to_owned(), "us-east-1".to_owned())
                ],
                out: Some(PathBuf::from("dist2")),
                check: true,
            })
        );
        for bad in [
            &["--set"][..],
            &["--set", "region"],
            &["--out"],
            &["--check=yes"],
            &["dist"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
