package dev.prowctl.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;

/** How the grafana commands meet proxies, hidden versions, old servers, slow servers and hostile files. */
class GrafanaFailureModesTest {

    @TempDir
    Path tmp;

    private static CliRun run(FakeGrafana fake, String... args) {
        return GrafanaCli.run(fake, args);
    }

    @Test
    void anAuthProxyRefusingHealthIsAnAuthFailureWithAHint() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.behindAuthProxy(401);
            CliRun run = run(fake, "export", "--dir", tmp.resolve("x").toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.AUTH);
            assertThat(run.err()).contains("proxy").doesNotContain(FakeGrafana.ADMIN_TOKEN);
        }
    }

    @Test
    void aServerErrorOnHealthIsAServerError() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.healthAnswers(500);
            CliRun run = run(fake, "export", "--dir", tmp.resolve("x").toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
            fake.healthAnswers(503);
            CliRun down = run(fake, "export", "--dir", tmp.resolve("x").toString());
            assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
            assertThat(down.err()).contains("GET api/health → 503) is up but unhealthy, database: failing");
        }
    }

    @Test
    void aHiddenVersionIsFoundFromTheFrontendSettings() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V11_6)) {
            Fakes.seedTeamGrafana(fake, 2);
            fake.hideVersion();
            CliRun run = run(fake, "export", "--dir", tmp.resolve("x").toString(), "--kinds", "dashboards,folders");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(tmp.resolve("x/folders/oadp.json")).content().contains("\"parentUid\": \"ci\"");
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void grafana90WithoutTheServiceAccountToggleGetsALegacyKey() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V8_4)) {
            fake.reportVersion("9.0.9");
            CliRun run = run(fake, "create-key", "--name", "telegraf");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).matches("eyJrIjoi\\d+\n");
            assertThat(fake.apiKeys()).singleElement()
                    .satisfies(k -> assertThat(k.path("name").asText()).isEqualTo("telegraf"));
        }
    }

    @Test
    void timeoutAppliesToGrafana() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13, "/", Duration.ofSeconds(3))) {
            long start = System.nanoTime();
            CliRun run = run(fake, "export", "--dir", tmp.resolve("x").toString(), "--timeout", "200ms");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err()).contains("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void deeplyNestedImportFilesAreMalformedInput() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Path dir = Files.createDirectories(tmp.resolve("export/dashboards"));
            String deep = "[".repeat(500) + "]".repeat(500);
            Files.writeString(dir.resolve("a.json"), "{\"dashboard\": {\"uid\": \"a\", \"title\": \"A\", \"x\": "
                    + deep + "}}");
            CliRun run = run(fake, "import", "--dir", tmp.resolve("export").toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains("dashboards/a.json").contains("nested deeper");
            assertThat(fake.writes()).isEmpty();
        }
    }

    @Test
    void aMalformedSecretsFileNeverEchoesASecret() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Path secrets = Files.writeString(tmp.resolve("secrets.json"), "{\"mariadb\": {\"password\": hunter2pw}}");
            CliRun run = run(fake, "import", "--dir", tmp.toString(), "--secrets-file", secrets.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains("line 1").doesNotContain("hunter2");
            Path deep = Files.writeString(tmp.resolve("deep.json"), "{\"a\":".repeat(300) + "1" + "}".repeat(300));
            CliRun nested = run(fake, "import", "--dir", tmp.toString(), "--secrets-file", deep.toString());
            assertThat(nested.exitCode()).as(nested.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        }
    }

    @Test
    void createKeyChecksTheKeyFileBeforeCreatingAnything() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Path blocker = Files.writeString(tmp.resolve("not-a-dir"), "");
            CliRun run = run(fake, "create-key", "--name", "relay", "--key-file",
                    blocker.resolve("grafana.key").toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(run.err()).contains("nothing was created");
            assertThat(fake.writes()).isEmpty();
        }
    }

    @Test
    void createKeyNamesTheTokenWhenTheKeyFileCannotBeWrittenAfterAll() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Path keyFile = tmp.resolve("grafana.key");
            // the key file's place is taken by a non-empty directory while the token is being created
            fake.afterEachRequest(seen -> {
                if (seen.path().endsWith("/tokens") && seen.isWrite()) {
                    try {
                        Files.createDirectories(keyFile);
                        Files.writeString(keyFile.resolve("occupied"), "");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            CliRun run = run(fake, "create-key", "--name", "relay", "--key-file", keyFile.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(run.err()).contains("token 'relay'").contains("service account 'relay'")
                    .contains("created now").doesNotContain("glsa_relay");
            assertThat(fake.writes()).filteredOn(w -> w.path().endsWith("/tokens")).hasSize(1);
        }
    }

    @Test
    void alertTextFromGrafanaCannotDriveTheTerminal() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addFiringAlert("OADP \u001b]0;owned\u0007failing", "alerting", "e2e\u001b[2J failed\r");
            CliRun run = run(fake, "alerts", "oadp");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("OADP failing").contains("e2e failed")
                    .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r");
        }
    }
}
