#!/usr/bin/env bash
# Instructions, not seconds: the lint benchmark's (a) serde_json parse-only and (b) our whole lint,
# each run alone under callgrind over the same corpus. Instruction counts repeat exactly for the
# same binary and input and do not depend on the machine's speed or load, so their ratio is the
# machine-independent form of the benchmark's (b)/(a).
# Needs valgrind. Usage: lint-instructions.sh [CORPUS_DIR] [PASSES]
set -euo pipefail
cd "$(dirname "$0")/../../.."
corpus="${1:-../shared/corpus/aws-managed-dev}"
passes="${2:-3}"
# The bench's own executable: building it also builds the `iam-policy` binary.
bench=$(cargo bench --quiet -p iam-policy-cli --bench lint --no-run --message-format=json 2>/dev/null |
  grep -o '"executable":"[^"]*/deps/lint-[^"]*"' | sed 's/"executable":"\(.*\)"/\1/' | tail -n 1)
[ -x "$bench" ] || { echo "cannot build the lint bench" >&2; exit 1; }
count() { # $1: serde|lint, $2: passes -> instructions
  local out collected
  out=$(mktemp)
  collected=$(valgrind --tool=callgrind --callgrind-out-file="$out" "$bench" "$corpus" --only "$1" --passes "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  rm -f "$out"
  [ -n "$collected" ] || { echo "callgrind counted nothing for --only $1" >&2; exit 1; }
  echo "$collected"
}
# One pass is the difference between N+1 passes and one: start-up and reading the files cancel out.
per_pass() { echo $(( ($(count "$1" $((passes + 1))) - $(count "$1" 1)) / passes )); }
serde=$(per_pass serde)
lint=$(per_pass lint)
echo "corpus: $corpus"
echo "(a) serde_json parse only      $serde instructions per pass"
echo "(b) iam-policy lint in-process $lint instructions per pass"
awk -v a="$serde" -v b="$lint" 'BEGIN { printf "(b)/(a) = %.2f in instructions  (goal: at most 2)\n", b / a }'
