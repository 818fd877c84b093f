package dev.prowctl.relay;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.http.TerminalText;

/**
 * What the relay answers, apart from how the bytes arrive ({@link WebhookServer}): {@code POST /hook} and
 * {@code POST /} take webhooks, {@code GET /healthz} says whether the relay and its outputs are usable. A webhook is
 * answered 200 only once its messages are queued for every output; a full queue answers 503 so the sender retries.
 */
final class WebhookRoutes {
    private final Relay relay;
    private final WebhookAuth auth;
    private final WebhookParser parser = new WebhookParser();
    private final RelayLog log;
    private final ObjectMapper mapper = new ObjectMapper();

    WebhookRoutes(Relay relay, WebhookAuth auth, RelayLog log) {
        this.relay = relay;
        this.auth = auth;
        this.log = log;
    }

    /** The answer to a request; dialect is null unless a webhook body was parsed. */
    record Reply(int status, String json, WebhookParser.Dialect dialect, int alerts, int messages) {
        private static final ObjectMapper JSON = new ObjectMapper();

        static Reply error(int status, String reason) {
            ObjectNode json = JSON.createObjectNode();
            json.put("error", reason);
            return new Reply(status, json.toString(), null, 0, 0);
        }
    }

    /** Checks made before the body is read; empty when the body is wanted. */
    Optional<Reply> beforeBody(String method, String path, WebhookAuth.Headers headers) {
        if (path.equals("/healthz")) {
            return Optional.of(method.equals("GET") || method.equals("HEAD") ? health()
                    : Reply.error(405, "use GET on /healthz"));
        }
        if (!path.equals("/hook") && !path.equals("/")) {
            return Optional.of(Reply.error(404, "no such path: post webhooks to /hook"));
        }
        if (!method.equals("POST")) {
            return Optional.of(Reply.error(405, "use POST to send a webhook"));
        }
        if (!auth.configured()) {
            // Without credentials only a browser could be made to post here (CSRF): it sends a foreign Origin, or a
            // form/text body; Alertmanager and Grafana send JSON without an Origin.
            String origin = headers.first("Origin");
            String host = headers.first("Host");
            if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
                return Optional.of(Reply.error(403, "cross-origin requests are refused"));
            }
            if (!isJson(headers.first("Content-Type"))) {
                return Optional.of(Reply.error(415, "send the webhook as Content-Type: application/json"));
            }
        }
        return Optional.empty();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** The answer to a webhook whose body was read. */
    Reply webhook(String remote, WebhookAuth.Headers headers, byte[] body) {
        Optional<String> denied = auth.check(headers, body);
        if (denied.isPresent()) {
            log.debug("refused a webhook from " + remote + ": " + denied.get());
            return Reply.error(401, denied.get());
        }
        Reply reply = queue(body);
        if (reply.status() != 200) {
            auth.release(headers);
        }
        return reply;
    }

    private Reply queue(byte[] body) {
        WebhookParser.Parsed parsed;
        try {
            parsed = parser.parse(body);
        } catch (BadPayloadException e) {
            log.debug("refused a webhook: " + TerminalText.oneLine(e.getMessage()));
            return Reply.error(400, e.getMessage());
        }
        if (!relay.offer(parsed.messages())) {
            log.info("queue full: answered 503 to a webhook with " + parsed.messages().size()
                    + " message(s); the sender will retry");
            Reply full = Reply.error(503, "relay queue is full, retry later");
            return new Reply(503, full.json(), parsed.dialect(), parsed.alerts(), 0);
        }
        if (log.verbose()) {
            parsed.messages().forEach(message -> log.info("relaying: " + TerminalText.oneLine(message)));
        }
        ObjectNode ok = mapper.createObjectNode();
        ok.put("status", "queued");
        ok.put("messages", parsed.messages().size());
        return new Reply(200, ok.toString(), parsed.dialect(), parsed.alerts(), parsed.messages().size());
    }

    /**
     * 200 when every output is usable; otherwise 503 with the reasons, "unavailable" when a queue is full (webhooks
     * are refused) and "degraded" when webhooks are queued but an output cannot deliver them now.
     */
    Reply health() {
        ObjectNode json = mapper.createObjectNode();
        ObjectNode outputs = json.putObject("outputs");
        Map<String, Integer> queued = relay.queued();
        Map<String, Relay.Delivery> last = relay.lastDeliveries();
        boolean ok = true;
        boolean queueFull = false;
        StringBuilder reasons = new StringBuilder();
        for (Map.Entry<String, Optional<String>> entry : relay.health().entrySet()) {
            ObjectNode output = outputs.putObject(entry.getKey());
            output.put("usable", entry.getValue().isEmpty());
            output.put("queued", queued.getOrDefault(entry.getKey(), 0));
            Relay.Delivery delivery = last.get(entry.getKey());
            if (delivery != null) {
                output.put("lastDelivery", delivery.delivered() ? "delivered" : "failed: " + delivery.failure());
                output.put("lastDeliveryAt", delivery.at().toString());
            }
            if (entry.getValue().isPresent()) {
                ok = false;
                queueFull |= entry.getValue().get().startsWith(Relay.QUEUE_FULL);
                output.put("reason", entry.getValue().get());
                reasons.append(reasons.length() == 0 ? "" : "; ").append(entry.getKey()).append(": ")
                        .append(entry.getValue().get());
            }
        }
        // Degraded: webhooks are still taken and queued, but not (all) delivered now; unavailable: they get 503.
        json.put("status", ok ? "ok" : queueFull ? "unavailable" : "degraded");
        if (!ok) {
            json.put("reason", reasons.toString());
        }
        return new Reply(ok ? 200 : 503, json.toString(), null, 0, 0);
    }
}
