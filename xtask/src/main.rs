//! Project automation, run as `cargo xtask <command>` (see <https://github.com/matklad/cargo-xtask>).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[cfg(feature = "policies")]
mod aa_compare;
#[cfg(feature = "policies")]
mod export;
mod reference;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  reference import [--check] PATH...   regenerate the AWS reference tables from iam-data snapshots
  export [--set NAME=VALUE]... [--out DIR] [--check]
                                       write every sample policy to dist/ (or check it is fresh)
  aa-compare CORPUS [--only DIR]       compare the rules' findings with Access Analyzer's on a
                                       corpus (e.g. ../shared/corpus/aws-managed)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match (args.split_first(), project_root()) {
        (Some((command, _)), _) if command == "-h" || command == "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        #[cfg(feature = "policies")]
        (Some((command, rest)), Ok(root)) if command == "export" => {
            return export::run(&root, rest.iter().cloned());
        }
        (Some((command, rest)), Ok(root)) if command == "reference" => reference::run(rest, &root),
        #[cfg(feature = "policies")]
        (Some((command, rest)), Ok(root)) if command == "aa-compare" => {
            aa_compare::run(rest, &root)
        }
        #[cfg(not(feature = "policies"))]
        (Some((command, _)), Ok(_)) if command == "export" || command == "aa-compare" => {
            Err(format!(
                "`{command}` compiles the policies, and this xtask was built without its `policies` feature: run `cargo xtask {command}`"
            ))
        }
        (Some((command, _)), Ok(_)) => Err(format!("unknown command `{command}`\n{USAGE}")),
        (Some(_), Err(error)) => Err(error),
        (None, _) => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root of the clone being worked on, found at run time: the binary may have been
/// built in a target folder shared with other clones, so the path compiled into it proves
/// nothing. `cargo xtask` (an alias of `cargo run`) sets `CARGO_MANIFEST_DIR` to this clone's
/// `xtask/`; run by hand, the search starts at the current folder.
fn project_root() -> Result<PathBuf, String> {
    let start = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(manifest_dir) => PathBuf::from(manifest_dir),
        None => std::env::current_dir()
            .map_err(|error| format!("cannot read the current folder: {error}"))?,
    };
    workspace_root(&start)
}

/// The nearest folder at or above `start` that holds `xtask/Cargo.toml`.
fn workspace_root(start: &Path) -> Result<PathBuf, String> {
    start
        .ancestors()
        .find(|folder| folder.join("xtask/Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "`{}` is not inside the iam-policy workspace (no folder above it holds `xtask/Cargo.toml`); run `cargo xtask` in the clone",
                start.display()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::workspace_root;

    #[test]
    fn the_root_is_the_nearest_folder_holding_xtask() -> Result<(), String> {
        let scratch = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let clone = scratch.join("clone");
        let nested = clone.join("crates/iam-policy/src");
        std::fs::create_dir_all(clone.join("xtask")).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&nested).map_err(|e| e.to_string())?;
        std::fs::write(clone.join("xtask/Cargo.toml"), "").map_err(|e| e.to_string())?;
        let found = [
            workspace_root(&clone.join("xtask")),
            workspace_root(&nested),
            workspace_root(&clone),
        ];
        let outside = workspace_root(&scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        for root in found {
            assert_eq!(root?, clone);
        }
        let error = outside
            .err()
            .ok_or("a folder outside any clone has a root")?;
        assert!(error.contains("xtask/Cargo.toml"), "{error}");
        Ok(())
    }
}
