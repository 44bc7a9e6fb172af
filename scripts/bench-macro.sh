#!/usr/bin/env bash
# Rebuild cost of `policy!` against `serde_json::json!`.
#
# Generates, in a temporary directory, two library crates holding the same 200 policies of 5
# statements each: one writes them with `policy!` (as constants), the other with `json!` (as
# functions, since `json!` is not const). Builds both once, then touches each crate's source and
# times the rebuild RUNS times, printing the median of each and their ratio. It also runs one more
# rebuild of the `policy!` crate with `IAM_POLICY_MACRO_TIMINGS` set and prints the macro's own
# figures: the first call (which pays for the first use of the reference data) and the median
# call, in total and inside the core's rules.
#
# Usage: scripts/bench-macro.sh [RUNS]   (default 5; set CARGO_TARGET_DIR to reuse a target dir)
set -euo pipefail

runs="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/target}"
policies=200

# One document: 5 statements, different for each policy, valid for the rules.
document() {
    local i="$1"
    cat <<DOC
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadLogs",
            "Effect": "Allow",
            "Action": ["logs:GetLogEvents", "logs:FilterLogEvents"],
            "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:app-$i:*"
        },
        {
            "Sid": "ReadObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::bucket-$i", "arn:aws:s3:::bucket-$i/*"]
        },
        {
            "Sid": "StartSessions",
            "Effect": "Allow",
            "Action": "ssm:StartSession",
            "Resource": "arn:aws:ec2:us-east-1:123456789012:instance/*",
            "Condition": {"StringLike": {"ssm:resourceTag/Team": ["team-$i"]}}
        },
        {
            "Sid": "Describe",
            "Effect": "Allow",
            "Action": ["ec2:DescribeInstances", "ssm:DescribeSessions"],
            "Resource": "*"
        },
        {
            "Sid": "Tables",
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Table$i",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}
        }
    ]
}
DOC
}

mkdir -p "$work/policy-macro/src" "$work/json-macro/src"
cat > "$work/Cargo.toml" <<TOML
[workspace]
resolver = "3"
members = ["policy-macro", "json-macro"]
TOML
cp "$root/Cargo.lock" "$work/Cargo.lock"
for crate in policy-macro json-macro; do
    cat > "$work/$crate/Cargo.toml" <<TOML
[package]
name = "$crate"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
iam-policy = { path = "$root/crates/iam-policy" }
serde_json = "1"
TOML
done
{
    echo "use iam_policy::{Policy, policy};"
    for i in $(seq 1 "$policies"); do
        echo "pub const POLICY_$i: Policy = policy!($(document "$i"));"
    done
} > "$work/policy-macro/src/lib.rs"
{
    echo "use serde_json::{Value, json};"
    for i in $(seq 1 "$policies"); do
        echo "pub fn policy_$i() -> Value { json!($(document "$i")) }"
    done
} > "$work/json-macro/src/lib.rs"

cd "$work"
echo "building dependencies and both crates once..." >&2
cargo build --quiet -p policy-macro -p json-macro

# Median of the rebuild times of a crate, in milliseconds.
rebuild() {
    local crate="$1" times=()
    for _ in $(seq 1 "$runs"); do
        touch "$crate/src/lib.rs"
        local start end
        start=$(date +%s%N)
        cargo build --quiet -p "$crate"
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

policy_ms=$(rebuild policy-macro)
json_ms=$(rebuild json-macro)

timings="$work/timings.txt"
touch policy-macro/src/lib.rs
IAM_POLICY_MACRO_TIMINGS="$timings" cargo build --quiet -p policy-macro
first=$(head -n 1 "$timings")
median_total=$(tail -n +2 "$timings" | awk '{ print $1 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
median_validate=$(tail -n +2 "$timings" | awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
all_total=$(awk '{ s += $1 } END { print s }' "$timings")

echo "policies: $policies x 5 statements, rebuild after touch, median of $runs runs"
echo "policy! crate: ${policy_ms} ms"
echo "json!   crate: ${json_ms} ms"
awk -v p="$policy_ms" -v j="$json_ms" 'BEGIN { printf "ratio policy!/json!: %.2f\n", p / j }'
echo "inside the macro (µs): first call total/validate: ${first/ //}"
echo "inside the macro (µs): median call total ${median_total}, of which validate ${median_validate}"
echo "inside the macro (µs): all $policies calls ${all_total}"
