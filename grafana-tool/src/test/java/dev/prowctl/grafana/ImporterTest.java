package dev.prowctl.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.grafana.resources.Action;
import dev.prowctl.grafana.resources.Exporter;
import dev.prowctl.grafana.resources.ImportContext;
import dev.prowctl.grafana.resources.Importer;
import dev.prowctl.grafana.resources.KindDescriptor;
import dev.prowctl.grafana.resources.Parallel;
import dev.prowctl.grafana.resources.Resource;
import dev.prowctl.grafana.resources.ResourceHandler;
import dev.prowctl.grafana.resources.ResourceKinds;
import dev.prowctl.grafana.resources.Secrets;

class ImporterTest {

    @TempDir
    Path dir;

    private List<Importer.Outcome> run(FakeGrafana fake, boolean dryRun, Secrets secrets, List<String> warnings)
            throws IOException {
        return new Importer(new Parallel(4)).run(Importer.load(dir, ResourceKinds.all()),
                new ImportContext(FakeGrafanaClients.of(fake), dryRun, secrets, warnings::add));
    }

    private void write(String file, String json) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
    }

    @Test
    void malformedFilesStopTheImportBeforeAnyRequestAndAreNamed() throws IOException {
        write("dashboards/good.json", "{\"dashboard\": {\"uid\": \"g\", \"title\": \"Good\"}}");
        write("dashboards/broken.json", "{\"dashboard\": {\"uid\": ");
        write("folders/untitled.json", "{\"uid\": \"f\"}");
        assertThatThrownBy(() -> Importer.load(dir, ResourceKinds.all()))
                .isInstanceOfSatisfying(Importer.MalformedFiles.class, e -> assertThat(e.problems()).containsExactly(
                        "dashboards/broken.json: not valid JSON: Unexpected end-of-input within/between Object entries"
                                + " at line 1",
                        "folders/untitled.json: not a valid folders file: missing or empty \"title\""));
    }

    @Test
    void dryRunPlansWithoutWritingAndFailuresDoNotStopTheRest() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addFolder("team", "Team", null);
            fake.addDashboard("same", "Same", "team", null);
            new Exporter(FakeGrafanaClients.of(fake), new Parallel(2)).export(dir, List.of(ResourceKinds.all().get(1)));
            write("dashboards/new.json", "{\"dashboard\": {\"uid\": \"new\", \"title\": \"New\"}, \"folderUid\": \"team\"}");
            write("dashboards/lost.json", "{\"dashboard\": {\"uid\": \"lost\", \"title\": \"Lost\"}, \"folderUid\": \"nope\"}");
            write("dashboards/changed.json", "{\"dashboard\": {\"uid\": \"same\", \"title\": \"Same\", \"refresh\": \"1m\"},"
                    + " \"folderUid\": \"team\"}");
            write("notes/readme.json", "{\"hello\": 1}");

            fake.clearRequests();
            assertThat(Importer.load(dir, ResourceKinds.all()).ignored()).containsExactly("notes/readme.json");
            List<Importer.Outcome> plan = run(fake, true, Secrets.none(), new ArrayList<>());
            assertThat(fake.writes()).isEmpty();
            assertThat(plan).extracting(o -> o.resource().file() + "=" + o.action()).containsExactly(
                    "folders/team.json=UNCHANGED", "dashboards/changed.json=UPDATE", "dashboards/lost.json=CREATE",
                    "dashboards/new.json=CREATE");

            List<Importer.Outcome> done = run(fake, false, Secrets.none(), new ArrayList<>());
            assertThat(done).filteredOn(Importer.Outcome::failed).singleElement().satisfies(o -> {
                assertThat(o.resource().file()).isEqualTo("dashboards/lost.json");
                assertThat(o.error()).contains("400").contains("folder not found");
            });
            assertThat(fake.dashboards()).containsKeys("new", "same").doesNotContainKey("lost");
            assertThat(fake.dashboards().get("same").path("dashboard").path("version").asInt()).isEqualTo(2);
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void creatingOverASameTitledDashboardWithAnotherUidFailsForThatItemAndReplacesNothing() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addFolder("team", "Team", null);
            fake.addDashboard("theirs", "Shared", "team", null);
            write("folders/team.json", "{\"uid\": \"team\", \"title\": \"Team\"}");
            write("dashboards/ours.json", "{\"dashboard\": {\"uid\": \"ours\", \"title\": \"Shared\"},"
                    + " \"folderUid\": \"team\"}");
            write("dashboards/other.json", "{\"dashboard\": {\"uid\": \"other\", \"title\": \"Other\"},"
                    + " \"folderUid\": \"team\"}");

            List<Importer.Outcome> done = run(fake, false, Secrets.none(), new ArrayList<>());
            assertThat(done).filteredOn(Importer.Outcome::failed).singleElement().satisfies(o -> {
                assertThat(o.resource().file()).isEqualTo("dashboards/ours.json");
                assertThat(o.error()).isEqualTo("cannot create dashboard ours \"Shared\": a dashboard with that title"
                        + " but another uid exists in folder team; rename or delete it, or give the file its uid");
            });
            assertThat(fake.dashboards()).containsKeys("theirs", "other").doesNotContainKey("ours");
            assertThat(fake.requests()).filteredOn(r -> r.path().equals("/api/dashboards/db"))
                    .extracting(FakeGrafana.Seen::body).allSatisfy(b -> assertThat(b).contains("\"overwrite\":false"));
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void exportPagesThroughSearchAndFolderListings() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(fake, 23);
            for (int i = 0; i < 7; i++) {
                fake.addFolder("sub" + i, "Sub " + i, "ci");
            }
            fake.capPageSize(5);
            List<Exporter.Summary> summaries = new Exporter(FakeGrafanaClients.of(fake), new Parallel(3))
                    .export(dir, ResourceKinds.all().subList(1, 3));
            assertThat(summaries).extracting(s -> s.kind() + "=" + s.exported())
                    .containsExactly("folders=11", "dashboards=23");
            assertThat(fake.requests()).filteredOn(r -> r.path().equals("/api/search")).hasSize(6);
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void nestedFoldersAreCreatedParentsFirstAndMovedWhenTheirParentChanged() throws IOException {
        write("folders/c.json", "{\"uid\": \"c\", \"title\": \"C\", \"parentUid\": \"b\"}");
        write("folders/b.json", "{\"uid\": \"b\", \"title\": \"B\", \"parentUid\": \"a\"}");
        write("folders/a.json", "{\"uid\": \"a\", \"title\": \"A / with slash\"}");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V12)) {
            assertThat(run(fake, false, Secrets.none(), new ArrayList<>())).extracting(Importer.Outcome::action)
                    .containsOnly(Action.CREATE);
            assertThat(fake.writes()).extracting(w -> w.body().replaceAll(".*\"uid\":\"(\\w)\".*", "$1"))
                    .containsExactly("a", "b", "c");
            write("folders/c.json", "{\"uid\": \"c\", \"title\": \"C\", \"parentUid\": \"a\"}");
            fake.clearRequests();
            assertThat(run(fake, false, Secrets.none(), new ArrayList<>())).extracting(Importer.Outcome::action)
                    .containsExactly(Action.UNCHANGED, Action.UNCHANGED, Action.UPDATE);
            assertThat(fake.writes()).extracting(FakeGrafana.Seen::path).containsExactly("/api/folders/c/move");
            assertThat(fake.folders().get("c").path("parentUid").asText()).isEqualTo("a");
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void datasourceSecretsComeFromTheSecretsFileAndAreSentOnlyWhenGrafanaLacksThem() throws IOException {
        write("datasources/db.json", """
                {"uid": "db", "name": "CI database", "type": "mysql", "access": "proxy", "url": "db:3306",
                 "secureJsonFields": {"password": true, "tlsClientKey": true}}""");
        Path secretsFile = Files.writeString(dir.resolve("../secrets.json"),
                "{\"CI database\": {\"password\": \"s3cret\"}}");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            List<String> warnings = new ArrayList<>();
            Secrets secrets = Secrets.load(secretsFile, Map.of());
            assertThat(run(fake, false, secrets, warnings)).extracting(Importer.Outcome::action)
                    .containsExactly(Action.CREATE);
            assertThat(fake.datasourceSecrets("db")).containsExactly(Map.entry("password", "s3cret"));
            assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("tlsClientKey")
                    .contains("GRAFANA_SECRET_CI_DATABASE_TLSCLIENTKEY"));
            fake.clearRequests();
            assertThat(run(fake, false, secrets, new ArrayList<>())).extracting(Importer.Outcome::action)
                    .containsExactly(Action.UNCHANGED);
            assertThat(fake.writes()).isEmpty();
            assertThat(String.join("", fake.requests().stream().map(FakeGrafana.Seen::body).toList()))
                    .doesNotContain("s3cret");
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void legacyNotificationChannelsBecomeContactPointsOnUnifiedAlerting() throws IOException {
        write("irc.alert-notification.json", """
                {"id": 3, "uid": "irc", "name": "IRC relay", "type": "webhook", "isDefault": true,
                 "settings": {"url": "http://relay:8080/alerts", "httpMethod": "POST"}}""");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            assertThat(run(fake, false, Secrets.none(), new ArrayList<>())).extracting(Importer.Outcome::action)
                    .containsExactly(Action.CREATE);
            assertThat(fake.contactPoints()).containsKey("irc");
            assertThat(fake.contactPoints().get("irc").path("settings").path("url").asText())
                    .isEqualTo("http://relay:8080/alerts");
            fake.clearRequests();
            assertThat(run(fake, false, Secrets.none(), new ArrayList<>())).extracting(Importer.Outcome::action)
                    .containsExactly(Action.UNCHANGED);
            assertThat(fake.writes()).isEmpty();
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void unifiedAlertingFilesFailPerItemOnGrafana8() throws IOException {
        write("alerting/templates/t.json", "{\"name\": \"t\", \"template\": \"x\"}");
        write("dashboards/d.json", "{\"dashboard\": {\"uid\": \"d\", \"title\": \"D\"}}");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V8_4)) {
            List<Importer.Outcome> outcomes = run(fake, false, Secrets.none(), new ArrayList<>());
            assertThat(outcomes).filteredOn(Importer.Outcome::failed).singleElement()
                    .satisfies(o -> assertThat(o.error()).contains("Grafana 8.4.6 has no templates"));
            assertThat(fake.dashboards()).containsKey("d");
        }
    }

    @Test
    void aProgrammingErrorInAHandlerStopsTheImportInsteadOfFailingOneItem() {
        ResourceHandler buggy = new ResourceHandler() {
            @Override
            public KindDescriptor descriptor() {
                return KindDescriptor.everywhere("buggy", "buggy");
            }

            @Override
            public List<Resource> export(GrafanaClient client, Parallel parallel) {
                return List.of();
            }

            @Override
            public Resource prepare(String file, com.fasterxml.jackson.databind.JsonNode content) {
                return null;
            }

            @Override
            public Action importResource(Resource resource, ImportContext context) {
                throw new NullPointerException("a bug");
            }
        };
        Resource item = new Resource("buggy", "b", "buggy/b.json", Json.object());
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Importer.Loaded loaded = new Importer.Loaded(Map.of(buggy, List.of(item)), List.of());
            assertThatThrownBy(() -> new Importer(new Parallel(2)).run(loaded,
                    new ImportContext(FakeGrafanaClients.of(fake), false, Secrets.none(), s -> { })))
                    .isInstanceOf(NullPointerException.class).hasMessage("a bug");
        }
    }
}
