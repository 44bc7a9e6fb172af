//! Cost of "did you mean" (the error path only): the mean time of one suggestion for a misspelled
//! action, measured against every action of its service, and for a misspelled condition key.
//! `cargo bench -p iam-policy-rules --bench suggestions` measures an optimized build;
//! `--profile dev` measures the build the `policy!` macro runs (opt-level 0).

use std::hint::black_box;
use std::time::Instant;

use iam_policy_rules::suggest::{suggest_action, suggest_condition_key};

/// A suggestion function, what it is given, and how many times to run it.
type Case = (&'static str, fn(&str) -> Vec<String>, &'static str, u32);

fn main() {
    let cases: [Case; 2] = [
        ("suggest_action", suggest_action, "ssm:StartSesion", 200),
        (
            "suggest_condition_key",
            suggest_condition_key,
            "aws:SourceIP",
            50,
        ),
    ];
    for (name, suggest, typed, rounds) in cases {
        let start = Instant::now();
        for _ in 0..rounds {
            black_box(suggest(black_box(typed)));
        }
        let mean = start.elapsed().as_secs_f64() / f64::from(rounds);
        let label = format!("{name}(\"{typed}\")");
        println!("{label:<52} {:>12.3} µs", mean * 1e6);
    }
}
