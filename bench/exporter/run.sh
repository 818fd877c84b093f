#!/usr/bin/env bash
# Benchmark of `prowctl exporter` against the one-shot `prowctl scrape` on the same 20,000-run payload
# (bench/scrape/generate.py, with pod_spec; a few thousand distinct jobs):
#  1. one-shot: `prowctl scrape --no-flakes -o influx`, peak RSS and CPU (/usr/bin/time -v), median of RUNS runs;
#  2. exporter: `prowctl exporter --no-flakes --interval INTERVAL` on the same file; after CYCLES scrapes, its
#     steady-state RSS (VmRSS) and peak (VmHWM) from /proc, and CPU per scrape cycle (utime+stime over the cycles);
#  3. /metrics latency under 20 concurrent scrapers: wrk -c 20 for 10 s, plain and with Accept-Encoding: gzip
#     (what Prometheus sends), latency percentiles.
# Goals (issue 14): exporter steady RSS <= 1.5x the one-shot's peak; /metrics p99 < 25 ms.
#
#   bench/exporter/run.sh          # RUNS=3 CYCLES=5 INTERVAL=10s; needs java, python3, curl, wrk, /usr/bin/time
#
# Build the jar first: ./mvnw -B -DskipTests package. Outputs go to bench/out/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out"
runs="${RUNS:-3}"
cycles="${CYCLES:-5}"
interval="${INTERVAL:-10s}"
port="${EXPORTER_PORT:-19097}"
payload="$out/prowjobs-20000.json"
mkdir -p "$out"
for tool in java python3 curl wrk /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 8; }
done
[[ -f "$root/prowctl/target/prowctl.jar" ]] || { echo "run.sh: build first: ./mvnw -B -DskipTests package" >&2; exit 8; }
if [[ ! -f "$payload" ]]; then
  echo "generating $payload ..." >&2
  python3 "$root/bench/scrape/generate.py" "$payload" 20000
fi
state="$(mktemp -d)"
cleanup() {
  if [[ -n "${exporter_pid:-}" ]]; then kill "$exporter_pid" 2>/dev/null; wait "$exporter_pid" 2>/dev/null || true; fi
  rm -rf "$state"
}
trap cleanup EXIT

# 1. one-shot scrape: "wall_s rss_kb cpu_s" per run
rm -f "$out/oneshot.samples"
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -v -o "$out/time.txt" "$root/bin/prowctl" scrape --no-flakes --prowjobs-file "$payload" \
    --url https://prow.example.org/ --job '*' -o influx > "$out/oneshot.out"
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + t[j]; w = s}
              /Maximum resident set size/ {r = $2}
              /User time|System time/ {c += $2}
              END {print w, r, c}' "$out/time.txt" >> "$out/oneshot.samples"
done
mid=$(( (runs + 1) / 2 ))
oneshot_rss=$(cut -d' ' -f2 "$out/oneshot.samples" | sort -g | sed -n "${mid}p")
oneshot_cpu=$(cut -d' ' -f3 "$out/oneshot.samples" | sort -g | sed -n "${mid}p")
oneshot_wall=$(cut -d' ' -f1 "$out/oneshot.samples" | sort -g | sed -n "${mid}p")
finished=$(wc -l < "$out/oneshot.out")

# 2. the exporter, CYCLES scrapes of the same payload
"$root/bin/prowctl" exporter --no-flakes --prowjobs-file "$payload" --url https://prow.example.org/ --job '*' \
  --interval "$interval" --listen "127.0.0.1:$port" --state-dir "$state" 2> "$out/exporter.err" & exporter_pid=$!
metrics="http://127.0.0.1:$port/metrics"
for _ in $(seq 600); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "run.sh: exporter not ready:" >&2; cat "$out/exporter.err" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$exporter_pid/stat"; }
# count scrapes by watching exporter-state.json being replaced (new inode and mtime after each successful scrape), not by
# reading /metrics, which would add its own CPU
inode() { stat -c "%i %.9Y" "$state/exporter-state.json"; }
seen=$(inode); done_cycles=0; cpu_start=$(cpu_ticks)
while ((done_cycles < cycles)); do
  sleep 0.2
  now=$(inode)
  if [[ "$now" != "$seen" ]]; then seen=$now; done_cycles=$((done_cycles + 1)); fi
done
cpu_end=$(cpu_ticks)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$exporter_pid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$exporter_pid/status")
cpu_per_cycle=$(awk -v a="$cpu_start" -v b="$cpu_end" -v t="$ticks" -v n="$cycles" 'BEGIN {printf "%.2f", (b - a) / t / n}')
scrape_s=$(curl -fsS "$metrics" | awk '/^prowctl_scrape_duration_seconds / {printf "%.2f", $2}')
series=$(curl -fsS "$metrics" | grep -c '^prowctl_job_')
jobs=$(curl -fsS "$metrics" | grep -c '^prowctl_job_last_run_timestamp_seconds{')
body_kb=$(( $(curl -fsS "$metrics" | wc -c) / 1024 ))
gzip_kb=$(( $(curl -fsS -H 'Accept-Encoding: gzip' "$metrics" | wc -c) / 1024 ))
counted=$(curl -fsS "$metrics" | awk '/^prowctl_job_runs_total/ {s += $2} END {print s}')
[[ "$counted" == "$finished" ]] || { echo "run.sh: the exporter counted $counted runs, scrape printed $finished" >&2; exit 1; }

# 3. /metrics under 20 concurrent scrapers
wrk -t 4 -c 20 -d 10s --timeout 10s --latency "$metrics" > "$out/wrk-plain.txt"
wrk -t 4 -c 20 -d 10s --timeout 10s --latency -H 'Accept-Encoding: gzip' "$metrics" > "$out/wrk-gzip.txt"
pct() { awk -v p="$1" '$1 == p {print $2}' "$2"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }

echo "payload: $payload (20000 ProwJobs, $finished finished runs, $jobs jobs, $series job series, /metrics $body_kb KB, $gzip_kb KB gzip); $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| | value |"
echo "| --- | --- |"
echo "| one-shot scrape: wall / CPU / peak RSS (median of $runs) | $oneshot_wall s / $oneshot_cpu s / $((oneshot_rss / 1024)) MB |"
echo "| exporter steady-state RSS after $cycles more scrapes (VmRSS) | $((rss / 1024)) MB ($(awk -v a="$rss" -v b="$oneshot_rss" 'BEGIN {printf "%.2f", a / b}')x the one-shot peak; goal <= 1.5x) |"
echo "| exporter peak RSS (VmHWM) | $((hwm / 1024)) MB |"
echo "| exporter CPU per scrape cycle (user+sys) / wall of the last scrape | $cpu_per_cycle s / $scrape_s s |"
echo "| /metrics, 20 concurrent, plain: p50 / p99 / req/s | $(pct 50% "$out/wrk-plain.txt") / $(pct 99% "$out/wrk-plain.txt") / $(rps "$out/wrk-plain.txt") |"
echo "| /metrics, 20 concurrent, gzip: p50 / p99 / req/s | $(pct 50% "$out/wrk-gzip.txt") / $(pct 99% "$out/wrk-gzip.txt") / $(rps "$out/wrk-gzip.txt") |"
