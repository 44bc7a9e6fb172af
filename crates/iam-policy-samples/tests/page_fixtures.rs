//! The fixtures under `fixtures/page/` are the JSON blocks of AWS's "Session Manager sample IAM
//! policies" page (`shared/seeds/session-manager-sample-iam-policies.ja.txt`), extracted here.
//!
//! The page's rendering breaks lines inside JSON strings (`"arn:aws:ec2:region` / `:account-id`);
//! the extraction joins them, and changes nothing else. Run with `UPDATE_FIXTURES=1` to rewrite the
//! fixtures after the page changes; without it the test fails when they differ.
//!
//! The page lives in `../shared` beside the repository (CI has it, a user's clone does not), so
//! the comparison is ignored by default and fails, rather than passes, when asked to run without
//! it. The committed fixtures are what the other tests of the crate read.

use std::path::{Path, PathBuf};

/// The page's JSON blocks, in page order, and the fixture each becomes.
const BLOCKS: &[&str] = &[
    "end-user/session-manager-and-fleet-manager-consoles.json",
    "end-user/ec2-console.json",
    "end-user/aws-cli.json",
    // Footnote 3: the statement to remove when session data is not encrypted with KMS.
    "footnote-3-kms-statement.json",
    "administrator/session-manager-console-and-aws-cli.json",
    "administrator/ec2-console.json",
    "administrator/session-manager-console-aws-cli-and-ec2-console.json",
];

const PAGE: &str = "session-manager-sample-iam-policies.ja.txt";

/// Each JSON object that starts on a line of its own (`{`), with line breaks inside strings
/// removed and the other lines kept as they are.
fn extract_blocks(page: &str) -> Result<Vec<String>, String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    let (mut depth, mut in_string) = (0usize, false);
    for line in page.lines() {
        let Some(block) = current.as_mut() else {
            if line.trim() == "{" {
                current = Some(String::new());
            } else {
                continue;
            }
            scan(line, &mut depth, &mut in_string);
            if let Some(block) = current.as_mut() {
                block.push_str(line);
            }
            continue;
        };
        // A break inside a string is the page's rendering: join without it.
        if !in_string {
            block.push('\n');
        }
        block.push_str(line);
        scan(line, &mut depth, &mut in_string);
        if depth == 0 && !in_string {
            blocks.extend(current.take());
        }
    }
    match current {
        None => Ok(blocks),
        Some(_) => Err("the page ends inside a JSON block".to_owned()),
    }
}

/// Tracks brace depth and whether the scan is inside a string, over one line.
fn scan(line: &str, depth: &mut usize, in_string: &mut bool) {
    let mut escaped = false;
    for c in line.chars() {
        match (c, *in_string, escaped) {
            (_, true, true) => escaped = false,
            ('\\', true, false) => escaped = true,
            ('"', _, _) => *in_string = !*in_string,
            ('{', false, _) => *depth += 1,
            ('}', false, _) => *depth = depth.saturating_sub(1),
            _ => {}
        }
    }
}

fn seeds_dir() -> PathBuf {
    match std::env::var_os("IAM_POLICY_SEEDS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"),
    }
}

#[test]
#[ignore = "needs ../shared: the Session Manager page of seeds/"]
fn fixtures_are_the_pages_json_blocks() -> Result<(), String> {
    let page_path = seeds_dir().join(PAGE);
    let page = std::fs::read_to_string(&page_path).map_err(|error| {
        format!(
            "needs ../shared: cannot read the page `{}` ({error}); put the shared folder beside the repository or set IAM_POLICY_SEEDS to its seeds folder",
            page_path.display()
        )
    })?;
    let blocks = extract_blocks(&page)?;
    if blocks.len() != BLOCKS.len() {
        return Err(format!(
            "the page has {} JSON blocks, the fixture list {}",
            blocks.len(),
            BLOCKS.len()
        ));
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/page");
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut stale = Vec::new();
    for (block, name) in blocks.iter().zip(BLOCKS) {
        serde_json::from_str::<serde_json::Value>(block)
            .map_err(|error| format!("`{name}` is not JSON after extraction: {error}"))?;
        let text = format!("{block}\n");
        let path = fixtures.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if update {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|error| error.to_string())?;
            }
            std::fs::write(&path, text).map_err(|error| error.to_string())?;
        } else {
            stale.push(*name);
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fixtures differ from the page: {}; run `UPDATE_FIXTURES=1 cargo test -p iam-policy-samples --test page_fixtures -- --include-ignored`",
            stale.join(", ")
        ))
    }
}

#[test]
fn extraction_joins_breaks_inside_strings_only() -> Result<(), String> {
    let page = "text {\n{\n\"a\": \"x\n:y\n\",\n\"b\": {\"c\": \"}\"}\n}\nafter\n";
    assert_eq!(
        extract_blocks(page)?,
        ["{\n\"a\": \"x:y\",\n\"b\": {\"c\": \"}\"}\n}"]
    );
    assert!(extract_blocks("{\n\"a\": 1\n").is_err());
    Ok(())
}
