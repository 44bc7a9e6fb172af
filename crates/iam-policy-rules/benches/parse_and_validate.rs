//! Speed of the core against `serde_json` on the same files: parsing to the spanned tree, and
//! parsing plus every rule (what `iam-policy lint` does per file), each as a ratio to
//! `serde_json::from_str::<serde_json::Value>`. Run with
//! `cargo bench -p iam-policy-rules --bench parse_and_validate [-- DIR]`
//! (default: `../shared/corpus/aws-managed-dev`, AWS's managed policies).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    let mut texts: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    texts.sort();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} files, {} bytes, from {}",
        texts.len(),
        bytes,
        dir.display()
    );

    // Warm up the reference's lazily built indexes so they are not charged to the first run.
    for text in &texts {
        if let Ok(node) = iam_policy_rules::parse::parse(text) {
            black_box(iam_policy_rules::validate_parsed(
                &node,
                &Default::default(),
            ));
        }
    }
    let serde = measure(|| {
        for text in &texts {
            black_box(serde_json::from_str::<serde_json::Value>(text).is_ok());
        }
    });
    let parse = measure(|| {
        for text in &texts {
            black_box(iam_policy_rules::parse::parse(text).is_ok());
        }
    });
    let validate = measure(|| {
        for text in &texts {
            if let Ok(node) = iam_policy_rules::parse::parse(text) {
                black_box(iam_policy_rules::validate_parsed(
                    &node,
                    &Default::default(),
                ));
            }
        }
    });
    let ratio = |time: Duration| time.as_secs_f64() / serde.as_secs_f64();
    println!("serde_json::Value parse   {:>10.3} ms  1.00x", ms(serde));
    println!(
        "core parse (spanned tree) {:>10.3} ms  {:.2}x",
        ms(parse),
        ratio(parse)
    );
    println!(
        "core parse + validate     {:>10.3} ms  {:.2}x",
        ms(validate),
        ratio(validate)
    );
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

/// The best of several rounds of at least 200 ms, per pass over the corpus.
fn measure(mut pass: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let mut passes = 0u32;
        while start.elapsed() < Duration::from_millis(200) {
            pass();
            passes += 1;
        }
        best = best.min(start.elapsed() / passes.max(1));
    }
    best
}
