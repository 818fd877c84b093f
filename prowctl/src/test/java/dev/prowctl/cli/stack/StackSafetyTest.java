package dev.prowctl.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.stack.FakeDocker;
import dev.prowctl.stack.FakeDocker.Answer;
import dev.prowctl.testing.TestEnv;

/**
 * What the stack commands refuse or hide: Grafana exposed with the default password (decided from what compose
 * resolves), options smuggled to compose through {@code stack logs}, credentials and escape sequences in what
 * docker prints.
 */
class StackSafetyTest {

    @TempDir
    Path dir;

    Path checkout;
    Path composeFile;
    String v2;
    String v1;

    @BeforeEach
    void checkout() throws IOException {
        StackCheckout stack = new StackCheckout(dir);
        checkout = stack.checkout;
        composeFile = stack.composeFile;
        v2 = stack.v2;
        v1 = stack.v1;
    }

    private CliRun run(FakeDocker fake, String... args) throws IOException {
        return StackCheckout.run(fake.install(checkout), args);
    }

    /** {@code docker compose config --format json} with Grafana published on {@code hostIp:port}. */
    private static String resolvedConfig(String hostIp, String port, String password) {
        return FakeDocker.DEFAULT_CONFIG_JSON.replace("\"host_ip\":\"127.0.0.1\"", "\"host_ip\":\"" + hostIp + "\"")
                .replace("\"published\":\"3000\"", "\"published\":\"" + port + "\"")
                .replace("\"GF_SECURITY_ADMIN_PASSWORD\":\"admin\"", "\"GF_SECURITY_ADMIN_PASSWORD\":\"" + password + "\"");
    }

    @Test
    void grafanaExposedBeyondLoopbackNeedsAPassword() throws IOException {
        // the decision follows what compose resolved, whatever the .env looks like to a reader
        Files.writeString(checkout.resolve(".env"), "export GRAFANA_BIND=0.0.0.0 # every interface\n");
        FakeDocker exposed = FakeDocker.v2(dir).on("docker", "compose * config --format json",
                Answer.ok(resolvedConfig("0.0.0.0", "3000", "admin")));

        CliRun refused = run(exposed, "stack", "start", "--no-wait");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("compose would publish Grafana on 0.0.0.0:3000, which makes Grafana"
                + " reachable from other machines, with the default admin password");
        assertThat(exposed.calls()).doesNotContain(v2 + " up -d");

        Files.writeString(checkout.resolve(".env"), "GRAFANA_BIND=0.0.0.0\nGRAFANA_PORT=3300\n"
                + "GRAFANA_ADMIN_PASSWORD='s3cret-Pa55'\n");
        FakeDocker protectedByPassword = FakeDocker.v2(dir.resolve("second")).on("docker",
                "compose * config --format json", Answer.ok(resolvedConfig("", "3300", "s3cret-Pa55")));
        CliRun started = run(protectedByPassword, "stack", "start", "--no-wait");

        assertThat(started.exitCode()).as(started.toString()).isEqualTo(ExitCodes.OK);
        assertThat(started.out()).isEqualTo("Grafana: http://localhost:3300 (user admin, password from"
                + " GRAFANA_ADMIN_PASSWORD in " + checkout.resolve(".env") + ")\n");
        assertThat(started.out() + started.err()).doesNotContain("s3cret-Pa55");
    }

    /**
     * docker-compose 1.29 itself resolves the real docker-compose.yml against {@code .env} files written the ways
     * people write them (export, quotes, inline comments); start follows its reading, exposed or not.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            export GRAFANA_BIND=0.0.0.0                                                   | refused | 0.0.0.0:3000
            GRAFANA_BIND=0.0.0.0\\nGRAFANA_ADMIN_PASSWORD=admin # TODO change            | refused | 0.0.0.0:3000
            GRAFANA_BIND=0.0.0.0\\nGRAFANA_ADMIN_PASSWORD="admin" # the default        | refused | 0.0.0.0:3000
            GRAFANA_BIND=0.0.0.0\\nexport GRAFANA_ADMIN_PASSWORD="s3cret # not a comment" | started | http://localhost:3000
            GRAFANA_BIND=127.0.0.1 # loopback only\\nGRAFANA_PORT=3300                  | started | http://127.0.0.1:3300
            """)
    void exposureIsDecidedFromWhatDockerCompose129Resolves(String dotEnv, String outcome, String where)
            throws IOException {
        Path realCompose = TestEnv.requireBinary("docker-compose", "docker-compose");
        Files.copy(TestEnv.repoDir().resolve("docker-compose.yml"), composeFile, StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(checkout.resolve("deploy/image"));
        Files.copy(TestEnv.repoDir().resolve("deploy/image/Containerfile"), checkout.resolve("deploy/image/Containerfile"));
        Files.writeString(checkout.resolve(".env"), dotEnv.strip().replace("\\n", "\n") + "\n");
        FakeDocker fake = FakeDocker.v1Only(dir).passThrough("docker-compose", "* config", realCompose);

        CliRun run = run(fake, "stack", "start", "--no-wait");

        assertThat(fake.calls()).contains(v1 + " config");
        if (outcome.equals("refused")) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("compose would publish Grafana on " + where);
            assertThat(fake.calls()).doesNotContain(v1 + " up -d");
        } else {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).startsWith("Grafana: " + where + " (");
            assertThat(run.out() + run.err()).doesNotContain("s3cret");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--project-name=other", "-p", "--file=/etc/other.yml", "-f"})
    void logsPassesNoOptionToCompose(String smuggled) throws IOException {
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun run = run(fake, "stack", "logs", "--", smuggled);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'" + smuggled + "' is not a service name");
        assertThat(fake.calls()).noneMatch(call -> call.contains(" logs"));
    }

    @Test
    void composeErrorsReachTheTerminalWithoutCredentialsOrEscapeSequences() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir).on("docker", "* up -d", Answer.fail(1, "Error response from daemon:"
                + " Head \"https://bot:hunter2@registry.example/v2/x/manifests/1\": denied \u001b]0;owned\u0007\n"))
                .on("docker", "compose * config --format json", Answer.ok(FakeDocker.DEFAULT_CONFIG_JSON),
                        Answer.fail(15, "open https://u:topsecret@example/.env: permission denied\n"));

        CliRun up = run(fake, "stack", "start");
        CliRun config = run(fake, "stack", "start");

        assertThat(up.exitCode()).as(up.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(up.err()).endsWith("up -d failed with exit code 1: Error response from daemon: Head"
                + " \"https://***@registry.example/v2/x/manifests/1\": denied\n");
        assertThat(config.exitCode()).as(config.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(config.err()).contains("config --format json failed with exit code 15: open https://***@example/.env");
        assertThat(up.err() + config.err()).doesNotContain("hunter2").doesNotContain("topsecret");
        // compose's own progress, passed on line by line, is cleaned the same way
        assertThat(up.err()).contains("\nError response from daemon: Head \"https://***@registry.example/v2/x/manifests/1\"")
                .doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void invalidProjectNameIsAUsageError() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun run = run(fake, "stack", "clean", "--project-name", "Prow Ctl;rm");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("invalid project name 'Prow Ctl;rm'");
        assertThat(fake.calls()).isEmpty();
    }
}
