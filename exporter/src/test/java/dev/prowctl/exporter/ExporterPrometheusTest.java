package dev.prowctl.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeSources;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
import dev.prowctl.testing.PrometheusServer;
import dev.prowctl.testing.Readiness;
import dev.prowctl.testing.TestEnv;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * A deck stand-in → the exporter → a real Prometheus scraping it every second: what Prometheus stores equals the
 * runs of the payload by state, and after a restart of the exporter the counters continue without a reset.
 */
class ExporterPrometheusTest {

    private static final Instant NOW = Instant.now();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How often to ask Prometheus while waiting for its next scrape (every second), which a test cannot trigger. */
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AtomicReference<MockResponse> deckAnswer = new AtomicReference<>();
    private final MockWebServer deck = new MockWebServer();
    private int port;
    private PrometheusServer prometheus;
    private Exporter exporter;
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        deck.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return deckAnswer.get();
            }
        });
        deck.start();
        port = TestEnv.freePort();
        startExporter();
        prometheus = PrometheusServer.start("""
                  - job_name: prowctl
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port));
    }

    @AfterEach
    void stop() throws IOException {
        if (prometheus != null) {
            prometheus.close();
        }
        stopExporter();
        deck.close();
    }

    private void startExporter() throws IOException {
        DeckUrl deckUrl = DeckUrl.parse(deck.url("/").toString());
        ProwJobSource source = ScrapeSources.deck(
                new DeckClient(new OkHttpClient(), deckUrl, Duration.ofSeconds(5), 1, Duration.ZERO), deckUrl,
                Duration.ofSeconds(5));
        Exporter.Scrapes scrapes = new Exporter.Scrapes() {
            @Override
            public ProwJobSource source() {
                return source;
            }

            @Override
            public ScrapePipeline pipeline(ClassificationListener listener) {
                return new ScrapePipeline(JobFilter.ANY, new RunDeriver(deckUrl, ""), RunClassifier.NONE,
                        ScrapeListener.NONE);
            }
        };
        RunLedger ledger = new RunLedger();
        LedgerFile file = new LedgerFile(dir);
        file.load(ledger);
        exporter = new Exporter(scrapes, ledger, file, Duration.ofMinutes(5), Clock.systemUTC(), () -> 0, line -> { });
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(exporter.metrics());
        server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), registry,
                exporter::readiness);
        exporter.afterEachScrape(server::refresh);
    }

    private void stopExporter() {
        if (server != null) {
            server.close();
            exporter.close();
        }
    }

    private void serve(Payloads payload) {
        deckAnswer.set(new MockResponse.Builder().code(200).body(payload.json()).build());
    }

    private static Payloads firstPayload() {
        Payloads payload = new Payloads();
        String[] states = {"success", "failure", "failure", "aborted", "error", "success", "success"};
        for (int i = 0; i < states.length; i++) {
            payload.add("run-" + i, "job-" + (i % 3), states[i], NOW.minusSeconds(3600 - i * 60L));
        }
        return payload;
    }

    @Test
    void prometheusStoresTheRunsByStateAndSeesNoResetAcrossARestart() throws Exception {
        Payloads first = firstPayload();
        serve(first);
        assertThat(exporter.scrapeOnce()).isTrue();
        Map<String, Double> expected = byState(first);
        assertThat(awaitByState(expected)).isEqualTo(expected);

        // the deck fails meanwhile: Prometheus keeps getting the last good values and the error count
        deckAnswer.set(new MockResponse.Builder().code(500).body("oops").build());
        assertThat(exporter.scrapeOnce()).isFalse();
        awaitValue("sum(prowctl_scrape_errors_total{reason=\"deck_http\"})", 1.0);
        assertThat(awaitByState(expected)).isEqualTo(expected);

        stopExporter();
        startExporter();
        Payloads second = firstPayload()
                .add("run-new-1", "job-0", "failure", NOW.minusSeconds(60))
                .add("run-new-2", "job-1", "success", NOW.minusSeconds(30));
        serve(second);
        assertThat(exporter.scrapeOnce()).isTrue();
        Map<String, Double> after = byState(second);
        assertThat(awaitByState(after)).isEqualTo(after);
        assertThat(awaitValue("sum(resets(prowctl_job_runs_total[5m]))", 0.0)).isZero();
        assertThat(deck.getRequestCount()).as("one deck request per scrape").isEqualTo(3);
    }

    /**
     * A job's first run must be seen by {@code increase()}: Prometheus takes a series' first sample as its start,
     * so a series that appeared at 1 would never show that run as an increase. The exporter introduces the job's
     * series at 0 and counts the run at its next scrape.
     */
    @Test
    void increaseSeesTheFirstRunOfANewJob() throws Exception {
        Payloads first = firstPayload();
        serve(first);
        assertThat(exporter.scrapeOnce()).isTrue(); // the baseline
        awaitByState(byState(first));

        serve(firstPayload().add("run-first-of-new-job", "job-new", "success", NOW.minusSeconds(10)));
        assertThat(exporter.scrapeOnce()).isTrue();
        String selector = "prowctl_job_runs_total{job_name=\"job-new\",state=\"success\"}";
        awaitAny(selector, null); // Prometheus has scraped the new job's series once
        assertThat(exporter.scrapeOnce()).isTrue();
        awaitValue(selector, 1.0);
        Readiness.until("3 samples of the new job", WAIT, POLL,
                () -> vector("count_over_time(" + selector + "[1m])", null).get(""), n -> n != null && n >= 3);

        assertThat(vector("increase(" + selector + "[1m])", null).get(""))
                .as("increase() over a window that holds the job's first run").isBetween(1.0, 2.0);
        assertThat(vector("increase(prowctl_job_run_duration_seconds_count{job_name=\"job-new\"}[1m])", null)
                .get("")).as("the histogram's first observation too").isBetween(1.0, 2.0);
        assertThat(vector("sum(increase(prowctl_job_runs_total{job_name=\"job-0\"}[1m]))", null).get(""))
                .as("nothing new for a known job").isZero();
    }

    /** The payload's runs by state, with every state of {@link RunLedger#STATES} (0 when it has none). */
    private static Map<String, Double> byState(Payloads payload) {
        Map<String, Double> counts = new TreeMap<>();
        RunLedger.STATES.forEach(state -> counts.put(state, 0.0));
        payload.runs().forEach(run -> counts.merge(run.state(), 1.0, Double::sum));
        return counts;
    }

    /** Waits until Prometheus's {@code sum by (state)} equals {@code expected}; returns what it last saw. */
    private Map<String, Double> awaitByState(Map<String, Double> expected) throws Exception {
        return Readiness.until("Prometheus to store " + expected, WAIT, POLL,
                () -> vector("sum by (state) (prowctl_job_runs_total)", "state"), expected::equals);
    }

    /** Waits until {@code promql} (one sample) has {@code expected}'s value. */
    private double awaitValue(String promql, double expected) throws Exception {
        return Readiness.until(promql + " = " + expected, WAIT, POLL, () -> vector(promql, null).get(""),
                seen -> seen != null && seen == expected);
    }

    /** Waits until {@code promql} answers anything; returns its samples. */
    private Map<String, Double> awaitAny(String promql, String label) throws Exception {
        return Readiness.until(promql, WAIT, POLL, () -> vector(promql, label), seen -> !seen.isEmpty());
    }

    private Map<String, Double> vector(String promql, String label) throws IOException, InterruptedException {
        JsonNode result = JSON.readTree(prometheus.query(promql)).path("data").path("result");
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : result) {
            String key = label == null ? "" : sample.path("metric").path(label).asText();
            values.put(key, Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }
}
