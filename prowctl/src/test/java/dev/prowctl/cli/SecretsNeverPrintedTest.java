package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.prowctl.testing.TestEnv;

/**
 * No command prints a secret it was given in a URL (user info, a token parameter, a webhook path), in its
 * messages, its warnings or, with --verbose, its stack traces: every failing run's stdout and stderr are searched
 * for it.
 */
class SecretsNeverPrintedTest {

    private static final String SECRET = "S3cr3tValue";

    /** A port something listens on, so that the relay cannot. */
    private static ServerSocket taken;

    @TempDir
    static Path dir;

    @BeforeAll
    static void takeAPort() throws IOException {
        taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void releaseThePort() throws IOException {
        taken.close();
    }

    static Stream<Arguments> failingRuns() {
        String sample = TestEnv.repoDir().resolve("examples/prowjobs.sample.json").toString();
        return Stream.of(
                Arguments.of("deck with user info", List.of("scrape", "--url",
                        "https://u:" + SECRET + "@127.0.0.1:1/?job=*oadp*")),
                Arguments.of("deck with a token", List.of("scrape", "--url",
                        "http://127.0.0.1:1/?job=*oadp*&token=" + SECRET)),
                Arguments.of("influx with user info", List.of("scrape", "--prowjobs-file", sample, "--no-flakes",
                        "--influx-url", "http://u:" + SECRET + "@127.0.0.1:1", "--influx-db", "prow")),
                Arguments.of("influx with a token parameter", List.of("scrape", "--prowjobs-file", sample,
                        "--no-flakes", "--influx-url", "http://127.0.0.1:1/?u=x&p=1&token=" + SECRET,
                        "--influx-db", "prow")),
                Arguments.of("artifacts with user info", List.of("scrape", "--prowjobs-file", sample,
                        "--state-dir", dir.resolve("state").toString(), "--deadline", "5s",
                        "--gcs-api-url", "http://u:" + SECRET + "@127.0.0.1:1")),
                Arguments.of("grafana with user info", List.of("grafana", "export", "--url",
                        "http://admin:" + SECRET + "@127.0.0.1:1", "--dir", dir.resolve("export").toString())),
                Arguments.of("relay with a webhook", List.of("relay", "--listen", "127.0.0.1:" + taken.getLocalPort(),
                        "--slack-webhook", "https://127.0.0.1:1/services/T0/B0/" + SECRET)),
                Arguments.of("relay with a malformed webhook", List.of("relay",
                        "--slack-webhook", "ftp://127.0.0.1:1/services/T0/B0/" + SECRET)),
                Arguments.of("relay with IRC user info", List.of("relay", "--listen",
                        "127.0.0.1:" + taken.getLocalPort(), "--irc", "ircs://nick:" + SECRET + "@127.0.0.1:1/#ci")),
                Arguments.of("stack with a URL as a setting", List.of("stack", "status", "--project-name",
                        "https://u:" + SECRET + "@127.0.0.1:1/")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingRuns")
    void theSecretIsInNoOutput(String what, List<String> args) {
        for (boolean verbose : new boolean[] {false, true}) {
            List<String> line = new ArrayList<>(args);
            if (verbose) {
                line.add(0, "--verbose");
            }
            CliRun run = CliRun.of(line.toArray(String[]::new));

            assertThat(run.err()).as("it says something: " + run).isNotBlank();
            assertThat(run.out() + run.err()).as(run.toString()).doesNotContain(SECRET);
        }
    }
}
