package dev.prowctl.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP side of the relay, on the JDK's built-in server: {@code POST /hook} and {@code POST /} take webhooks,
 * {@code GET /healthz} says whether the relay and its outputs are usable. A webhook is answered 200 only once its
 * messages are queued for every output; a full queue answers 503 so the sender retries.
 */
public final class WebhookServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Relay relay;
    private final WebhookAuth auth;
    private final WebhookParser parser = new WebhookParser();
    private final RelayLog log;
    private final Consumer<String> accessLog;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param accessLog receives one JSON line per request, or null for none
     */
    public WebhookServer(InetSocketAddress address, Relay relay, WebhookAuth auth, RelayLog log,
            Consumer<String> accessLog) throws IOException {
        this.relay = relay;
        this.auth = auth;
        this.log = log;
        this.accessLog = accessLog;
        // Without TCP_NODELAY, headers and body leave in two packets and delayed ACKs add ~40 ms per request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(address, 512);
        // Bounded: a flood of requests waits in the accept backlog instead of growing the heap.
        this.executor = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                runnable -> {
                    Thread thread = new Thread(runnable, "relay-http");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    /** The address actually bound (the port is chosen by the OS when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting requests; those being handled get up to a second to finish. */
    @Override
    public void close() {
        // JDK 17's stop(delay) waits the whole delay even when no request is being handled (JDK-8304065).
        server.stop(inFlight.get() == 0 ? 0 : 1);
        executor.shutdown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            respond(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        Reply reply;
        try {
            reply = route(exchange);
        } catch (IOException e) {
            reply = new Reply(400, error("could not read the request: " + e.getMessage()), null, 0, 0);
        }
        try {
            if (reply.status == 401) {
                exchange.getResponseHeaders().add("WWW-Authenticate",
                        auth.usesBasic() ? "Basic realm=\"prowctl relay\"" : "Bearer realm=\"prowctl relay\"");
            }
            if (reply.status == 405) {
                exchange.getResponseHeaders().add("Allow", exchange.getRequestURI().getPath().equals("/healthz")
                        ? "GET, HEAD" : "POST");
            }
            if (reply.status == 503 && reply.dialect != null) {
                exchange.getResponseHeaders().add("Retry-After", "5");
            }
            byte[] body = (reply.json + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(reply.status, -1);
            } else {
                exchange.sendResponseHeaders(reply.status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } finally {
            exchange.close();
            if (accessLog != null) {
                ObjectNode line = mapper.createObjectNode();
                line.put("time", java.time.Instant.now().toString());
                line.put("remote", exchange.getRemoteAddress().getAddress().getHostAddress());
                line.put("method", exchange.getRequestMethod());
                line.put("path", exchange.getRequestURI().getPath());
                line.put("status", reply.status);
                if (reply.dialect != null) {
                    line.put("dialect", reply.dialect.name().toLowerCase(java.util.Locale.ROOT));
                    line.put("alerts", reply.alerts);
                    line.put("messages", reply.messages);
                }
                line.put("ms", (System.nanoTime() - started) / 1_000_000.0);
                accessLog.accept(line.toString());
            }
        }
    }

    private record Reply(int status, String json, WebhookParser.Dialect dialect, int alerts, int messages) {
    }

    private Reply route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/healthz")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return new Reply(405, error("use GET on /healthz"), null, 0, 0);
            }
            return health();
        }
        if (!path.equals("/hook") && !path.equals("/")) {
            return new Reply(404, error("no such path: post webhooks to /hook"), null, 0, 0);
        }
        if (!method.equals("POST")) {
            return new Reply(405, error("use POST to send a webhook"), null, 0, 0);
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    discard(exchange.getRequestBody());
                    return new Reply(413, error("body larger than 1 MiB"), null, 0, 0);
                }
            } catch (NumberFormatException e) {
                return new Reply(400, error("bad Content-Length"), null, 0, 0);
            }
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            discard(exchange.getRequestBody());
            return new Reply(413, error("body larger than 1 MiB"), null, 0, 0);
        }
        Optional<String> denied = auth.check(exchange.getRequestHeaders()::getFirst, body);
        if (denied.isPresent()) {
            log.debug("refused a webhook from " + exchange.getRemoteAddress().getAddress().getHostAddress() + ": "
                    + denied.get());
            return new Reply(401, error(denied.get()), null, 0, 0);
        }
        WebhookParser.Parsed parsed;
        try {
            parsed = parser.parse(body);
        } catch (BadPayloadException e) {
            log.debug("refused a webhook: " + e.getMessage());
            return new Reply(400, error(e.getMessage()), null, 0, 0);
        }
        if (!relay.offer(parsed.messages())) {
            log.info("queue full: answered 503 to a webhook with " + parsed.messages().size()
                    + " message(s); the sender will retry");
            return new Reply(503, error("relay queue is full, retry later"), parsed.dialect(), parsed.alerts(), 0);
        }
        if (log.verbose()) {
            parsed.messages().forEach(message -> log.info("relaying: " + message));
        }
        ObjectNode ok = mapper.createObjectNode();
        ok.put("status", "queued");
        ok.put("messages", parsed.messages().size());
        return new Reply(200, ok.toString(), parsed.dialect(), parsed.alerts(), parsed.messages().size());
    }

    private Reply health() {
        ObjectNode json = mapper.createObjectNode();
        ObjectNode outputs = json.putObject("outputs");
        Map<String, Integer> queued = relay.queued();
        boolean ok = true;
        StringBuilder reasons = new StringBuilder();
        for (Map.Entry<String, Optional<String>> entry : relay.health().entrySet()) {
            ObjectNode output = outputs.putObject(entry.getKey());
            output.put("usable", entry.getValue().isEmpty());
            output.put("queued", queued.getOrDefault(entry.getKey(), 0));
            if (entry.getValue().isPresent()) {
                ok = false;
                output.put("reason", entry.getValue().get());
                reasons.append(reasons.length() == 0 ? "" : "; ").append(entry.getKey()).append(": ")
                        .append(entry.getValue().get());
            }
        }
        json.put("status", ok ? "ok" : "unavailable");
        if (!ok) {
            json.put("reason", reasons.toString());
        }
        return new Reply(ok ? 200 : 503, json.toString(), null, 0, 0);
    }

    private String error(String reason) {
        ObjectNode json = mapper.createObjectNode();
        json.put("error", reason);
        return json.toString();
    }

    /**
     * Reads what the sender is still sending (up to a limit) so that it gets to read the 413 instead of a reset
     * connection; a larger upload is cut off.
     */
    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        long left = 16L * MAX_BODY_BYTES;
        int n;
        while (left > 0 && (n = in.read(buffer)) != -1) {
            left -= n;
        }
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > MAX_BODY_BYTES) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
