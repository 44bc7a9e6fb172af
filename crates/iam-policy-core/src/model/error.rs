//! The error of reading a policy at run time: every error-severity finding, located.

use std::fmt;

use crate::Finding;

/// Why a JSON text is not a valid policy: the syntax error, or every error the rules found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    findings: Vec<LocatedFinding>,
}

/// A finding with the 1-based line and column of the literal that caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedFinding {
    pub finding: Finding,
    pub line: usize,
    pub column: usize,
}

impl Error {
    /// Locates each finding's span (byte offsets) in `text`.
    pub(crate) fn new(text: &str, findings: Vec<Finding>) -> Error {
        let findings = findings
            .into_iter()
            .map(|finding| {
                let (line, column) = crate::parse::line_col(text, finding.span.start as usize);
                LocatedFinding {
                    finding,
                    line,
                    column,
                }
            })
            .collect();
        Error { findings }
    }

    /// Every finding, in source order; never empty.
    pub fn findings(&self) -> &[LocatedFinding] {
        &self.findings
    }
}

impl fmt::Display for LocatedFinding {
    /// `3:15: unknown action `ssm:StartSesion` [INVALID_ACTION]; did you mean `ssm:StartSession`?`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = &self.finding;
        write!(
            f,
            "{}:{}: {} [{}]",
            self.line,
            self.column,
            finding.message,
            finding.code.as_str()
        )?;
        if let Some(help) = &finding.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    /// Every finding, one a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, finding) in self.findings.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{finding}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
