//! The line starts of a file, for the line and column of many offsets in any order without a
//! scan from the start for each: a file of many scenarios asks for one per deciding statement,
//! and `check` and `lint` for one per finding.

/// A line of a text: its 1-based number and the offset of its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub start: usize,
}

impl Line {
    /// A text's first line.
    pub const FIRST: Line = Line {
        number: 1,
        start: 0,
    };
}

/// The byte offset of each line's first byte in a text, from a given line to an offset, kept
/// apart from the text: a thread that reads part of a file indexes that part only, from the
/// line where it starts (which the part before tells), as it goes.
#[derive(Debug)]
pub struct LineStarts {
    /// The number of the line that starts at `starts[0]`.
    first: usize,
    starts: Vec<usize>,
    /// The starts are indexed up to this offset, included.
    to: usize,
}

impl LineStarts {
    /// The line starts of the whole of `text`.
    pub fn of(text: &str) -> Self {
        let mut starts = LineStarts::from(Line::FIRST);
        starts.extend(text, text.len());
        starts
    }

    /// The line starts of a text from `line`, indexed no further yet.
    pub fn from(line: Line) -> Self {
        LineStarts {
            first: line.number,
            starts: vec![line.start],
            to: line.start,
        }
    }

    /// Indexes the line starts of `text` up to offset `end`, included: look-ups of offsets
    /// past it would miss the lines after.
    pub fn extend(&mut self, text: &str, end: usize) {
        let (from, end) = (self.to, end.min(text.len()));
        let Some(bytes) = text.as_bytes().get(from..end) else {
            return;
        };
        // memchr finds the line breaks many bytes at a time (SIMD where the machine has it):
        // a loop of our own over words took four times its instructions.
        let breaks = memchr::memchr_iter(b'\n', bytes).map(|at| from + at + 1);
        self.starts.extend(breaks);
        self.to = end;
    }

    /// The line that the offset indexed last is on.
    pub fn last(&self) -> Line {
        Line {
            number: self.first + self.starts.len().saturating_sub(1),
            start: self.starts.last().copied().unwrap_or_default(),
        }
    }
}

/// The line starts of a text; its look-ups give what [`iam_policy_core::parse::line_col`]
/// gives, for the offsets indexed.
#[derive(Clone, Copy, Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    first: usize,
    starts: &'t [usize],
}

impl<'t> LineIndex<'t> {
    /// `text` with line starts of that text.
    pub fn new(text: &'t str, starts: &'t LineStarts) -> Self {
        LineIndex {
            text,
            first: starts.first,
            starts: &starts.starts,
        }
    }

    /// The 1-based line and column (in characters) of `offset`, as
    /// [`iam_policy_core::parse::line_col`] gives them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (starts, end) = self.starts_before(offset);
        let Some(start) = starts.checked_sub(1).and_then(|at| self.starts.get(at)) else {
            // Before the first line indexed: never asked, but found the long way.
            return iam_policy_core::parse::line_col(self.text, offset);
        };
        let column = (self.text.get(*start..end))
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        (self.first + starts - 1, column)
    }

    /// The line of [`LineIndex::line_col`], without counting the characters before `offset`
    /// on it for the column (the lines of a scenario file run long).
    pub fn line(&self, offset: usize) -> usize {
        match self.starts_before(offset).0 {
            0 => iam_policy_core::parse::line_col(self.text, offset).0,
            starts => self.first + starts - 1,
        }
    }

    /// The number of line starts indexed at or before `offset`, and the character boundary
    /// at or before `offset`.
    fn starts_before(&self, offset: usize) -> (usize, usize) {
        let end = self.text.floor_char_boundary(offset.min(self.text.len()));
        (self.starts.partition_point(|&start| start <= end), end)
    }
}

#[cfg(test)]
mod tests {
    use iam_policy_core::parse::line_col;

    use super::{Line, LineIndex, LineStarts};

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

    #[test]
    fn an_index_made_in_parts_agrees_with_line_col() {
        // Each part indexed from the line where the one before left off, as the threads that
        // read a scenario file do, cut anywhere (in a `\r\n`, in a character of two bytes).
        let text = format!("\n{}", "{\n  \"é\": [1,\r\n 2]\n}".repeat(9));
        for length in [1, 2, 3, 7, 16, 100] {
            let (mut line, mut from) = (Line::FIRST, 0);
            while from < text.len() {
                let to = (from + length).min(text.len());
                let mut starts = LineStarts::from(line);
                starts.extend(&text, to);
                let index = LineIndex::new(&text, &starts);
                for offset in from..=to {
                    assert_eq!(index.line_col(offset), line_col(&text, offset), "{offset}");
                    assert_eq!(index.line(offset), index.line_col(offset).0, "{offset}");
                }
                (line, from) = (starts.last(), to);
            }
        }
    }
}
