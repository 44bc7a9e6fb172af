//! `iam-policy lint`: the rules of `policy!` run on existing JSON policy files.

pub mod document;
pub(crate) mod input;
mod jsonl;
mod sarif;
pub(crate) mod text;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Args, ValueEnum};
use iam_policy_core::{Options, PolicyKind, Severity};

use document::LintedFile;

/// Lint IAM policy documents: files, folders (searched for `*.json`) or `-` for standard input.
///
/// A file holds a bare policy document or the output of `aws iam get-policy-version`.
/// Exit status: 0 when no finding reaches the failing severity (error, or the one set by
/// `--deny`), 1 when one does, 2 on a usage error or an input that cannot be read.
#[derive(Args, Debug)]
pub struct LintArgs {
    /// Policy files or folders; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The kind of policy, which selects the rules and the size quota; without it each
    /// document's kind is inferred from its statements, as `policy!` does.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also fail (exit 1) on findings of this severity and the ones above it.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Kind {
    /// Attached to a user, group or role (a managed policy).
    Identity,
    /// Embedded in a role, user or group (an inline policy).
    Inline,
    /// Attached to a resource (bucket, key, queue, ...).
    Resource,
    /// A role's trust policy.
    Trust,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
}

/// The `--kind` value of a kind, as the output names it.
pub(crate) fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity",
        PolicyKind::Inline => "inline",
        PolicyKind::Resource => "resource",
        PolicyKind::RoleTrust => "trust",
        PolicyKind::Scp => "scp",
        PolicyKind::Rcp => "rcp",
    }
}

impl From<Kind> for PolicyKind {
    fn from(kind: Kind) -> PolicyKind {
        match kind {
            Kind::Identity => PolicyKind::Identity,
            Kind::Inline => PolicyKind::Inline,
            Kind::Resource => PolicyKind::Resource,
            Kind::Trust => PolicyKind::RoleTrust,
            Kind::Scp => PolicyKind::Scp,
            Kind::Rcp => PolicyKind::Rcp,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// rustc-style diagnostics with the source line and a caret.
    Text,
    /// JSON Lines: one object per finding.
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
}

/// The lowest severity that fails the run, besides errors.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Deny {
    /// Security warnings.
    #[value(
        alias = "security_warnings",
        alias = "security-warning",
        alias = "security_warning"
    )]
    SecurityWarnings,
    /// Security warnings and warnings.
    #[value(alias = "warning")]
    Warnings,
    /// Every finding, suggestions included.
    #[value(alias = "suggestion")]
    Suggestions,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

/// One source and what linting it found.
#[derive(Debug)]
pub(crate) struct LintedSource<'b> {
    /// The name findings are reported under: the path as given or found, `<stdin>`.
    name: String,
    /// Borrows the text from the bytes read, which outlive it.
    linted: LintedFile<'b>,
}

/// Runs `iam-policy lint`.
pub fn run(args: &LintArgs) -> ExitCode {
    let (sources, mut errors) = input::discover(&args.paths);
    let options = Options {
        kind: args.kind.map(PolicyKind::from),
        ..Options::default()
    };
    let mut read = Vec::with_capacity(sources.len());
    for source in &sources {
        match input::read(source) {
            Ok(bytes) => read.push((source, bytes)),
            Err(error) => errors.push(error),
        }
    }
    let files = lint_all(&read, &options);

    // Findings per severity, indexed in `Severity`'s order: error first, suggestion last.
    let mut counts = [0usize; 4];
    for diagnostic in files.iter().flat_map(|file| &file.linted.diagnostics) {
        counts[diagnostic.finding.severity as usize] += 1;
    }
    let threshold = match args.deny {
        None => Severity::Error,
        Some(Deny::SecurityWarnings) => Severity::SecurityWarning,
        Some(Deny::Warnings) => Severity::Warning,
        Some(Deny::Suggestions) => Severity::Suggestion,
    };
    let failing: usize = counts[..=threshold as usize].iter().sum();

    let written = write(args, &files, &errors, &counts);
    for error in &errors {
        eprintln!("error: {error}");
    }
    if let Err(error) = written {
        // A closed pipe (`iam-policy lint ... | head`) is the reader's choice, not a failure.
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the findings: {error}");
            return ExitCode::from(2);
        }
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if failing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Lints the files on every core: each worker takes the next file not yet taken, so a few large
/// files do not leave the others idle. Findings come back in the order the files were given.
fn lint_all<'b>(read: &'b [(&input::Source, Vec<u8>)], options: &Options) -> Vec<LintedSource<'b>> {
    let lint = |(source, bytes): &'b (&input::Source, Vec<u8>)| LintedSource {
        name: source.to_string(),
        linted: document::lint_bytes(bytes, options),
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(read.len());
    if workers <= 1 {
        return read.iter().map(lint).collect();
    }
    let next = AtomicUsize::new(0);
    let mut linted: Vec<(usize, LintedSource<'b>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = read.get(index) else {
                            return done;
                        };
                        done.push((index, lint(file)));
                    }
                })
            })
            .collect();
        // A worker that panicked loses its files' findings: propagate the panic rather than
        // report an incomplete run as clean.
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    linted.sort_unstable_by_key(|(index, _)| *index);
    linted.into_iter().map(|(_, file)| file).collect()
}

/// The diagnostics renderer: styled when `color` asks for it, or on a terminal without
/// `NO_COLOR` set.
pub(crate) fn renderer(color: Color) -> annotate_snippets::Renderer {
    let styled = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    if styled {
        annotate_snippets::Renderer::styled()
    } else {
        annotate_snippets::Renderer::plain()
    }
}

fn write(
    args: &LintArgs,
    files: &[LintedSource<'_>],
    errors: &[input::InputError],
    counts: &[usize; 4],
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let summary = text::summary(files.len(), counts);
    match args.format {
        Format::Text => {
            let renderer = renderer(args.color);
            for file in files {
                text::write_file(&mut out, &renderer, file)?;
            }
            writeln!(out, "{summary}")?;
        }
        Format::Json => {
            for file in files {
                jsonl::write_file(&mut out, file)?;
            }
            eprintln!("{summary}");
        }
        Format::Sarif => {
            sarif::write(&mut out, files, errors)?;
            eprintln!("{summary}");
        }
    }
    out.flush()
}
