//! The evaluation benchmark: requests per second of `iam_policy::eval`, and scenarios per second
//! of `iam-policy simulate` on a file of many scenarios, against iam-simulate's `runSimulation`
//! on the same scenarios when it is installed.
//!
//! (a) in-process, one identity policy of three statements (one with a condition);
//! (b) in-process, a full set: two identity policies, a resource policy, a permissions
//!     boundary, a session policy, two SCP levels, an RCP level, context keys;
//! (c) `iam-policy simulate --format json` on files of such scenarios, as a whole process:
//!     reading, parsing, linting every policy, evaluating, printing; in wall time as run by
//!     default, with no `--jobs` (what a user waits for: every core once a run is long enough),
//!     and in CPU time with `--jobs 1` (the work, whatever the load of the machine);
//! (d) iam-simulate (`npm install @cloud-copilot/iam-simulate` in a folder outside the
//!     repository, named by `IAM_SIMULATE_DIR`) running `runSimulation` in-process on the same
//!     scenarios without the policy kinds it does not take (boundary, session policy), timed by
//!     `benches/simulate-iam-simulate.mjs`; used as a black box, for its time only;
//! (e) (c) and (d) on files of 360 scenarios, the size of the evaluation cases issue 13 is
//!     judged on: there the process's start and end and the threads' ramp-up weigh as much as
//!     the work per scenario. Per file, as a user waits for it;
//! (f) the distinct scenarios of (e) as 360 files of one scenario each on one command line, as
//!     a repository keeps a scenario beside each policy it tests.
//!
//! Goal: (c) at least 100x faster per scenario than (d) (issue 13: requests per second).
//!
//! `IAM_SIMULATE_DIR=/tmp/iamsim cargo bench -p iam-policy-cli --bench simulate [-- COUNT]`
//! (5,000 scenarios per file by default: a file of 7,000 full sets passes the 16 MiB that
//! `simulate` reads from one file).

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

/// What the scenarios of a file hold.
#[derive(Clone, Copy)]
struct Shape {
    /// The resource policy, SCPs, RCPs and context keys.
    full: bool,
    /// The permissions boundary and session policy (which iam-simulate does not take).
    limits: bool,
    /// Each scenario with policies of its own text; otherwise 50 policy sets repeat, as in a
    /// file that asks many questions of the same policies (each distinct text is linted once).
    distinct: bool,
}

/// One scenario of `shape`.
fn scenario(i: usize, shape: Shape) -> String {
    let Shape {
        full,
        limits,
        distinct,
    } = shape;
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
    let bucket = if distinct { i } else { i % 50 };
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

fn file(count: usize, shape: Shape) -> String {
    let scenarios: Vec<String> = (0..count).map(|i| scenario(i, shape)).collect();
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

/// Runs of the command per timing: Linux counts CPU time in ticks of 10 ms, too coarse for one
/// run of a few tens of milliseconds. Ten for the large files, a hundred for the files of
/// [`GRADED`] scenarios, which take a few milliseconds.
const RUNS: usize = 10;
const GRADED_RUNS: usize = 100;

/// The size of the files of (e): about as many evaluation cases as issue 13 is judged on.
const GRADED: usize = 360;

/// Wall and CPU (user + system) seconds of one run of the command on `paths` with `--jobs
/// jobs`: the fastest of three timings of `runs` runs each, for each. CPU time on one thread
/// is the work done, whatever the machine's load (the machine is shared, and waiting for a
/// core is no part of it); wall time on every core is what a user waits for.
/// `jobs`: `--jobs`, or `None` for the default (every core, once a run is long enough), which is
/// what a user waits for.
fn command(paths: &[PathBuf], jobs: Option<usize>, runs: usize) -> Option<(f64, f64)> {
    (0..3)
        .map(|_| {
            let (start, cpu) = (Instant::now(), children_cpu()?);
            for _ in 0..runs {
                let mut simulate = Command::new(env!("CARGO_BIN_EXE_iam-policy"));
                simulate.args(["simulate", "--format", "json"]);
                if let Some(jobs) = jobs {
                    simulate.args(["--jobs", &jobs.to_string()]);
                }
                let status = simulate
                    .args(paths)
                    .stdout(std::process::Stdio::null())
                    .status()
                    .ok()?;
                if !status.success() {
                    return None;
                }
            }
            let runs = runs as f64;
            Some((
                start.elapsed().as_secs_f64() / runs,
                (children_cpu()? - cpu) / runs,
            ))
        })
        .try_fold((f64::MAX, f64::MAX), |(wall, cpu), times| {
            times.map(|(w, c)| (wall.min(w), cpu.min(c)))
        })
}

/// The load average of the last minute, which the wall times depend on.
fn load() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    load.split_whitespace().next().unwrap_or("?").to_owned()
}

/// CPU seconds of the children waited for so far: `cutime` and `cstime` of `/proc/self/stat`,
/// in Linux's clock ticks of 1/100 s.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses, the third field of the line comes first.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Wall and CPU seconds per scenario of iam-simulate's `runSimulation`, as the script prints
/// them.
fn iam_simulate(dir: &str, path: &Path) -> Option<(f64, f64)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/simulate-iam-simulate.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(path)
        .env("NODE_PATH", Path::new(dir).join("node_modules"))
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let (wall, cpu) = text.trim().split_once(' ')?;
    let times = (wall.parse().ok()?, cpu.parse().ok()?);
    output.status.success().then_some(times)
}

/// The files of scenarios the command is timed on, by name.
fn shapes() -> [(&'static str, Shape); 6] {
    let shape = |full, limits, distinct| Shape {
        full,
        limits,
        distinct,
    };
    [
        ("one policy, repeated", shape(false, false, false)),
        ("one policy, distinct", shape(false, false, true)),
        ("full set, repeated", shape(true, true, false)),
        ("full set, distinct", shape(true, true, true)),
        ("comparable, repeated", shape(true, false, false)),
        ("comparable, distinct", shape(true, false, true)),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = args
        .iter()
        .find(|arg| arg.parse::<usize>().is_ok())
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(5_000);
    // `--write DIR`: only write the scenario files (`0.json`... in `shapes()` order), for
    // `benches/simulate-instructions.sh`.
    if let Some(at) = args.iter().position(|arg| arg == "--write") {
        let Some(dir) = args.get(at + 1) else {
            return eprintln!("--write takes a folder");
        };
        for (index, (_, shape)) in shapes().iter().enumerate() {
            let path = Path::new(dir).join(format!("{index}.json"));
            if std::fs::write(&path, file(count, *shape)).is_err() {
                return eprintln!("cannot write {}", path.display());
            }
        }
        return;
    }
    in_process(count);
    let dir =
        std::env::temp_dir().join(format!("iam-policy-simulate-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return eprintln!("cannot create {}", dir.display());
    }
    let files = shapes();
    let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    println!(
        "(c) on {cores} cores, load {} (one-minute average) before:",
        load()
    );
    let mut ours = Vec::new();
    for (index, (name, shape)) in files.iter().enumerate() {
        let path = dir.join(format!("{index}.json"));
        if std::fs::write(&path, file(count, *shape)).is_err() {
            return eprintln!("cannot write {}", path.display());
        }
        let paths = [path.clone()];
        match (command(&paths, Some(1), RUNS), command(&paths, None, RUNS)) {
            (Some((wall, cpu)), Some((cores_wall, _))) => {
                println!(
                    "(c) `simulate`, {name:<21} {:>8.0} scenarios/s ({:.2} µs wall each) by default ({cores} cores); one thread: {:.2} µs CPU each ({:.2} µs wall), whole process",
                    count as f64 / cores_wall,
                    cores_wall * 1e6 / count as f64,
                    cpu * 1e6 / count as f64,
                    wall * 1e6 / count as f64
                );
                if shape.full && !shape.limits {
                    ours.push((*name, path, cpu / count as f64, cores_wall / count as f64));
                }
            }
            _ => eprintln!("`iam-policy simulate` failed on {}", path.display()),
        }
    }
    let node_dir = std::env::var("IAM_SIMULATE_DIR").ok();
    match &node_dir {
        None => println!(
            "(d) skipped: set IAM_SIMULATE_DIR to a folder with @cloud-copilot/iam-simulate installed"
        ),
        Some(node_dir) => their_times(node_dir, &ours, cores),
    }
    graded(&dir, node_dir.as_deref(), cores);
    one_per_file(&dir, cores);
    println!("load {} (one-minute average) after", load());
    let _ = std::fs::remove_dir_all(&dir);
}

/// (d): iam-simulate on the files of `ours` (name, path, CPU and wall seconds per scenario of
/// (c)), and the ratios.
fn their_times(node_dir: &str, ours: &[(&str, PathBuf, f64, f64)], cores: usize) {
    for (name, path, cpu, wall) in ours {
        match iam_simulate(node_dir, path) {
            Some((their_wall, their_cpu)) => println!(
                "(d) iam-simulate runSimulation, {name}: {:.0} scenarios/s, {:.1} µs CPU each ({:.1} µs wall), in-process; (d)/(c) per scenario = {:.0}x in wall time ((c) by default on {cores} cores: requests per second), {:.0}x in CPU time ((c) on one thread) (goal: at least 100x)",
                1.0 / their_wall,
                their_cpu * 1e6,
                their_wall * 1e6,
                their_wall / wall,
                their_cpu / cpu
            ),
            None => eprintln!("iam-simulate did not run (see benches/simulate-iam-simulate.mjs)"),
        }
    }
}

/// (e): the command, whole process, on files of [`GRADED`] scenarios that iam-simulate takes
/// (the distinct ones first: each evaluation case brings policies of its own), beside
/// iam-simulate on the same file when it is installed.
fn graded(dir: &Path, node_dir: Option<&str>, cores: usize) {
    let files = shapes();
    for index in [5, 1, 4, 0] {
        let Some((name, shape)) = files.get(index) else {
            continue;
        };
        let path = dir.join(format!("graded-{index}.json"));
        if std::fs::write(&path, file(GRADED, *shape)).is_err() {
            return eprintln!("cannot write {}", path.display());
        }
        let (Some((wall, cpu)), Some((cores_wall, _))) = (
            command(std::slice::from_ref(&path), Some(1), GRADED_RUNS),
            command(std::slice::from_ref(&path), None, GRADED_RUNS),
        ) else {
            eprintln!("`iam-policy simulate` failed on {}", path.display());
            continue;
        };
        let per = |seconds: f64| seconds * 1e6 / GRADED as f64;
        print!(
            "(e) {GRADED} scenarios, {name:<21} `simulate` {:.2} ms wall by default ({cores} cores) ({:.1} µs each), {:.2} ms CPU on one thread ({:.2} ms wall)",
            cores_wall * 1e3,
            per(cores_wall),
            cpu * 1e3,
            wall * 1e3
        );
        match node_dir.map(|node_dir| iam_simulate(node_dir, &path)) {
            Some(Some((their_wall, their_cpu))) => println!(
                "; iam-simulate {:.0} µs wall, {:.0} µs CPU each in-process: {:.0}x in wall time, {:.0}x in CPU time",
                their_wall * 1e6,
                their_cpu * 1e6,
                their_wall * GRADED as f64 / cores_wall,
                their_cpu * GRADED as f64 / cpu
            ),
            Some(None) => {
                println!();
                eprintln!("iam-simulate did not run (see benches/simulate-iam-simulate.mjs)");
            }
            None => println!(),
        }
    }
}

/// (f): the distinct scenarios of (e), one file each, all on one command line (as a CI job runs
/// `iam-policy simulate scenarios/*.json`), against the same scenarios in one file.
fn one_per_file(dir: &Path, cores: usize) {
    let files = shapes();
    for index in [5, 1] {
        let Some((name, shape)) = files.get(index) else {
            continue;
        };
        let folder = dir.join(format!("one-per-file-{index}"));
        if std::fs::create_dir_all(&folder).is_err() {
            return eprintln!("cannot create {}", folder.display());
        }
        let mut paths = Vec::with_capacity(GRADED);
        for i in 0..GRADED {
            let path = folder.join(format!("{i:03}.json"));
            if std::fs::write(&path, scenario(i, *shape)).is_err() {
                return eprintln!("cannot write {}", path.display());
            }
            paths.push(path);
        }
        let (Some((wall, cpu)), Some((cores_wall, _))) = (
            command(&paths, Some(1), GRADED_RUNS),
            command(&paths, None, GRADED_RUNS),
        ) else {
            eprintln!("`iam-policy simulate` failed on {}", folder.display());
            continue;
        };
        println!(
            "(f) {GRADED} files of one scenario, {name:<21} `simulate` {:.2} ms wall by default ({cores} cores) ({:.1} µs each), {:.2} ms CPU on one thread ({:.2} ms wall)",
            cores_wall * 1e3,
            cores_wall * 1e6 / GRADED as f64,
            cpu * 1e3,
            wall * 1e3
        );
    }
}
