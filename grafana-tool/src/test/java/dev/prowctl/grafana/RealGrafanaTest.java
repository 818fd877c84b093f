package dev.prowctl.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.grafana.resources.Action;
import dev.prowctl.grafana.resources.Exporter;
import dev.prowctl.grafana.resources.ImportContext;
import dev.prowctl.grafana.resources.Importer;
import dev.prowctl.grafana.resources.Parallel;
import dev.prowctl.grafana.resources.ResourceKinds;
import dev.prowctl.grafana.resources.Secrets;
import dev.prowctl.testing.TestEnv;

/**
 * Against a real Grafana, only when {@code GRAFANA_TEST_URL} is set (e.g. {@code http://admin:admin@localhost:3000};
 * {@code GRAFANA_TEST_TOKEN} instead of userinfo also works). Read-only: it exports, then plans an import of that
 * export (which must find everything unchanged: the idempotence check against the real server), and asks for the
 * firing alerts. Grafana cannot run on the build machines, so it is skipped there.
 */
class RealGrafanaTest {

    @TempDir
    Path dir;

    private GrafanaClient client;

    @BeforeEach
    void connect() {
        // Opt-in, also in CI: no Grafana can run on the build machines; the fake Grafana tests cover the API.
        String url = TestEnv.optIn("GRAFANA_TEST_URL",
                "the real-Grafana test is skipped (the fake Grafana tests cover the API)");
        client = new GrafanaClient(new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build(),
                GrafanaSettings.of(url, System.getenv("GRAFANA_TEST_TOKEN"), null, null), s -> { });
    }

    @Test
    void exportThenPlannedImportFindsEverythingUnchanged() throws Exception {
        assertThat(client.version().atLeast(8, 0)).isTrue();
        List<Exporter.Summary> summaries = new Exporter(client, new Parallel(4)).export(dir, ResourceKinds.all());
        assertThat(summaries).isNotEmpty();
        List<Exporter.Summary> again = new Exporter(client, new Parallel(4)).export(dir, ResourceKinds.all());
        assertThat(again).allSatisfy(s -> assertThat(s.changed()).as(s.kind()).isZero());

        List<String> warnings = new ArrayList<>();
        List<Importer.Outcome> plan = new Importer(new Parallel(4)).run(Importer.load(dir, ResourceKinds.all()),
                new ImportContext(client, true, Secrets.none(), warnings::add));
        assertThat(plan).allSatisfy(o -> {
            assertThat(o.error()).as(o.resource().file()).isNull();
            assertThat(o.action()).as(o.resource().file()).isEqualTo(Action.UNCHANGED);
        });
    }

    @Test
    void firingAlertsCanBeListed() {
        assertThat(new GrafanaAlerts(client).firing(List.of())).allSatisfy(a ->
                assertThat(GrafanaAlerts.isFiring(a.state())).isTrue());
    }
}
