package dev.prowctl.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.Json;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.testing.TestEnv;

/** Each grafana command and its error paths, run in-process against the fake Grafana. */
class GrafanaCommandsTest {

    @TempDir
    Path tmp;

    private static CliRun run(FakeGrafana fake, String... args) {
        return GrafanaCli.run(fake, args);
    }

    @Test
    void createKeyPrintsOnlyTheKey() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            CliRun run = run(fake, "create-key", "--name", "telegraf", "--role", "Editor");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).matches("glsa_telegraf_\\d+\n");
            assertThat(fake.serviceAccounts()).singleElement()
                    .satisfies(sa -> assertThat(sa.path("role").asText()).isEqualTo("Editor"));
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void createKeyTtlTakesADurationAndTheOldNameStillTakesSeconds() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            CliRun ttl = run(fake, "create-key", "--name", "a", "--ttl", "2h");
            CliRun old = run(fake, "create-key", "--name", "b", "--seconds-to-live", "90");
            assertThat(ttl.exitCode()).as(ttl.toString()).isEqualTo(ExitCodes.OK);
            assertThat(old.exitCode()).as(old.toString()).isEqualTo(ExitCodes.OK);
            assertThat(fake.writes()).filteredOn(w -> w.path().endsWith("/tokens")).extracting(FakeGrafana.Seen::body)
                    .satisfiesExactly(body -> assertThat(body).contains("\"secondsToLive\":7200"),
                            body -> assertThat(body).contains("\"secondsToLive\":90"));
            CliRun negative = run(fake, "create-key", "--name", "c", "--ttl", "-5s");
            assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void createKeyRefusesAnExistingServiceAccountWithAnotherRole() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addServiceAccount("telegraf", "Admin");
            CliRun run = run(fake, "create-key", "--name", "telegraf", "--role", "Viewer");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().strip()).doesNotContain("\n").contains("role Admin, not Viewer")
                    .contains("--role Admin");
            assertThat(fake.writes()).isEmpty();
        }
    }

    @Test
    void createKeyWritesTheKeyFileWithMode0600() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V8_4)) {
            Path keyFile = tmp.resolve("grafana.key");
            CliRun run = run(fake, "create-key", "--name", "relay", "--key-file", keyFile.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).isEmpty();
            assertThat(Files.readString(keyFile)).matches("eyJrIjoi\\d+\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            assertThat(run.err()).contains(keyFile.toString()).doesNotContain("eyJrIjoi");
        }
    }

    @Test
    void exportThenImportIntoAnEmptyGrafanaThenImportAgainWritesNothing() throws IOException {
        try (FakeGrafana source = Fakes.start(FakeGrafana.Line.V11_6); FakeGrafana target = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(source, 20);
            Path dir = tmp.resolve("export");
            CliRun export = run(source, "export", "--dir", dir.toString(), "--concurrency", "3");
            assertThat(export.exitCode()).as(export.toString()).isEqualTo(ExitCodes.OK);
            assertThat(export.out()).isEmpty();
            assertThat(export.err()).contains("dashboards").contains("20 exported (20 changed, 0 removed)")
                    .contains("alert-notifications  skipped");
            assertThat(dir.resolve("alerting/policies.json")).exists();

            CliRun again = run(source, "export", "--dir", dir.toString());
            assertThat(again.err()).contains("20 exported (0 changed, 0 removed)");

            CliRun plan = run(target, "import", "--dir", dir.toString(), "--dry-run");
            assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.OK);
            assertThat(plan.out()).contains("create    dashboards dash-7 (Dashboard 7) (dashboards/dash-7.json)");
            assertThat(plan.err()).contains("dry run, nothing written");
            assertThat(target.writes()).isEmpty();

            CliRun imported = run(target, "import", "--dir", dir.toString());
            assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(ExitCodes.OK);
            assertThat(imported.err()).contains("prowctl grafana import: 32 created, 1 updated, 0 unchanged, 0 failed");
            target.clearRequests();
            CliRun second = run(target, "import", "--dir", dir.toString());
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
            assertThat(second.err()).contains("prowctl grafana import: 0 created, 0 updated, 33 unchanged, 0 failed");
            assertThat(target.writes()).isEmpty();
            Fakes.assertConforms(source);
            Fakes.assertConforms(target);
        }
    }

    @Test
    void reExportRemovesFilesOfDeletedResourcesAndUnsupportedKindsAreReported() {
        Path dir = tmp.resolve("export");
        try (FakeGrafana before = Fakes.start(FakeGrafana.Line.V8_4); FakeGrafana after = Fakes.start(FakeGrafana.Line.V8_4)) {
            Fakes.seedTeamGrafana(before, 6);
            Fakes.seedTeamGrafana(after, 4);
            assertThat(run(before, "export", "--dir", dir.toString()).exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(dir.resolve("dashboards/dash-5.json")).exists();
            assertThat(dir.resolve("alert-notifications/irc-relay.json")).exists();
            CliRun second = run(after, "export", "--dir", dir.toString());
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
            assertThat(second.err()).contains("4 exported (0 changed, 2 removed)")
                    .contains("contact-points       skipped: Grafana 8.4.6 has no contact-points");
            assertThat(dir.resolve("dashboards/dash-5.json")).doesNotExist();
            assertThat(dir.resolve("dashboards/dash-3.json")).exists();

            CliRun explicit = run(after, "export", "--dir", dir.toString(), "--kinds", "dashboards,contact-points");
            assertThat(explicit.exitCode()).as(explicit.toString()).isEqualTo(ExitCodes.UNSUPPORTED);
            assertThat(explicit.err()).contains("Grafana 8.4.6 has no contact-points");
            Fakes.assertConforms(before);
            Fakes.assertConforms(after);
        }
    }

    @Test
    void importOfTheOriginalPythonExport() {
        Path dir = TestEnv.sharedFile("fixtures/original-grafana-export");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V12)) {
            CliRun run = run(fake, "import", "--dir", dir.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.err()).contains("created datasources HKmhwL8nk (Google Sheets)")
                    .contains("GRAFANA_SECRET_MARIADB_PASSWORD").contains("3 created".replace("3", "6"));
        }
    }

    @Test
    void partialFailureIsReportedAndExitsOne() throws IOException {
        Path dir = tmp.resolve("in");
        Files.createDirectories(dir.resolve("dashboards"));
        Files.writeString(dir.resolve("dashboards/a.json"), "{\"dashboard\": {\"uid\": \"a\", \"title\": \"A\"}}");
        Files.writeString(dir.resolve("dashboards/b.json"),
                "{\"dashboard\": {\"uid\": \"b\", \"title\": \"B\"}, \"folderUid\": \"missing\"}");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            CliRun run = run(fake, "import", "--dir", dir.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(run.err()).contains("FAILED dashboards b (B) (dashboards/b.json)").contains("folder not found")
                    .contains("1 created, 0 updated, 0 unchanged, 1 failed");
            assertThat(fake.dashboards()).containsKey("a");
        }
    }

    @Test
    void malformedImportFileIsBadInputNamingTheFile() throws IOException {
        Path dir = tmp.resolve("in");
        Files.createDirectories(dir.resolve("datasources"));
        Files.writeString(dir.resolve("datasources/x.json"), "{\"name\": \"x\"}");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            CliRun run = run(fake, "import", "--dir", dir.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains("datasources/x.json").contains("\"type\"");
            assertThat(run.err().lines().count()).isEqualTo(1);
            assertThat(fake.writes()).isEmpty();
        }
    }

    @Test
    void alertsAsTextAndJson() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addFiringAlert("OADP periodic failing", "alerting", "e2e-aws failed");
            fake.addFiringAlert("Velero slow", "alerting", "backups slow");
            CliRun text = run(fake, "alerts", "oadp");
            assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.OK);
            assertThat(text.out().lines()).singleElement().asString()
                    .startsWith("[firing] OADP periodic failing: e2e-aws failed http://");
            CliRun json = run(fake, "alerts", "-o", "json");
            JsonNode alerts = Json.parse(json.out().getBytes());
            assertThat(alerts).hasSize(2);
            assertThat(alerts.get(1).path("name").asText()).isEqualTo("Velero slow");
            assertThat(alerts.get(1).path("labels").path("team").asText()).isEqualTo("oadp");
            CliRun none = run(fake, "alerts", "nothing-matches");
            assertThat(none.out()).isEmpty();
            assertThat(none.err()).contains("no firing alerts matching nothing-matches");
        }
    }

    @Test
    void errorsMapToDocumentedExitCodesAndNeverShowSecrets() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V11_6)) {
            CliRun badToken = CliRun.of("grafana", "alerts", "--url", fake.url().toString(), "--token", "glsa_nope");
            assertThat(badToken.exitCode()).as(badToken.toString()).isEqualTo(ExitCodes.AUTH);
            assertThat(badToken.err()).contains("a token").doesNotContain("glsa_nope");

            CliRun badPassword = CliRun.of("grafana", "alerts", "--url",
                    fake.url().toString().replace("http://", "http://admin:hunter2@"));
            assertThat(badPassword.exitCode()).as(badPassword.toString()).isEqualTo(ExitCodes.AUTH);
            assertThat(badPassword.err()).contains("basic auth as user 'admin'").doesNotContain("hunter2");

            CliRun viewer = CliRun.of("grafana", "create-key", "--name", "x", "--url", fake.url().toString(),
                    "--token", FakeGrafana.VIEWER_TOKEN);
            assertThat(viewer.exitCode()).as(viewer.toString()).isEqualTo(ExitCodes.AUTH);
            assertThat(viewer.err()).contains("Permissions needed");

            fake.disable("/api/alertmanager");
            CliRun unsupported = run(fake, "alerts");
            assertThat(unsupported.exitCode()).as(unsupported.toString()).isEqualTo(ExitCodes.UNSUPPORTED);
            assertThat(unsupported.err()).contains("Grafana 11.6.3");

            Path tokenFile = Files.writeString(tmp.resolve("token"), FakeGrafana.ADMIN_TOKEN + "\n");
            CliRun verbose = CliRun.of("grafana", "export", "--dir", tmp.resolve("e").toString(), "--kinds",
                    "folders", "--url", fake.url().toString(), "--token-file", tokenFile.toString(), "--verbose");
            assertThat(verbose.exitCode()).as(verbose.toString()).isEqualTo(ExitCodes.OK);
            assertThat(verbose.err()).contains("Grafana 11.6.3").contains("GET api/folders")
                    .doesNotContain(FakeGrafana.ADMIN_TOKEN);
        }
        int port = TestEnv.freePort();
        CliRun unreachable = CliRun.of("grafana", "alerts", "--url", "http://127.0.0.1:" + port);
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.err().lines().count()).isEqualTo(1);

        CliRun badKind = CliRun.of("grafana", "export", "--dir", tmp.toString(), "--kinds", "panels");
        assertThat(badKind.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badKind.err()).contains("unknown kind 'panels'");
    }

    @Test
    void alertsTakesTheOutputWordsOfEveryCommandAndKeepsTextAsAnAlias() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addFiringAlert("OADP periodic failing", "alerting", "e2e-aws failed");
            CliRun human = run(fake, "alerts", "-o", "human");
            CliRun text = run(fake, "alerts", "--output", "text");
            CliRun byDefault = run(fake, "alerts");
            assertThat(human.exitCode()).as(human.toString()).isEqualTo(ExitCodes.OK);
            assertThat(human.out()).startsWith("[firing] OADP periodic failing").isEqualTo(text.out())
                    .isEqualTo(byDefault.out());
            assertThat(run(fake, "alerts", "-o", "influx").exitCode()).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void theTokenComesAsAValueOrFromAFileWithTheDeprecatedTokenFileStillWorking() throws IOException {
        Path tokenFile = Files.writeString(tmp.resolve("token"), FakeGrafana.ADMIN_TOKEN + "\n");
        Path empty = Files.writeString(tmp.resolve("empty"), " \n");
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            String url = fake.url().toString();
            CliRun atFile = CliRun.of("grafana", "alerts", "--url", url, "--token", "@" + tokenFile);
            CliRun deprecated = CliRun.of("grafana", "alerts", "--url", url, "--token-file", tokenFile.toString());
            assertThat(atFile.exitCode()).as(atFile.toString()).isEqualTo(ExitCodes.OK);
            assertThat(deprecated.exitCode()).as(deprecated.toString()).isEqualTo(ExitCodes.OK);

            CliRun emptyFile = CliRun.of("grafana", "alerts", "--url", url, "--token", "@" + empty);
            assertThat(emptyFile.exitCode()).as(emptyFile.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(emptyFile.err()).isEqualTo("prowctl grafana alerts: --token: file " + empty + " is empty\n");
            CliRun missing = CliRun.of("grafana", "alerts", "--url", url, "--password", "@" + tmp.resolve("absent"),
                    "--user", "admin");
            assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(missing.err()).startsWith("prowctl grafana alerts: --password: cannot read " + tmp.resolve("absent"));
        }
        CliRun help = CliRun.of("grafana", "alerts", "--help");
        assertThat(help.out()).contains("--token=TOKEN|@FILE").contains("Deprecated: use --token @FILE");
    }
}
