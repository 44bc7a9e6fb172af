//! `--format text`: rustc-style diagnostics with the source line and a caret, drawn by
//! `annotate-snippets` (the renderer rustc itself uses), so they look like every other Rust
//! tool's output and handle wide characters, tabs and multi-line spans correctly.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet, Title};
use iam_policy_core::{Severity, Span};

use super::LintedSource;
use super::document::{Diagnostic, Position};

/// Writes every diagnostic of `file`, after a note of the kind the policy was held to when
/// there are some.
pub fn write_file(
    out: &mut impl Write,
    renderer: &Renderer,
    file: &LintedSource<'_>,
) -> io::Result<()> {
    if let (Some(kind), false) = (file.linted.kind, file.linted.diagnostics.is_empty()) {
        let note = format!(
            "`{}` linted as {} (`--kind {}`)",
            file.name,
            kind.description(),
            super::kind_name(kind)
        );
        let rendered = renderer.render(&[Group::with_title(Level::NOTE.primary_title(note))]);
        writeln!(out, "{rendered}\n")?;
    }
    for diagnostic in &file.linted.diagnostics {
        let rendered = renderer.render(&[group(&file.name, &file.linted.text, diagnostic)]);
        writeln!(out, "{rendered}\n")?;
    }
    Ok(())
}

/// The levels of the messages printed with no snippet under them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TitleLevel {
    Note,
    Warning,
    Error,
}

impl TitleLevel {
    fn level(self) -> Level<'static> {
        match self {
            TitleLevel::Note => Level::NOTE,
            TitleLevel::Warning => Level::WARNING,
            TitleLevel::Error => Level::ERROR,
        }
    }
}

/// How a renderer prints a message with no snippet under it: the text before and after the
/// title, as the renderer itself printed a stand-in title once per level. `simulate` prints
/// such a line for every scenario, and the renderer styles it character by character, which
/// took a sixth of a text run of 360 scenarios.
#[derive(Debug)]
pub(crate) struct Titles {
    /// By [`TitleLevel`]; `None` when the stand-in did not come out whole (then the renderer
    /// prints every title).
    around: [Option<(String, String)>; 3],
}

/// The stand-in title: a character the renderer prints as it is, one column wide.
const STAND_IN: char = '\u{E000}';

impl Titles {
    pub(crate) fn new(renderer: &Renderer) -> Self {
        let around = |level: TitleLevel| {
            let stand_in = STAND_IN.to_string();
            let title = level.level().primary_title(stand_in.as_str());
            let rendered = renderer.render(&[Group::with_title(title)]);
            let (before, after) = rendered.split_once(STAND_IN)?;
            Some((before.to_owned(), after.to_owned()))
        };
        Titles {
            around: [TitleLevel::Note, TitleLevel::Warning, TitleLevel::Error].map(around),
        }
    }

    /// Writes `title` at `level` as `renderer` prints it, and a new line.
    pub(crate) fn write(
        &self,
        out: &mut impl Write,
        renderer: &Renderer,
        level: TitleLevel,
        title: &str,
    ) -> io::Result<()> {
        match &self.around[level as usize] {
            Some((before, after)) if verbatim(title) => {
                out.write_all(before.as_bytes())?;
                out.write_all(title.as_bytes())?;
                out.write_all(after.as_bytes())?;
                out.write_all(b"\n")
            }
            _ => {
                let title = Group::with_title(level.level().primary_title(title));
                writeln!(out, "{}", renderer.render(&[title]))
            }
        }
    }
}

/// Whether the renderer prints `title` as it is: it breaks lines at `\n`, and replaces the
/// other control characters and the bidirectional overrides with visible ones.
fn verbatim(title: &str) -> bool {
    !title
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// One diagnostic as a report group: the title, the lines of its span and the help.
pub(crate) fn group<'a>(name: &'a str, text: &'a str, diagnostic: &'a Diagnostic) -> Group<'a> {
    let finding = &diagnostic.finding;
    let label = (!finding.path.is_empty()).then_some(finding.path.as_str());
    let title = level(finding.severity)
        .primary_title(finding.message.as_str())
        .id(finding.code.as_str());
    let mut group = marked(title, name, text, finding.span, diagnostic.start, label);
    if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    group
}

/// `title` over the lines of file `name` that hold `span` (which starts at `start`), with the
/// span marked and labelled.
pub(crate) fn marked<'a>(
    title: Title<'a>,
    name: &'a str,
    text: &'a str,
    span: Span,
    start: Position,
    label: Option<&'a str>,
) -> Group<'a> {
    // Only the lines the span covers are handed to the renderer, so rendering stays
    // proportional to the span, not to the file.
    let (excerpt_start, excerpt, starts_line) =
        excerpt(text, span.start as usize, span.end as usize);
    let local = |offset: u32| {
        (offset as usize)
            .saturating_sub(excerpt_start)
            .min(excerpt.len())
    };
    let from = local(span.start);
    let to = local(span.end).max(from);
    let mut annotation = AnnotationKind::Primary.span(from..to);
    if let Some(label) = label {
        annotation = annotation.label(label);
    }
    let snippet = Snippet::source(excerpt)
        .line_start(start.line)
        .annotation(annotation);
    if starts_line {
        title.element(snippet.path(name))
    } else {
        // The excerpt starts inside its line, so the renderer would count columns from there:
        // the place is given as worked out in the whole file.
        let origin = Origin::path(name)
            .line(start.line)
            .char_column(start.column);
        title.element(origin).element(snippet)
    }
}

pub(crate) fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::SecurityWarning => Level::WARNING.with_name("security warning"),
        Severity::Warning => Level::WARNING,
        Severity::Suggestion => Level::HELP.with_name("suggestion"),
    }
}

/// The most bytes of source a diagnostic shows around its span. Lines are rarely longer, but a
/// minified policy is one line, and showing all of it for each of its findings would make the
/// output grow with the square of the file.
const EXCERPT_LIMIT: usize = 512;

/// The whole lines that hold `start..end`: the offset of the first one and their text. When a
/// line reaches further than [`EXCERPT_LIMIT`] from the span, a window of that line around the
/// span's start instead (the renderer cuts it to the terminal's width in any case); the flag
/// says whether the excerpt starts a line.
fn excerpt(text: &str, start: usize, end: usize) -> (usize, &str, bool) {
    let start = floor_char_boundary(text, start.min(text.len()));
    let end = floor_char_boundary(text, end.clamp(start, text.len()));
    // Line breaks are looked for near the span only.
    let back = floor_char_boundary(text, start.saturating_sub(EXCERPT_LIMIT));
    let line_start = match text[back..start].rfind('\n') {
        Some(newline) => Some(back + newline + 1),
        None => (back == 0).then_some(0),
    };
    let ahead = floor_char_boundary(text, end.saturating_add(EXCERPT_LIMIT).min(text.len()));
    let line_end = match text[end..ahead].find('\n') {
        Some(newline) => Some(end + newline),
        None => (ahead == text.len()).then_some(ahead),
    };
    if let (Some(line_start), Some(line_end)) = (line_start, line_end) {
        // A CRLF file's carriage return is no part of the line (the renderer would draw it).
        let line_end = if end < line_end && text[..line_end].ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        return (line_start, &text[line_start..line_end], true);
    }
    let window_start = floor_char_boundary(text, start.saturating_sub(EXCERPT_LIMIT / 4))
        .max(line_start.unwrap_or(0));
    let window_end = floor_char_boundary(text, (window_start + EXCERPT_LIMIT).min(text.len()));
    // The window keeps to the span's first line.
    let window_end = text[start..window_end]
        .find(['\r', '\n'])
        .map_or(window_end, |newline| start + newline);
    (
        window_start,
        &text[window_start..window_end],
        line_start == Some(window_start),
    )
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closing line: how many files and findings of each severity.
pub fn summary(files: usize, counts: &[usize; 4]) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "linted {}: {}, {}, {}, {}",
        plural(files, "file", "files"),
        plural(counts[0], "error", "errors"),
        plural(counts[1], "security warning", "security warnings"),
        plural(counts[2], "warning", "warnings"),
        plural(counts[3], "suggestion", "suggestions"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_written_as_the_renderer_writes_them() {
        let titles = [
            "scenario 0 `ci` of scenarios.json: allowed, as expected",
            "",
            "wide 漢字 🎉 and e\u{301} combined",
            "two\nlines",
            "a\ttab",
            "bidi \u{202E}override\u{202C} and \u{2066}isolate\u{2069}",
            "controls \u{7}\u{7F}\u{85}",
            "the stand-in \u{E000} itself",
        ];
        for renderer in [Renderer::plain(), Renderer::styled()] {
            let written = Titles::new(&renderer);
            assert!(written.around.iter().all(Option::is_some));
            for level in [TitleLevel::Note, TitleLevel::Warning, TitleLevel::Error] {
                for title in titles {
                    let mut out = Vec::new();
                    let result = written.write(&mut out, &renderer, level, title);
                    assert!(result.is_ok());
                    let group = Group::with_title(level.level().primary_title(title));
                    let expected = format!("{}\n", renderer.render(&[group]));
                    assert_eq!(String::from_utf8_lossy(&out), expected, "{title:?}");
                }
            }
        }
    }

    #[test]
    fn excerpts_are_whole_lines() {
        let text = "{\n  \"Action\": \"ssm:Nope\"\n}\n";
        let start = text.find("\"ssm").unwrap_or_default();
        assert_eq!(
            excerpt(text, start, start + 10),
            (2, "  \"Action\": \"ssm:Nope\"", true)
        );
        assert_eq!(
            excerpt(text, text.len(), text.len()),
            (text.len(), "", true)
        );
        let crlf = "{\r\n  \"Effect\": 1\r\n}";
        assert_eq!(excerpt(crlf, 13, 14), (3, "  \"Effect\": 1", true));
    }

    #[test]
    fn long_lines_give_a_window_around_the_span() {
        // A minified policy: one line of a megabyte, a finding in its middle.
        let line = format!("[{}\"x\"{}]", "1,".repeat(500_000), ",1".repeat(500_000));
        let start = line.find('"').unwrap_or_default();
        let (at, shown, starts_line) = excerpt(&line, start, start + 3);
        assert!(!starts_line);
        assert!(
            shown.len() <= EXCERPT_LIMIT && shown.contains("\"x\""),
            "{shown}"
        );
        assert_eq!(&line[at..at + shown.len()], shown);
        // Near the start of the file, the window starts the line.
        let (at, _, starts_line) = excerpt(&line, 3, 4);
        assert_eq!((at, starts_line), (0, true));
    }
}
