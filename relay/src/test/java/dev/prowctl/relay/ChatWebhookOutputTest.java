package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/** Chat webhooks (Slack format) against a local fake endpoint that first refuses, then accepts. */
class ChatWebhookOutputTest {
    private final MockWebServer chat = new MockWebServer();
    private final ObjectMapper mapper = new ObjectMapper();
    private RelayHarness harness;

    @BeforeEach
    void start() throws Exception {
        chat.start();
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        chat.close();
    }

    private void relayTo(String path) throws Exception {
        relayTo(path, RelayClock.SYSTEM);
    }

    /** @param clock times the relay's retries */
    private void relayTo(String path, RelayClock clock) throws Exception {
        ChatWebhookOutput output = new ChatWebhookOutput(new OkHttpClient(), chat.url(path));
        harness = new RelayHarness(log -> List.of(output), WebhookAuth.none(), 100, clock);
    }

    @Test
    void rateLimitedThenAcceptedDeliversOnceInSlackFormat() throws Exception {
        chat.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
        chat.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        FakeClock clock = FakeClock.advancingOnSleep();
        relayTo("/services/T000/B000/XXXXSECRET", clock);

        HttpResponse<String> response = harness.post("/hook", Bodies.fixture("grafana-unified-firing.json"));
        assertThat(response.statusCode()).isEqualTo(200);

        RecordedRequest first = chat.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest second = chat.takeRequest(5, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).as("retried after the 429").isNotNull();
        String expected = "[FIRING:2] JobFailureRate CI - e2e jobs fail more than 80% of runs"
                + " https://grafana.example/d/prow-jobs?orgId=1&viewPanel=4";
        assertThat(mapper.readTree(second.getBody().utf8()).get("text").asText()).isEqualTo(expected);
        assertThat(second.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(clock.elapsed()).as("waited as Retry-After asked").isEqualTo(Duration.ofSeconds(1));
        // A sentinel posted now is the next request: the accepted message was not posted a third time.
        chat.enqueue(new MockResponse.Builder().code(200).build());
        harness.post("/hook", Bodies.alertmanager("Sentinel", "s"));
        RecordedRequest next = chat.takeRequest(5, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(mapper.readTree(next.getBody().utf8()).get("text").asText())
                .isEqualTo("[FIRING:1] Sentinel - s http://am.example:9093");
        // The webhook path is the secret of a Slack URL: logs name the host only.
        assertThat(harness.log()).contains("rate limited").doesNotContain("XXXXSECRET");
    }

    @Test
    void serverErrorsAreRetriedAndQueuedMessagesFollowInOrder() throws Exception {
        chat.enqueue(new MockResponse.Builder().code(503).build());
        chat.enqueue(new MockResponse.Builder().code(502).build());
        chat.enqueue(new MockResponse.Builder().code(200).build());
        chat.enqueue(new MockResponse.Builder().code(200).build());
        chat.enqueue(new MockResponse.Builder().code(200).build());
        relayTo("/hooks/abc");
        harness.post("/hook", Bodies.alertmanager("First", "one"));
        assertThat(chat.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        // the server has the request; the relay records its 503 answer a moment later
        HttpResponse<String> health = awaitHealth(503);
        assertThat(health.body()).contains("HTTP 503");
        harness.post("/hook", Bodies.alertmanager("Second", "two"));
        harness.post("/hook", Bodies.alertmanager("Third", "three"));

        // Responses go out in the order enqueued: the first two posts failed, the rest were accepted.
        List<String> accepted = new java.util.ArrayList<>();
        int answered = 1;
        while (accepted.stream().noneMatch(text -> text.contains("Third"))) {
            RecordedRequest request = chat.takeRequest(10, TimeUnit.SECONDS);
            assertThat(request).as("accepted so far: " + accepted).isNotNull();
            answered++;
            String text = mapper.readTree(request.getBody().utf8()).get("text").asText();
            if (answered == 2) {
                assertThat(text).as("a failed post is repeated as is").startsWith("[FIRING:1] First");
            } else {
                accepted.add(text);
            }
        }
        assertThat(String.join("\n", accepted)).isEqualTo("""
                [FIRING:1] First - one http://am.example:9093
                [FIRING:1] Second - two http://am.example:9093
                [FIRING:1] Third - three http://am.example:9093""");
        awaitHealthy();
    }

    @Test
    void twoWebhooksOnOneHostAreReportedSeparatelyWithoutTheirSecretPaths() throws Exception {
        chat.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(request.getTarget().contains("BROKENSECRET") ? 500 : 200)
                        .build();
            }
        });
        ChatWebhookOutput working = new ChatWebhookOutput(new OkHttpClient(), chat.url("/services/T1/B1/GOODSECRET"));
        ChatWebhookOutput broken = new ChatWebhookOutput(new OkHttpClient(), chat.url("/services/T2/B2/BROKENSECRET"));
        harness = new RelayHarness(log -> List.of(working, broken), WebhookAuth.none(), 100);
        assertThat(working.name()).isEqualTo(broken.name());

        java.time.Instant posted = java.time.Instant.now();
        harness.post("/hook", Bodies.alertmanager("First", "one"));
        String name = working.name();
        // Wait until the working webhook delivered and the broken one failed (either may come first).
        HttpResponse<String> health = harness.get("/healthz");
        for (int i = 0; i < 250; i++) {
            var seen = mapper.readTree(health.body()).path("outputs");
            if (health.statusCode() == 503 && seen.path(name + " #1").path("queued").asInt(-1) == 0
                    && !seen.path(name + " #2").path("usable").asBoolean(true)) {
                break;
            }
            Thread.sleep(20);
            health = harness.get("/healthz");
        }
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        var outputs = mapper.readTree(health.body()).get("outputs");
        assertThat(outputs.size()).isEqualTo(2);
        assertThat(outputs.get(name + " #1").get("usable").asBoolean()).isTrue();
        assertThat(outputs.get(name + " #1").get("queued").asInt()).isZero();
        assertThat(outputs.get(name + " #2").get("usable").asBoolean()).isFalse();
        assertThat(outputs.get(name + " #2").get("reason").asText()).contains("500");
        // the last delivery's result, which `prowctl stack status` shows
        assertThat(outputs.get(name + " #1").get("lastDelivery").asText()).isEqualTo("delivered");
        assertThat(outputs.get(name + " #2").get("lastDelivery").asText()).startsWith("failed: ").contains("500");
        assertThat(java.time.Instant.parse(outputs.get(name + " #1").get("lastDeliveryAt").asText()))
                .isBetween(posted, java.time.Instant.now());
        assertThat(health.body() + harness.log()).doesNotContain("SECRET");
    }

    private void awaitHealthy() throws Exception {
        awaitHealth(200);
    }

    /** /healthz once it answers {@code status} (within 5 s), else the assertion fails with what it answers. */
    private HttpResponse<String> awaitHealth(int status) throws Exception {
        HttpResponse<String> health = harness.get("/healthz");
        for (int i = 0; i < 250 && health.statusCode() != status; i++) {
            Thread.sleep(20);
            health = harness.get("/healthz");
        }
        assertThat(health.statusCode()).as(health.body()).isEqualTo(status);
        return health;
    }
}
