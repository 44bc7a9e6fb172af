//! `--format json`: JSON Lines, one object per finding (schema in `docs/lint.md`).

use std::io::{self, Write};

use serde::Serialize;

use super::LintedSource;

/// One finding as a line of output. Field names and meanings are a stable interface.
#[derive(Debug, Serialize)]
struct Record<'a> {
    file: &'a str,
    /// The kind the policy was held to, as `--kind` names it; `null` when it could not be read.
    kind: Option<&'static str>,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// Writes every finding of `file`, one JSON object a line.
pub fn write_file(out: &mut impl Write, file: &LintedSource<'_>) -> io::Result<()> {
    for diagnostic in &file.linted.diagnostics {
        let finding = &diagnostic.finding;
        let record = Record {
            file: &file.name,
            kind: file.linted.kind.map(super::kind_name),
            severity: finding.severity.as_str(),
            code: finding.code.as_str(),
            message: &finding.message,
            help: finding.help.as_deref(),
            path: &finding.path,
            line: diagnostic.start.line,
            column: diagnostic.start.column,
            end_line: diagnostic.end.line,
            end_column: diagnostic.end.column,
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
