//! Cost of the reference look-ups: the first look-up of a process (the tables are embedded and
//! read in place, so there is nothing to load) and the mean of each kind of look-up over many calls.
//!
//! `cargo bench -p iam-policy-reference` measures an optimized build; the `policy!` macro runs
//! the crate as Cargo builds proc-macro dependencies in debug builds (opt-level 0, the dev
//! profile's default), which `cargo bench -p iam-policy-reference --profile dev` measures.
//! The ratio first/steady shows what loading costs: about 1 means nothing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use iam_policy_reference as reference;

/// Runs `f` `rounds` times over its inputs; returns the mean time of one call.
fn mean<T>(rounds: u32, inputs: &[T], mut f: impl FnMut(&T) -> bool) -> Duration {
    let start = Instant::now();
    let mut hits = 0usize;
    for _ in 0..rounds {
        for input in inputs {
            hits += usize::from(f(black_box(input)));
        }
    }
    black_box(hits);
    start.elapsed() / (rounds * u32::try_from(inputs.len()).unwrap_or(1))
}

fn show(label: &str, time: Duration) {
    println!("{label:<52} {:>12.3} µs", time.as_secs_f64() * 1e6);
}

fn main() {
    // The very first look-up of the process, before anything else touches the tables.
    let start = Instant::now();
    let first = reference::action(black_box("ssm:StartSession"));
    let first_time = start.elapsed();
    black_box(first);

    let actions = [
        "ssm:StartSession",
        "s3:getobject",
        "EC2:RunInstances",
        "iam:PassRole",
        "kms:Decrypt",
        "ssm:NoSuchAction",
    ];
    let keys = [
        "aws:SourceIp",
        "aws:PrincipalTag/team",
        "ssm:resourceTag/Finance",
        "ssm:SessionDocumentAccessCheck",
        "s3:ExistingObjectTag/Project",
        "ssm:NoSuchKey",
    ];
    let arns = [
        "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell",
        "arn:aws:ec2:*:*:instance/*",
        "arn:aws:ssm:*:*:session/${aws:userid}-*",
        "arn:aws:s3:::bucket/key",
    ];
    let steady = mean(20_000, &actions, |name| reference::action(name).is_some());
    println!(
        "iam-policy-reference look-ups ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    show("first look-up in the process: action()", first_time);
    show("action(), mean over 6 names", steady);
    println!(
        "{:<52} {:>12.1}",
        "ratio first / steady (1 = nothing to load)",
        first_time.as_secs_f64() / steady.as_secs_f64()
    );
    show(
        "service()",
        mean(20_000, &["ssm", "SSM", "ec2", "nosuch"], |p| {
            reference::service(p).is_some()
        }),
    );
    show(
        "condition_key(), global, service and templated",
        mean(5_000, &keys, |k| reference::condition_key(k).is_some()),
    );
    show("supports_condition_key() on ssm:StartSession", {
        let start = reference::action("ssm:StartSession");
        mean(5_000, &keys, |k| {
            start.is_some_and(|a| a.supports_condition_key(k))
        })
    });
    show(
        "actions_matching(\"ssm:Start*\")",
        mean(2_000, &["ssm:Start*"], |p| {
            reference::actions_matching(p).is_ok()
        }),
    );
    show(
        "actions_matching(\"*:Describe*\")",
        mean(20, &["*:Describe*"], |p| {
            reference::actions_matching(p).is_ok()
        }),
    );
    show(
        "resource_types_for_arn(), mean over 4 ARNs",
        mean(50, &arns, |a| {
            !reference::resource_types_for_arn(a).is_empty()
        }),
    );
}
