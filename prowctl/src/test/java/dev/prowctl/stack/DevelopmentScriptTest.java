package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.testing.TestEnv;

/** development_script.sh, run with bash: it delegates to `prowctl stack` and refuses production hosts. */
class DevelopmentScriptTest {

    @TempDir
    Path dir;

    Path fakeProwctl;
    Path calls;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void fakeProwctl() throws IOException {
        calls = dir.resolve("prowctl-calls");
        fakeProwctl = dir.resolve("prowctl");
        Files.writeString(fakeProwctl, "#!/bin/bash\nprintf '%s\\n' \"prowctl $*\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(fakeProwctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bash = TestEnv.requireBinary("bash", "bash");
        List<String> command = new ArrayList<>(List.of(bash.toString(),
                TestEnv.repoDir().resolve("development_script.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PROWCTL_PRODUCTION_HOSTS");
        builder.environment().put("PROWCTL_BIN", fakeProwctl.toString());
        builder.environment().put("PROWCTL_PRODUCTION_HOSTS_FILE", dir.resolve("no-such-file").toString());
        builder.environment().putAll(env);
        builder.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
    }

    private static String hostname() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("hostname").start();
        String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return name;
    }

    @Test
    void startAndCleanDelegateToProwctlStack() throws Exception {
        Run start = run(Map.of(), "-s");
        Run startLong = run(Map.of(), "--start", "--no-wait", "--timeout", "60");
        Run clean = run(Map.of(), "--clean");
        Run cleanShort = run(Map.of(), "-c", "--dry-run");

        assertThat(List.of(start, startLong, clean, cleanShort)).allMatch(run -> run.exitCode() == 0);
        assertThat(calls()).containsExactly(
                "prowctl stack start --build",
                "prowctl stack start --build --no-wait --timeout 60",
                "prowctl stack clean --volumes --images",
                "prowctl stack clean --volumes --images --dry-run");
    }

    @Test
    void helpDescribesTheOptions() throws Exception {
        Run help = run(Map.of(), "--help");
        Run h = run(Map.of(), "-h");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("-s, --start").contains("-c, --clean").contains("-h, --help")
                .contains("PROWCTL_PRODUCTION_HOSTS");
        assertThat(h.out()).isEqualTo(help.out());
        assertThat(calls()).isEmpty();
    }

    @Test
    void noOrUnknownOptionIsAUsageError() throws Exception {
        Run none = run(Map.of());
        Run unknown = run(Map.of(), "--prune");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("usage:");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown option '--prune'");
        assertThat(calls()).isEmpty();
    }

    @Test
    void refusesHostsListedAsProductionInTheEnvironment() throws Exception {
        Run run = run(Map.of("PROWCTL_PRODUCTION_HOSTS", "prow-prod-1, " + hostname().toUpperCase()), "--clean");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refusing to run on").contains("listed as a production host");
        assertThat(calls()).isEmpty();
    }

    @Test
    void refusesHostsListedAsProductionInTheFile() throws Exception {
        Path hosts = dir.resolve("production-hosts");
        Files.writeString(hosts, "# the team's production machines\nprow-prod-1\n  " + hostname() + "   # this one\n");

        Run start = run(Map.of("PROWCTL_PRODUCTION_HOSTS_FILE", hosts.toString()), "-s");

        assertThat(start.exitCode()).isEqualTo(1);
        assertThat(start.err()).contains("listed as a production host");
        assertThat(calls()).isEmpty();
    }

    @Test
    void otherHostsInTheListsDoNotStopIt() throws Exception {
        Path hosts = dir.resolve("production-hosts");
        Files.writeString(hosts, "prow-prod-1\nprow-prod-2.example.com\n");

        Run run = run(Map.of("PROWCTL_PRODUCTION_HOSTS", "grafana-prod", "PROWCTL_PRODUCTION_HOSTS_FILE",
                hosts.toString()), "-c");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(calls()).containsExactly("prowctl stack clean --volumes --images");
    }

    @Test
    void neverRunsDockerItself() throws IOException {
        String script = Files.readString(TestEnv.repoDir().resolve("development_script.sh"));
        assertThat(script.lines().filter(line -> !line.strip().startsWith("#")))
                .noneMatch(line -> line.contains("docker ") || line.contains("prune") || line.contains("docker-compose"));
    }
}
