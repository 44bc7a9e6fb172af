#!/usr/bin/env bash
# A user's clean build: a binary crate with one `policy!` against the same crate with one
# `serde_json::json!` instead.
#
# Generates, in a temporary directory outside the workspace, binary crates that each write the
# same small policy once:
# - `with-policy`, through `iam_policy::policy!`, depending on `iam-policy = "=0.1.0"` as a user
#   does: from a registry, here a directory source holding this checkout's crates as
#   `cargo package` packs them (uncommitted changes included) beside the third-party crates
#   `cargo vendor` copies. Cargo builds it as it builds a crates.io dependency: not incrementally,
#   lints capped. This is the figure the issue's goal is about.
# - `with-policy-path`, the same crate with a path dependency on `crates/iam-policy`: cargo
#   compiles a path dependency incrementally, as a workspace member (more work for a clean build:
#   the incremental cache is written, code is split into more units). What the workspace's own
#   examples pay; printed for comparison.
# - `with-json`, through `serde_json::json!` from crates.io.
# All start from this workspace's Cargo.lock (same versions) and are fetched once before anything
# is timed. Then each is built from nothing (`cargo build`, a fresh target dir every time) RUNS
# times, the three taking turns so that a change of load on the machine touches all alike. Prints
# the median wall time and the median CPU time (user + system, of cargo and every rustc it runs)
# of each, and their ratios. CPU time is the steadier figure on a machine that is building other
# things at the same time.
#
# Usage: scripts/bench-clean-build.sh [RUNS]   (default 3)
#        TIMINGS=DIR scripts/bench-clean-build.sh   also keeps each crate's last
#                                                   `cargo build --timings` report in DIR
set -euo pipefail

runs="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR CARGO_INCREMENTAL

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

policy_main="\
const POLICY: iam_policy::Policy = iam_policy::policy!($document);

fn main() {
    println!(\"{}\", POLICY.to_json());
}"
new_crate with-policy-path "iam-policy = { path = \"$root/crates/iam-policy\" }" "$policy_main"
new_crate with-policy 'iam-policy = "=0.1.0"' "$policy_main"
new_crate with-json 'serde_json = "1"' "\
fn main() {
    let policy = serde_json::json!($document);
    println!(\"{policy}\");
}"

for crate in with-policy-path with-json; do
    (cd "$work/$crate" && cargo fetch --quiet)
done

# The registry `with-policy` builds from: this checkout's crates that `iam-policy` depends on, as
# `cargo package` packs them, and the third-party crates they and serde_json need.
registry="$work/registry"
internal=$(cd "$root" && cargo tree --quiet -p iam-policy -e normal,build --prefix none \
    --format '{p}' | grep -F "($root/" | cut -d' ' -f1 | sort -u)
(cd "$root" && cargo package --quiet --offline --no-verify --allow-dirty \
    $(printf -- '-p %s ' $internal) --target-dir "$work/package")
(cd "$work/with-policy-path" &&
    cargo vendor --quiet --offline --versioned-dirs -s "$work/with-json/Cargo.toml" "$registry" >/dev/null)
for package in "$work"/package/package/*.crate; do
    tar xzf "$package" -C "$registry"
    checksum=$(sha256sum "$package" | cut -d' ' -f1)
    printf '{"files":{},"package":"%s"}' "$checksum" \
        > "$registry/$(basename "$package" .crate)/.cargo-checksum.json"
done
mkdir -p "$work/with-policy/.cargo"
cat > "$work/with-policy/.cargo/config.toml" <<TOML
[source.crates-io]
replace-with = "packaged"

[source.packaged]
directory = "$registry"
TOML

(cd "$work/with-policy" && cargo fetch --quiet --offline)

crates=(with-policy with-policy-path with-json)

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
    tr ' ' '\n' | sort -n | awk 'NF { v[++n] = $1 } END { print v[int((n + 1) / 2)] }'
}

declare -A wall_runs cpu_runs
for run in $(seq 1 "$runs"); do
    line="run $run:"
    for crate in "${crates[@]}"; do
        read -r wall cpu < <(clean_build "$crate")
        wall_runs[$crate]+="$wall " cpu_runs[$crate]+="$cpu "
        line+=" $crate $wall s (CPU $cpu s)"
    done
    echo "$line" >&2
done

echo "clean build of a binary crate, median of $runs runs ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
declare -A wall_median cpu_median
for crate in "${crates[@]}"; do
    wall_median[$crate]=$(echo "${wall_runs[$crate]}" | median)
    cpu_median[$crate]=$(echo "${cpu_runs[$crate]}" | median)
    printf '%-16s %5s s wall, %5s s CPU (runs: %s)\n' \
        "$crate" "${wall_median[$crate]}" "${cpu_median[$crate]}" "${wall_runs[$crate]% }"
done
ratio() { # $1: policy crate -> "W wall, C CPU"
    awk -v pw="${wall_median[$1]}" -v jw="${wall_median[with-json]}" \
        -v pc="${cpu_median[$1]}" -v jc="${cpu_median[with-json]}" 'BEGIN { printf "%.2f wall, %.2f CPU", pw / jw, pc / jc }'
}
echo "ratio policy!/json!, iam-policy from a registry (a user's build): $(ratio with-policy)"
echo "ratio policy!/json!, iam-policy as a path dependency (incremental): $(ratio with-policy-path)"
