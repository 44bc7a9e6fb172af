#!/usr/bin/env bash
# Instructions, not seconds: `iam-policy simulate --format json` under callgrind on the
# evaluation benchmark's scenario files of N and 2N scenarios; the difference divided by N is the
# instruction count of one scenario (start-up and the first reading of each policy text cancel
# out for the repeated files). The counts repeat exactly for the same binary and input and do not
# depend on the machine's speed or load. Counted with `--jobs 1`, and with `--jobs 2` for what
# reading a file in parts on threads of their own adds per scenario (callgrind runs the threads
# one at a time and counts them all). Then whole runs, start-up and end included, where they weigh
# most: an empty file (the fixed cost of a run) and files of 360 scenarios (about as many
# evaluation cases as issue 13 is judged on), in JSON and in the default text format, whose
# rustc-style snippets cost about as much as the rest of the work.
# Needs valgrind. Usage: simulate-instructions.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../../.."
n="${1:-500}"
bench=$(cargo bench --quiet -p iam-policy-cli --bench simulate --no-run --message-format=json 2>/dev/null |
  grep -o '"executable":"[^"]*/deps/simulate-[^"]*"' | sed 's/"executable":"\(.*\)"/\1/' | tail -n 1)
[ -x "$bench" ] || { echo "cannot build the simulate bench" >&2; exit 1; }
cli="$(dirname "$(dirname "$bench")")/iam-policy"
[ -x "$cli" ] || { echo "cannot find the iam-policy binary beside the bench" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/one" "$work/two"
"$bench" --write "$work/one" "$n"
"$bench" --write "$work/two" $((2 * n))
count() { # $1: file, $2: jobs, $3: format (json) -> instructions
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$cli" simulate --format "${3:-json}" --jobs "$2" "$1" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
names=("one policy, repeated" "one policy, distinct" "full set, repeated" "full set, distinct" \
  "comparable, repeated" "comparable, distinct")
for i in 0 1 2 3 4 5; do
  one=$(count "$work/one/$i.json" 1)
  two=$(count "$work/two/$i.json" 1)
  one_threads=$(count "$work/one/$i.json" 2)
  two_threads=$(count "$work/two/$i.json" 2)
  echo "${names[$i]}: $(( (two - one) / n )) instructions per scenario;" \
    "$(( (two_threads - one_threads) / n )) with --jobs 2"
done
mkdir -p "$work/graded"
"$bench" --write "$work/graded" 360
echo '[]' >"$work/empty.json"
echo "an empty file: $(count "$work/empty.json" 1) instructions in all"
for i in 5 1 4 0; do
  echo "${names[$i]}, 360 scenarios: $(count "$work/graded/$i.json" 1) instructions in all;" \
    "$(count "$work/graded/$i.json" 2) with --jobs 2; $(count "$work/graded/$i.json" 1 text) as text"
done
