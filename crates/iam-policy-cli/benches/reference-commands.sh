#!/usr/bin/env bash
# Wall time of whole `iam-policy` processes doing reference look-ups, against `--version` (clap
# only, no look-up) as the baseline: the difference is what the reference costs a process.
# Needs hyperfine (`apt-get install hyperfine`). Usage: reference-commands.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/../../.."
profile="${1:-release}"
flag=""; [ "$profile" = release ] && flag="--release"
cargo build --quiet $flag -p iam-policy-cli
bin="${CARGO_TARGET_DIR:-target}/$profile/iam-policy"
hyperfine --shell=none --ignore-failure --warmup 20 --runs "${RUNS:-300}" \
  "$bin --version" \
  "$bin describe ssm:StartSession" \
  "$bin describe --format json ssm:StartSession" \
  "$bin describe ssm:StartSesion" \
  "$bin actions ssm:*" \
  "$bin actions --format json ssm:*" \
  "$bin reference info"
