//! How the time to lint one policy grows with its size: generated policies with 10^3 to 10^6
//! entries in one element (resources, actions, statements, condition keys, condition values,
//! principals), each parsed and validated as `iam-policy lint` does. Every rule must stay near
//! linear, so each tenfold size should take about ten times as long: the `growth` column is that
//! factor (10 for linear time, 100 for quadratic).
//!
//! `cargo bench -p iam-policy-rules --bench growth [-- [--min N] [--max N] [ELEMENT...]]`
//!
//! Sizes go from `--min` (default 1,000) to `--max` (default 1,000,000) entries, tenfold. Each
//! time is the fastest of three runs (one run past a second). A case that takes over 30 s is not
//! run at the next size (a quadratic rule would take hours), and is marked `stopped`. For a
//! machine-independent figure, count instructions of one size:
//! `perf stat -e instructions:u target/release/deps/growth-* --min 100000 --max 100000 resources`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use iam_policy_rules::{Options, PolicyKind, parse, validate_parsed};

/// Runs of one size, the fastest kept (one only past a second).
const RUNS: usize = 3;

/// A case slower than this is not run at the next size.
const GIVE_UP: Duration = Duration::from_secs(30);

/// One generated element: its name, the policy kind, and the policy with `n` entries.
struct Case {
    name: &'static str,
    kind: PolicyKind,
    generate: fn(usize, &[String]) -> String,
}

const CASES: &[Case] = &[
    Case {
        // The issue's file: distinct ARNs, none covering another.
        name: "resources",
        kind: PolicyKind::Identity,
        generate: |n, _| {
            let resources = list(n, |i| format!("\"arn:aws:s3:::b-{i}/k\""));
            statement_policy(&format!(
                r#""Effect":"Allow","Action":"s3:GetObject","Resource":[{resources}]"#
            ))
        },
    },
    Case {
        // One entry in ten is a wildcard covering the nine after it, and is repeated once.
        name: "resource-wildcards",
        kind: PolicyKind::Identity,
        generate: |n, _| {
            let resources = list(n, |i| match i % 10 {
                0 | 5 => format!("\"arn:aws:s3:::b-{}/*\"", i / 10),
                _ => format!("\"arn:aws:s3:::b-{}/k{i}\"", i / 10),
            });
            statement_policy(&format!(
                r#""Effect":"Allow","Action":"s3:GetObject","Resource":[{resources}]"#
            ))
        },
    },
    Case {
        // Every action of the reference in turn (so repeats past 22,091), with a wildcard on
        // the first four letters of one action in fifty.
        name: "actions",
        kind: PolicyKind::Identity,
        generate: |n, actions| {
            let entries = list(n, |i| {
                let action = &actions[i % actions.len()];
                if i % 50 == 0 {
                    let short: String = action
                        .chars()
                        .take(action.find(':').unwrap_or(0) + 5)
                        .collect();
                    format!("\"{short}*\"")
                } else {
                    format!("\"{action}\"")
                }
            });
            statement_policy(&format!(
                r#""Effect":"Allow","Action":[{entries}],"Resource":"*""#
            ))
        },
    },
    Case {
        // Distinct statements with distinct Sids; one in ten repeats the one before it.
        name: "statements",
        kind: PolicyKind::Identity,
        generate: |n, _| {
            let statements = list(n, |i| {
                let bucket = if i % 10 == 9 { i - 1 } else { i };
                format!(
                    r#"{{"Sid":"S{i}","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b-{bucket}/k"}}"#
                )
            });
            format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
        },
    },
    Case {
        // Distinct tag keys under one operator.
        name: "condition-keys",
        kind: PolicyKind::Identity,
        generate: |n, _| {
            let keys = list(n, |i| format!("\"aws:PrincipalTag/k{i}\":\"v\""));
            statement_policy(&format!(
                r#""Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{keys}}}}}"#
            ))
        },
    },
    Case {
        // Values of one key, one in ten with a wildcard.
        name: "condition-values",
        kind: PolicyKind::Identity,
        generate: |n, _| {
            let values = list(n, |i| {
                if i % 10 == 0 {
                    format!("\"team-{i}*\"")
                } else {
                    format!("\"team-{i}\"")
                }
            });
            statement_policy(&format!(
                r#""Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringLike":{{"aws:PrincipalTag/team":[{values}]}}}}"#
            ))
        },
    },
    Case {
        // Half actions, half resources of their services, in one statement: the rules that
        // match resources to actions see both lists.
        name: "actions-x-resources",
        kind: PolicyKind::Identity,
        generate: |n, actions| {
            let entries = list(n / 2, |i| {
                format!("\"{}\"", actions[(i * 7) % actions.len()])
            });
            let resources = list(n / 2, |i| match i % 3 {
                0 => format!("\"arn:aws:s3:::b-{i}/*\""),
                1 => format!("\"arn:aws:ec2:us-east-1:123456789012:instance/i-{i:017x}\""),
                _ => format!("\"arn:aws:iam::123456789012:role/r{i}\""),
            });
            statement_policy(&format!(
                r#""Effect":"Allow","Action":[{entries}],"Resource":[{resources}]"#
            ))
        },
    },
    Case {
        // Half actions, half conditions on the service keys of the reference (keys repeat
        // across the operator blocks) and on tag keys, in one statement.
        name: "actions-x-conditions",
        kind: PolicyKind::Identity,
        generate: |n, actions| {
            let keys: Vec<String> = iam_policy_reference::services()
                .flat_map(|service| service.condition_keys())
                .filter(|key| !key.name().contains('$'))
                .map(|key| key.name().to_owned())
                .collect();
            let entries = list(n / 2, |i| {
                format!("\"{}\"", actions[(i * 7) % actions.len()])
            });
            let operators = [
                "StringEquals",
                "StringLike",
                "StringNotEquals",
                "StringEqualsIgnoreCase",
            ];
            let blocks = list(operators.len(), |o| {
                let conditions = list(n / 2 / operators.len(), |i| {
                    if i % 5 == 0 {
                        return format!("\"aws:ResourceTag/t{i}\":\"v\"");
                    }
                    format!(
                        "\"{}\":\"v{i}\"",
                        keys[(i * operators.len() + o) % keys.len()]
                    )
                });
                format!("\"{}\":{{{conditions}}}", operators[o])
            });
            statement_policy(&format!(
                r#""Effect":"Allow","Action":[{entries}],"Resource":"*","Condition":{{{blocks}}}"#
            ))
        },
    },
    Case {
        // Role ARNs of a resource policy's `Principal`.
        name: "principals",
        kind: PolicyKind::Resource,
        generate: |n, _| {
            let principals = list(n, |i| format!("\"arn:aws:iam::123456789012:role/r{i}\""));
            statement_policy(&format!(
                r#""Effect":"Allow","Principal":{{"AWS":[{principals}]}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*""#
            ))
        },
    },
];

fn list(n: usize, entry: impl Fn(usize) -> String) -> String {
    let mut text = String::new();
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&entry(i));
    }
    text
}

fn statement_policy(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{{{statement}}}]}}"#)
}

fn main() {
    let mut min = 1_000;
    let mut max = 1_000_000;
    let mut only = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max" => match args.next().map(|value| value.parse()) {
                Some(Ok(value)) => max = value,
                _ => return eprintln!("--max takes a number"),
            },
            "--min" => match args.next().map(|value| value.parse()) {
                Some(Ok(value)) => min = value,
                _ => return eprintln!("--min takes a number"),
            },
            flag if flag.starts_with('-') => {}
            name => only.push(name.to_owned()),
        }
    }
    let actions: Vec<String> = iam_policy_reference::services()
        .flat_map(|service| service.actions())
        .map(|action| action.to_string())
        .collect();
    println!(
        "{:<20} {:>9} {:>11} {:>11} {:>9} {:>7}",
        "element", "entries", "bytes", "time", "findings", "growth"
    );
    for case in CASES {
        if !only.is_empty() && !only.iter().any(|name| name == case.name) {
            continue;
        }
        let options = Options {
            kind: Some(case.kind),
            ..Options::default()
        };
        let mut previous: Option<Duration> = None;
        let mut n = min;
        while n <= max {
            let text = (case.generate)(n, &actions);
            // The fastest of a few runs while they are short: a shared machine's load adds to a
            // single run.
            let mut time = Duration::MAX;
            let mut findings = 0;
            for _ in 0..RUNS {
                let started = Instant::now();
                findings = match parse::parse(&text) {
                    Ok(document) => validate_parsed(&document, &options).len(),
                    Err(error) => {
                        return eprintln!("{}: generated JSON: {}", case.name, error.message);
                    }
                };
                time = time.min(started.elapsed());
                if time > Duration::from_secs(1) {
                    break;
                }
            }
            black_box(findings);
            let mut line = format!(
                "{:<20} {:>9} {:>11} {:>9.3} s {:>9}",
                case.name,
                n,
                text.len(),
                time.as_secs_f64(),
                findings
            );
            if let Some(previous) = previous {
                let _ = write!(
                    line,
                    " {:>6.1}x",
                    time.as_secs_f64() / previous.as_secs_f64()
                );
            }
            println!("{line}");
            if time > GIVE_UP {
                if n < max {
                    println!(
                        "{:<20} {:>9} stopped: over {} s",
                        case.name,
                        n * 10,
                        GIVE_UP.as_secs()
                    );
                }
                break;
            }
            previous = Some(time);
            n *= 10;
        }
    }
}
