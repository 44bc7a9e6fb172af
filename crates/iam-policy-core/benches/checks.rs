//! Speed of the custom policy checks on AWS's managed policies: `access_not_granted` with all
//! of the reference's actions listed, `no_new_access` of each policy against itself (the
//! worst case: every statement must be proved covered), `no_public_access`, and
//! `access_not_granted` of two actions as `#[never_grants]` asks, per policy,
//! each also as a ratio to parsing and validating the same policy with every rule (what
//! `iam-policy lint` does), a ratio that does not depend on the machine. Run with
//! `cargo bench -p iam-policy-core --bench checks [-- DIR]`
//! (default: `../shared/corpus/aws-managed-dev`).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use iam_policy_core::check::{self, Access, PublicAccessResourceType};
use iam_policy_core::parse::parse;

/// One policy's times: lint, then the three checks.
struct Row<'a> {
    name: &'a str,
    lint: Duration,
    checks: [Duration; 4],
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map_or_else(
            || {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../../../shared/corpus/aws-managed-dev")
            },
            PathBuf::from,
        );
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "no corpus at {}: pass a folder of JSON policies",
            dir.display()
        );
        return;
    };
    let mut files: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    files.sort();
    let all_actions: Vec<String> = iam_policy_reference::services()
        .flat_map(|service| service.actions())
        .map(|action| format!("{}:{}", action.service().prefix(), action.name()))
        .collect();
    let access = Access {
        actions: all_actions,
        resources: Vec::new(),
    };
    // What `#[never_grants("iam:PassRole", "iam:Create*")]` asks.
    let few_actions = Access {
        actions: vec!["iam:PassRole".to_owned(), "iam:Create*".to_owned()],
        resources: Vec::new(),
    };
    let Ok(bucket) = PublicAccessResourceType::parse("AWS::S3::Bucket") else {
        return;
    };
    println!(
        "{} policies from {}, checked against all {} actions",
        files.len(),
        dir.display(),
        access.actions.len()
    );
    // Warm up the reference's indexes and the checks' table of action names.
    for (_, text) in &files {
        if let Ok(node) = parse(text) {
            black_box(iam_policy_core::validate_parsed(&node, &Default::default()));
            black_box(check::access_not_granted(&node, &access).is_ok());
        }
    }
    let mut rows = Vec::new();
    for (name, text) in &files {
        let Ok(node) = parse(text) else { continue };
        let lint = measure(|| {
            if let Ok(node) = parse(text) {
                black_box(iam_policy_core::validate_parsed(&node, &Default::default()));
            }
        });
        let not_granted = measure(|| {
            black_box(check::access_not_granted(&node, &access).is_ok());
        });
        let no_new = measure(|| {
            black_box(check::no_new_access(&node, &node).is_ok());
        });
        let public = measure(|| {
            black_box(check::no_public_access(&node, bucket).is_ok());
        });
        let few = measure(|| {
            black_box(check::access_not_granted(&node, &few_actions).is_ok());
        });
        rows.push(Row {
            name,
            lint,
            checks: [not_granted, no_new, public, few],
        });
    }
    let count = u32::try_from(rows.len().max(1)).unwrap_or(u32::MAX);
    let lint: Duration = rows.iter().map(|row| row.lint).sum();
    let labels = [
        "access-not-granted, all actions",
        "no-new-access, policy vs itself",
        "no-public-access (S3 bucket)",
        "access-not-granted, 2 actions",
    ];
    for (which, label) in labels.iter().enumerate() {
        let time = |row: &Row<'_>| row.checks.get(which).copied().unwrap_or_default();
        let sum: Duration = rows.iter().map(time).sum();
        let worst = rows.iter().max_by_key(|row| time(row));
        println!(
            "{label:<34} mean {:>8.3} ms  {:>6.1}x lint   worst {:>8.3} ms ({})",
            ms(sum / count),
            sum.as_secs_f64() / lint.as_secs_f64(),
            worst.map_or(0.0, |row| ms(time(row))),
            worst.map_or("", |row| row.name),
        );
    }
    println!(
        "parse + validate (lint)            mean {:>8.3} ms",
        ms(lint / count)
    );
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

/// The best of several rounds of at least 20 ms each.
fn measure(mut pass: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let mut passes = 0u32;
        while start.elapsed() < Duration::from_millis(20) {
            pass();
            passes += 1;
        }
        best = best.min(start.elapsed() / passes.max(1));
    }
    best
}
