package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.scraper.flake.ArtifactsClassifier;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.prow.ProwRun;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class FlakeOptionsTest {

    @TempDir
    Path stateDir;

    /** A command that only carries the mixin, as ScrapeCommand will. */
    @Command(name = "scrape")
    static final class Host implements Runnable {
        @Mixin
        FlakeOptions flakes;

        @Override
        public void run() {
        }
    }

    private static FlakeOptions parse(String... args) {
        Host host = new Host();
        new CommandLine(host).parseArgs(args);
        return host.flakes;
    }

    @Test
    void defaults() {
        FlakeOptions options = parse();

        assertThat(options.enabled()).isTrue();
        assertThat(options.gcsApiUrl).isEqualTo(System.getenv().getOrDefault("PROWCTL_GCS_API_URL",
                "https://storage.googleapis.com"));
        assertThat(options.concurrency.value()).isEqualTo(8);
        assertThat(options.deadline).isEqualTo(Duration.ofSeconds(240));
        assertThat(options.requestTimeout).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.retries).isEqualTo(3);
        assertThat(options.maxDeferral).isEqualTo(Duration.ofHours(6));
        assertThat(options.refreshFlakes).isFalse();
        assertThat(options.stateDir().getFileName()).hasToString("prowctl");
        assertThat(options.stateDir().isAbsolute()).isTrue();
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(parse("--deadline", "4m").deadline).isEqualTo(Duration.ofMinutes(4));
        assertThat(parse("--deadline", "90").deadline).isEqualTo(Duration.ofSeconds(90));
        assertThat(parse("--deadline", "PT2M30S").deadline).isEqualTo(Duration.ofSeconds(150));
        assertThat(parse("--request-timeout", "500ms").requestTimeout).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("--max-deferral", "90m").maxDeferral).isEqualTo(Duration.ofMinutes(90));
        assertThat(parse("--max-deferral", "0").maxDeferral).as("0: never left out").isZero();
        assertThatThrownBy(() -> parse("--max-deferral", "-1h"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> parse("--deadline", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> parse("--deadline", "0s"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("positive");
    }

    @Test
    void noFlakesGivesTheIdentityClassifier() {
        FlakeOptions options = parse("--no-flakes");

        assertThat(options.enabled()).isFalse();
        assertThat(options.classifier(OkHttpClient::new, "https://gcsweb.example/gcs/", ClassificationListener.NONE))
                .isSameAs(RunClassifier.NONE);
    }

    @Test
    void badValuesAreUsageErrors() {
        OkHttpClient client = new OkHttpClient();
        assertThatThrownBy(() -> parse("--concurrency", "0"))
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessageContaining("--concurrency").hasMessageContaining("must be between 1 and 256, not 0");
        assertThatThrownBy(() -> parse("--gcs-api-url", "storage").classifier(() -> client, null,
                ClassificationListener.NONE))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("--gcs-api-url");
        assertThatThrownBy(() -> parse("--state-dir", stateDir.toString()).classifier(() -> client, "gcsweb",
                ClassificationListener.NONE))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("--gcsweb-url");
    }

    @Test
    void theBuiltClassifierUsesTheGivenServersAndStateDir() throws Exception {
        List<String> paths = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    synchronized (paths) {
                        paths.add(request.getTarget());
                    }
                    if (request.getTarget().contains("alt=media")) {
                        return new MockResponse(404, Headers.of(), "{\"error\":{\"code\":404}}");
                    }
                    String prefix = request.getUrl().queryParameter("prefix");
                    // the test step's directory is empty; the run directory holds finished.json
                    String items = prefix.contains("/artifacts/") ? ""
                            : ",\"items\":[{\"name\":\"" + prefix + "finished.json\"}]";
                    return new MockResponse(200, Headers.of("Content-Type", "application/json"),
                            "{\"kind\":\"storage#objects\"" + items + "}");
                }
            });
            server.start(InetAddress.getLoopbackAddress(), 0);
            FlakeOptions options = parse("--gcs-api-url", server.url("/").toString(), "--state-dir",
                    stateDir.toString(), "--concurrency", "2", "--deadline", "30s");
            List<String> warnings = new ArrayList<>();
            ClassificationListener listener = new ClassificationListener() {
                @Override
                public void progress(int done, int total) {
                }

                @Override
                public void warning(String message) {
                    warnings.add(message);
                }
            };
            RunClassifier classifier = options.classifier(OkHttpClient::new, "https://gcsweb.example/gcs",
                    listener);
            Instant end = Instant.parse("2026-11-27T12:00:00Z");
            ProwRun failed = new ProwRun("1", "uuid", "pull-ci-openshift-oadp-operator-master-operator-e2e",
                    ProwRun.JobType.PRESUBMIT, false, "failure", end.minusSeconds(600), end, "openshift",
                    "oadp-operator", "master", 1, null, null, "operator-e2e", null, null, null,
                    "https://prow.ci.openshift.org/view/gs/test-platform-results/pr-logs/pull/"
                            + "openshift_oadp-operator/1/pull-ci-openshift-oadp-operator-master-operator-e2e/1",
                    null, null, null);

            List<ProwRun> out = classifier.classify(List.of(failed));

            assertThat(classifier).isInstanceOf(ArtifactsClassifier.class);
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo("flake");
                assertThat(r.flakeReason()).isEqualTo("no-build-log:e2e");
            });
            assertThat(paths).as("step listing, junit, and the run directory (the step's is empty)").hasSize(3);
            assertThat(paths.get(0)).startsWith("/storage/v1/b/test-platform-results/o?prefix=pr-logs")
                    .contains("delimiter=%2F").contains("fields=items%28name%29%2Cprefixes%2CnextPageToken");
            assertThat(paths.get(1)).as("the object name is one path segment, slashes encoded")
                    .startsWith("/storage/v1/b/test-platform-results/o/pr-logs%2Fpull%2Fopenshift_oadp-operator%2F1%2F")
                    .endsWith("%2F1%2Fartifacts%2Fjunit_operator.xml?alt=media");
            assertThat(paths.get(2)).startsWith("/storage/v1/b/test-platform-results/o?prefix=pr-logs")
                    .contains("%2F1%2F&delimiter");
            assertThat(stateDir.resolve(FlakeCache.FILE_NAME)).exists();
            assertThat(warnings).isEmpty();
        }
    }
}
