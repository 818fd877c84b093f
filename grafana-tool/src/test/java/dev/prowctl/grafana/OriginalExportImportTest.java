package dev.prowctl.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.grafana.resources.Action;
import dev.prowctl.grafana.resources.ImportContext;
import dev.prowctl.grafana.resources.Importer;
import dev.prowctl.grafana.resources.Parallel;
import dev.prowctl.grafana.resources.ResourceKinds;
import dev.prowctl.grafana.resources.Secrets;
import dev.prowctl.testing.TestEnv;

/**
 * The files the original Python export wrote ({@code <name>.dashboard.json} with a {"dashboard": ...} wrapper and
 * no uid, {@code <name>.datasource.json} with plaintext password fields, a file name with a space) import into
 * today's Grafana and into 8.4, and a second import finds everything unchanged.
 */
class OriginalExportImportTest {

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(value = FakeGrafana.Line.class, names = {"V8_4", "V13"})
    void originalExportImportsOnceAndThenIsUnchanged(FakeGrafana.Line line) throws IOException {
        Path dir = TestEnv.sharedFile("fixtures/original-grafana-export");
        TestEnv.sharedFile("fixtures/original-grafana-export/Google Sheets.datasource.json");
        try (FakeGrafana fake = Fakes.start(line)) {
            Importer.Loaded loaded = Importer.load(dir, ResourceKinds.all());
            assertThat(loaded.size()).isEqualTo(6);
            assertThat(loaded.ignored()).isEmpty();

            List<String> warnings = new ArrayList<>();
            Secrets secrets = new Secrets(Map.of(), Map.of("GRAFANA_SECRET_MARIADB_PASSWORD", "from-env"));
            List<Importer.Outcome> first = new Importer(new Parallel(8)).run(loaded,
                    new ImportContext(FakeGrafanaClients.of(fake), false, secrets, warnings::add));
            assertThat(first).allSatisfy(o -> assertThat(o.error()).as(o.resource().file()).isNull());
            assertThat(first).extracting(Importer.Outcome::action).containsOnly(Action.CREATE);

            assertThat(fake.datasources().values()).extracting(ds -> ds.path("name").asText())
                    .containsExactlyInAnyOrder("telegraf", "mariadb", "Google Sheets");
            assertThat(fake.datasources()).containsKeys("1Oi2QL87k", "1vm2wY8nk", "HKmhwL8nk");
            assertThat(fake.dashboards().values()).extracting(d -> d.path("dashboard").path("title").asText())
                    .contains("OADP Home");
            assertThat(fake.dashboards()).hasSize(3);
            assertThat(fake.dashboards().values()).allSatisfy(d -> assertThat(d.path("folderUid").asText()).isEmpty());

            // The plaintext password in mariadb.datasource.json is never sent; the environment's secret is.
            assertThat(fake.datasourceSecrets("1Oi2QL87k")).containsEntry("password", "from-env");
            for (FakeGrafana.Seen w : fake.writes()) {
                if (w.path().startsWith("/api/datasources")) {
                    JsonNode body = Json.parse(w.body().getBytes());
                    assertThat(body.has("password")).isFalse();
                    assertThat(body.has("basicAuthPassword")).isFalse();
                }
            }
            assertThat(warnings).anySatisfy(wn -> assertThat(wn).contains("mariadb.datasource.json")
                    .contains("plaintext").contains("GRAFANA_SECRET_MARIADB_PASSWORD").doesNotContain("rrcockpit\""));

            fake.clearRequests();
            List<Importer.Outcome> second = new Importer(new Parallel(8)).run(loaded,
                    new ImportContext(FakeGrafanaClients.of(fake), false, secrets, w -> { }));
            assertThat(second).extracting(Importer.Outcome::action).containsOnly(Action.UNCHANGED);
            assertThat(fake.writes()).isEmpty();
            assertThat(fake.dashboards()).hasSize(3);
            Fakes.assertConforms(fake);
        }
    }
}
