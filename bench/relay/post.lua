-- wrk script: POST bench/relay/webhook.json (an Alertmanager v4 webhook, one firing alert) to the relay.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-token"
local file = assert(io.open("bench/relay/webhook.json", "r"))
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
  io.write(string.format("requests=%d socket_errors=%d non2xx=%d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
  io.write(string.format("latency_ms p50=%.2f p90=%.2f p99=%.2f max=%.2f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
