package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients that do not play along: idle and slow connections, and browsers made to post (CSRF). */
class WebhookServerAbuseTest {
    private static final String SENTINEL = "[FIRING:1] Sentinel - s http://am.example:9093";
    private final RecordingOutput output = new RecordingOutput();
    private final List<Socket> sockets = new ArrayList<>();
    private RelayHarness harness;

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", harness.server.address().getPort()), 2000);
        sockets.add(socket);
        return socket;
    }

    @Test
    void idleAndSlowClientsDoNotStopAWebhookFromBeingAnsweredWithinASecond() throws Exception {
        harness = new RelayHarness(log -> List.of(output), WebhookAuth.none(), 100);
        for (int i = 0; i < 100; i++) {
            connect();
        }
        for (int i = 0; i < 20; i++) {
            OutputStream out = connect().getOutputStream();
            // Half send headers without their end, half a body shorter than announced: both then stall.
            String stalled = i % 2 == 0 ? "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                    : "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 5000\r\n\r\n{\"alerts\": [";
            out.write(stalled.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        long started = System.nanoTime();
        // A timeout, so that a relay that never answers fails the test instead of hanging it.
        HttpResponse<String> answer = harness.http.send(HttpRequest.newBuilder(URI.create(harness.url("/hook")))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Bodies.alertmanager("Sentinel", "s"))).build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(millis).as("answered after %d ms", millis).isLessThan(1000);
        assertThat(output.awaitCount(1)).containsExactly(SENTINEL);
    }

    @Test
    void withoutAuthForeignOriginsAndNonJsonBodiesAreRefused() throws Exception {
        harness = new RelayHarness(log -> List.of(output), WebhookAuth.none(), 100);
        String body = Bodies.alertmanager("Forged", "s");
        HttpResponse<String> foreign = harness.post("/hook", body, "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(harness.post("/hook", body, "Origin", "null").statusCode()).isEqualTo(403);
        // A browser form or fetch without preflight can send text/plain: not a webhook.
        HttpResponse<String> form = harness.http.send(HttpRequest.newBuilder(URI.create(harness.url("/hook")))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        // Same origin (the relay's own address) and JSON with parameters are fine.
        String self = "http://127.0.0.1:" + harness.server.address().getPort();
        assertThat(harness.http.send(HttpRequest.newBuilder(URI.create(harness.url("/hook"))).header("Origin", self)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Bodies.alertmanager("Sentinel", "s"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(output.awaitCount(1)).containsExactly(SENTINEL);
    }

    @Test
    void largeAlertsAreTruncatedAndTheQueueIsBoundedInBytesAnswering503() throws Exception {
        output.setDown(true);
        // Room for three truncated alerts (2 bytes a character), not four, though a thousand messages would fit.
        long queueBytes = 3 * MessageQueue.cost("x".repeat(Relay.MAX_MESSAGE_CHARS)) + 10;
        harness = new RelayHarness(log -> List.of(output), WebhookAuth.none(), 1000, queueBytes, RelayClock.SYSTEM);
        String huge = "s".repeat(200_000);
        for (int i = 0; i < 3; i++) {
            assertThat(harness.post("/hook", Bodies.alertmanager("Big" + i, huge)).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> full = harness.post("/hook", Bodies.alertmanager("Big3", huge));
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
        assertThat(harness.get("/healthz").body()).contains("queue full").contains("\"status\":\"unavailable\"");
        output.setDown(false);
        List<String> delivered = output.awaitCount(3);
        assertThat(delivered).allSatisfy(message -> assertThat(message).hasSize(Relay.MAX_MESSAGE_CHARS)
                .endsWith("\u2026 (truncated)"));
    }
}
