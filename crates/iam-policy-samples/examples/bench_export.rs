//! How long `cargo xtask export` takes to produce its files, against plain JSON work on the same
//! output. Run with `cargo run --release -p iam-policy-samples --example bench_export`.
//!
//! - `unbound`: render every sample as the page prints it (serialize only: the policies were
//!   validated when they were compiled);
//! - `bound`: render with all six parameters bound (check each value, substitute, validate every
//!   policy again with every rule, serialize);
//! - `baseline`: `serde_json` parsing and pretty-printing the bound output, the least any
//!   exporter of these files must do.
//!
//! The ratios to the baseline do not depend on the machine.

use std::hint::black_box;
use std::time::{Duration, Instant};

use iam_policy_export::{File, render};
use iam_policy_samples::SAMPLES;

const BINDINGS: &[(&str, &str)] = &[
    ("region", "us-east-1"),
    ("account-id", "123456789012"),
    ("instance-id", "i-0123456789abcdef0"),
    (
        "key-name",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ),
    ("tag-key", "Finance"),
    ("tag-value", "WebServers"),
];

/// The median time of `runs` runs of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times.get(runs / 2).copied().unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const RUNS: usize = 200;
    let bound_files: Vec<File> = render(SAMPLES, BINDINGS, "bench")?;
    let unbound = median(RUNS, || {
        black_box(render(black_box(SAMPLES), &[], "bench").ok());
    });
    let bound = median(RUNS, || {
        black_box(render(black_box(SAMPLES), BINDINGS, "bench").ok());
    });
    let baseline = median(RUNS, || {
        for file in &bound_files {
            let value: Option<serde_json::Value> = serde_json::from_str(&file.contents).ok();
            black_box(serde_json::to_string_pretty(&value).ok());
        }
    });
    let files = bound_files.len();
    println!(
        "{files} files ({} policies), median of {RUNS} runs",
        SAMPLES.len()
    );
    for (name, time) in [
        ("unbound", unbound),
        ("bound", bound),
        ("baseline", baseline),
    ] {
        println!(
            "{name:>8}: {:>9.1} µs  ({:>5.1} µs a file, {:>5.1}× baseline)",
            time.as_secs_f64() * 1e6,
            time.as_secs_f64() * 1e6 / files as f64,
            time.as_secs_f64() / baseline.as_secs_f64().max(f64::EPSILON)
        );
    }
    Ok(())
}
