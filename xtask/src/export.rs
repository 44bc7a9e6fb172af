//! `cargo xtask export [--set NAME=VALUE]... [--out DIR] [--check]`: writes every sample policy
//! of `iam-policy-samples` to `dist/` (see `iam_policy_export`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The command `index.json` names as its generator.
const COMMAND: &str = "cargo xtask export";

/// `dist/` at the workspace root.
fn dist(root: &Path) -> PathBuf {
    root.join("dist")
}

/// Runs the export with the arguments after `export`, into the `dist/` of the workspace `root`.
pub fn run(root: &Path, args: impl IntoIterator<Item = String>) -> ExitCode {
    iam_policy_export::main(iam_policy_samples::SAMPLES, dist(root), COMMAND, args)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use iam_policy_export::{self as export, Args, Outcome};
    use iam_policy_samples::SAMPLES;

    use super::{COMMAND, dist};

    const BINDINGS: &[&str] = &[
        "--set",
        "region=us-east-1",
        "--set",
        "account-id=123456789012",
        "--set",
        "instance-id=i-0123456789abcdef0",
        "--set",
        "key-name=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "--set",
        "tag-key=Finance",
        "--set",
        "tag-value=WebServers",
    ];

    fn args(args: &[&str]) -> Result<Args, String> {
        Args::parse(args.iter().map(|arg| (*arg).to_owned()))
    }

    /// A fresh folder under the system's temporary folder, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Result<Scratch, String> {
            let dir =
                std::env::temp_dir().join(format!("xtask-export-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            Ok(Scratch(dir))
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Every string of a JSON value, object keys included.
    fn strings(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => found.push(text.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|item| strings(item, found)),
            serde_json::Value::Object(members) => members.iter().for_each(|(key, value)| {
                found.push(key.clone());
                strings(value, found);
            }),
            _ => {}
        }
    }

    #[test]
    fn dist_is_fresh() -> Result<(), String> {
        let files = export::render(SAMPLES, &[], COMMAND).map_err(|e| e.to_string())?;
        let differences =
            export::check(&dist(&crate::project_root()?), &files).map_err(|e| e.to_string())?;
        if differences.is_empty() {
            Ok(())
        } else {
            let list: Vec<String> = differences.iter().map(ToString::to_string).collect();
            Err(format!(
                "dist/ is stale ({}); run `cargo xtask export` and commit",
                list.join(", ")
            ))
        }
    }

    #[test]
    fn bound_export_writes_valid_policies_without_placeholders() -> Result<(), String> {
        let scratch = Scratch::new("bound")?;
        let mut all = BINDINGS.to_vec();
        let out = scratch.0.to_string_lossy().into_owned();
        all.extend(["--out", &out]);
        let outcome = export::run(
            SAMPLES,
            &args(&all)?,
            &dist(&crate::project_root()?),
            COMMAND,
        )
        .map_err(|e| e.to_string())?;
        assert_eq!(
            outcome,
            Outcome::Written {
                out: scratch.0.clone(),
                files: SAMPLES.len() + 1
            }
        );
        for sample in SAMPLES {
            let path = sample
                .path
                .split('/')
                .fold(scratch.0.clone(), |dir, part| dir.join(part));
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            iam_policy::Policy::from_json(&text).map_err(|e| format!("{}: {e}", sample.path))?;
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            let mut found = Vec::new();
            strings(&json, &mut found);
            for text in found {
                // Only IAM policy variables (`${aws:userid}`) keep braces once all is bound.
                assert!(
                    !text.replace("${", "").contains('{'),
                    "{}: `{text}`",
                    sample.path
                );
                for placeholder in [
                    "region",
                    "account-id",
                    "instance-id",
                    "key-name",
                    "tag-key",
                    "tag-value",
                ] {
                    assert!(
                        !text.contains(placeholder),
                        "{}: `{placeholder}` left in `{text}`",
                        sample.path
                    );
                }
            }
        }
        Ok(())
    }

    #[test]
    fn bad_value_fails_naming_the_parameter() -> Result<(), String> {
        let scratch = Scratch::new("bad-value")?;
        let out = scratch.0.to_string_lossy().into_owned();
        let error = export::run(
            SAMPLES,
            &args(&["--set", "account-id=12", "--out", &out])?,
            &dist(&crate::project_root()?),
            COMMAND,
        )
        .err()
        .ok_or("`--set account-id=12` was accepted")?
        .to_string();
        assert!(
            error.contains("`account-id`") && error.contains("12 digits"),
            "{error}"
        );
        let written = std::fs::read_dir(&scratch.0)
            .map_err(|e| e.to_string())?
            .count();
        assert_eq!(written, 0, "a failed export wrote files");
        Ok(())
    }

    #[test]
    fn unknown_name_fails_listing_the_declared_ones() -> Result<(), String> {
        let error = export::run(
            SAMPLES,
            &args(&["--set", "acount-id=123456789012"])?,
            &dist(&crate::project_root()?),
            COMMAND,
        )
        .err()
        .ok_or("an unknown name was accepted")?
        .to_string();
        assert!(
            error.contains("`acount-id`") && error.contains("`account-id`"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn check_names_each_differing_file() -> Result<(), String> {
        let scratch = Scratch::new("check")?;
        let out = scratch.0.to_string_lossy().into_owned();
        export::run(
            SAMPLES,
            &args(&["--out", &out])?,
            &dist(&crate::project_root()?),
            COMMAND,
        )
        .map_err(|e| e.to_string())?;
        let changed = Path::new(&out).join("end-user").join("aws-cli.json");
        std::fs::write(&changed, "{}\n").map_err(|e| e.to_string())?;
        let missing = Path::new(&out)
            .join("administrator")
            .join("ec2-console.json");
        std::fs::remove_file(&missing).map_err(|e| e.to_string())?;
        std::fs::write(Path::new(&out).join("stray.json"), "{}").map_err(|e| e.to_string())?;
        let outcome = export::run(
            SAMPLES,
            &args(&["--check", "--out", &out])?,
            &dist(&crate::project_root()?),
            COMMAND,
        )
        .map_err(|e| e.to_string())?;
        let Outcome::Checked { differences, .. } = outcome else {
            return Err(format!("--check did not check: {outcome:?}"));
        };
        let named: Vec<String> = differences.iter().map(ToString::to_string).collect();
        assert_eq!(
            named,
            [
                "`administrator/ec2-console.json` is missing",
                "`end-user/aws-cli.json` differs",
                "`stray.json` is not part of the export",
            ]
        );
        assert_eq!(
            std::fs::read_to_string(&changed).map_err(|e| e.to_string())?,
            "{}\n"
        );
        Ok(())
    }
}
