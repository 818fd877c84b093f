package dev.prowctl.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.scraper.flake.ArtifactsClassifier;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassifierSettings;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.flake.RetryPolicy;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.pipeline.ScrapeException;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeSources;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.RunDeriver;
import dev.prowctl.testing.Readiness;
import dev.prowctl.testing.TestEnv;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

class ExporterTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(5);
    private static final String RUNS = "prowctl_job_runs_total";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> log = new ArrayList<>();
    private final AtomicReference<ProwJobSource> source = new AtomicReference<>();
    private RunClassifier classifier = RunClassifier.NONE;
    /** Builds each scrape's classifier with the exporter's listener (default: {@link #classifier}). */
    private Function<ClassificationListener, RunClassifier> classifiers = listener -> classifier;
    private Path payload;
    private Exporter exporter;
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        payload = dir.resolve("prowjobs.js");
        source.set(ScrapeSources.file(payload));
        startExporter();
    }

    @AfterEach
    void stop() {
        server.close();
        exporter.close();
    }

    private void startExporter() throws IOException {
        RunLedger ledger = new RunLedger();
        LedgerFile file = new LedgerFile(dir.resolve("state"));
        file.load(ledger);
        DeckUrl deck = DeckUrl.parse("https://prow.example.org/");
        Exporter.Scrapes scrapes = new Exporter.Scrapes() {
            @Override
            public ProwJobSource source() {
                return source.get();
            }

            @Override
            public ScrapePipeline pipeline(ClassificationListener listener) {
                return new ScrapePipeline(JobFilter.ANY, new RunDeriver(deck, RunDeriver.DEFAULT_GCSWEB),
                        classifiers.apply(listener), ScrapeListener.NONE);
            }
        };
        exporter = new Exporter(scrapes, ledger, file, INTERVAL, clock, () -> 0, log::add);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(exporter.metrics());
        server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry,
                exporter::readiness);
        exporter.afterEachScrape(server::refresh);
    }

    private void restartExporter() throws IOException {
        stop();
        startExporter();
    }

    private static Payloads sixRuns() {
        return new Payloads()
                .add("a1", "job-a", "success", T0.minusSeconds(5000))
                .add("a2", "job-a", "failure", T0.minusSeconds(4000))
                .add("a3", "job-a", "failure", T0.minusSeconds(3000))
                .add("a4", "job-a", "aborted", T0.minusSeconds(2000))
                .add("b1", "job-b", "error", T0.minusSeconds(4000))
                .add("b2", "job-b", "success", T0.minusSeconds(1000));
    }

    @Test
    void countsEachFinishedRunOnceByStateAcrossScrapes() throws Exception {
        sixRuns().writeTo(payload);
        assertThat(exporter.scrapeOnce()).isTrue();
        clock.advance(INTERVAL);
        assertThat(exporter.scrapeOnce()).isTrue();

        String text = get("/metrics", null).body();
        assertThat(value(text, RUNS, "job-a", "success")).isEqualTo(1.0);
        assertThat(value(text, RUNS, "job-a", "failure")).isEqualTo(2.0);
        assertThat(value(text, RUNS, "job-a", "aborted")).isEqualTo(1.0);
        assertThat(value(text, RUNS, "job-b", "error")).isEqualTo(1.0);
        assertThat(MetricsText.value(text, RUNS, Map.of("job_name", "job-a", "type", "periodic", "org", "openshift",
                "repo", "oadp-operator", "base_ref", "master", "state", "success"))).isEqualTo(1.0);
        // the abort after the two failures neither counts nor resets; job-b's success resets its error
        assertThat(job(text, "prowctl_job_consecutive_failures", "job-a")).isEqualTo(2.0);
        assertThat(job(text, "prowctl_job_consecutive_failures", "job-b")).isEqualTo(0.0);
        assertThat(job(text, "prowctl_job_last_run_timestamp_seconds", "job-a"))
                .isEqualTo(T0.minusSeconds(2000).getEpochSecond());
        // aborted runs are not observed: job-a has 3 durations of 600 s, all in le="600"
        assertThat(MetricsText.value(text, "prowctl_job_run_duration_seconds_count", Map.of("job_name", "job-a")))
                .isEqualTo(3.0);
        assertThat(MetricsText.value(text, "prowctl_job_run_duration_seconds_bucket",
                Map.of("job_name", "job-a", "le", "300.0"))).isEqualTo(0.0);
        assertThat(MetricsText.value(text, "prowctl_job_run_duration_seconds_bucket",
                Map.of("job_name", "job-a", "le", "600.0"))).isEqualTo(3.0);
        assertThat(MetricsText.value(text, "prowctl_scrape_last_success_timestamp_seconds", Map.of()))
                .isEqualTo((double) T0.plus(INTERVAL).getEpochSecond());

        new Payloads().add("a5", "job-a", "failure", T0.minusSeconds(500)).writeTo(payload);
        exporter.scrapeOnce();
        text = get("/metrics", null).body();
        assertThat(value(text, RUNS, "job-a", "failure")).isEqualTo(3.0);
        assertThat(job(text, "prowctl_job_consecutive_failures", "job-a")).isEqualTo(3.0);
    }

    @Test
    void servesOpenMetricsWhenAskedAndPassesPromtool() throws Exception {
        sixRuns().writeTo(payload);
        exporter.scrapeOnce();
        HttpResponse<String> openMetrics = get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(openMetrics.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).endsWith("# EOF\n").contains("prowctl_job_runs_total{");
        HttpResponse<String> text = get("/metrics", null);
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text.body());
        }

        Path promtool = TestEnv.requireBinary("promtool", "prometheus");
        Path body = Files.writeString(dir.resolve("metrics.txt"), text.body());
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
                .redirectInput(body.toFile()).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).as("promtool's lint findings").isBlank();
    }

    @Test
    void aRunDeferredByFlakeClassificationIsCountedOnceWhenDecided() throws Exception {
        new Payloads().add("f1", "job-f", "failure", T0.minusSeconds(100)).writeTo(payload);
        classifier = runs -> List.of(); // the lookup failed: deferred to a later scrape
        exporter.scrapeOnce();
        assertThat(value(get("/metrics", null).body(), RUNS, "job-f", "failure")).isNull();

        classifier = runs -> runs.stream().map(r -> r.classified(true, "test")).toList();
        exporter.scrapeOnce();
        exporter.scrapeOnce();
        String text = get("/metrics", null).body();
        assertThat(value(text, RUNS, "job-f", ProwRun.FLAKE)).isEqualTo(1.0);
        assertThat(value(text, RUNS, "job-f", "failure")).isZero();
        assertThat(job(text, "prowctl_job_consecutive_failures", "job-f")).isEqualTo(0.0);
    }

    @Test
    void aRestartedExporterContinuesItsCountersWithoutCountingAgain() throws Exception {
        sixRuns().writeTo(payload);
        exporter.scrapeOnce();
        restartExporter();
        String restored = get("/metrics", null).body();
        assertThat(value(restored, RUNS, "job-a", "failure")).isEqualTo(2.0);
        assertThat(job(restored, "prowctl_job_consecutive_failures", "job-a")).isEqualTo(2.0);

        sixRuns().add("a5", "job-a", "success", T0.minusSeconds(10)).writeTo(payload);
        exporter.scrapeOnce();
        String text = get("/metrics", null).body();
        assertThat(value(text, RUNS, "job-a", "failure")).isEqualTo(2.0);
        assertThat(value(text, RUNS, "job-a", "success")).isEqualTo(2.0);
        assertThat(job(text, "prowctl_job_consecutive_failures", "job-a")).isEqualTo(0.0);
    }

    @Test
    void badInputKeepsTheLastGoodValuesCountsTheErrorAndTurnsUnreadyAfterThreeIntervals() throws Exception {
        assertThat(get("/readyz", null).statusCode()).isEqualTo(503);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        sixRuns().writeTo(payload);
        exporter.scrapeOnce();
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
        String good = get("/metrics", null).body();

        Files.writeString(payload, "<html>login</html>");
        clock.advance(INTERVAL);
        assertThat(exporter.scrapeOnce()).isFalse();
        source.set((sink, progress) -> {
            throw new ScrapeException(ScrapeException.Reason.UNREACHABLE, "could not reach deck x", null);
        });
        clock.advance(INTERVAL);
        assertThat(exporter.scrapeOnce()).isFalse();
        String text = get("/metrics", null).body();
        assertThat(value(text, RUNS, "job-a", "failure")).isEqualTo(value(good, RUNS, "job-a", "failure"));
        assertThat(MetricsText.value(text, "prowctl_scrape_errors_total", Map.of("reason", "payload")))
                .isEqualTo(1.0);
        assertThat(MetricsText.value(text, "prowctl_scrape_errors_total", Map.of("reason", "deck_unreachable")))
                .isEqualTo(1.0);
        assertThat(get("/readyz", null).statusCode()).as("two intervals old").isEqualTo(200);

        clock.advance(INTERVAL.plusSeconds(1));
        exporter.scrapeOnce();
        HttpResponse<String> ready = get("/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("more than 3 intervals").contains("could not reach deck x");
        assertThat(log).hasSize(3).allMatch(line -> line.contains("serving the last good values"));

        source.set(ScrapeSources.file(payload));
        sixRuns().writeTo(payload);
        exporter.scrapeOnce();
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnusableStateFileIsRefusedRatherThanCountingAgainFromZero() throws Exception {
        Path state = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(state.resolve(LedgerFile.FILE_NAME), "{\"format\":\"something-else\",\"version\":1}");
        assertThatThrownBy(() -> new LedgerFile(state).load(new RunLedger()))
                .isInstanceOf(IOException.class).hasMessageContaining("move it away");
        Files.writeString(state.resolve(LedgerFile.FILE_NAME), "{not json");
        assertThatThrownBy(() -> new LedgerFile(state).load(new RunLedger()))
                .isInstanceOf(IOException.class).hasMessageContaining("not an exporter state file");
    }

    @Test
    void everyKindOfBadDeckIsCountedByReasonWhileMetricsKeepTheLastGoodValues() throws Exception {
        AtomicReference<MockResponse> answer = new AtomicReference<>();
        MockWebServer deck = new MockWebServer();
        deck.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.get();
            }
        });
        deck.start();
        DeckUrl url = DeckUrl.parse(deck.url("/").toString());
        source.set(ScrapeSources.deck(new DeckClient(new OkHttpClient(), url, Duration.ofSeconds(5), 1, Duration.ZERO),
                url, Duration.ofSeconds(5)));
        answer.set(new MockResponse.Builder().code(200).body(sixRuns().json()).build());
        assertThat(exporter.scrapeOnce()).isTrue();
        String good = jobSeries(get("/metrics", null).body());
        assertThat(good).contains("job-a");

        String truncated = sixRuns().json().substring(0, 300);
        Map<String, MockResponse> bad = new java.util.LinkedHashMap<>();
        bad.put("deck_http", new MockResponse.Builder().code(500).body("oops").build());
        bad.put("payload", new MockResponse.Builder().code(200).body(truncated).build());
        for (Map.Entry<String, MockResponse> e : bad.entrySet()) {
            answer.set(e.getValue());
            assertThat(exporter.scrapeOnce()).as(e.getKey()).isFalse();
        }
        answer.set(new MockResponse.Builder().code(200).body("{\"items\": [1, 2,").build()); // malformed
        assertThat(exporter.scrapeOnce()).isFalse();
        deck.close();
        assertThat(exporter.scrapeOnce()).as("deck gone").isFalse();

        String text = get("/metrics", null).body();
        assertThat(jobSeries(text)).as("the job series of the last good scrape, unchanged").isEqualTo(good);
        assertThat(errors(text, "deck_http")).isEqualTo(1.0);
        assertThat(errors(text, "payload")).isEqualTo(2.0);
        assertThat(errors(text, "deck_unreachable")).isEqualTo(1.0);
        assertThat(errors(text, "internal")).as("no failure taken for a bug").isZero();
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(log).hasSize(4).allMatch(line -> line.startsWith("prowctl exporter: scrape failed (")
                && line.endsWith("serving the last good values") && !line.contains("\n"));
        assertThat(get("/readyz", null).statusCode()).as("no time passed on the clock").isEqualTo(200);
        clock.advance(INTERVAL.multipliedBy(Exporter.STALE_INTERVALS).plusSeconds(1));
        HttpResponse<String> stale = get("/readyz", null);
        assertThat(stale.statusCode()).isEqualTo(503);
        assertThat(stale.body()).contains("more than 3 intervals").contains("last error: could not reach");
    }

    @Test
    void artifactsDownDeferTheFailedRunsAndCountTheRestThenTheDecidedRunCountsOnce() throws Exception {
        MockWebServer artifacts = new MockWebServer();
        artifacts.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(503).body("unavailable").build();
            }
        });
        artifacts.start();
        OkHttpClient http = new OkHttpClient();
        RetryPolicy noRetry = new RetryPolicy(Duration.ofSeconds(5), 0, Duration.ofMillis(10), Duration.ofMillis(10));
        classifiers = listener -> new ArtifactsClassifier(http, new ClassifierSettings(artifacts.url("/"), null, 2,
                Duration.ofSeconds(20), noRetry), FlakeCache.open(dir.resolve("flakes"),
                java.time.Clock.systemUTC(), log::add), listener);
        Instant now = Instant.now(); // the classifier keeps a run deferred only while deck still lists it (24 h)
        new Payloads().add("a1", "job-a-e2e", "success", now.minusSeconds(500))
                .add("a2", "job-a-e2e", "failure", now.minusSeconds(400))
                .add("b1", "job-b", "success", now.minusSeconds(300)).writeTo(payload);
        try {
            assertThat(exporter.scrapeOnce()).as("a scrape with artifacts down still succeeds").isTrue();
            String text = get("/metrics", null).body();
            assertThat(value(text, RUNS, "job-a-e2e", "success")).isEqualTo(1.0);
            assertThat(value(text, RUNS, "job-b", "success")).isEqualTo(1.0);
            assertThat(value(text, RUNS, "job-a-e2e", "failure")).as("deferred, not counted; log: " + log).isZero();
            assertThat(errors(text, "artifacts")).isEqualTo(1.0);
            assertThat(MetricsText.value(text, "prowctl_artifacts_requests_total", Map.of())).isPositive();
            assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
        } finally {
            artifacts.close();
        }

        classifier = RunClassifier.NONE; // decided now (as with --no-flakes): a failure, counted once
        classifiers = listener -> classifier;
        exporter.scrapeOnce();
        exporter.scrapeOnce();
        String text = get("/metrics", null).body();
        assertThat(value(text, RUNS, "job-a-e2e", "failure")).isEqualTo(1.0);
        assertThat(value(text, RUNS, "job-a-e2e", "success")).isEqualTo(1.0);
        assertThat(job(text, "prowctl_job_consecutive_failures", "job-a-e2e")).isEqualTo(1.0);
    }

    @Test
    void theScrapeLoopOutlivesAnErrorThrownByAScrape() throws Exception {
        sixRuns().writeTo(payload);
        AtomicInteger calls = new AtomicInteger();
        ProwJobSource file = ScrapeSources.file(payload);
        source.set((sink, progress) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new StackOverflowError("deeply nested payload");
            }
            return file.read(sink, progress);
        });
        RunLedger ledger = new RunLedger();
        Exporter looping = new Exporter(new Exporter.Scrapes() {
            @Override
            public ProwJobSource source() {
                return source.get();
            }

            @Override
            public ScrapePipeline pipeline(ClassificationListener listener) {
                return new ScrapePipeline(JobFilter.ANY, new RunDeriver(DeckUrl.parse("https://prow.example.org/"),
                        RunDeriver.DEFAULT_GCSWEB), RunClassifier.NONE, ScrapeListener.NONE);
            }
        }, ledger, new LedgerFile(dir.resolve("loop")), Duration.ofMillis(10), clock, () -> 0, log::add);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            looping.start(scheduler);
            Readiness.until("a successful scrape after two errors", Duration.ofSeconds(20), Duration.ofMillis(10),
                    looping::readiness, Exporter.Readiness::ready);
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue(); // no scrape adds to the log now
            looping.close();
        }
        assertThat(log.subList(0, 2)).allMatch(line -> line.equals("prowctl exporter: scrape failed (internal): "
                + "StackOverflowError: deeply nested payload; serving the last good values"));
        assertThat(ledger.remembered()).isEqualTo(6);
    }

    /** The per-job series of an exposition (what a failed scrape must leave as they were). */
    private static String jobSeries(String text) {
        return String.join("\n", text.lines().filter(l -> l.startsWith("prowctl_job_")).toList());
    }

    private static Double errors(String text, String reason) {
        return MetricsText.value(text, "prowctl_scrape_errors_total", Map.of("reason", reason));
    }

    private static Double value(String text, String name, String job, String state) {
        return MetricsText.value(text, name, Map.of("job_name", job, "state", state));
    }

    private static Double job(String text, String name, String job) {
        return MetricsText.value(text, name, Map.of("job_name", job));
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
