package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP side: dialects posted directly, authentication, limits, health and the no-loss answers. */
class WebhookServerTest {
    private static final String SENTINEL = "[FIRING:1] Sentinel - s http://am.example:9093";
    private final RecordingOutput output = new RecordingOutput();
    private RelayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private RelayHarness start(WebhookAuth auth, int capacity) throws Exception {
        harness = new RelayHarness(log -> List.of(output), auth, capacity);
        return harness;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "grafana-legacy-alerting.json|[[Alerting] Job failure rate] Failure rate above 80% for 2 jobs. See the flake"
                + " dashboard.",
        "grafana-unified-firing.json|[FIRING:2] JobFailureRate CI - e2e jobs fail more than 80% of runs"
                + " https://grafana.example/d/prow-jobs?orgId=1&viewPanel=4",
        "grafana-unified-resolved.json|[RESOLVED:1] JobFailureRate CI e2e-gcp"
                + " https://grafana.example/alerting/grafana/ce1x/view?orgId=1",
        "alertmanager-mixed.json|[FIRING:1, RESOLVED:1] ProwJobStuck - job pending for 3h > 2h"
                + " http://prometheus:9090/graph?g0.expr=prow_job_pending&g0.tab=1"})
    void eachDialectPostedDirectlyBecomesOneLine(String fixture, String expected) throws Exception {
        start(WebhookAuth.none(), 100);
        HttpResponse<String> response = harness.post("/hook", Bodies.fixture(fixture));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"messages\":1");
        assertThat(output.awaitCount(1)).containsExactly(expected);
    }

    @Test
    void legacyOkIsAcceptedButNotAnnouncedAsTheOriginalDid() throws Exception {
        start(WebhookAuth.none(), 100);
        HttpResponse<String> ok = harness.post("/", Bodies.fixture("grafana-legacy-ok.json"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"messages\":0");
        harness.post("/", Bodies.fixture("grafana-legacy-alerting.json"));
        assertThat(output.awaitCount(1)).hasSize(1).first().asString().startsWith("[[Alerting]");
    }

    @Test
    void unknownOrBrokenJsonIs400WithAReasonAndNothingIsRelayed() throws Exception {
        start(WebhookAuth.none(), 100);
        HttpResponse<String> unknown = harness.post("/hook", "{\"hello\":\"world\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown webhook");
        HttpResponse<String> broken = harness.post("/hook", "{\"alerts\": [");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("not JSON");
        HttpResponse<String> badAlerts = harness.post("/hook", "{\"alerts\": 5}");
        assertThat(badAlerts.statusCode()).isEqualTo(400);
        assertThat(harness.post("/hook", "[1,2]").statusCode()).isEqualTo(400);
        assertSentinelIsTheFirstDelivered();
    }

    @Test
    void wrongMethodIs405UnknownPathIs404() throws Exception {
        start(WebhookAuth.none(), 100);
        HttpResponse<String> get = harness.get("/hook");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(harness.post("/healthz", "{}").statusCode()).isEqualTo(405);
        assertThat(harness.post("/elsewhere", Bodies.alertmanager("A", "b")).statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesOverOneMebibyteAre413() throws Exception {
        start(WebhookAuth.none(), 100);
        String huge = Bodies.alertmanager("Big", "x".repeat(WebhookServer.MAX_BODY_BYTES));
        // Every time: a 413 sent while the body is still arriving must not be lost to a reset connection.
        for (int i = 0; i < 20; i++) {
            assertThat(harness.post("/hook", huge).statusCode()).as("attempt " + i).isEqualTo(413);
        }
        // the same without a Content-Length (chunked): refused once the limit is passed
        HttpResponse<String> chunked = harness.postStream("/hook", huge);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertSentinelIsTheFirstDelivered();
    }

    @Test
    void bearerAndBasicCredentialsAreCheckedAndNeverLogged() throws Exception {
        start(new WebhookAuth("t0ken", "am:pa55", null, null, Duration.ofMinutes(5), Clock.systemUTC()), 100);
        String body = Bodies.alertmanager("A", "b");
        HttpResponse<String> none = harness.post("/hook", body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
        assertThat(harness.post("/hook", body, "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(harness.post("/hook", body, "Authorization", basic("am:wrong")).statusCode()).isEqualTo(401);
        assertThat(harness.post("/hook", body, "Authorization", "Bearer t0ken").statusCode()).isEqualTo(200);
        assertThat(harness.post("/hook", body, "Authorization", basic("am:pa55")).statusCode()).isEqualTo(200);
        assertThat(output.awaitCount(2)).hasSize(2);
        assertThat(harness.log()).contains("refused a webhook").doesNotContain("t0ken").doesNotContain("pa55")
                .doesNotContain("nope");
    }

    @Test
    void grafanaHmacSignatureWithAndWithoutTimestamp() throws Exception {
        Instant now = Instant.parse("2026-11-28T02:00:00Z");
        start(new WebhookAuth(null, null, "hmac-secret", null, Duration.ofMinutes(5),
                Clock.fixed(now, ZoneOffset.UTC)), 100);
        String body = Bodies.fixture("grafana-unified-firing.json");
        String ts = String.valueOf(now.getEpochSecond());
        assertThat(harness.post("/hook", body, WebhookAuth.SIGNATURE_HEADER, sign(body)).statusCode()).isEqualTo(200);
        assertThat(harness.post("/hook", body, WebhookAuth.SIGNATURE_HEADER, sign(ts + ":" + body),
                WebhookAuth.DEFAULT_TIMESTAMP_HEADER, ts).statusCode()).isEqualTo(200);

        String stale = String.valueOf(now.minusSeconds(3600).getEpochSecond());
        HttpResponse<String> staleAnswer = harness.post("/hook", body, WebhookAuth.SIGNATURE_HEADER,
                sign(stale + ":" + body), WebhookAuth.DEFAULT_TIMESTAMP_HEADER, stale);
        assertThat(staleAnswer.statusCode()).isEqualTo(401);
        assertThat(staleAnswer.body()).contains("outside the allowed window");
        // Signed without the timestamp but sent with one: the signature does not cover it.
        assertThat(harness.post("/hook", body, WebhookAuth.SIGNATURE_HEADER, sign(body),
                WebhookAuth.DEFAULT_TIMESTAMP_HEADER, ts).statusCode()).isEqualTo(401);
        assertThat(harness.post("/hook", body.replace("97.5", "12.0"), WebhookAuth.SIGNATURE_HEADER, sign(body))
                .statusCode()).isEqualTo(401);
        assertThat(harness.post("/hook", body).statusCode()).isEqualTo(401);
        assertThat(output.awaitCount(2)).hasSize(2);
        // A signed sentinel after the refused ones is the next and last thing delivered.
        String sentinel = Bodies.alertmanager("Sentinel", "s");
        assertThat(harness.post("/hook", sentinel, WebhookAuth.SIGNATURE_HEADER, sign(sentinel)).statusCode())
                .isEqualTo(200);
        assertThat(output.awaitCount(3)).hasSize(3).last().isEqualTo(SENTINEL);
    }

    @Test
    void aFullQueueAnswers503AndQueuesNothingOfThatWebhook() throws Exception {
        output.setDown(true);
        start(WebhookAuth.none(), 2);
        assertThat(harness.post("/hook", Bodies.alertmanager("One", "s")).statusCode()).isEqualTo(200);
        assertThat(harness.post("/hook", Bodies.alertmanager("Two", "s")).statusCode()).isEqualTo(200);
        HttpResponse<String> full = harness.post("/hook", Bodies.alertmanager("Three", "s"));
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> health = harness.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"reason\"").contains("endpoint down").contains("\"queued\":2");

        // The endpoint comes back: what was queued is delivered in order; the sender retries the third.
        output.setDown(false);
        assertThat(output.awaitCount(2)).containsExactly("[FIRING:1] One - s http://am.example:9093",
                "[FIRING:1] Two - s http://am.example:9093");
        assertThat(harness.post("/hook", Bodies.alertmanager("Three", "s")).statusCode()).isEqualTo(200);
        assertThat(output.awaitCount(3)).last().isEqualTo("[FIRING:1] Three - s http://am.example:9093");
        HttpResponse<String> healthy = harness.get("/healthz");
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void shutdownDrainsWithinTheGracePeriodAndLogsWhatItCouldNotDeliver() throws Exception {
        start(WebhookAuth.none(), 100);
        harness.post("/hook", Bodies.alertmanager("Delivered", "s"));
        output.awaitCount(1);
        output.setDown(true);
        harness.post("/hook", Bodies.alertmanager("Stuck", "s"));
        harness.server.close();
        int lost = harness.relay.shutdown(Duration.ofMillis(500));
        assertThat(lost).isEqualTo(1);
        assertThat(harness.log()).contains("not delivered to recording: [FIRING:1] Stuck - s")
                .contains("1 message(s) could not be delivered");
        harness = null;
    }

    /** A valid webhook posted after the ones under test: delivered first, so none of those were. */
    private void assertSentinelIsTheFirstDelivered() throws Exception {
        assertThat(harness.post("/hook", Bodies.alertmanager("Sentinel", "s")).statusCode()).isEqualTo(200);
        assertThat(output.awaitCount(1)).containsExactly(SENTINEL);
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String data) {
        return HexFormat.of().formatHex(WebhookAuth.hmac("hmac-secret".getBytes(StandardCharsets.UTF_8),
                data.getBytes(StandardCharsets.UTF_8)));
    }
}
