#!/usr/bin/env bash
# Ingest benchmark of `prowctl relay` on loopback, chat output pointed at a local sink (ChatSink.java) that counts
# what it receives.
#  1. open loop: LoadClient.java posts webhooks at RATE/s for SECONDS (after a 5 s warm-up at the same rate) and
#     reports latency percentiles; then every webhook the relay answered 200 (its -o json access log) must have
#     reached the sink: zero loss.
#  2. closed loop: wrk with CONNECTIONS connections for 10 s, to show the ceiling (answers 503 once the chat
#     output falls behind and the queue fills: refused, never dropped).
# Usage: bench/relay/run.sh [RATE=2000] [SECONDS=30] [CONNECTIONS=16]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rate=${1:-2000}
seconds=${2:-30}
connections=${3:-16}
relay_port=${RELAY_PORT:-19095}
sink_port=${SINK_PORT:-19096}
hook="http://127.0.0.1:$relay_port/hook"

[[ -f prowctl/target/prowctl.jar ]] || ./mvnw -B -q -DskipTests package

tmp=$(mktemp -d)
cleanup() {
  if [[ -n "${relay_pid:-}" ]]; then kill "$relay_pid" 2>/dev/null; wait "$relay_pid" 2>/dev/null || true; fi
  if [[ -n "${sink_pid:-}" ]]; then kill "$sink_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

java -Xmx128m bench/relay/ChatSink.java "$sink_port" & sink_pid=$!
PROWCTL_RELAY_AUTH_TOKEN=bench-token java -Xmx256m -jar prowctl/target/prowctl.jar relay \
  --listen "127.0.0.1:$relay_port" --slack-webhook "http://127.0.0.1:$sink_port/hook" \
  --queue-size 100000 -o json >"$tmp/access.log" 2>"$tmp/relay.log" & relay_pid=$!
for _ in $(seq 200); do
  curl -fsS "http://127.0.0.1:$relay_port/healthz" >/dev/null 2>&1 \
    && curl -fsS "http://127.0.0.1:$sink_port/count" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "== open loop: $rate webhooks/s for $seconds s (after a 5 s warm-up)"
java bench/relay/LoadClient.java "$hook" bench/relay/webhook.json "$rate" 5 bench-token >/dev/null
java bench/relay/LoadClient.java "$hook" bench/relay/webhook.json "$rate" "$seconds" bench-token

queued=unknown
for _ in $(seq 300); do
  queued=$(curl -fsS "http://127.0.0.1:$relay_port/healthz" | grep -o '"queued":[0-9]*' | cut -d: -f2)
  [[ "$queued" == "0" ]] && break
  sleep 0.1
done
read -r received posts < <(curl -fsS "http://127.0.0.1:$sink_port/count")
accepted=$(grep -c '"path":"/hook","status":200' "$tmp/access.log")
echo "relay answered 200 to $accepted webhooks (warm-up included); the sink received $received messages in $posts posts"
if [[ "$received" != "$accepted" ]]; then echo "LOSS: $((accepted - received)) messages missing" >&2; exit 1; fi
echo "loss: none"

if command -v wrk >/dev/null; then
  echo "== closed loop: wrk, $connections connections, 10 s"
  wrk -t2 -c"$connections" -d10s -s bench/relay/post.lua "$hook" | grep -E "Requests/sec|Non-2xx|requests=|latency_ms"
fi
