package dev.prowctl.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.stack.FakeDocker;
import dev.prowctl.stack.FakeDocker.Answer;
import dev.prowctl.stack.HostEnvironment;

/** prowctl stack against fake docker / docker-compose executables that record every call. */
class StackCommandTest {

    private static final String HEALTHY = "{\"Status\":\"running\",\"Health\":{\"Status\":\"healthy\"}}\n";
    private static final String STARTING = "{\"Status\":\"running\",\"Health\":{\"Status\":\"starting\"}}\n";

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

    private static FakeDocker healthy(FakeDocker fake) {
        return fake.on("*", "* ps -a -q influxdb", Answer.ok("c0ffee01\n"))
                .on("*", "* ps -a -q grafana", Answer.ok("c0ffee02\n"))
                .on("docker", "inspect --format {{json .State}} *", Answer.ok(HEALTHY));
    }

    private CliRun run(FakeDocker fake, String... args) throws IOException {
        return run(fake.install(checkout), args);
    }

    private static CliRun run(HostEnvironment host, String... args) {
        return StackCheckout.run(host, args);
    }

    @Test
    void startWithComposeV2StartsWaitsForHealthAndSaysWhereGrafanaIs() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir)
                .on("docker", "* up -d --build", new Answer("", " Container prowctl-grafana-1  Started\n", 0))
                .on("docker", "* ps -a -q influxdb", Answer.ok("c0ffee01\n"))
                .on("docker", "* ps -a -q grafana", Answer.ok(""), Answer.ok("c0ffee02\n"))
                .on("docker", "inspect --format {{json .State}} c0ffee01", Answer.ok(HEALTHY))
                .on("docker", "inspect --format {{json .State}} c0ffee02", Answer.ok(STARTING), Answer.ok(HEALTHY));

        CliRun run = run(fake, "stack", "start", "--build");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).containsExactly(
                "docker compose version",
                v2 + " config --format json",
                "docker version --format {{.Server.Version}}",
                v2 + " up -d --build",
                v2 + " ps -a -q influxdb",
                "docker inspect --format {{json .State}} c0ffee01",
                v2 + " ps -a -q grafana",
                v2 + " ps -a -q influxdb",
                "docker inspect --format {{json .State}} c0ffee01",
                v2 + " ps -a -q grafana",
                "docker inspect --format {{json .State}} c0ffee02",
                v2 + " ps -a -q influxdb",
                "docker inspect --format {{json .State}} c0ffee01",
                v2 + " ps -a -q grafana",
                "docker inspect --format {{json .State}} c0ffee02");
        assertThat(run.out()).isEqualTo("Grafana: http://127.0.0.1:3000 (user admin, password 'admin' (the"
                + " localhost-only default; set GRAFANA_ADMIN_PASSWORD in the environment or "
                + checkout.resolve(".env") + " to change it))\n");
        // compose's own output is progress: stderr, never stdout
        assertThat(run.err()).contains("Container prowctl-grafana-1  Started")
                .contains("+ docker compose -p prowctl -f " + composeFile + " up -d --build")
                .contains("influxdb: healthy").contains("grafana: not created").contains("grafana: starting")
                .contains("grafana: healthy");
    }

    @Test
    void startFallsBackToDockerComposeV1() throws IOException {
        FakeDocker fake = healthy(FakeDocker.v1Only(dir));

        CliRun run = run(fake, "stack", "start");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).containsExactly(
                "docker compose version",
                v1 + " config",
                "docker version --format {{.Server.Version}}",
                v1 + " up -d",
                v1 + " ps -a -q influxdb",
                "docker inspect --format {{json .State}} c0ffee01",
                v1 + " ps -a -q grafana",
                "docker inspect --format {{json .State}} c0ffee02");
        assertThat(run.out()).startsWith("Grafana: http://127.0.0.1:3000");
    }

    @Test
    void dockerWithoutAnyComposeIsAClearEnvironmentError() throws IOException {
        FakeDocker fake = new FakeDocker(dir).withoutComposePlugin();

        CliRun run = run(fake, "stack", "start");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(run.err()).isEqualTo("prowctl stack start: docker compose is not installed: `docker compose version`"
                + " failed and docker-compose is not on PATH; install the docker-compose-plugin package (or"
                + " docker-compose 1.29)\n");
        assertThat(run.out()).isEmpty();
        assertThat(fake.calls()).containsExactly("docker compose version");
    }

    @Test
    void noDockerAtAllIsAClearEnvironmentError() throws IOException {
        FakeDocker fake = new FakeDocker(dir).withoutDocker();

        CliRun run = run(fake, "stack", "clean");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(run.err()).startsWith("prowctl stack clean: docker is not installed (not found on PATH)");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void failingComposeUpIsReportedWithItsLastErrorLine() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir).on("docker", "* up -d",
                Answer.fail(1, "Network prowctl_default  Created\nError response from daemon: pull access denied for"
                        + " influxdb\n"));

        CliRun run = run(fake, "stack", "start");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(run.err()).contains("Network prowctl_default  Created")
                .endsWith("prowctl stack start: docker compose -p prowctl -f " + composeFile + " up -d failed with exit"
                        + " code 1: Error response from daemon: pull access denied for influxdb\n");
        assertThat(run.out()).isEmpty();
        assertThat(fake.calls()).containsExactly("docker compose version", v2 + " config --format json",
                "docker version --format {{.Server.Version}}", v2 + " up -d");
    }

    @Test
    void daemonNotRunningIsUnreachable() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir).on("docker", "version --format*", new Answer("\n",
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n", 1));

        CliRun start = run(fake, "stack", "start");
        CliRun status = run(fake, "stack", "status");

        assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(start.err()).isEqualTo("prowctl stack start: the Docker daemon is not running or not reachable: Cannot"
                + " connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        // only the read-only config (for the password check) reaches compose
        assertThat(fake.calls()).filteredOn(call -> call.startsWith(v2)).containsOnly(v2 + " config --format json");
    }

    @Test
    void composeReportingTheDaemonGoneIsUnreachable() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir).on("docker", "* down --remove-orphans", Answer.fail(1,
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"));

        CliRun run = run(fake, "stack", "clean");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).contains("prowctl stack clean: the Docker daemon is not running or not reachable (docker"
                + " compose -p prowctl -f " + composeFile + " down --remove-orphans failed)");
    }

    @Test
    void healthNeverGreenTimesOutNamingEachServiceState() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir)
                .on("docker", "* ps -a -q influxdb", Answer.ok("c0ffee01\n"))
                .on("docker", "* ps -a -q grafana", Answer.ok("c0ffee02\n"))
                .on("docker", "inspect --format {{json .State}} c0ffee01", Answer.ok(HEALTHY))
                .on("docker", "inspect --format {{json .State}} c0ffee02",
                        Answer.ok("{\"Status\":\"running\",\"Health\":{\"Status\":\"unhealthy\"}}"));

        CliRun run = run(fake, "stack", "start", "--timeout", "1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).endsWith("prowctl stack start: the stack did not become healthy within 1 s (influxdb healthy,"
                + " grafana unhealthy); see `prowctl stack status` and `prowctl stack logs SERVICE`\n");
        assertThat(run.out()).as("no Grafana URL for a stack that is not up").isEmpty();
        assertThat(fake.calls()).filteredOn(call -> call.endsWith("ps -a -q grafana")).hasSizeGreaterThan(2);
    }

    @Test
    void exitedContainerFailsWithoutWaitingForTheTimeout() throws IOException {
        // rules match in order: the exited grafana comes before healthy()'s catch-all inspect rule
        FakeDocker fake = healthy(FakeDocker.v2(dir)
                .on("docker", "inspect --format {{json .State}} c0ffee02", Answer.ok("{\"Status\":\"exited\"}")));

        long started = System.nanoTime();
        CliRun run = run(fake, "stack", "start", "--timeout", "600");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(run.err()).endsWith("prowctl stack start: grafana stopped (exited); see `prowctl stack logs grafana`\n");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
    }

    @Test
    void noWaitSkipsTheHealthChecks() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun run = run(fake, "stack", "start", "--no-wait");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).containsExactly("docker compose version", v2 + " config --format json",
                "docker version --format {{.Server.Version}}", v2 + " up -d");
        assertThat(run.out()).startsWith("Grafana: http://127.0.0.1:3000 (");
    }

    @Test
    void startDryRunPrintsTheCommandAndRunsNothing() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun run = run(fake, "stack", "start", "--build", "--dry-run", "--project-name", "team-a");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("docker compose -p team-a -f " + composeFile + " up -d --build\n");
        // compose config is read-only: a dry run still checks the password with it
        assertThat(fake.calls()).containsExactly("docker compose version",
                "docker compose -p team-a -f " + composeFile + " config --format json");
    }

    @Test
    void cleanRemovesOnlyThisProjectsResources() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun plain = run(fake, "stack", "clean");
        CliRun everything = run(fake, "stack", "clean", "--volumes", "--images");

        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCodes.OK);
        assertThat(everything.exitCode()).as(everything.toString()).isEqualTo(ExitCodes.OK);
        assertThat(everything.err()).contains("Removed the containers and network of project prowctl, its volumes,"
                + " the images it built.");
        List<String> calls = fake.calls();
        assertThat(calls).containsExactly(
                "docker compose version",
                "docker version --format {{.Server.Version}}",
                v2 + " down --remove-orphans",
                "docker compose version",
                "docker version --format {{.Server.Version}}",
                v2 + " down --remove-orphans --volumes --rmi local");
        assertThat(calls).noneMatch(call -> call.contains("prune") || call.contains(" rm ")
                || call.contains("volume ") || call.contains("image ") || call.contains("system")
                || call.contains("--rmi all"));
        assertThat(calls).filteredOn(call -> !call.startsWith("docker compose version")
                        && !call.startsWith("docker version --format"))
                .allMatch(call -> call.startsWith(v2 + " "));
    }

    @Test
    void cleanWithV1AndAnotherProjectNameAddressesOnlyThatProject() throws IOException {
        FakeDocker fake = FakeDocker.v1Only(dir);

        CliRun run = run(fake, "stack", "clean", "--volumes", "--project-name", "oadp-ci");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).containsExactly("docker compose version", "docker version --format {{.Server.Version}}",
                "docker-compose -p oadp-ci -f " + composeFile + " down --remove-orphans --volumes");
    }

    @Test
    void cleanDryRunPrintsTheDownCommandOnly() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun run = run(fake, "stack", "clean", "--volumes", "--images", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(v2 + " down --remove-orphans --volumes --rmi local\n");
        assertThat(run.err()).isEmpty();
        assertThat(fake.calls()).containsExactly("docker compose version");
    }

    @Test
    void statusAndLogsPrintComposeOutputOnStdout() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir)
                .on("docker", "* ps -a", Answer.ok("NAME                 STATUS                    PORTS\n"
                        + "prowctl-grafana-1    Up 2 minutes (healthy)    127.0.0.1:3000->3000/tcp\n"))
                .on("docker", "* logs -f --tail=5 telegraf", Answer.ok("telegraf-1  | 2026-11-28T01:00:00Z I! Starting\n"));

        CliRun status = run(fake, "stack", "status");
        CliRun logs = run(fake, "stack", "logs", "telegraf", "-f", "--tail", "5");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.OK);
        assertThat(status.out()).contains("prowctl-grafana-1    Up 2 minutes (healthy)    127.0.0.1:3000->3000/tcp");
        assertThat(logs.exitCode()).as(logs.toString()).isEqualTo(ExitCodes.OK);
        assertThat(logs.out()).isEqualTo("telegraf-1  | 2026-11-28T01:00:00Z I! Starting\n");
        assertThat(fake.calls()).containsExactly(
                "docker compose version", "docker version --format {{.Server.Version}}", v2 + " ps -a",
                v2 + " config --format json", v2 + " ps -a -q relay",
                "docker compose version", "docker version --format {{.Server.Version}}",
                v2 + " logs -f --tail=5 telegraf");
    }

    @Test
    void composeFileIsFoundFromASubdirectoryOrGivenExplicitly() throws IOException {
        Path sub = Files.createDirectories(checkout.resolve("dashboards"));
        FakeDocker fake = FakeDocker.v2(dir);
        HostEnvironment inSub = fake.install(sub);

        CliRun found = run(inSub, "stack", "clean", "--dry-run");
        CliRun missing = run(inSub, "stack", "clean", "--dry-run", "--file", "nope.yml");

        assertThat(found.exitCode()).as(found.toString()).isEqualTo(ExitCodes.OK);
        assertThat(found.out()).isEqualTo(v2 + " down --remove-orphans\n");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(missing.err()).contains("compose file " + sub.resolve("nope.yml") + " does not exist");
    }

    @Test
    void anotherProjectsComposeFileIsNotMistakenForTheStack() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("other-project"));
        Files.writeString(elsewhere.resolve("docker-compose.yml"), "services: {web: {image: nginx}}\n");
        FakeDocker fake = FakeDocker.v2(dir);

        CliRun run = run(fake.install(elsewhere), "stack", "start", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(run.err()).contains("no prowctl checkout (docker-compose.yml next to grafana/provisioning) in "
                + elsewhere);
        assertThat(fake.calls()).isEmpty();
    }
}
