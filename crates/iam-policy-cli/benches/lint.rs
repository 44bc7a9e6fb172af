//! The lint benchmark, one run on one corpus (default: ../shared/corpus/aws-managed-dev):
//!
//! (a) `serde_json` parsing every file's bytes into a `serde_json::Value`, nothing else
//!     (`from_slice`, which checks UTF-8 as it goes); also, as a stricter yardstick, (a') the
//!     standard library's UTF-8 check then `from_str`, the fastest way `serde_json` has;
//! (b) our whole lint of every file in-process: UTF-8 check, our parser, policy-document
//!     unwrapping, every rule, line and column of each finding (the code `iam-policy lint`
//!     runs, called from the CLI's library);
//! (c) parliament (`pip install parliament`) analysing the same texts in-process, in Python.
//!
//! Our parser alone is measured too, to show how (b) splits between parsing and the rules.
//!
//! Goals: (b) at most 2x (a); (b) at least 100x faster than (c). The ratios do not depend on
//! the machine; the absolute figures do.
//!
//! `cargo bench -p iam-policy-cli --bench lint [-- CORPUS_DIR]`
//!
//! `--only serde|lint [--passes N]` runs just (a) or (b), N times (default 3), and prints nothing:
//! for instruction counts under callgrind, which repeat exactly and do not depend on the machine's
//! speed or load (`benches/lint-instructions.sh` prints their ratio).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use iam_policy_cli::lint::document;
use iam_policy_core::{Options, PolicyKind};

/// Each figure is the fastest of this many passes over the whole corpus.
const PASSES: usize = 30;

/// What to run: everything, timed, or one side only, for a profiler.
enum Mode {
    Compare,
    Only { lint: bool, passes: usize },
}

fn main() {
    let mut corpus = None;
    let mut only = None;
    let mut passes = 3;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--only" => only = args.next(),
            "--passes" => match args.next().map(|count| count.parse()) {
                Some(Ok(count)) => passes = count,
                _ => return eprintln!("--passes takes a number"),
            },
            flag if flag.starts_with('-') => {}
            path => corpus = Some(PathBuf::from(path)),
        }
    }
    let mode = match only.as_deref() {
        None => Mode::Compare,
        Some("serde") => Mode::Only {
            lint: false,
            passes,
        },
        Some("lint") => Mode::Only { lint: true, passes },
        Some(other) => return eprintln!("--only takes `serde` or `lint`, not `{other}`"),
    };
    let corpus = corpus.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/aws-managed-dev")
    });
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&corpus) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "json")
            })
            .collect(),
        Err(error) => {
            eprintln!(
                "skipped: cannot read the corpus {}: {error}",
                corpus.display()
            );
            return;
        }
    };
    paths.sort();
    let files: Vec<Vec<u8>> = paths
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect();
    let options = Options {
        kind: Some(PolicyKind::Identity),
        ..Options::default()
    };
    let parse_pass = || {
        for file in &files {
            let value: Result<serde_json::Value, _> = serde_json::from_slice(black_box(file));
            black_box(value.is_ok());
        }
    };
    let lint_pass = || {
        for file in &files {
            let linted = document::lint_bytes(black_box(file), &options);
            let positions: usize = linted
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic.start.line + diagnostic.end.column)
                .sum();
            black_box(positions);
        }
    };
    if let Mode::Only { lint, passes } = mode {
        for _ in 0..passes {
            if lint { lint_pass() } else { parse_pass() }
        }
        return;
    }
    let bytes: usize = files.iter().map(Vec::len).sum();
    println!(
        "corpus: {} ({} files, {} KiB)",
        corpus.display(),
        files.len(),
        bytes / 1024
    );

    let parse_only = fastest(parse_pass);
    let parse_str_only = fastest(|| {
        for file in &files {
            let value = std::str::from_utf8(black_box(file))
                .map(|text| serde_json::from_str::<serde_json::Value>(text).is_ok());
            black_box(value.is_ok());
        }
    });
    // Not a goal of its own: splits (b) into parsing and the rules.
    let our_parse = fastest(|| {
        for file in &files {
            let parsed = std::str::from_utf8(black_box(file))
                .map(|text| iam_policy_core::parse::parse(text).is_ok());
            black_box(parsed.is_ok());
        }
    });
    let lint = fastest(lint_pass);
    report("(a) serde_json parse only", parse_only, files.len());
    report("(a') UTF-8 check + from_str", parse_str_only, files.len());
    report("(b) iam-policy lint in-process", lint, files.len());
    report("    of which our parser", our_parse, files.len());
    println!(
        "(b)/(a) = {:.2}  (goal: at most 2); (b)/(a') = {:.2}",
        lint.as_secs_f64() / parse_only.as_secs_f64(),
        lint.as_secs_f64() / parse_str_only.as_secs_f64()
    );

    match parliament(&paths) {
        Ok(parliament) => {
            report("(c) parliament in-process", parliament, files.len());
            println!(
                "(c)/(b) = {:.0}  (goal: at least 100)",
                parliament.as_secs_f64() / lint.as_secs_f64()
            );
        }
        Err(why) => println!("(c) parliament: not measured: {why}"),
    }
}

fn fastest(mut pass: impl FnMut()) -> Duration {
    pass();
    (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            pass();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn report(what: &str, pass: Duration, files: usize) {
    println!(
        "{what:<32} {:>9.3} ms per pass, {:>8.1} µs per file",
        pass.as_secs_f64() * 1e3,
        pass.as_secs_f64() * 1e6 / files as f64
    );
}

/// Parliament's fastest pass over the same files, timed inside Python so that interpreter
/// start-up and imports do not count against it.
fn parliament(paths: &[PathBuf]) -> Result<Duration, String> {
    const SCRIPT: &str = r#"
import sys, time
from parliament import analyze_policy_string
texts = [open(path, encoding="utf-8").read() for path in sys.argv[2:]]
passes = int(sys.argv[1])
for text in texts:
    analyze_policy_string(text)
best = float("inf")
for _ in range(passes):
    start = time.perf_counter()
    for text in texts:
        analyze_policy_string(text)
    best = min(best, time.perf_counter() - start)
print(best)
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg("3")
        .args(paths)
        .output()
        .map_err(|error| format!("python3: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().last().unwrap_or("python3 failed").to_owned());
    }
    let seconds: f64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|error| format!("unexpected output from python3: {error}"))?;
    Ok(Duration::from_secs_f64(seconds))
}
