#!/usr/bin/env bash
# Benchmark of `prowctl scrape` on a realistic 20,000-run deck payload (~180 MB, with pod_spec) against jq doing
# the same filter and projection (projection.jq) on the same file. Reports wall time and peak RSS
# (/usr/bin/time -v) as the median of RUNS runs each, and checks that both produce the same runs. prowctl runs with
# --no-flakes: the flake classifier asks the artifacts store about every failed run (network, not parsing), and
# jq's projection has no classifier (flake_reason is null).
#
#   bench/scrape/run.sh            # RUNS=3 by default; needs java, jq, python3, /usr/bin/time
#
# Build the jar first: ./mvnw -B -DskipTests package. Outputs go to bench/out/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out"
runs="${RUNS:-3}"
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

# measure NAME CMD...: prints "NAME wall_s rss_kb cpu_s" (medians over $runs runs)
measure() {
  local name="$1"; shift
  local walls=() rsss=() cpus=()
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -v -o "$out/time.txt" "$@" > "$out/$name.out" 2> "$out/$name.err" \
      || { echo "run.sh: $name failed:" >&2; cat "$out/$name.err" >&2; exit 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + t[j]; print s}' "$out/time.txt")")
    rsss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")")
    cpus+=("$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$out/time.txt")")
  done
  local mid=$(( (runs + 1) / 2 ))
  echo "$name $(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p") $(printf '%s\n' "${rsss[@]}" | sort -g | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${mid}p")"
}

results="$out/results.txt"
{
  measure prowctl "$root/bin/prowctl" scrape --no-flakes --prowjobs-file "$payload" --job '*' -o influx
  JAVA_OPTS="${JAVA_OPTS:-} -Xmx64m" measure prowctl-xmx64m "$root/bin/prowctl" scrape --no-flakes --prowjobs-file "$payload" --job '*' -o influx
  measure jq jq -c -f "$root/bench/scrape/projection.jq" "$payload"
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
