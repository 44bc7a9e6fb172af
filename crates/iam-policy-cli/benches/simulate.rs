//! The evaluation benchmark: requests per second of `iam_policy::eval`, and scenarios per second
//! of `iam-policy simulate` on a file of many scenarios, against iam-simulate's `runSimulation`
//! on the same scenarios when it is installed.
//!
//! (a) in-process, one identity policy of three statements (one with a condition);
//! (b) in-process, a full set: two identity policies, a resource policy, a permissions
//!     boundary, a session policy, two SCP levels, an RCP level, context keys;
//! (c) `iam-policy simulate --format json` on files of such scenarios, as a whole process:
//!     reading, parsing, linting every policy, evaluating, printing;
//! (d) iam-simulate (`npm install @cloud-copilot/iam-simulate` in a folder outside the
//!     repository, named by `IAM_SIMULATE_DIR`) running `runSimulation` in-process on the same
//!     scenarios without the policy kinds it does not take (boundary, session policy), timed by
//!     `benches/simulate-iam-simulate.mjs`; used as a black box, for its time only.
//!
//! Goal: (c) at least 100x faster per scenario than (d).
//!
//! `IAM_SIMULATE_DIR=/tmp/iamsim cargo bench -p iam-policy-cli --bench simulate [-- COUNT]`

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use iam_policy::Policy;
use iam_policy::eval::{PolicySet, Principal, Request, evaluate};

/// Each in-process figure is the fastest of this many passes.
const PASSES: usize = 10;

const ACCOUNTS: [&str; 2] = ["111122223333", "444455556666"];

fn identity(i: usize) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::bucket-{i}", "arn:aws:s3:::bucket-{i}/*"]}},
  {{"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket-{i}/uploads/*", "Condition": {{"IpAddress": {{"aws:SourceIp": "203.0.113.0/24"}}}}}},
  {{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}}
]}}"#
    )
}

fn resource(i: usize) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Org", "Effect": "Allow", "Principal": {{"AWS": "*"}}, "Action": "s3:*", "Resource": "arn:aws:s3:::bucket-{i}/*", "Condition": {{"StringEquals": {{"aws:PrincipalOrgID": "o-example"}}}}}},
  {{"Sid": "Tls", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket-{i}/*", "Condition": {{"Bool": {{"aws:SecureTransport": "false"}}}}}}
]}}"#
    )
}

const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
const SCP_REGIONS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Regions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}]}"#;
const RCP_PERIMETER: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Perimeter", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-example"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}"#;
const BOUNDARY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "logs:*"], "Resource": "*"}]}"#;

/// One scenario: `full` adds the resource policy, SCPs, RCPs and context; `limits` the boundary
/// and session policy (which iam-simulate does not take).
fn scenario(i: usize, full: bool, limits: bool) -> String {
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
    ];
    let action = actions[i % actions.len()];
    let key = if action == "s3:ListBucket" {
        String::new()
    } else {
        format!("/uploads/{i}.txt")
    };
    let bucket = i % 50;
    let account = ACCOUNTS[i % 2];
    let mut text = format!(
        r#"{{"name": "scenario {i}", "request": {{"action": "{action}", "resource": "arn:aws:s3:::bucket-{bucket}{key}", "resourceAccount": "111122223333", "principal": "arn:aws:sts::{account}:assumed-role/app-{bucket}/run-{i}""#
    );
    if full {
        text.push_str(r#", "context": {"aws:SourceIp": "203.0.113.7", "aws:PrincipalOrgID": "o-example", "aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "true"}"#);
    }
    text.push_str(&format!(r#"}}, "identityPolicies": [{}"#, identity(bucket)));
    if full {
        text.push_str(&format!(
            r#", {ALLOW_ALL}], "resourcePolicy": {}, "serviceControlPolicies": [[{ALLOW_ALL}], [{ALLOW_ALL}, {SCP_REGIONS}]], "resourceControlPolicies": [[{RCP_PERIMETER}]]"#,
            resource(bucket)
        ));
    } else {
        text.push(']');
    }
    if limits {
        text.push_str(&format!(
            r#", "permissionsBoundary": {BOUNDARY}, "sessionPolicy": {BOUNDARY}"#
        ));
    }
    text.push('}');
    text
}

fn file(count: usize, full: bool, limits: bool) -> String {
    let scenarios: Vec<String> = (0..count).map(|i| scenario(i, full, limits)).collect();
    format!("[\n{}\n]\n", scenarios.join(",\n"))
}

/// The fastest of `PASSES` runs of `pass`.
fn fastest(mut pass: impl FnMut()) -> Duration {
    (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            pass();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn per_second(count: usize, time: Duration) -> f64 {
    count as f64 / time.as_secs_f64()
}

fn read(json: &str) -> Option<Policy> {
    Policy::from_json_unchecked(json).ok()
}

fn in_process(count: usize) {
    let policies: Vec<Policy> = (0..50).filter_map(|i| read(&identity(i))).collect();
    let resources: Vec<Policy> = (0..50).filter_map(|i| read(&resource(i))).collect();
    let (Some(allow_all), Some(regions), Some(perimeter), Some(boundary)) = (
        read(ALLOW_ALL),
        read(SCP_REGIONS),
        read(RCP_PERIMETER),
        read(BOUNDARY),
    ) else {
        return eprintln!("the benchmark's policies do not read");
    };
    let requests: Vec<Request> = (0..count)
        .filter_map(|i| {
            let actions = [
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:ListBucket",
            ];
            let action = actions[i % actions.len()];
            let principal = Principal::parse(&format!(
                "arn:aws:sts::{}:assumed-role/app-{}/run-{i}",
                ACCOUNTS[i % 2],
                i % 50
            ))
            .ok()?;
            Some(
                Request::new(
                    action,
                    format!("arn:aws:s3:::bucket-{}/uploads/{i}.txt", i % 50),
                )
                .principal(principal)
                .resource_account("111122223333")
                .context("aws:SourceIp", "203.0.113.7")
                .context("aws:PrincipalOrgID", "o-example")
                .context("aws:RequestedRegion", "eu-west-1")
                .context("aws:SecureTransport", "true"),
            )
        })
        .collect();
    let single = fastest(|| {
        for (i, request) in requests.iter().enumerate() {
            black_box(evaluate(
                request,
                &PolicySet::identity(&[&policies[i % 50]]),
            ));
        }
    });
    let full = fastest(|| {
        for (i, request) in requests.iter().enumerate() {
            let set = PolicySet {
                identity: vec![&policies[i % 50], &allow_all],
                resource: Some(&resources[i % 50]),
                permissions_boundary: Some(&boundary),
                session: Some(&boundary),
                service_control: vec![vec![&allow_all], vec![&allow_all, &regions]],
                resource_control: vec![vec![&perimeter]],
                vpc_endpoint: None,
            };
            black_box(evaluate(request, &set));
        }
    });
    println!(
        "(a) in-process, one policy:  {:>10.0} requests/s ({:.2} µs each)",
        per_second(requests.len(), single),
        single.as_secs_f64() * 1e6 / requests.len() as f64
    );
    println!(
        "(b) in-process, full set:    {:>10.0} requests/s ({:.2} µs each)",
        per_second(requests.len(), full),
        full.as_secs_f64() * 1e6 / requests.len() as f64
    );
}

/// Seconds of the fastest of three runs of the command on `path`.
fn command(path: &Path) -> Option<f64> {
    (0..3)
        .filter_map(|_| {
            let start = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
                .args(["simulate", "--format", "json"])
                .arg(path)
                .stdout(std::process::Stdio::null())
                .status()
                .ok()?;
            status.success().then(|| start.elapsed().as_secs_f64())
        })
        .min_by(f64::total_cmp)
}

/// Seconds per scenario of iam-simulate's `runSimulation`, as the script prints it.
fn iam_simulate(dir: &str, path: &Path) -> Option<f64> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/simulate-iam-simulate.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(path)
        .env("NODE_PATH", Path::new(dir).join("node_modules"))
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|_| output.status.success())
}

fn main() {
    let count = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(10_000);
    in_process(count);
    let dir =
        std::env::temp_dir().join(format!("iam-policy-simulate-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return eprintln!("cannot create {}", dir.display());
    }
    let files: [(&str, PathBuf, bool, bool); 3] = [
        ("one policy", dir.join("single.json"), false, false),
        ("full set", dir.join("full.json"), true, true),
        ("comparable", dir.join("comparable.json"), true, false),
    ];
    let mut comparable_time = None;
    for (name, path, full, limits) in &files {
        if std::fs::write(path, file(count, *full, *limits)).is_err() {
            return eprintln!("cannot write {}", path.display());
        }
        match command(path) {
            Some(seconds) => {
                println!(
                    "(c) `simulate`, {name:<11} {:>10.0} scenarios/s ({:.2} µs each, whole process)",
                    count as f64 / seconds,
                    seconds * 1e6 / count as f64
                );
                if *name == "comparable" {
                    comparable_time = Some(seconds / count as f64);
                }
            }
            None => eprintln!("`iam-policy simulate` failed on {}", path.display()),
        }
    }
    match std::env::var("IAM_SIMULATE_DIR") {
        Ok(node_dir) => match iam_simulate(&node_dir, &files[2].1) {
            Some(theirs) => {
                println!(
                    "(d) iam-simulate runSimulation, comparable: {:.0} scenarios/s ({:.1} µs each, in-process)",
                    1.0 / theirs,
                    theirs * 1e6
                );
                if let Some(ours) = comparable_time {
                    println!(
                        "(d)/(c) = {:.0}x per scenario (goal: at least 100x)",
                        theirs / ours
                    );
                }
            }
            None => eprintln!("iam-simulate did not run (see benches/simulate-iam-simulate.mjs)"),
        },
        Err(_) => println!(
            "(d) skipped: set IAM_SIMULATE_DIR to a folder with @cloud-copilot/iam-simulate installed"
        ),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
