package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import okhttp3.OkHttpClient;

import dev.prowctl.grafana.GrafanaAlerts;
import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaSettings;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;

/** The bot's alerts come from the Grafana client, on every supported Grafana line (a spec-checked fake). */
class GrafanaAlertsSourceTest {

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(FakeGrafana.Line.class)
    void firingAlertsAsOneLineEachFilteredByWords(FakeGrafana.Line line) throws Exception {
        try (FakeGrafana fake = Fakes.start(line)) {
            fake.addFiringAlert("OADP periodic failing", "alerting", "e2e-aws failed\r\n3 times");
            fake.addFiringAlert("Disk almost full", "ok", "resolved meanwhile");
            GrafanaAlertsSource source = new GrafanaAlertsSource(new GrafanaAlerts(client(fake)));

            List<String> all = source.firing(List.of());
            assertThat(all).singleElement().satisfies(text -> {
                assertThat(text).startsWith("OADP periodic failing - e2e-aws failed 3 times http");
                assertThat(text).doesNotContain("\r").doesNotContain("\n");
            });
            assertThat(source.firing(List.of("oadp", "E2E"))).hasSize(1);
            assertThat(source.firing(List.of("disk"))).isEmpty();
            Fakes.assertConforms(fake);
        }
    }

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(value = FakeGrafana.Line.class, names = "V11_6")
    void grafanaErrorsBecomeIoErrorsTheBotCanSay(FakeGrafana.Line line) {
        try (FakeGrafana fake = Fakes.start(line)) {
            fake.disable("/api/alertmanager");
            GrafanaAlertsSource source = new GrafanaAlertsSource(new GrafanaAlerts(client(fake)));
            assertThatThrownBy(() -> source.firing(List.of())).isInstanceOf(IOException.class)
                    .hasMessageContaining("unified alerting");
        }
    }

    private static GrafanaClient client(FakeGrafana fake) {
        return new GrafanaClient(new OkHttpClient(),
                GrafanaSettings.of(fake.url().toString(), FakeGrafana.ADMIN_TOKEN, null, null), line -> { });
    }
}
