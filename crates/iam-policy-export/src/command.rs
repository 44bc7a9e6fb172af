//! The command line of an exporter: its arguments, what it prints and its exit codes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{Difference, Entry, ExportError, check, render, write};

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
