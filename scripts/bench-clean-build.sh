#!/usr/bin/env bash
# A user's clean build: a binary crate with one `policy!` against the same crate with one
# `serde_json::json!` instead.
#
# Generates, in a temporary directory outside the workspace, two binary crates that each write
# the same small policy once: `with-policy` through `iam_policy::policy!` (a path dependency on
# this checkout's `crates/iam-policy`), `with-json` through `serde_json::json!`. Both start from
# this workspace's Cargo.lock (same versions) and are fetched once before anything is timed. Then
# each is built from nothing (`cargo build`, a fresh target dir every time) RUNS times, the two
# taking turns so that a change of load on the machine touches both alike. Prints the median
# wall time and the median CPU time (user + system, of cargo and every rustc it runs) of each,
# and their ratios. CPU time is the steadier figure on a machine that is building other things
# at the same time.
#
# Cargo compiles a path dependency incrementally (it is a local package), a crates.io one not:
# `CARGO_INCREMENTAL=0 scripts/bench-clean-build.sh` measures the build of a user who depends on
# a published `iam-policy`.
#
# Usage: scripts/bench-clean-build.sh [RUNS]   (default 3)
#        TIMINGS=DIR scripts/bench-clean-build.sh   also keeps each crate's last
#                                                   `cargo build --timings` report in DIR
set -euo pipefail

runs="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR

document='{
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "ReadLogs",
        "Effect": "Allow",
        "Action": ["logs:GetLogEvents", "logs:FilterLogEvents"],
        "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:app:*"
    }]
}'

new_crate() {
    local name="$1" dependency="$2" main="$3"
    mkdir -p "$work/$name/src"
    cat > "$work/$name/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$dependency

# Its own workspace, not a member of any around it.
[workspace]
TOML
    echo "$main" > "$work/$name/src/main.rs"
    cp "$root/Cargo.lock" "$work/$name/Cargo.lock"
}

new_crate with-policy "iam-policy = { path = \"$root/crates/iam-policy\" }" "\
const POLICY: iam_policy::Policy = iam_policy::policy!($document);

fn main() {
    println!(\"{}\", POLICY.to_json());
}"
new_crate with-json 'serde_json = "1"' "\
fn main() {
    let policy = serde_json::json!($document);
    println!(\"{policy}\");
}"

for crate in with-policy with-json; do
    (cd "$work/$crate" && cargo fetch --quiet)
done

# One clean build of a crate: prints "wall-seconds cpu-seconds".
clean_build() {
    local crate="$1" target="$work/target-$1" times="$work/times"
    rm -rf "$target"
    local timings=()
    if [[ -n "${TIMINGS:-}" ]]; then timings=(--timings); fi
    (cd "$work/$crate" &&
        /usr/bin/time -f '%e %U %S' -o "$times" \
            cargo build --quiet --offline --locked "${timings[@]}" --target-dir "$target")
    if [[ -n "${TIMINGS:-}" ]]; then
        mkdir -p "$TIMINGS"
        cp "$target"/cargo-timings/cargo-timing.html "$TIMINGS/$crate.html"
    fi
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$times"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

policy_wall=() policy_cpu=() json_wall=() json_cpu=()
for run in $(seq 1 "$runs"); do
    read -r wall cpu < <(clean_build with-policy)
    policy_wall+=("$wall") policy_cpu+=("$cpu")
    read -r wall cpu < <(clean_build with-json)
    json_wall+=("$wall") json_cpu+=("$cpu")
    echo "run $run: policy! ${policy_wall[-1]} s (CPU ${policy_cpu[-1]} s), json! ${json_wall[-1]} s (CPU ${json_cpu[-1]} s)" >&2
done

pw=$(printf '%s\n' "${policy_wall[@]}" | median)
pc=$(printf '%s\n' "${policy_cpu[@]}" | median)
jw=$(printf '%s\n' "${json_wall[@]}" | median)
jc=$(printf '%s\n' "${json_cpu[@]}" | median)
echo "clean build of a binary crate, median of $runs runs ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "policy! crate: ${pw} s wall, ${pc} s CPU (runs: ${policy_wall[*]})"
echo "json!   crate: ${jw} s wall, ${jc} s CPU (runs: ${json_wall[*]})"
awk -v pw="$pw" -v jw="$jw" -v pc="$pc" -v jc="$jc" \
    'BEGIN { printf "ratio policy!/json!: %.2f wall, %.2f CPU\n", pw / jw, pc / jc }'
