#!/usr/bin/env bash
# Rebuild cost of `policy!` against `serde_json::json!`.
#
# Generates, in a temporary directory, two library crates holding the same 200 policies of 5
# statements each: one writes them with `policy!` (as constants), the other with `json!` (as
# functions, since `json!` is not const). Builds both once, then touches each crate's source and
# times the rebuild RUNS times (the crates taking turns), printing the median of each and their
# ratio. The `policy!` rebuilds run with `IAM_POLICY_MACRO_TIMINGS` set, so the macro's own figures
# come too (medians over the runs): the first call of a build (which pays for the first use of the
# reference data), any later call, in total and inside the core's rules, and all calls of a build.
#
# With CALLGRIND=FILE (needs valgrind), one more rebuild of the `policy!` crate runs its rustc under
# callgrind, counting the instructions inside the macro's entry point only: the macro's own work and
# the compiler's work answering its requests (reading tokens, lexing the expansion), summed over
# the 200 calls. Instruction counts repeat for the same build and do not depend on the machine's
# speed or load. Callgrind's output stays in FILE, for `callgrind_annotate --inclusive=yes FILE`.
#
# Usage: scripts/bench-macro.sh [RUNS]   (default 5; set CARGO_TARGET_DIR to reuse a target dir)
#        CALLGRIND=FILE scripts/bench-macro.sh [RUNS]
set -euo pipefail

runs="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/target}"
policies=200
# Callgrind's output file, if asked for, as an absolute path (the script changes directory).
callgrind_out="${CALLGRIND:+$(realpath -m "$CALLGRIND")}"

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

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Rebuild time of a crate after a touch, in milliseconds.
rebuild() {
    local crate="$1" start end
    touch "$crate/src/lib.rs"
    start=$(date +%s%N)
    cargo build --quiet -p "$crate"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

# The two crates take turns, so that a change of load on the machine touches both alike. The
# macro records its own timings in every `policy!` rebuild (200 lines a run).
timings="$work/timings.txt"
policy_times=() json_times=()
for _ in $(seq 1 "$runs"); do
    policy_times+=("$(IAM_POLICY_MACRO_TIMINGS="$timings" rebuild policy-macro)")
    json_times+=("$(rebuild json-macro)")
done
policy_ms=$(printf '%s\n' "${policy_times[@]}" | median)
json_ms=$(printf '%s\n' "${json_times[@]}" | median)

first_total=$(awk -v n="$policies" 'NR % n == 1 { print $1 }' "$timings" | median)
first_validate=$(awk -v n="$policies" 'NR % n == 1 { print $2 }' "$timings" | median)
call_total=$(awk -v n="$policies" 'NR % n != 1 { print $1 }' "$timings" | median)
call_validate=$(awk -v n="$policies" 'NR % n != 1 { print $2 }' "$timings" | median)
all_calls=$(awk -v n="$policies" '{ s += $1 } NR % n == 0 { print s; s = 0 }' "$timings" | median)

echo "policies: $policies x 5 statements, rebuild after touch, median of $runs runs"
echo "policy! crate: ${policy_ms} ms (runs: ${policy_times[*]})"
echo "json!   crate: ${json_ms} ms (runs: ${json_times[*]})"
awk -v p="$policy_ms" -v j="$json_ms" 'BEGIN { printf "ratio policy!/json!: %.2f\n", p / j }'
echo "inside policy!, first call of a build: ${first_total} µs, of which ${first_validate} µs in the rules (first use of the reference data)"
echo "inside policy!, any later call: ${call_total} µs, of which ${call_validate} µs in the rules"
echo "inside policy!, all $policies calls of a build: ${all_calls} µs"

if [[ -n "$callgrind_out" ]]; then
    # A rustc wrapper that runs the `policy!` crate's compilation under callgrind, others as they are.
    cat > "$work/callgrind-rustc.sh" <<'WRAPPER'
#!/usr/bin/env bash
if [[ " $* " == *" --crate-name policy_macro "* ]]; then
    exec valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$CALLGRIND_OUT" \
        --toggle-collect='iam_policy_macros::policy' "$@"
fi
exec "$@"
WRAPPER
    chmod +x "$work/callgrind-rustc.sh"
    touch policy-macro/src/lib.rs
    CALLGRIND_OUT="$callgrind_out" RUSTC_WRAPPER="$work/callgrind-rustc.sh" \
        cargo build --quiet -p policy-macro 2>/dev/null
    instructions=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$callgrind_out")
    echo "inside policy!, all $policies calls of a build: ${instructions} instructions ($((instructions / policies)) per call)"
fi
