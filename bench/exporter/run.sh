#!/usr/bin/env bash
# Benchmark of `prowctl exporter` against the one-shot `prowctl scrape` on the same payload: 20,000 ProwJobs over
# 2,000 jobs (bench/scrape/generate.py OUT 20000 2000, with pod_spec and rehearsal configs, 178 MB):
#  1. one-shot: `prowctl scrape --no-flakes -o influx`, peak RSS and CPU (/usr/bin/time -v), median of RUNS runs;
#  2. exporter: `prowctl exporter --no-flakes --interval INTERVAL` on the same file; after CYCLES scrapes, its
#     steady-state RSS (VmRSS) and peak (VmHWM) from /proc, and CPU per scrape cycle (utime+stime over the cycles);
#     it must have counted exactly the runs the one-shot printed;
#  3. /metrics under 20 concurrent scrapers (wrk -c 20, back to back, WARMUP_S seconds then LATENCY_S measured),
#     with Accept-Encoding: gzip as Prometheus sends it, and plain:
#     a. between scrapes, in windows that start when a scrape has just ended (the next one starts INTERVAL_S
#        later): what a Prometheus sees at all times but the scrape's own second or so every --interval (5m);
#     b. a window with a scrape in its middle (the worst case).
# Goals (issue 14): exporter steady RSS <= 1.5x the one-shot's peak; /metrics p99 < 25 ms.
#
#   bench/exporter/run.sh          # RUNS=3 CYCLES=5 INTERVAL_S=20 LATENCY_S=8 WARMUP_S=2 JOBS=2000
#   EXPORTER_JAVA_OPTS=... bench/exporter/run.sh   # JVM flags for the exporter only (after bin/prowctl's)
#   WINDOW_ONLY=1 JAVA_OPTS=... bench/exporter/run.sh   # a short trial of JVM flags: no one-shot, no windows between
#                                  # scrapes; the exporter's RSS after CYCLES scrapes and the window holding a scrape
#
# Needs java, python3, curl, wrk, /usr/bin/time. Build the jar first: ./mvnw -B -DskipTests package. Outputs go to
# bench/out/ (git-ignored). The machine's load average is printed with the figures: on a shared machine it moves
# the latencies more than anything the exporter does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out"
runs="${RUNS:-3}"
cycles="${CYCLES:-5}"
interval_s="${INTERVAL_S:-20}"
interval="${interval_s}s"
latency_s="${LATENCY_S:-8}"
warmup_s="${WARMUP_S:-2}"
jobs="${JOBS:-2000}"
window_only="${WINDOW_ONLY:-}"
port="${EXPORTER_PORT:-19097}"
payload="$out/prowjobs-20000-${jobs}jobs.json"
mkdir -p "$out"
for tool in java python3 curl wrk /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 8; }
done
[[ -f "$root/prowctl/target/prowctl.jar" ]] || { echo "run.sh: build first: ./mvnw -B -DskipTests package" >&2; exit 8; }
if [[ ! -f "$payload" ]]; then
  echo "generating $payload ..." >&2
  python3 "$root/bench/scrape/generate.py" "$payload" 20000 "$jobs"
fi
state="$(mktemp -d)"
exporter_pid=
stop_exporter() {
  if [[ -n "$exporter_pid" ]]; then kill "$exporter_pid" 2>/dev/null || true; wait "$exporter_pid" 2>/dev/null || true; fi
  exporter_pid=
}
cleanup() {
  stop_exporter
  rm -rf "$state"
}
trap cleanup EXIT
metrics="http://127.0.0.1:$port/metrics"

start_exporter() { # INTERVAL LOG
  JAVA_OPTS="${JAVA_OPTS:-} ${EXPORTER_JAVA_OPTS:-}" "$root/bin/prowctl" exporter --no-flakes --prowjobs-file "$payload" --url https://prow.example.org/ --job '*' \
    --interval "$1" --listen "127.0.0.1:$port" --state-dir "$state" 2> "$2" & exporter_pid=$!
  for _ in $(seq 600); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "run.sh: exporter not ready:" >&2; cat "$2" >&2; exit 1; }
  # one request of each variant, so that every later scrape encodes both ahead of the requests
  curl -fsS "$metrics" > /dev/null
  curl -fsS -H 'Accept-Encoding: gzip' "$metrics" > /dev/null
}

# 1. one-shot scrape: "wall_s rss_kb cpu_s" per run
rm -f "$out/oneshot.samples"
if [[ -n "$window_only" ]]; then runs=0; fi
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -v -o "$out/time.txt" "$root/bin/prowctl" scrape --no-flakes --prowjobs-file "$payload" \
    --url https://prow.example.org/ --job '*' -o influx > "$out/oneshot.out"
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + t[j]; w = s}
              /Maximum resident set size/ {r = $2}
              /User time|System time/ {c += $2}
              END {print w, r, c}' "$out/time.txt" >> "$out/oneshot.samples"
done
if [[ -n "$window_only" ]]; then
  # a trial: the ratio is to the one-shot peak of the full runs (docs/exporter.md, Benchmark: 111 MB)
  echo "0 $((111 * 1024)) 0" > "$out/oneshot.samples"; runs=1; : > "$out/oneshot.out"
fi
mid=$(( (runs + 1) / 2 ))
oneshot_rss=$(cut -d' ' -f2 "$out/oneshot.samples" | sort -g | sed -n "${mid}p")
oneshot_cpu=$(cut -d' ' -f3 "$out/oneshot.samples" | sort -g | sed -n "${mid}p")
oneshot_wall=$(cut -d' ' -f1 "$out/oneshot.samples" | sort -g | sed -n "${mid}p")
finished=$(wc -l < "$out/oneshot.out")

# 2. the exporter, CYCLES scrapes of the same payload
start_exporter "$interval" "$out/exporter.err"
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$exporter_pid/stat"; }
# count scrapes by watching exporter-state.json being replaced (new inode and mtime after each successful scrape), not
# by reading /metrics, which would add its own CPU
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
curl -fsS "$metrics" > "$out/metrics.txt"
scrape_s=$(awk '/^prowctl_scrape_duration_seconds / {printf "%.2f", $2}' "$out/metrics.txt")
series=$(grep -c '^prowctl_job_' "$out/metrics.txt")
jobs_seen=$(grep -c '^prowctl_job_last_run_timestamp_seconds{' "$out/metrics.txt")
body_kb=$(( $(wc -c < "$out/metrics.txt") / 1024 ))
gzip_kb=$(( $(curl -fsS -H 'Accept-Encoding: gzip' "$metrics" | wc -c) / 1024 ))
counted=$(awk '/^prowctl_job_runs_total/ {s += $2} END {print s}' "$out/metrics.txt")
[[ -n "$window_only" || "$counted" == "$finished" ]] || { echo "run.sh: the exporter counted $counted runs, scrape printed $finished" >&2; exit 1; }

# 3. latency; each window starts when a scrape has just ended (the state file was replaced)
after_scrape() { local seen; seen=$(inode); while [[ "$(inode)" == "$seen" ]]; do sleep 0.05; done; }
measure() { # OUT [wrk options]: LATENCY_S seconds of 20 connections, after WARMUP_S seconds of the same
  local file=$1; shift
  wrk -t 2 -c 20 -d "${warmup_s}s" --timeout 10s "$@" "$metrics" > /dev/null
  cut -d' ' -f1 /proc/loadavg > "$file.load"
  wrk -t 2 -c 20 -d "${latency_s}s" --timeout 10s --latency "$@" "$metrics" > "$file"
}
# a. between scrapes: the next scrape starts INTERVAL after the last one ended, after the window
if [[ -z "$window_only" ]]; then
  after_scrape; measure "$out/wrk-gzip.txt" -H 'Accept-Encoding: gzip'
  after_scrape; measure "$out/wrk-plain.txt"
fi
rss_after_requests=$(awk '/^VmRSS/ {print $2}' "/proc/$exporter_pid/status")
# b. a window with one scrape in its middle
after_scrape; sleep "$(awk -v i="$interval_s" -v w="$warmup_s" -v l="$latency_s" 'BEGIN {print i - w - l / 2}')"
measure "$out/wrk-gzip-scrape.txt" -H 'Accept-Encoding: gzip'
stop_exporter

pct() { awk -v p="$1" '$1 == p {print $2}' "$2"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
row() { echo "$(pct 50% "$1") / $(pct 99% "$1") / $(awk '/^ +Latency/ {print $4}' "$1") / $(rps "$1")"; }

echo "exporter JVM flags: bin/prowctl's ${JAVA_OPTS:-} ${EXPORTER_JAVA_OPTS:-}"
echo "payload: $payload (20000 ProwJobs, $finished finished runs, $jobs_seen jobs, $series job series, /metrics $body_kb KB, $gzip_kb KB gzip); $(nproc) CPUs"
echo
echo "| | value |"
echo "| --- | --- |"
echo "| one-shot scrape: wall / CPU / peak RSS (median of $runs) | $oneshot_wall s / $oneshot_cpu s / $((oneshot_rss / 1024)) MB |"
echo "| exporter steady-state RSS after $cycles more scrapes (VmRSS) | $((rss / 1024)) MB ($(awk -v a="$rss" -v b="$oneshot_rss" 'BEGIN {printf "%.2f", a / b}')x the one-shot peak; goal <= 1.5x) |"
echo "| exporter peak RSS (VmHWM) | $((hwm / 1024)) MB |"
echo "| exporter CPU per scrape cycle (user+sys) / wall of the last scrape | $cpu_per_cycle s / $scrape_s s |"
if [[ -n "$window_only" ]]; then
  echo "| trial (WINDOW_ONLY) with ${JAVA_OPTS:-} ${EXPORTER_JAVA_OPTS:-} | steady RSS $((rss / 1024)) MB / peak $((hwm / 1024)) MB; scrape window gzip p50 / p99 / max / req/s (load $(cat "$out/wrk-gzip-scrape.txt.load")): $(row "$out/wrk-gzip-scrape.txt"); RSS after $((rss_after_requests / 1024)) MB; CPU/cycle $cpu_per_cycle s |"
  exit 0
fi
echo "| /metrics between scrapes, gzip: p50 / p99 / max / req/s (load $(cat "$out/wrk-gzip.txt.load")) | $(row "$out/wrk-gzip.txt") |"
echo "| /metrics between scrapes, plain: p50 / p99 / max / req/s (load $(cat "$out/wrk-plain.txt.load")) | $(row "$out/wrk-plain.txt") |"
echo "| /metrics, ${latency_s} s window with a scrape in its middle, gzip: p50 / p99 / max / req/s (load $(cat "$out/wrk-gzip-scrape.txt.load")) | $(row "$out/wrk-gzip-scrape.txt") |"
echo "| exporter RSS after these requests (VmRSS) | $((rss_after_requests / 1024)) MB |"
