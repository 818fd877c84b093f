package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/** The bot's alerts from Grafana's Alertmanager API, against a local fake Grafana under a sub-path. */
class GrafanaAlertsSourceTest {
    private final MockWebServer grafana = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        grafana.start();
    }

    @AfterEach
    void stop() {
        grafana.close();
    }

    private static final String ALERTS = """
            [{"labels":{"alertname":"JobFailureRate","grafana_folder":"CI","job":"e2e-aws"},
              "annotations":{"summary":"fails 90%"},"startsAt":"2026-11-28T01:02:00Z",
              "endsAt":"2026-11-28T03:00:00Z","status":{"state":"active"},"fingerprint":"1"},
             {"labels":{"alertname":"DiskFull","host":"db1"},"annotations":{},
              "startsAt":"2026-11-28T00:30:00Z","status":{"state":"active"},"fingerprint":"2"},
             {"labels":{"alertname":"Silenced","host":"x"},"annotations":{},
              "startsAt":"2026-11-28T00:30:00Z","status":{"state":"suppressed"},"fingerprint":"3"}]""";

    @Test
    void firingAlertsAsLinesFilteredByWords() throws Exception {
        grafana.enqueue(new MockResponse.Builder().body(ALERTS).build());
        grafana.enqueue(new MockResponse.Builder().body(ALERTS).build());
        GrafanaAlertsSource source = new GrafanaAlertsSource(new OkHttpClient(), grafana.url("/grafana/"), "glsa_x");
        assertThat(source.firing(List.of())).containsExactly(
                "DiskFull {host=db1} (since 2026-11-28 00:30 UTC)",
                "JobFailureRate {job=e2e-aws} - fails 90% (since 2026-11-28 01:02 UTC)");
        RecordedRequest request = grafana.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/grafana/api/alertmanager/grafana/api/v2/alerts");
        assertThat(request.getUrl().queryParameter("silenced")).isEqualTo("false");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer glsa_x");
        assertThat(source.firing(List.of("E2E", "failure"))).containsExactly(
                "JobFailureRate {job=e2e-aws} - fails 90% (since 2026-11-28 01:02 UTC)");
    }

    @Test
    void refusedTokenAndBadAnswersAreErrors() {
        grafana.enqueue(new MockResponse.Builder().code(401).build());
        grafana.enqueue(new MockResponse.Builder().body("{\"not\":\"a list\"}").build());
        GrafanaAlertsSource source = new GrafanaAlertsSource(new OkHttpClient(), grafana.url("/"), "bad");
        assertThatThrownBy(() -> source.firing(List.of())).hasMessageContaining("refused the token");
        assertThatThrownBy(() -> source.firing(List.of())).hasMessageContaining("not a list");
    }
}
