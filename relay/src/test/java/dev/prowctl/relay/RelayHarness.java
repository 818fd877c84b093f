package dev.prowctl.relay;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A relay (queues, outputs, webhook server on a free loopback port) running in the test's JVM. */
final class RelayHarness implements AutoCloseable {
    final Relay relay;
    final WebhookServer server;
    private final StringWriter logText = new StringWriter();
    private final PrintWriter logWriter = new PrintWriter(logText);
    final RelayLog log = new RelayLog(logWriter, true);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Builds the outputs with the harness's log. */
    interface OutputsFactory {
        List<Output> create(RelayLog log);
    }

    RelayHarness(OutputsFactory outputs, WebhookAuth auth, int queueCapacity) throws IOException {
        this(outputs, auth, queueCapacity, RelayClock.SYSTEM);
    }

    /** @param clock times the relay's retries of failed deliveries */
    RelayHarness(OutputsFactory outputs, WebhookAuth auth, int queueCapacity, RelayClock clock) throws IOException {
        this(outputs, auth, queueCapacity, Relay.DEFAULT_QUEUE_BYTES, clock);
    }

    /** @param queueBytes bounds each output's queue in bytes as well */
    RelayHarness(OutputsFactory outputs, WebhookAuth auth, int queueCapacity, long queueBytes, RelayClock clock)
            throws IOException {
        this.relay = new Relay(outputs.create(log), queueCapacity, queueBytes, log, clock);
        relay.start();
        this.server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), relay, auth, log, null);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.address().getPort() + path;
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST whose body has no Content-Length (sent chunked), as a streaming sender does. */
    HttpResponse<String> postStream(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Everything the relay and its outputs logged. */
    String log() {
        logWriter.flush();
        synchronized (logWriter) {
            return logText.toString();
        }
    }

    /** Waits until the log satisfies {@code done}. */
    void awaitLog(Predicate<String> done, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!done.test(log())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("log did not show the expected line within " + timeoutSeconds + " s:\n"
                        + log());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.close();
        relay.shutdown(Duration.ofSeconds(1));
    }
}
