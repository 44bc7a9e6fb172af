//! The line starts of a file, for the line and column of many offsets in any order without a
//! scan from the start for each: a file of many scenarios asks for one per deciding statement,
//! and `check` and `lint` for one per finding.

/// The byte offset of each line's first byte in a text, kept apart from the text so that the
/// threads that read parts of a file index it once between them.
#[derive(Debug)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn of(text: &str) -> Self {
        // memchr finds the line breaks many bytes at a time (SIMD where the machine has it):
        // a scenario file is indexed whole, and a loop of our own over words took four times
        // its instructions.
        let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
        LineStarts(std::iter::once(0).chain(breaks).collect())
    }
}

/// The line starts of a text; its look-ups give what [`iam_policy_core::parse::line_col`]
/// gives.
#[derive(Clone, Copy, Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    starts: &'t [usize],
}

impl<'t> LineIndex<'t> {
    /// `text` with its line starts, which are [`LineStarts::of`] that text.
    pub fn new(text: &'t str, starts: &'t LineStarts) -> Self {
        LineIndex {
            text,
            starts: &starts.0,
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The 1-based line and column (in characters) of `offset`, as
    /// [`iam_policy_core::parse::line_col`] gives them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, end) = self.line_and_end(offset);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self
            .text
            .get(start..end)
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        (line.max(1), column)
    }

    /// The line of [`LineIndex::line_col`], without counting the characters before `offset`
    /// on it for the column (the lines of a scenario file run long).
    pub fn line(&self, offset: usize) -> usize {
        self.line_and_end(offset).0.max(1)
    }

    /// The number of line starts at or before `offset` (its line, once past the first start,
    /// which is 0), and the character boundary at or before `offset`.
    fn line_and_end(&self, offset: usize) -> (usize, usize) {
        let end = self.text.floor_char_boundary(offset.min(self.text.len()));
        (self.starts.partition_point(|&start| start <= end), end)
    }
}

#[cfg(test)]
mod tests {
    use iam_policy_core::parse::line_col;

    use super::{LineIndex, LineStarts};

    #[test]
    fn the_line_index_agrees_with_line_col() {
        // Line breaks at every place of a SIMD block and past it, `\r\n`, characters of
        // several bytes, and texts that start or end with a break.
        let piece = "{\n  \"é\": [1,\r\n 2]\n}";
        for text in [
            piece.repeat(9),
            format!("\n{}\n", piece.repeat(5)),
            String::new(),
            "\n".repeat(70),
        ] {
            let starts = LineStarts::of(&text);
            let index = LineIndex::new(&text, &starts);
            for offset in 0..=text.len() + 2 {
                assert_eq!(index.line_col(offset), line_col(&text, offset), "{offset}");
                assert_eq!(index.line(offset), index.line_col(offset).0, "{offset}");
            }
        }
    }
}
