#!/usr/bin/env bash
# Benchmark of `prowctl scrape` on a realistic 20,000-run deck payload (~180 MB, with pod_spec) against jq doing
# the same filter and projection (projection.jq) on the same file. Reports wall time and peak RSS
# (/usr/bin/time -v) as the median of RUNS runs each, and checks that both produce the same runs. prowctl runs with
# --no-flakes: the flake classifier asks the artifacts store about every failed run (network, not parsing), and
# jq's projection has no classifier (flake_reason is null).
#
#   bench/scrape/run.sh            # RUNS=5 by default; needs java, jq, python3, /usr/bin/time
#
# Build the jar first: ./mvnw -B -DskipTests package. Outputs go to bench/out/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out"
runs="${RUNS:-5}"
payload="$out/prowjobs-20000.json"
mkdir -p "$out"
for tool in java jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 8; }
done
[[ -f "$root/prowctl/target/prowctl.jar" ]] || { echo "run.sh: build first: ./mvnw -B -DskipTests package" >&2; exit 8; }
if [[ ! -f "$payload" ]]; then
  echo "generating $payload ..." >&2
  python3 "$root/bench/scrape/generate.py" "$payload" 20000
fi

# Same runs, same values: prowctl's JSON lines and jq's projection must agree (order-independent).
"$root/bin/prowctl" scrape --no-flakes --prowjobs-file "$payload" --job '*' -o json > "$out/prowctl.jsonl"
jq -c -f "$root/bench/scrape/projection.jq" "$payload" > "$out/jq.jsonl"
if ! cmp -s <(jq -cS . "$out/prowctl.jsonl" | sort) <(jq -cS . "$out/jq.jsonl" | sort); then
  echo "run.sh: prowctl and jq disagree; see $out/prowctl.jsonl and $out/jq.jsonl" >&2
  exit 1
fi

# run_once NAME CMD...: one timed run; appends "wall_s rss_kb cpu_s" to $out/NAME.samples
run_once() {
  local name="$1"; shift
  /usr/bin/time -v -o "$out/time.txt" "$@" > "$out/$name.out" 2> "$out/$name.err" \
    || { echo "run.sh: $name failed:" >&2; cat "$out/$name.err" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + t[j]; w = s}
              /Maximum resident set size/ {r = $2}
              /User time|System time/ {c += $2}
              END {print w, r, c}' "$out/time.txt" >> "$out/$name.samples"
}

# median NAME: "NAME wall_s rss_kb cpu_s", each the median of its samples
median() {
  local mid=$(( (runs + 1) / 2 ))
  local column
  printf '%s' "$1"
  for column in 1 2 3; do
    printf ' %s' "$(cut -d' ' -f"$column" "$out/$1.samples" | sort -g | sed -n "${mid}p")"
  done
  echo
}

# The three commands take turns, round after round, so that a slower or faster spell of a shared machine
# weighs on all of them alike.
rm -f "$out"/*.samples
for ((i = 0; i < runs; i++)); do
  run_once prowctl "$root/bin/prowctl" scrape --no-flakes --prowjobs-file "$payload" --job '*' -o influx
  JAVA_OPTS="${JAVA_OPTS:-} -Xmx64m" run_once prowctl-xmx64m "$root/bin/prowctl" scrape --no-flakes \
    --prowjobs-file "$payload" --job '*' -o influx
  run_once jq jq -c -f "$root/bench/scrape/projection.jq" "$payload"
done
if ! cmp -s "$out/prowctl.out" "$out/prowctl-xmx64m.out"; then
  echo "run.sh: with -Xmx64m prowctl printed something else; see $out/prowctl-xmx64m.out" >&2
  exit 1
fi
results="$out/results.txt"
{
  median prowctl
  median prowctl-xmx64m
  median jq
} > "$results"

lines=$(wc -l < "$out/prowctl.out")
size=$(du -m "$payload" | cut -f1)
echo "payload: $payload (${size} MB, 20000 ProwJobs, $lines finished runs); median of $runs runs; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | wall time | CPU time (user+sys) | peak RSS |"
echo "| --- | --- | --- | --- |"
awk '{printf "| %s | %.2f s | %.2f s | %d MB |\n", $1, $2, $4, $3 / 1024}' "$results"
awk '$1 == "jq" {jw = $2; jr = $3; jc = $4} $1 == "prowctl" {pw = $2; pr = $3; pc = $4}
     END {printf "\nprowctl vs jq: %.1fx faster (wall), %.1fx less CPU, peak RSS %.0f%% of jq'"'"'s\n", jw / pw, jc / pc, 100 * pr / jr}' "$results"
