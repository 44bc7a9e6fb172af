//! Which files a lint run reads: the paths on the command line, with folders searched for
//! `*.json`, and `-` for standard input.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where one policy comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(path) => write!(f, "{}", path.display()),
            Source::Stdin => f.write_str("<stdin>"),
        }
    }
}

/// A path that could not be read; the run goes on with the others and exits with 2.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read `{}`: {}", self.path, self.message)
    }
}

/// The most bytes `iam-policy lint` reads from one source: 16 MiB, hundreds of times IAM's
/// largest policy quotas (tens of kilobytes, or three times as much URL-encoded in the output of
/// `aws iam get-policy-version`). A longer source is reported and not linted, without reading
/// more than this, whatever its kind (a device such as `/dev/zero` has no end).
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// The sources named by `paths`, in command-line order; each folder contributes its `*.json`
/// files, searched recursively and sorted by path. Hidden entries (names starting with `.`, such
/// as `.git` or `.terraform`) inside a folder are skipped, as are symbolic links to folders (no
/// loops); a hidden path named on the command line is still read. A folder yields regular files
/// only (a symbolic link is followed to one): any other `*.json` entry (a FIFO, a device, a
/// socket, a broken link) is reported and never opened, as reading it could block or not end. A
/// path named on the command line is read whatever it is (`<(...)` is a pipe), up to
/// [`MAX_SOURCE_BYTES`].
pub fn discover(paths: &[PathBuf]) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if sources.contains(&Source::Stdin) {
                errors.push(InputError {
                    path: "-".to_owned(),
                    message: "standard input can be read only once".to_owned(),
                });
            } else {
                sources.push(Source::Stdin);
            }
            continue;
        }
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                let mut found = Vec::new();
                walk(path, &mut found, &mut errors);
                if found.is_empty() {
                    errors.push(InputError {
                        path: path.display().to_string(),
                        message: "the folder holds no `*.json` file".to_owned(),
                    });
                }
                found.sort();
                sources.extend(found.into_iter().map(Source::File));
            }
            Ok(_) => sources.push(Source::File(path.clone())),
            Err(error) => errors.push(InputError {
                path: path.display().to_string(),
                message: error.to_string(),
            }),
        }
    }
    (sources, errors)
}

fn walk(folder: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(InputError {
                path: folder.display().to_string(),
                message: error.to_string(),
            });
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(InputError {
                    path: folder.display().to_string(),
                    message: error.to_string(),
                });
                continue;
            }
        };
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        // `file_type` does not follow symbolic links, so a linked folder is never entered.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk(&path, found, errors);
            continue;
        }
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        // What a symbolic link leads to; any other entry is what it is.
        let target = if file_type.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(metadata) if metadata.is_dir() => continue,
                Ok(metadata) => Ok(metadata.file_type()),
                Err(error) => Err(error),
            }
        } else {
            Ok(file_type)
        };
        match target {
            Ok(target) if target.is_file() => found.push(path),
            Ok(target) => errors.push(InputError {
                path: path.display().to_string(),
                message: format!(
                    "{} is not a regular file: not read, as reading it could block or never end",
                    kind_of(target, file_type.is_symlink())
                ),
            }),
            Err(error) => errors.push(InputError {
                path: path.display().to_string(),
                message: format!("broken symbolic link: {error}"),
            }),
        }
    }
}

/// What a folder entry that is no regular file is, for the message.
fn kind_of(file_type: std::fs::FileType, linked: bool) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = if file_type.is_fifo() {
            Some(("a FIFO", "a link to a FIFO"))
        } else if file_type.is_socket() {
            Some(("a socket", "a link to a socket"))
        } else if file_type.is_char_device() || file_type.is_block_device() {
            Some(("a device", "a link to a device"))
        } else {
            None
        };
        if let Some((entry, link)) = kind {
            return if linked { link } else { entry };
        }
    }
    let _ = file_type;
    if linked {
        "the entry links to something that"
    } else {
        "the entry"
    }
}

/// The bytes of one source, at most [`MAX_SOURCE_BYTES`]: a longer source is an error, found
/// by reading one byte past the limit (a file's stated length may not be its length, and a
/// device or pipe has none).
pub fn read(source: &Source) -> Result<Vec<u8>, InputError> {
    open(source)?.read()
}

/// A source opened and not read yet.
pub struct Opened {
    path: String,
    reader: OpenedReader,
    /// The length a file states, which it may not have by the time it is read; `None` for
    /// standard input.
    pub stated: Option<u64>,
}

enum OpenedReader {
    File(std::fs::File),
    Stdin,
}

/// Opens a source, to learn its stated length before reading it ([`Opened::read`]).
pub fn open(source: &Source) -> Result<Opened, InputError> {
    match source {
        Source::File(path) => {
            let name = path.display().to_string();
            match std::fs::File::open(path) {
                Ok(file) => {
                    // The stated length, as `std::fs::read` takes it, spares growing the buffer
                    // (and copying what it holds) as a file of megabytes is read.
                    let stated = file.metadata().map_or(0, |metadata| metadata.len());
                    Ok(Opened {
                        path: name,
                        reader: OpenedReader::File(file),
                        stated: Some(stated),
                    })
                }
                Err(error) => Err(InputError {
                    path: name,
                    message: error.to_string(),
                }),
            }
        }
        Source::Stdin => Ok(Opened {
            path: "-".to_owned(),
            reader: OpenedReader::Stdin,
            stated: None,
        }),
    }
}

impl Opened {
    /// Its bytes, at most [`MAX_SOURCE_BYTES`] (see [`read`]).
    pub fn read(self) -> Result<Vec<u8>, InputError> {
        let Opened {
            path,
            reader,
            stated,
        } = self;
        let read = match reader {
            OpenedReader::File(file) => {
                read_capped(file, MAX_SOURCE_BYTES, stated.unwrap_or_default())
            }
            OpenedReader::Stdin => read_capped(std::io::stdin().lock(), MAX_SOURCE_BYTES, 0),
        };
        match read {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(InputError {
                path,
                message: format!(
                    "larger than {} MiB, the most `iam-policy` reads from one file (IAM's largest policies are tens of kilobytes): not read",
                    MAX_SOURCE_BYTES / (1024 * 1024)
                ),
            }),
            Err(error) => Err(InputError {
                path,
                message: error.to_string(),
            }),
        }
    }
}

/// All of `reader` if it holds at most `cap` bytes, `None` if it holds more; room for
/// `expected` bytes (up to the cap) is made first.
fn read_capped(reader: impl Read, cap: u64, expected: u64) -> std::io::Result<Option<Vec<u8>>> {
    // One byte more, for the read that finds the end.
    let room = expected.min(cap).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_their_json_files_sorted_and_skip_hidden_entries() -> std::io::Result<()> {
        let root =
            std::env::temp_dir().join(format!("iam-policy-lint-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("b/nested"))?;
        std::fs::create_dir_all(root.join(".hidden"))?;
        for file in [
            "z.json",
            "a.json",
            "b/nested/c.json",
            "b/notes.txt",
            ".hidden/x.json",
        ] {
            std::fs::write(root.join(file), "{}")?;
        }
        let (sources, errors) = discover(std::slice::from_ref(&root));
        let names: Vec<String> = sources
            .iter()
            .map(|source| match source {
                Source::File(path) => path
                    .strip_prefix(&root)
                    .map(|path| path.display().to_string())
                    .unwrap_or_default(),
                Source::Stdin => "-".to_owned(),
            })
            .collect();
        std::fs::remove_dir_all(&root)?;
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(names, ["a.json", "b/nested/c.json", "z.json"]);
        Ok(())
    }

    #[test]
    fn missing_paths_and_repeated_stdin_are_errors_that_do_not_stop_the_run() {
        let paths = [
            PathBuf::from("-"),
            PathBuf::from("/nonexistent/policy.json"),
            PathBuf::from("-"),
        ];
        let (sources, errors) = discover(&paths);
        assert_eq!(sources, [Source::Stdin]);
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0]
                .to_string()
                .starts_with("cannot read `/nonexistent/policy.json`")
        );
    }
}
