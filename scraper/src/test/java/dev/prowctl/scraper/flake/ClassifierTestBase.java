package dev.prowctl.scraper.flake;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRun.JobType;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What the classifier tests share: a local fake deck + GCS API + gcsweb ({@link FakeArtifactsServer}), a manual
 * clock for the deadline and the retries, what the listener heard, and runs whose artifacts the fake holds.
 */
abstract class ClassifierTestBase {
    static final String BUCKET = "test-platform-results";
    static final Instant END = Instant.now().minus(Duration.ofHours(2));
    static final RetryPolicy RETRIES =
            new RetryPolicy(Duration.ofMillis(800), 3, Duration.ofMillis(10), Duration.ofMillis(40));

    @TempDir
    Path stateDir;

    final FakeArtifactsServer server = new FakeArtifactsServer();
    /** The deadline's clock; retries wait on it, so no test really waits for a backoff. */
    final ManualClock clock = new ManualClock();
    final OkHttpClient http = new OkHttpClient();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<int[]> progress = new CopyOnWriteArrayList<>();
    final List<ClassificationSummary> summaries = new CopyOnWriteArrayList<>();
    final ClassificationListener listener = new ClassificationListener() {
        @Override
        public void progress(int done, int total) {
            progress.add(new int[] {done, total});
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }

        @Override
        public void finished(ClassificationSummary summary) {
            summaries.add(summary);
        }
    };

    @AfterEach
    void stop() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    // ---- fixtures --------------------------------------------------------------------------------------------

    ProwRun periodic(String id, String state, String target, String... files) {
        String job = "periodic-ci-openshift-oadp-operator-master-4.10-" + target;
        return run(id, job, JobType.PERIODIC, false, state, target, "logs/" + job + "/" + id, files);
    }

    ProwRun presubmit(String id, String state, String target, String... files) {
        String job = "pull-ci-openshift-oadp-operator-master-4.10-" + target;
        return run(id, job, JobType.PRESUBMIT, false, state, target,
                "pr-logs/pull/openshift_oadp-operator/842/" + job + "/" + id, files);
    }

    ProwRun rehearsal(String id, String state, String target, String... files) {
        String job = "rehearse-27052-pull-ci-openshift-oadp-operator-master-" + target;
        return run(id, job, JobType.PRESUBMIT, true, state, target,
                "pr-logs/pull/openshift_release/27052/" + job + "/" + id, files);
    }

    /** A run whose artifacts hold {@code files}: {@code name} or {@code name=fixture-resource}. */
    ProwRun run(String id, String job, JobType type, boolean rehearsal, String state, String target,
                        String path, String... files) {
        server.put(BUCKET, path + "/build-log.txt", "ci-operator log");
        server.put(BUCKET, path + "/finished.json", "{\"passed\":false,\"result\":\"FAILURE\"}");
        for (String file : files) {
            String[] parts = file.split("=", 2);
            server.put(BUCKET, path + "/" + parts[0], parts.length == 2 ? Fixtures.resource(parts[1]) : "content");
        }
        return Fixtures.run(id, job, type, rehearsal, state, target, server.spyglassUrl(BUCKET, path), END);
    }

    static String testLog(String target, String step) {
        return "artifacts/" + target + "/" + step + "/build-log.txt";
    }

    static String junit(String resource) {
        return "artifacts/junit_operator.xml=" + resource;
    }

    ArtifactsClassifier classifier(HttpUrl gcswebPrefix, Duration deadline, int concurrency,
                                           RetryPolicy retries) {
        return new ArtifactsClassifier(http, new ClassifierSettings(server.apiUrl(), gcswebPrefix, concurrency,
                deadline, retries), FlakeCache.open(stateDir, Clock.systemUTC(), warnings::add), listener, clock,
                clock);
    }

    ArtifactsClassifier classifier(HttpUrl gcswebPrefix, Duration deadline, int concurrency) {
        return classifier(gcswebPrefix, deadline, concurrency, RETRIES);
    }

    ArtifactsClassifier classifier() {
        return classifier(server.gcswebPrefix(), Duration.ofSeconds(20), 4);
    }

    static Map<String, ProwRun> byId(List<ProwRun> runs) {
        return runs.stream().collect(Collectors.toMap(ProwRun::id, Function.identity()));
    }

}
