package dev.prowctl.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.grafana.resources.Action;
import dev.prowctl.grafana.resources.Exporter;
import dev.prowctl.grafana.resources.ImportContext;
import dev.prowctl.grafana.resources.Importer;
import dev.prowctl.grafana.resources.Parallel;
import dev.prowctl.grafana.resources.ResourceKinds;
import dev.prowctl.grafana.resources.Secrets;

/** Export from a seeded fake, import into an empty one, compare; then import again and expect no write at all. */
class RoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(FakeGrafana.Line.class)
    void exportImportRoundTripIsLosslessAndIdempotent(FakeGrafana.Line line) throws IOException {
        try (FakeGrafana source = Fakes.start(line); FakeGrafana target = Fakes.start(line)) {
            Fakes.seedTeamGrafana(source, 12);
            List<Exporter.Summary> first = new Exporter(FakeGrafanaClients.of(source), new Parallel(4))
                    .export(dir, ResourceKinds.all());
            Map<String, byte[]> files = snapshot(dir);
            assertThat(files).containsKeys("datasources/influx.json", "folders/periodic.json",
                    "dashboards/dash-0.json");
            assertThat(first.stream().filter(s -> s.kind().equals("dashboards")).findFirst().orElseThrow().exported())
                    .isEqualTo(12);

            // Re-export of an unchanged Grafana: same bytes, nothing reported changed.
            List<Exporter.Summary> again = new Exporter(FakeGrafanaClients.of(source), new Parallel(4))
                    .export(dir, ResourceKinds.all());
            assertThat(again).allSatisfy(s -> assertThat(s.changed()).isZero());
            assertThat(snapshot(dir)).usingRecursiveComparison().isEqualTo(files);

            // Volatile fields are gone, uid kept; no secret is exported.
            JsonNode dash = Json.parse(files.get("dashboards/dash-3.json"));
            assertThat(dash.path("dashboard").has("id")).isFalse();
            assertThat(dash.path("dashboard").has("version")).isFalse();
            assertThat(dash.path("dashboard").has("iteration")).isFalse();
            assertThat(dash.path("dashboard").path("uid").asText()).isEqualTo("dash-3");
            assertThat(dash.path("folderUid").asText()).isEqualTo("periodic");
            JsonNode ds = Json.parse(files.get("datasources/mariadb1.json"));
            assertThat(ds.path("secureJsonFields").path("password").asBoolean()).isTrue();
            assertThat(ds.has("secureJsonData")).isFalse();
            assertThat(new String(files.get("dashboards/dash-3.json"))).endsWith("}\n").contains("  \"dashboard\": {");

            // Import into an empty Grafana of the same line.
            List<Importer.Outcome> imported = importDir(target, Secrets.none());
            assertThat(imported).allSatisfy(o -> assertThat(o.error()).as(o.resource().file()).isNull());
            assertThat(imported).extracting(Importer.Outcome::action).doesNotContain(Action.UNCHANGED);
            assertSameContent(source, target);

            // Alerting writes carried X-Disable-Provenance, dashboards were saved by folderUid only.
            for (FakeGrafana.Seen w : target.writes()) {
                if (w.path().startsWith("/api/v1/provisioning")) {
                    assertThat(w.headers()).as(w.path()).containsEntry("X-Disable-Provenance", "true");
                }
                if (w.path().equals("/api/dashboards/db")) {
                    assertThat(w.body()).contains("\"folderUid\"").doesNotContain("folderId");
                }
                assertThat(w.path()).as("numeric-id datasource routes are disabled on 13")
                        .doesNotMatch("/api/datasources/\\d+");
            }

            // Second import: nothing to write.
            target.clearRequests();
            List<Importer.Outcome> second = importDir(target, Secrets.none());
            assertThat(second).extracting(Importer.Outcome::action).containsOnly(Action.UNCHANGED);
            assertThat(target.writes()).isEmpty();

            Fakes.assertConforms(source);
            Fakes.assertConforms(target);
        }
    }

    private List<Importer.Outcome> importDir(FakeGrafana target, Secrets secrets) throws IOException {
        Importer.Loaded loaded = Importer.load(dir, ResourceKinds.all());
        assertThat(loaded.ignored()).isEmpty();
        List<String> warnings = new ArrayList<>();
        return new Importer(new Parallel(4)).run(loaded,
                new ImportContext(FakeGrafanaClients.of(target), false, secrets, warnings::add));
    }

    static void assertSameContent(FakeGrafana source, FakeGrafana target) {
        assertThat(strip(target.dashboards(), "id", "version", "iteration"))
                .isEqualTo(strip(source.dashboards(), "id", "version", "iteration"));
        assertThat(strip(target.folders(), "id", "version", "url"))
                .isEqualTo(strip(source.folders(), "id", "version", "url"));
        assertThat(strip(target.datasources(), "id", "version", "secureJsonFields"))
                .isEqualTo(strip(source.datasources(), "id", "version", "secureJsonFields"));
        assertThat(strip(target.rules(), "id", "updated")).isEqualTo(strip(source.rules(), "id", "updated"));
        assertThat(target.templates().keySet()).isEqualTo(source.templates().keySet());
        assertThat(strip(target.muteTimings(), "version")).isEqualTo(strip(source.muteTimings(), "version"));
        assertThat(target.contactPoints().keySet()).isEqualTo(source.contactPoints().keySet());
        assertThat(target.policies()).isEqualTo(source.policies());
        target.contactPoints().values().forEach(cp -> assertThat(cp.path("provenance").asText()).isEmpty());
        target.rules().values().forEach(r -> assertThat(r.path("provenance").asText()).isEmpty());
    }

    private static Map<String, JsonNode> strip(Map<String, JsonNode> items, String... fields) {
        Map<String, JsonNode> out = new TreeMap<>();
        items.forEach((k, v) -> {
            JsonNode copy = v.deepCopy();
            JsonNode target = copy.has("dashboard") ? copy.get("dashboard") : copy;
            ((com.fasterxml.jackson.databind.node.ObjectNode) target).remove(List.of(fields));
            out.put(k, copy);
        });
        return out;
    }

    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
